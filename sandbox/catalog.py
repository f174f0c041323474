"""The sandbox's data set: projects, AOIs, assets and satellites, deterministic from a seed.

Records are stored in one canonical form (``satellite_id``, ISO timestamps, lower-case statuses);
``api.py`` turns them into the configured variant when serving. AOIs are generated per index on
first use, so a 10,000-AOI catalog costs nothing until somebody pages through it.
"""

from __future__ import annotations

import functools
import math
import random
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterator, Optional, Sequence, Union

from . import products
from .satellites import SATELLITES, pick_wavelengths, satellite_by_code

ProductSize = Union[str, int]

# Named sizes are targets for one delivery file; each asset varies around them (x0.6..x1.6) so
# that a listing does not look machine-made. "tiny" keeps unit tests in the millisecond range.
PRODUCT_SIZES = {
    "tiny": 8 * 1024,
    "small": 4 * 1024 * 1024,
    "medium": 64 * 1024 * 1024,
    "large": 1024 * 1024 * 1024,
}

# Timestamps are anchored here rather than to the wall clock so that a seed means one data set.
EPOCH = datetime(2025, 9, 1, 8, 0, 0, 123456, tzinfo=timezone.utc)
CATALOG_SPAN = timedelta(days=730)

ORG_ID = "7c1e2f0a-3b4d-4e5f-8a9b-0c1d2e3f4a5b"
USER_IDS = ("user-204817", "user-551093", "user-880142")

# (title, slug, sector): the first project owns "the first AOI".
PROJECTS = (
    ("Crop Health Monitoring", "crop-health-monitoring", "agriculture"),
    ("Urban Expansion Watch", "urban-expansion-watch", "urban"),
    ("Water Quality Survey", "water-quality-survey", "environment"),
    ("Solar Site Assessment", "solar-site-assessment", "energy"),
)

# (AOI name, lon, lat, jitter in degrees that keeps repeats on land, project index)
SITES = (
    ("Punjab wheat fields \u2013 Ludhiana", 75.86, 30.88, 0.08, 0),
    ("Central Valley almonds \u2013 Fresno County, CA", -119.72, 36.48, 0.08, 0),
    ("Bengaluru urban fringe \u2013 Hoskote", 77.80, 13.07, 0.03, 1),
    ("Bhadla solar park \u2013 Rajasthan", 71.91, 27.54, 0.05, 3),
    ("Iowa corn belt \u2013 Story County", -93.47, 42.04, 0.08, 0),
    ("Mato Grosso soybean \u2013 Sorriso", -55.71, -12.55, 0.10, 0),
    ("Murray-Darling irrigation \u2013 Griffith, NSW", 146.05, -34.29, 0.06, 2),
    ("Tea estates \u2013 Kericho, Kenya", 35.28, -0.37, 0.03, 0),
    ("Beauce cereal plain \u2013 Chartres", 1.55, 48.33, 0.08, 0),
    ("Andalusian olive groves \u2013 Ja\u00e9n", -3.70, 37.85, 0.06, 0),
    ("Nile delta farmland \u2013 Tanta", 31.00, 30.79, 0.04, 2),
    ("Flevoland polders \u2013 Lelystad", 5.62, 52.48, 0.03, 2),
    ("Cotton fields \u2013 Yavatmal, Maharashtra", 78.12, 20.39, 0.08, 0),
    ("Kansas wheat \u2013 Finney County", -100.74, 37.97, 0.08, 0),
    ("Westland greenhouses \u2013 Naaldwijk", 4.22, 51.99, 0.01, 1),
    ("Do\u00f1ana rice paddies \u2013 Seville", -6.10, 37.16, 0.02, 2),
    ("Wheatbelt \u2013 Merredin, WA", 118.28, -31.48, 0.08, 0),
    ("Sugarcane \u2013 Ribeir\u00e3o Preto", -47.95, -21.05, 0.06, 0),
    ("Flower farms \u2013 Lake Naivasha", 36.47, -0.86, 0.01, 0),
    ("Paddy belt \u2013 Karnal, Haryana", 76.99, 29.69, 0.06, 0),
    ("Solar parks \u2013 Ouarzazate, Morocco", -6.86, 31.02, 0.02, 3),
    ("Thar canal command \u2013 Sri Ganganagar", 73.88, 29.90, 0.06, 0),
)

AOI_STATUSES = ("success", "partial_success", "running", "started", "updating", "failed")
AOI_STATUS_WEIGHTS = (70, 8, 6, 5, 5, 6)
ASSET_STATUSES = ("success", "failed", "started", "creating")
ASSET_STATUS_WEIGHTS = (80, 8, 6, 6)
ASSET_TYPES = ("mosaic", "stac_item", "visualization")
SATELLITE_CHOICES = ("TD1", "TD2", "FF01", "FF02", "FF03", "FF04", "FF05", "FF06")
SATELLITE_WEIGHTS = (10, 15, 12, 12, 15, 12, 12, 12)
FIREFLY_BAND_COUNTS = (24, 32, 40, 45)  # Firefly captures carry at most 45 of its 135 bands

METRES_PER_DEGREE = 111_320.0


def size_bytes(product_size: ProductSize) -> int:
    """Target bytes of one delivery for a named size or an explicit byte count."""
    if isinstance(product_size, int):
        if product_size <= 0:
            raise ValueError("product_size in bytes must be positive")
        return product_size
    if product_size not in PRODUCT_SIZES:
        raise ValueError(f"product_size must be one of {', '.join(PRODUCT_SIZES)} or bytes")
    return PRODUCT_SIZES[product_size]


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _local_metres(lon: float, lat: float, lon0: float, lat0: float) -> tuple[float, float]:
    return ((lon - lon0) * METRES_PER_DEGREE * math.cos(math.radians(lat0)),
            (lat - lat0) * METRES_PER_DEGREE)


def ring_area_and_centroid(ring: Sequence[Sequence[float]]) -> tuple[float, list[float]]:
    """Area in m² and centroid [lon, lat] of a closed lon/lat ring (local flat-earth: km-sized)."""
    lon0, lat0 = ring[0]
    pts = [_local_metres(lon, lat, lon0, lat0) for lon, lat in ring]
    twice_area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(pts, pts[1:]):
        cross = x1 * y2 - x2 * y1
        twice_area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area = twice_area / 2
    cx, cy = cx / (6 * area), cy / (6 * area)
    centroid = [lon0 + cx / (METRES_PER_DEGREE * math.cos(math.radians(lat0))),
                lat0 + cy / METRES_PER_DEGREE]
    return abs(area), [round(c, 6) for c in centroid]


def field_ring(rng: random.Random, lon: float, lat: float) -> list[list[float]]:
    """An irregular, counter-clockwise, closed 5-9 vertex outline a few km across."""
    count = rng.randint(5, 9)
    step = 2 * math.pi / count
    angles = sorted(i * step + rng.uniform(-0.35, 0.35) * step for i in range(count))
    radius_m = rng.uniform(1500, 4000)
    stretch = rng.uniform(0.6, 1.4)  # fields and districts are rarely round
    tilt = rng.uniform(0, math.pi)
    metres_per_lon = METRES_PER_DEGREE * math.cos(math.radians(lat))
    ring = []
    for angle in angles:
        r = radius_m * rng.uniform(0.65, 1.0)
        x, y = r * math.cos(angle) * stretch, r * math.sin(angle)
        x, y = x * math.cos(tilt) - y * math.sin(tilt), x * math.sin(tilt) + y * math.cos(tilt)
        ring.append([round(lon + x / metres_per_lon, 6), round(lat + y / METRES_PER_DEGREE, 6)])
    ring.append(list(ring[0]))
    return ring


def bbox_of(ring: Sequence[Sequence[float]]) -> tuple[float, float, float, float]:
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return min(lons), min(lats), max(lons), max(lats)


def rectangle(bbox: tuple[float, float, float, float]) -> list[list[float]]:
    west, south, east, north = bbox
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


@dataclass(frozen=True)
class _AoiPlan:
    """What an AOI's assets are generated from, kept so that assets can come later, on demand."""

    index: int
    aoi_id: str
    ring: list
    code: str
    status: str
    created: datetime
    updated: datetime
    band_count: int
    captures: tuple  # ((image id, acquired, produced), ...), one per asset


class Catalog:
    """Projects, AOIs, assets and satellites as the API serves them, plus a ProductSpec per asset.

    Each AOI has its own random stream (its assets another one), so any AOI can be generated
    alone, in any order, with the same result; assets only when somebody asks for them.
    """

    def __init__(self, seed: int = 42, aoi_count: int = 30, product_size: ProductSize = "small"):
        if aoi_count < 1:
            raise ValueError("aoi_count must be at least 1")
        self.seed = seed
        self.aoi_count = aoi_count
        self.target_bytes = size_bytes(product_size)
        self._named_size = not isinstance(product_size, int)
        self.satellites: list[dict] = SATELLITES
        self.projects: list[dict] = self._make_projects()
        self._lock = threading.RLock()
        self._aois: dict[int, dict] = {}
        self._plans: dict[str, _AoiPlan] = {}
        self._assets: dict[str, list[dict]] = {}
        # ProductSpecs are built on demand: validating thousands of them would slow listings.
        self._spec_args: dict[str, tuple] = {}
        self._index_by_aoi_id: Optional[dict[str, int]] = None

    # -- lookups -------------------------------------------------------------------------------

    def aoi_at(self, index: int) -> dict:
        with self._lock:
            if index not in self._aois:
                self._make_aoi(index)
            return self._aois[index]

    def iter_aois(self) -> Iterator[dict]:
        return (self.aoi_at(i) for i in range(self.aoi_count))

    @property
    def aois(self) -> list[dict]:
        return list(self.iter_aois())

    def aoi(self, aoi_id: str) -> Optional[dict]:
        index = self._aoi_index().get(aoi_id)
        return None if index is None else self.aoi_at(index)

    def assets(self, aoi_id: str) -> list[dict]:
        """The assets of one AOI, or [] for an unknown AOI."""
        if self.aoi(aoi_id) is None:
            return []
        with self._lock:
            if aoi_id not in self._assets:
                self._assets[aoi_id] = self._make_assets(self._plans[aoi_id])
            return self._assets[aoi_id]

    def asset(self, asset_id: str) -> Optional[dict]:
        for aoi in self.iter_aois():
            for asset in self.assets(aoi["aoi_id"]):
                if asset["id"] == asset_id:
                    return asset
        return None

    def product_spec(self, asset_id: str) -> products.ProductSpec:
        if asset_id not in self._spec_args and self.asset(asset_id) is None:
            raise KeyError(f"unknown asset {asset_id}")
        return self.spec_for(*self._spec_args[asset_id])

    def _aoi_index(self) -> dict[str, int]:
        # Ids are the first draw of each AOI's stream: mapping ids needs no AOI generated.
        if self._index_by_aoi_id is None:
            self._index_by_aoi_id = {_uuid(self._rng("aoi", i)): i for i in range(self.aoi_count)}
        return self._index_by_aoi_id

    # -- generation ----------------------------------------------------------------------------

    def _rng(self, *parts: object) -> random.Random:
        return random.Random("/".join(str(p) for p in (self.seed, *parts)))

    def _make_projects(self) -> list[dict]:
        rng = self._rng("projects")
        projects = []
        for n, (title, slug, sector) in enumerate(PROJECTS):
            created = EPOCH - CATALOG_SPAN - timedelta(days=30 * (len(PROJECTS) - n),
                                                       seconds=rng.randint(0, 86_000))
            projects.append({
                "id": _uuid(rng),
                "name": slug,
                "title": title,
                "org_id": ORG_ID,
                "members_count": rng.randint(2, 14),
                "created_at": iso(created),
                "updated_at": iso(created + timedelta(days=rng.randint(1, 400))),
                "metadata": {"sector": sector, "created_via": "aurora"},
            })
        return projects

    def _make_aoi(self, index: int) -> None:
        rng = self._rng("aoi", index)
        aoi_id = _uuid(rng)
        first = index == 0  # tests and the demo rely on a complete, successful first AOI
        name, lon, lat, jitter, project = SITES[index % len(SITES)]
        if index >= len(SITES):
            name = f"{name} (block {index // len(SITES) + 1})"
            lon += rng.uniform(-jitter, jitter)
            lat += rng.uniform(-jitter, jitter)
        ring = field_ring(rng, lon, lat)
        area, centroid = ring_area_and_centroid(ring)
        code = "TD2" if first else rng.choices(SATELLITE_CHOICES, weights=SATELLITE_WEIGHTS)[0]
        satellite = satellite_by_code(code)
        status = "success" if first else rng.choices(AOI_STATUSES, weights=AOI_STATUS_WEIGHTS)[0]
        step = CATALOG_SPAN / self.aoi_count
        created = EPOCH - step * index - timedelta(seconds=rng.uniform(0, step.total_seconds() / 2))
        updated = created + timedelta(minutes=rng.randint(30, 2000))
        band_count = (len(satellite["bands"]) if code.startswith("TD")
                      else rng.choice(FIREFLY_BAND_COUNTS))
        captures = []
        for _ in range(3 if first else rng.randint(2, 4)):
            acquired = (created - timedelta(days=rng.randint(3, 200))).date()
            captures.append((rng.randint(1, 999_999), acquired,
                             acquired + timedelta(days=rng.randint(5, 40))))
        self._plans[aoi_id] = _AoiPlan(index, aoi_id, ring, code, status, created, updated,
                                       band_count, tuple(captures))
        self._aois[index] = {
            "aoi_id": aoi_id,
            "name": name,
            "description": f"{name}: {satellite['name']} monitoring of {area / 1e6:.1f} km\u00b2",
            "satellite_id": satellite["id"],
            "project_id": self.projects[project]["id"],
            "images": {f"{image_id:06d}": {"date": acquired.isoformat(),
                                           "satellite": satellite["name"]}
                       for image_id, acquired, _ in captures},
            "eo_bands": list(_band_subset(code, band_count)[1]),
            "geometry": {"type": "Polygon", "coordinates": [ring]},
            "progress": _progress(rng, status),
            "status": status,
            "is_favourite": first or rng.random() < 0.15,
            "created_at": iso(created),
            "updated_at": iso(updated),
            "user_id": USER_IDS[index % len(USER_IDS)],
            "area_in_sq_m": round(area, 2),
            "centroid": centroid,
        }

    def _make_assets(self, plan: _AoiPlan) -> list[dict]:
        rng = self._rng("assets", plan.index)
        first = plan.index == 0
        satellite = satellite_by_code(plan.code)
        resolution = satellite["bands"][0]["spatial_resolution"]
        wavelengths, band_names = _band_subset(plan.code, plan.band_count)
        west, south, east, north = bbox_of(plan.ring)
        assets = []
        for n, (image_id, acquired, produced) in enumerate(plan.captures):
            name = products.product_name(plan.code, image_id, acquired, "L2A", produced,
                                         resolution, 1, plan.band_count)
            margin = rng.uniform(0.03, 0.12)
            dx, dy = (east - west) * margin, (north - south) * margin
            bbox = (round(west - dx, 6), round(south - dy, 6),
                    round(east + dx, 6), round(north + dy, 6))
            footprint = rectangle(bbox)
            area, centroid = ring_area_and_centroid(footprint)
            if first:
                status = "success" if n < 2 else "creating"
            elif plan.status == "failed" and n == 0:
                status = "failed"
            else:
                status = rng.choices(ASSET_STATUSES, weights=ASSET_STATUS_WEIGHTS)[0]
            asset_type = "mosaic" if n == 0 else rng.choice(ASSET_TYPES)
            span = plan.updated - plan.created
            asset_created = plan.created + span * rng.uniform(0.1, 0.6)
            asset_id = _uuid(rng)
            delivery = ("zip", "tif")[n % 2] if first else rng.choice(("zip", "tif"))
            assets.append({
                "id": asset_id,
                "aoi_id": plan.aoi_id,
                "name": name,
                "description": f"{_level_words(asset_type)}, {plan.band_count} bands at "
                               f"{resolution} m from {satellite['name']}",
                "asset_type": asset_type,
                "status": status,
                "progress": _progress(rng, status),
                "band_list": list(band_names),
                "date": acquired.isoformat(),
                "resolution": resolution,
                "geometry": {"type": "Polygon", "coordinates": [footprint]},
                "centroid": centroid,
                "area_in_sq_m": round(area, 2),
                "path": f"az://pixxel-deliveries/{ORG_ID}/{plan.aoi_id}/{name}/{name}.{delivery}",
                "visualization_id": _uuid(rng),
                "created_at": iso(asset_created),
                "updated_at": iso(asset_created + span * rng.uniform(0.05, 0.35)),
            })
            self._spec_args[asset_id] = (name, plan.code, bbox, wavelengths, delivery,
                                         rng.uniform(0.6, 1.6), rng.getrandbits(31))
        return assets

    def spec_for(self, name: str, code: str, bbox: tuple, wavelengths: tuple, delivery: str,
                 size_factor: float, seed: int) -> products.ProductSpec:
        """A product of this catalog's size over ``bbox`` (also for captures outside the AOIs,
        such as tasked ones)."""
        target = int(self.target_bytes * size_factor) if self._named_size else self.target_bytes
        width, height = products.dims_for_bytes(target, len(wavelengths))
        # Keep the pixel count but give the raster the footprint's aspect, so pixels stay square.
        west, south, east, north = bbox
        aspect = ((east - west) * math.cos(math.radians((south + north) / 2))) / (north - south)
        pixels = width * height
        height = max(1, round(math.sqrt(pixels / aspect)))
        width = max(1, round(pixels / height))
        return products.ProductSpec(name=name, satellite=code, bbox=bbox, width=width,
                                    height=height, wavelengths_nm=wavelengths, seed=seed,
                                    delivery=delivery)


def _progress(rng: random.Random, status: str) -> int:
    if status in ("success", "partial_success"):
        return 100
    if status in ("started", "creating"):
        return rng.randint(0, 15)
    return rng.randint(20, 95)


def _level_words(asset_type: str) -> str:
    return {"mosaic": "L2A surface reflectance mosaic",
            "stac_item": "L2A surface reflectance scene",
            "visualization": "L2A visualisation product"}[asset_type]


@functools.cache
def _band_subset(code: str, count: int) -> tuple:
    """(wavelengths, band names) of a capture with ``count`` bands; memoised: it is slow-ish."""
    wavelengths = pick_wavelengths(code, count)
    wanted = set(wavelengths)
    names = tuple(b["name"] for b in satellite_by_code(code)["bands"] if b["wavelength"] in wanted)
    return wavelengths, names

