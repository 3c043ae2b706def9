"""The parameters a model declares (key, default, units, range, integer or real).

Read from `borderland models NAME`, which prints every ParamSpec as
`key = default units in [low, high]`; whether a ranged parameter is an integer
is asked of `borderland validate` once (it rejects a fraction for an integer
key with "expected an integer"), so the calibration never guesses a type.
"""
from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass

from .errors import CalibrationRunError

LINE = re.compile(r"^\s{4}(?P<key>[A-Za-z0-9_.]+) = (?P<rest>.*)$")
RANGE = re.compile(r"^(?P<default>\S+) (?P<units>.*?) ?in \[(?P<low>[^,]+), (?P<high>[^\]]+)\]$")
INTEGER_COMPLAINT = re.compile(r"error: (parameters\.[A-Za-z0-9_.]+): expected an integer")
# A fraction no integer range contains as a whole number, set on every ranged key at once
# to ask validate which keys are integers.
PROBE_FRACTION = 0.5


@dataclass(frozen=True)
class ParamInfo:
    key: str            # as for --set: "parameters.attacks.rate"
    default: float
    units: str
    low: float
    high: float
    integer: bool


def _run(cmd: list[str]) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(cmd, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise CalibrationRunError(f"{cmd[0]}: cannot start ({exc.strerror}); set BORDERLAND_BIN") from None


def model_parameters(binary: str, model: str, scenario: str) -> dict[str, ParamInfo]:
    """Every parameter of `model` with a numeric range, keyed by its --set path."""
    listing = _run([binary, "models", model])
    if listing.returncode != 0:
        raise CalibrationRunError(f"{binary} models {model}: {listing.stderr.strip()}")
    ranged: dict[str, tuple] = {}
    for line in listing.stdout.splitlines():
        if line.strip().startswith("policies"):
            break                        # policy strengths follow; they are not parameters
        m = LINE.match(line)
        if not m:
            continue
        r = RANGE.match(m["rest"].strip())
        if r:
            ranged["parameters." + m["key"]] = (float(r["default"]), r["units"].strip(),
                                                 float(r["low"]), float(r["high"]))
    probe = [binary, "validate", scenario]
    for key, (_, _, low, high) in ranged.items():
        probe += ["--set", f"{key}={low + PROBE_FRACTION if high - low >= 1 else low}"]
    integers = set(INTEGER_COMPLAINT.findall(_run(probe).stderr))
    return {k: ParamInfo(k, d, u, lo, hi, k in integers) for k, (d, u, lo, hi) in ranged.items()}


# `borderland validate` names the model's series when output.series holds an unknown one.
SERIES_LIST = re.compile(r"the model's series: (?P<names>[A-Za-z0-9_, ]+)")
# A name no model writes, to ask for that list.
PROBE_SERIES = "__calibration_probe__"


def model_series(binary: str, scenario: str) -> list[str] | None:
    """The series the scenario's model writes (None when the engine does not say)."""
    done = _run([binary, "validate", scenario, "--set", f"output.series=[{PROBE_SERIES}]"])
    m = SERIES_LIST.search(done.stderr)
    return [s.strip() for s in m["names"].split(",") if s.strip()] if m else None
