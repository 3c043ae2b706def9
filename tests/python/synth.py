"""Synthetic borderland files in the exact layout of docs/hdf5_layout.md (format_version 1).

The engine's TTP model is still being written, so the analysis tests run on
files written here: run files and sweep files with TTP-like daily series, an
events table consistent with them, snapshots, and a small Af-Pak-like map.
Everything is drawn from a seeded numpy Generator, so a test sees the same
file every time. Strings are written as fixed-length bytes, as the engine does.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

import h5py
import numpy as np

REPO = Path(__file__).resolve().parents[2]
PYTHON_DIR = REPO / "python"
if str(PYTHON_DIR) not in sys.path:  # the tests import the borderland package from the checkout
    sys.path.insert(0, str(PYTHON_DIR))


# The build folder (its python/ holds the compiled module _borderland): ctest sets
# BORDERLAND_BUILD_DIR; by hand it is build/ of the checkout.
BUILD_DIR = Path(os.environ.get("BORDERLAND_BUILD_DIR") or REPO / "build")
os.environ.setdefault("BORDERLAND_BUILD_DIR", str(BUILD_DIR))


def engine_binary() -> str | None:
    """The borderland executable: $BORDERLAND_BIN (ctest sets it), else build/borderland, else None."""
    env = os.environ.get("BORDERLAND_BIN")
    if env:
        return env
    default = REPO / "build" / "borderland"
    return str(default) if default.exists() else None


def python_env(**extra) -> dict:
    """The environment for `python3 -m borderland` as a process: the checkout's package first on the
    path (ahead of any borderland.pth that scripts/setup.sh installed for another checkout)."""
    path = os.pathsep.join(p for p in (str(PYTHON_DIR), str(BUILD_DIR / "python"),
                                       os.environ.get("PYTHONPATH", "")) if p)
    return dict(os.environ, PYTHONPATH=path, PYTHONDONTWRITEBYTECODE="1", **extra)


def to_vlen_utf8(path):
    """Rewrite a file's strings as variable-length UTF-8 (datasets and attributes), and its
    comma-separated `columns`/`labels` attributes as arrays of strings: the layout the readers
    must accept besides today's fixed-length bytes."""
    vlen = h5py.string_dtype("utf-8")

    def fix(name, obj):
        for key, value in list(obj.attrs.items()):
            if isinstance(value, (bytes, np.bytes_)):
                text = value.decode()
                if key in ("columns", "labels"):
                    obj.attrs.create(key, np.array(text.split(","), dtype=object), dtype=vlen)
                else:
                    obj.attrs.create(key, text, dtype=vlen)
        if isinstance(obj, h5py.Dataset) and obj.dtype.kind == "S":
            values = obj[()]
            attrs = dict(obj.attrs)
            parent, leaf = obj.parent, name.rsplit("/", 1)[-1]
            del parent[leaf]
            decoded = values.decode() if isinstance(values, bytes) else np.array(
                [v.decode() for v in np.asarray(values).ravel()], dtype=object)
            new = parent.create_dataset(leaf, data=decoded, dtype=vlen)
            for key, value in attrs.items():
                new.attrs[key] = value

    with h5py.File(path, "r+") as f:
        fix("/", f)
        names = []
        f.visititems(lambda name, obj: names.append(name))
        for name in names:
            fix(name, f[name])
    return path

TACTICS = ["suicide_bombing", "complex_assault", "ied", "targeted_killing", "kidnapping",
           "extortion_checkpoint", "prison_break_siege"]
KILLED_LABELS = ["police", "army", "civilians", "militants"]
KABUL_FALLS = np.datetime64("2021-08-15")

# id, name, country, hasc, merged_into, merged_date
PROVINCES = [
    (0, "Khyber Pakhtunkhwa", "PK", "PK.KP", -1, ""),
    (1, "Federally Administered Tribal Areas", "PK", "PK.TA", 0, "2018-05-31"),
    (2, "Balochistan", "PK", "PK.BA", -1, ""),
    (3, "Punjab", "PK", "PK.PB", -1, ""),
    (4, "Sindh", "PK", "PK.SD", -1, ""),
    (5, "Islamabad", "PK", "PK.IS", -1, ""),
    (6, "Kabul", "AF", "AF.KB", -1, ""),
    (7, "Kandahar", "AF", "AF.KD", -1, ""),
    (8, "Nangarhar", "AF", "AF.NG", -1, ""),
]
# share of attacks per province (KP + FATA = 0.8, as in T2)
ATTACK_SHARE = np.array([0.62, 0.18, 0.12, 0.03, 0.05, 0.0, 0.0, 0.0, 0.0])
PLACES = [  # name, country, province, lon, lat, population
    ("Karachi", "PK", 4, 67.01, 24.86, 14_900_000), ("Lahore", "PK", 3, 74.34, 31.55, 11_100_000),
    ("Peshawar", "PK", 0, 71.58, 34.01, 1_970_000), ("Quetta", "PK", 2, 67.00, 30.18, 1_000_000),
    ("Islamabad", "PK", 5, 73.05, 33.68, 1_010_000), ("Bannu", "PK", 0, 70.60, 32.99, 50_000),
    ("Kabul", "AF", 6, 69.17, 34.53, 4_400_000), ("Kandahar", "AF", 7, 65.71, 31.61, 610_000),
    ("Jalalabad", "AF", 8, 70.45, 34.43, 360_000), ("Miranshah", "PK", 1, 70.07, 33.00, 8_000),
]
CROSSINGS = [("Torkham", 71.10, 34.11), ("Chaman", 66.45, 30.92), ("Ghulam Khan", 70.00, 33.10)]

LON0, LAT0, DLON, DLAT, NX, NY = 60.0, 24.0, 0.5, 0.5, 32, 28


def _s(values):
    """Fixed-length UTF-8 bytes, as the engine writes strings."""
    return np.array([str(v).encode() for v in values], dtype="S") if len(values) else np.array([], dtype="S1")


def _table(group, columns: dict):
    group.attrs["kind"] = np.bytes_(b"table")
    group.attrs["columns"] = np.bytes_(",".join(columns).encode())
    for name, values in columns.items():
        values = np.asarray(values)
        data = _s(values) if values.dtype.kind in "UO" else values
        dset = group.create_dataset(name, data=data)
        if values.dtype.kind not in "UOS":
            dset.attrs["units"] = np.bytes_(b"1")


def border_lon(lat):
    """A Durand-Line-like border: Pakistan lies east of it."""
    return np.where(lat < 29.5, 62.0 + (lat - 24.0) * 0.2, 63.1 + (lat - 29.5) * 1.2)


def build_map():
    lon = LON0 + (np.arange(NX) + 0.5) * DLON
    lat = LAT0 + (np.arange(NY) + 0.5) * DLAT
    LON, LAT = np.meshgrid(lon, lat)  # row 0 southernmost
    east = LON > border_lon(LAT)
    pk = east & (LAT < 37.0) & ~((LAT < 24.5) & (LON < 68.0))
    af = ~east & (LON > 61.0) & (LAT < 38.0) & (LAT > 29.0)
    country = np.where(pk, 1, np.where(af, 2, 3)).astype(np.int8)
    country[(LAT < 24.5) & (LON < 68.0)] = 0  # Arabian Sea
    province = np.full((NY, NX), -1, np.int16)
    dist_deg = LON - border_lon(LAT)
    province[pk & (LAT < 28.0)] = 4
    province[pk & (LAT >= 28.0)] = 3
    province[pk & (LON < 69.5) & (LAT >= 25.0) & (LAT < 32.0)] = 2
    province[pk & (LAT >= 32.0) & (LON < 73.0)] = 0
    province[pk & (LAT >= 32.0) & (LAT < 35.0) & (dist_deg < 1.6)] = 1
    province[pk & (np.abs(LON - 73.0) < 0.3) & (np.abs(LAT - 33.7) < 0.3)] = 5
    province[af & (LAT >= 34.0)] = 6
    province[af & (LAT < 34.0) & (LON < 67.5)] = 7
    province[af & (LAT < 34.0) & (LON >= 67.5)] = 8
    border = np.zeros((NY, NX), np.int8)
    for iy in range(NY):
        ix = int((border_lon(lat[iy]) - LON0) / DLON)
        if 0 <= ix < NX and LAT[iy, ix] > 25 and LAT[iy, ix] < 37:
            border[iy, ix] = 1
    population = np.where(country == 1, 2e4, np.where(country == 2, 8e3, 0.0)).astype(np.float32)
    return {"country": country, "province": province, "border": border, "population": population,
            "border_distance": (dist_deg * 100.0).astype(np.float32)}


def write_map(f: h5py.File):
    g = f.create_group("map")
    for key, value in (("lon0", LON0), ("lat0", LAT0), ("dlon", DLON), ("dlat", DLAT)):
        g.attrs[key] = float(value)
    g.attrs["nx"], g.attrs["ny"] = np.int64(NX), np.int64(NY)
    g.attrs["registration"] = np.bytes_(b"corner")
    for name, layer in build_map().items():
        g.create_dataset(name, data=layer)
    cols = list(zip(*PROVINCES))
    _table(g.create_group("provinces"), {
        "id": np.array(cols[0], np.int32), "name": list(cols[1]), "country": list(cols[2]),
        "hasc": list(cols[3]), "area_km2": np.full(len(PROVINCES), 1e5),
        "merged_into": np.array(cols[4], np.int32), "merged_date": list(cols[5])})
    p = list(zip(*PLACES))
    lon, lat = np.array(p[3]), np.array(p[4])
    _table(g.create_group("places"), {
        "id": np.arange(len(PLACES), dtype=np.int32), "name": list(p[0]), "country": list(p[1]),
        "province": np.array(p[2], np.int32), "lon": lon, "lat": lat, "population": np.array(p[5], np.int64),
        "ix": ((lon - LON0) / DLON).astype(np.int32), "iy": ((lat - LAT0) / DLAT).astype(np.int32)})
    c = list(zip(*CROSSINGS))
    lon, lat = np.array(c[1]), np.array(c[2])
    _table(g.create_group("crossings"), {
        "id": np.arange(len(CROSSINGS), dtype=np.int32), "name": list(c[0]), "lon": lon, "lat": lat,
        "ix": ((lon - LON0) / DLON).astype(np.int32), "iy": ((lat - LAT0) / DLAT).astype(np.int32),
        "source": ["synthetic"] * len(CROSSINGS)})


def historical_rate(dates):
    """Attacks per day shaped like the TTP record: +51 % after Kabul falls, a ceasefire dip, a Jan 2023 surge."""
    rate = np.where(dates < KABUL_FALLS, 1.6, 2.6)
    ceasefire = (dates >= np.datetime64("2021-11-01")) & (dates < np.datetime64("2022-01-01"))
    rate = np.where(ceasefire, 1.0, rate)
    surge = (dates >= np.datetime64("2023-01-01")) & (dates < np.datetime64("2023-02-01"))
    return np.where(surge, 2.6, rate)


def simulate(seed: int, start="2020-01-01", end="2023-02-28", attack_factor=1.0, police_factor=1.0,
             tension_shift=0.0, fighter_factor=1.0, rate=None, deterministic=False):
    """Daily TTP-like series and the events behind them, as plain arrays.

    rate: a function dates -> attacks per day (default historical_rate, scaled by attack_factor).
    deterministic: attacks per day are the rate rounded cumulatively (no Poisson noise),
    and events get fixed attributes, so tests can know the answers exactly.
    """
    rng = np.random.default_rng(seed)
    dates = np.arange(np.datetime64(start), np.datetime64(end) + 1)
    T = len(dates)
    lam = (rate or historical_rate)(dates) * attack_factor
    if deterministic:
        cum = np.floor(np.cumsum(lam) + 1e-9)
        attacks = np.diff(np.concatenate([[0.0], cum])).astype(np.int64)
    else:
        attacks = rng.poisson(lam).astype(np.int64)
    n = int(attacks.sum())
    day = np.repeat(np.arange(T), attacks)
    if deterministic:
        province = np.zeros(n, np.int64)  # every attack in KP
        target = np.array(["police"] * n, dtype=object)
        killed_police = np.ones(n, np.int64)
        killed_other = np.zeros((n, 3), np.int64)
        tactic = np.array([TACTICS[2]] * n, dtype=object)
    else:
        province = rng.choice(len(PROVINCES), size=n, p=ATTACK_SHARE)
        target = np.where(rng.random(n) < 0.22, "police",
                          np.where(rng.random(n) < 0.5, "army", "civilians")).astype(object)
        # police lethality rises over the winter of 2022-23, as in T4
        winter = (dates[day] >= np.datetime64("2022-12-15")) & (dates[day] <= np.datetime64("2023-02-28"))
        mean_police = np.where(target == "police", np.where(winter, 2.5, 0.5), 0.02) * police_factor
        killed_police = rng.poisson(mean_police)
        heavy = rng.pareto(1.8, size=n)  # heavy tail: a few mass-casualty attacks
        # soldiers and civilians: with the police, about 300 victims of attacks in Sep 2022 - Feb
        # 2023, as T4 reads the commentary's "some 300" (calibration/targets.yaml)
        killed_other = np.stack([rng.poisson(np.where(target == "army", 0.3, 0.02)),
                                 rng.poisson(0.05 + 0.1 * heavy),
                                 rng.poisson(0.3, size=n)], axis=1)
        tactic = np.array(TACTICS, dtype=object)[rng.choice(len(TACTICS), size=n,
                                                           p=[.08, .1, .3, .25, .1, .15, .02])]
        big = (dates[day] == np.datetime64("2023-01-30")) & (province == 0)
        if big.any():  # a Peshawar-like mosque bombing: one attack with 80+ dead
            i = np.flatnonzero(big)[0]
            killed_police[i], target[i], tactic[i] = 84, "police", "suicide_bombing"
    place = rng.integers(0, len(PLACES), size=n)
    lon = np.array([PLACES[i][3] for i in place]) + rng.normal(0, 0.1, n)
    lat = np.array([PLACES[i][4] for i in place]) + rng.normal(0, 0.1, n)
    killed = np.zeros((T, 4), np.int64)
    np.add.at(killed[:, 0], day, killed_police)
    for k in range(3):
        np.add.at(killed[:, k + 1], day, killed_other[:, k])
    injured_event = rng.poisson(1.5 * (killed_police + killed_other[:, 1]) + 0.5)
    injured = np.zeros((T, 4), np.int64)
    np.add.at(injured[:, 0], day, injured_event)
    by_province = np.zeros((T, len(PROVINCES)), np.int64)
    np.add.at(by_province, (day, province), 1)
    by_tactic = np.zeros((T, len(TACTICS)), np.int64)
    np.add.at(by_tactic, (day, np.array([TACTICS.index(t) for t in tactic], np.int64)), 1)
    walk = np.cumsum(rng.normal(0, 0.02, T))
    tension = np.clip(1 / (1 + np.exp(-(walk - 0.5 + tension_shift))), 0, 1)
    fighters_pk = np.maximum(0, (3000 + np.cumsum(rng.normal(1.0, 8.0, T))) * fighter_factor)
    ceasefire = ((dates >= np.datetime64("2021-11-09")) & (dates <= np.datetime64("2021-12-09"))).astype(np.int64)
    series = {
        "attacks": (attacks, "count", "attacks started this day", None),
        "attacks_by_tactic": (by_tactic, "count", "attacks by tactic", TACTICS),
        "attacks_by_province": (by_province, "count", "attacks by province", [p[1] for p in PROVINCES]),
        "killed": (killed, "count", "people killed this day by group", KILLED_LABELS),
        "attack_killed": (killed, "count", "people killed in attacks this day by group (here every death)",
                          KILLED_LABELS),
        "injured": (injured, "count", "people injured this day by group", KILLED_LABELS),
        "fighters_pakistan": (fighters_pk, "count", "TTP fighters inside Pakistan", None),
        "fighters_sanctuary": (fighters_pk * 1.5, "count", "TTP fighters in Afghan sanctuaries", None),
        "recruits": (rng.poisson(3.0, T), "count", "recruits this day", None),
        "arrests": (rng.poisson(1.0, T), "count", "arrests this day", None),
        "crossings": (rng.poisson(20.0, T), "count", "border crossings this day", None),
        "tension": (tension, "1", "tension between Pakistan and the Afghan Taliban", None),
        "host_tolerance": (1 - tension * 0.5, "1", "Afghan Taliban tolerance of the TTP", None),
        "mean_grievance": (np.clip(0.4 + walk * 0.1, 0, 1), "1", "mean grievance", None),
        "mean_support": (np.clip(0.2 + walk * 0.05, 0, 1), "1", "mean support for the TTP", None),
        "ceasefire": (ceasefire, "1", "1 while a ceasefire holds", None),
        "sanctuary_strength": (fighters_pk * 1.2, "1", "fighters in sanctuaries weighted by arms", None),
    }
    events = {
        "step": day.astype(np.int64), "date": [str(d) for d in dates[day]],
        "x": ((lon - LON0) / DLON).astype(np.int64), "y": ((lat - LAT0) / DLAT).astype(np.int64),
        "lon": lon, "lat": lat, "province": province.astype(np.int64),
        "place": [PLACES[i][0] for i in place], "tactic": list(tactic), "faction": ["TTP"] * n,
        "target": list(target), "killed_police": killed_police.astype(np.int64),
        "killed_army": killed_other[:, 0].astype(np.int64), "killed_civilians": killed_other[:, 1].astype(np.int64),
        "killed_militants": killed_other[:, 2].astype(np.int64), "injured": injured_event.astype(np.int64),
        "attacker_losses": rng.poisson(0.3, n).astype(np.int64),
    }
    summary = {
        "total_attacks": float(attacks.sum()), "police_killed": float(killed[:, 0].sum()),
        "army_killed": float(killed[:, 1].sum()), "civilians_killed": float(killed[:, 2].sum()),
        "militants_killed": float(killed[:, 3].sum()), "mean_tension": float(tension.mean()),
        "final_fighters": float(fighters_pk[-1] * 2.5),
    }
    return dates, series, events, summary


def _root(f, fmt, scenario, seed=None, version=1, model="ttp"):
    f.attrs["format"] = np.bytes_(fmt.encode())
    f.attrs["format_version"] = np.int64(version)
    f.attrs["model"] = np.bytes_(model.encode())
    f.attrs["scenario"] = np.bytes_(scenario.encode())
    if seed is not None:
        f.attrs["seed"] = np.int64(seed)
    f.attrs["borderland_version"] = np.bytes_(b"0.1.0")
    f.attrs["git_commit"] = np.bytes_(b"abc123def456")
    f.attrs["created_utc"] = np.bytes_(b"2026-01-01T00:00:00Z")
    f.attrs["threads"] = np.int64(2)
    g = f.create_group("scenario")
    g.create_dataset("given", data=np.bytes_(f"name: {scenario}\nmodel: {model}\n".encode()))
    g["given"].attrs["overrides"] = np.bytes_(b"")
    g.create_dataset("resolved", data=np.bytes_(f"name: {scenario}\nmodel: {model}\n".encode()))


def _write_series(group, dates, series, stack=None):
    group.create_dataset("step", data=np.arange(len(dates), dtype=np.int64))
    group.create_dataset("date", data=_s([str(d) for d in dates]))
    for name, (values, units, description, labels) in series.items():
        data = values if stack is None else stack[name]
        dset = group.create_dataset(name, data=data, chunks=True, compression="gzip")
        dset.attrs["units"] = np.bytes_(units.encode())
        dset.attrs["description"] = np.bytes_(description.encode())
        if labels:
            dset.attrs["labels"] = np.bytes_(",".join(labels).encode())


def write_run(path, scenario="historical_2020_2023", seed=1, format_version=1, drop=(), snapshot_every=60,
              **kwargs):
    """A run file. drop: dataset paths to leave out (to test missing-dataset errors)."""
    dates, series, events, summary = simulate(seed, **kwargs)
    with h5py.File(path, "w") as f:
        _root(f, "borderland", scenario, seed, format_version)
        write_map(f)
        _write_series(f.create_group("timeseries"), dates, series)
        _table(f.create_group("events"), events)
        snap = f.create_group("snapshots")
        steps = np.arange(0, len(dates), snapshot_every, dtype=np.int64)
        snap.create_dataset("step", data=steps)
        rng = np.random.default_rng(seed + 7)
        layers = build_map()
        dist = layers["border_distance"]
        pk = layers["country"] == 1
        grow = np.linspace(0.5, 1.5, len(steps))[:, None, None]
        militants = np.where(np.abs(dist) < 150, 40.0, 2.0)[None] * grow * rng.gamma(2.0, 0.5, (len(steps), NY, NX))
        militants = np.where((layers["country"] == 1) | (layers["country"] == 2), militants, 0.0)
        snap.create_dataset("militants", data=militants.astype(np.float32), chunks=True, compression="gzip")
        snap["militants"].attrs["units"] = np.bytes_(b"count")
        snap["militants"].attrs["description"] = np.bytes_(b"militant fighters in the cell")
        griev = np.where(pk, 0.3 + 0.4 * np.exp(-np.abs(dist) / 150), 0)[None] * grow
        snap.create_dataset("grievance", data=np.clip(griev, 0, 1).astype(np.float32), chunks=True,
                            compression="gzip")
        snap["grievance"].attrs["units"] = np.bytes_(b"1")
        snap["grievance"].attrs["description"] = np.bytes_(b"mean grievance in the cell")
        sg = f.create_group("summary")
        for name, value in summary.items():
            sg.create_dataset(name, data=np.array([value]))
        for name in drop:
            del f[name]
    return path


def write_sweep(path, scenario="baseline", seeds=range(1, 9), format_version=1, failed=(), drop=(),
                design_columns=None, per_run=None, design_kind="replicas", design_attrs=None, **kwargs):
    """A 'replicas' sweep: one row per seed, series stacked [R, T]. failed: row indices marked failed.
    design_columns {key path: [R] values}, per_run [R] dicts of simulate() arguments on top of kwargs,
    design_kind and design_attrs (extra /design attrs) make other designs (write_posterior_sweep)."""
    seeds = list(seeds)
    runs = [simulate(s, **{**kwargs, **(per_run[i] if per_run else {})}) for i, s in enumerate(seeds)]
    dates, first_series = runs[0][0], runs[0][1]
    stack = {name: np.stack([r[1][name][0] for r in runs]) for name in first_series}
    with h5py.File(path, "w") as f:
        _root(f, "borderland-sweep", scenario, None, format_version)
        f.attrs["base_scenario"] = np.bytes_(scenario.encode())
        f.attrs["sweep_seed"] = np.int64(99)
        f.create_group("sweep").create_dataset("given", data=np.bytes_(f"design: {design_kind}\n".encode()))
        design = f.create_group("design")
        columns = {"run": np.arange(len(seeds), dtype=np.int64),
                   "replicate": np.arange(len(seeds), dtype=np.int64), "seed": np.array(seeds, np.int64)}
        columns.update({k: np.asarray(v, float) for k, v in (design_columns or {}).items()})
        _table(design, columns)
        design.attrs["design"] = np.bytes_(design_kind.encode())
        design.attrs["parameters"] = np.bytes_(",".join(design_columns or {}).encode())
        design.attrs["replicas"] = np.int64(len(seeds))
        for key, value in (design_attrs or {}).items():
            design.attrs[key] = np.bytes_(value.encode()) if isinstance(value, str) else value
        runs_group = f.create_group("runs")
        status = np.ones(len(seeds), np.int8)
        status[list(failed)] = 2
        runs_group.create_dataset("status", data=status)
        runs_group.create_dataset("error", data=_s(["" if s == 1 else "synthetic failure" for s in status]))
        _write_series(runs_group.create_group("timeseries"), dates, first_series, stack)
        sg = runs_group.create_group("summary")
        for name in runs[0][3]:
            d = sg.create_dataset(name, data=np.array([r[3][name] for r in runs]))
            d.attrs["units"] = np.bytes_(b"count")
            d.attrs["description"] = np.bytes_(name.encode())
        for name in drop:
            del f[name]
    return path


def write_posterior_sweep(path, scenario="baseline", draws=(0.6, 1.0, 1.6), seeds_per_draw=2, posterior="",
                          marked=True, **kwargs):
    """A list design over posterior draws x seeds, as `borderland sweep` writes one with `posterior:`:
    run r is draw r % D (parameter `parameters.attacks.rate`, which scales the attacks) of replicate
    r // D; seeds 1000 + r, so scenarios written with the same draws are paired run by run.
    marked=False leaves out the /design attr `posterior` (an ordinary list design)."""
    d = len(draws)
    runs = d * seeds_per_draw
    values = [draws[r % d] for r in range(runs)]
    factor = kwargs.pop("attack_factor", 1.0)
    return write_sweep(path, scenario=scenario, seeds=range(1000, 1000 + runs),
                       design_columns={"parameters.attacks.rate": values},
                       per_run=[{"attack_factor": factor * v} for v in values], design_kind="list",
                       design_attrs={"posterior": posterior, "points": np.int64(d)} if marked else
                       {"points": np.int64(d)}, **kwargs)


def write_posterior(path, n=200, draws=100, seed=5, degenerate=False):
    """A posterior file in the layout of python/borderland/calibration/posterior.py: 3 parameters (a
    model rate the data pin down, a model range they leave free, a reporting rate) and statistics of
    every kind the TTP data have (yearly, half-yearly, monthly, by province, a target, a band)."""
    rng = np.random.default_rng(seed)
    keys = ["parameters.attacks.rate", "parameters.cycle.reach_km", "observation.PICSS.reporting_rate"]
    kinds = ["model", "model", "observation"]
    low, high = np.array([0.01, 20.0, 0.33]), np.array([0.3, 200.0, 1.0])
    rate = np.exp(rng.normal(np.log(0.08), 0.05, n))            # narrow: constrained (log prior)
    reach = rng.uniform(20.0, 200.0, n)                           # the prior itself: free
    report = np.clip(0.8 + 3.0 * np.log(rate / 0.08) + rng.normal(0, 0.05, n), 0.34, 0.99)   # tied to rate
    theta = np.column_stack([rate, reach, report])
    weight = np.full(n, 1.0 / n)
    if degenerate:
        weight = np.zeros(n)
        weight[0] = 1.0
    stats_rows = [  # name, source, kind, observed, period, region, status
        ("picss_attacks_2021_pakistan", "PICSS", "value", 294.0, "year", "Pakistan", "used"),
        ("picss_attacks_2022_pakistan", "PICSS", "value", 376.0, "year", "Pakistan", "used"),
        ("picss_attacks_2022h1_pakistan", "PICSS", "value", 160.0, "half-year", "Pakistan", "used"),
        ("picss_attacks_2023_01_pakistan", "PICSS", "value", 44.0, "month", "Pakistan", "used"),
        ("picss_attacks_2022_khyber_pakhtunkhwa", "PICSS", "value", 250.0, "year", "Khyber Pakhtunkhwa", "used"),
        ("picss_attacks_2022_balochistan", "PICSS", "value", 90.0, "year", "Balochistan", "used"),
        ("t4", "ICG", "value", 120.0, "window", "", "used"),
        ("t6_band", "ICG", "band", 0.0, "window", "", "used"),
        ("picss_attacks_2019_pakistan", "PICSS", "value", 229.0, "year", "Pakistan",
         "pending: outside the simulated period"),
    ]
    observed = np.array([r[3] for r in stats_rows])
    # predicted: around the observed figures (the provincial Balochistan one off: outside its band)
    centre = np.where(observed > 0, observed, 0.1)
    centre[5] *= 3.0
    statistics = centre[None, :] * rng.lognormal(0.0, 0.1, (n, len(stats_rows)))
    statistics[:, 7] = np.abs(rng.normal(0, 0.05, n))
    pick = rng.integers(0, n, draws)

    def strings(values):
        return _s([str(v) for v in values])

    with h5py.File(path, "w") as f:
        for key, value in {"format": "borderland-posterior", "format_version": 1, "model": "ttp", "seed": 7,
                           "method": "ABC-SMC (synthetic)", "stop_reason": "rounds", "base_scenario": "h.yaml"}.items():
            f.attrs[key] = np.bytes_(value.encode()) if isinstance(value, str) else value
        p = f.create_group("parameters")
        p["key"], p["kind"], p["prior"] = strings(keys), strings(kinds), strings(["log", "uniform", "uniform"])
        p["min"], p["max"] = low, high
        p["integer"] = np.zeros(3, np.int8)
        p["default"] = [0.1, 60.0, 0.8]
        p["units"] = strings(["1/day", "km", "1"])
        pop = f.create_group("population")
        pop["theta"], pop["weight"], pop["distance"], pop["statistics"] = theta, weight, rng.random(n), statistics
        d = f.create_group("draws")
        d["value"], d["particle"] = theta[pick], pick.astype(np.int64)
        d["key"], d["kind"] = strings(keys), strings(kinds)
        s = f.create_group("schedule")
        s["epsilon"] = [np.inf, 2.0, 1.0]
        s["simulations"] = [n, 2 * n, 2 * n]
        s["acceptance"] = [1.0, 0.5, 0.4]
        ess = 1.0 if degenerate else float(n) * 0.9
        s["ess"] = [float(n), ess, ess]
        st = f.create_group("statistics")
        st["name"], st["source"], st["kind"] = (strings([r[i] for r in stats_rows]) for i in range(3))
        st["observed"] = observed
        st["scale"] = np.maximum(observed, 1.0)
        st["weight"] = np.ones(len(stats_rows))
        st["period"], st["region"], st["status"] = (strings([r[i] for r in stats_rows]) for i in (4, 5, 6))
        st["series"] = strings(["attacks"] * len(stats_rows))
        st["reference"] = strings(["synthetic"] * len(stats_rows))
        st["band_low"] = np.where(np.arange(len(stats_rows)) == 7, 0.0, np.nan)
        st["band_high"] = np.where(np.arange(len(stats_rows)) == 7, 1.0, np.nan)
        rounds = f.create_group("rounds")
        for k in range(3):
            g = rounds.create_group(f"{k:02d}")
            g["z"], g["weight"], g["distance"], g["statistics"] = theta, weight, rng.random(n), statistics
            g.attrs["epsilon"] = float(s["epsilon"][k])
    return path


def saltelli_design(n_base, bounds, seed=0):
    """Rows A, B, AB_1..AB_d for uniform inputs within bounds [(low, high), ...]."""
    from scipy.stats import qmc
    d = len(bounds)
    unit = qmc.Sobol(2 * d, scramble=True, seed=seed).random(n_base)
    low = np.array([b[0] for b in bounds] * 2)
    high = np.array([b[1] for b in bounds] * 2)
    sample = low + unit * (high - low)
    a, b = sample[:, :d], sample[:, d:]
    blocks = [a, b] + [np.where(np.arange(d) == i, b, a) for i in range(d)]
    return np.vstack(blocks)


def ishigami(x, a=7.0, b=0.1):
    return np.sin(x[:, 0]) + a * np.sin(x[:, 1]) ** 2 + b * x[:, 2] ** 4 * np.sin(x[:, 0])


def write_saltelli_sweep(path, n_base=1024, replicas=1, func=ishigami, names=("p.x1", "p.x2", "p.x3"),
                         bounds=((-np.pi, np.pi),) * 3, noise=0.0, failed=(), days=10, seed=0):
    """A saltelli sweep whose summary metric `y` is func(parameters) (+ seed noise per replicate)."""
    points = saltelli_design(n_base, list(bounds), seed)
    rows = np.vstack([points] * replicas)
    rng = np.random.default_rng(seed + 1)
    y = np.concatenate([func(points) + noise * rng.normal(size=len(points)) for _ in range(replicas)])
    R = len(rows)
    status = np.ones(R, np.int8)
    status[list(failed)] = 2
    y[status != 1] = np.nan
    dates = np.arange(np.datetime64("2023-03-01"), np.datetime64("2023-03-01") + days)
    with h5py.File(path, "w") as f:
        _root(f, "borderland-sweep", "sensitivity", None)
        design = f.create_group("design")
        cols = {"run": np.arange(R, dtype=np.int64), "replicate": np.repeat(np.arange(replicas), len(points)),
                "seed": np.arange(R, dtype=np.int64) + 1000}
        for i, name in enumerate(names):
            cols[name] = rows[:, i]
        _table(design, cols)
        design.attrs["design"] = np.bytes_(b"saltelli")
        design.attrs["parameters"] = np.bytes_(",".join(names).encode())
        design.attrs["replicas"] = np.int64(replicas)
        design.attrs["base_samples"] = np.int64(n_base)
        g = f.create_group("runs")
        g.create_dataset("status", data=status)
        g.create_dataset("error", data=_s([""] * R))
        ts = g.create_group("timeseries")
        ts.create_dataset("step", data=np.arange(days, dtype=np.int64))
        ts.create_dataset("date", data=_s([str(d) for d in dates]))
        attacks = ts.create_dataset("attacks", data=np.repeat(np.nan_to_num(y)[:, None], days, axis=1) / days)
        attacks.attrs["units"] = np.bytes_(b"count")
        s = g.create_group("summary").create_dataset("y", data=y)
        s.attrs["units"] = np.bytes_(b"1")
        s.attrs["description"] = np.bytes_(b"test function output")
    return path


def write_scenario_set(directory, scenarios=None, seeds=range(1, 9), start="2023-03-01", end="2024-02-29"):
    """One replicas sweep per projection scenario, with known policy effects (for compare/report)."""
    scenarios = scenarios or {
        "baseline": {},
        "police_reform": {"police_factor": 0.5},
        "cross_border_strikes": {"attack_factor": 0.85, "tension_shift": 1.5},
        "talks": {"attack_factor": 1.15, "fighter_factor": 1.3},
    }
    paths = []
    for name, effects in scenarios.items():
        paths.append(write_sweep(f"{directory}/{name}.h5", scenario=name, seeds=seeds, start=start, end=end,
                                 **effects))
    return paths


def sweep_from_runs(path, run_paths, design_columns: dict, design="saltelli", parameters=(), base_samples=None,
                    scenario=None):
    """Assemble a sweep file (the contract's layout) from run files written by the engine.

    What `borderland sweep`/`merge` will write, built here from real runs so that the
    sensitivity command can be tested on engine numbers before the sweep command exists.
    design_columns: one array per /design column after run, replicate, seed (e.g. "parameters.legitimacy").
    """
    R = len(run_paths)
    with h5py.File(run_paths[0], "r") as first, h5py.File(path, "w") as f:
        for key, value in first.attrs.items():
            f.attrs[key] = value
        f.attrs["format"] = np.bytes_(b"borderland-sweep")
        f.attrs["scenario"] = np.bytes_((scenario or _decode(first.attrs["scenario"])).encode())
        f.attrs["base_scenario"] = f.attrs["scenario"]
        f.attrs["sweep_seed"] = np.int64(0)
        first.copy("scenario", f)
        seeds = []
        series = {k: [] for k in first["timeseries"]  # the series: not the axis, not coordinates (scales)
                  if k not in ("step", "date") and "CLASS" not in first["timeseries"][k].attrs}
        summary = {k: [] for k in first.get("summary", {})}
        for run in run_paths:
            with h5py.File(run, "r") as r:
                seeds.append(int(r.attrs["seed"]))
                for k in series:
                    series[k].append(r["timeseries"][k][()])
                for k in summary:
                    summary[k].append(float(np.ravel(r["summary"][k][()])[0]))
        g = f.create_group("design")
        cols = {"run": np.arange(R, dtype=np.int64), "replicate": np.zeros(R, np.int64),
                "seed": np.array(seeds, np.int64)}
        cols.update({k: np.asarray(v, float) for k, v in design_columns.items()})
        _table(g, cols)
        g.attrs["design"] = np.bytes_(design.encode())
        g.attrs["parameters"] = np.bytes_(",".join(parameters or design_columns).encode())
        g.attrs["replicas"] = np.int64(1)
        if base_samples is not None:
            g.attrs["base_samples"] = np.int64(base_samples)
        runs = f.create_group("runs")
        runs.create_dataset("status", data=np.ones(R, np.int8))
        runs.create_dataset("error", data=_s([""] * R))
        ts = runs.create_group("timeseries")
        for k in ("step", "date"):
            first.copy(f"timeseries/{k}", ts)
        for k, rows in series.items():
            d = ts.create_dataset(k, data=np.stack(rows))
            for a, v in first["timeseries"][k].attrs.items():
                if a not in ("DIMENSION_LIST", "REFERENCE_LIST"):  # references into the run file
                    d.attrs[a] = v
        sm = runs.create_group("summary")
        for k, values in summary.items():
            d = sm.create_dataset(k, data=np.array(values))
            for a, v in first["summary"][k].attrs.items():
                if a not in ("DIMENSION_LIST", "REFERENCE_LIST"):
                    d.attrs[a] = v
    return path


def _decode(value):
    return value.decode() if isinstance(value, (bytes, np.bytes_)) else str(value)
