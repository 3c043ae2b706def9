"""The ABC-SMC round loop: propose, simulate through sweeps, accept, weight; state per round.

State lives in the output file while it is written (OUT.h5.partial): one group
per finished round (particles, weights, distances, their statistics, the
tolerance and counts) and the statistics' scales; it is changed by writing a
copy and renaming it over the old one, so a kill never leaves it half-written.
Batches of a round are list-design sweeps in OUT.h5.work/ (the CSV and sweep
file stay; once a batch's statistics are in round_TT_batch_BB.statistics.npy
the sweep's output is removed, unless `run: {keep_batches: true}`). Every random draw of round t and batch b comes from a
generator seeded with (seed, t, b, purpose), never from a stream carried across
rounds, so a killed calibration, started again with --resume, recomputes the
same proposals, finds the finished batches on disk, resumes the unfinished
sweep and ends with the same posterior, bit for bit.
"""
from __future__ import annotations

import math
import os
import shutil
import sys
from dataclasses import dataclass

import h5py
import numpy as np

from . import abc_smc, observation, posterior, simulate
from .config import CalibrationFile
from .errors import CalibrationInputError

# Purposes of the per-(round, batch) generators: one stream each.
PROPOSE, THIN, SWEEP_SEED, RESAMPLE = 0, 1, 2, 3
# A batch proposes this many more particles than the acceptance rate suggests are needed,
# so that one batch usually completes a round.
BATCH_MARGIN = 1.2
# Until a round has seen an acceptance, its first batch assumes the schedule's quantile.
STATE_FORMAT = "borderland-calibration-state"


def generator(seed: int, round_no: int, batch: int, purpose: int) -> np.random.Generator:
    return np.random.default_rng([seed, round_no, batch, purpose])


def sweep_seed(seed: int, round_no: int, batch: int) -> int:
    return int(np.random.SeedSequence([seed, round_no, batch, SWEEP_SEED]).generate_state(1)[0])


@dataclass
class Round:
    z: np.ndarray
    weight: np.ndarray
    distance: np.ndarray
    statistics: np.ndarray
    epsilon: float
    simulations: int
    batches: int
    accepted: int = -1       # proposals within the tolerance, all batches (more than kept: a batch runs whole)

    @property
    def acceptance(self) -> float:
        """The share of the round's simulations within its tolerance (the method's acceptance rate)."""
        hits = self.accepted if self.accepted >= 0 else len(self.weight)
        return hits / self.simulations if self.simulations else 0.0


class Calibration:
    def __init__(self, cal: CalibrationFile, output: str, binary: str, log=sys.stderr):
        self.cal, self.output, self.binary, self.log = cal, output, binary, log
        self.partial = output + ".partial"
        self.work = output + ".work"
        self.priors = cal.priors
        self.low = np.array([p.z_low for p in self.priors])
        self.high = np.array([p.z_high for p in self.priors])
        self.model_index = [i for i, p in enumerate(self.priors) if p.kind == "model"]
        self.rounds: list[Round] = []
        self.scale: np.ndarray | None = None
        self.sets: dict | None = None          # the runs' `set` (with the series selection), made once
        self.stop_reason = ""

    # ------------------------------------------------------------ parameters
    def theta(self, z: np.ndarray) -> np.ndarray:
        """Working space to parameter values (integers rounded, as the runs see them)."""
        out = np.array(z, float)
        for i, p in enumerate(self.priors):
            if p.scale == "log":
                out[:, i] = np.exp(out[:, i])
            if p.integer:
                out[:, i] = np.round(out[:, i])
        return out

    def rates(self, theta: np.ndarray) -> dict[str, np.ndarray]:
        index = {p.key: i for i, p in enumerate(self.priors)}
        return {s.name: theta[:, index[s.rate_parameter]] for s in self.cal.sources}

    # ------------------------------------------------------------ simulation
    def simulate(self, round_no: int, batch: int, z: np.ndarray) -> np.ndarray:
        """[n, S] statistics of the particles z; a batch finished before a kill is read back, not rerun."""
        stem = os.path.join(self.work, f"round_{round_no:02d}_batch_{batch:02d}")
        if os.path.exists(stem + ".statistics.npy"):
            return np.load(stem + ".statistics.npy")
        stats = self.run_batch(round_no, batch, z)
        if round_no == 0 and batch == 0:
            self._update_state(self._write_pending)
        os.makedirs(self.work, exist_ok=True)
        with open(stem + ".statistics.tmp", "wb") as f:    # whole or absent, whenever a kill comes
            np.save(f, stats)
        os.replace(stem + ".statistics.tmp", stem + ".statistics.npy")
        if not self.cal.keep_batches and os.path.exists(stem + ".h5"):
            os.remove(stem + ".h5")      # the statistics are kept; the runs' series would fill the disk
        return stats

    def _write_pending(self, f: h5py.File) -> None:
        g = f.require_group("pending")
        for s in self.cal.statistics:
            g.attrs[s.name] = s.pending

    def run_batch(self, round_no: int, batch: int, z: np.ndarray) -> np.ndarray:
        """Run the particles z as one list-design sweep and compute their statistics."""
        theta = self.theta(z)
        keys = [self.priors[i].key for i in self.model_index]
        name = f"round_{round_no:02d}_batch_{batch:02d}"
        if self.sets is None:
            self.sets = simulate.run_sets(self.cal.set, self.cal.statistics, self.binary, self.cal.base)
        sweep = simulate.write_batch(self.work, name, self.cal.base, self.sets, keys,
                                     [self.priors[i].integer for i in self.model_index],
                                     theta[:, self.model_index], sweep_seed(self.cal.seed, round_no, batch),
                                     f"ABC-SMC round {round_no} batch {batch} of {self.cal.path}")
        path = simulate.run_sweep(self.binary, sweep, self.cal.threads, self.cal.launcher, self.cal.extra_args)
        if round_no == 0 and batch == 0:
            series, summary = simulate.available(path)
            observation.resolve(self.cal.statistics, series, summary)
            if not self.used.any():
                raise CalibrationInputError(
                    f"{self.cal.path}: error: no statistic can be computed from the runs: "
                    + "; ".join(f"{s.name}: {s.pending}" for s in self.cal.statistics[:5]))
        needed = set().union(*(s.series_needed() for s in self.cal.statistics))
        metrics = {s.summary for s in self.cal.statistics if s.summary}
        rates, rng = self.rates(theta), generator(self.cal.seed, round_no, batch, THIN)
        out = []
        for start in range(0, simulate.batch_size(path), simulate.READ_RUNS):   # bounded memory
            rows = slice(start, start + simulate.READ_RUNS)
            data = simulate.read_batch(path, needed, metrics, rows)
            out.append(observation.evaluate(self.cal.statistics, data, {k: v[rows] for k, v in rates.items()}, rng))
        stats = np.concatenate(out)
        if round_no == 0 and batch == 0:
            self._check_computed(stats)
        return stats

    def _check_computed(self, stats: np.ndarray) -> None:
        """A statistic no finished run of the first batch computes (NaN everywhere: its window or
        columns are not in the runs) is made pending, with the reason, and said: left in, it would
        put every particle infinitely far."""
        finite_rows = np.isfinite(stats[:, self.used]).any(axis=1)
        for j, stat in enumerate(self.cal.statistics):
            if not stat.pending and finite_rows.any() and not np.isfinite(stats[finite_rows, j]).any():
                stat.pending = f"no run computes it (NaN in all {int(finite_rows.sum())} runs of round 0)"
                print(f"warning: statistic {stat.name} left out of the distance: {stat.pending}", file=self.log)

    @property
    def used(self) -> np.ndarray:
        return np.array([not s.pending and s.weight > 0 for s in self.cal.statistics])

    def observed(self) -> np.ndarray:
        return np.array([s.observed for s in self.cal.statistics])

    def distances(self, stats: np.ndarray) -> np.ndarray:
        used = self.used
        weight = np.array([s.weight for s in self.cal.statistics])
        return abc_smc.distance(stats[:, used], self.observed()[used], self.scale[used], weight[used])

    def set_scales(self, prior_stats: np.ndarray) -> None:
        mad = abc_smc.mad_scale(prior_stats)
        self.scale = np.array([s.scale if s.scale is not None else mad[j]
                               for j, s in enumerate(self.cal.statistics)])

    # ------------------------------------------------------------ rounds
    def first_round(self) -> Round:
        n = self.cal.method.population
        z = abc_smc.sample_prior(generator(self.cal.seed, 0, 0, PROPOSE), n, self.low, self.high)
        stats = self.simulate(0, 0, z)
        self.set_scales(stats)
        d = self.distances(stats)
        return Round(z, np.full(n, 1.0 / n), d, stats, math.inf, n, 1, n)

    def next_round(self, t: int) -> Round | None:
        method, prev = self.cal.method, self.rounds[-1]
        finite = np.isfinite(prev.distance)
        epsilon = abc_smc.weighted_quantile(prev.distance[finite], prev.weight[finite], method.quantile)
        sd = abc_smc.kernel_sd(prev.z, prev.weight, self.low, self.high, method.kernel_scale)
        hits = 0
        n = method.population
        kept_z, kept_d, kept_s = [], [], []
        simulations, batch = 0, 0
        # the last round's rate: optimistic (a tighter tolerance accepts fewer), so a round takes a
        # second, smaller batch sized on its first rather than running a batch too many
        rate = prev.acceptance if t > 1 else method.quantile
        while sum(len(k) for k in kept_z) < n:
            budget = method.max_simulations_per_round - simulations
            if budget <= 0:
                self.stop_reason = (f"round {t} would need more than {method.max_simulations_per_round} "
                                    f"simulations (max_simulations_per_round) at tolerance {epsilon:.4g}")
                return None
            needed = n - sum(len(k) for k in kept_z)
            size = int(min(budget, max(needed, math.ceil(needed / max(rate, method.min_acceptance) * BATCH_MARGIN))))
            z, _ = abc_smc.propose(generator(self.cal.seed, t, batch, PROPOSE), prev.z, prev.weight, sd, size,
                                   self.low, self.high, method.kernel)
            stats = self.simulate(t, batch, z)
            d = self.distances(stats)
            accept = d <= epsilon
            hits += int(accept.sum())
            kept_z.append(z[accept]), kept_d.append(d[accept]), kept_s.append(stats[accept])
            simulations += size
            batch += 1
            rate = max(sum(len(k) for k in kept_z) / simulations, method.min_acceptance / 2)
        z, d, s = (np.concatenate(k)[:n] for k in (kept_z, kept_d, kept_s))
        # the first n accepted in proposal order: the count of simulations is what it took to get them
        weight = abc_smc.importance_weights(z, prev.z, prev.weight, sd, self.low, self.high, method.kernel)
        return Round(z, weight, d, s, epsilon, simulations, batch, hits)

    def run(self, resume: bool) -> None:
        if os.path.exists(self.partial):
            if not resume:
                raise CalibrationInputError(
                    f"{self.partial}: error: an unfinished calibration is there; add --resume to finish it "
                    f"or remove it (and {self.work}) to start again")
            self.load_state()
        elif resume and os.path.exists(self.output):
            raise CalibrationInputError(f"{self.output}: error: already finished; nothing to resume")
        else:
            self.start_state()
        method = self.cal.method
        if not self.rounds:
            self.save_round(self.first_round())
        while not self.stop_reason:
            if len(self.rounds) >= method.rounds:
                self.stop_reason = f"{method.rounds} rounds done"
                break
            last = self.rounds[-1]
            if method.final_tolerance is not None and last.epsilon <= method.final_tolerance:
                self.stop_reason = f"tolerance {last.epsilon:.4g} reached final_tolerance {method.final_tolerance:g}"
                break
            if len(self.rounds) > 1 and last.acceptance < method.min_acceptance:
                self.stop_reason = f"acceptance {last.acceptance:.3g} below min_acceptance {method.min_acceptance:g}"
                break
            new = self.next_round(len(self.rounds))
            if new is not None:
                self.save_round(new)
        final = self.output + ".final"          # finished in a copy: a kill here leaves the state intact
        shutil.copyfile(self.partial, final)
        posterior.finish(self, final)
        os.replace(final, self.output)
        os.remove(self.partial)
        print(f"wrote {self.output} ({len(self.rounds)} rounds, {sum(r.simulations for r in self.rounds)} "
              f"simulations; stopped: {self.stop_reason})", file=self.log)

    def finish_now(self) -> None:
        """Write OUTPUT from the rounds OUTPUT.partial holds, leaving the state as it is: a
        calibration still running (or killed) goes on with --resume and replaces OUTPUT when it ends.
        For a deadline: the last whole round's population is a posterior at that round's tolerance."""
        if not os.path.exists(self.partial):
            raise CalibrationInputError(f"{self.partial}: error: no unfinished calibration to finish")
        self.load_state()
        if not self.rounds or self.scale is None:
            raise CalibrationInputError(f"{self.partial}: error: no round is finished yet; nothing to write")
        done = len(self.rounds)
        self.stop_reason = (f"finished early (--finish) after {done} of at most {self.cal.method.rounds} rounds; "
                            f"the state {os.path.basename(self.partial)} can be resumed")
        snapshot = self.output + ".snapshot"
        shutil.copyfile(self.partial, snapshot)
        posterior.finish(self, snapshot)
        os.replace(snapshot, self.output)
        print(f"wrote {self.output} ({done} rounds, {sum(r.simulations for r in self.rounds)} simulations; "
              f"stopped: {self.stop_reason})", file=self.log)

    # ------------------------------------------------------------ state
    def _update_state(self, write) -> None:
        """Apply write(h5py.File) to a copy of the state and put the copy in its place: an HDF5 file
        being written is not safe from a kill, a rename is."""
        tmp = self.partial + ".tmp"
        if os.path.exists(self.partial):
            shutil.copyfile(self.partial, tmp)
        with h5py.File(tmp, "a") as f:
            write(f)
        os.replace(tmp, self.partial)

    def start_state(self) -> None:
        if os.path.exists(self.partial + ".tmp"):
            os.remove(self.partial + ".tmp")

        def create(f):
            f.attrs["format"] = STATE_FORMAT
            f.attrs["calibration_yaml"] = self.cal.text
            f.create_group("rounds")
        self._update_state(create)

    def load_state(self) -> None:
        try:
            f = h5py.File(self.partial, "r")
        except OSError as exc:
            raise CalibrationInputError(f"{self.partial}: error: cannot read the calibration state ({exc})") from None
        with f:
            if posterior.text_attr(f, "format") not in (STATE_FORMAT, posterior.FORMAT):
                raise CalibrationInputError(f"{self.partial}: error: not a calibration state file")
            if f.attrs.get("calibration_yaml") != self.cal.text:
                raise CalibrationInputError(f"{self.partial}: error: was started from another calibration file; "
                                            f"remove it (and {self.work}) to start again")
            rounds_group = f["rounds"]
            for name in sorted(rounds_group):
                g = rounds_group[name]
                self.rounds.append(Round(g["z"][()], g["weight"][()], g["distance"][()], g["statistics"][()],
                                         float(g.attrs["epsilon"]), int(g.attrs["simulations"]),
                                         int(g.attrs["batches"]), int(g.attrs.get("accepted", -1))))
            if "scale" in f:
                self.scale = f["scale"][()]
            pending = {k: v for k, v in f["pending"].attrs.items()} if "pending" in f else {}
        for s in self.cal.statistics:
            s.pending = str(pending.get(s.name, ""))
        print(f"resuming {self.partial}: {len(self.rounds)} round(s) done", file=self.log)

    def save_round(self, r: Round) -> None:
        t = len(self.rounds)

        def write(f):
            if "scale" not in f:
                f["scale"] = self.scale
            g = f["rounds"].create_group(f"{t:02d}")
            for name, value in (("z", r.z), ("weight", r.weight), ("distance", r.distance),
                                ("statistics", r.statistics)):
                g[name] = value
            g.attrs["epsilon"], g.attrs["simulations"], g.attrs["batches"] = r.epsilon, r.simulations, r.batches
            g.attrs["accepted"] = r.accepted
        self._update_state(write)
        self.rounds.append(r)
        print(f"round {t}: tolerance {r.epsilon:.4g}, {r.simulations} simulations in {r.batches} batch(es), "
              f"{r.accepted} within it (acceptance {r.acceptance:.3f}), ESS "
              f"{abc_smc.effective_sample_size(r.weight):.1f} of {len(r.weight)}", file=self.log, flush=True)
