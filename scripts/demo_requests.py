"""Print the write calls the two running emulators received (the demo's proof of idempotence)."""

from __future__ import annotations

import sys

from emulators.runtime import AdminClient

READ_ONLY = ("GET ", "HEAD ")
# logging in and out changes no catalogue data: not counted as writes
LOGINS = (
    "/auth/api/get-token",
    "/authenticate",
    "/organization/authenticate",
    "/authenticate/logout",
    "/organization/logout",
)


def writes(base_url: str) -> dict[str, int]:
    log = AdminClient(base_url).requests()
    return {
        route: n
        for route, n in log["by_route"].items()
        if not route.startswith(READ_ONLY)
        and not route.endswith("/search")
        and not route.endswith(LOGINS)
    }


def main(command: str, plytix_url: str, photoshelter_url: str) -> int:
    if command == "clear":
        AdminClient(plytix_url).clear_requests()
        AdminClient(photoshelter_url).clear_requests()
        return 0
    for name, url in (("Plytix", plytix_url), ("PhotoShelter", photoshelter_url)):
        found = writes(url)
        total = sum(found.values())
        detail = ", ".join(f"{route} x{n}" for route, n in sorted(found.items()))
        print(f"  {name:<13} {total:>5} write requests{': ' + detail if detail else ''}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
