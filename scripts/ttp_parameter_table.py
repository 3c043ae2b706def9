#!/usr/bin/env python3
"""Rewrites the parameter table of models/ttp/README.md ("## Parameters") from the model's own
listing (`borderland models ttp`), so that the README never drifts from the code.

    /usr/bin/python3 scripts/ttp_parameter_table.py [--borderland build/borderland] [--check]

--check: exit 1 (and say which rows differ) instead of writing, when the table is out of date.
The source column is read off the reason's tags: [fitted...] -> fitted, [seed...] -> seed, a
tracker named (PICSS, PIPS) -> that tracker, another bracketed source -> source, else judgement.
"""
import argparse
import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = REPO / "models" / "ttp" / "README.md"
HEADER = ("| parameter | default | units | range | source | reason |\n"
          "|---|---|---|---|---|---|\n")
# "    key = default units in [lo, hi]": a numeric parameter line of `borderland models`.
PARAM = re.compile(r"^    (\S+) = (\S+) (\S*) ?in \[([^\]]+)\]$")


def source_of(reason: str) -> str:
    tags = " ".join(re.findall(r"\[[^\]]*\]|\([^)]*seed[^)]*\)", reason))
    if "fitted" in tags:
        return "fitted"
    if "seed" in tags:
        return "seed"
    for tracker in ("PICSS", "PIPS"):
        if tracker in reason:
            return tracker
    if re.search(r"\[(?!judgement\])[^\]]+\]", tags):
        return "source"
    return "judgement"


def rows(listing: str) -> list[str]:
    lines = listing.splitlines()
    out = []
    for i, line in enumerate(lines):
        m = PARAM.match(line)
        if not m:
            continue
        key, default, units, span = m.groups()
        reason = lines[i + 1].strip() if i + 1 < len(lines) and lines[i + 1].startswith("        ") else ""
        out.append(f"| `{key}` | {default} | {units or '1'} | [{span}] | {source_of(reason)} | {reason} |")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--borderland", default=str(REPO / "build" / "borderland"))
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    listing = subprocess.run([args.borderland, "models", "ttp"], check=True, capture_output=True,
                             text=True).stdout
    table = HEADER + "\n".join(rows(listing)) + "\n"
    text = README.read_text()
    start = text.index(HEADER, text.index("## Parameters\n"))
    end = start
    # The table ends at its first line that is neither a row nor blank.
    while end < len(text) and (text.startswith("|", end) or text.startswith("\n", end)):
        end = text.index("\n", end) + 1
    new = text[:start] + table + "\n" + text[end:]
    if args.check:
        if new != text:
            print(f"{README}: the parameter table is out of date; run {Path(__file__).name}",
                  file=sys.stderr)
            return 1
        return 0
    README.write_text(new)
    print(f"{README}: {len(rows(listing))} parameters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
