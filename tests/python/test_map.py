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
    # Every dataset and attribute equal (values, not file bytes: the byte
    # layout may vary with the HDF5 library's version; the values may not).
    with h5py.File(out, "r") as fresh, h5py.File(ASSET, "r") as committed:
        names = []
        committed.visit(names.append)
        fresh_names = []
        fresh.visit(fresh_names.append)
        assert sorted(names) == sorted(fresh_names)
        for name in [""] + names:
            a, b = committed[name] if name else committed, fresh[name] if name else fresh
            assert sorted(a.attrs) == sorted(b.attrs), name
            for key in a.attrs:
                assert np.array_equal(a.attrs[key], b.attrs[key]), (name, key)
            if isinstance(a, h5py.Dataset):
                x, y = a[()], b[()]
                assert x.dtype == y.dtype and x.shape == y.shape, name
                assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f"), name


# SHA-256 (first 16 hex digits) of the bytes, dtype and shape of every layer and
# table column the map had before the district layers (main ffe577a). The TTP model reads
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


@pytest.mark.parametrize("missing", ["pk_census2017_districts_rural_urban.csv", "pk_census2017_tehsils.csv"])
def test_builder_names_a_missing_data_file(tmp_path, missing):
    data = tmp_path / "data"
    data.mkdir()
    for f in DATA.iterdir():
        if f.name != missing:
            os.symlink(f, data / f.name)
    r = run_builder("--data", str(data), "-o", str(tmp_path / "x.h5"))
    assert r.returncode == 2
    assert missing in r.stderr and "missing" in r.stderr
    assert not (tmp_path / "x.h5").exists()


def test_builder_locates_a_bad_tehsil_row(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for f in DATA.iterdir():
        if f.name != "pk_census2017_tehsils.csv":
            os.symlink(f, data / f.name)
    rows = (DATA / "pk_census2017_tehsils.csv").read_text(encoding="utf-8").splitlines()
    rows.append('"Balochistan","Quetta","Atlantis","Nowhere",1,2')
    (data / "pk_census2017_tehsils.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    r = run_builder("--data", str(data), "--resolution", "0.1", "-o", str(tmp_path / "x.h5"))
    assert r.returncode == 2
    assert f"pk_census2017_tehsils.csv:{len(rows)}" in r.stderr and "Atlantis" in r.stderr
    assert not (tmp_path / "x.h5").exists()


# ---------------------------------------------------------------------------
# The district layers: districts, presence, targets, travel cost
# ---------------------------------------------------------------------------
sys.path.insert(0, str(REPO / "scenarios" / "maps"))
import access  # noqa: E402
import targets as target_rules  # noqa: E402

CENSUS_CSV = DATA / "pk_census2017_districts_rural_urban.csv"
CENSUS_PROVINCE_HASC = {"Punjab": "PK.PB", "Sindh": "PK.SD", "KPK": "PK.NW", "Balochistan": "PK.BA",
                        "FATA": "PK.TA", "Islamabad": "PK.IS"}


@pytest.fixture(scope="module")
def extra():
    with h5py.File(ASSET, "r") as f:
        m = f["map"]
        return {name: read_table(m[name]) for name in ("districts", "presence", "targets", "place_info", "places")}


def district_id(extra, name: str) -> int:
    return int(extra["districts"]["id"][extra["districts"]["name"].index(name)])


def census_totals_by_province() -> dict[str, int]:
    import csv
    out: dict[str, int] = {}
    with open(CENSUS_CSV, encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            if r["Pop2017"] not in ("", "NA"):
                hasc = CENSUS_PROVINCE_HASC[r["Province"]]
                out[hasc] = out.get(hasc, 0) + int(r["Pop2017"])
    return out


def test_every_census_district_is_placed_inside_its_province(asset, extra):
    d = extra["districts"]
    assert len(d["id"]) == 136
    layer, prov = asset["layers"]["district"], asset["layers"]["province"]
    for i in d["id"]:
        assert np.isfinite(d["seat_lon"][i]) and np.isfinite(d["seat_lat"][i]), d["name"][i]
        assert d["cells"][i] >= 1 and (layer == i).sum() == d["cells"][i], d["name"][i]
        # every cell of the district lies in the district's own admin-1 unit
        assert np.all(prov[layer == i] == d["province"][i]), d["name"][i]
        assert layer[d["seat_iy"][i], d["seat_ix"][i]] == i, d["name"][i]
        assert d["seat_match"][i] in ("name", "alias", "hand")
        if d["seat_match"][i] != "name":
            assert d["seat_source"][i].strip(), d["name"][i]
        if d["seat_match"][i] == "hand":
            assert d["seat_place"][i] == -1
        else:
            assert extra["places"]["name"][d["seat_place"][i]] == d["seat_name"][i]


def test_district_layer_covers_exactly_the_census_units(asset):
    prov, layer = asset["layers"]["province"], asset["layers"]["district"]
    census_ids = [province_id(asset, h) for h in CENSUS_HASC]
    assert np.all((layer >= 0) == np.isin(prov, census_ids))


def test_district_populations_sum_to_the_census_province_totals(asset, extra):
    d = extra["districts"]
    assert np.all(d["population_2017"] == d["urban_2017"] + d["rural_2017"])
    for hasc, total in census_totals_by_province().items():
        pid = province_id(asset, hasc)
        assert d["population_2017"][d["province"] == pid].sum() == total, hasc
    assert d["population_2017"].sum() == CENSUS_2017_TOTAL


# 2017 census results of the tribal agencies (PBS, provisional district
# results, as in Wikipedia's district articles); the district table's FATA
# rows carry shifted labels (it gives North Waziristan 108,553) and the
# builder repairs them.
FATA_2017 = {"Bajaur Agency": 1_093_684, "Khyber Agency": 986_973, "Kurram Agency": 619_553,
             "Mohmand Agency": 466_984, "North Waziristan Agency": 543_254, "Orakzai Agency": 254_356,
             "South Waziristan Agency": 679_185}


@pytest.mark.parametrize("name", sorted(FATA_2017))
def test_tribal_district_populations_are_the_census_figures(extra, name):
    assert extra["districts"]["population_2017"][district_id(extra, name)] == FATA_2017[name]


@pytest.mark.parametrize("lon,lat,name", [
    (71.57849, 34.00800, "Peshawar"), (67.00141, 30.18414, "Quetta"), (70.60403, 32.98527, "Bannu"),
    (70.91, 32.61, "Lakki Marwat"), (70.90, 31.83, "Dera Ismail Khan"), (70.38, 32.22, "Tank"),
    (70.07117, 33.00059, "North Waziristan Agency"), (69.57250, 32.29889, "South Waziristan Agency"),
    (71.50, 34.68, "Bajaur Agency"), (69.45, 31.34, "Zhob"), (71.79, 35.85, "Chitral"),
    (70.10, 33.90, "Kurram Agency"), (71.14, 34.10, "Khyber Agency"), (63.05, 26.00, "Kech"),
])
def test_known_seats_fall_in_their_own_district(asset, extra, lon, lat, name):
    assert asset["layers"]["district"][cell(asset, lon, lat)] == district_id(extra, name)


@pytest.mark.parametrize("town,name", [
    ("Mingora", "Swat"), ("Chaman", "Killa Abdullah"), ("Bat Khela", "Malakand Protected Area"),
    ("Kulachi", "Dera Ismail Khan"), ("Pabbi", "Nowshera"), ("Shabqadar", "Charsadda"),
    ("Havelian", "Abbottabad"), ("Lachi", "Kohat"), ("Doaba", "Hangu"), ("Surab", "Kalat"),
    ("Bela", "Lasbela"), ("Mach", "Kachhi"), ("Duki", "Loralai"), ("Taunsa", "Dera Ghazi Khan"),
])
def test_towns_that_are_not_seats_fall_in_their_district(asset, extra, town, name):
    p = extra["places"]
    i = p["name"].index(town)
    assert asset["layers"]["district"][cell(asset, p["lon"][i], p["lat"][i])] == district_id(extra, name)


def test_population_district_holds_each_district_total(asset, extra):
    pop_d = asset["layers"]["population_district"].astype(np.float64)
    layer = asset["layers"]["district"]
    sums = np.bincount(layer[layer >= 0], weights=pop_d[layer >= 0], minlength=136)
    assert np.allclose(sums, extra["districts"]["population_2017"], rtol=1e-4)
    outside = layer < 0
    assert np.array_equal(pop_d[outside], asset["layers"]["population"][outside].astype(np.float64))
    # North Waziristan: its own census total, five times the share the district
    # table's mislabelled row would give it.
    nw = district_id(extra, "North Waziristan Agency")
    assert abs(pop_d[layer == nw].sum() - 543_254) < 100


TTP_STRONG = ("North Waziristan Agency", "South Waziristan Agency", "Bannu", "Lakki Marwat", "Dera Ismail Khan",
              "Tank", "Bajaur Agency", "Khyber Agency", "Mohmand Agency", "Orakzai Agency", "Kurram Agency",
              "Swat", "Lower Dir", "Upper Dir", "Peshawar", "Zhob", "Quetta", "Killa Saifullah")
BALOCH_STRONG = ("Kech", "Panjgur", "Awaran", "Gwadar", "Kohlu", "Dera Bugti", "Mastung", "Nushki", "Quetta")


def presence_of(extra, group: str) -> dict[str, int]:
    p = extra["presence"]
    return {n: int(lv) for g, k, n, lv in zip(p["group"], p["area_kind"], p["area_name"], p["level"])
            if g == group and k == "district"}


def test_presence_table_is_sourced_and_matches_the_layers(asset, extra):
    p = extra["presence"]
    assert set(p["group"]) == {"TTP", "BLA_BLF"}
    assert all(1 <= lv <= 3 for lv in p["level"])
    for lv, src in zip(p["level"], p["source"]):
        assert src.startswith("["), src
        if src.startswith("[ADJ]") and src.count("[") == 1:
            assert lv == 1, "adjacency alone never makes more than occasional presence"
        else:
            assert "http" in src or "Crisis Group" in src, src
    layer_of = {"TTP": asset["layers"]["presence_ttp"], "BLA_BLF": asset["layers"]["presence_baloch"]}
    for g, kind, area, lv in zip(p["group"], p["area_kind"], p["area_id"], p["level"]):
        cells = (asset["layers"]["district"] if kind == "district" else asset["layers"]["province"]) == area
        assert cells.any() and np.all(layer_of[g][cells] == lv)
    for g, layer in layer_of.items():
        listed = np.zeros(layer.shape, dtype=bool)
        for gg, kind, area in zip(p["group"], p["area_kind"], p["area_id"]):
            if gg == g:
                listed |= (asset["layers"]["district"] if kind == "district" else asset["layers"]["province"]) == area
        assert np.all(layer[~listed] == 0)


def test_presence_where_the_sources_put_the_insurgents(asset, extra):
    ttp, baloch = presence_of(extra, "TTP"), presence_of(extra, "BLA_BLF")
    for name in TTP_STRONG:
        assert ttp.get(name, 0) >= 2, name
    for name in BALOCH_STRONG:
        assert baloch.get(name, 0) >= 2, name
    assert baloch.get("Kharan", 0) >= 1
    # No TTP presence recorded in Chitral, Gilgit-Baltistan or Azad Kashmir
    # (the area-weighted destinations of main put attacks there).
    assert ttp.get("Chitral", 0) == 0
    for hasc in ("PK.NA", "PK.JK"):
        assert np.all(asset["layers"]["presence_ttp"][asset["layers"]["province"] == province_id(asset, hasc)] == 0)
    # The Baloch insurgents are not present in the Pashtun belt or Punjab.
    for name in ("Zhob", "Killa Saifullah", "Pishin", "Lahore"):
        assert baloch.get(name, 0) == 0, name
    # The TTP's sanctuary across the border.
    af = {n: int(lv) for g, k, n, lv in zip(*(extra["presence"][c] for c in ("group", "area_kind", "area_name",
                                                                              "level"))) if k == "province"}
    assert af["Kunar"] == 3 and af["Nangarhar"] == 3 and af["Paktika"] == 3


def test_presence_sources_respect_the_out_of_sample_rule(extra):
    """No source reports events after February 2023 (the model's out-of-sample
    months): no dated event from March 2023 on, no year after 2023. (The
    Crisis Group commentary was published in March 2023 about events up to
    17 February.)"""
    import re
    months = "Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
    for s in extra["presence"]["source"]:
        assert not re.search(rf"\b\d{{1,2}} ({months})[a-z]* 2023\b", s), s
        assert not re.search(r"\b20(2[4-9]|[3-9]\d)\b", s), s


def test_police_stations_follow_the_population_rule(asset, extra):
    t, d = extra["targets"], extra["districts"]
    hasc = asset["provinces"]["hasc"]
    stations = [k == "police_station" for k in t["kind"]]
    per_district = np.bincount(t["district"][stations], minlength=136)
    for i in d["id"]:
        rate = target_rules.PERSONS_PER_POLICE_STATION[hasc[d["province"][i]]]
        assert per_district[i] == max(1, round(d["population_2017"][i] / rate)), d["name"][i]
    layer = asset["layers"]["police_stations"]
    assert layer.sum() == sum(stations)
    for ix, iy, did in zip(t["ix"][stations], t["iy"][stations], t["district"][stations]):
        assert asset["layers"]["district"][iy, ix] == did
    # Peshawar (4.27 M) gets more stations than all of South Waziristan (0.68 M at twice the rate).
    assert per_district[district_id(extra, "Peshawar")] > per_district[district_id(extra, "South Waziristan Agency")]
    # Stations follow people: Peshawar's busiest cell is the city's.
    pesh = layer * (asset["layers"]["district"] == district_id(extra, "Peshawar"))
    iy, ix = np.unravel_index(np.argmax(pesh), pesh.shape)
    assert abs(iy - cell(asset, *TOWNS["Peshawar"])[0]) <= 2 and abs(ix - cell(asset, *TOWNS["Peshawar"])[1]) <= 2


def test_target_inventory(asset, extra):
    t = extra["targets"]
    kinds = set(t["kind"])
    assert kinds == {"police_station", "police_lines", "district_police_hq", "provincial_police_hq", "fc_post",
                     "cantonment", "ctd_office", "prison"}
    assert all(s.strip() for s in t["source"])
    for ix, iy in zip(t["ix"], t["iy"]):
        assert asset["layers"]["country"][iy, ix] == PK
    assert sum(k == "police_lines" for k in t["kind"]) == 136
    cantonments = " ".join(n for n, k in zip(t["name"], t["kind"]) if k == "cantonment")
    for town in ("Peshawar", "Kohat", "Bannu", "Dera Ismail Khan", "Quetta", "Zhob", "Sibi", "Turbat", "Gwadar",
                 "Miranshah", "Wana"):
        assert town in cantonments, town
    prisons = [i for i, k in enumerate(t["kind"]) if k == "prison"]
    kp_ba = {province_id(asset, h) for h in ("PK.NW", "PK.BA")}
    assert prisons and all(t["province"][i] in kp_ba for i in prisons)
    # The Frontier Corps holds the western provinces; its tribal-district forts stand near the border.
    fc = [i for i, k in enumerate(t["kind"]) if k == "fc_post"]
    west = {province_id(asset, h) for h in ("PK.NW", "PK.TA", "PK.BA")}
    assert len(fc) >= 15 and all(t["province"][i] in west for i in fc)
    tribal = [i for i in fc if t["province"][i] == province_id(asset, "PK.TA")]
    assert len(tribal) >= 6 and all(asset["layers"]["border_distance"][t["iy"][i], t["ix"][i]] < 60 for i in tribal)
    # one CTD office per division outside FATA, each at a district seat
    ctd = [i for i, k in enumerate(t["kind"]) if k == "ctd_office"]
    divisions = {(p, dv) for p, dv in zip(extra["districts"]["province"], extra["districts"]["division"])
                 if p != province_id(asset, "PK.TA")}
    assert len(ctd) == len(divisions)


def test_police_headquarters_use_the_places_own_population(asset, extra):
    p, info = extra["places"], extra["place_info"]
    hq2 = sorted(p["name"][i] for i in np.nonzero(info["police_hq"] == 2)[0])
    assert hq2 == sorted(["Peshawar", "Quetta", "Karachi", "Lahore", "Islamabad", "Gilgit", "Muzaffarābād"])
    # GeoNames gives these places their district's total; their own town figure is far smaller.
    for name in ("Battagram", "Muzaffarābād", "Kotli"):
        i = p["name"].index(name)
        assert info["town_population"][i] < 100_000 < p["population"][i], name
    # Every district seat GeoNames holds is flagged as a district police HQ.
    d = extra["districts"]
    for row in d["seat_place"][d["seat_place"] >= 0]:
        assert info["police_hq"][row] >= 1, p["name"][row]
    # A town is never larger than its district's census population.
    pk = np.array([c == "PK" for c in p["country"]])
    has_d = pk & (info["district"] >= 0)
    assert np.all(info["town_population"][has_d] <= d["population_2017"][info["district"][has_d]] * 1.0 +
                  (np.array(p["name"])[has_d] == "Karachi") * 2e7)
    assert np.array_equal(info["town_population"][~pk], p["population"][~pk])


def test_travel_time_on_a_uniform_grid_is_the_8_neighbour_distance():
    cost = np.ones((5, 5), dtype=np.float32)
    src = np.zeros((5, 5), dtype=bool)
    src[0, 0] = True
    hours = access.travel_hours_from(cost, src)
    assert hours[0, 0] == 0 and hours[0, 4] == pytest.approx(4.0) and hours[4, 4] == pytest.approx(4 * np.sqrt(2))
    cost[2, :4] = np.nan  # a wall with a gap at the east end
    hours = access.travel_hours_from(cost, src)
    assert np.isnan(hours[2, 0]) and hours[4, 0] > 4.0


def test_travel_cost_and_access(asset):
    L = asset["layers"]
    land = np.isin(L["country"], (PK, AF))
    cost = L["travel_cost"]
    assert np.all(np.isfinite(cost[land]) & (cost[land] > 0)) and np.all(np.isnan(cost[~land]))
    for town in ("Peshawar", "Lahore", "Karachi", "Quetta", "Kabul"):
        assert L["road"][cell(asset, *TOWNS[town])] == 1, town
    # roads are faster than rugged ground: a road cell costs less than the median of the tribal districts'
    fata = L["province"] == province_id(asset, "PK.TA")
    assert cost[cell(asset, *TOWNS["Lahore"])] < np.median(cost[fata])
    seat_h, border_h = L["access_seat_hours"], L["access_border_hours"]
    assert seat_h[cell(asset, *TOWNS["Peshawar"])] == 0 and seat_h[cell(asset, *TOWNS["Bannu"])] == 0
    assert np.all(border_h[(L["border"] == 1) & land] == 0)
    # Peshawar is about an hour from Torkham; Lahore and Karachi many hours from the border.
    assert border_h[cell(asset, *TOWNS["Peshawar"])] < 2
    assert border_h[cell(asset, *TOWNS["Karachi"])] > border_h[cell(asset, *TOWNS["Lahore"])] > 5
    assert border_h[cell(asset, *TOWNS["Miranshah"])] < border_h[cell(asset, *TOWNS["Bannu"])]
    assert np.isfinite(seat_h[land]).mean() > 0.999
