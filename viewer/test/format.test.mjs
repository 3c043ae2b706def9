// The page prints numbers as Python's "{:+.4g}", "{:.4g}", "{:+.1f}", "{:.2f}" (the comparison's text table):
// checked against Python itself over values of every magnitude and sign.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { fixed, g } from "../src/format.js";

const VALUES = [0, 1, -1, 0.5, 0.125, 0.375, -0.625, 2.5, 0.05, 0.95, 16.25, -6.175637, 0.9999, 2647.5, 12345.6, -163.5, 1e-5, -0.00012345, 0.0001, 9999.5, 99995, 1234.5,
  0.004279, -0.02381, 3.14159e7, -2.5e-9, 100, 1000, 10000, 0.1, 123.456, -98765.4321];

test("g() and fixed() print what Python's format prints", () => {
  const script = "import json, sys\nv = json.loads(sys.argv[1])\n" +
    "print(json.dumps([[format(x, f) for f in ('+.4g', '.4g', '+.3g', '+.1f', '.2f')] for x in v]))";
  const out = spawnSync("/usr/bin/python3", ["-c", script, JSON.stringify(VALUES)], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  JSON.parse(out.stdout).forEach(([signed, plain, three, pct, p], i) => {
    const v = VALUES[i];
    assert.equal(g(v, 4, true), signed, `${v} +.4g`);
    assert.equal(g(v, 4), plain, `${v} .4g`);
    assert.equal(g(v, 3, true), three, `${v} +.3g`);
    assert.equal(fixed(v, 1, true), pct, `${v} +.1f`);
    assert.equal(fixed(v, 2), p, `${v} .2f`);
  });
});
