"""Exit 1 with a one-line message when a port the emulators need is taken (instead of a traceback).

    python scripts/port_free.py HOST PORT[:SETTING] [PORT[:SETTING] ...]

SETTING, when given, is how to choose another port (the demo's DEMO_PLYTIX_PORT).
"""

from __future__ import annotations

import socket
import sys


def taken(host: str, port: int) -> bool:
    """True when something listens on host:port (or the port cannot be bound)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return True
    return False


def main(argv: list[str]) -> int:
    host, *pairs = argv
    for pair in pairs:
        port, _, setting = pair.partition(":")
        if taken(host, int(port)):
            hint = f" or choose another port with {setting}" if setting else ""
            print(
                f"port {host}:{port} is in use (emulators already running? `make emulators` "
                f"or another demo): stop that process{hint}",
                file=sys.stderr,
            )
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
