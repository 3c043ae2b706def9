"""Where the insurgent groups are present, 2020 - February 2023, by district.

Two groups: the TTP with its allied and merged factions (Jamaat-ul-Ahrar,
Hizb-ul-Ahrar, the Mehsud groups, Hafiz Gul Bahadur's Wazir group), and the
Baloch nationalist insurgents (BLA, BLF, BRA; not allied to the TTP). Each
entry is a judgement read from the public sources in SOURCES, never from
attack counts after 28 February 2023 (the model's out-of-sample period).

Level (ordinal, 0..3):
  0  no presence documented in the sources;
  1  occasional: isolated attacks, a claimed shadow structure, or a district
     adjoining a level-2/3 area along the same corridor;
  2  sustained: repeated attacks and a local network through 2020-2023;
  3  base area: where factions are based, most attacks are concentrated, or
     (Afghanistan) the sanctuary the TTP operates from.
Districts not listed are 0.
"""
from __future__ import annotations

import numpy as np

from map_common import InputError

# Public sources, cited by key in the tables below.
SOURCES = {
    "ICG23": "International Crisis Group, 'The Pakistani Taliban Test Ties between Islamabad and Kabul', commentary, "
             "March 2023 (TTP shadow governments in KP and Balochistan's Pashtun belt; Mohmand faction head is "
             "shadow governor of Zhob; 2022 protests from Malakand to North and South Waziristan; Bannu CTD "
             "compound seized 18 Dec 2022; Peshawar police lines 30 Jan 2023 and Karachi police office 17 Feb 2023)",
    "CRSS22": "Centre for Research and Security Studies, Annual Security Report 2022, reported by Dawn, 1 Jan 2023, "
              "https://www.dawn.com/news/1729201 (attacks concentrated in Bannu, Waziristan, Bajaur and Kurram, "
              "which abut Kunar, Nangarhar, Paktia and Paktika; 8 attacks in Islamabad in 2022)",
    "NEWS23": "The News International, reported by ANI, 7 Jan 2023, https://www.latestly.com/agency-news/world-news-"
              "bannu-dera-ismail-khan-regions-facing-frequent-attacks-in-northwest-pakistan-4683935.html (police and "
              "security forces the prime targets in North and South Waziristan, Bannu, Lakki Marwat and D.I. Khan; "
              "attacks also in Peshawar, Khyber and districts of the Malakand and Kohat divisions)",
    "CTC21": "A. Sayed and T. Hamming, 'The Revival of the Pakistani Taliban', CTC Sentinel 14(4), 2021, "
             "https://ctc.usma.edu/the-revival-of-the-pakistani-taliban/ (mergers of splinter groups 2020-21; "
             "Quetta Serena hotel bombing, April 2021)",
    "TRT20": "TRT World, 19 and 21 Aug 2020, https://www.trtworld.com/magazine/the-reunification-of-the-pakistani-"
             "taliban-and-its-regional-implications-39019 (Jamaat-ul-Ahrar founded in Mohmand; the TTP's earlier "
             "footprint in Swat and Karachi)",
    "PIPS22": "Pak Institute for Peace Studies, Pakistan Security Report 2022, press release 7 Jan 2023, "
              "https://pakpips.com/article/amp/7315 (BLA the main source of violence in Balochistan: 46 attacks "
              "in 2022, 45 in Balochistan and 1 in Karachi)",
    "DAWN15": "Dawn, 'Situationer: Who's who of Baloch insurgency', 1 Jun 2015, https://www.dawn.com/news/1185401 "
              "(BLF operates across Awaran, Panjgur, Washuk, Turbat/Kech and Gwadar; its leader is from Mashkay, "
              "Awaran; the insurgency most intense around Turbat; Bugti and Marri groups)",
    "DAWN14": "Dawn, 'Analysis: Managing the Baloch insurgency', 26 Nov 2014, https://www.dawn.com/news/1146969 "
              "(the Marri-led BLA, Kohlu; attacks at Mach, Bolan; Mastung)",
    "TNS22": "The News on Sunday, 'Terror grips Balochistan', 13 Feb 2022, https://www.thenews.com.pk/tns/detail/"
             "932625-terror-grips-balochistan (BLA assaults on the Frontier Corps headquarters in Nushki and Panjgur, "
             "2 Feb 2022)",
    "BOL22": "Bol News, 'The new wave of terror', Feb 2022, https://www.bolnews.com/latest/2022/02/the-new-wave-of-"
             "terror (FC post attacked in Dasht, Kech, 26 Jan 2022)",
    "GNW22": "The Global Newswire, 'Pakistan: Bitter reprisals in Balochistan', June 2022, https://theglobalnewswire."
             "com/pakistan-bitter-reprisals-in-balochistan (BLF and BLA attacks in Kech and Panjgur, May-June 2022; "
             "police post attacked in Dera Allahyar, Jaffarabad)",
    "ADJ": "adjacency: the district adjoins a level-2/3 district on the same side of the group's area and is named "
           "in none of the sources; an assumption of this project",
}

TTP, BALOCH = "TTP", "BLA_BLF"
GROUPS = (TTP, BALOCH)

# (census province, district) -> (level, source keys). TTP and allies.
TTP_PRESENCE = {
    ("FATA", "North Waziristan Agency"): (3, "CRSS22 NEWS23 ICG23"),
    ("FATA", "South Waziristan Agency"): (3, "CRSS22 NEWS23 ICG23"),
    ("FATA", "Bajaur Agency"): (3, "CRSS22"),
    ("KPK", "Bannu"): (3, "CRSS22 NEWS23 ICG23"),
    ("KPK", "Lakki Marwat"): (3, "NEWS23"),
    ("KPK", "Dera Ismail Khan"): (3, "NEWS23"),
    ("KPK", "Tank"): (3, "NEWS23 ADJ"),
    ("FATA", "Kurram Agency"): (2, "CRSS22"),
    ("FATA", "Khyber Agency"): (2, "NEWS23"),
    ("FATA", "Mohmand Agency"): (2, "TRT20 ICG23"),
    ("FATA", "Orakzai Agency"): (2, "ICG23 NEWS23"),
    ("FATA", "Fr Bannu"): (2, "NEWS23 ADJ"),
    ("FATA", "Fr Lakki Marwat"): (2, "NEWS23 ADJ"),
    ("FATA", "Fr Tank"): (2, "NEWS23 ADJ"),
    ("FATA", "Fr DI Khan"): (2, "NEWS23 ADJ"),
    ("FATA", "Fr Kohat"): (2, "CTC21 NEWS23"),
    ("FATA", "Fr Peshawar"): (2, "NEWS23 ADJ"),
    ("KPK", "Peshawar"): (2, "NEWS23 ICG23"),
    ("KPK", "Swat"): (2, "ICG23 NEWS23 TRT20"),
    ("KPK", "Lower Dir"): (2, "ICG23 NEWS23"),
    ("KPK", "Upper Dir"): (2, "ICG23 NEWS23"),
    ("KPK", "Kohat"): (2, "NEWS23"),
    ("KPK", "Hangu"): (2, "NEWS23 ADJ"),
    ("Balochistan", "Zhob"): (2, "ICG23"),
    ("Balochistan", "Quetta"): (2, "CTC21 ICG23"),
    ("Balochistan", "Killa Saifullah"): (2, "ICG23"),
    ("Balochistan", "Sherani"): (2, "ICG23 ADJ"),
    ("KPK", "Karak"): (1, "NEWS23"),
    ("KPK", "Charsadda"): (1, "ADJ"),
    ("KPK", "Nowshera"): (1, "ADJ"),
    ("KPK", "Mardan"): (1, "ADJ"),
    ("KPK", "Malakand Protected Area"): (1, "NEWS23 ADJ"),
    ("KPK", "Buner"): (1, "ADJ"),
    ("KPK", "Shangla"): (1, "ADJ"),
    ("Balochistan", "Musakhel"): (1, "ICG23 ADJ"),
    ("Balochistan", "Loralai"): (1, "ICG23"),
    ("Balochistan", "Pishin"): (1, "ICG23"),
    ("Balochistan", "Killa Abdullah"): (1, "ICG23"),
    ("Balochistan", "Ziarat"): (1, "ICG23"),
    ("Balochistan", "Harnai"): (1, "ICG23"),
    ("Islamabad", "Islamabad"): (1, "CRSS22"),
    ("Sindh", "Karachi West"): (1, "ICG23 TRT20"),
    ("Sindh", "Karachi East"): (1, "ICG23 TRT20"),
    ("Sindh", "Karachi South"): (1, "ICG23 TRT20"),
    ("Sindh", "Karachi Central"): (1, "ICG23 TRT20"),
    ("Sindh", "Korangi"): (1, "ICG23 TRT20"),
    ("Sindh", "Malir"): (1, "ICG23 TRT20"),
}

# Baloch insurgents.
BALOCH_PRESENCE = {
    ("Balochistan", "Kech"): (3, "DAWN15 BOL22 GNW22"),
    ("Balochistan", "Panjgur"): (3, "DAWN15 TNS22 GNW22"),
    ("Balochistan", "Awaran"): (3, "DAWN15"),
    ("Balochistan", "Kohlu"): (3, "DAWN14"),
    ("Balochistan", "Gwadar"): (2, "DAWN15"),
    ("Balochistan", "Washuk"): (2, "DAWN15"),
    ("Balochistan", "Nushki"): (2, "TNS22"),
    ("Balochistan", "Dera Bugti"): (2, "DAWN15"),
    ("Balochistan", "Mastung"): (2, "DAWN14"),
    ("Balochistan", "Kachhi"): (2, "DAWN14"),
    ("Balochistan", "Quetta"): (2, "PIPS22 DAWN14"),
    ("Balochistan", "Kharan"): (1, "ADJ"),
    ("Balochistan", "Kalat"): (1, "ADJ"),
    ("Balochistan", "Khuzdar"): (1, "ADJ"),
    ("Balochistan", "Lasbela"): (1, "ADJ"),
    ("Balochistan", "Sibi"): (1, "ADJ"),
    ("Balochistan", "Harnai"): (1, "ADJ"),
    ("Balochistan", "Barkhan"): (1, "ADJ"),
    ("Balochistan", "Chagai"): (1, "ADJ"),
    ("Balochistan", "Jaffarabad"): (1, "GNW22"),
    ("Balochistan", "Nasirabad"): (1, "ADJ"),
    ("Balochistan", "Jhal Magsi"): (1, "ADJ"),
    ("Balochistan", "Lehri"): (1, "ADJ"),
    ("Sindh", "Karachi South"): (1, "PIPS22"),
}

# Afghan provinces (HASC) where the TTP is based: its sanctuary. Level 3
# where the tracker's districts of concentration face them (CRSS22); Khost
# faces North Waziristan across the Ghulam Khan crossing.
TTP_AFGHAN_PRESENCE = {
    "AF.KR": (3, "CRSS22"),  # Kunar
    "AF.NG": (3, "CRSS22"),  # Nangarhar
    "AF.PK": (3, "CRSS22"),  # Paktika
    "AF.PT": (2, "CRSS22"),  # Paktia
    "AF.KT": (2, "CRSS22 ADJ"),  # Khost
    "AF.NR": (1, "ADJ"),  # Nuristan
}


def presence_rows(districts: list, provinces: list) -> list[dict]:
    """One row per (group, district or Afghan province) with level > 0."""
    by_key = {(d.census_province, d.name): d for d in districts}
    by_hasc = {p.hasc: p for p in provinces}
    rows = []
    for group, table in ((TTP, TTP_PRESENCE), (BALOCH, BALOCH_PRESENCE)):
        for key, (level, keys) in table.items():
            if key not in by_key:
                raise InputError(f"presence table {group}: no census district {key}")
            rows.append({"group": group, "area_kind": "district", "area_id": by_key[key].id,
                         "area_name": key[1], "level": level, "source": source_text(keys)})
    for hasc, (level, keys) in TTP_AFGHAN_PRESENCE.items():
        if hasc not in by_hasc:
            raise InputError(f"presence table {TTP}: no province {hasc}")
        rows.append({"group": TTP, "area_kind": "province", "area_id": by_hasc[hasc].id,
                     "area_name": by_hasc[hasc].name, "level": level, "source": source_text(keys)})
    return rows


def source_text(keys: str) -> str:
    return "; ".join(f"[{k}] {SOURCES[k]}" for k in keys.split())


def presence_layer(rows: list[dict], group: str, district: np.ndarray, province: np.ndarray) -> np.ndarray:
    layer = np.zeros(district.shape, dtype=np.int8)
    for r in rows:
        if r["group"] != group:
            continue
        cells = (district == r["area_id"]) if r["area_kind"] == "district" else (province == r["area_id"])
        layer[cells] = r["level"]
    return layer


def presence_columns(rows: list[dict]) -> dict:
    return {
        "id": np.arange(len(rows), dtype=np.int32),
        "group": [r["group"] for r in rows],
        "area_kind": [r["area_kind"] for r in rows],
        "area_id": np.array([r["area_id"] for r in rows], dtype=np.int32),
        "area_name": [r["area_name"] for r in rows],
        "level": np.array([r["level"] for r in rows], dtype=np.int8),
        "source": [r["source"] for r in rows],
    }


LEVELS_TEXT = ("0 no presence documented; 1 occasional (isolated attacks, a claimed shadow structure, or adjoining "
               "a level-2/3 area); 2 sustained (repeated attacks and a local network, 2020 - Feb 2023); 3 base area "
               "(factions based there, attacks concentrated, or the Afghan sanctuary)")
