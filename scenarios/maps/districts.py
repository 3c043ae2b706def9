"""Pakistan's 2017 census districts on the map grid.

There are no district polygons with a usable licence, so each district is
placed by its headquarters town (its seat), found among the GeoNames places
inside the district's own admin-1 unit, plus the towns of its tehsils that
GeoNames knows. Every cell of a census unit goes to the district of the
nearest of these anchors within the same unit (a Voronoi partition clipped to
the admin-1 polygon; distances on the sphere). The census figures come from
the district table, with the FATA rows repaired (see fata_pairs).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy.spatial import cKDTree

from map_common import Grid, InputError, great_circle_km, unit_vectors

FILE_TEHSILS = "pk_census2017_tehsils.csv"

# Census province names (district table) -> HASC code of the admin-1 unit.
CENSUS_PROVINCE_TO_HASC = {
    "Punjab": "PK.PB", "Sindh": "PK.SD", "KPK": "PK.NW", "Balochistan": "PK.BA", "FATA": "PK.TA",
    "Islamabad": "PK.IS",
}
# Tehsil-table province names -> district-table province names.
TEHSIL_PROVINCE = {"Punjab": "Punjab", "Sindh": "Sindh", "Khyber Pakhtunkhwa": "KPK",
                   "Balochistan": "Balochistan", "Fata": "FATA"}
# Tehsil-table district names that differ from the district table's (after
# normalise()). The tehsil table files the six Frontier Regions ("T.A. adj.
# <district>", tribal areas adjoining a district) under South Waziristan.
TEHSIL_DISTRICT_ALIASES = {
    "Jafarabad": "Jaffarabad",
    "N.Waziristan Agency": "North Waziristan Agency",
    "S.Waziristan Agency": "South Waziristan Agency",
    "D.I.Khan": "Dera Ismail Khan",
    "Malakand": "Malakand Protected Area",
    "D.G. Khan": "Dera Ghazi Khan",
}
FRONTIER_REGION_TEHSILS = {
    "T.A.adj.Peshawar": "Fr Peshawar", "T.A.adj.Kohat": "Fr Kohat", "T.A.adj.Bannu": "Fr Bannu",
    "T.A.adj.Lakki Marwat": "Fr Lakki Marwat", "T.A.adj.D.I.Khan": "Fr DI Khan", "T.A.adj.Tank": "Fr Tank",
}

# Headquarters towns whose GeoNames name is not the district's name. Each entry:
# (census province, district) -> GeoNames name, and why.
SEAT_ALIASES = {
    ("Balochistan", "Kech"): ("Turbat", "Kech's headquarters is Turbat"),
    ("Balochistan", "Chagai"): ("Dalbandin", "Chagai's headquarters is Dalbandin"),
    ("Balochistan", "Killa Abdullah"): ("Qila Abdullah", "spelling: Killa = Qila"),
    ("Balochistan", "Killa Saifullah"): ("Qila Saifullah", "spelling: Killa = Qila"),
    ("Balochistan", "Musakhel"): ("Musa Khel Bazar", "Musakhel's headquarters is Musa Khel Bazar"),
    ("Balochistan", "Lasbela"): ("Uthal", "Lasbela's headquarters is Uthal"),
    ("Balochistan", "Jaffarabad"): ("Dera Allahyar", "Jaffarabad's headquarters is Dera Allahyar"),
    ("Balochistan", "Jhal Magsi"): ("Gandava", "Jhal Magsi's headquarters is Gandava"),
    ("Balochistan", "Kachhi"): ("Dadhar", "Kachhi (Bolan)'s headquarters is Dhadar (GeoNames: Dadhar)"),
    ("Balochistan", "Nasirabad"): ("Dera Murad Jamali", "Nasirabad's headquarters is Dera Murad Jamali "
                                   "(GeoNames' 'Nasirabad' is a town in Sindh)"),
    ("KPK", "Lakki Marwat"): ("Lakki", "GeoNames names the town Lakki"),
    ("KPK", "Batagram"): ("Battagram", "spelling"),
    ("KPK", "Kohistan"): ("Dasu", "Kohistan's headquarters is Dasu"),
    ("KPK", "Buner"): ("Daggar", "Buner's headquarters is Daggar"),
    ("KPK", "Lower Dir"): ("Timargara", "Lower Dir's headquarters is Timergara"),
    ("KPK", "Upper Dir"): ("Upper Dir", "GeoNames names Dir town 'Upper Dir'"),
    ("KPK", "Malakand Protected Area"): ("Malakand", "the Malakand division's protected area, seat Malakand"),
    ("KPK", "Shangla"): ("Alpurai", "Shangla's headquarters is Alpuri"),
    ("KPK", "Swat"): ("Saidu Sharif", "Swat's headquarters is Saidu Sharif (twin town of Mingora)"),
    ("FATA", "Khyber Agency"): ("Landi Kotal", "Khyber's headquarters is Landi Kotal"),
    ("FATA", "Kurram Agency"): ("Parachinar", "Kurram's headquarters is Parachinar"),
    ("FATA", "North Waziristan Agency"): ("Miran Shah", "North Waziristan's headquarters is Miranshah"),
    ("FATA", "South Waziristan Agency"): ("Wana", "South Waziristan's headquarters is Wana"),
    ("Punjab", "Attock"): ("Attock City", "GeoNames names the town Attock City"),
    ("Punjab", "Jhang"): ("Jhang City", "GeoNames names the town Jhang City"),
    ("Punjab", "Sheikhupura"): ("Shekhupura", "spelling"),
    ("Punjab", "Vehari"): ("Vihari", "spelling"),
    ("Sindh", "Kambar Shahdad Kot"): ("Kambar", "Kambar Shahdadkot's headquarters is Kambar"),
    ("Sindh", "Kashmor"): ("Kandhkot", "Kashmor's headquarters is Kandhkot"),
    ("Sindh", "Khairpur"): ("Khairpur Mir’s", "the seat is Khairpur Mir's, not the Punjab/Sindh 'Khairpur' PPL"),
    ("Sindh", "Naushahro Feroze"): ("Naushahro Firoz", "spelling"),
    ("Sindh", "Shaheed Benazirabad"): ("Nawabshah", "the district and its seat were renamed; GeoNames: Nawabshah"),
    ("Sindh", "Tharparkar"): ("Mithi", "Tharparkar's headquarters is Mithi"),
    ("Sindh", "Umer Kot"): ("Umarkot", "spelling"),
}

# Seats GeoNames (cities1000) does not hold: placed by hand, to about 0.02
# degrees (one cell is 0.05), from the coordinates of the town's or district's
# Wikipedia article. (census province, district) -> (town, lon, lat, source).
# The Karachi districts are points inside the city (the GeoNames 'Karachi'
# point serves none of them); they are spaced so each seat has its own cell.
HAND_PLACED_SEATS = {
    ("FATA", "Bajaur Agency"): ("Khar", 71.50, 34.68,
                                "Wikipedia 'Bajaur District' (34 41 N 71 30 E; headquarters Khar)"),
    ("FATA", "Mohmand Agency"): ("Ghalanai", 71.38, 34.33,
                                 "Wikipedia 'Mohmand District' (headquarters Ghalanai), town about 34 20 N 71 23 E"),
    ("FATA", "Orakzai Agency"): ("Kalaya", 70.98, 33.66,
                                 "Wikipedia 'Orakzai District' (33 33-33 54 N, 70 36-71 22 E; the offices moved "
                                 "from Hangu to Kalaya, The News, 9 Dec 2018)"),
    ("FATA", "Fr Peshawar"): ("Hassan Khel", 71.62, 33.78,
                              "Wikipedia 'Frontier Region Peshawar' (Hassan Khel, south of Peshawar)"),
    ("FATA", "Fr Kohat"): ("Darra Adam Khel", 71.50, 33.68,
                           "Wikipedia 'Darra Adam Khel' (33 40 N 71 30 E)"),
    ("FATA", "Fr Bannu"): ("Jani Khel", 70.43, 32.93,
                           "Wikipedia 'Frontier Region Bannu' (Jani Khel, west of Bannu)"),
    ("FATA", "Fr Lakki Marwat"): ("Bettani", 70.62, 32.72,
                                  "Wikipedia 'Frontier Region Lakki Marwat' (Bettani hills, west of Lakki)"),
    ("FATA", "Fr Tank"): ("Jandola", 70.13, 32.33, "Wikipedia 'Tank Subdivision' (formerly FR Tank; capital "
                          "Jandola; 2017 population 36,389, as repaired here) and 'Jandola' (32 20 N 70 08 E)"),
    ("FATA", "Fr DI Khan"): ("Darazinda", 70.05, 31.57,
                             "Wikipedia 'Frontier Region Dera Ismail Khan' (headquarters Darazinda)"),
    ("KPK", "Torghar"): ("Judba", 72.78, 34.62, "Wikipedia 'Torghar District' (headquarters Judbah)"),
    ("Balochistan", "Washuk"): ("Washuk", 64.80, 27.73, "Wikipedia 'Washuk' (27 44 N 64 48 E)"),
    ("Balochistan", "Lehri"): ("Lehri", 68.20, 29.18, "Wikipedia 'Lehri District' (Lehri town, east of Sibi)"),
    ("Balochistan", "Sherani"): ("Mani Khwa", 69.85, 31.53, "Wikipedia 'Sherani District' (headquarters Mani Khwa)"),
    ("Sindh", "Sujawal"): ("Sujawal", 68.08, 24.61, "Wikipedia 'Sujawal' (24 36 N 68 05 E)"),
    ("Sindh", "Karachi South"): ("Saddar, Karachi", 67.02, 24.86, "Wikipedia 'Karachi South District' (Saddar)"),
    ("Sindh", "Karachi Central"): ("Nazimabad, Karachi", 67.05, 24.93,
                                   "Wikipedia 'Karachi Central District' (Nazimabad)"),
    ("Sindh", "Karachi East"): ("Gulshan-e-Iqbal, Karachi", 67.10, 24.91,
                                "Wikipedia 'Karachi East District' (Gulshan-e-Iqbal)"),
    ("Sindh", "Karachi West"): ("Orangi, Karachi", 66.99, 24.94, "Wikipedia 'Karachi West District' (Orangi)"),
    ("Sindh", "Korangi"): ("Korangi, Karachi", 67.14, 24.83, "Wikipedia 'Korangi District'"),
    ("Sindh", "Malir"): ("Malir, Karachi", 67.21, 24.95, "Wikipedia 'Malir District'"),
}

# Tehsil towns GeoNames lacks, placed by hand like the seats above; without
# them Khyber's cells near Peshawar (Bara, Jamrud) fall to its neighbours,
# South Waziristan's Mehsud country (Ladha) to North Waziristan and the
# Frontier Regions, and upper Swat (Bahrain) to Kohistan and Upper Dir. (census province, district) -> [(town, lon, lat, source)].
HAND_PLACED_ANCHORS = {
    ("FATA", "Khyber Agency"): [("Jamrud", 71.38, 34.00, "Wikipedia 'Jamrud' (34 00 N 71 23 E)"),
                                ("Bara", 71.46, 33.91, "Wikipedia 'Bara, Khyber' (33 55 N 71 28 E)")],
    ("FATA", "North Waziristan Agency"): [("Mir Ali", 70.28, 32.98, "Wikipedia 'Mir Ali' (32 59 N 70 17 E)"),
                                          ("Razmak", 69.83, 32.69, "Wikipedia 'Razmak' (32 41 N 69 50 E)")],
    ("FATA", "South Waziristan Agency"): [("Ladha", 69.83, 32.57,
                                           "Wikipedia 'Ladha' (32 34 04 N 69 49 44 E; tehsil seat, Mehsud area)")],
    ("KPK", "Swat"): [("Bahrain", 72.54, 35.21, "Wikipedia 'Bahrain, Swat' (35 12 N 72 33 E)")],
}

# A tehsil town anchors its district only if GeoNames holds it in the same
# admin-1 unit, within this distance of the district's seat (so a namesake far
# away cannot pull cells), and it is no other district's seat. The largest
# district (Chagai) spans about 450 km; seat to far tehsil towns is < 250 km.
TEHSIL_ANCHOR_MAX_KM = 250.0
# GeoNames feature codes, most administrative first, to pick among namesakes.
FEATURE_RANK = {"PPLC": 0, "PPLA": 1, "PPLA2": 2, "PPLA3": 3}


@dataclass
class District:
    id: int
    name: str
    division: str
    census_province: str
    hasc: str
    urban: int
    rural: int
    province_id: int = -1
    seat_name: str = ""
    seat_lon: float = float("nan")
    seat_lat: float = float("nan")
    seat_place: int = -1  # row of /map/places, -1 when hand-placed
    seat_match: str = ""  # "name", "alias" or "hand"
    seat_source: str = ""
    anchors: list[tuple[float, float, str]] = field(default_factory=list)  # lon, lat, town

    @property
    def population(self) -> int:
        return self.urban + self.rural


def normalise(name: str) -> str:
    """Lower case, no accents, apostrophes, spaces or punctuation."""
    plain = unicodedata.normalize("NFKD", name)
    plain = "".join(c for c in plain if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def read_rows(path: Path) -> list[dict]:
    try:
        with open(path, encoding="utf-8", newline="") as f:
            return list(csv.DictReader(f))
    except OSError as e:
        raise InputError(f"cannot read {path}: {e}") from e


def count(value: str, where: str) -> int:
    if value in ("", "NA"):
        return 0
    try:
        return int(value)
    except ValueError:
        raise InputError(f"{where}: Pop2017 {value!r} is not a whole number") from None


def fata_pairs(rows: list[tuple[int, dict]], path: Path) -> dict[str, tuple[int, int]]:
    """(rural, urban) of each FATA unit, repairing the source's shifted labels.

    In the district table (PakPC2017) the 26 FATA rows hold the figures of the
    13 units as consecutive (rural, urban) pairs, in the order in which the
    unit names first appear, but each row carries the next name in the cycle:
    the row labelled 'Kurram Agency, Urban' holds Khyber's urban figure, the
    one labelled 'Fr Tank, Rural' Bajaur's 1,093,684. Pair k therefore belongs
    to the k-th distinct name. build_districts checks the result against the
    tehsil table, which sums to the same 13 totals.
    """
    names = list(dict.fromkeys(r["District"] for _, r in rows))
    if len(rows) != 2 * len(names):
        raise InputError(f"{path}: expected two FATA rows per unit, got {len(rows)} rows for {len(names)} units")
    out = {}
    for k, name in enumerate(names):
        (line_r, rural), (line_u, urban) = rows[2 * k], rows[2 * k + 1]
        out[name] = (count(rural["Pop2017"], f"{path}:{line_r}"), count(urban["Pop2017"], f"{path}:{line_u}"))
    return out


def read_census_districts(path: Path) -> list[District]:
    rows = read_rows(path)
    districts: dict[tuple[str, str], District] = {}
    fata_rows = []
    for line, r in enumerate(rows, start=2):
        try:
            prov, division, name, status = r["Province"], r["Division"], r["District"], r["ResStatus"]
        except KeyError as e:
            raise InputError(f"{path}:{line}: missing column {e}") from None
        if prov not in CENSUS_PROVINCE_TO_HASC:
            raise InputError(f"{path}:{line}: unknown census province {prov!r}")
        if status not in ("Rural", "Urban"):
            raise InputError(f"{path}:{line}: ResStatus {status!r} is neither Rural nor Urban")
        key = (prov, name)
        if key not in districts:
            districts[key] = District(len(districts), name, division, prov, CENSUS_PROVINCE_TO_HASC[prov], 0, 0)
        if prov == "FATA":
            fata_rows.append((line, r))
            continue
        n = count(r["Pop2017"], f"{path}:{line}")
        if status == "Urban":
            districts[key].urban += n
        else:
            districts[key].rural += n
    for name, (rural, urban) in fata_pairs(fata_rows, path).items():
        districts[("FATA", name)].rural, districts[("FATA", name)].urban = rural, urban
    return list(districts.values())


def read_tehsils(path: Path, districts: list[District]) -> dict[int, list[tuple[str, int]]]:
    """District id -> [(tehsil name, 2017 population)]."""
    by_key = {(d.census_province, normalise(d.name)): d for d in districts}
    out: dict[int, list[tuple[str, int]]] = {}
    for line, r in enumerate(read_rows(path), start=2):
        prov = TEHSIL_PROVINCE.get(r.get("Province", ""))
        if prov is None:
            raise InputError(f"{path}:{line}: unknown province {r.get('Province')!r}")
        tehsil = r["Tehsil"]
        district = FRONTIER_REGION_TEHSILS.get(tehsil) or TEHSIL_DISTRICT_ALIASES.get(r["District"], r["District"])
        d = by_key.get((prov, normalise(district)))
        if d is None:
            raise InputError(f"{path}:{line}: district {r['District']!r} is not in the census district table")
        out.setdefault(d.id, []).append((tehsil, count(r["Pop2017"], f"{path}:{line}")))
    return out


def check_fata_against_tehsils(districts: list[District], tehsils: dict, path: Path) -> None:
    for d in districts:
        if d.census_province != "FATA":
            continue
        total = sum(p for _, p in tehsils.get(d.id, []))
        if total != d.population:
            raise InputError(f"{path}: FATA unit {d.name}: tehsils sum to {total}, the repaired district table "
                             f"gives {d.population}")


def place_seats(districts: list[District], places: list, place_prov: np.ndarray, feature: dict,
                hasc_to_id: dict) -> None:
    """Find each district's seat: by name, by a listed alias, or hand-placed."""
    index: dict[tuple[str, int], list[int]] = {}
    for i, p in enumerate(places):
        if p.iso == "PK":
            index.setdefault((normalise(p.name), int(place_prov[i])), []).append(i)
    for d in districts:
        d.province_id = hasc_to_id[d.hasc]
        key = (d.census_province, d.name)
        if key in HAND_PLACED_SEATS:
            town, lon, lat, source = HAND_PLACED_SEATS[key]
            d.seat_name, d.seat_lon, d.seat_lat, d.seat_match, d.seat_source = town, lon, lat, "hand", source
            continue
        target, why = SEAT_ALIASES.get(key, (d.name, ""))
        found = index.get((normalise(target), d.province_id), [])
        if not found:
            raise InputError(f"no GeoNames place {target!r} in {d.hasc} for the seat of district {d.name}; "
                             "add it to SEAT_ALIASES or HAND_PLACED_SEATS")
        best = min(found, key=lambda i: (FEATURE_RANK.get(feature.get(places[i].geonameid, ""), 9),
                                         -places[i].population, places[i].geonameid))
        p = places[best]
        d.seat_name, d.seat_lon, d.seat_lat, d.seat_place = p.name, p.lon, p.lat, best
        d.seat_match, d.seat_source = ("alias", why) if key in SEAT_ALIASES else ("name", "")


def add_anchors(districts: list[District], tehsils: dict, places: list, place_prov: np.ndarray) -> None:
    """Seat first, then the tehsil towns GeoNames holds near it (see TEHSIL_ANCHOR_MAX_KM)."""
    seats = {d.seat_place for d in districts if d.seat_place >= 0}
    index: dict[tuple[str, int], list[int]] = {}
    for i, p in enumerate(places):
        if p.iso == "PK" and i not in seats:
            index.setdefault((normalise(p.name), int(place_prov[i])), []).append(i)
    claims: dict[int, list[tuple[float, int]]] = {}
    for d in districts:
        d.anchors = [(d.seat_lon, d.seat_lat, d.seat_name)]
        by_hand = HAND_PLACED_ANCHORS.get((d.census_province, d.name), [])
        d.anchors += [(lon, lat, town) for town, lon, lat, _ in by_hand]
        for tehsil, _ in tehsils.get(d.id, []):
            for i in index.get((normalise(tehsil), d.province_id), []):
                km = float(great_circle_km(places[i].lon, places[i].lat, d.seat_lon, d.seat_lat))
                if km <= TEHSIL_ANCHOR_MAX_KM:
                    claims.setdefault(i, []).append((km, d.id))
    # A town claimed by two districts (namesake tehsils) goes to the nearer seat.
    for i in sorted(claims):
        _, did = min(claims[i])
        districts[did].anchors.append((places[i].lon, places[i].lat, places[i].name))


def build_district_layer(grid: Grid, province: np.ndarray, districts: list[District]) -> np.ndarray:
    """int16 district id per cell of the census units, -1 elsewhere."""
    layer = np.full(province.shape, -1, dtype=np.int16)
    yy, xx = np.meshgrid(grid.lat_centres, grid.lon_centres, indexing="ij")
    for pid in sorted({d.province_id for d in districts}):
        members = [d for d in districts if d.province_id == pid]
        lon = np.array([a[0] for d in members for a in d.anchors])
        lat = np.array([a[1] for d in members for a in d.anchors])
        owner = np.array([d.id for d in members for _ in d.anchors], dtype=np.int16)
        cells = province == pid
        _, k = cKDTree(unit_vectors(lon, lat)).query(unit_vectors(xx[cells], yy[cells]))
        layer[cells] = owner[k]
        # A seat's own cell belongs to its district even when a neighbour's
        # anchor is nearer to the cell centre (two anchors in one cell).
        for d in members:
            iy, ix = seat_cell(grid, province, d)
            layer[iy, ix] = d.id
    return layer


def seat_cell(grid: Grid, province: np.ndarray, d: District) -> tuple[int, int]:
    """The seat's cell, or the nearest cell of its own unit when the seat's
    cell centre is at sea or in the next unit (coastal and border towns)."""
    ix, iy = grid.cell_of(d.seat_lon, d.seat_lat)
    if 0 <= iy < grid.ny and 0 <= ix < grid.nx and province[iy, ix] == d.province_id:
        return int(iy), int(ix)
    jy, jx = np.nonzero(province == d.province_id)
    lon, lat = grid.lon_centres[jx], grid.lat_centres[jy]
    k = int(np.argmin(great_circle_km(lon, lat, d.seat_lon, d.seat_lat)))
    return int(jy[k]), int(jx[k])


def read_feature_codes(path: Path) -> dict[int, str]:
    return {int(r["geonameid"]): r["feature_code"] for r in read_rows(path)}


def build_districts(data: Path, census_file: str, places_file: str, grid: Grid, province: np.ndarray,
                    provinces: list, places: list, place_prov: np.ndarray) -> tuple[list[District], np.ndarray]:
    districts = read_census_districts(data / census_file)
    tehsils = read_tehsils(data / FILE_TEHSILS, districts)
    check_fata_against_tehsils(districts, tehsils, data / FILE_TEHSILS)
    hasc_to_id = {p.hasc: p.id for p in provinces}
    place_seats(districts, places, place_prov, read_feature_codes(data / places_file), hasc_to_id)
    add_anchors(districts, tehsils, places, place_prov)
    return districts, build_district_layer(grid, province, districts)


def build_district_population(province_population: np.ndarray, district: np.ndarray, districts: list[District],
                              spread_unit) -> np.ndarray:
    """Persons per cell with each district's census urban and rural totals
    spread over its own cells (spread_unit(mask, urban, rural) does the kernel
    spreading of the province layer). Cells outside the census districts keep
    the province-level layer."""
    out = np.where(district >= 0, 0.0, province_population.astype(np.float64))
    for d in districts:
        out += spread_unit(district == d.id, float(d.urban), float(d.rural))
    return out.astype(np.float32)


def district_columns(districts: list[District], district: np.ndarray, grid: Grid, province: np.ndarray) -> dict:
    area = np.broadcast_to(grid.cell_area_km2(), district.shape)
    cells = np.bincount(district[district >= 0].ravel(), minlength=len(districts))
    areas = np.bincount(district[district >= 0].ravel(), weights=area[district >= 0].ravel(),
                        minlength=len(districts))
    seat_iy, seat_ix = zip(*(seat_cell(grid, province, d) for d in districts))
    return {
        "id": np.array([d.id for d in districts], dtype=np.int32),
        "name": [d.name for d in districts],
        "division": [d.division for d in districts],
        "province": np.array([d.province_id for d in districts], dtype=np.int32),
        "population_2017": np.array([d.population for d in districts], dtype=np.int64),
        "urban_2017": np.array([d.urban for d in districts], dtype=np.int64),
        "rural_2017": np.array([d.rural for d in districts], dtype=np.int64),
        "seat_name": [d.seat_name for d in districts],
        "seat_lon": np.array([d.seat_lon for d in districts], dtype=np.float64),
        "seat_lat": np.array([d.seat_lat for d in districts], dtype=np.float64),
        "seat_ix": np.array(seat_ix, dtype=np.int32),
        "seat_iy": np.array(seat_iy, dtype=np.int32),
        "seat_place": np.array([d.seat_place for d in districts], dtype=np.int32),
        "seat_match": [d.seat_match for d in districts],
        "seat_source": [d.seat_source for d in districts],
        "anchors": np.array([len(d.anchors) for d in districts], dtype=np.int32),
        "cells": cells.astype(np.int32),
        "area_km2": areas.astype(np.float64),
    }


DISTRICT_METHOD = (
    "Each 2017 census district is placed by its headquarters town: the GeoNames place of that name inside the "
    "district's own admin-1 unit (names normalised; SEAT_ALIASES in districts.py lists the seats whose name "
    "differs; HAND_PLACED_SEATS the few GeoNames lacks, with sources), plus the towns of its tehsils that GeoNames "
    "holds (and six towns of Khyber, the Waziristans and Swat placed by hand, HAND_PLACED_ANCHORS) "
    f"in the same unit within {TEHSIL_ANCHOR_MAX_KM:g} km of the seat. Every cell of a census unit goes to "
    "the district of the nearest such anchor in the same unit (great circle): a Voronoi partition clipped to the "
    "admin-1 polygon; a seat's own cell always goes to its district. FATA figures repaired (see SOURCES.md)."
)
