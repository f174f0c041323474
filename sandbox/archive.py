"""Pixxel's archive (``/v0/archives/...``): STAC collections and items of every capture.

Every capture behind an AOI asset (mosaic and scene assets; visualizations are derived products)
is an archive item: its id is the product name, its footprint, bands and raster grid are those of
the very GDAL-generated product the asset delivers, so what one orders from the archive is what
then downloads. Capture time, cloud cover, viewing and sun angles are deterministic per item
(sun angles computed for the place and a mid-morning overpass). A thumbnail PNG of the same
scene is served by the storage server behind a signed URL.

Spec choices: ``bbox`` of an item is an array of *strings* in the spec (``cosmos.Item``), so the
sandbox serves strings unless ``stac_bbox="number"`` (the STAC standard) is configured;
``eo:bands[].center_wavelength`` is in micrometres as the schema describes (its example uses nm).
Search paging: ``limit``/``offset`` in the body, answered with a ``next`` link (the spec's
FeatureCollection has ``links`` but no totals) whose query string carries the next offset.
"""

from __future__ import annotations

import math
import random
import re
import threading
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import Any, Optional

from . import stac
from .answers import ApiError, body_paging, checked_body, csv_param, iso_z, ok, page_cap, paging
from .catalog import EPOCH, Catalog
from .products import ProductSpec
from .satellites import satellite_by_code

ARCHIVE_AOIS = 500  # the archive holds the captures of the first AOIs only: bounded start-up
STAC_VERSION = "1.0.0"
EXTENSIONS = tuple(f"https://stac-extensions.github.io/{name}/schema.json" for name in (
    "eo/v1.1.0", "view/v1.0.0", "projection/v1.1.0", "raster/v1.1.0", "sat/v1.0.0"))
COLLECTIONS = {  # id -> (title, description, satellite codes)
    "pixxel-td1": ("Pixxel-TD1", "Shakuntala (TD-1) hyperspectral demonstrator, 30 m, 69 bands",
                   ("TD1",)),
    "pixxel-td2": ("Pixxel-TD2", "Anand (TD-2) hyperspectral demonstrator, 10 m, 67 bands",
                   ("TD2",)),
    "pixxel-firefly": ("Pixxel-Firefly", "Firefly constellation, 5 m, up to 135 VNIR bands "
                       "(up to 45 per capture)", tuple(f"FF0{n}" for n in range(1, 7))),
}
QUERY_ALIASES = {"cloudcover": "eo:cloud_cover", "cloud_cover": "eo:cloud_cover",
                 "off_nadir": "view:off_nadir", "sun_elevation": "view:sun_elevation",
                 "sun_azimuth": "view:sun_azimuth"}
ORBIT_ALTITUDE_M = 550_000.0


def collection_for(code: str) -> str:
    return next(cid for cid, (_, _, codes) in COLLECTIONS.items() if code in codes)


@dataclass(frozen=True)
class ArchiveItem:
    """One capture: a product (its ProductSpec) and the acquisition facts STAC reports."""

    spec: ProductSpec
    acquired: datetime
    cloud_cover: float
    off_nadir: float
    sun_azimuth: float
    sun_elevation: float
    orbit_state: str
    relative_orbit: int

    @property
    def id(self) -> str:
        return self.spec.name

    @property
    def code(self) -> str:
        return self.spec.satellite

    @property
    def collection(self) -> str:
        return collection_for(self.code)

    @property
    def box(self) -> tuple:
        return self.spec.bbox

    @property
    def geometry(self) -> dict:
        return {"type": "Polygon", "coordinates": [stac.rectangle_ring(self.box)]}

    @property
    def band_names(self) -> list:
        return [band["name"] for band in stac.eo_bands(self.code, self.spec.wavelengths_nm,
                                                        irradiance=False)]

    @property
    def produced(self) -> datetime:
        return datetime.combine(self.spec.parts.produced, time(6, 0), timezone.utc)

    def search_properties(self) -> dict:
        """The item's STAC properties as searched and sorted (no URLs)."""
        west, south, east, north = self.box
        resolution = self.spec.parts.resolution_m
        return {
            "datetime": iso_z(self.acquired), "created": iso_z(self.produced),
            "updated": iso_z(self.produced), "platform": self.code, "constellation":
            "Firefly" if self.code.startswith("FF") else self.code, "gsd": resolution,
            "eo:cloud_cover": self.cloud_cover, "view:off_nadir": self.off_nadir,
            "view:sun_azimuth": self.sun_azimuth, "view:sun_elevation": self.sun_elevation,
            "view:scene_center_lon": round((west + east) / 2, 6),
            "view:scene_center_lat": round((south + north) / 2, 6),
            "rd:product_level": self.spec.level, "bands": self.band_names,
        }


def make_item(spec: ProductSpec, seed: int) -> ArchiveItem:
    """The acquisition facts of a product, deterministic from its name and the seed."""
    rng = random.Random(f"{seed}/archive/{spec.name}")
    west, south, east, north = spec.bbox
    lon, lat = (west + east) / 2, (south + north) / 2
    local_hours = 10.5 + rng.uniform(-0.3, 0.3)  # sun-synchronous mid-morning descending pass
    midnight = datetime.combine(spec.parts.acquired, time(0, 0), timezone.utc)
    acquired = (midnight + timedelta(hours=local_hours - lon / 15)).replace(microsecond=0)
    azimuth, elevation = stac.solar_angles(lat, lon, acquired)
    return ArchiveItem(spec, acquired, round(rng.triangular(0, 60, 4), 2),
                       round(rng.uniform(0, 25), 2), azimuth, elevation, "descending",
                       rng.randint(1, 233))


class Archive:
    """The archive items (built on first use from the catalog's AOI assets) and collections."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        self._lock = threading.Lock()
        self._items: Optional[dict] = None

    @property
    def items(self) -> list:
        """Every item, newest capture first."""
        with self._lock:
            if self._items is None:
                self._items = self._build()
            return list(self._items.values())

    def item(self, item_id: str) -> Optional[ArchiveItem]:
        self.items  # noqa: B018 - builds the index
        return self._items.get(item_id) if self._items else None

    def items_of_aoi(self, index: int) -> list:
        """The archive items made from one AOI's assets, in asset order."""
        aoi_id = self.catalog.aoi_at(index)["aoi_id"]
        names = [self.catalog.product_spec(a["id"]).name for a in self.catalog.assets(aoi_id)
                 if a["asset_type"] != "visualization"]
        return [self.item(name) for name in dict.fromkeys(names)]

    def _build(self) -> dict:
        found = {}
        for index in range(min(self.catalog.aoi_count, ARCHIVE_AOIS)):
            for asset in self.catalog.assets(self.catalog.aoi_at(index)["aoi_id"]):
                if asset["asset_type"] == "visualization":
                    continue
                spec = self.catalog.product_spec(asset["id"])
                found.setdefault(spec.name, make_item(spec, self.catalog.seed))
        ordered = sorted(found.values(), key=lambda item: (item.acquired, item.id), reverse=True)
        return {item.id: item for item in ordered}


# -- rendering -------------------------------------------------------------------------------------


def thumbnail_url(handler: Any, item_id: str) -> str:
    return handler.server.downloads.sign(f"/previews/{item_id}/{item_id}.png")


def _assets(handler: Any, item: ArchiveItem, *, clerk: bool) -> dict:
    resolution = item.spec.parts.resolution_m
    bands = stac.eo_bands(item.code, item.spec.wavelengths_nm, irradiance=not clerk)
    data = {"href": f"az://pixxel-archive/{item.collection}/{item.id}/{item.id}.tif",
            "type": "image/tiff; application=geotiff", "roles": ["data"],
            "title": f"{item.id} surface reflectance", "eo:bands": bands}
    if not clerk:
        data["raster:bands"] = [{"scale": 2e-05, "nodata": 0, "offset": 0,
                                 "spatial_resolution": resolution} for _ in bands]
    return {
        "data": data,
        "thumbnail": {"href": thumbnail_url(handler, item.id), "type": "image/png",
                      "roles": ["thumbnail"], "title": "True-colour thumbnail"},
        "metadata": {"href": f"az://pixxel-archive/{item.collection}/{item.id}/{item.id}.xml",
                     "type": "application/xml", "roles": ["metadata"], "title": "Metadata"},
    }


def _links(handler: Any, item: ArchiveItem) -> list:
    base = f"{handler.server.url}/v0/archives/collections"
    return [
        {"rel": "self", "href": f"{base}/{item.collection}/items/{item.id}",
         "type": "application/geo+json"},
        {"rel": "collection", "href": f"{base}/{item.collection}", "type": "application/json"},
        {"rel": "parent", "href": f"{base}/{item.collection}", "type": "application/json"},
        {"rel": "root", "href": base, "type": "application/json"},
    ]


def _projection(item: ArchiveItem) -> tuple:
    west, south, east, north = item.box
    spec = item.spec
    transform = [(east - west) / spec.width, 0.0, west, 0.0, -(north - south) / spec.height, north]
    return [spec.height, spec.width], [round(v, 9) for v in transform]


def feature(handler: Any, item: ArchiveItem) -> dict:
    """An item as ``cosmos.Item`` (the archive endpoints)."""
    props = item.search_properties()
    del props["bands"]
    shape, transform = _projection(item)
    satellite = satellite_by_code(item.code)
    props.update({
        "title": item.id, "description": f"{satellite['name']} L2A surface reflectance, "
        f"{len(item.spec.wavelengths_nm)} bands", "startdatetime": props["datetime"],
        "instruments": ["hyperspectral-imager"], "license": "proprietary",
        "altitude": ORBIT_ALTITUDE_M, "proj:code": "EPSG:4326", "proj:shape": shape,
        "proj:transform": transform, "rd:sat_id": satellite["id"], "rd:type": "Reflectance",
        "rd:anomalous_pixels": round(item.cloud_cover / 5000, 4),
        "rd:earth_sun_distance": _earth_sun_distance(item.acquired),
    })
    numbers = [round(v, 6) for v in item.box]
    bbox = numbers if handler.server.settings().stac_bbox == "number" else \
        [str(v) for v in numbers]
    return {"type": "Feature", "stac_version": STAC_VERSION, "stac_extensions": list(EXTENSIONS),
            "id": item.id, "collection": item.collection, "bbox": bbox,
            "geometry": item.geometry, "properties": props,
            "assets": _assets(handler, item, clerk=False), "links": _links(handler, item)}


def clerk_item(handler: Any, item: ArchiveItem) -> dict:
    """An item as ``clerk.STACItem`` (a purchased catalog's ``details``)."""
    props = item.search_properties()
    shape, transform = _projection(item)
    for key in ("bands", "view:scene_center_lon", "view:scene_center_lat", "rd:product_level"):
        del props[key]
    props.update({"instruments": ["hyperspectral-imager"], "proj:epsg": 4326,
                  "proj:shape": shape, "proj:transform": transform,
                  "sat:orbit_state": item.orbit_state,
                  "sat:relative_orbit": item.relative_orbit,
                  "view:satellite_look_angle": round(item.off_nadir * 0.92, 2)})
    return {"type": "Feature", "stac_version": STAC_VERSION,
            "stac_extensions": list(EXTENSIONS), "id": item.id, "collection": item.collection,
            "bbox": [round(v, 6) for v in item.box], "geometry": item.geometry,
            "properties": props, "assets": _assets(handler, item, clerk=True),
            "links": _links(handler, item)}


def _earth_sun_distance(moment: datetime) -> float:
    day = moment.timetuple().tm_yday
    return round(1 - 0.01672 * math.cos(math.radians(0.9856 * (day - 4))), 6)


def collection(handler: Any, cid: str) -> dict:
    title, description, codes = COLLECTIONS[cid]
    items = [i for i in handler.server.archive.items if i.collection == cid]
    boxes = [i.box for i in items] or [(-180.0, -90.0, 180.0, 90.0)]
    extent = [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
              max(b[3] for b in boxes)]
    times = sorted(iso_z(i.acquired) for i in items) or [iso_z(EPOCH)]
    base = f"{handler.server.url}/v0/archives/collections"
    return {
        "type": "Collection", "stac_version": STAC_VERSION, "stac_extensions": list(EXTENSIONS),
        "id": cid, "title": title, "description": description, "license": "proprietary",
        "extent": {"spatial": {"bbox": [[round(v, 6) for v in extent]]},
                   "temporal": {"interval": [[times[0], times[-1]]]}},
        "providers": [{"name": "Pixxel", "description": "Pixxel is a space data company",
                       "roles": ["producer", "processor", "host"], "url": "https://pixxel.space"}],
        "summaries": {"platform": list(codes), "gsd": sorted({i.spec.parts.resolution_m
                                                              for i in items}),
                      "rd:product_level": ["L2A"]},
        "links": [{"rel": "self", "href": f"{base}/{cid}", "type": "application/json"},
                  {"rel": "items", "href": f"{base}/{cid}/items", "type": "application/geo+json"},
                  {"rel": "root", "href": base, "type": "application/json"}],
        "created_at": iso_z(EPOCH - timedelta(days=900)), "updated_at": times[-1],
    }


# -- search ----------------------------------------------------------------------------------------


def search_filter(body: dict) -> Any:
    """A predicate over ArchiveItems for the STAC search fields of a search body."""
    tests = []
    if body.get("ids"):
        ids = set(body["ids"])
        tests.append(lambda item: item.id in ids)
    if body.get("collections"):
        wanted = set(body["collections"])
        tests.append(lambda item: item.collection in wanted)
    if body.get("bbox"):
        in_box = stac.bbox_filter(body["bbox"])
        tests.append(lambda item: in_box(item.box))
    if body.get("intersects"):
        geometry = body["intersects"]
        stac.bbox_of_geometry(geometry)  # refuses a geometry without coordinates
        tests.append(lambda item: stac.intersects_box(geometry, item.box))
    if body.get("datetime"):
        when = stac.interval_filter(body["datetime"])
        tests.append(lambda item: when(item.acquired))
    if body.get("query"):
        tests.append(stac.query_filter(body["query"], _lookup))
    return lambda item: all(test(item) for test in tests)


def _lookup(name: str) -> Any:
    name = QUERY_ALIASES.get(name, stac.property_name(name))
    return lambda item: item.search_properties().get(name)


def sort_keys(sortby: list) -> list:
    """(property, descending) pairs of ``[{"field": f, "direction": d}]`` or ``[{f: d}]``."""
    keys = []
    for entry in sortby:
        pairs = [(entry["field"], entry.get("direction", "asc"))] if "field" in entry \
            else list(entry.items())
        for field, direction in pairs:
            if str(direction).lower() not in ("asc", "desc"):
                raise ApiError(400, f"sort direction must be asc or desc, not {direction!r}")
            name = QUERY_ALIASES.get(field, stac.property_name(field))
            keys.append((name, str(direction).lower() == "desc"))
    return keys


def _search(handler: Any, *, query: dict, body: bytes) -> Any:
    data = checked_body(body, "POST", "/v0/archives/search")
    offset, limit = body_paging(data, 10)
    offset, limit = paging(query, limit) if query.get("offset") or query.get("limit") \
        else (offset, limit)
    rows = [item for item in handler.server.archive.items if search_filter(data)(item)]
    if data.get("sortby"):
        rows = stac.sort_rows(rows, sort_keys(data["sortby"]),
                              lambda item, f: item.search_properties().get(f))
    return ok(_feature_collection(handler, rows, offset, limit, "/v0/archives/search"))


def _feature_collection(handler: Any, rows: list, offset: int, limit: int, path: str) -> dict:
    served = rows[offset:offset + min(limit, page_cap(handler.server.settings()))]
    url = f"{handler.server.url}{path}"
    links = [{"rel": "self", "href": f"{url}?offset={offset}&limit={limit}",
              "type": "application/geo+json"}]
    if offset + len(served) < len(rows):
        links.append({"rel": "next", "href": f"{url}?offset={offset + len(served)}&limit={limit}",
                      "type": "application/geo+json",
                      "title": f"Next page: {len(rows) - offset - len(served)} more items"})
    return {"type": "FeatureCollection", "features": [feature(handler, i) for i in served],
            "links": links}


def _collections(handler: Any, *, query: dict, **_: Any) -> Any:
    ids = csv_param(query, "ids") or list(COLLECTIONS)
    return ok({"collections": [collection(handler, cid) for cid in ids if cid in COLLECTIONS]})


def _collection(handler: Any, cid: str, **_: Any) -> Any:
    return ok(collection(handler, _known_collection(cid)))


def _collection_items(handler: Any, cid: str, *, query: dict, **_: Any) -> Any:
    offset, limit = paging(query)
    rows = [i for i in handler.server.archive.items if i.collection == _known_collection(cid)]
    return ok(_feature_collection(handler, rows, offset, limit,
                                  f"/v0/archives/collections/{cid}/items"))


def _item(handler: Any, cid: str, item_id: str, **_: Any) -> Any:
    item = handler.server.archive.item(item_id)
    if item is None or item.collection != _known_collection(cid):
        raise ApiError(404, f"item {item_id} not found in collection {cid}")
    return ok(feature(handler, item))


def _known_collection(cid: str) -> str:
    if cid not in COLLECTIONS:
        raise ApiError(404, f"collection {cid} not found", {"collections": list(COLLECTIONS)})
    return cid


ROUTES = (
    ("GET", re.compile(r"^/v0/archives/collections$"), "archive_collections", _collections),
    ("GET", re.compile(r"^/v0/archives/collections/([^/]+)$"), "archive_collection",
     _collection),
    ("GET", re.compile(r"^/v0/archives/collections/([^/]+)/items$"), "archive_collection_items",
     _collection_items),
    ("GET", re.compile(r"^/v0/archives/collections/([^/]+)/items/([^/]+)$"), "archive_item",
     _item),
    ("POST", re.compile(r"^/v0/archives/search$"), "archive_search", _search),
)
