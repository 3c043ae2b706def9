"""Run and sweep files open in netCDF tools without custom code (docs/hdf5_layout.md, "Dimension
scales"): xarray with Debian's h5netcdf gives every group's datasets on named dimensions with
coordinates (dates on `time`, cell centres on lat/lon, labels of [T, k] series, runs), and text is
variable-length UTF-8. The files are written by the engine itself."""
from __future__ import annotations

import subprocess

import h5py
import numpy as np
import pytest

import synth

BIN = synth.engine_binary()
pytestmark = pytest.mark.skipif(BIN is None, reason="no engine: BORDERLAND_BIN is unset and build/borderland "
                                                    "does not exist")
xr = pytest.importorskip("xarray")
pytest.importorskip("h5netcdf")

CV = synth.REPO / "scenarios" / "civil_violence.yaml"
TTP = synth.REPO / "scenarios" / "ttp" / "baseline.yaml"


def _engine(*args, cwd):
    subprocess.run([BIN, *map(str, args)], cwd=cwd, check=True, capture_output=True, timeout=600)


def _open(path, group):
    return xr.open_dataset(path, engine="h5netcdf", group=group)


def test_a_run_file_opens_with_dates_lat_lon_and_labels(tmp_path):
    _engine("run", TTP, "-o", "ttp.h5", "-q", "--until", "2020-02-29", "--set", "output.snapshot_every=30",
            cwd=tmp_path)
    path = tmp_path / "ttp.h5"
    ts = _open(path, "timeseries")
    assert ts.attacks.dims == ("time",)
    assert ts.time.dtype.kind == "M"  # CF "days since 2020-01-01" decoded to dates
    assert str(ts.time.values[0])[:10] == "2020-01-01" and str(ts.time.values[-1])[:10] == "2020-02-29"
    assert ts.killed.dims == ("time", "killed_label")
    assert list(ts.killed_label.values) == ["police", "army", "civilians", "militants"]
    assert ts.killed.sel(killed_label="police").sum() >= 0
    np.testing.assert_array_equal(ts.step.values, np.arange(60))  # `step` beside the dates
    with h5py.File(path) as f:
        assert f["timeseries/time"].attrs["units"] in (b"days since 2020-01-01", "days since 2020-01-01")
        np.testing.assert_array_equal(ts.attacks.values, f["timeseries/attacks"][()])

    snaps = _open(path, "snapshots")
    assert snaps.fighters.dims == ("time", "lat", "lon")
    assert snaps.lat.attrs["units"] == "degrees_north" and snaps.lon.attrs["units"] == "degrees_east"
    assert np.all(np.diff(snaps.lat.values) > 0) and snaps.time.dtype.kind == "M"

    summary = _open(path, "summary")
    assert summary.police_killed.dims == ("run",) and summary.police_killed.attrs["units"] == "count"
    assert summary.police_killed.attrs["description"]

    events = _open(path, "events")
    assert events.sizes["event"] == len(events.date)


def test_a_sweep_file_opens_with_runs_dates_and_design(tmp_path):
    (tmp_path / "sw.yaml").write_text(f"base: {CV}\nset: {{end: 2000-02-15, output.snapshot_every: 0}}\n"
                                      "design: factorial\nreplicas: 2\nseed: 4\n"
                                      "parameters:\n  parameters.legitimacy: [0.7, 0.8]\n")
    _engine("sweep", "sw.yaml", "-o", "a.h5", "-q", "--shard", "0/2", cwd=tmp_path)
    _engine("sweep", "sw.yaml", "-o", "b.h5", "-q", "--shard", "1/2", cwd=tmp_path)
    _engine("merge", "a.h5", "b.h5", "-o", "sw.h5", "-q", cwd=tmp_path)
    for name in ("a.h5", "sw.h5"):  # as written by sweep, and by merge
        path = tmp_path / name
        ts = _open(path, "runs/timeseries")
        assert ts.active.dims == ("run", "time") and ts.active.shape == (4, 46)
        assert ts.time.dtype.kind == "M" and str(ts.time.values[-1])[:10] == "2000-02-15"
        summary = _open(path, "runs/summary")
        assert summary.total_arrests.dims == ("run",) and summary.total_arrests.attrs["units"] == "count"
        design = _open(path, "design")
        assert list(design.run.values) == [0, 1, 2, 3]
        assert design["parameters.legitimacy"].dims == ("run",)
        assert design["parameters.legitimacy"].attrs["units"] == "1"  # the model's units of the parameter
        assert all(design[v].attrs.get("description") for v in design.data_vars)
        runs = _open(path, "runs")
        assert runs.status.dims == ("run",) and runs.error.dims == ("run",)
        with h5py.File(path) as f:  # text: variable-length UTF-8
            for text in ("scenario/given", "scenario/resolved", "sweep/given", "runs/error", "runs/timeseries/date"):
                info = h5py.check_string_dtype(f[text].dtype)
                assert info is not None and info.length is None and info.encoding == "utf-8", text
    merged = _open(tmp_path / "sw.h5", "runs/timeseries")
    whole = tmp_path / "whole.h5"
    _engine("sweep", "sw.yaml", "-o", whole.name, "-q", cwd=tmp_path)
    np.testing.assert_array_equal(merged.active.values, _open(whole, "runs/timeseries").active.values)
