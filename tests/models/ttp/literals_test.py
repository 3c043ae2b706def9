#!/usr/bin/python3
"""Fails when the TTP model's code gains a bare numeric literal.

Every model number is a parameter (units, range, reason: parameters.cpp, policies.cpp,
events.cpp) or a named constant with a comment (constants.hpp, or a commented `constexpr`
next to its use). This test scans every .cpp and .hpp under models/ttp/ and reports each number
other than 0, 1 and 2 outside:
  - the argument lists of parameter declarations (ParamSpec::real/integer(...), TTP_REAL(...),
    TTP_INT(...) and the other TTP_* declaration macros): a parameter's default and range;
  - whole declaration tables (DECLARATION_TABLES below);
  - `constexpr` declarations whose line, or the line above, carries a comment: named constants;
  - comments and string literals.
A short allow-list (ALLOWED below) takes the rest, each with its reason.

    /usr/bin/python3 tests/models/ttp/literals_test.py [MODEL_DIR]      # default models/ttp
Prints every offending literal as file:line and exits 1; with --count prints the count only.
"""
import os
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
DECLARATIONS = re.compile(r"\b(ParamSpec::(?:real|integer)|TTP_[A-Z_]+)\s*\(")
NUMBER = re.compile(r"(?<![\w.])(\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)[fFuUlL]*(?![\w.])")
FREE = {0.0, 1.0, 2.0}
# (file relative to the model directory, literal): reason. Keep it short.
ALLOWED = {
    ("suicide_pipeline.cpp", "3"): "index of the fourth value of the pipeline's checkpoint vector",
}
# Files that are declaration tables as a whole: every number is a default in a row that the same
# file turns into ParamSpecs with units, range and the row's reasons.
DECLARATION_TABLES = {
    "tactics_parameters.cpp": "the per-tactic defaults; each column becomes a ParamSpec below",
}


def blank_comments_and_strings(src):
    """The source with comments and string/char literals replaced by spaces (newlines kept)."""
    out, i, n = [], 0, len(src)
    while i < n:
        if src.startswith("//", i):
            j = src.find("\n", i)
            j = n if j < 0 else j
            out.append(" " * (j - i)); i = j
        elif src.startswith("/*", i):
            j = src.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j])); i = j
        elif src.startswith('R"', i):
            m = re.match(r'R"([^(]*)\(', src[i:])
            end = src.find(")" + m.group(1) + '"', i)
            j = end + len(m.group(1)) + 2
            out.append(re.sub(r"[^\n]", " ", src[i:j])); i = j
        elif src[i] in "\"'":
            q, j = src[i], i + 1
            while j < n and src[j] != q:
                j += 2 if src[j] == "\\" else 1
            out.append(" " * (j + 1 - i)); i = j + 1
        else:
            out.append(src[i]); i += 1
    return "".join(out)


def blank_declarations(code):
    """Blanks the argument lists of parameter declarations (defaults and ranges)."""
    chars = list(code)
    for m in DECLARATIONS.finditer(code):
        depth, j = 1, m.end()
        while j < len(code) and depth:
            depth += {"(": 1, ")": -1}.get(code[j], 0)
            if code[j] != "\n":
                chars[j] = " "
            j += 1
    return "".join(chars)


def offending(path, rel):
    src = open(path, encoding="utf-8").read()
    raw_lines = src.split("\n")
    code = blank_declarations(blank_comments_and_strings(src)).split("\n")
    found = []
    in_constexpr = False
    previous_named = False  # the line before was a named constant under a comment
    for k, line in enumerate(code):
        starts = re.search(r"\bconstexpr\b", line) is not None
        commented = ("//" in raw_lines[k] or previous_named or
                     (k > 0 and raw_lines[k - 1].strip().startswith("//")))
        previous_named = starts and commented
        if starts:
            in_constexpr = commented
        if in_constexpr:
            if ";" in line:
                in_constexpr = False
            continue
        for m in NUMBER.finditer(line):
            value = float(m.group(1))
            if value in FREE or (rel, m.group(1)) in ALLOWED:
                continue
            found.append(f"{rel}:{k + 1}: bare literal {m.group(1)}: {raw_lines[k].strip()}")
    return found


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    model = args[0] if args else os.path.join(ROOT, "models/ttp")
    found = []
    for folder, _, files in sorted(os.walk(model)):
        for name in sorted(files):
            if name.endswith((".cpp", ".hpp")) and name not in DECLARATION_TABLES:
                path = os.path.join(folder, name)
                found += offending(path, os.path.relpath(path, model))
    if "--count" in sys.argv:
        print(len(found))
        return 0
    for f in found:
        print(f)
    if found:
        print(f"{len(found)} bare numeric literals: make each a parameter (parameters.cpp) or a "
              f"named, commented constant (constants.hpp)", file=sys.stderr)
        return 1
    print("no bare numeric literals in", os.path.relpath(model, ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
