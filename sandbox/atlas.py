"""Indices and visualizations: ``GET /v0/indices``, ``GET /v0/aois/{id}/visualizations`` and
``POST /v0/aois/{id}/visualizations/{visualization_id}/sld``.

Indices: six presets per satellite (band names resolved to that satellite's bands nearest the
wavelengths the formula needs) plus two custom workspace indices. Visualizations are what the
spec models on AOI assets: an asset of ``asset_type`` "visualization" is the output of the
visualization named by its ``visualization_id``, for the asset's date; its index is one of the
AOI satellite's index-type presets (NDVI most often), fixed by the id.

SLD (spec: "SLD grouped by mode and date", ``{"sld": {mode: {date: xml}}}``): an SLD 1.0.0
StyledLayerDescriptor with one RasterSymbolizer whose ColorMap ramps the index's colour map over
seven entries: "theoretical" over the index's full range (``rescale``), "dynamic" over the value
range of that date's data (deterministic per visualization and date; the sandbox does not
compute the index from the raster). Dates are those of the visualization's assets, accepted as
``2024-05-06`` or ``2024_05_06`` (the PNG endpoint's example) and echoed as given.
"""

from __future__ import annotations

import random
import re
import uuid
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree

from .answers import ApiError, checked_body, csv_param, iso_z, ok, page, pagination, paging
from .catalog import EPOCH, ORG_ID, Catalog
from .satellites import SATELLITES

# (name, expression over {role} band placeholders, role -> nm, expression type, colour map,
# rescale, description)
PRESETS = (
    ("NDVI", "({nir} - {red}) / ({nir} + {red})", {"nir": 860, "red": 650}, "index", "RdYlGn",
     [-1, 1], "Normalised difference vegetation index"),
    ("NDRE", "({nir} - {rededge}) / ({nir} + {rededge})", {"nir": 860, "rededge": 715}, "index",
     "RdYlGn", [-1, 1], "Normalised difference red-edge index: chlorophyll in dense canopies"),
    ("NDWI", "({green} - {nir}) / ({green} + {nir})", {"green": 560, "nir": 860}, "index",
     "RdBu", [-1, 1], "Normalised difference water index (McFeeters)"),
    ("SAVI", "1.5 * ({nir} - {red}) / ({nir} + {red} + 0.5)", {"nir": 860, "red": 650}, "index",
     "RdYlGn", [-1, 1], "Soil-adjusted vegetation index (L = 0.5)"),
    ("True colour", "{red},{green},{blue}", {"red": 650, "green": 560, "blue": 480}, "composite",
     "", [0, 12000], "Red, green and blue reflectance"),
    ("NIR", "{nir}", {"nir": 860}, "grayscale", "gray", [0, 25000], "Near-infrared reflectance"),
)
CUSTOM = (
    ("CIre (custom)", "({nir} / {rededge}) - 1", {"nir": 860, "rededge": 715}, "index", "YlGn",
     [0, 10], "Chlorophyll index red-edge, tuned for the tea estates"),
    ("Turbidity (custom)", "{red} / {green}", {"red": 650, "green": 560}, "index", "YlOrBr",
     [0, 3], "Red/green ratio for suspended sediment"),
)
RAMPS = {  # seven colours, low to high (ColorBrewer)
    "RdYlGn": ("#d73027", "#fc8d59", "#fee08b", "#ffffbf", "#d9ef8b", "#91cf60", "#1a9850"),
    "RdBu": ("#b2182b", "#ef8a62", "#fddbc7", "#f7f7f7", "#d1e5f0", "#67a9cf", "#2166ac"),
    "YlGn": ("#ffffcc", "#d9f0a3", "#addd8e", "#78c679", "#41ab5d", "#238443", "#005a32"),
    "YlOrBr": ("#ffffd4", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"),
    "gray": ("#000000", "#2a2a2a", "#555555", "#808080", "#aaaaaa", "#d5d5d5", "#ffffff"),
}
LABELS = ("Very low", "Low", "Moderately low", "Moderate", "Moderately high", "High",
          "Very high")
VISUALIZATION_STATUS = {"success": "success", "failed": "failed", "started": "creating",
                        "creating": "creating"}
SLD = "http://www.opengis.net/sld"
OGC = "http://www.opengis.net/ogc"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


class Atlas:
    """The indices (fixed) and each AOI's visualizations (from its assets)."""

    def __init__(self, catalog: Catalog) -> None:
        self.catalog = catalog
        created = iso_z(EPOCH - timedelta(days=800))
        self.indices = [_index(sat, entry, "preset", created) for sat in SATELLITES
                        for entry in PRESETS]
        self.indices += [_index(sat, entry, "custom", iso_z(EPOCH - timedelta(days=120)))
                         for entry in CUSTOM for sat in SATELLITES[1:2]]  # TD2, the first AOI's

    def visualized(self, status: str = "success") -> tuple:
        """(AOI, visualization asset) of the first AOI with a visualization of that status."""
        for aoi in self.catalog.iter_aois():
            for asset in self.catalog.assets(aoi["aoi_id"]):
                if asset["asset_type"] == "visualization" and asset["status"] == status:
                    return aoi, asset
        raise LookupError(f"no {status} visualization in the catalog")

    def index(self, index_id: str) -> dict:
        return next(i for i in self.indices if i["id"] == index_id)

    def visualizations(self, aoi: dict) -> list:
        """(record, dates) of each visualization of an AOI."""
        choices = [i for i in self.indices if i["satellite_id"] == aoi["satellite_id"]
                   and i["type"] == "preset" and i["expression_type"] == "index"]
        weighted = [choices[0], choices[0], *choices]  # NDVI most often
        out = []
        for asset in self.catalog.assets(aoi["aoi_id"]):
            if asset["asset_type"] != "visualization":
                continue
            vid = asset["visualization_id"]
            index = weighted[uuid.UUID(vid).int % len(weighted)]
            out.append(({"id": vid, "aoi_id": aoi["aoi_id"], "index_id": index["id"],
                         "status": VISUALIZATION_STATUS[asset["status"]],
                         "progress": asset["progress"], "tenant_id": ORG_ID,
                         "user_id": aoi["user_id"], "created_at": asset["created_at"],
                         "updated_at": asset["updated_at"]}, [asset["date"]]))
        return out


def _index(satellite: dict, entry: tuple, kind: str, created: str) -> dict:
    name, expression, roles, expression_type, colormap, rescale, description = entry
    bands = {role: min(satellite["bands"], key=lambda b, nm=nm: abs(b["wavelength"] - nm))["name"]
             for role, nm in roles.items()}
    return {"id": str(uuid.uuid5(uuid.UUID(ORG_ID), f"index/{satellite['id']}/{name}")),
            "name": name, "description": description, "type": kind,
            "expression": expression.format(**bands), "expression_type": expression_type,
            "bands": list(dict.fromkeys(bands.values())), "colormap": colormap,
            "rescale": list(rescale), "satellite_id": satellite["id"], "created_at": created,
            "updated_at": created}


def sld(visualization: dict, index: dict, mode: str, date: str, seed: int) -> str:
    """An SLD 1.0.0 document colouring the index for one date in one legend mode."""
    low, high = index["rescale"]
    if mode == "dynamic":
        rng = random.Random(f"{seed}/sld/{visualization['id']}/{date}")
        span = high - low
        low, high = low + span * rng.uniform(0.3, 0.5), low + span * rng.uniform(0.78, 0.95)
    colours = RAMPS.get(index["colormap"]) or RAMPS["RdYlGn"]
    ElementTree.register_namespace("", SLD)
    ElementTree.register_namespace("ogc", OGC)
    ElementTree.register_namespace("xsi", XSI)
    root = ElementTree.Element(f"{{{SLD}}}StyledLayerDescriptor", {
        "version": "1.0.0", f"{{{XSI}}}schemaLocation":
        f"{SLD} http://schemas.opengis.net/sld/1.0.0/StyledLayerDescriptor.xsd"})
    layer = ElementTree.SubElement(root, f"{{{SLD}}}NamedLayer")
    ElementTree.SubElement(layer, f"{{{SLD}}}Name").text = visualization["id"]
    style = ElementTree.SubElement(layer, f"{{{SLD}}}UserStyle")
    ElementTree.SubElement(style, f"{{{SLD}}}Name").text = f"{index['name']} {mode} {date}"
    ElementTree.SubElement(style, f"{{{SLD}}}Title").text = \
        f"{index['name']} ({mode} legend), {date}"
    rule = ElementTree.SubElement(ElementTree.SubElement(style, f"{{{SLD}}}FeatureTypeStyle"),
                                  f"{{{SLD}}}Rule")
    symbolizer = ElementTree.SubElement(rule, f"{{{SLD}}}RasterSymbolizer")
    ElementTree.SubElement(symbolizer, f"{{{SLD}}}Opacity").text = "1.0"
    colour_map = ElementTree.SubElement(symbolizer, f"{{{SLD}}}ColorMap")
    for n, (colour, label) in enumerate(zip(colours, LABELS)):
        quantity = low + (high - low) * n / (len(colours) - 1)
        ElementTree.SubElement(colour_map, f"{{{SLD}}}ColorMapEntry", {
            "color": colour, "quantity": f"{quantity:.4f}", "label": label, "opacity": "1.0"})
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, "unicode")


# -- endpoints -------------------------------------------------------------------------------------


def _indices(handler: Any, *, query: dict, **_: Any) -> Any:
    offset, limit = paging(query)
    rows = handler.server.atlas.indices
    for name, key in (("satellite_id", "satellite_id"), ("type", "type"),
                      ("expression_type", "expression_type"), ("index_id", "id")):
        wanted = set(csv_param(query, name))
        if wanted:
            rows = [row for row in rows if row[key] in wanted]
    return ok({"indices": page(rows, offset, limit, handler.server.settings()),
               "pagination": pagination(offset, limit, len(rows))})


def _visualizations(handler: Any, aoi_id: str, *, query: dict, **_: Any) -> Any:
    atlas = handler.server.atlas
    offset, limit = paging(query)
    rows = [record for record, _ in atlas.visualizations(handler.find_aoi(aoi_id))]
    for name, read in (("user_id", lambda r: r["user_id"]), ("index_id", lambda r: r["index_id"]),
                       ("visualization_id", lambda r: r["id"]),
                       ("type", lambda r: atlas.index(r["index_id"])["type"]),
                       ("expression_type",
                        lambda r: atlas.index(r["index_id"])["expression_type"])):
        wanted = set(csv_param(query, name))
        if wanted:
            rows = [row for row in rows if read(row) in wanted]
    return ok({"visualization": [handler.present(r) for r in
                                 page(rows, offset, limit, handler.server.settings())],
               "pagination": pagination(offset, limit, len(rows))})


def _sld(handler: Any, aoi_id: str, visualization_id: str, *, body: bytes, **_: Any) -> Any:
    atlas = handler.server.atlas
    found = [(r, d) for r, d in atlas.visualizations(handler.find_aoi(aoi_id))
             if r["id"] == visualization_id]
    if not found:
        raise ApiError(404, f"visualization {visualization_id} not found for AOI {aoi_id}")
    data = checked_body(body, "POST",
                        "/v0/aois/{aoi_id}/visualizations/{visualization_id}/sld")
    record, dates = found[0]
    if record["status"] != "success":
        raise ApiError(400, f"visualization is not ready (status {record['status']})")
    unknown = [d for d in data["dates"] if d.replace("_", "-") not in dates]
    if unknown:
        raise ApiError(400, "no visualization data for these dates",
                       {"unknown_dates": unknown, "available_dates": dates})
    index = atlas.index(record["index_id"])
    seed = handler.server.catalog.seed
    return ok({"sld": {mode: {date: sld(record, index, mode, date.replace("_", "-"), seed)
                              for date in data["dates"]}
                       for mode in data["visualization_modes"]}})


ROUTES = (
    ("GET", re.compile(r"^/v0/indices$"), "indices", _indices),
    ("GET", re.compile(r"^/v0/aois/([^/]+)/visualizations$"), "visualizations", _visualizations),
    ("POST", re.compile(r"^/v0/aois/([^/]+)/visualizations/([^/]+)/sld$"), "visualization_sld",
     _sld),
)
