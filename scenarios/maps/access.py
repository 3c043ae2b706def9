"""Travel cost on the grid: hours to cross each cell, and hours of travel
from the nearest district seat and from the Afghanistan-Pakistan border.

Speeds (this project's assumptions, order of magnitude, so that access can
be weighed; not measured):
- along the national highways (polylines through their towns, below):
  ROAD_SPEED_KMH, the average of a vehicle on a Pakistani national highway
  with towns and checkposts on the way;
- in urban cells: URBAN_SPEED_KMH;
- elsewhere: OFFROAD_SPEED_KMH on flat ground (tracks and minor roads),
  falling with terrain ruggedness as 1 / (1 + ruggedness / RUGGEDNESS_HALF_M),
  down to a floor of MIN_SPEED_KMH (a walker on mountain paths).
Hours to cross a cell = cell size / speed; a path's hours are summed over
8-connected steps (half of each cell's cost at either end, diagonals x sqrt 2).
"""
from __future__ import annotations

import math

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import dijkstra

from map_common import KM_PER_DEG, Grid, InputError, densify_line

ROAD_SPEED_KMH = 50.0
URBAN_SPEED_KMH = 25.0
OFFROAD_SPEED_KMH = 12.0
RUGGEDNESS_HALF_M = 200.0  # ruggedness (m, std. dev. of heights) that halves the off-road speed
MIN_SPEED_KMH = 2.0
ROAD_SAMPLE_KM = 0.5  # finer than a cell, so a road's cells are 8-connected

# National highways as polylines of the GeoNames places they pass through, in
# order (National Highway Authority route descriptions, as summarised in
# Wikipedia's 'N-5 National Highway', 'N-25', 'N-35 (Karakoram Highway)',
# 'N-40', 'N-45', 'N-50', 'N-55 (Indus Highway)', 'N-65', 'N-10 (Makran Coastal
# Highway)' and 'N-85'), plus the Afghan ring road and the Kabul-Torkham road
# (Wikipedia 'Highway 1 (Afghanistan)', 'Kabul-Jalalabad Road'). "@Torkham" is
# the crossing point of /map/crossings.
ROADS = {
    "N-5": ("@Torkham", "Landi Kotal", "Peshawar", "Nowshera Cantonment", "Attock City", "Rawalpindi", "Jhelum",
            "Gujrat", "Gujranwala", "Lahore", "Okara", "Sahiwal", "Multan", "Bahawalpur", "Rahim Yar Khan",
            "Sukkur", "Moro", "Hyderabad", "Karachi"),
    "N-25": ("Karachi", "Uthal", "Bela", "Khuzdar", "Surab", "Kalat", "Mastung", "Quetta", "Chaman"),
    "N-35 Karakoram Highway": ("Havelian", "Abbottabad", "Mansehra", "Battagram", "Dasu", "Chilas", "Gilgit",
                               "Aliabad"),
    "N-40": ("Quetta", "Nushki", "Dalbandin"),
    "N-45": ("Nowshera Cantonment", "Mardan", "Malakand", "Timargara", "Upper Dir", "Chitral"),
    "N-50": ("Quetta", "Qila Saifullah", "Zhob", "Dera Ismail Khan"),
    "N-55 Indus Highway": ("Peshawar", "Kohat", "Karak", "Bannu", "Lakki", "Dera Ismail Khan", "Dera Ghazi Khan",
                           "Rajanpur", "Kashmor", "Shikarpur", "Larkana", "Dadu", "Sehwan", "Kotri"),
    "N-65": ("Quetta", "Sibi", "Jacobabad", "Shikarpur", "Sukkur"),
    "N-10 Makran Coastal Highway": ("Karachi", "Ormara", "Pasni", "Gwadar"),
    "N-85": ("Surab", "Panjgur", "Turbat"),
    "AF Highway 1": ("Kabul", "Ghazni", "Kandahār", "Lashkar Gāh", "Farah", "Herāt"),
    "AF Kabul-Torkham": ("Kabul", "Jalālābād", "@Torkham"),
    "AF Kabul-Pul-e Khumri": ("Kabul", "Charikar", "Pul-e Khumrī"),
}


def road_points(places: list, crossings: list[dict]) -> dict[str, np.ndarray]:
    by_name = {}
    for p in places:
        by_name.setdefault(p.name, (p.lon, p.lat))  # the largest of namesakes
    for c in crossings:
        by_name["@" + c["name"].split(" (")[0]] = (c["lon"], c["lat"])
    out = {}
    for road, towns in ROADS.items():
        missing = [t for t in towns if t not in by_name]
        if missing:
            raise InputError(f"road {road}: no place named {', '.join(missing)}")
        out[road] = np.array([by_name[t] for t in towns], dtype=np.float64)
    return out


def build_road_layer(grid: Grid, roads: dict[str, np.ndarray]) -> np.ndarray:
    layer = np.zeros((grid.ny, grid.nx), dtype=np.int8)
    for line in roads.values():
        pts = densify_line(line, ROAD_SAMPLE_KM)
        ix, iy = grid.cell_of(pts[:, 0], pts[:, 1])
        ok = (ix >= 0) & (ix < grid.nx) & (iy >= 0) & (iy < grid.ny)
        layer[iy[ok], ix[ok]] = 1
    return layer


def cell_size_km(grid: Grid) -> np.ndarray:
    """[ny, 1] mean side of a cell, km (east-west side shrinks with latitude)."""
    dy = grid.d * KM_PER_DEG
    dx = grid.d * KM_PER_DEG * np.cos(np.radians(grid.lat_centres))
    return (0.5 * (dx + dy))[:, None]


def build_travel_cost(grid: Grid, ruggedness: np.ndarray, urban: np.ndarray, road: np.ndarray,
                      land: np.ndarray) -> np.ndarray:
    """Hours to cross each land cell; NaN at sea and outside PK/AF."""
    offroad = np.maximum(OFFROAD_SPEED_KMH / (1.0 + ruggedness.astype(np.float64) / RUGGEDNESS_HALF_M),
                         MIN_SPEED_KMH)
    speed = np.where(road == 1, ROAD_SPEED_KMH, np.where(urban == 1, URBAN_SPEED_KMH, offroad))
    hours = cell_size_km(grid) / speed
    return np.where(land, hours, np.nan).astype(np.float32)


def travel_hours_from(cost: np.ndarray, sources: np.ndarray) -> np.ndarray:
    """Least hours from any source cell to every cell (Dijkstra, 8 neighbours)."""
    ny, nx = cost.shape
    ok = np.isfinite(cost)
    index = -np.ones(cost.shape, dtype=np.int64)
    index[ok] = np.arange(ok.sum())
    rows, cols, weights = [], [], []
    for dy, dx in ((0, 1), (1, 0), (1, 1), (1, -1)):  # each undirected neighbour pair once
        here = (slice(0, ny - dy), slice(max(0, -dx), nx - max(0, dx)))
        there = (slice(dy, ny), slice(max(0, dx), nx - max(0, -dx)))
        a, b = index[here], index[there]
        both = (a >= 0) & (b >= 0)
        w = 0.5 * (cost[here][both] + cost[there][both]) * (math.sqrt(2.0) if dy and dx else 1.0)
        rows += [a[both], b[both]]
        cols += [b[both], a[both]]
        weights += [w, w]
    n = int(ok.sum())
    graph = coo_matrix((np.concatenate(weights).astype(np.float64), (np.concatenate(rows), np.concatenate(cols))),
                       shape=(n, n)).tocsr()
    src = index[sources & ok]
    if len(src) == 0:
        raise InputError("travel time: no source cells")
    dist = dijkstra(graph, directed=True, indices=src, min_only=True)
    out = np.full(cost.shape, np.nan)
    # Cells no path reaches (small islands) stay NaN, like cells outside.
    out[ok] = np.where(np.isfinite(dist), dist, np.nan)
    return out.astype(np.float32)


ACCESS_METHOD = (
    f"Speeds: national highways {ROAD_SPEED_KMH:g} km/h, urban cells {URBAN_SPEED_KMH:g} km/h, elsewhere "
    f"{OFFROAD_SPEED_KMH:g} km/h / (1 + ruggedness / {RUGGEDNESS_HALF_M:g} m), at least {MIN_SPEED_KMH:g} km/h "
    "(assumptions, order of magnitude). Cost = cell size / speed; paths over 8 neighbours, half of each cell's "
    "cost at either end, diagonals x sqrt 2. Roads: polylines through the GeoNames towns of the N-5, N-10, N-25, "
    "N-35 (Karakoram Highway), N-40, N-45, N-50, N-55 (Indus Highway), N-65 and N-85, the Afghan Highway 1 and "
    "the Kabul-Torkham and Kabul-Pul-e Khumri roads (see access.py)."
)
