"""The TTP model's observation model: every tracker row and every target as a statistic.

Two generators, named in an observation file (models/ttp/calibration/observation.yaml):

- `ttp_trackers` reads the tracker table (tracker, period_start, period_end,
  region, measure, value, source) and makes one statistic per row: the model
  quantity the row's measure names (the file's `measures` table), over the
  row's inclusive period, in the row's region (the file's `regions` table,
  regions to the model's provinces), counted by the row's tracker (its source:
  reporting rate and, for national attack counts, the tactics it includes).
  A row the model cannot compute yet (a series it does not write, a period
  outside the simulated one) is still a statistic, marked pending with the
  reason, so the posterior file and the report list every row.
- `ttp_targets` reads the targets file (T1-T7) and makes one statistic per
  target from the model's summary metric (t1 ... t7): sums are counts seen by
  the targets' source; relative changes and shares are compared as values;
  "fewer than" and "rare but possible" targets are bands.
"""
from __future__ import annotations

import csv
import datetime
import os
import re

from borderland.calibration.errors import CalibrationInputError
from borderland.calibration.observation import Component, Statistic, default_count_scale
from borderland.calibration.yamlnodes import Node, load

TRACKER_COLUMNS = ("tracker", "period_start", "period_end", "region", "measure", "value", "source")
# A target band [low, high] is read as a 95 % interval: the scale is a quarter of its width.
BAND_WIDTH_IN_SCALES = 4.0
# A share (fraction) without a band is compared on this scale (five percentage points).
SHARE_SCALE = 0.05


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def _period(start: datetime.date, end: datetime.date) -> str:
    if start.month == 1 and start.day == 1 and end.month == 12 and end.day == 31 and start.year == end.year:
        return "year"
    if start.day == 1 and (end + datetime.timedelta(days=1)).day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month + 1
        return {1: "month", 6: "half-year"}.get(months, f"{months} months")
    return "window"


def _labels_map(node: Node) -> dict[str, tuple[str, ...] | None]:
    """`series` of a measure: a name, a list of names, or a map name -> labels (null: 1-D)."""
    if node.is_scalar:
        return {node.text(): None}
    if node.is_list:
        return {item.text(): None for item in node.value}
    return {name: (tuple(i.text() for i in labels.value) if labels.is_list else None)
            for name, labels in node.require_map().items()}


def tracker_statistics(node: Node, observation_path: str, sources: dict) -> list[Statistic]:
    node.check_keys({"kind", "file", "sources", "simulated", "regions", "kp_settled_rule", "inclusion",
                     "measures", "share_scale"})
    here = os.path.dirname(os.path.abspath(observation_path))
    file_node = node.need("file", "the tracker table (CSV)")
    path = os.path.join(here, file_node.text())
    tracker_source = {k: v.text() for k, v in node.need("sources", "tracker -> source").require_map().items()}
    for tracker, src_node in node.get("sources").value.items():
        if src_node.text() not in sources:
            raise src_node.error(f"unknown source '{src_node.text()}' (known: {', '.join(sources)})")
    window = node.need("simulated", "{from, to}: the period the runs cover")
    sim_start, sim_end = window.need("from", "a date").date(), window.need("to", "a date").date()
    regions = {name: tuple(i.text() for i in v.value) for name, v in
               node.need("regions", "region -> model provinces").require_map().items()}
    settled = node.get("kp_settled_rule")
    settled_rule = None
    if settled is not None:   # {region, tribal, settled}: a region means its settled part when the tribal one is listed
        settled.check_keys({"region", "tribal", "settled"})
        settled_rule = tuple(settled.need(k, "a region name").text() for k in ("region", "tribal", "settled"))
    inclusion = {}
    if node.get("inclusion") is not None:
        for source, inc in node.get("inclusion").require_map().items():
            inc.check_keys({"tactics"})
            inclusion[source] = tuple(i.text() for i in inc.need("tactics", "the tactics it counts").value)
    measures = {}
    for name, spec in node.need("measures", "measure -> model quantity").require_map().items():
        spec.check_keys({"series", "by_province", "share_of", "pending", "count", "description"})
        measures[name] = spec
    share_scale = node.get("share_scale").number(1e-9, None) if node.get("share_scale") else SHARE_SCALE
    try:
        with open(path, newline="", encoding="utf-8") as f:
            rows = list(csv.DictReader(f))
    except OSError as exc:
        raise file_node.error(f"cannot read {path} ({exc.strerror})") from None
    shown = os.path.relpath(path)
    if not rows or tuple(rows[0].keys()) != TRACKER_COLUMNS:
        raise CalibrationInputError(f"{shown}:1: error: expected the header {','.join(TRACKER_COLUMNS)}")
    listed = {(r["tracker"], r["period_start"], r["period_end"], r["measure"], r["region"]) for r in rows}
    out = []
    for line, row in enumerate(rows, start=2):
        where = f"{shown}:{line}"
        try:
            start = datetime.date.fromisoformat(row["period_start"])
            end = datetime.date.fromisoformat(row["period_end"])
            observed = float(row["value"])
        except ValueError as exc:
            raise CalibrationInputError(f"{where}: error: {exc}") from None
        tracker, measure, region = row["tracker"], row["measure"], row["region"]
        if tracker not in tracker_source:
            raise CalibrationInputError(f"{where}: error: tracker '{tracker}' has no source in {file_node.where()}")
        if measure not in measures:
            raise CalibrationInputError(f"{where}: error: measure '{measure}' is not in the measures table of "
                                        f"{node.where()}")
        if region not in regions:
            raise CalibrationInputError(f"{where}: error: region '{region}' is not in the regions table of "
                                        f"{node.where()}")
        source = tracker_source[tracker]
        provinces = regions[region]
        if settled_rule and region == settled_rule[0] and \
                (tracker, row["period_start"], row["period_end"], measure, settled_rule[1]) in listed:
            provinces = regions[settled_rule[2]]          # the tribal part is a row of its own
        spec = measures[measure]
        stat = Statistic(name=f"{_slug(tracker)}_{measure}_{_slug(region)}_{start}_{end}", observed=observed,
                         source=source, reference=f"{tracker}: {row['source']}", period=_period(start, end),
                         region=region, weight=1.0)
        national = region == "Pakistan"
        if spec.get("pending") is not None:
            stat.unavailable = spec.get("pending").text()
        elif spec.get("share_of") is not None:          # a share of the national count
            series = spec.get("share_of").text()
            stat.kind, stat.count, stat.scale = "ratio", False, share_scale
            stat.component = Component((series,), (provinces,), start, end)
            stat.denominator = Component((series,), (regions["Pakistan"],), start, end)
        elif spec.get("series") is not None and (national or spec.get("by_province") is None):
            if not national and spec.get("by_province") is None:
                stat.unavailable = f"needs '{measure}' by province (the model writes it nationally only)"
            alternatives = _labels_map(spec.get("series"))
            if source in inclusion and alternatives == {"attacks_by_tactic": None}:   # all the tactics it counts
                alternatives = {"attacks_by_tactic": inclusion[source]}
            stat.component = Component(tuple(alternatives), tuple(alternatives.values()), start, end)
        else:
            by = spec.need("by_province", "the per-province series")
            stat.component = Component((by.text(),), (provinces,), start, end)
        if start < sim_start or end > sim_end:
            stat.unavailable = f"outside the simulated period {sim_start} .. {sim_end}"
        if stat.kind == "value":
            stat.count = spec.get("count").boolean() if spec.get("count") is not None else True
            stat.scale = default_count_scale(observed)
        out.append(stat)
    return out


def target_statistics(node: Node, observation_path: str, sources: dict) -> list[Statistic]:
    node.check_keys({"kind", "file", "source", "weights"})
    here = os.path.dirname(os.path.abspath(observation_path))
    file_node = node.need("file", "the targets file (YAML)")
    source = node.need("source", "the source that counted the targets").text()
    if source not in sources:
        raise node.get("source").error(f"unknown source '{source}' (known: {', '.join(sources)})")
    weights = {k: v.number(0, None) for k, v in node.get("weights").require_map().items()} \
        if node.get("weights") is not None else {}
    path = os.path.join(here, file_node.text())
    if not os.path.isfile(path):
        raise file_node.error(f"no such targets file: {path}")
    root = load(path, os.path.relpath(path))
    out = []
    for item in root.need("targets", "the list of targets").value:
        tid = item.need("id", "the target's id").text()
        metric = item.need("metric", "the summary metric").text()
        compute = item.need("compute", "how it is computed").text()
        band_node = item.get("band")
        low = high = None
        if band_node is not None:
            b = band_node.require_map()
            low = b["low"].number() if "low" in b and b["low"].describe() != "null" else None
            high = b["high"].number() if "high" in b and b["high"].describe() != "null" else None
        value_node = item.get("value")
        value = value_node.number() if value_node is not None and value_node.describe() != "null" else None
        stat = Statistic(name=tid, observed=value if value is not None else 0.0, summary=metric, source=source,
                         weight=weights.get(tid, 1.0), period="window", region="",
                         reference=item.get("source").text() if item.get("source") is not None else "")
        if compute in ("below_neighbours", "max") or value is None:
            stat.kind, stat.band, stat.observed, stat.count = "band", (low, high), 0.0, False
            stat.scale = (value or high or 1.0) * 0.1 if compute == "below_neighbours" else \
                max((high or 0) - (low or 0), 1.0) / BAND_WIDTH_IN_SCALES
        else:
            stat.count = compute == "sum"
            if low is not None and high is not None:
                stat.scale = (high - low) / BAND_WIDTH_IN_SCALES
            elif low is not None:
                stat.scale = 2 * abs(value - low) / BAND_WIDTH_IN_SCALES or SHARE_SCALE
            else:
                stat.scale = default_count_scale(value) if stat.count else SHARE_SCALE
        out.append(stat)
    return out
