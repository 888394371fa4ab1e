"""The seeded catalogue both emulators start from: one brand's products and its photos.

Plytix and PhotoShelter are seeded from the same generated brand so that images carry the
SKUs of real products, the way a creative team would tag them: in IPTC `trans_ref`, as
`sku:` / `style:` keywords, or only in the file name. The hard cases the sync must report
rather than guess are planted on purpose and listed in `Catalog.hard_cases`, so tests can
name them instead of hunting for them.

Everything derives from (size, seed, today): the same three give the same catalogue.
Timestamps are epoch seconds; each emulator formats them the way its API does.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

SIZES = {"empty": 0, "small": 8, "demo": 80, "large": 17_600}
"""Number of styles per catalogue size (a style expands to a parent and its variants)."""

EPOCH = datetime(2026, 1, 5, 9, 0, tzinfo=UTC).timestamp()
"""Seeded records were created and modified between EPOCH and EPOCH + ~280 days."""

FAMILIES = {
    "Apparel": {
        "required": ["color", "size", "season", "description", "material"],
        "sizes": ["XS", "S", "M", "L", "XL"],
        "categories": ["Apparel/Tops", "Apparel/Bottoms", "Apparel/Outerwear"],
        "nouns": ["Tee", "Hoodie", "Chino", "Parka", "Polo", "Jogger", "Cardigan", "Shirt"],
        "prefix": ["TS", "HD", "CH", "PK", "PL", "JG", "CD", "SH"],
    },
    "Footwear": {
        "required": ["color", "size", "season", "description"],
        "sizes": ["38", "39", "40", "41", "42", "43", "44"],
        "categories": ["Footwear/Sneakers", "Footwear/Boots"],
        "nouns": ["Runner", "Court Sneaker", "Chelsea Boot", "Trail Shoe"],
        "prefix": ["RN", "CS", "CB", "TR"],
    },
    "Accessories": {
        "required": ["color", "season", "description"],
        "sizes": [],
        "categories": ["Accessories/Bags", "Accessories/Hats"],
        "nouns": ["Tote", "Backpack", "Beanie", "Cap"],
        "prefix": ["TT", "BP", "BN", "CP"],
    },
}
ADJECTIVES = ["Classic", "Organic", "Everyday", "Heritage", "Urban", "Coastal", "Alpine", "Studio"]
COLORS = {
    "BLK": "Black",
    "WHT": "White",
    "NVY": "Navy",
    "OLV": "Olive",
    "RED": "Red",
    "SND": "Sand",
    "GRY": "Grey",
    "TEA": "Teal",
}
SEASONS = ["SS26", "AW26", "SS27"]
LAUNCH_STATUSES = [
    "In development",
    "Ready for creative",
    "In production",
    "Ready for launch",
    "Launched",
]
MATERIALS = ["Cotton", "Recycled polyester", "Wool", "Leather", "Linen", "Nylon"]
CHANNELS = ["webshop", "amazon", "wholesale"]
MARKETS = ["US", "EU", "UK"]
APPROVAL_TAGS = ["Approved", "Pending", "Rejected"]

# Plytix custom attribute definitions: (label, display name, type_class, options).
PLYTIX_ATTRIBUTES: list[tuple[str, str, str, list[str]]] = [
    ("style_code", "Style code", "TextAttribute", []),
    ("color", "Colour", "DropdownAttribute", list(COLORS.values())),
    (
        "size",
        "Size",
        "DropdownAttribute",
        sorted({s for f in FAMILIES.values() for s in f["sizes"]}, key=lambda s: (s.isdigit(), s)),
    ),
    ("season", "Season", "DropdownAttribute", SEASONS),
    ("launch_status", "Launch status", "DropdownAttribute", LAUNCH_STATUSES),
    ("launch_date", "Launch date", "DateAttribute", []),
    ("description", "Description", "MultilineAttribute", []),
    ("description_html", "Web description", "HtmlAttribute", []),
    ("material", "Material", "MultiSelectAttribute", MATERIALS),
    ("price", "Price", "DecimalAttribute", []),
    ("weight_g", "Weight (g)", "IntAttribute", []),
    ("is_bundle", "Bundle", "BooleanAttribute", []),
    ("product_url", "Product page", "UrlAttribute", []),
    ("completeness", "Completeness", "CompletenessAttribute", []),
    ("media_gallery", "Media gallery", "MediaGalleryAttribute", []),
    ("webshop_images", "Webshop images", "MediaGalleryAttribute", []),
    ("amazon_images", "Amazon images", "MediaGalleryAttribute", []),
    ("wholesale_images", "Wholesale images", "MediaGalleryAttribute", []),
    ("packshot", "Packshot", "MediaAttribute", []),
    ("image_rights_expiry", "Image rights expiry", "DateAttribute", []),
    ("image_usage_terms", "Image usage terms", "MultilineAttribute", []),
    ("image_credit", "Image credit", "TextAttribute", []),
    ("image_allowed_channels", "Image allowed channels", "MultiSelectAttribute", CHANNELS),
    ("image_allowed_markets", "Image allowed markets", "MultiSelectAttribute", MARKETS),
    (
        "imagery_status",
        "Imagery status",
        "DropdownAttribute",
        ["Complete", "Missing hero", "No approved imagery", "Rights expiring"],
    ),
]
ATTRIBUTE_GROUPS = {
    "Identity": ["style_code", "color", "size", "season"],
    "Launch": ["launch_status", "launch_date"],
    "Content": [
        "description",
        "description_html",
        "material",
        "price",
        "weight_g",
        "is_bundle",
        "product_url",
        "completeness",
    ],
    "Imagery": [
        "media_gallery",
        "webshop_images",
        "amazon_images",
        "wholesale_images",
        "packshot",
        "image_rights_expiry",
        "image_usage_terms",
        "image_credit",
        "image_allowed_channels",
        "image_allowed_markets",
        "imagery_status",
    ],
}

# PhotoShelter organisation pick-list fields: name -> tags. The colour list misses "Teal"
# on purpose, so a write of that colour meets a missing tag.
PS_FIELDS: dict[str, list[str]] = {
    "Status": APPROVAL_TAGS,
    "Category": sorted({c.split("/")[-1] for f in FAMILIES.values() for c in f["categories"]}),
    "Color": [c for c in COLORS.values() if c != "Teal"],
    "Size": sorted({s for f in FAMILIES.values() for s in f["sizes"]}),
    "Launch Status": LAUNCH_STATUSES,
    "Shoot Type": ["Studio", "Lifestyle", "Campaign"],
}

PHOTOGRAPHERS = ["Ana Ruiz", "Tom Becker", "Mei Lin", "Studio North"]
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def plytix_id(seed: int, kind: str, n: int | str) -> str:
    """24 hex characters, stable for (seed, kind, n)."""
    return hashlib.blake2b(f"{seed}:{kind}:{n}".encode(), digest_size=12).hexdigest()


def ps_id(prefix: str, seed: int, n: int | str) -> str:
    """`I0000` + 11 characters of [A-Za-z0-9], stable for (seed, prefix, n)."""
    digest = hashlib.blake2b(f"{seed}:{prefix}:{n}".encode(), digest_size=16).digest()
    return f"{prefix}0000" + "".join(ID_CHARS[b % len(ID_CHARS)] for b in digest[:11])


@dataclass
class Catalog:
    """The seed of both emulators. Plytix and PhotoShelter shapes, not yet API envelopes."""

    size: str
    seed: int
    today: date
    # Plytix
    attributes: list[dict[str, Any]] = field(default_factory=list)
    attribute_groups: list[dict[str, Any]] = field(default_factory=list)
    families: list[dict[str, Any]] = field(default_factory=list)
    categories: list[dict[str, Any]] = field(default_factory=list)
    asset_categories: list[dict[str, Any]] = field(default_factory=list)
    products: list[dict[str, Any]] = field(default_factory=list)
    assets: list[dict[str, Any]] = field(default_factory=list)
    # PhotoShelter
    organization: dict[str, Any] = field(default_factory=dict)
    user: dict[str, Any] = field(default_factory=dict)
    metadata_fields: list[dict[str, Any]] = field(default_factory=list)
    collections: list[dict[str, Any]] = field(default_factory=list)
    galleries: list[dict[str, Any]] = field(default_factory=list)
    media: list[dict[str, Any]] = field(default_factory=list)
    # what tests name
    hard_cases: dict[str, Any] = field(default_factory=dict)


def build(size: str = "small", seed: int = 42, today: date | None = None) -> Catalog:
    """Generate the catalogue for a size (`empty`, `small`, `demo`, `large`)."""
    if size not in SIZES:
        raise ValueError(f"unknown catalogue size {size!r}; choose one of {', '.join(SIZES)}")
    today = today or datetime.now(UTC).date()
    return _Builder(size, seed, today).build()


class _Builder:
    def __init__(self, size: str, seed: int, today: date) -> None:
        self.rng = random.Random(seed)
        self.cat = Catalog(size=size, seed=seed, today=today)
        self.seed = seed
        self.tick = EPOCH
        self.media_n = 0
        self.sku_to_product: dict[str, dict[str, Any]] = {}
        self.tag_ids: dict[tuple[str, str], str] = {}
        self.field_ids: dict[str, str] = {}
        self.imaged: set[str] = set()
        """SKUs and style codes some photo names."""

    def stamp(self) -> float:
        """A strictly increasing timestamp, a few minutes apart."""
        self.tick += self.rng.randint(60, 600)
        return float(int(self.tick))

    # --- Plytix definitions ---------------------------------------------------------------
    def definitions(self) -> None:
        cat, seed = self.cat, self.seed
        for n, (label, name, type_class, options) in enumerate(PLYTIX_ATTRIBUTES):
            groups = [g for g, labels in ATTRIBUTE_GROUPS.items() if label in labels]
            cat.attributes.append(
                {
                    "id": plytix_id(seed, "attribute", n),
                    "label": label,
                    "name": name,
                    "type_class": type_class,
                    "groups": groups,
                    "options": list(options),
                }
            )
        for n, (group, labels) in enumerate(ATTRIBUTE_GROUPS.items()):
            cat.attribute_groups.append(
                {
                    "id": plytix_id(seed, "group", n),
                    "name": group,
                    "attribute_labels": labels,
                    "order": n,
                }
            )
        paths: dict[str, dict[str, Any]] = {}
        for family in FAMILIES.values():
            for path in family["categories"]:
                parts = path.split("/")
                for depth in range(1, len(parts) + 1):
                    sub = "/".join(parts[:depth])
                    if sub in paths:
                        continue
                    parent = paths.get("/".join(parts[: depth - 1]))
                    paths[sub] = {
                        "id": plytix_id(seed, "category", sub),
                        "name": parts[depth - 1],
                        "slug": sub.lower().replace("/", "-"),
                        "path": parts[:depth],
                        "parents_ids": ([*parent["parents_ids"], parent["id"]] if parent else []),
                        "n_children": 0,
                        "order": len(paths),
                    }
                    if parent:
                        parent["n_children"] += 1
        cat.categories = list(paths.values())
        for n, name in enumerate(["Product photography", "Legacy uploads"]):
            cat.asset_categories.append(
                {
                    "id": plytix_id(seed, "asset_category", n),
                    "name": name,
                    "slug": name.lower().replace(" ", "-"),
                    "path": [name],
                    "parents_ids": [],
                    "n_children": 0,
                    "order": n,
                }
            )
        by_label = {a["label"]: a for a in cat.attributes}
        for n, (name, family) in enumerate(FAMILIES.items()):
            required = family["required"]
            cat.families.append(
                {
                    "id": plytix_id(seed, "family", n),
                    "name": name,
                    "created": EPOCH - 86400 * 30,
                    "modified": EPOCH - 86400 * 30,
                    "attributes": [
                        {
                            "id": by_label[label]["id"],
                            "label": label,
                            "required": True,
                            "level": "variant" if label in ("color", "size") else "parent",
                        }
                        for label in required
                    ]
                    + [
                        {
                            "id": by_label[label]["id"],
                            "label": label,
                            "required": False,
                            "level": "parent",
                        }
                        for label in ("price", "media_gallery", "webshop_images", "amazon_images")
                    ],
                }
            )

    # --- PhotoShelter definitions ---------------------------------------------------------
    def organisation(self) -> None:
        cat, seed = self.cat, self.seed
        cat.organization = {"id": ps_id("O", seed, 0), "name": "Demo Brand"}
        cat.user = {
            "id": ps_id("U", seed, 0),
            "email": "demo@example.com",
            "first_name": "Demo",
            "last_name": "User",
        }
        for n, (name, tags) in enumerate(PS_FIELDS.items()):
            field_id = f"F{n + 1:04d}"
            self.field_ids[name] = field_id
            entries = []
            for m, tag in enumerate(tags):
                tag_id = f"T{n + 1:02d}{m + 1:03d}"
                self.tag_ids[(name, tag)] = tag_id
                entries.append({"id": tag_id, "name": tag})
            cat.metadata_fields.append({"id": field_id, "name": name, "tags": entries})
        launches = {
            "id": ps_id("C", seed, "Launches"),
            "name": "Launches",
            "parent_id": None,
            "created_at": EPOCH - 86400 * 60,
            "modified_at": EPOCH - 86400 * 60,
        }
        ss26 = {
            "id": ps_id("C", seed, "Launches/SS26"),
            "name": "SS26",
            "parent_id": launches["id"],
            "created_at": EPOCH - 86400 * 50,
            "modified_at": EPOCH - 86400 * 50,
        }
        studio = {
            "id": ps_id("C", seed, "Studio"),
            "name": "Studio",
            "parent_id": None,
            "created_at": EPOCH - 86400 * 90,
            "modified_at": EPOCH - 86400 * 90,
        }
        cat.collections = [launches, ss26, studio]
        for n, name in enumerate(["Spring studio shoot", "Campaign selects", "Archive"]):
            cat.galleries.append(
                {
                    "id": ps_id("G", seed, name),
                    "name": name,
                    "description": f"{name} (seeded)",
                    "parent_ids": [studio["id"]],
                    "media_ids": [],
                    "created_at": EPOCH - 86400 * (40 - n),
                    "modified_at": EPOCH - 86400 * (40 - n),
                }
            )

    # --- the brand ------------------------------------------------------------------------
    def products(self) -> None:
        cat, rng = self.cat, self.rng
        family_ids = {f["name"]: f["id"] for f in cat.families}
        category_ids = {"/".join(c["path"]): c["id"] for c in cat.categories}
        styles = SIZES[cat.size]
        family_names = list(FAMILIES)
        for s in range(styles):
            family_name = family_names[s % 3 if s % 5 else 0]
            family = FAMILIES[family_name]
            k = rng.randrange(len(family["nouns"]))
            style_code = f"{family['prefix'][k]}-{1001 + s}"
            name = f"{ADJECTIVES[rng.randrange(len(ADJECTIVES))]} {family['nouns'][k]}"
            season = SEASONS[s % len(SEASONS)]
            launch = LAUNCH_STATUSES[rng.randrange(len(LAUNCH_STATUSES))]
            category = family["categories"][rng.randrange(len(family["categories"]))]
            base_attrs = {
                "style_code": style_code,
                "season": season,
                "launch_status": launch,
                "launch_date": (
                    date(2026, 3, 1)
                    + timedelta(days=120 * SEASONS.index(season) + rng.randrange(30))
                ).isoformat(),
                "description": f"The {name.lower()}, season {season}.",
                "material": rng.sample(MATERIALS, rng.randint(1, 2)),
                "price": round(rng.uniform(15, 240), 2),
                "weight_g": rng.randrange(80, 1500),
                "is_bundle": False,
                "product_url": f"https://shop.example.com/p/{style_code.lower()}",
            }
            if rng.random() < 0.1:
                del base_attrs["description"]  # an incomplete package on purpose
            colors = rng.sample(list(COLORS), rng.randint(1, 3))
            common = {"family": family_ids[family_name], "category": category_ids[category]}
            if not family["sizes"]:
                for code in colors:
                    sku = f"{style_code}-{code}"
                    self.add_product(
                        sku,
                        f"{name} {COLORS[code]}",
                        0,
                        None,
                        {**base_attrs, "color": COLORS[code]},
                        common,
                    )
                continue
            parent = self.add_product(style_code, name, 1, None, dict(base_attrs), common)
            sizes = family["sizes"][rng.randrange(2) :][: rng.randint(2, 4)]
            for code in colors:
                for size_name in sizes:
                    sku = f"{style_code}-{code}-{size_name}"
                    self.add_product(
                        sku,
                        f"{name} {COLORS[code]} {size_name}",
                        2,
                        parent,
                        {**base_attrs, "color": COLORS[code], "size": size_name},
                        common,
                    )
            parent["num_variations"] = len(colors) * len(sizes)

    def add_product(
        self,
        sku: str,
        label: str,
        level: int,
        parent: dict[str, Any] | None,
        attributes: dict[str, Any],
        common: dict[str, str],
    ) -> dict[str, Any]:
        created = self.stamp()
        product = {
            "id": plytix_id(self.seed, "product", sku),
            "sku": sku,
            "label": label,
            "status": self.rng.choice(["Draft", "Completed", "Completed"]),
            "created": created,
            "modified": created,
            "num_variations": 0,
            "thumbnail": None,
            "assets": [],
            "attributes": attributes,
            "categories": [common["category"]],
            "product_family_id": common["family"],
            "product_family_model_id": None,
            "product_type": "PRODUCT",
            "product_level": level,
            "relationships": [],
            "overwritten_attributes": [],
        }
        if parent is not None:
            product["_parent_id"] = parent["id"]
        self.cat.products.append(product)
        self.sku_to_product[sku] = product
        return product

    def legacy_assets(self) -> None:
        """A few images uploaded to Plytix by hand before the sync existed."""
        cat = self.cat
        sellable = [p for p in cat.products if p["product_level"] != 1]
        linked = sellable[: len(cat.products) // 12]
        for n, product in enumerate(linked):
            asset = self.add_asset(f"legacy_{product['sku'].lower()}.jpg", n)
            product["thumbnail"] = {"id": asset["id"]}
            product["assets"].append(asset["id"])
            product["attributes"]["media_gallery"] = [{"id": asset["id"]}]
            asset["n_products"] = 1
            asset["assigned"] = True

    def add_asset(self, filename: str, n: int) -> dict[str, Any]:
        created = self.stamp()
        asset_id = plytix_id(self.seed, "asset", n)
        asset = {
            "id": asset_id,
            "filename": filename,
            "url": f"https://files.plytix.example/{asset_id}/{filename}",
            "thumbnail": f"https://files.plytix.example/{asset_id}/thumb_{filename}",
            "file_type": "IMAGES",
            "file_size": 20_000 + n * 7,
            "content_type": "image/jpeg",
            "extension": "jpg",
            "created": created,
            "modified": created,
            "file_modified": created,
            "assigned": False,
            "categories": [self.cat.asset_categories[1]["id"]] if self.cat.asset_categories else [],
            "n_products": 0,
            "public": True,
            "status": "COMPLETED",
            "checksum": f"legacy-{n}",
        }
        self.cat.assets.append(asset)
        return asset

    # --- photos ---------------------------------------------------------------------------
    def photos(self) -> None:
        cat, rng = self.cat, self.rng
        sellable = [p for p in cat.products if p["product_level"] != 1]
        by_style: dict[str, list[dict[str, Any]]] = {}
        for p in sellable:
            by_style.setdefault(p["attributes"]["style_code"], []).append(p)
        for style_code, variants in by_style.items():
            if rng.random() < 0.12:
                # The whole style shot once and tagged with its style code only.
                self.image_set([style_code], "style", variants[0])
                continue
            for product in variants:
                if rng.random() < 0.1:
                    continue  # some products have no imagery yet
                rule = rng.choices(["trans_ref", "keyword", "file_name"], [4, 3, 3])[0]
                self.image_set([product["sku"]], rule, product)

    def image_set(
        self, skus: list[str], rule: str, product: dict[str, Any]
    ) -> list[dict[str, Any]]:
        """A hero and 3-5 alternates of one product, tagged the way `rule` says."""
        rng = self.rng
        n_alternates = rng.randint(3, 5)
        self.imaged.update(skus)
        approval = rng.choices(APPROVAL_TAGS, [85, 10, 5])[0]
        expiry_roll = rng.random()
        if expiry_roll < 0.12:
            expiry: date | None = self.cat.today - timedelta(days=rng.randint(1, 200))
        elif expiry_roll < 0.75:
            expiry = self.cat.today + timedelta(days=rng.randint(20, 700))
        else:
            expiry = None
        limits: list[str] = []
        if rng.random() < 0.2:
            limits.append(f"channel:{rng.choice(CHANNELS[:2])}")
        if rng.random() < 0.15:
            limits.append(f"market:{rng.choice(MARKETS)}")
        images = []
        for seq in range(1, n_alternates + 2):
            view = "hero" if seq == 1 else None
            keywords = [product["attributes"].get("color", "").lower() or "product", "studio"]
            iptc: dict[str, str] = {}
            sku_text = skus[0]
            if rule == "file_name":
                file_name = f"{sku_text}_{'hero' if view else f'{seq:02d}'}.jpg"
            else:
                file_name = f"DSC_{4000 + self.media_n:05d}.jpg"
                if rule == "trans_ref":
                    iptc["trans_ref"] = ", ".join(skus)
                elif rule == "keyword":
                    keywords += [f"sku:{s}" for s in skus]
                elif rule == "style":
                    keywords.append(f"style:{sku_text}")
                if view:
                    keywords.append("view:hero")
            images.append(
                self.add_media(file_name, keywords + limits, iptc, approval, expiry, product)
            )
        return images

    def add_media(
        self,
        file_name: str,
        keywords: list[str],
        iptc: dict[str, str],
        approval: str | None,
        expiry: date | None,
        product: dict[str, Any] | None,
    ) -> dict[str, Any]:
        rng, seed = self.rng, self.seed
        n = self.media_n
        self.media_n += 1
        created = self.stamp()
        photographer = PHOTOGRAPHERS[n % len(PHOTOGRAPHERS)]
        title = product["label"] if product and rng.random() < 0.3 else ""
        custom = {}
        if approval:
            custom[self.field_ids["Status"]] = self.tag_ids[("Status", approval)]
        custom[self.field_ids["Shoot Type"]] = self.tag_ids[("Shoot Type", "Studio")]
        media = {
            "id": ps_id("I", seed, n),
            "file_name": file_name,
            "file_size": 30_000 + (n * 37) % 9_000,
            "width": 2400,
            "height": 3000,
            "rating": rng.randint(0, 5),
            "flagged": False,
            "model_released": True,
            "property_released": False,
            "focal_point_x": 0.5,
            "focal_point_y": 0.4,
            "organization_id": self.cat.organization["id"],
            "photographer_id": self.cat.user["id"],
            "created_at": created,
            "modified_at": created,
            "license_expiration": expiry.isoformat() if expiry else None,
            "iptc": {
                "title": title,
                "headline": "",
                "caption": f"Studio photograph {file_name}",
                "keywords": ", ".join(keywords),
                "author": photographer,
                "credit": photographer,
                "source": "Demo Brand Studio",
                "copyright": f"(c) 2026 {photographer}",
                "rights": "E-commerce and social use; no print."
                if expiry
                else "Unrestricted brand use.",
                "instructions": "",
                "trans_ref": "",
                "category": "",
                "edit_status": "final",
                "city": "Lisbon",
                "state": "",
                "country": "Portugal",
                "country_iso": "PT",
                **iptc,
            },
            "custom_metadata": custom,
        }
        self.cat.media.append(media)
        return media

    def approve(self, media: dict[str, Any]) -> None:
        media["custom_metadata"][self.field_ids["Status"]] = self.tag_ids[("Status", "Approved")]

    def hard_cases(self) -> None:
        """The cases the sync must handle by rule, planted where tests can find them."""
        cat = self.cat
        variants = [p for p in cat.products if p["product_level"] == 2]
        singles = [p for p in cat.products if p["product_level"] == 0]
        sellable = variants + singles
        if len(sellable) < 6:
            return
        a, b = sellable[1], sellable[len(sellable) // 2]
        ambiguous = self.add_media(
            "DSC_90001.jpg",
            ["sku:" + a["sku"], "sku:" + b["sku"], "view:hero"],
            {},
            "Approved",
            None,
            a,
        )
        unknown = self.add_media(
            "DSC_90002.jpg", [], {"trans_ref": "ZZ-9999-XXX"}, "Approved", None, None
        )
        case_target = sellable[2]
        messy_ref = f"  {case_target['sku'].lower()} "
        messy = self.add_media(
            "DSC_90003.jpg",
            [],
            {"trans_ref": messy_ref},
            "Approved",
            self.cat.today + timedelta(days=400),
            case_target,
        )
        group = self.add_media(
            "DSC_90004.jpg",
            ["view:group"],
            {"trans_ref": f"{a['sku']}, {b['sku']}"},
            "Approved",
            None,
            a,
        )
        # A style shot for a style that has no other imagery.
        style_product = variants[-1] if variants else singles[-1]
        style_code = style_product["attributes"]["style_code"]
        cat.media = [
            m
            for m in cat.media
            if style_code not in m["iptc"]["trans_ref"] + m["iptc"]["keywords"] + m["file_name"]
        ]
        self.imaged.difference_update(
            p["sku"] for p in sellable if p["attributes"]["style_code"] == style_code
        )
        style_images = self.image_set([style_code], "style", style_product)
        for image in style_images:
            self.approve(image)
            image["license_expiration"] = None
        # An approved image whose rights lapsed; one limited to the webshop; a rejected one.
        expired_target = singles[0] if singles else variants[0]
        cat.media = [
            m
            for m in cat.media
            if expired_target["sku"]
            not in m["iptc"]["trans_ref"] + m["iptc"]["keywords"] + m["file_name"]
        ]
        expired = self.image_set([expired_target["sku"]], "trans_ref", expired_target)
        for image in expired:
            self.approve(image)
            image["iptc"]["keywords"] = ", ".join(
                k
                for k in image["iptc"]["keywords"].split(", ")
                if not k.startswith(("channel:", "market:"))
            )
        expired[-1]["license_expiration"] = (self.cat.today - timedelta(days=3)).isoformat()
        expired[0]["license_expiration"] = (self.cat.today + timedelta(days=365)).isoformat()
        expired[1]["iptc"]["keywords"] += ", channel:webshop"
        rejected = self.add_media(
            f"{expired_target['sku']}_09.jpg", [], {}, "Rejected", None, expired_target
        )
        pending = self.add_media(
            f"{expired_target['sku']}_08.jpg", [], {}, "Pending", None, expired_target
        )
        # Products left without imagery on purpose.
        style_skus = {p["sku"] for p in sellable if p["attributes"]["style_code"] == style_code}
        bare = [
            p
            for p in sellable
            if p["sku"] not in self.imaged
            and p["sku"] not in style_skus
            and p["sku"] != case_target["sku"]
        ][:3]
        # Ready for creative: one with its hand-off gallery already made, holding an untagged
        # final from the creative team (use case g), and one still waiting for its gallery.
        ready = [
            p
            for p in variants + singles
            if p["attributes"].get("launch_status") == "Ready for creative"
        ]
        handoff: dict[str, Any] = {}
        if ready:
            target = ready[0]
            season = target["attributes"]["season"]
            season_collection = next(
                (c for c in cat.collections if c["name"] == season and c["parent_id"]), None
            )
            if season_collection is None:
                season_collection = {
                    "id": ps_id("C", self.seed, f"Launches/{season}"),
                    "name": season,
                    "parent_id": cat.collections[0]["id"],
                    "created_at": EPOCH,
                    "modified_at": EPOCH,
                }
                cat.collections.append(season_collection)
            final = self.add_media("IMG_9921.jpg", ["studio"], {}, "Approved", None, None)
            gallery = {
                "id": ps_id("G", self.seed, "handoff"),
                "name": f"{target['sku']} {target['label']}",
                "description": "Creative hand-off (created by pim-dam-sync)",
                "parent_ids": [season_collection["id"]],
                "media_ids": [final["id"]],
                "created_at": EPOCH + 86400,
                "modified_at": EPOCH + 86400,
            }
            cat.galleries.append(gallery)
            handoff = {
                "sku": target["sku"],
                "gallery_id": gallery["id"],
                "untagged_media_id": final["id"],
            }
        # Seeded galleries hold some photos.
        for n, gallery in enumerate(cat.galleries[:3]):
            gallery["media_ids"] = [m["id"] for m in cat.media[n::7][:12]]
        cat.hard_cases = {
            "ambiguous_media_id": ambiguous["id"],
            "ambiguous_skus": [a["sku"], b["sku"]],
            "unknown_sku_media_id": unknown["id"],
            "unknown_sku": "ZZ-9999-XXX",
            "messy_sku_media_id": messy["id"],
            "messy_sku": case_target["sku"],
            "multi_sku_media_id": group["id"],
            "multi_skus": [a["sku"], b["sku"]],
            "style_code": style_code,
            "style_media_ids": [m["id"] for m in style_images],
            "style_variant_skus": [
                p["sku"] for p in sellable if p["attributes"]["style_code"] == style_code
            ],
            "expired_sku": expired_target["sku"],
            "expired_media_id": expired[-1]["id"],
            "webshop_only_media_id": expired[1]["id"],
            "rejected_media_id": rejected["id"],
            "pending_media_id": pending["id"],
            "skus_without_imagery": [p["sku"] for p in bare],
            "ready_for_creative_skus": [p["sku"] for p in ready],
            "handoff": handoff,
            "missing_color_tag": "Teal",
        }

    def build(self) -> Catalog:
        self.definitions()
        self.organisation()
        if self.cat.size != "empty":
            self.products()
            self.legacy_assets()
            self.photos()
            self.hard_cases()
        return self.cat
