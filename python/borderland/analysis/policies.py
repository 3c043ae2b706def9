"""What each scenario does, read from the resolved scenario stored in every output file: its
policies (name, dates, strengths, ramp) and scripted events, and which of them a scenario adds to
the baseline. The words come from the model's own descriptions (borderland.models()) when the
compiled module is available; the numbers always come from the file."""
from __future__ import annotations

import functools

import yaml

from .. import io


def resolved_scenario(path: str) -> dict:
    """The resolved scenario of a run or sweep file as a dict ({} when the file has none)."""
    with io.open_h5(path) as f:
        if "scenario/resolved" not in f:
            return {}
        text = io.text(io.read_array(f, "scenario/resolved"))
    try:
        loaded = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise io.InputError(f"{path}: dataset '/scenario/resolved' is not YAML ({exc})") from exc
    return loaded if isinstance(loaded, dict) else {}


@functools.lru_cache(maxsize=None)
def _model_specs() -> dict:
    try:
        from ..api import models
        return {m["name"]: m for m in models()}
    except ImportError:  # the compiled module is not built: numbers without the words
        return {}


def switch_spec(model: str, kind: str, name: str) -> dict | None:
    """The model's description of a policy (kind "policies") or event ("events")."""
    spec = _model_specs().get(model)
    if not spec:
        return None
    return next((s for s in spec[kind] if s["name"] == name), None)


SWITCH_KEYS = {"policy", "event", "start", "end", "date"}


def strengths(entry: dict) -> dict:
    return {k: v for k, v in entry.items() if k not in SWITCH_KEYS}


def _same(a: dict, b: dict) -> bool:
    return {k: str(v) for k, v in a.items()} == {k: str(v) for k, v in b.items()}


def added_policies(scenario: dict, baseline: dict) -> list[dict]:
    """The policy entries of `scenario` that the baseline does not have (the scenario's levers)."""
    base = baseline.get("policies") or []
    return [p for p in scenario.get("policies") or [] if not any(_same(p, b) for b in base)]


def _value_text(value, field: dict | None) -> str:
    units = (field or {}).get("units", "")
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        value = f"{value:g}"
    shown = f"{value}"
    if units and units not in ("1", "text", "bool", "boolean"):
        shown += f" {units}"
    return shown


def describe_policy(model: str, entry: dict) -> dict:
    """A policy entry in words and numbers: {name, what, period, ramp, strengths: [(key, value, meaning)]}."""
    name = entry.get("policy", "?")
    spec = switch_spec(model, "policies", name)
    fields = {f["key"]: f for f in (spec or {}).get("fields", [])}
    rows, ramp = [], ""
    for key, value in strengths(entry).items():
        field = fields.get(key)
        if key.startswith("ramp") and isinstance(value, (int, float)) and value:
            ramp = f"ramps up linearly over the first {value:g} days, then holds"
        rows.append((key, _value_text(value, field), (field or {}).get("doc", "")))
    return {"name": name, "what": (spec or {}).get("doc", ""),
            "period": f"{entry.get('start', '?')} to {entry.get('end', '?')}",
            "ramp": ramp or "in force at full strength from its first day", "strengths": rows}
