"""The viewer's server (borderland.viewer) without a browser: its JSON API against the package's
own functions on synthetic files, its errors, and its static files. The page itself is tested in
chromium by viewer/test (ctest 'viewer')."""
import base64
import json
import shutil
import threading
import urllib.error
import urllib.request

import numpy as np
import pytest

import synth
from borderland import io
from borderland.analysis import compare, figures
from borderland.analysis.ensemble import gather_one
from borderland.profiles import profile_for
from borderland.viewer.__main__ import main
from borderland.viewer.catalog import Catalog
from borderland.viewer.server import serve

PROJECTION = dict(start="2023-03-01", end="2023-12-31")


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Run files of a historical scenario and sweep files of two projections, in one folder."""
    root = tmp_path_factory.mktemp("viewer")
    (root / "historical").mkdir()
    runs = [str(synth.write_run(root / "historical" / f"seed_{s}.h5", seed=s)) for s in (1, 2, 10)]
    synth.write_scenario_set(root, {"baseline": {}, "police_reform": {"police_factor": 0.5}},
                             seeds=range(1, 7), **PROJECTION)
    static = root / "static"
    static.mkdir()
    (static / "index.html").write_text("<!doctype html><title>viewer</title>")
    return {"root": root, "runs": runs, "static": static}


@pytest.fixture(scope="module")
def api(world):
    catalog = Catalog(str(world["root"]))
    server = serve(catalog, str(world["static"]), "127.0.0.1", 0, quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    host, port = server.server_address[:2]

    def get(path):
        try:
            with urllib.request.urlopen(f"http://{host}:{port}{path}") as response:
                body = response.read()
                return response.status, json.loads(body) if path.startswith("/api/") else body
        except urllib.error.HTTPError as exc:
            body = exc.read()
            return exc.code, json.loads(body) if exc.headers.get("Content-Type") == "application/json" else body

    yield get
    server.shutdown()
    server.server_close()


def test_catalog_lists_every_scenario_in_the_reports_order(api, world):
    status, cat = api("/api/catalog")
    assert status == 200 and cat["api_version"] == 1
    assert [s["name"] for s in cat["scenarios"]] == ["historical_2020_2023", "baseline", "police_reform"]
    hist = cat["scenarios"][0]
    assert hist["kind"] == "runs" and hist["seeds"] == [1, 2, 10]  # seed_2 before seed_10
    assert hist["has_events"] and hist["snapshot_fields"] == ["grievance", "militants"]
    assert cat["baseline"] == "baseline"
    assert [m["date"] for m in cat["timeline"]] == [d for d, _ in profile_for("ttp").timeline_marks]
    assert hist["panels"][:len(profile_for("ttp").report_series)] == profile_for("ttp").report_series


def test_compare_is_the_comparison_of_the_package(api, world):
    root = world["root"]
    status, got = api("/api/compare?baseline=baseline&scenarios=police_reform&since=2023-06-01&level=0.8")
    assert status == 200
    want = compare.compare(gather_one(str(root / "baseline.h5")), [gather_one(str(root / "police_reform.h5"))],
                           level=0.8, since="2023-06-01")
    assert len(got["rows"]) == len(want) == len(compare.outcomes_for(gather_one(str(root / "baseline.h5"))))
    for row, (_, expected) in zip(got["rows"], want.iterrows()):
        for key in ("difference", "diff_low", "diff_high", "p_better", "baseline_mean", "pct_change"):
            assert row[key] == pytest.approx(expected[key], rel=1e-12), key
    assert got["text"] == compare.format_table(want)
    provinces = got["provinces"]["police_reform"]
    assert provinces and all(p["diff_low"] <= p["difference"] <= p["diff_high"] for p in provinces)


def test_events_and_snapshots_are_the_files(api, world):
    status, events = api("/api/events?scenario=historical_2020_2023&run=2")
    assert status == 200 and events["file"] == world["runs"][2]
    with io.open_h5(world["runs"][2]) as f:
        table = io.read_table(f, "events")
        frames = np.asarray(f["snapshots/militants"][()], dtype=float)
        info = io.read_map(f)
    assert events["rows"] == len(table) and events["columns"]["date"] == list(table["date"])
    status, snap = api("/api/snapshots?scenario=historical_2020_2023&run=2&field=militants")
    drawn, extent, vmax, label = figures.prepare_frames(info, frames, "militants", "count")
    assert snap["shape"] == list(drawn.shape) and snap["vmax"] == pytest.approx(vmax) and snap["label"] == label
    last = np.frombuffer(base64.b64decode(snap["frames"][-1]), dtype="<f4").reshape(drawn.shape[1:])
    np.testing.assert_allclose(last, drawn[-1], rtol=1e-6)


def test_series_bands_are_ordered(api, world):
    status, s = api("/api/series?scenario=baseline&spec=attacks")
    ylabel = figures.series_values(gather_one(str(world["root"] / "baseline.h5")), "attacks", 30)[1]
    assert status == 200 and s["replicas"] == 6 and s["ylabel"] == ylabel
    lo90, hi90 = (np.array(b, dtype=float) for b in s["band90"])
    lo50, hi50 = (np.array(b, dtype=float) for b in s["band50"])
    median = np.array(s["median"], dtype=float)
    ok = ~np.isnan(median)
    assert ok.sum() > 100
    assert (lo90[ok] <= lo50[ok]).all() and (lo50[ok] <= median[ok]).all() and (median[ok] <= hi50[ok]).all()
    assert (hi50[ok] <= hi90[ok]).all()


def test_bad_queries_say_what(api):
    status, body = api("/api/events?scenario=nope")
    assert status == 400 and "scenario 'nope' is not in" in body["error"]
    status, body = api("/api/events?scenario=baseline")
    assert status == 400 and "sweep file keeps no events" in body["error"]
    status, body = api("/api/compare?baseline=baseline&scenarios=police_reform&level=2")
    assert status == 400 and "'level'" in body["error"]
    status, body = api("/api/series?scenario=baseline")
    assert status == 400 and "'spec' is missing" in body["error"]
    status, body = api("/api/nothing")
    assert status == 404
    assert api("/")[0] == 200
    assert api("/../../../etc/passwd")[0] == 404  # nothing outside the page's folder is served


def test_variable_length_text_reads_the_same(tmp_path):
    path = synth.write_run(tmp_path / "run.h5", seed=3)
    fixed = Catalog(str(path)).events("historical_2020_2023", 0)["columns"]
    vlen_path = tmp_path / "vlen" / "run.h5"
    vlen_path.parent.mkdir()
    shutil.copy(path, vlen_path)
    synth.to_vlen_utf8(vlen_path)
    assert Catalog(str(vlen_path)).events("historical_2020_2023", 0)["columns"] == fixed


def test_bad_input_exits_2_and_an_unbuilt_page_1(tmp_path, world, capsys):
    junk = tmp_path / "notes.h5"
    junk.write_text("not HDF5")
    static = str(world["static"])
    assert main([str(junk), "--static", static]) == 2
    assert "notes.h5: not an HDF5 file" in capsys.readouterr().err
    assert main([str(tmp_path / "missing"), "--static", static]) == 2
    assert "missing: no such file or directory" in capsys.readouterr().err
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty"), "--static", static]) == 2
    assert "holds no borderland run or sweep file" in capsys.readouterr().err
    assert main([world["runs"][0], "--static", str(tmp_path)]) == 1
    assert "the page is not built" in capsys.readouterr().err
    with pytest.raises(SystemExit) as stop:
        main([world["runs"][0], "--port", "70000"])
    assert stop.value.code == 2


def test_the_main_jobs_layout_joins_a_sweep_and_its_map_runs(tmp_path):
    """sweeps/baseline.h5 (the bands and comparisons) and maps/baseline/run_*.h5 (events and
    snapshots) are one scenario: series from the sweep, the map's runs from the run files."""
    (tmp_path / "sweeps").mkdir()
    (tmp_path / "maps" / "baseline").mkdir(parents=True)
    synth.write_sweep(tmp_path / "sweeps" / "baseline.h5", seeds=range(1, 9), **PROJECTION)
    runs = [synth.write_run(tmp_path / "maps" / "baseline" / f"run_{s}.h5", scenario="baseline", seed=s, **PROJECTION)
            for s in (3, 4)]
    catalog = Catalog(str(tmp_path))
    (entry,) = catalog.catalog()["scenarios"]
    assert entry["name"] == "baseline" and entry["kind"] == "sweep" and entry["replicas"] == 8
    assert entry["run_seeds"] == [3, 4] and entry["has_events"] and entry["snapshot_fields"]
    assert catalog.events("baseline", 1)["file"] == str(runs[1])
    assert catalog.series("baseline", "attacks", 30)["replicas"] == 8
    roles = [f["role"] for f in catalog.provenance("baseline")["files"]]
    assert roles == ["series", "map", "map"]
