"""Shared set-up of the calibration tests: the engine and a small civil violence problem."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import synth  # noqa: E402  (puts the checkout's package first on the path)

REPO = synth.REPO
BIN = synth.engine_binary()
NO_ENGINE = "no engine: BORDERLAND_BIN is unset and build/borderland does not exist"

# The synthetic problem: Epstein's civil violence on a 20 x 20 torus for 90 days (a few
# milliseconds a run), square vision. Legitimacy sets how many citizens rebel and are jailed:
# the data identify it; cop density changes the counts much less.
TRUTH = {"parameters.legitimacy": 0.65, "parameters.cops.density": 0.04}
PRIORS = {"parameters.legitimacy": (0.5, 0.9), "parameters.cops.density": (0.02, 0.08)}
SCENARIO = """\
model: civil_violence
seed: 1
start: 2000-01-01
end: 2000-03-30
output: {snapshot_every: 0, flush_every: 100}
parameters:
  grid: {width: 20, height: 20}
  # pinned, so that the problem does not move with the model's defaults
  vision_shape: square
  activation: parallel
  arrest_rounding: floor
"""
STATISTICS = [  # name, series, from, to, reduce
    ("jailed_late", "jailed", "2000-02-01", "2000-03-30", "mean"),
    ("jailed_early", "jailed", "2000-01-10", "2000-01-31", "mean"),
    ("arrests", "arrests", "2000-01-01", "2000-03-30", "sum"),
]


def write_scenario(folder: Path) -> Path:
    path = folder / "cv_small.yaml"
    path.write_text(SCENARIO)
    return path


def observed_from_truth(folder: Path) -> dict[str, float]:
    """The statistics of one run of the model at TRUTH, computed as the calibration computes them."""
    import numpy as np
    from borderland.calibration import observation, simulate
    scenario = write_scenario(folder)
    sweep = simulate.write_batch(str(folder / "truth"), "truth", str(scenario), {}, list(TRUTH), [False, False],
                                 np.array([list(TRUTH.values())]), 99, "the synthetic truth")
    out = simulate.run_sweep(BIN, sweep, 1, [], [])
    stats = [observation.Statistic(name=n, observed=0.0, component=observation.Component(
        (s,), (None,), np.datetime64(a).astype(object), np.datetime64(b).astype(object), r))
        for n, s, a, b, r in STATISTICS]
    data = simulate.read_batch(out, {s for _, s, *_ in STATISTICS}, set())
    values = observation.evaluate(stats, data, {}, np.random.default_rng(0))[0]
    return dict(zip([n for n, *_ in STATISTICS], values.tolist()))


def write_calibration(folder: Path, observed: dict[str, float], population: int = 100, rounds: int = 7,
                      seed: int = 11) -> Path:
    write_scenario(folder)
    priors = "\n".join(f"    {k}: {{min: {lo}, max: {hi}}}" for k, (lo, hi) in PRIORS.items())
    stats = "\n".join(f"  - {{name: {n}, series: {s}, from: {a}, to: {b}, reduce: {r}, observed: {observed[n]!r}}}"
                      for n, s, a, b, r in STATISTICS)
    text = textwrap.dedent(f"""\
        description: synthetic recovery (civil violence, 2 parameters)
        base: cv_small.yaml
        seed: {seed}
        method: {{population: {population}, rounds: {rounds}, quantile: 0.5, draws: 200}}
        run: {{threads: 2}}
        parameters:
          priors:
        """) + priors + "\nstatistics:\n" + stats + "\n"
    path = folder / "cal.yaml"
    path.write_text(text)
    return path


def calibrate(cal: Path, output: Path, *extra: str, extra_env: dict | None = None) -> subprocess.CompletedProcess:
    """`python3 -m borderland calibrate CAL -o OUTPUT EXTRA...` as a user runs it."""
    env = synth.python_env(BORDERLAND_BIN=BIN or "", **(extra_env or {}))
    return subprocess.run([sys.executable, "-m", "borderland", "calibrate", str(cal), "-o", str(output), *extra],
                          env=env, capture_output=True, text=True)
