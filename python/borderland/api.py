"""run, sweep, validate and models: the engine in this process, through the compiled module
`_borderland` (pybind11; built by CMake into BUILD/python/)."""
from __future__ import annotations

import datetime as _dt
import importlib
import os
import sys
import tempfile
import warnings
from pathlib import Path

from .io import InputError
from .result import Result, open as open_result


def _engine():
    """The compiled module: on sys.path after scripts/setup.sh (borderland.pth), or in the build
    folder named by $BORDERLAND_BUILD_DIR, or in BUILD/python next to this checkout's python/."""
    try:
        return importlib.import_module("_borderland")
    except ImportError:
        pass
    here = Path(__file__).resolve().parents[2]
    candidates = [os.environ.get("BORDERLAND_BUILD_DIR", ""), str(here / "build")]
    for build in filter(None, candidates):
        folder = Path(build).resolve() / "python"
        if any(folder.glob("_borderland*.so")):
            sys.path.insert(0, str(folder))
            return importlib.import_module("_borderland")
    raise ImportError("borderland's compiled module _borderland is not built: run scripts/setup.sh "
                      "(it builds BUILD/python/_borderland*.so), or set BORDERLAND_BUILD_DIR to the build folder")


def _reraise(exc: Exception):
    """The engine's InputError as borderland.InputError (same message)."""
    if isinstance(exc, _engine().InputError) and not isinstance(exc, InputError):
        raise InputError(str(exc)) from None
    raise exc


def _date_text(value) -> str | None:
    """A date as YYYY-MM-DD: datetime.date, datetime.datetime (its day), pandas.Timestamp,
    numpy.datetime64; None for anything else."""
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if type(value).__name__ == "datetime64":
        return str(value.astype("datetime64[D]"))
    return None


def _override_value(value) -> str:
    """A Python value as the text `--set key=value` takes (dates as YYYY-MM-DD)."""
    if _date_text(value) is not None:
        return _date_text(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_override_value(v) for v in value) + "]"
    if isinstance(value, float):
        return repr(value)
    return str(value)


def _policy_override(policy) -> str:
    """One `--policy` switch: the CLI's text ('police_reform start=2023-07-01 training=0.6') or a dict
    as a scenario file writes it ({"policy": "police_reform", "start": date(2023, 7, 1), ...})."""
    if isinstance(policy, str):
        spec = policy.strip()
    elif isinstance(policy, dict):
        if "policy" not in policy:
            raise InputError(f"policies: error: expected a 'policy' key naming the policy, got {policy!r}")
        words = [str(policy["policy"])] + [f"{k}={_override_value(v)}" for k, v in policy.items() if k != "policy"]
        if any(not w or any(c.isspace() for c in w) for w in words):
            raise InputError(f"policies: error: a name or value holds a space: {policy!r}")
        spec = " ".join(words)
    else:
        raise InputError(f"policies: error: expected 'NAME KEY=VALUE...' or a dict, got {policy!r}")
    return "--policy " + spec  # as the command line's --policy (sim::policy_override)


def _overrides(set: dict | None, seed: int | None, policies=None) -> list[str]:  # noqa: A002 (the CLI's --set)
    if isinstance(policies, (str, dict)):
        policies = [policies]
    out = [f"{key}={_override_value(value)}" for key, value in (set or {}).items()]
    out += [_policy_override(p) for p in (policies or [])]
    if seed is not None:
        if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
            raise InputError(f"seed: error: expected a non-negative integer, got {seed!r}")
        out.append(f"seed={seed}")
    return out


def _warn(described: dict) -> None:
    """The engine's warnings about a valid scenario (e.g. an `inherited: replace` that rewrites the
    history) as Python warnings, with the same located text."""
    for text in described.get("warnings", []):
        warnings.warn(text, UserWarning, stacklevel=3)


def models() -> list[dict]:
    """Every model the engine knows: name, summary, parameters, policies and scripted events (each
    with fields key, default, units, min, max, doc), and the snapshot fields."""
    return _engine().models()


def validate(path: str | os.PathLike, set: dict | None = None, policies=None) -> dict:  # noqa: A002
    """Check a scenario (with `set` overrides and added `policies`, as for run) or sweep file without
    running it: a description (kind, model, start, end, days, resolved YAML, warnings; for sweeps
    design, points, replicas, runs), or borderland.InputError with the located message."""
    try:
        described = _engine().validate(os.fspath(path), _overrides(set, None, policies))
    except Exception as exc:  # noqa: BLE001 (re-raised, translated)
        _reraise(exc)
    _warn(described)
    return described


def run(scenario: str | os.PathLike, seed: int | None = None, set: dict | None = None,  # noqa: A002
        until=None, threads: int = 1, output: str | os.PathLike | None = None, policies=None) -> Result:
    """Run a scenario in this process and read the result back.

    scenario  a scenario YAML file; seed  the run's seed (default: the scenario's);
    set       {key path: value}, as `borderland run --set KEY=VALUE` (e.g. {"end": date(2023, 12, 31)});
    policies  switches to add, as `borderland run --policy`: 'NAME KEY=VALUE...' texts or dicts
              ({"policy": "talks", "start": "2023-03-01", "amnesty": 0.3}), checked like the file;
    until     stop after this date (YYYY-MM-DD or a date); threads  threads of the run (results never
              depend on it);
    output    keep the HDF5 file here (default: a temporary file, deleted once read).
    Returns a borderland.Result: .dataset (xarray), .events (pandas), .summary, ...;
    `ds, events = borderland.run(...)` unpacks the first two.
    """
    if isinstance(threads, bool) or not isinstance(threads, int) or threads < 0:
        raise InputError(f"threads: error: expected a non-negative integer, got {threads!r}")
    overrides = _overrides(set, seed, policies)
    if until is not None and not isinstance(until, str):
        if _date_text(until) is None:
            raise InputError(f"until: error: expected a date (YYYY-MM-DD or a datetime.date), got {until!r}")
        until = _date_text(until)
    with tempfile.TemporaryDirectory(prefix="borderland_run_") as tmp:
        path = os.fspath(output) if output is not None else os.path.join(tmp, "run.h5")
        try:
            _warn(_engine().run(os.fspath(scenario), overrides, path, threads, until or ""))
        except Exception as exc:  # noqa: BLE001
            _reraise(exc)
        result = open_result(path)  # read into memory: the temporary file goes now
        if output is None:
            result.path = f"(in memory: {os.fspath(scenario)}, seed {seed if seed is not None else 'of the scenario'})"
        return result


def sweep(sweep_file: str | os.PathLike, output: str | os.PathLike, threads: int = 0, run_threads: int = 0,
          resume: bool = False, progress: bool | None = None) -> Result:
    """Run a sweep file (docs/experiments.md) into `output` in this process and read it back.
    threads: runs at once (0: all cores); progress: a progress line on stderr (default: when stderr
    is a terminal)."""
    if progress is None:
        progress = sys.stderr.isatty()
    try:
        _engine().sweep(os.fspath(sweep_file), os.fspath(output), threads, run_threads, resume, progress)
    except Exception as exc:  # noqa: BLE001
        _reraise(exc)
    return open_result(output)
