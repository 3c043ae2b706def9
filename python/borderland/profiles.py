"""What the analysis knows about a model, found from a file's `model` attribute.

The analysis itself (borderland.analysis) is model-agnostic: it reads any borderland file. A model
may add a profile, the module-level `PROFILE` of the sub-package named after it (`borderland.ttp`
for model "ttp"), with human names for its scenarios and outcomes, the outcomes a comparison
reports, the series a report draws, dates worth marking and its calibration targets. A model
without one gets the generic profile: outcomes from its summary metrics, names from the files.
"""
from __future__ import annotations

import importlib
import re
from dataclasses import dataclass, field
from typing import Callable


@dataclass(frozen=True)
class Outcome:
    """One number per replica that a comparison reports (lower is better unless said otherwise)."""
    key: str
    label: str                          # human name, e.g. "police deaths"
    units: str
    series: str | None = None           # computed from this daily series ...
    column: str | None = None           # ... (this label of a [T,k] series)
    reduce: str = "sum"                 # sum | mean | final over the compared period
    plus_series: tuple[str, ...] = ()   # added to `series` (e.g. fighters in sanctuaries)
    summary_metric: str | None = None   # ... else this summary metric (whole run)
    averted: str = ""                   # "deaths averted": how a fall in this outcome reads in words
    lower_is_better: bool = True


@dataclass
class ModelProfile:
    model: str = ""
    scenario_colours: dict[str, str] = field(default_factory=dict)   # also the display order
    scenario_titles: dict[str, str] = field(default_factory=dict)
    outcomes: list[Outcome] = field(default_factory=list)            # empty: from the summary metrics
    report_series: list[str] = field(default_factory=list)           # NAME or NAME:LABEL
    series_titles: dict[str, str] = field(default_factory=dict)
    timeline_marks: list[tuple[str, str]] = field(default_factory=list)
    baseline: str = "baseline"
    border_label: str = "border"
    sensitivity_outputs: list[str] = field(default_factory=list)
    map_fields: dict[str, str] = field(default_factory=dict)         # snapshot field -> human name
    is_historical: Callable[[str], bool] = lambda name: False
    calibration: object | None = None   # a module with TARGETS, RULES, per_run_targets(ens), judge(table, name)
    sources: list[str] = field(default_factory=list)                 # public sources the report cites

    def scenario_title(self, name: str) -> str:
        return self.scenario_titles.get(name) or humanise(name)

    def series_title(self, spec: str) -> str:
        if spec in self.series_titles:
            return self.series_titles[spec]
        name, _, label = spec.partition(":")
        return humanise(f"{name} {label}".strip())

    def order(self, names) -> list[str]:
        """Known scenarios in the profile's order (baseline first otherwise), then the rest sorted."""
        known = list(self.scenario_colours)
        return sorted(set(names), key=lambda n: (known.index(n) if n in known else len(known),
                                                 n != self.baseline, n))


def humanise(name: str) -> str:
    """snake_case to words: 'talks_with_concessions' -> 'Talks with concessions'."""
    words = re.sub(r"[_\s]+", " ", str(name)).strip()
    return words[:1].upper() + words[1:] if words else str(name)


GENERIC = ModelProfile()
_cache: dict[str, ModelProfile] = {}


def profile_for(model: str) -> ModelProfile:
    """The profile of a model: borderland.<model>.PROFILE when that module exists, else generic."""
    if model in _cache:
        return _cache[model]
    profile = ModelProfile(model=model)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", model or "") and model not in ("analysis", "io", "result", "api"):
        try:
            module = importlib.import_module(f"borderland.{model}")
            profile = getattr(module, "PROFILE", profile)
        except ModuleNotFoundError:
            pass
    _cache[model] = profile
    return profile


def profile_of(ensembles) -> ModelProfile:
    """The profile of the model the ensembles come from (the first one's)."""
    for ens in ensembles:
        model = ens.model
        if model:
            return profile_for(model)
    return GENERIC
