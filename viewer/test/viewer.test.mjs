// The viewer in a real browser: Debian's chromium, headless, driven by playwright-core.
// The test makes its own runs with the engine, serves them with `borderland view`, and checks
// the page against the files themselves (read with h5py) and against `python3 -m borderland compare`.
//   BORDERLAND_BIN          the engine (default build/borderland)
//   VIEWER_SCREENSHOT_DIR   where viewer.png and viewer_compare.png go (default build/viewer)
// Run: node --test viewer/test/   (ctest runs it as the test `viewer`)
import { after, before, test } from "node:test";
import assert from "node:assert/strict";
import { execFile, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const BIN = process.env.BORDERLAND_BIN || path.join(REPO, "build", "borderland");
const PYTHON = "/usr/bin/python3";
const CHROMIUM = "/usr/bin/chromium";
const SHOTS = process.env.VIEWER_SCREENSHOT_DIR || path.join(REPO, "build", "viewer");
// The comparison the page must reproduce: the project's own command, as the main job calls it,
// with this checkout's package.
const ANALYSIS = [PYTHON, "-m", "borderland"];
const PYTHON_ENV = { ...process.env, PYTHONPATH: path.join(REPO, "python") };
const PROJECTION_START = "2023-03-01";
const SEEDS = [1, 2, 3];
const run = promisify(execFile);

let work, server, url, browser, page;
const requests = [];
const pageErrors = [];

// Facts read straight from a run file with h5py: the oracle the page is checked against.
function fromFile(file, code) {
  const script = `import h5py, json, sys\nf = h5py.File(sys.argv[1], "r")\n` +
    `s = lambda v: v.decode() if isinstance(v, bytes) else str(v)  # fixed or variable-length text\n` +
    `ev = {k: f["events"][k][()] for k in ("date", "tactic", "province")}\n` +
    `ev["date"] = [s(d) for d in ev["date"]]\nev["tactic"] = [s(t) for t in ev["tactic"]]\n` +
    `snap = [s(d) for d in f["snapshots/date"][()]]\n${code}`;
  const out = spawnSync(PYTHON, ["-c", script, file], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  return JSON.parse(out.stdout);
}

async function engine(scenario, out, seed, until) {
  fs.mkdirSync(path.dirname(out), { recursive: true });
  await run(BIN, ["run", path.join(REPO, "scenarios/ttp", `${scenario}.yaml`), "-o", out, "--seed", String(seed),
    "--threads", "1", "-q", "--until", until]);
}

function startServer(target) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, ["view", target, "--port", "0", "--quiet"], { stdio: ["ignore", "pipe", "pipe"] });
    let text = "";
    child.stdout.on("data", (chunk) => {
      text += chunk;
      const found = text.match(/open (http:\/\/127\.0\.0\.1:\d+\/)/);
      if (found) resolve({ child, url: found[1] });
    });
    child.stderr.on("data", (chunk) => process.stderr.write(chunk));
    child.on("exit", (code) => reject(new Error(`borderland view exited with ${code}: ${text}`)));
  });
}

before(async () => {
  for (const need of [BIN, CHROMIUM, path.join(REPO, "viewer/dist/index.html")]) {
    assert.ok(fs.existsSync(need), `${need} is missing: run scripts/setup.sh (it builds the engine and the ` +
      "viewer's page and installs chromium)");
  }
  work = fs.mkdtempSync(path.join(os.tmpdir(), "borderland-viewer-"));
  // The main job's layout: runs/<scenario>/seed_<n>.h5. Short runs: the history to the end of
  // 2021; baseline and police reform to the end of 2023 (ten months past the projection start).
  const jobs = [["historical_2020_2023", 1, "2021-12-31"]];
  for (const seed of SEEDS) jobs.push(["baseline", seed, "2023-12-31"], ["police_reform", seed, "2023-12-31"]);
  const runs = path.join(work, "runs");
  for (let i = 0; i < jobs.length; i += 2) {
    await Promise.all(jobs.slice(i, i + 2).map(([s, seed, until]) =>
      engine(s, path.join(runs, s, `seed_${seed}.h5`), seed, until)));
  }
  ({ child: server, url } = await startServer(runs));
  browser = await chromium.launchPersistentContext(path.join(work, "chromium-profile"), {
    executablePath: CHROMIUM, headless: true, viewport: { width: 1500, height: 1250 },
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"], // nothing outside this machine resolves
  });
  page = browser.pages()[0] || (await browser.newPage());
  page.on("request", (r) => requests.push(r.url()));
  page.on("pageerror", (e) => pageErrors.push(e.message));
  await page.goto(url);
  await page.waitForSelector("body[data-ready=true]", { timeout: 120000 });
});

after(async () => {
  if (browser) await browser.close();
  if (server) server.kill("SIGTERM");
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const historical = () => path.join(work, "runs/historical_2020_2023/seed_1.h5");
const drawn = async () => Number(await page.getAttribute("#drawn-count", "data-count"));

test("the page loads the run made in the test, from this server only", async () => {
  assert.equal(await page.isVisible("#error"), false, await page.textContent("#error"));
  const names = await page.$$eval("#scenario option", (o) => o.map((x) => x.textContent));
  assert.deepEqual(names, ["historical_2020_2023", "baseline", "police_reform"]);
  // It opens on the run's last day, with every event of the file drawn.
  const file = fromFile(historical(), "print(json.dumps({'n': len(ev['date']), " +
    "'last': s(f['timeseries/date'][-1])}))");
  assert.equal(await page.getAttribute("#slider-date", "data-date"), file.last);
  const shown = await drawn();
  assert.equal(shown, file.n);
  assert.ok(shown > 100, `only ${shown} events drawn`);
  assert.ok(requests.length > 0 && requests.every((r) => r.startsWith(url) || r.startsWith("data:")),
    `requests outside the server: ${requests.filter((r) => !r.startsWith(url))}`);
  assert.ok((await page.$$("#panels .panel")).length >= 4, "time-series panels");
  assert.deepEqual(pageErrors, []);
});

test("the slider moves the map to the snapshot's date and draws the file's events up to it", async () => {
  const snaps = fromFile(historical(), "print(json.dumps(snap))");
  const slider = page.locator("#slider");
  await slider.focus();
  await page.keyboard.press("Home");
  const k = 7;
  for (let i = 0; i < k; i++) await page.keyboard.press("ArrowRight");
  assert.equal(await page.getAttribute("#slider-date", "data-date"), snaps[k]);
  const expected = fromFile(historical(), `print(sum(d <= "${snaps[k]}" for d in ev["date"]))`);
  assert.equal(await drawn(), expected);
  assert.match(await page.textContent("#legend"), new RegExp(`snapshot of ${snaps[k]}`)); // the field's frame too
  assert.ok(expected > 0 && expected < fromFile(historical(), "print(len(ev['date']))"));
});

test("filters change the count as the file says", async () => {
  const date = await page.getAttribute("#slider-date", "data-date");
  await page.click('input[data-key="tactic"][value="ied"]');
  let expected = fromFile(historical(),
    `print(sum(d <= "${date}" and t != "ied" for d, t in zip(ev["date"], ev["tactic"])))`);
  assert.equal(await drawn(), expected);
  await page.click('input[data-key="tactic"][value="ied"]');
  // Only Khyber Pakhtunkhwa, and only from the first of July 2020.
  const kp = await page.evaluate(() => window.borderlandViewer.map.provinces.find((p) => p.name === "Khyber Pakhtunkhwa").id);
  await page.click('button[data-none="province"]');
  assert.equal(await drawn(), 0);
  await page.click(`input[data-key="province"][value="${kp}"]`);
  await page.fill("#date-from", "2020-07-01");
  await page.dispatchEvent("#date-from", "change");
  expected = fromFile(historical(), `print(sum("2020-07-01" <= d <= "${date}" and p == ${kp} ` +
    `for d, p in zip(ev["date"], ev["province"])))`);
  assert.equal(await drawn(), expected);
  assert.ok(expected > 0);
  await page.click('button[data-all="province"]');
  await page.fill("#date-from", "2020-01-01");
  await page.dispatchEvent("#date-from", "change");
});

test("clicking an attack shows its row and nearest place", async () => {
  const target = await page.evaluate(() => {
    const v = window.borderlandViewer.view;
    const e = v.events[v.events.length - 1]; // drawn last: on top
    const c = window.borderlandViewer.events.columns;
    return { x: v.x(e.lon), y: v.y(e.lat), row: e.row, date: c.date[e.row], tactic: c.tactic[e.row] };
  });
  const box = await page.locator("#map").boundingBox();
  await page.mouse.move(box.x + target.x, box.y + target.y);
  assert.equal(await page.isVisible("#tooltip"), true);
  await page.mouse.click(box.x + target.x, box.y + target.y);
  const details = await page.textContent("#event-details");
  assert.ok(details.includes(target.date) && details.includes(target.tactic), details);
  assert.match(await page.textContent('[data-testid="nearest-place"]'), /^\S.* \(\d+ km\)$/);
});

test("play steps through the snapshots", async () => {
  await page.keyboard.press("Home");
  const before = await page.getAttribute("#slider-date", "data-date");
  await page.click("#play");
  await page.waitForFunction((d) => document.querySelector("#slider-date").dataset.date !== d, before);
  await page.click("#play");
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.locator("#slider").focus();
  await page.keyboard.press("End");
  await page.screenshot({ path: path.join(SHOTS, "viewer.png") });
  assert.ok(fs.statSync(path.join(SHOTS, "viewer.png")).size > 50000);
});

test("the comparison shows the difference and interval of `python3 -m borderland compare`", async () => {
  const csv = path.join(work, "compare.csv");
  const out = spawnSync(ANALYSIS[0], [...ANALYSIS.slice(1), "compare", path.join(work, "runs/baseline"),
    path.join(work, "runs/police_reform"), "-o", csv, "--since", PROJECTION_START],
  { cwd: REPO, encoding: "utf8", env: PYTHON_ENV });
  assert.equal(out.status, 0, out.stderr);
  const [header, ...lines] = fs.readFileSync(csv, "utf8").trim().split("\n");
  const cols = header.split(",");
  const rows = lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [cols[i], v])));
  await page.click('button[data-tab="compare"]');
  await page.waitForSelector("body[data-compare-ready]");
  assert.equal(await page.inputValue("#cmp-since"), PROJECTION_START);
  assert.equal(rows.length, 5);
  for (const r of rows) {
    const row = page.locator(`tr[data-scenario="police_reform"][data-outcome="${r.outcome}"]`);
    for (const [attr, key] of [["data-difference", "difference"], ["data-low", "diff_low"], ["data-high", "diff_high"]]) {
      const shown = Number(await row.getAttribute(attr));
      assert.ok(Math.abs(shown - Number(r[key])) <= 1e-9 * Math.max(1, Math.abs(Number(r[key]))),
        `${r.outcome} ${key}: page ${shown}, analysis compare ${r[key]}`);
    }
    // The digits on the page are the digits compare prints: "+d [+low, +high]".
    const text = (await row.locator("td.ci").textContent()).replace(/\s+/g, " ").trim();
    const printed = out.stdout.split("\n").find((l) => l.startsWith("police_reform") && l.includes(` ${r.outcome} `));
    assert.ok(printed && printed.includes(text), `page "${text}" not in compare's line "${printed}"`);
  }
  const labels = await page.evaluate(() => document.querySelector("#cmp-legend").textContent);
  assert.match(labels, /attacks per province/);
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(SHOTS, "viewer_compare.png") });
});

test("provenance shows the files' seeds, version and commit and the resolved scenario", async () => {
  await page.click('button[data-tab="provenance"]');
  await page.selectOption("#prov-scenario", "baseline");
  await page.waitForFunction(() => document.querySelector("#provenance table"));
  const attrs = fromFile(path.join(work, "runs/baseline/seed_2.h5"),
    "print(json.dumps({k: s(v) for k, v in f.attrs.items()}))");
  const text = await page.textContent("#provenance");
  for (const key of ["git_commit", "borderland_version"]) assert.ok(text.includes(attrs[key]), key);
  assert.ok(text.includes("seed_2.h5"));
  assert.match(await page.textContent('[data-testid="resolved"]'), /police_posts|parameters/);
});

test("a sweep file: its ensemble's bands, on the project's map asset", async () => {
  const sweepYaml = path.join(work, "sweep.yaml");
  fs.writeFileSync(sweepYaml, `description: viewer test sweep\nbase: ${path.join(REPO, "scenarios/ttp/baseline.yaml")}\n` +
    "set:\n  output.snapshot_every: 0\n  end: 2022-06-30\ndesign: replicas\nreplicas: 3\nseed: 11\n");
  const sweep = path.join(work, "sweep.h5");
  await run(BIN, ["sweep", sweepYaml, "-o", sweep, "--threads", "2", "-q"]);
  const second = await startServer(sweep);
  const other = await browser.newPage();
  try {
    const errors = [];
    other.on("pageerror", (e) => errors.push(e.message));
    await other.goto(second.url);
    await other.waitForSelector("body[data-ready=true]", { timeout: 120000 });
    assert.equal(await other.isVisible("#error"), false);
    assert.match(await other.textContent("#series-note"), /baseline: 3 runs/);
    assert.ok((await other.$$("#panels .panel")).length >= 4);
    assert.match(await other.textContent("#filters"), /sweep file keeps no events/);
    const source = await other.evaluate(() => window.borderlandViewer.map.source);
    assert.equal(path.resolve(source), path.join(REPO, "scenarios/maps/afpak_0p05.h5"));
    assert.deepEqual(errors, []);
  } finally {
    await other.close();
    second.child.kill("SIGTERM");
  }
});

test("bad input: a clear message naming the file, and exit code 2", async () => {
  const junk = path.join(work, "notes.h5");
  fs.writeFileSync(junk, "not HDF5\n");
  const foreign = path.join(work, "foreign.h5");
  spawnSync(PYTHON, ["-c", "import h5py, sys; h5py.File(sys.argv[1], 'w')['x'] = [1]", foreign]);
  const cases = [
    [junk, /notes\.h5: not an HDF5 file/],
    [foreign, /foreign\.h5: attribute '\/format' is missing; not a borderland file/],
    [path.join(work, "no_such_folder"), /no_such_folder: no such file or directory/],
    [path.join(REPO, "scenarios/maps/afpak_0p05.h5"), /is a map asset/],
  ];
  for (const [target, message] of cases) {
    const out = spawnSync(BIN, ["view", target, "--port", "0"], { encoding: "utf8", timeout: 60000 });
    assert.equal(out.status, 2, `${target}: exit ${out.status}\n${out.stderr}`);
    assert.match(out.stderr, message);
  }
  const port = spawnSync(BIN, ["view", work, "--port", "70000"], { encoding: "utf8" });
  assert.equal(port.status, 2);
  assert.match(port.stderr, /--port/);
});
