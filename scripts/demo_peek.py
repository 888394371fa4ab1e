"""Show one product search and one media search through the running emulators."""

from __future__ import annotations

import sys

import requests


def main(plytix: str, photoshelter: str) -> None:
    token = requests.post(f"{plytix}/auth/api/get-token",
                          json={"api_key": "demo-key", "api_password": "demo-password"},
                          timeout=10).json()["data"][0]["access_token"]
    found = requests.post(
        f"{plytix}/api/v1/products/search",
        headers={"Authorization": f"Bearer {token}"},
        json={"filters": [[{"field": "attributes.launch_status", "operator": "eq",
                            "value": "Ready for creative"}]],
              "attributes": ["sku", "label", "attributes.season"],
              "pagination": {"page": 1, "page_size": 5, "order": "sku"}},
        timeout=10).json()
    total = found["pagination"]["total_count"]
    print(f"\nPlytix: {total} products 'Ready for creative'; first {len(found['data'])}:")
    for row in found["data"]:
        print(f"  {row['sku']:<18} {row['label']:<32} {row['attributes'].get('season')}")
    key = {"X-PS-Api-Key": "DEMOapikey1"}
    ps_token = requests.post(f"{photoshelter}/psapi/v4.0/authenticate", headers=key,
                             json={"email": "demo@example.com", "password": "demo-password",
                                   "mode": "token"}, timeout=10).json()["token"]
    auth = {**key, "X-PS-Auth-Token": ps_token}
    session = requests.get(f"{photoshelter}/psapi/v4.0/user/session",
                           params={"include": "organizations"}, headers=auth, timeout=10).json()
    org_id = session["included"][0]["id"] if session.get("included") else None
    requests.post(f"{photoshelter}/psapi/v4.0/organization/authenticate", headers=auth,
                  json={"org_id": org_id}, timeout=10).raise_for_status()
    media = requests.get(f"{photoshelter}/psapi/v4.0/media", headers=auth,
                         params={"org_id": org_id, "keywords": "view:hero", "per_page": 5,
                                 "sort_by": "file_name", "sort_dir": "asc"}, timeout=10).json()
    print(f"\nPhotoShelter: {media['meta']['paging']['total']} hero images; first "
          f"{len(media['data'])}:")
    for item in media["data"]:
        print(f"  {item['id']}  {item['attributes']['file_name']}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
