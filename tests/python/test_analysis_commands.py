"""Each command end to end on synthetic files in the contract's layout."""
import base64
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import synth
from borderland.analysis import figures
from borderland.__main__ import main

PROJECTION = dict(start="2023-03-01", end="2023-12-31")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A historical ensemble as run files, and projection scenarios as sweep files."""
    root = tmp_path_factory.mktemp("world")
    hist = root / "historical"
    hist.mkdir()
    runs = [str(synth.write_run(hist / f"run{s}.h5", seed=s)) for s in range(1, 9)]
    proj = root / "projections"
    proj.mkdir()
    sweeps = synth.write_scenario_set(proj, seeds=range(1, 13), **PROJECTION)
    return {"root": root, "hist": str(hist), "runs": runs, "proj": str(proj),
            "sweeps": {p.rsplit("/", 1)[-1][:-3]: str(p) for p in map(str, sweeps)}}


def png_ok(path, min_bytes=10_000):
    with Image.open(path) as im:
        assert im.format == "PNG" and im.size[0] > 400 and im.size[1] > 250
    assert path.stat().st_size > min_bytes


def test_plot_one_run(world, tmp_path, capsys):
    out = tmp_path / "one.png"
    assert main(["plot", world["runs"][0], "-o", str(out), "--series", "killed:police"]) == 0
    png_ok(out)
    assert "1 run(s)" in capsys.readouterr().out


def test_plot_ensemble_from_runs_and_from_sweeps(world, tmp_path, capsys):
    out = tmp_path / "ens.png"
    assert main(["plot", world["hist"], "-o", str(out)]) == 0
    png_ok(out)
    out2 = tmp_path / "two.png"
    assert main(["plot", world["sweeps"]["talks"], world["sweeps"]["baseline"], "-o", str(out2),
                 "--series", "tension"]) == 0
    png_ok(out2)
    printed = capsys.readouterr().out
    assert "historical_2020_2023: 8 run(s)" in printed and "baseline: 12 run(s), talks: 12 run(s)" in printed


def test_map_strip_and_gif(world, tmp_path, capsys):
    png, gif = tmp_path / "m.png", tmp_path / "m.gif"
    assert main(["map", world["runs"][0], "--field", "militants", "-o", str(png), "--gif", str(gif)]) == 0
    png_ok(png)
    with Image.open(gif) as im:
        assert im.format == "GIF" and im.n_frames == 20  # a snapshot every 60 days over 1155 days
    assert "20 frames" in capsys.readouterr().out


def test_compare_finds_the_built_in_effects(world, tmp_path, capsys):
    out = tmp_path / "cmp.csv"
    s = world["sweeps"]
    assert main(["compare", s["baseline"], s["police_reform"], s["cross_border_strikes"], s["talks"],
                 "-o", str(out), "--boot", "1000"]) == 0
    table = pd.read_csv(out).set_index(["scenario", "outcome"])
    assert len(table) == 3 * 5
    reform = table.loc[("police_reform", "police killed")]  # synth halves police lethality
    assert reform["diff_high"] < 0 and reform["p_better"] > 0.9 and -60 < reform["pct_change"] < -35
    strikes = table.loc[("cross_border_strikes", "tension with the Afghan Taliban (mean, 0-1)")]
    assert strikes["diff_low"] > 0 and strikes["p_better"] < 0.1
    talks = table.loc[("talks", "militant strength at the end (fighters)")]  # synth: +30 % fighters
    assert talks["diff_low"] > 0 and 20 < talks["pct_change"] < 40
    assert np.isclose(reform["averted"], -reform["difference"]) and reform["averted_low"] > 0  # police deaths averted
    assert reform["averted_what"] == "police deaths averted"
    assert table["paired"].all()  # same seeds in every scenario: paired comparison
    assert (table["diff_low"] <= table["difference"]).all() and (table["difference"] <= table["diff_high"]).all()
    png_ok(tmp_path / "cmp.png")
    printed = capsys.readouterr().out
    assert "P(better)" in printed and "police_reform" in printed


def test_compare_with_directories_of_run_files_and_since(world, tmp_path):
    base_dir, reform_dir = tmp_path / "b", tmp_path / "r"
    base_dir.mkdir(), reform_dir.mkdir()
    for s in range(1, 6):
        synth.write_run(base_dir / f"{s}.h5", scenario="baseline", seed=s, **PROJECTION)
        synth.write_run(reform_dir / f"{s}.h5", scenario="police_reform", seed=s, police_factor=0.5, **PROJECTION)
    out = tmp_path / "t.csv"
    assert main(["compare", str(base_dir), str(reform_dir), "-o", str(out), "--since", "2023-06-01"]) == 0
    table = pd.read_csv(out)
    assert set(table["replicas_scenario"]) == {5}
    assert table.set_index("outcome").loc["police killed", "difference"] < 0


def test_calibration_command(world, tmp_path, capsys):
    out = tmp_path / "cal.csv"
    assert main(["calibration", world["hist"], "-o", str(out)]) == 0
    table = pd.read_csv(out)
    assert list(table["target"]) == ["T1", "T2", "T3", "T3", "T4", "T5", "T6", "T7"]
    assert (table["result"] == "pass").all(), table[["target", "median", "result"]]
    assert (table["replicas"] == 8).all()
    png_ok(tmp_path / "cal.png")
    assert "8 of 8 target quantities pass" in capsys.readouterr().out


def test_report(world, tmp_path, capsys):
    # one folder: historical run files, projection sweeps, and a saltelli sweep
    folder = world["root"]
    synth.write_saltelli_sweep(folder / "sensitivity.h5", n_base=256, func=lambda x: x[:, 0] + x[:, 1] ** 2)
    out = tmp_path / "report.html"
    assert main(["report", str(folder), "-o", str(out), "--boot", "500"]) == 0
    page = out.read_text()
    assert "<script" not in page and not re.search(r'src="(?!data:)', page)  # self-contained
    images = re.findall(r'src="data:image/png;base64,([^"]+)"', page)
    assert len(images) >= 5
    for data in images:
        assert base64.b64decode(data)[:8] == b"\x89PNG\r\n\x1a\n"
    for name in ("historical_2020_2023", "baseline", "police_reform", "cross_border_strikes", "talks"):
        assert name in page
    assert "0.1.0" in page and "abc123def456" in page  # version and commit from the files' attrs
    assert "1..8" in page and "1..12" in page  # seeds
    assert "Calibration" in page and "Sensitivity" in page and "P(better)" in page
    assert "scenarios: historical_2020_2023, baseline, cross_border_strikes, police_reform, talks" in \
        capsys.readouterr().out


def test_report_lists_unreadable_files(tmp_path):
    synth.write_sweep(tmp_path / "baseline.h5", scenario="baseline", seeds=[1, 2, 3], **PROJECTION)
    (tmp_path / "broken.h5").write_bytes(b"junk")
    out = tmp_path / "r.html"
    assert main(["report", str(tmp_path), "-o", str(out)]) == 0
    page = out.read_text()
    assert "Files not used" in page and "broken.h5" in page and "not an HDF5 file" in page


def test_scenario_colours_are_fixed_and_distinct():
    from borderland.ttp import PROFILE
    a = figures.scenario_colours(["talks_with_concessions", "baseline"], PROFILE)
    b = figures.scenario_colours(["baseline", "police_reform", "talks_with_concessions", "zeta", "alpha"], PROFILE)
    assert a["talks_with_concessions"] == b["talks_with_concessions"] and a["baseline"] == b["baseline"]
    assert len(set(b.values())) == len(b)
    assert figures.sort_scenarios(["zeta", "talks_with_concessions", "baseline", "alpha"], PROFILE) == \
        ["baseline", "talks_with_concessions", "alpha", "zeta"]
    # a model without a profile: baseline first, then by name, still one colour each
    assert figures.sort_scenarios(["zeta", "baseline", "alpha"]) == ["baseline", "alpha", "zeta"]
    generic = figures.scenario_colours(["zeta", "baseline", "alpha"])
    assert len(set(generic.values())) == 3
