"""The observation model: what a model run looks like as a source would have counted it.

A **source** (a tracker such as PICSS or PIPS, or a text quoting figures) sees
a share of the model's events: its *reporting rate*, a parameter fitted with the
model's (prior in the observation file). A **statistic** is one observed figure
and the rule that computes the same quantity from a run: a sum, mean or
maximum of a named series (`attacks`, `attacks_by_province` columns, ...) over
an inclusive date window, a ratio of two such sums, or a summary metric. A
count seen by a source is thinned: the reported count of a window holding n
model events is Binomial(n, rate), which is the law of reporting each event
independently with that probability. Ratios of counts of one source are
compared as expected values (the rate cancels).

A statistic whose series the model does not write (yet) is *pending*: listed in
the posterior file and the diagnostics with the series it needs, left out of the
distance. Nothing is silently dropped.
"""
from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

import numpy as np

from .errors import CalibrationInputError, did_you_mean
from .yamlnodes import Node, load

REDUCERS = ("sum", "mean", "max")
KINDS = ("value", "ratio", "relative_change", "band")
STATISTIC_KEYS = {"name", "source", "series", "labels", "from", "to", "reduce", "summary", "kind",
                  "denominator", "observed", "band", "scale", "weight", "reference", "period", "region", "count"}
SOURCE_KEYS = {"description", "reporting_rate", "reference"}
RATE_KEYS = {"min", "max", "default"}
# Default observation error of a count: Poisson-like sqrt(n) plus this share of n (the
# trackers revise their own yearly totals by ~1 %, and two trackers differ by far more).
DEFAULT_RELATIVE_ERROR = 0.1
# A mean or ratio without a given scale is compared on this share of its observed value.
DEFAULT_RELATIVE_SCALE = 0.1


@dataclass(frozen=True)
class Source:
    name: str
    description: str
    rate_low: float
    rate_high: float
    rate_default: float
    reference: str = ""

    @property
    def rate_parameter(self) -> str:
        return f"observation.{self.name}.reporting_rate"


@dataclass(frozen=True)
class Component:
    """A reduction of a named series over an inclusive window; `series` lists alternatives in order."""
    series: tuple[str, ...]
    labels: tuple[tuple[str, ...] | None, ...]   # columns of each alternative (None: 1-D or all)
    start: datetime.date | None
    end: datetime.date | None
    reduce: str = "sum"


@dataclass
class Statistic:
    name: str
    observed: float
    kind: str = "value"                    # value | ratio | relative_change | band
    component: Component | None = None     # what is counted (kind value/ratio/relative_change/band)
    denominator: Component | None = None   # ratio and relative_change
    summary: str | None = None             # a /runs/summary metric instead of a component
    source: str | None = None              # whose counting: thinned by that source's rate
    count: bool = True                     # a count (thinned by the rate) or a level (not)
    band: tuple[float | None, float | None] | None = None   # kind band: distance outside [low, high]
    scale: float | None = None             # None: the MAD of the first round's simulations
    weight: float = 1.0
    reference: str = ""
    period: str = ""                       # year | half-year | month | window (diagnostics group by it)
    region: str = ""
    unavailable: str = ""                  # why it can never be computed from these runs (set when built)
    pending: str = ""                      # why it cannot be computed yet (set by `resolve`)
    used_series: str = ""                  # the alternative found in the run files

    def series_needed(self) -> set[str]:
        out = set()
        for c in (self.component, self.denominator):
            if c is not None:
                out |= set(c.series)
        return out


def default_count_scale(observed: float) -> float:
    return math.sqrt(max(observed, 1.0)) + DEFAULT_RELATIVE_ERROR * abs(observed)


# ---------------------------------------------------------------------- reading
def component_from_node(node: Node, series_node: Node) -> Component:
    if series_node.is_list:
        series = tuple(item.text() for item in series_node.value)
    else:
        series = (series_node.text(),)
    labels_node = node.get("labels")
    if labels_node is not None and labels_node.is_map:
        labels = tuple(tuple(i.text() for i in labels_node.value[s].value) if s in labels_node.value else None
                       for s in series)
    elif labels_node is not None:
        if not labels_node.is_list:
            raise labels_node.error(f"expected a list of column labels, got {labels_node.describe()}")
        labels = (tuple(item.text() for item in labels_node.value),) * len(series)
    else:
        labels = (None,) * len(series)
    start = node.get("from").date() if node.get("from") is not None else None
    end = node.get("to").date() if node.get("to") is not None else None
    if start and end and end < start:
        raise node.get("to").error(f"the window ends ({end}) before it starts ({start})")
    reduce = node.get("reduce").text() if node.get("reduce") is not None else "sum"
    if reduce not in REDUCERS:
        raise node.get("reduce").error(f"expected one of {', '.join(REDUCERS)}, got \"{reduce}\"")
    return Component(series, labels, start, end, reduce)


def statistic_from_node(node: Node, sources: dict[str, Source]) -> Statistic:
    node.check_keys(STATISTIC_KEYS)
    name = node.need("name", "a name for the statistic").text()
    kind = node.get("kind").text() if node.get("kind") is not None else "value"
    if kind not in KINDS:
        raise node.get("kind").error(f"expected one of {', '.join(KINDS)}, got \"{kind}\"")
    summary = node.get("summary").text() if node.get("summary") is not None else None
    series_node = node.get("series")
    if (summary is None) == (series_node is None):
        raise node.error("give exactly one of 'series' (with from/to) or 'summary'")
    component = component_from_node(node, series_node) if series_node is not None else None
    denominator = None
    if kind in ("ratio", "relative_change"):
        den = node.need("denominator", "the series the ratio divides by")
        den.check_keys({"series", "labels", "from", "to", "reduce"})
        denominator = component_from_node(den, den.need("series", "a series name"))
    band = None
    if kind == "band":
        b = node.need("band", "the band {low, high} the statistic should fall in")
        b.check_keys({"low", "high"})
        low = b.get("low").number() if b.get("low") is not None and b.get("low").describe() != "null" else None
        high = b.get("high").number() if b.get("high") is not None and b.get("high").describe() != "null" else None
        if low is None and high is None:
            raise b.error("expected low, high or both")
        band = (low, high)
        observed = 0.0
    else:
        observed = node.need("observed", "the observed figure").number()
    source = None
    if node.get("source") is not None:
        source = node.get("source").text()
        if source not in sources:
            raise node.get("source").error(
                f"unknown source '{source}'{did_you_mean(source, sources)} (known: {', '.join(sources) or 'none'})")
    count = node.get("count").boolean() if node.get("count") is not None else kind == "value"
    scale = None
    if node.get("scale") is not None:
        sc = node.get("scale")
        scale = None if sc.is_scalar and str(sc.value) == "mad" else sc.number(1e-12, None)
    weight = node.get("weight").number(0, None) if node.get("weight") is not None else 1.0
    text = {k: node.get(k).text() if node.get(k) is not None else "" for k in ("reference", "period", "region")}
    return Statistic(name=name, observed=observed, kind=kind, component=component, denominator=denominator,
                     summary=summary, source=source, count=count, band=band, scale=scale, weight=weight,
                     **text)


def source_from_node(name: str, node: Node) -> Source:
    node.check_keys(SOURCE_KEYS)
    rate = node.need("reporting_rate", "{min, max, default}: the prior of the share of events it reports")
    rate.check_keys(RATE_KEYS)
    low = rate.need("min", "the lowest reporting rate").number(0, 1)
    high = rate.need("max", "the highest reporting rate").number(0, 1)
    if not low < high:
        raise rate.error(f"expected min < max, got [{low:g}, {high:g}]")
    default = rate.get("default").number(low, high) if rate.get("default") is not None else (low + high) / 2
    text = lambda k: node.get(k).text() if node.get(k) is not None else ""   # noqa: E731
    return Source(name, text("description"), low, high, default, text("reference"))


def load_observation(path: str) -> tuple[list[Source], list[Statistic]]:
    """An observation file: `sources` (each with its reporting-rate prior), `statistics`,
    and optionally `generators`: model-specific builders (see borderland.ttp.observation)
    that turn a data file into statistics (every tracker row, every target)."""
    root = load(path)
    root.check_keys({"description", "sources", "statistics", "generators"})
    sources: dict[str, Source] = {}
    src = root.get("sources")
    if src is not None:
        for name, node in src.require_map().items():
            sources[name] = source_from_node(name, node)
    statistics: list[Statistic] = []
    stats_node = root.get("statistics")
    if stats_node is not None:
        for item in stats_node.value if stats_node.is_list else []:
            statistics.append(statistic_from_node(item, sources))
    gens = root.get("generators")
    if gens is not None:
        from . import generators
        statistics += generators.run_generators(gens, path, sources)
    names = set()
    for s in statistics:
        if s.name in names:
            raise CalibrationInputError(f"{path}: error: statistic '{s.name}' is defined twice")
        names.add(s.name)
    return list(sources.values()), statistics


# ---------------------------------------------------------------------- evaluation
@dataclass
class RunData:
    """What the statistics read from a batch of runs (one sweep file)."""
    dates: np.ndarray                                   # datetime64[D], [T]
    series: dict[str, tuple[np.ndarray, list[str]]]     # name -> ([R, T] or [R, T, k], labels)
    summary: dict[str, np.ndarray] = field(default_factory=dict)   # name -> [R]
    ok: np.ndarray | None = None                        # [R] bool: the run finished


def resolve(statistics: list[Statistic], available_series: dict[str, list[str]],
            available_summary: set[str]) -> None:
    """Mark each statistic pending or usable against what the run files hold."""
    for stat in statistics:
        stat.pending = stat.unavailable
        if stat.pending:
            continue
        if stat.summary is not None:
            if stat.summary not in available_summary:
                stat.pending = f"needs summary metric '{stat.summary}'"
            continue
        for comp in (stat.component, stat.denominator):
            if comp is None:
                continue
            found = [(s, lab) for s, lab in zip(comp.series, comp.labels) if s in available_series]
            if not found:
                stat.pending = f"needs series {' or '.join(repr(s) for s in comp.series)}"
                break
            series, labels = found[0]
            missing = [l for l in (labels or ()) if l not in available_series[series]]
            if missing:
                stat.pending = f"series '{series}' has no column {', '.join(repr(m) for m in missing)}"
                break
        if not stat.pending:
            stat.used_series = "; ".join(
                next(s for s in c.series if s in available_series) for c in (stat.component, stat.denominator) if c)


def _reduce(comp: Component, data: RunData) -> np.ndarray:
    name, labels = next((s, lab) for s, lab in zip(comp.series, comp.labels) if s in data.series)
    values, column_labels = data.series[name]
    if values.ndim == 3:
        cols = [column_labels.index(l) for l in labels] if labels else list(range(values.shape[2]))
        values = values[:, :, cols].sum(axis=2)
    dates = data.dates
    start = np.datetime64(comp.start) if comp.start else dates[0]
    end = np.datetime64(comp.end) if comp.end else dates[-1]
    n_runs = values.shape[0]
    if len(dates) == 0 or dates[0] > start or dates[-1] < end:
        return np.full(n_runs, np.nan)                      # the runs do not cover the window
    mask = (dates >= start) & (dates <= end)
    window = values[:, mask].astype(float)
    return {"sum": window.sum(axis=1), "mean": window.mean(axis=1), "max": window.max(axis=1)}[comp.reduce]


def evaluate(statistics: list[Statistic], data: RunData, rates: dict[str, np.ndarray],
             rng: np.random.Generator) -> np.ndarray:
    """[R, S] simulated statistics (NaN for pending ones and failed runs).

    `rates` maps a source name to its reporting rate per run ([R]). Counts of a
    source are drawn Binomial(n, rate), one draw per run and statistic, in the
    statistics' order: the same inputs and generator state give the same values.
    """
    n_runs = len(data.ok) if data.ok is not None else next(iter(data.series.values()))[0].shape[0]
    out = np.full((n_runs, len(statistics)), np.nan)
    for j, stat in enumerate(statistics):
        if stat.pending:
            continue
        if stat.summary is not None:
            x = np.asarray(data.summary[stat.summary], float)
        else:
            x = _reduce(stat.component, data)
        if stat.kind in ("ratio", "relative_change"):
            den = _reduce(stat.denominator, data)
            with np.errstate(divide="ignore", invalid="ignore"):
                x = x / den - (1.0 if stat.kind == "relative_change" else 0.0)
        elif stat.source is not None and stat.count:
            rate = np.clip(rates[stat.source], 0.0, 1.0)
            finite = np.isfinite(x)
            drawn = np.full(n_runs, np.nan)
            drawn[finite] = rng.binomial(np.round(x[finite]).astype(np.int64), rate[finite])
            x = np.where(finite, drawn, np.nan)
        if stat.kind == "band":
            low, high = stat.band
            below = np.maximum((low if low is not None else -np.inf) - x, 0.0)
            above = np.maximum(x - (high if high is not None else np.inf), 0.0)
            x = np.where(np.isfinite(x), below + above, np.nan)
        out[:, j] = x
    if data.ok is not None:
        out[~data.ok] = np.nan
    return out
