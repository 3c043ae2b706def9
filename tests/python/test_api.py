"""The Python API: borderland.run / sweep / validate / models in this process (the compiled module
_borderland), and borderland.open on run and sweep files of either string layout."""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import numpy as np
import pandas as pd
import pytest
import xarray as xr

import synth

REPO = synth.REPO
CV = str(REPO / "scenarios" / "civil_violence.yaml")
TTP_HISTORICAL = REPO / "scenarios" / "ttp" / "historical_2020_2023.yaml"

borderland = pytest.importorskip("borderland")


def _engine_built() -> bool:
    try:
        borderland.api._engine()
        return True
    except ImportError:
        return False


needs_engine = pytest.mark.skipif(not _engine_built() and os.environ.get("BORDERLAND_REQUIRE_PYTHON_MODULE", "0") != "1",
                                  reason="the compiled module _borderland is not built")


@needs_engine
def test_models_describe_parameters_policies_and_fields():
    models = {m["name"]: m for m in borderland.models()}
    cv = models["civil_violence"]
    legitimacy = next(p for p in cv["parameters"] if p["key"] == "legitimacy")
    assert legitimacy["units"] and legitimacy["doc"] and legitimacy["min"] <= float(legitimacy["default"]) <= legitimacy["max"]
    assert cv["snapshot_fields"]
    for model in models.values():
        for policy in model["policies"]:
            assert policy["name"] and policy["doc"]
            assert all("key" in f and "units" in f for f in policy["fields"])


@needs_engine
def test_validate_gives_the_resolved_scenario_and_located_errors(tmp_path):
    info = borderland.validate(CV, set={"end": "2000-03-31"})
    assert (info["kind"], info["model"], info["start"], info["end"], info["days"]) == \
        ("scenario", "civil_violence", "2000-01-01", "2000-03-31", 91)
    assert "legitimacy" in info["resolved"]
    bad = tmp_path / "bad.yaml"
    bad.write_text(open(CV).read().replace("legitimacy: 0.82", "legitimacy: 1.7"))
    with pytest.raises(borderland.InputError) as err:
        borderland.validate(bad)
    message = str(err.value)
    line = next(i for i, text in enumerate(bad.read_text().splitlines(), 1) if "legitimacy: 1.7" in text)
    assert f"{bad}:{line}:" in message and "legitimacy" in message
    assert isinstance(err.value, ValueError)


@needs_engine
def test_bad_override_key_and_value_raise_with_the_engines_message():
    with pytest.raises(borderland.InputError, match=r"parameters\.legitimacy.*expected"):
        borderland.run(CV, set={"parameters.legitimacy": "high"})
    with pytest.raises(borderland.InputError, match="did you mean"):
        borderland.run(CV, set={"parameters.legitimcy": 0.8})
    with pytest.raises(borderland.InputError, match="until"):
        borderland.run(CV, until="2000-13-01")
    with pytest.raises(borderland.InputError, match="seed"):
        borderland.run(CV, seed=-1)


@needs_engine
def test_run_in_process_returns_series_snapshots_and_events(tmp_path):
    res = borderland.run(CV, seed=4, set={"end": "2000-02-29", "output.snapshot_every": 20}, threads=2)
    ds, events = res
    assert res.kind == "run" and res.model == "civil_violence" and ds.attrs["seed"] == "4"
    assert ds.sizes["time"] == 60 and ds.time.values[0] == np.datetime64("2000-01-01")
    assert ds.time.dtype.kind == "M"
    assert (ds.step.values == np.arange(60)).all()
    field = res.dataset.attrs and next(v for v in ds.data_vars if v.startswith("snapshot_"))
    assert ds[field].dims == ("snapshot_time", "lat", "lon")
    # coordinates the file stores as dimension scales (format_version 2) are not data variables
    assert not {"snapshot_lat", "snapshot_lon", "snapshot_step"} & set(ds.data_vars)
    assert ds.sizes["snapshot_time"] == 3 and list(ds.snapshot_step.values) == [0, 20, 40]
    assert isinstance(events, pd.DataFrame) and "date" in events
    if len(events):
        assert events["date"].dtype.kind == "M"
    # the same run through the command line writes the same series, whatever the thread count
    out = tmp_path / "cli.h5"
    subprocess.run([str(synth.BUILD_DIR / "borderland"), "run", CV, "-o", out, "--seed", "4", "--threads", "1", "-q",
                    "--set", "end=2000-02-29", "--set", "output.snapshot_every=20"], check=True)
    cli = borderland.open(out).dataset
    for name in ("active", "jailed"):
        if name in cli:
            assert (cli[name].values == ds[name].values).all()
    assert (cli[field].values == ds[field].values).all()


@needs_engine
@pytest.mark.skipif(not TTP_HISTORICAL.exists(), reason="no TTP model in this checkout")
def test_ttp_run_events_have_province_names_and_labelled_series():
    res = borderland.run(TTP_HISTORICAL, seed=2, until="2020-04-30", set={"output.snapshot_every": 0})
    ds, events = res
    assert "killed_label" in ds.dims and list(ds.killed_label.values)[:2] == ["police", "army"]
    police = ds.killed.sel(killed_label="police").sum().item()
    assert police == events["killed_police"].sum()
    assert events["date"].between(ds.time.values[0], ds.time.values[-1]).all()
    assert events["province_name"].map(len).gt(0).all()
    assert set(events["province_name"]) <= set(res.map.provinces["name"])
    assert events["tactic"].map(type).eq(str).all()                 # decoded text, not bytes
    assert res.summary["total_attacks"] == ds.attacks.sum().item()


@needs_engine
def test_sweep_in_process_and_open_groups_design_points(tmp_path):
    sweep = tmp_path / "lhs.yaml"
    sweep.write_text(textwrap.dedent(f"""\
        description: 3 points x 2 replicas
        base: {CV}
        set: {{end: 2000-01-31, output.snapshot_every: 0}}
        design: factorial
        replicas: 2
        seed: 5
        parameters:
          parameters.legitimacy: [0.7, 0.8, 0.9]
        """))
    info = borderland.validate(sweep)
    assert (info["kind"], info["points"], info["replicas"], info["runs"]) == ("sweep", 3, 2, 6)
    res = borderland.sweep(sweep, tmp_path / "lhs.h5", threads=2)
    assert res.kind == "sweep" and res.dataset.sizes["run"] == 6 and res.dataset.sizes["time"] == 31
    summary = res.summary
    assert list(summary["point"]) == [0, 1, 2, 0, 1, 2]          # run r is point r % P
    assert (summary.groupby("point")["parameters.legitimacy"].nunique() == 1).all()
    assert (res.dataset.status.values == 1).all()
    assert "parameters.legitimacy" in res.dataset.coords


def test_open_reads_fixed_and_variable_length_strings_alike(tmp_path):
    fixed = synth.write_run(tmp_path / "fixed.h5", start="2022-12-01", end="2023-02-28")
    vlen = tmp_path / "vlen.h5"
    vlen.write_bytes(fixed.read_bytes())
    synth.to_vlen_utf8(vlen)
    a, b = borderland.open(fixed), borderland.open(vlen)
    xr.testing.assert_identical(a.dataset, b.dataset)
    pd.testing.assert_frame_equal(a.events, b.events)
    assert a.events["province_name"].isin(a.map.provinces["name"]).all()
    assert list(a.dataset.killed_label.values) == synth.KILLED_LABELS
    assert a.scenario == b.scenario == "historical_2020_2023"


def test_open_sweep_keeps_failed_rows_marked(tmp_path):
    path = synth.write_sweep(tmp_path / "s.h5", seeds=range(1, 6), failed=(2,), start="2023-01-01",
                             end="2023-02-28")
    res = borderland.open(path)
    assert list(res.dataset.status.values) == [1, 1, 2, 1, 1]
    assert res.dataset.attacks.dims == ("run", "time") and res.dataset.sizes["time"] == 59
    assert list(res.summary["seed"]) == [1, 2, 3, 4, 5] and (res.summary["point"] == 0).all()
    assert res.events.empty


def test_open_bad_file_names_it(tmp_path):
    with pytest.raises(borderland.InputError, match="no such file"):
        borderland.open(tmp_path / "missing.h5")
    text = tmp_path / "x.h5"
    text.write_text("not hdf5")
    with pytest.raises(borderland.InputError, match=f"{text}: not an HDF5 file"):
        borderland.open(text)


def test_package_imports_from_any_folder_through_the_pth_file(tmp_path):
    """What scripts/setup.sh installs: a .pth naming python/ and BUILD/python, read from a site dir."""
    site_dir = tmp_path / "site"
    site_dir.mkdir()
    (site_dir / "borderland.pth").write_text(f"{synth.PYTHON_DIR}\n{synth.BUILD_DIR / 'python'}\n")
    # -S: no site-packages yet, so ours comes first (a borderland.pth of another checkout may be installed)
    code = (f"import site; site.addsitedir({str(site_dir)!r}); site.addsitedir('/usr/lib/python3/dist-packages'); "
            "import borderland; print(borderland.__file__)")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run([sys.executable, "-S", "-c", code], cwd=tmp_path, capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == str(synth.PYTHON_DIR / "borderland" / "__init__.py")


@needs_engine
def test_run_adds_policies_and_takes_date_objects():
    import datetime as dt
    base = borderland.run(CV, seed=3, until=dt.date(2000, 2, 15), set={"output.snapshot_every": 0})
    assert base.dataset.sizes["time"] == 46 and str(base.dataset.time.values[-1])[:10] == "2000-02-15"
    as_text = borderland.run(CV, seed=3, until="2000-02-15", set={"output.snapshot_every": 0},
                             policies="legitimacy_shift start=2000-01-10 delta=-0.2")
    as_dict = borderland.run(CV, seed=3, until=dt.date(2000, 2, 15), set={"output.snapshot_every": 0},
                             policies=[{"policy": "legitimacy_shift", "start": dt.date(2000, 1, 10), "delta": -0.2}])
    np.testing.assert_array_equal(as_text.dataset.active.values, as_dict.dataset.active.values)
    legitimacy = as_dict.dataset.legitimacy.to_series()
    assert legitimacy["2000-01-09"] == pytest.approx(base.dataset.legitimacy.to_series()["2000-01-09"])
    assert legitimacy["2000-01-20"] == pytest.approx(legitimacy["2000-01-09"] - 0.2)
    described = borderland.validate(CV, set={"end": dt.date(2000, 3, 1)},
                                    policies={"policy": "legitimacy_shift", "start": "2000-01-10", "delta": -0.2})
    assert described["end"] == "2000-03-01" and "legitimacy_shift" in described["resolved"]
    with pytest.raises(borderland.InputError, match=r"--policy 'legitimacy_shift start=2000-01-10 delta=-5': "
                                                    r"error: policies\[0\]\.delta: expected a number in \[-1, 1\]"):
        borderland.validate(CV, policies=[{"policy": "legitimacy_shift", "start": "2000-01-10", "delta": -5}])
    with pytest.raises(borderland.InputError, match="until: error"):
        borderland.run(CV, until=20000215)


@needs_engine
def test_a_replace_that_rewrites_earlier_periods_warns(tmp_path):
    (tmp_path / "s.yaml").write_text("model: civil_violence\nseed: 1\nstart: 2000-01-01\nend: 2000-01-20\n"
                                     "policies:\n  - {policy: legitimacy_shift, start: 2000-01-05, end: 2000-01-15, "
                                     "delta: -0.2}\n")
    (tmp_path / "later.yaml").write_text("extends: s.yaml\npolicies:\n  - {policy: legitimacy_shift, inherited: "
                                         "replace, start: 2000-01-10, end: 2000-01-20, delta: -0.1}\n")
    with pytest.warns(UserWarning, match=r"later\.yaml:3:5: warning: .* 2000-01-05\.\.2000-01-15"):
        described = borderland.validate(tmp_path / "later.yaml")
    assert described["warnings"] and "inherited: end" in described["warnings"][0]
