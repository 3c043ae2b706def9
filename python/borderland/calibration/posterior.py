"""The posterior file: what a calibration found, and how to use it.

```
/                      attrs format="borderland-posterior", format_version=1, method, model, seed,
                       calibration_file, base_scenario (+ base_scenario_yaml: its text), observation_file
                       (+ observation_yaml), created_utc, borderland_version (with its commit), stop_reason
/calibration_yaml      the calibration file as given (a string attr `calibration_yaml` on /)
/parameters/           table: key, kind (model|observation), prior (uniform|log), min, max, integer,
                       default, units (one row per parameter, in the column order of every [.., d] array)
/population/           the final round: theta [N, d], weight [N] (sum 1), distance [N], statistics [N, S]
/draws/                equal-weight draws (systematic resampling of the population): value [M, d],
                       key [d], kind [d], particle [M] (the population row each draw copies)
/rounds/NN/            every round: z (working space), weight, distance, statistics; attrs epsilon,
                       simulations, batches
/schedule/             epsilon [n], simulations [n], acceptance [n] (share of the round's simulations within its
                       tolerance), ess [n] (one entry per round)
/statistics/           table: name, source, kind, observed, scale, weight, period, region, status
                       (used | pending: why), series (what it was computed from), reference
/scale                 [S] the distance's scale of each statistic
```
`borderland run SCENARIO --posterior FILE --draw K` runs with draw K's model
parameters (the observation parameters are the sources', not the model's);
`python3 -m borderland.calibration design FILE --draws 100 -o draws.csv` writes
the first draws as a list design for `borderland sweep` (docs/calibration.md); with
`--sweep SWEEP.yaml --base SCENARIO --replicas 2` also the sweep file over draws x seeds,
marked `posterior: FILE` so that analysis pools the draws as one scenario.
"""
from __future__ import annotations

import datetime
import os
import subprocess

import h5py
import numpy as np

from . import abc_smc

FORMAT = "borderland-posterior"
FORMAT_VERSION = 1
METHOD = ("ABC-SMC: population Monte Carlo ABC (Toni et al. 2009; Beaumont et al. 2009), adaptive tolerance "
          "= weighted quantile of the last round's distances, per-parameter Gaussian kernel {kernel} at the ends of "
          "the prior's range (log scale for log-uniform priors), variance {scale:g} x the population's weighted "
          "variance")


def _strings(values) -> np.ndarray:
    """Text columns as fixed-length UTF-8 bytes (the engine's reader and h5py both read them)."""
    encoded = [str(v).encode("utf-8") for v in values]
    return np.array(encoded, dtype=f"S{max([len(e) for e in encoded] + [1])}")


def _attr(value):
    """Text attributes as fixed-length ASCII/UTF-8 bytes, which the engine's HDF5 reader reads."""
    return np.bytes_(value.encode("utf-8")) if isinstance(value, str) else value


def _read(path: str) -> str:
    with open(path, encoding="utf-8") as f:
        return f.read()


def _version(binary: str) -> str:
    try:
        done = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False)
        return done.stdout.strip() or done.stderr.strip()
    except OSError:
        return ""


def finish(calibration, path: str) -> None:
    """Write the posterior's groups into path, a copy of the calibration's state (renamed when done)."""
    cal, rounds = calibration.cal, calibration.rounds
    last = rounds[-1]
    theta = calibration.theta(last.z)
    rng = np.random.default_rng([cal.seed, len(rounds), 0, 3])
    pick = abc_smc.systematic_resample(rng, last.weight, cal.method.draws)
    with h5py.File(path, "a") as f:
        f.attrs["format"] = _attr(FORMAT)
        f.attrs["format_version"] = _attr(FORMAT_VERSION)
        f.attrs["method"] = _attr(METHOD.format(kernel=cal.method.kernel, scale=cal.method.kernel_scale))
        f.attrs["model"] = _attr(cal.model)
        f.attrs["seed"] = _attr(cal.seed)
        f.attrs["calibration_file"] = _attr(cal.path)
        f.attrs["base_scenario"] = _attr(cal.base)
        f.attrs["created_utc"] = _attr(datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"))
        f.attrs["borderland_version"] = _attr(_version(calibration.binary))
        f.attrs["stop_reason"] = _attr(calibration.stop_reason)
        if os.path.isfile(cal.base):
            f.attrs["base_scenario_yaml"] = _attr(_read(cal.base))
        if cal.observation_path:
            f.attrs["observation_file"] = _attr(cal.observation_path)
            f.attrs["observation_yaml"] = _attr(_read(cal.observation_path))
        for name, value in vars(cal.method).items():
            f.attrs[f"method_{name}"] = _attr(value if value is not None else np.nan)
        p = f.create_group("parameters")
        pr = cal.priors
        p["key"] = _strings(x.key for x in pr)
        p["kind"] = _strings(x.kind for x in pr)
        p["prior"] = _strings(x.scale for x in pr)
        p["min"], p["max"] = [x.low for x in pr], [x.high for x in pr]
        p["integer"] = np.array([x.integer for x in pr], np.int8)
        p["default"] = [x.default for x in pr]
        p["units"] = _strings(x.units for x in pr)
        p.attrs["columns"] = "key,kind,prior,min,max,integer,default,units"
        pop = f.create_group("population")
        pop["theta"], pop["weight"], pop["distance"], pop["statistics"] = theta, last.weight, last.distance, \
            last.statistics
        d = f.create_group("draws")
        d["value"] = theta[pick]
        d["particle"] = pick.astype(np.int64)
        d["key"] = _strings(x.key for x in pr)
        d["kind"] = _strings(x.kind for x in pr)
        d.attrs["description"] = "equal-weight posterior draws; row K is --draw K"
        s = f.create_group("schedule")
        s["epsilon"] = [r.epsilon for r in rounds]
        s["simulations"] = [r.simulations for r in rounds]
        s["acceptance"] = [r.acceptance for r in rounds]
        s["ess"] = [abc_smc.effective_sample_size(r.weight) for r in rounds]
        st = f.create_group("statistics")
        stats = cal.statistics
        st["name"] = _strings(x.name for x in stats)
        st["source"] = _strings(x.source or "" for x in stats)
        st["kind"] = _strings(x.kind for x in stats)
        st["observed"] = [x.observed for x in stats]
        st["scale"] = calibration.scale
        st["weight"] = [x.weight for x in stats]
        st["period"] = _strings(x.period for x in stats)
        st["region"] = _strings(x.region for x in stats)
        st["status"] = _strings(("pending: " + x.pending) if x.pending else "used" for x in stats)
        st["series"] = _strings(x.used_series or x.summary or "" for x in stats)
        st["reference"] = _strings(x.reference for x in stats)
        st["band_low"] = [x.band[0] if x.band and x.band[0] is not None else np.nan for x in stats]
        st["band_high"] = [x.band[1] if x.band and x.band[1] is not None else np.nan for x in stats]
        st.attrs["columns"] = ("name,source,kind,observed,scale,weight,period,region,status,series,reference,"
                               "band_low,band_high")


def sweep_yaml(posterior: str, design_csv: str, base: str, replicas: int, seed: int,
               fixed: dict | None = None, description: str = "") -> str:
    """A sweep file over posterior draws x seeds: the list design `design_csv` (write_design) marked
    with `posterior:`, so borderland sweep checks that its rows are draws of the file and records the
    file in /design, and analysis pools the draws as one scenario (docs/analysis.md)."""
    lines = [f"description: {description or 'posterior draws x seeds of ' + os.path.basename(base)}",
             f"base: {os.path.abspath(base)}"]
    if fixed:
        lines.append("set:")
        lines += [f"  {key}: {value}" for key, value in fixed.items()]
    lines += ["design: list", f"runs: {os.path.abspath(design_csv)}", f"posterior: {os.path.abspath(posterior)}",
              f"replicas: {replicas}", f"seed: {seed}"]
    return "\n".join(lines) + "\n"


def text_attr(obj, name: str) -> str:
    value = obj.attrs.get(name, "")
    return value.decode("utf-8", "replace") if isinstance(value, (bytes, np.bytes_)) else str(value)


class PosteriorError(Exception):
    """A bad posterior file or draw (exit 2)."""


class Posterior:
    """A posterior file read back."""

    def __init__(self, path: str):
        if not os.path.isfile(path):
            raise PosteriorError(f"{path}: error: no such file")
        try:
            f = h5py.File(path, "r")
        except OSError as exc:
            raise PosteriorError(f"{path}: error: not an HDF5 file ({exc})") from None
        with f:
            fmt = text_attr(f, "format")
            if fmt != FORMAT:
                raise PosteriorError(f"{path}: error: attribute '/format' is '{fmt}', expected '{FORMAT}'")
            self.path = path
            self.attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
            dec = lambda a: [x.decode() if isinstance(x, bytes) else str(x) for x in a]   # noqa: E731
            p = f["parameters"]
            self.keys = dec(p["key"][()])
            self.kinds = dec(p["kind"][()])
            self.prior = dec(p["prior"][()])
            self.low, self.high = p["min"][()], p["max"][()]
            self.integer = p["integer"][()].astype(bool)
            self.theta = f["population/theta"][()]
            self.weight = f["population/weight"][()]
            self.distance = f["population/distance"][()]
            self.stats = f["population/statistics"][()]
            self.draws = f["draws/value"][()]
            self.schedule = {k: f[f"schedule/{k}"][()] for k in f["schedule"]}
            st = f["statistics"]
            self.statistics = {k: (dec(st[k][()]) if st[k].dtype.kind in "OS" else st[k][()]) for k in st}
            self.rounds = [{"z": g["z"][()], "weight": g["weight"][()], "distance": g["distance"][()],
                            "statistics": g["statistics"][()], **dict(g.attrs)}
                           for _, g in sorted(f["rounds"].items())]

    def draw_overrides(self, k: int) -> list[str]:
        """Draw k's model parameters as --set KEY=VALUE overrides."""
        if not 0 <= k < len(self.draws):
            raise PosteriorError(f"{self.path}: error: --draw {k}: expected 0..{len(self.draws) - 1}")
        out = []
        for key, kind, integer, value in zip(self.keys, self.kinds, self.integer, self.draws[k]):
            if kind == "model":
                out.append(f"{key}={int(round(value)) if integer else repr(float(value))}")
        return out

    def write_design(self, path: str, draws: int) -> None:
        """The first `draws` equal-weight draws as a list-design CSV (model parameters only). Its
        comment lines (which the engine's CSV reader skips) say how to sweep them as one scenario."""
        if not 1 <= draws <= len(self.draws):
            raise PosteriorError(f"{self.path}: error: --draws {draws}: the file holds {len(self.draws)} draws")
        cols = [i for i, kind in enumerate(self.kinds) if kind == "model"]
        with open(path, "w", encoding="utf-8") as f:
            f.write(f"# equal-weight draws 0..{draws - 1} of the posterior {os.path.abspath(self.path)}\n"
                    f"# a sweep over them as one scenario (draws x seeds): design: list, runs: "
                    f"{os.path.basename(path)}, posterior: {os.path.abspath(self.path)}, replicas: SEEDS\n")
            f.write(",".join(self.keys[i] for i in cols) + "\n")
            for row in self.draws[:draws]:
                f.write(",".join(str(int(round(row[i]))) if self.integer[i] else repr(float(row[i]))
                                 for i in cols) + "\n")
