"""Bad inputs: a clear message naming the file and the dataset, and exit status 2."""
import subprocess
import sys

import h5py
import numpy as np
import pytest

import synth
from borderland import io
from borderland.analysis import ensemble
from borderland.__main__ import main

SHORT = dict(start="2022-12-01", end="2023-02-28")


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("io")
    out = {
        "good": synth.write_run(d / "good.h5", **SHORT),
        "v2": synth.write_run(d / "v2.h5", format_version=3, **SHORT),  # run files: 1 and 2 are read
        "no_attacks": synth.write_run(d / "no_attacks.h5", drop=["timeseries/attacks"], **SHORT),
        "no_dates": synth.write_run(d / "no_dates.h5", drop=["timeseries/date"], **SHORT),
        "sweep_no_status": synth.write_sweep(d / "sweep_no_status.h5", seeds=[1, 2], drop=["runs/status"], **SHORT),
        "sweep_v2": synth.write_sweep(d / "sweep_v2.h5", seeds=[1, 2], format_version=99, **SHORT),
    }
    text = d / "notes.h5"
    text.write_text("this is not HDF5\n")
    out["text"] = text
    other = d / "other.h5"
    with h5py.File(other, "w") as f:
        f.attrs["format"] = "something-else"
        f.attrs["format_version"] = 1
    out["other"] = other
    return {k: str(v) for k, v in out.items()}


def run_cli(*args):
    """The real command line, to check the process's exit status."""
    return subprocess.run([sys.executable, "-m", "borderland", *args], cwd=synth.REPO, capture_output=True, text=True,
                          env=synth.python_env())


def test_not_hdf5_exits_2_naming_the_file(files, tmp_path):
    proc = run_cli("plot", files["text"], "-o", str(tmp_path / "x.png"))
    assert proc.returncode == 2
    assert files["text"] in proc.stderr and "not an HDF5 file" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_wrong_format_version_exits_2(files, tmp_path):
    proc = run_cli("calibration", files["v2"], "-o", str(tmp_path / "c.csv"))
    assert proc.returncode == 2
    assert files["v2"] in proc.stderr and "/format_version" in proc.stderr and "is 3" in proc.stderr


def test_missing_dataset_exits_2_naming_file_and_dataset(files, tmp_path):
    proc = run_cli("plot", files["no_attacks"], "-o", str(tmp_path / "x.png"), "--series", "attacks")
    assert proc.returncode == 2
    assert files["no_attacks"] in proc.stderr and "/timeseries/attacks" in proc.stderr
    # without --series, plot draws a series the file holds instead of failing on a default
    assert run_cli("plot", files["no_attacks"], "-o", str(tmp_path / "y.png")).returncode == 0


@pytest.mark.parametrize("command, key, dataset", [
    (["plot", "{f}", "-o", "{o}/p.png"], "no_dates", "/timeseries/date"),
    (["calibration", "{f}", "-o", "{o}/c.csv"], "no_attacks", "/timeseries/attacks"),
    (["compare", "{good}", "{f}", "-o", "{o}/t.csv"], "sweep_no_status", "/runs/status"),
    (["compare", "{good}", "{f}", "-o", "{o}/t.csv"], "sweep_v2", "/format_version"),
    (["map", "{f}", "--field", "nope", "-o", "{o}/m.png"], "good", "/snapshots/nope"),
    (["map", "{f}", "-o", "{o}/m.png"], "other", "/format"),
    (["plot", "{f}", "-o", "{o}/p.png", "--series", "no_such_series"], "good", "/timeseries/no_such_series"),
    (["plot", "{f}", "-o", "{o}/p.png", "--series", "killed:nobody"], "good", "nobody"),
    (["report", "{f}", "-o", "{o}/r.html"], "good", "not a directory"),
])
def test_every_command_reports_bad_input(files, tmp_path, capsys, command, key, dataset):
    args = [a.format(f=files[key], o=tmp_path, good=files["good"]) for a in command]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and files[key] in err and dataset in err, err


def test_missing_file(tmp_path, capsys):
    missing = str(tmp_path / "absent.h5")
    assert main(["plot", missing, "-o", str(tmp_path / "p.png")]) == 2
    assert missing in capsys.readouterr().err


def test_bad_flag_is_a_usage_error(tmp_path):
    proc = run_cli("compare", "a.h5", "b.h5", "-o", "t.csv", "--since", "2023-13-45")
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stderr


def test_run_files_with_different_days_do_not_mix(tmp_path, capsys):
    a = synth.write_run(tmp_path / "a.h5", seed=1, start="2023-01-01", end="2023-01-31")
    b = synth.write_run(tmp_path / "b.h5", seed=2, start="2023-01-01", end="2023-02-28")
    with pytest.raises(io.AnalysisInputError, match="/timeseries/date"):
        ensemble.load_runs([str(a), str(b)])


def test_reads_what_the_contract_says(files):
    with io.open_h5(files["good"]) as f:
        assert io.check_format(f, (io.RUN_FORMAT,)) == "borderland"
        provinces = io.read_table(f, "map/provinces")
        assert provinces["name"].iloc[0] == "Khyber Pakhtunkhwa"  # bytes decoded
        m = io.read_map(f)
        assert m.extent == [60.0, 76.0, 24.0, 38.0]
        assert np.allclose(m.cell_centre(0, 0), (60.25, 24.25))
    ens = ensemble.gather([files["good"]])[0]
    values, meta = ens.series("killed")
    assert values.shape == (1, len(ens.dates), 4) and meta.labels[0] == "police" and meta.units == "count"


def test_help_for_every_command():
    for command in ("plot", "map", "compare", "sensitivity", "calibration", "report"):
        proc = run_cli(command, "--help")
        assert proc.returncode == 0 and "usage:" in proc.stdout
