"""Statistics built from data files by a model's own builder (every tracker row, every target).

An observation file lists generators by kind; each kind is a function
`build(node, observation_path, sources) -> list[Statistic]` in a model's
Python package. The table below is the one place that names them, as
app/registry.cpp names the models.
"""
from __future__ import annotations

import importlib

from .errors import CalibrationInputError, did_you_mean

GENERATORS = {
    "ttp_trackers": "borderland.ttp.observation:tracker_statistics",
    "ttp_targets": "borderland.ttp.observation:target_statistics",
}


def run_generators(node, path: str, sources) -> list:
    if not node.is_list:
        raise node.error(f"expected a list of generators, got {node.describe()}")
    out = []
    for item in node.value:
        kind_node = item.need("kind", f"one of {', '.join(GENERATORS)}")
        kind = kind_node.text()
        if kind not in GENERATORS:
            raise CalibrationInputError(f"{kind_node.where()}: error: {kind_node.path}: unknown generator "
                                        f"'{kind}'{did_you_mean(kind, GENERATORS)}")
        module, function = GENERATORS[kind].split(":")
        out += getattr(importlib.import_module(module), function)(item, path, sources)
    return out
