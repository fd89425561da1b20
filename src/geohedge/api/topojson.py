"""Decode the vendored world map (TopoJSON) into SVG paths keyed by ISO3.

The geometry is ``countries-110m.json`` of the npm package ``world-atlas@2.0.2`` (Natural
Earth 1:110m admin-0 countries, public domain; package ISC licence), vendored under
``static/``. TopoJSON stores shared borders once as delta-encoded, quantised arcs; a
polygon ring lists arc indices, a negative index ``~k`` meaning arc ``k`` reversed
(TopoJSON specification 2.0, sections 2.1.4-2.2). Feature ids are ISO 3166-1 numeric
codes, resolved to ISO3 with :func:`geohedge.countries.resolve`; the few features without
an id (Kosovo, Northern Cyprus, Somaliland) are kept under their name only. Four regions
of the ICIO table are too small for the 1:110m map (Singapore, Hong Kong, Malta, São Tomé
and Príncipe) and are added as dots at their capitals.

The projection is equirectangular, clipped to latitudes -60..85 (no Antarctica), in a
``960 x 500`` box: plain enough that the browser only draws the paths it is given.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

__all__ = ["HEIGHT", "WIDTH", "MapShape", "WorldMap", "world_map"]

WIDTH, HEIGHT = 960.0, 500.0
_LAT_TOP, _LAT_BOTTOM = 85.0, -60.0


@dataclass(frozen=True)
class MapShape:
    """One country on the map: ISO3 (``None`` when the feature has no ISO code), name, SVG path."""

    iso3: str | None
    name: str
    numeric: str | None
    d: str


@dataclass(frozen=True)
class WorldMap:
    """The decoded map: its box and one :class:`MapShape` per feature."""

    width: float
    height: float
    source: str
    shapes: tuple[MapShape, ...]


def _arcs(topology: dict) -> list[list[tuple[float, float]]]:
    """Absolute (longitude, latitude) coordinates of every arc (undo quantisation and deltas)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    out = []
    for arc in topology["arcs"]:
        x = y = 0
        pts = []
        for dx, dy in arc:
            x += dx
            y += dy
            pts.append((x * sx + tx, y * sy + ty))
        out.append(pts)
    return out


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    pts: list[tuple[float, float]] = []
    for k in indices:
        arc = arcs[k] if k >= 0 else arcs[~k][::-1]
        # consecutive arcs share their joining point; keep it once
        pts.extend(arc if not pts else arc[1:])
    return pts


def _project(lon: float, lat: float) -> tuple[float, float]:
    lat = min(max(lat, _LAT_BOTTOM), _LAT_TOP)
    x = (lon + 180.0) / 360.0 * WIDTH
    y = (_LAT_TOP - lat) / (_LAT_TOP - _LAT_BOTTOM) * HEIGHT
    return x, y


def _unwrap(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Make longitudes continuous across the antimeridian (a step over 180 degrees wraps)."""
    out = [ring[0]]
    for lon, lat in ring[1:]:
        prev = out[-1][0]
        while lon - prev > 180.0:
            lon -= 360.0
        while lon - prev < -180.0:
            lon += 360.0
        out.append((lon, lat))
    return out


def _path(polygons: list[list[list[int]]], arcs) -> str:
    parts = []
    for polygon in polygons:
        for ring in polygon:
            lonlat = _unwrap(_ring(ring, arcs))
            if len(lonlat) < 3 or all(lat <= _LAT_BOTTOM for _, lat in lonlat):
                continue  # Antarctica and other rings wholly below the clip line
            lons = [lon for lon, _ in lonlat]
            # a ring unwrapped past +-180 is drawn again shifted by 360 degrees; the SVG box clips both copies
            shifts = [0.0] + ([-360.0] if max(lons) > 180.0 else []) + ([360.0] if min(lons) < -180.0 else [])
            for shift in shifts:
                pts = [_project(lon + shift, lat) for lon, lat in lonlat]
                parts.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in pts) + "Z")
    return "".join(parts)


@lru_cache(maxsize=1)
def world_map() -> WorldMap:
    """The world map, decoded once per process."""
    from geohedge import countries
    from geohedge.errors import InputError

    text = resources.files("geohedge.api").joinpath("static", "countries-110m.json").read_text(encoding="utf-8")
    topology = json.loads(text)
    arcs = _arcs(topology)
    shapes = []
    for g in topology["objects"]["countries"]["geometries"]:
        if g.get("type") == "Polygon":
            polygons = [g["arcs"]]
        elif g.get("type") == "MultiPolygon":
            polygons = g["arcs"]
        else:
            continue
        d = _path(polygons, arcs)
        if not d:
            continue
        numeric = g.get("id")
        try:
            iso3 = countries.resolve(int(numeric)) if numeric is not None else None
        except (InputError, ValueError):
            iso3 = None
        shapes.append(MapShape(iso3, g.get("properties", {}).get("name", ""), numeric, d))
    drawn = {sh.iso3 for sh in shapes}
    for iso3, (name, numeric, lon, lat) in _SMALL.items():
        if iso3 not in drawn:
            x, y = _project(lon, lat)
            r = 2.6
            shapes.append(MapShape(iso3, name, numeric, f"M{x - r:.1f},{y:.1f}a{r},{r} 0 1,0 {2 * r},0a{r},{r} 0 1,0 {-2 * r},0Z"))
    return WorldMap(WIDTH, HEIGHT, "Natural Earth 1:110m via world-atlas@2.0.2 (countries-110m.json); small ICIO regions as dots", tuple(shapes))


#: Regions of the ICIO table too small for the 1:110m map, drawn as dots at their capitals
#: (longitude, latitude in degrees, from GeoNames: Singapore, Victoria Harbour, Valletta, São Tomé).
_SMALL: dict[str, tuple[str, str, float, float]] = {
    "SGP": ("Singapore", "702", 103.85, 1.29),
    "HKG": ("Hong Kong", "344", 114.17, 22.28),
    "MLT": ("Malta", "470", 14.51, 35.90),
    "STP": ("São Tomé and Príncipe", "678", 6.73, 0.34),
}
