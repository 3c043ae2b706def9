"""The calibration file (CAL.yaml): what to fit, to what, how hard.

```yaml
description: ...
base: ../../scenarios/ttp/historical_2020_2023.yaml   # the scenario every run starts from
set: {output.snapshot_every: 0}                       # key paths set in every run (as --set); without
                                                      # output.series the runs write the series the statistics read
seed: 2023                                            # the calibration's seed: everything follows from it
method:
  population: 400          # particles kept per round
  rounds: 8                # at most this many rounds ...
  final_tolerance: 0.5     # ... or stop once the tolerance is at or below this (optional)
  quantile: 0.5            # next tolerance = this weighted quantile of the last round's distances
  kernel_scale: 2          # kernel variance = this x the last round's weighted variance, per parameter
  kernel: reflected        # how a move stays in the prior's range: reflected at its ends, or truncated
  min_acceptance: 0.02     # stop when a round accepts fewer of its simulations than this
  max_simulations_per_round: 20000
  draws: 1000              # equal-weight draws written to the posterior file
run: {threads: 2, launcher: [], extra_args: [], keep_batches: false}   # how borderland sweep runs
                           # (launcher: e.g. [mpirun, -np, "3"]; keep_batches: keep every batch's sweep file)
parameters:                # priors
  declared: all            # every parameter with a declared range (or a list of key paths) ...
  exclude: [parameters.map]    # ... except these
  around_default: 2        # optional: the declared range cut to [default / 2, default * 2], log-uniform
  priors:                  # explicit priors, narrowing or replacing the declared range
    parameters.attacks.rate: {min: 0.001, max: 0.005}
    parameters.cycle.mission_days: {min: 20, max: 120, scale: log}
observation: models/ttp/calibration/observation.yaml # optional: sources, their reporting rates, the statistics
statistics:                # figures to fit (beside those the observation file defines)
  - {name: mean_active, summary: mean_active, observed: 12.5, scale: 3}
  - {name: jailed_feb, series: jailed, from: 2000-02-01, to: 2000-02-29, reduce: mean, observed: 40}
```
Paths are relative to the calibration file. Every error is reported as
`CAL.yaml:line:col: error: key.path: ...` (exit 2) before anything runs.
"""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field

from . import abc_smc, observation, specs
from .errors import CalibrationInputError, did_you_mean
from .yamlnodes import Node, load

TOP_KEYS = {"description", "base", "set", "seed", "method", "run", "parameters", "observation", "statistics"}
METHOD_KEYS = {"population", "rounds", "final_tolerance", "quantile", "min_acceptance",
               "max_simulations_per_round", "draws", "kernel_scale", "kernel"}
RUN_KEYS = {"threads", "launcher", "extra_args", "keep_batches"}
PARAMETER_KEYS = {"declared", "exclude", "priors", "around_default"}
PRIOR_KEYS = {"min", "max", "scale"}
PRIOR_SCALES = ("uniform", "log")
# Defaults of the method (Beaumont et al. 2009 use the median for the schedule).
DEFAULT_QUANTILE = 0.5
DEFAULT_MIN_ACCEPTANCE = 0.01
DEFAULT_DRAWS = 1000
DEFAULT_KERNEL_SCALE = abc_smc.DEFAULT_KERNEL_SCALE   # Beaumont et al. (2009): twice the population's variance
SERIES_KEY = "output.series"          # the runs' series selection (docs/experiments.md)
SIMULATIONS_PER_PARTICLE_CAP = 50   # default cap of a round's simulations: this many per particle


@dataclass(frozen=True)
class Prior:
    key: str                 # --set key path, or an observation parameter's name
    low: float
    high: float
    scale: str               # "uniform" or "log" (uniform in log theta)
    integer: bool
    kind: str                # "model" (goes to the simulator) or "observation"
    default: float
    units: str

    @property
    def z_low(self) -> float:
        return math.log(self.low) if self.scale == "log" else self.low

    @property
    def z_high(self) -> float:
        return math.log(self.high) if self.scale == "log" else self.high


@dataclass
class Method:
    population: int
    rounds: int
    final_tolerance: float | None
    quantile: float
    min_acceptance: float
    max_simulations_per_round: int
    draws: int
    kernel_scale: float = 2.0     # the perturbation kernel's variance over the population's (Beaumont et al.)
    kernel: str = "reflected"     # abc_smc.KERNELS


@dataclass
class CalibrationFile:
    path: str
    text: str
    description: str
    model: str
    base: str                        # absolute path of the base scenario
    set: dict[str, str | list[str]]     # key -> value, or a list (output.series)
    seed: int
    method: Method
    threads: int
    launcher: list[str]
    extra_args: list[str]
    priors: list[Prior]
    statistics: list[observation.Statistic]
    keep_batches: bool = False
    sources: list[observation.Source] = field(default_factory=list)
    observation_path: str | None = None


def _relative(node: Node, base_dir: str) -> str:
    path = node.text()
    return path if os.path.isabs(path) else os.path.normpath(os.path.join(base_dir, path))


def _model_of(base: str, node: Node) -> str:
    root = load(base)
    model = root.get("model") if root.is_map else None
    if model is None:
        raise node.error(f"the base scenario {base} names no model")
    return model.text()


def _method(node: Node | None) -> Method:
    if node is None:
        raise CalibrationInputError("calibration file: error: method: missing; expected population and rounds")
    node.check_keys(METHOD_KEYS)
    population = node.need("population", "the number of particles per round").number(2, None, integer=True)
    rounds = node.need("rounds", "the most rounds to run").number(1, None, integer=True)
    tol = node.get("final_tolerance")
    cap = node.get("max_simulations_per_round")
    return Method(
        population=population,
        rounds=rounds,
        final_tolerance=tol.number(0, None) if tol is not None else None,
        quantile=node.get("quantile").number(0.01, 0.99) if node.get("quantile") else DEFAULT_QUANTILE,
        min_acceptance=node.get("min_acceptance").number(0, 1) if node.get("min_acceptance")
        else DEFAULT_MIN_ACCEPTANCE,
        max_simulations_per_round=cap.number(population, None, integer=True) if cap is not None
        else SIMULATIONS_PER_PARTICLE_CAP * population,
        draws=node.get("draws").number(1, None, integer=True) if node.get("draws") else DEFAULT_DRAWS,
        kernel_scale=node.get("kernel_scale").number(0.01, 100) if node.get("kernel_scale") is not None
        else DEFAULT_KERNEL_SCALE,
        kernel=_kernel(node.get("kernel")),
    )


def _kernel(node: Node | None) -> str:
    if node is None:
        return abc_smc.DEFAULT_KERNEL
    kind = node.text()
    if kind not in abc_smc.KERNELS:
        raise node.error(f"expected one of {', '.join(abc_smc.KERNELS)}, got \"{kind}\"{did_you_mean(kind, abc_smc.KERNELS)}")
    return kind


def _around_default(info: specs.ParamInfo, factor: float | None) -> Prior:
    """The declared range, or its part within a factor of the default (log-uniform) when asked."""
    if factor is None or info.default <= 0:
        return Prior(info.key, info.low, info.high, "uniform", info.integer, "model", info.default, info.units)
    low, high = max(info.low, info.default / factor), min(info.high, info.default * factor)
    return Prior(info.key, low, high, "log" if low > 0 else "uniform", info.integer, "model", info.default,
                 info.units)


def _prior_from(key: str, node: Node | None, info: specs.ParamInfo | None, kind: str) -> Prior:
    low, high = (info.low, info.high) if info else (None, None)
    scale = "uniform"
    if node is not None:
        node.check_keys(PRIOR_KEYS)
        if node.get("min") is not None:
            low = node.get("min").number(info.low if info else None, info.high if info else None)
        if node.get("max") is not None:
            high = node.get("max").number(info.low if info else None, info.high if info else None)
        if node.get("scale") is not None:
            scale = node.get("scale").text()
            if scale not in PRIOR_SCALES:
                raise node.get("scale").error(f"expected one of {', '.join(PRIOR_SCALES)}, got \"{scale}\"")
    where = node if node is not None else None
    if low is None or high is None:
        raise (where.error("expected min and max") if where else CalibrationInputError(f"{key}: no range"))
    if not low < high:
        raise (where.error(f"expected min < max, got [{low:g}, {high:g}]") if where
               else CalibrationInputError(f"{key}: declared range [{low:g}, {high:g}] is empty"))
    if scale == "log" and low <= 0:
        raise where.error(f"a log-uniform prior needs min > 0, got {low:g}")
    return Prior(key, low, high, scale, bool(info and info.integer), kind,
                 info.default if info else (low + high) / 2, info.units if info else "1")


def _priors(node: Node | None, declared: dict[str, specs.ParamInfo],
            sources: list[observation.Source]) -> list[Prior]:
    if node is None:
        raise CalibrationInputError("calibration file: error: parameters: missing; expected declared or priors")
    node.check_keys(PARAMETER_KEYS)
    chosen: list[str] = []
    decl = node.get("declared")
    if decl is not None:
        if decl.is_scalar and decl.text() == "all":
            chosen = list(declared)
        elif decl.is_list:
            for item in decl.value:
                key = item.text()
                if key not in declared:
                    raise item.error(f"'{key}' is not a ranged parameter of the model{did_you_mean(key, declared)}")
                chosen.append(key)
        else:
            raise decl.error(f"expected 'all' or a list of key paths, got {decl.describe()}")
    excl = node.get("exclude")
    excluded: set[str] = set()
    if excl is not None:
        if not excl.is_list:
            raise excl.error(f"expected a list of key paths, got {excl.describe()}")
        for item in excl.value:
            key = item.text()
            if key not in declared:
                raise item.error(f"'{key}' is not a ranged parameter of the model{did_you_mean(key, declared)}")
            excluded.add(key)
    factor = node.get("around_default").number(1.0001, None) if node.get("around_default") is not None else None
    explicit = node.get("priors")
    explicit_map = explicit.require_map() if explicit is not None else {}
    observation_params = {s.rate_parameter: s for s in sources}
    priors: list[Prior] = []
    for key in chosen:
        if key not in excluded and key not in explicit_map:
            priors.append(_around_default(declared[key], factor))
    for key, prior_node in explicit_map.items():
        if key in observation_params:
            priors.append(_prior_from(key, prior_node, None, "observation"))
        elif key in declared:
            priors.append(_prior_from(key, prior_node, declared[key], "model"))
        else:
            known = list(declared) + list(observation_params)
            raise CalibrationInputError(
                f"{prior_node.key_where}: error: parameters.priors.{key}: not a ranged parameter of the model "
                f"nor an observation parameter{did_you_mean(key, known)}")
    for name, source in observation_params.items():   # reporting rates are always fitted
        if not any(p.key == name for p in priors):
            priors.append(Prior(name, source.rate_low, source.rate_high, "uniform", False, "observation",
                                source.rate_default, "1"))
    if not priors:
        raise node.error("no parameter to calibrate")
    return priors


def _check_selection(node: Node, statistics: list[observation.Statistic]) -> None:
    """A `set: {output.series: [...]}` must select a series of every statistic that reads one: a
    statistic whose series no run writes could only be left out of the fit (pending)."""
    if not node.is_list:
        raise node.error(f"expected a list of series names, got {node.describe()}")
    chosen = {item.text() for item in node.value}
    for stat in statistics:
        if stat.unavailable:
            continue
        for comp in (stat.component, stat.denominator):
            if comp is not None and not chosen.intersection(comp.series):
                raise node.error(f"selects none of the series {' or '.join(repr(x) for x in comp.series)} that "
                                 f"statistic '{stat.name}' reads; add one, or leave {SERIES_KEY} out (the "
                                 "calibration then selects the series its statistics read)")


def load_calibration(path: str, binary: str) -> CalibrationFile:
    """Read and check a calibration file; every problem is a located CalibrationInputError."""
    root = load(path)
    root.check_keys(TOP_KEYS)
    here = os.path.dirname(os.path.abspath(path))
    base_node = root.need("base", "the base scenario file")
    base = _relative(base_node, here)
    if not os.path.isfile(base):
        raise base_node.error(f"no such scenario file: {base}")
    model = _model_of(base, base_node)
    sets: dict[str, str | list[str]] = {}
    set_node = root.get("set")
    if set_node is not None:
        for key, value in set_node.require_map().items():
            sets[key] = [item.text() for item in value.value] if value.is_list else value.text()
    seed = root.need("seed", "the calibration seed (an integer)").number(0, 2 ** 63 - 1, integer=True)
    method = _method(root.get("method"))
    run = root.get("run")
    threads, launcher, extra, keep = 0, [], [], False
    if run is not None:
        run.check_keys(RUN_KEYS)
        keep = run.get("keep_batches").boolean() if run.get("keep_batches") is not None else False
        threads = run.get("threads").number(0, 4096, integer=True) if run.get("threads") else 0
        for name, target in (("launcher", launcher), ("extra_args", extra)):
            node = run.get(name)
            if node is not None:
                if not node.is_list:
                    raise node.error(f"expected a list of words, got {node.describe()}")
                target.extend(item.text() for item in node.value)
    sources, statistics, obs_path = [], [], None
    obs_node = root.get("observation")
    if obs_node is not None:
        obs_path = _relative(obs_node, here)
        if not os.path.isfile(obs_path):
            raise obs_node.error(f"no such observation file: {obs_path}")
        sources, statistics = observation.load_observation(obs_path)
    stats_node = root.get("statistics")
    if stats_node is not None:
        if not stats_node.is_list:
            raise stats_node.error(f"expected a list of statistics, got {stats_node.describe()}")
        names = {s.name for s in statistics}
        for item in stats_node.value:
            stat = observation.statistic_from_node(item, {s.name: s for s in sources})
            if stat.name in names:
                raise item.error(f"a statistic named '{stat.name}' is defined twice")
            names.add(stat.name)
            statistics.append(stat)
    if not statistics:
        raise CalibrationInputError(f"{path}: error: no statistics: give `statistics` or an `observation` file")
    if set_node is not None and set_node.get(SERIES_KEY) is not None:
        _check_selection(set_node.get(SERIES_KEY), statistics)
    declared = specs.model_parameters(binary, model, base)
    priors = _priors(root.get("parameters"), declared, sources)
    with open(path, encoding="utf-8") as f:
        text = f.read()
    return CalibrationFile(path=os.path.abspath(path), text=text,
                           description=root.get("description").text() if root.get("description") else "",
                           model=model, base=base, set=sets, seed=seed, method=method, threads=threads,
                           launcher=launcher, extra_args=extra, priors=priors, statistics=statistics,
                           keep_batches=keep,
                           sources=sources, observation_path=obs_path)
