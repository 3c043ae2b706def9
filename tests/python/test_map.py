"""Known facts about the committed map asset scenarios/maps/afpak_0p05.h5, and
the builder's determinism and input checks.

Run: /usr/bin/python3 -m pytest tests/python/test_map.py -q
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import h5py
import numpy as np
import pytest
from scipy import ndimage

REPO = Path(__file__).resolve().parents[2]
ASSET = REPO / "scenarios" / "maps" / "afpak_0p05.h5"
BUILDER = REPO / "scenarios" / "maps" / "build_map.py"
DATA = REPO / "scenarios" / "maps" / "data"
PYTHON = "/usr/bin/python3" if Path("/usr/bin/python3").exists() else sys.executable

SEA, PK, AF, OTHER_LAND = 0, 1, 2, 3

# Town coordinates (lon, lat), from GeoNames (pk_af_cities_geonames.csv).
TOWNS = {
    "Peshawar": (71.57849, 34.00800),
    "Bannu": (70.60403, 32.98527),
    "Mingora": (72.36265, 34.77950),  # main town of Swat
    "Miranshah": (70.07117, 33.00059),  # North Waziristan
    "Wana": (69.57250, 32.29889),  # South Waziristan
    "Karachi": (67.01040, 24.86080),
    "Quetta": (67.00141, 30.18414),
    "Lahore": (74.35071, 31.55800),
    "Kabul": (69.17233, 34.52813),
    "Jalalabad": (70.45153, 34.42647),
    "Khost": (69.92000, 33.33951),
}

# Official areas, km2: Pakistan Bureau of Statistics, "Area, population,
# density and urban/rural proportion" (pre-2018 units; FATA separate).
PBS_AREA_KM2 = {
    "PK.PB": 205_344,  # Punjab
    "PK.SD": 140_914,  # Sindh
    "PK.NW": 74_521,  # Khyber Pakhtunkhwa (without FATA)
    "PK.BA": 347_190,  # Balochistan
    "PK.TA": 27_220,  # FATA
    "PK.IS": 906,  # Islamabad Capital Territory
}
# Not tested: Azad Kashmir (official 13,297) and Gilgit-Baltistan (72,971). The
# Natural Earth polygons follow the de facto Line of Control and leave Siachen
# out, and come out about 12 % and 11 % smaller than the official figures.
AREA_TOLERANCE = 0.05

# Afghanistan: 652,864 km2 (Afghanistan CSO). The map's extent stops at 38 N
# and cuts off the northern tip of Badakhshan and Takhar, so allow 5 %.
AF_AREA_KM2 = 652_864

# Pakistan 2017 census (PBS), provinces the census covers (FATA and ICT
# included, AJK and GB not): 207,774,520 persons.
CENSUS_2017_TOTAL = 207_774_520
CENSUS_HASC = ("PK.PB", "PK.SD", "PK.NW", "PK.BA", "PK.TA", "PK.IS")

# Ends of the Durand Line in Natural Earth 10m (first and last vertex of the
# first feature of borders_pk_af_10m.geojson): the Afghanistan-Pakistan-Iran
# tripoint and the Afghanistan-China-Pakistan tripoint at the end of the Wakhan.
IRAN_TRIPOINT = (60.84601, 29.85798)
WAKHAN_TRIPOINT = (74.54415, 37.02093)


def text(v) -> str:
    return v.decode("utf-8") if isinstance(v, bytes) else str(v)


def read_table(group) -> dict:
    cols = text(group.attrs["columns"]).split(",")
    return {c: ([text(x) for x in group[c][()]] if group[c].dtype.kind == "S" else group[c][()]) for c in cols}


@pytest.fixture(scope="module")
def asset():
    with h5py.File(ASSET, "r") as f:
        m = f["map"]
        out = {
            "root": {k: f.attrs[k] for k in f.attrs},
            "geo": {k: m.attrs[k] for k in m.attrs},
            "layers": {k: m[k][()] for k in m if isinstance(m[k], h5py.Dataset)},
            "layer_attrs": {k: {a: text(v) for a, v in m[k].attrs.items()} for k in m if isinstance(m[k], h5py.Dataset)},
            "provinces": read_table(m["provinces"]),
            "places": read_table(m["places"]),
            "crossings": read_table(m["crossings"]),
        }
    return out


def cell(asset, lon: float, lat: float) -> tuple[int, int]:
    g = asset["geo"]
    return int((lat - g["lat0"]) // g["dlat"]), int((lon - g["lon0"]) // g["dlon"])


def province_id(asset, hasc: str) -> int:
    return int(asset["provinces"]["id"][asset["provinces"]["hasc"].index(hasc)])


def cell_area_km2(asset) -> np.ndarray:
    g = asset["geo"]
    r = 6371.0072
    south = np.radians(g["lat0"] + np.arange(g["ny"]) * g["dlat"])
    return (r * r * np.radians(g["dlon"]) * (np.sin(south + np.radians(g["dlat"])) - np.sin(south)))[:, None]


# ---------------------------------------------------------------------------
# Layout
# ---------------------------------------------------------------------------
def test_layout_and_georeference(asset):
    assert text(asset["root"]["format"]) == "borderland-map"
    assert int(asset["root"]["format_version"]) == 1
    g = asset["geo"]
    assert (g["lon0"], g["lat0"], g["dlon"], g["dlat"]) == (60.0, 23.0, 0.05, 0.05)
    assert (g["nx"], g["ny"]) == (360, 300) and text(g["registration"]) == "corner"
    expected = {"country": np.int8, "province": np.int16, "elevation": np.float32, "ruggedness": np.float32,
                "population": np.float32, "urban": np.int8, "nearest_place": np.int32,
                "border_distance": np.float32, "border": np.int8}
    for name, dtype in expected.items():
        layer = asset["layers"][name]
        assert layer.shape == (300, 360) and layer.dtype == dtype, name
        assert asset["layer_attrs"][name]["units"] and asset["layer_attrs"][name]["description"], name
    for proxy in ("population", "ruggedness", "elevation"):
        assert asset["layer_attrs"][proxy]["method"], proxy
    assert "ETOPO5" in asset["layer_attrs"]["ruggedness"]["method"]
    assert "quantised" in asset["layer_attrs"]["ruggedness"]["method"]


def test_fata_is_its_own_unit_merged_into_kp(asset):
    p = asset["provinces"]
    fata, kp = province_id(asset, "PK.TA"), province_id(asset, "PK.NW")
    assert p["merged_into"][fata] == kp and p["merged_date"][fata] == "2018-05-31"
    others = [i for i in p["id"] if i != fata]
    assert all(p["merged_into"][i] == -1 and p["merged_date"][i] == "" for i in others)


# ---------------------------------------------------------------------------
# Known places
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("town,hasc", [
    ("Peshawar", "PK.NW"), ("Bannu", "PK.NW"), ("Mingora", "PK.NW"),
    ("Miranshah", "PK.TA"), ("Wana", "PK.TA"),
    ("Karachi", "PK.SD"), ("Quetta", "PK.BA"), ("Lahore", "PK.PB"),
])
def test_pakistani_towns_in_their_province(asset, town, hasc):
    iy, ix = cell(asset, *TOWNS[town])
    assert asset["layers"]["country"][iy, ix] == PK
    assert asset["layers"]["province"][iy, ix] == province_id(asset, hasc)


@pytest.mark.parametrize("town", ["Kabul", "Jalalabad", "Khost"])
def test_afghan_towns_in_afghanistan(asset, town):
    iy, ix = cell(asset, *TOWNS[town])
    assert asset["layers"]["country"][iy, ix] == AF
    assert asset["layers"]["border_distance"][iy, ix] < 0


def test_places_table_puts_waziristan_in_fata(asset):
    """GeoNames files ex-FATA towns under KP; the map assigns them by position."""
    p = asset["places"]
    fata = province_id(asset, "PK.TA")
    for name in ("Miran Shah", "Wana"):
        assert p["province"][p["name"].index(name)] == fata
    peshawar = p["name"].index("Peshawar")
    iy, ix = cell(asset, p["lon"][peshawar], p["lat"][peshawar])
    assert asset["layers"]["nearest_place"][iy, ix] == peshawar
    assert (p["ix"][peshawar], p["iy"][peshawar]) == (ix, iy)


# ---------------------------------------------------------------------------
# Border
# ---------------------------------------------------------------------------
def test_border_is_one_8_connected_line_from_wakhan_to_iran(asset):
    border = asset["layers"]["border"]
    labels, n = ndimage.label(border, structure=np.ones((3, 3)))
    assert n == 1
    for end in (WAKHAN_TRIPOINT, IRAN_TRIPOINT):
        assert border[cell(asset, *end)] == 1
    # A line, not a band: about one or two cells per cell of length.
    assert border.sum() < 2.5 * (border.any(axis=0).sum() + border.any(axis=1).sum())


def test_border_distance_sign_and_scale(asset):
    country, dist = asset["layers"]["country"], asset["layers"]["border_distance"]
    assert np.all(dist[country == PK] >= 0) and np.all(dist[country == AF] <= 0)
    assert np.all(np.isnan(dist[(country == SEA) | (country == OTHER_LAND)]))
    # Peshawar is about 45 km from Torkham; allow the coarse line.
    assert 30 < dist[cell(asset, *TOWNS["Peshawar"])] < 60


def test_crossings(asset):
    c = asset["crossings"]
    for name in ("Torkham", "Chaman", "Ghulam Khan", "Angoor Adda", "Kharlachi"):
        assert any(n.startswith(name) for n in c["name"]), name
    assert all(s.strip() for s in c["source"])
    border = asset["layers"]["border"]
    torkham = [i for i, n in enumerate(c["name"]) if n == "Torkham"][0]
    iy, ix = c["iy"][torkham], c["ix"][torkham]
    assert border[iy - 1:iy + 2, ix - 1:ix + 2].any(), "Torkham is more than one cell from the border"
    for iy, ix in zip(c["iy"], c["ix"]):
        assert border[iy - 2:iy + 3, ix - 2:ix + 3].any()


# ---------------------------------------------------------------------------
# Areas and population
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("hasc", sorted(PBS_AREA_KM2))
def test_province_area_within_5_percent(asset, hasc):
    pid = province_id(asset, hasc)
    table_area = asset["provinces"]["area_km2"][pid]
    cells_area = float((np.broadcast_to(cell_area_km2(asset), (300, 360)) * (asset["layers"]["province"] == pid)).sum())
    assert abs(table_area - cells_area) < 1e-6 * cells_area
    assert abs(table_area / PBS_AREA_KM2[hasc] - 1) <= AREA_TOLERANCE


def test_afghanistan_area(asset):
    area = np.broadcast_to(cell_area_km2(asset), (300, 360))[asset["layers"]["country"] == AF].sum()
    assert abs(area / AF_AREA_KM2 - 1) <= AREA_TOLERANCE


def test_population_matches_census(asset):
    pop, prov = asset["layers"]["population"].astype(np.float64), asset["layers"]["province"]
    ids = [province_id(asset, h) for h in CENSUS_HASC]
    total = pop[np.isin(prov, ids)].sum()
    assert abs(total / CENSUS_2017_TOTAL - 1) < 0.01
    assert np.all(pop >= 0) and np.all(pop[asset["layers"]["country"] == SEA] == 0)


def test_population_is_plausible(asset):
    pop = asset["layers"]["population"].astype(np.float64)
    density = pop / cell_area_km2(asset)
    assert density[cell(asset, *TOWNS["Karachi"])] > 5000
    assert density[cell(asset, *TOWNS["Lahore"])] > 5000
    urban = asset["layers"]["urban"]
    for town in ("Karachi", "Lahore", "Peshawar", "Kabul", "Quetta"):
        assert urban[cell(asset, *TOWNS[town])] == 1, town


# ---------------------------------------------------------------------------
# The builder
# ---------------------------------------------------------------------------
def run_builder(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, str(BUILDER), "-q", *args], capture_output=True, text=True, timeout=120)


def test_building_twice_gives_identical_files(tmp_path):
    a, b = tmp_path / "a.h5", tmp_path / "b.h5"
    for out in (a, b):
        r = run_builder("--resolution", "0.1", "-o", str(out))
        assert r.returncode == 0, r.stderr
    assert a.read_bytes() == b.read_bytes()
    with h5py.File(a, "r") as f:
        assert (f["map"].attrs["nx"], f["map"].attrs["ny"]) == (180, 150)


def test_default_build_reproduces_the_committed_asset(tmp_path):
    """The inputs in scenarios/maps/data (the default --data) rebuild the committed file exactly."""
    out = tmp_path / "afpak.h5"
    r = subprocess.run([PYTHON, str(BUILDER), "-q", "-o", str(out)], capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == ASSET.read_bytes()


# SHA-256 (first 16 hex digits) of the bytes, dtype and shape of every layer and
# table column the map had before issue 13 (main ffe577a). The TTP model reads
# these; new layers and tables are added beside them, so these must never move
# (a change here changes every TTP run).
FROZEN_DIGESTS = {
    "border": "bc70b8c9788e52be", "border_distance": "2796206d5d43bdc0", "country": "3566f50a26c2d404",
    "elevation": "937af21595369593", "nearest_place": "e2dbcb20e0252fed", "population": "4efede84f337f7e0",
    "province": "a7a2b28ec610c2be", "ruggedness": "8fa669f1893edd8b", "urban": "c28bcb0aa5a8deb6",
    "crossings/id": "645d94add4b4513a", "crossings/ix": "8f83bb7b1de40e7b", "crossings/iy": "e5cb13f0114c0c6b",
    "crossings/lat": "4e8da9e558a3904f", "crossings/lon": "2b61bb36291c1cba",
    "crossings/name": "23d4f6dbc9b1c2bf", "crossings/source": "e1ffdb5f7dc61c5d",
    "places/country": "0814b329e7c707cf", "places/geonameid": "3dd0df5be9d68b4d", "places/id": "26903b15b4170898",
    "places/ix": "8406686110d5d579", "places/iy": "6f6078e21d7547f7", "places/lat": "ebaa73f96a5864ef",
    "places/lon": "7ea589c54c86f1f2", "places/name": "a81b13e164b10611",
    "places/population": "8f1f13c4108346f9", "places/province": "059c4c6f5f944019",
    "provinces/area_km2": "b7ff30e5410597d1", "provinces/country": "6712c34d4826a2c1",
    "provinces/hasc": "8879f4835c78c92a", "provinces/id": "f65528ac635bd6d5",
    "provinces/merged_date": "0fdd90c959fca4f5", "provinces/merged_into": "d91f2b4d980777f0",
    "provinces/name": "54237233c6cdb51b",
}


def test_layers_and_tables_of_before_issue_13_are_unchanged():
    import hashlib
    with h5py.File(ASSET, "r") as f:
        for path, digest in FROZEN_DIGESTS.items():
            a = f["map"][path][()]
            got = hashlib.sha256(a.tobytes() + str(a.dtype).encode() + str(a.shape).encode()).hexdigest()[:16]
            assert got == digest, path


@pytest.mark.parametrize("res", ["0.2", "0.005", "0"])
def test_builder_rejects_resolution_out_of_range(tmp_path, res):
    r = run_builder("--resolution", res, "-o", str(tmp_path / "x.h5"))
    assert r.returncode == 2
    assert "resolution" in r.stderr and "[0.01, 0.1]" in r.stderr
    assert not (tmp_path / "x.h5").exists()


def test_builder_names_a_missing_data_file(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for f in DATA.iterdir():
        if f.name != "pk_census2017_districts_rural_urban.csv":
            os.symlink(f, data / f.name)
    r = run_builder("--data", str(data), "-o", str(tmp_path / "x.h5"))
    assert r.returncode == 2
    assert "pk_census2017_districts_rural_urban.csv" in r.stderr and "missing" in r.stderr
    assert not (tmp_path / "x.h5").exists()
