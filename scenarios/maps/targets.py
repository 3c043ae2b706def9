"""The state's installations the insurgents attack, placed by district, and
the police headquarters of each place.

Kinds: police_station (by population, a documented rule per unit),
police_lines and district_police_hq (one each at every district seat),
provincial_police_hq, fc_post (Frontier Corps unit headquarters and forts),
cantonment (and army garrisons), ctd_office (one per division headquarters),
prison (central jails of Khyber Pakhtunkhwa and Balochistan).
"""
from __future__ import annotations

import heapq

import numpy as np

from map_common import Grid, InputError, great_circle_km

# Persons per police station, by admin-1 unit (HASC). Sources and reasoning:
# - KP settled districts: about 280 police stations for 30.5 M people (Geo
#   News, 2017, "KP police await funds": 279 stations), i.e. ~110 000; and
#   Peshawar 31 stations for 4.27 M (Pakistan Today, 30 Dec 2016), ~138 000
#   in the big city. We use 100 000.
# - FATA (the merged tribal districts): about 100 police stations planned for
#   5.0 M people (Pakistan Today, 14 Nov 2018): 50 000.
# - Balochistan: police ("A" areas, ~10 % of the area) and Levies ("B" areas)
#   stations together; no published count found. Sparse population needs more
#   stations per person: 50 000, an assumption.
# - Punjab, Sindh, Islamabad: no figure found; 100 000 (as KP), an assumption.
PERSONS_PER_POLICE_STATION = {
    "PK.NW": 100_000, "PK.TA": 50_000, "PK.BA": 50_000, "PK.PB": 100_000, "PK.SD": 100_000, "PK.IS": 100_000,
}
POLICE_STATION_SOURCE = {
    "PK.NW": "rule: 1 station per 100 000 persons (KP: ~280 stations for 30.5 M, Geo News 2017; Peshawar 31 for "
             "4.27 M, Pakistan Today 30 Dec 2016)",
    "PK.TA": "rule: 1 station per 50 000 persons (about 100 stations planned for the 5.0 M of the merged tribal "
             "districts, Pakistan Today 14 Nov 2018)",
    "PK.BA": "rule: 1 station (police or Levies) per 50 000 persons (assumption; police cover ~10 % of the area, "
             "Levies the rest, The Nation 24 Aug 2020)",
    "PK.PB": "rule: 1 station per 100 000 persons (assumption, as KP)",
    "PK.SD": "rule: 1 station per 100 000 persons (assumption, as KP)",
    "PK.IS": "rule: 1 station per 100 000 persons (assumption, as KP)",
}
SEAT_SOURCE = "at the district seat (every district has its district police office and police lines at its seat)"

# Provincial police headquarters (Central Police Office of each unit).
PROVINCIAL_POLICE_HQ = (
    ("Central Police Office Khyber Pakhtunkhwa", "Peshawar", "ICG23: the TTP bombed the Peshawar police lines, "
     "30 Jan 2023; KP police: Central Police Office, Peshawar"),
    ("Central Police Office Balochistan", "Quetta", "Balochistan Police headquarters, Quetta"),
    ("Central Police Office Sindh / Karachi Police Office", "Karachi", "ICG23: the TTP attacked the Karachi "
     "police office, 17 Feb 2023"),
    ("Central Police Office Punjab", "Lahore", "Punjab Police headquarters, Lahore"),
    ("Islamabad Capital Territory Police headquarters", "Islamabad", "ICT Police, Islamabad"),
    ("Gilgit-Baltistan Police headquarters", "Gilgit", "GB Police, Gilgit"),
    ("Azad Jammu and Kashmir Police headquarters", "Muzaffarābād", "AJK Police, Muzaffarabad"),
)

FC_SOURCE = ("unit headquarters as listed in Wikipedia's articles 'Frontier Corps Khyber Pakhtunkhwa (North)', "
             "'(South)' and 'Frontier Corps Balochistan (North)', '(South)'")
# Frontier Corps units and forts: (name, where). 'where' is a district (the
# fort is at its seat) or a GeoNames place name.
FC_POSTS = (
    ("FC Khyber Pakhtunkhwa headquarters, Bala Hisar", "place:Peshawar", FC_SOURCE),
    ("Khyber Rifles", "district:Khyber Agency", FC_SOURCE),
    ("Mohmand Rifles", "district:Mohmand Agency", FC_SOURCE),
    ("Bajaur Scouts", "district:Bajaur Agency", FC_SOURCE + "; Wikipedia 'Khar, Bajaur' (Bajaur Scouts HQ)"),
    ("Kurram Militia", "district:Kurram Agency", FC_SOURCE),
    ("Tochi Scouts", "district:North Waziristan Agency", FC_SOURCE),
    ("South Waziristan Scouts", "district:South Waziristan Agency", FC_SOURCE),
    ("Chitral Scouts", "district:Chitral", FC_SOURCE),
    ("Dir Scouts", "district:Lower Dir", FC_SOURCE),
    ("Zhob Militia", "district:Zhob", FC_SOURCE),
    ("FC Balochistan (North) headquarters", "place:Quetta", FC_SOURCE),
    ("FC post Chaman", "place:Chaman", FC_SOURCE),
    ("Pishin Scouts", "district:Pishin", FC_SOURCE),
    ("FC headquarters Nushki", "district:Nushki", "TNS22: BLA assault on the FC headquarters, Nushki, 2 Feb 2022"),
    ("FC camp Panjgur", "district:Panjgur", "TNS22: BLA assault on the FC camp, Panjgur, 2 Feb 2022"),
    ("FC Balochistan (South) / Makran Scouts", "district:Kech", FC_SOURCE),
    ("Kharan Rifles", "district:Kharan", FC_SOURCE),
    ("Chagai (Dalbandin) FC wing", "district:Chagai", FC_SOURCE),
    ("Sibi Scouts", "district:Sibi", FC_SOURCE),
    ("Loralai Scouts", "district:Loralai", FC_SOURCE),
    ("Kalat Scouts", "district:Kalat", FC_SOURCE),
    ("FC wing Kohlu", "district:Kohlu", FC_SOURCE),
    ("FC wing Dera Bugti", "district:Dera Bugti", FC_SOURCE),
)

CANTONMENT_SOURCE = "Wikipedia 'List of cantonments of Pakistan' (Military Lands and Cantonments Department)"
CANTONMENTS = (
    "Peshawar", "Kohat", "Bannu", "Dera Ismail Khan", "Nowshera Cantonment", "Risalpur Cantonment", "Mardan",
    "Abbottabad", "Cherat Cantonement", "Quetta", "Zhob", "Loralai", "Sibi", "Khuzdar", "Turbat", "Gwadar",
    "Rawalpindi", "Lahore", "Malir Cantonment", "Multan", "Gujranwala", "Sialkot", "Jhelum", "Kharian", "Okara",
    "Bahawalpur", "Sargodha", "Attock City", "Pano Aqil", "Hyderabad",
)
# Army garrisons in the tribal districts (not formal cantonments): the
# brigade headquarters of the Waziristan operations.
GARRISONS = (("Miranshah garrison", "district:North Waziristan Agency"),
             ("Wana garrison", "district:South Waziristan Agency"))
GARRISON_SOURCE = "ICG23 (the army in North and South Waziristan); garrison at the district seat"

# Division headquarters whose district is not named after the division.
DIVISION_HQ_DISTRICT = {"Hazara": "Abbottabad", "Malakand": "Swat", "Makran": "Kech", "Karachi": "Karachi South"}
CTD_SOURCE = ("one Counter Terrorism Department office per division headquarters (one office a division: the CTD's "
              "regional offices; ICG23: the Bannu CTD compound, 18 Dec 2022)")

PRISON_SOURCE = "Wikipedia 'List of prisons in Pakistan' (central prisons of KP and Balochistan)"
PRISONS = (
    ("Central Prison Peshawar", "district:Peshawar"), ("Central Prison Haripur", "district:Haripur"),
    ("Central Prison Bannu", "district:Bannu"), ("Central Prison Dera Ismail Khan", "district:Dera Ismail Khan"),
    ("Central Prison Mardan", "district:Mardan"), ("Central Jail Quetta", "district:Quetta"),
    ("Central Jail Mach", "place:Mach"), ("Central Jail Gadani", "place:Gadani"),
    ("Central Jail Khuzdar", "district:Khuzdar"),
)

# A city can spread over several census districts (Karachi's six): a town's
# population is capped at the urban population of its own district plus that
# of the districts whose seats lie within this distance of it. Karachi's
# district seats lie within 25 km of the GeoNames Karachi point; no other
# district seat lies that close to another Pakistani city's point of more than
# 1 M, except Rawalpindi and Islamabad (cap 2.9 M, above both GeoNames figures).
CITY_RADIUS_KM = 25.0
# ... and only a GeoNames figure of at least this share of its district's
# census total counts as a district figure (Battagram: 700 000 of 476 612).
DISTRICT_FIGURE_SHARE_OF_DISTRICT = 0.25
# A GeoNames population that is at least this share of its admin-1 unit's
# 2017 population is taken as a district figure, not a town's (GeoNames gives
# Kotli 640 000 and Muzaffarabad 725 000, about their districts' totals).
DISTRICT_FIGURE_SHARE = 0.05
POLICE_HQ_NONE, POLICE_HQ_DISTRICT, POLICE_HQ_PROVINCIAL = 0, 1, 2


class Locator:
    """Turns 'district:<name>' or 'place:<GeoNames name>' into a point."""

    def __init__(self, districts: list, places: list, place_district: np.ndarray):
        self.districts = {d.name: d for d in districts}
        self.places = {}
        for i, p in enumerate(places):
            if p.iso == "PK":
                self.places.setdefault(p.name, i)  # the largest of namesakes (places are sorted by size)
        self.place_list = places
        self.place_district = place_district

    def locate(self, where: str) -> tuple[float, float, int, int]:
        """(lon, lat, district id or -1, place row or -1)."""
        kind, _, name = where.partition(":")
        if kind == "district":
            d = self.districts.get(name)
            if d is None:
                raise InputError(f"targets: no district {name!r}")
            return d.seat_lon, d.seat_lat, d.id, d.seat_place
        if kind == "place":
            i = self.places.get(name)
            if i is None:
                raise InputError(f"targets: no Pakistani GeoNames place {name!r}")
            p = self.place_list[i]
            return p.lon, p.lat, int(self.place_district[i]), i
        raise InputError(f"targets: bad location {where!r}")


def place_districts(grid: Grid, district: np.ndarray, places: list) -> np.ndarray:
    ix, iy = grid.cell_of([p.lon for p in places], [p.lat for p in places])
    inside = (ix >= 0) & (ix < grid.nx) & (iy >= 0) & (iy < grid.ny)
    out = np.full(len(places), -1, dtype=np.int32)
    out[inside] = district[iy[inside], ix[inside]]
    return out


def station_cells(weights: np.ndarray, n: int) -> list[int]:
    """n stations over cells in proportion to population (D'Hondt: each next
    station goes to the cell with the most persons per station so far; ties
    to the lower cell index)."""
    heap = [(-w, int(c)) for c, w in enumerate(weights) if w > 0]
    heapq.heapify(heap)
    given = np.zeros(len(weights), dtype=np.int64)
    out = []
    for _ in range(n):
        if not heap:
            break
        _, c = heapq.heappop(heap)
        out.append(c)
        given[c] += 1
        heapq.heappush(heap, (-weights[c] / (given[c] + 1), c))
    return out


def build_targets(grid: Grid, districts: list, district: np.ndarray, population_district: np.ndarray,
                  provinces: list, places: list) -> tuple[list[dict], np.ndarray]:
    """Rows of /map/targets and the police_stations count layer."""
    place_district = place_districts(grid, district, places)
    loc = Locator(districts, places, place_district)
    hasc_of = {p.id: p.hasc for p in provinces}
    rows: list[dict] = []

    def add(kind, name, lon, lat, did, place, source):
        rows.append({"kind": kind, "name": name, "lon": float(lon), "lat": float(lat), "district": int(did),
                     "place": int(place), "source": source})

    stations = np.zeros(district.shape, dtype=np.int16)
    lon_c, lat_c = grid.lon_centres, grid.lat_centres
    for d in districts:
        hasc = hasc_of[d.province_id]
        n = max(1, round(d.population / PERSONS_PER_POLICE_STATION[hasc]))
        jy, jx = np.nonzero(district == d.id)
        for k, c in enumerate(station_cells(population_district[jy, jx].astype(np.float64), n)):
            stations[jy[c], jx[c]] += 1
            add("police_station", f"{d.name} police station {k + 1}", lon_c[jx[c]], lat_c[jy[c]], d.id, -1,
                POLICE_STATION_SOURCE[hasc] + "; placed in proportion to population_district")
        add("police_lines", f"{d.name} police lines", d.seat_lon, d.seat_lat, d.id, d.seat_place, SEAT_SOURCE)
        add("district_police_hq", f"{d.name} district police office", d.seat_lon, d.seat_lat, d.id, d.seat_place,
            SEAT_SOURCE)
    for name, town, source in PROVINCIAL_POLICE_HQ:
        add("provincial_police_hq", name, *loc.locate(f"place:{town}"), source)
    for name, where, source in FC_POSTS:
        add("fc_post", name, *loc.locate(where), source)
    for town in CANTONMENTS:
        add("cantonment", f"{town.replace(' Cantonment', '').replace(' Cantonement', '')} cantonment",
            *loc.locate(f"place:{town}"), CANTONMENT_SOURCE)
    for name, where in GARRISONS:
        add("cantonment", name, *loc.locate(where), GARRISON_SOURCE)
    for division in sorted({(d.census_province, d.division) for d in districts if d.census_province != "FATA"}):
        hq = DIVISION_HQ_DISTRICT.get(division[1], division[1])
        add("ctd_office", f"CTD {division[1]} division", *loc.locate(f"district:{hq}"), CTD_SOURCE)
    for name, where in PRISONS:
        add("prison", name, *loc.locate(where), PRISON_SOURCE)
    return rows, stations


def target_columns(rows: list[dict], grid: Grid, district: np.ndarray, province: np.ndarray) -> dict:
    ix, iy = grid.cell_of([r["lon"] for r in rows], [r["lat"] for r in rows])
    return {
        "id": np.arange(len(rows), dtype=np.int32),
        "kind": [r["kind"] for r in rows],
        "name": [r["name"] for r in rows],
        "district": np.array([r["district"] for r in rows], dtype=np.int32),
        "province": np.array([province[y, x] for y, x in zip(iy, ix)], dtype=np.int32),
        "lon": np.array([r["lon"] for r in rows], dtype=np.float64),
        "lat": np.array([r["lat"] for r in rows], dtype=np.float64),
        "ix": ix.astype(np.int32),
        "iy": iy.astype(np.int32),
        "place": np.array([r["place"] for r in rows], dtype=np.int32),
        "source": [r["source"] for r in rows],
    }


def place_info_columns(grid: Grid, district: np.ndarray, districts: list, places: list, place_prov: np.ndarray,
                       provinces: list, unit_totals: dict, target_rows: list[dict]) -> dict:
    """Per place: its district, its own (town) population and its police HQ level.

    Town population: the GeoNames figure, capped in a census district at the
    census urban population of its district and of the districts whose seats
    lie within CITY_RADIUS_KM (GeoNames gives Battagram 700 000, the size of
    its whole, wholly rural district); outside the census districts
    (AJK, Gilgit-Baltistan), a figure of DISTRICT_FIGURE_SHARE or more of the
    unit's total is a district figure and is replaced by the median of the
    unit's other seats' figures. Afghan places keep GeoNames.
    """
    place_district = place_districts(grid, district, places)
    seat_lon = np.array([d.seat_lon for d in districts])
    seat_lat = np.array([d.seat_lat for d in districts])
    urban = np.array([d.urban for d in districts], dtype=np.int64)
    hasc_of = {p.id: p.hasc for p in provinces}
    town = np.array([p.population for p in places], dtype=np.int64)
    rule = ["geonames"] * len(places)
    for i, p in enumerate(places):
        did = int(place_district[i])
        if p.iso != "PK" or did < 0:
            continue
        near = great_circle_km(seat_lon, seat_lat, p.lon, p.lat) <= CITY_RADIUS_KM
        near[did] = True
        cap = int(urban[near].sum())
        # Only a figure that is also a large share of the district's whole
        # population is a district figure; small towns of rural districts keep theirs.
        if p.population > cap and p.population >= DISTRICT_FIGURE_SHARE_OF_DISTRICT * districts[did].population:
            town[i], rule[i] = cap, "district_figure_capped_at_census_urban_2017"
    for pid in sorted({int(x) for x in place_prov}):
        total = unit_totals.get(hasc_of.get(pid, ""), 0)
        members = [i for i in range(len(places)) if place_prov[i] == pid and place_district[i] < 0
                   and places[i].iso == "PK"]
        if not members or total <= 0:
            continue
        flagged = [i for i in members if places[i].population >= DISTRICT_FIGURE_SHARE * total]
        others = sorted(places[i].population for i in members if i not in flagged and places[i].population > 0)
        if flagged and not others:
            raise InputError(f"no town figures left to replace the district figures of unit {hasc_of[pid]}")
        for i in flagged:
            town[i], rule[i] = int(np.median(others)), "district_figure_replaced_by_median_of_unit"
    hq = np.zeros(len(places), dtype=np.int8)
    for r in target_rows:
        if r["place"] >= 0 and r["kind"] == "district_police_hq":
            hq[r["place"]] = max(hq[r["place"]], POLICE_HQ_DISTRICT)
        if r["place"] >= 0 and r["kind"] == "provincial_police_hq":
            hq[r["place"]] = POLICE_HQ_PROVINCIAL
    return {"id": np.arange(len(places), dtype=np.int32), "district": place_district,
            "town_population": town, "town_population_rule": rule, "police_hq": hq}
