"""YAML with positions: every value keeps the file, line and column it came from.

The calibration file and the observation files are read through this module, so
that every complaint about them reads `file:line:col: error: key.path: expected
..., got ...`, as the engine's scenario and sweep loaders write them.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import yaml

from .errors import CalibrationInputError, did_you_mean


@dataclass
class Node:
    """One YAML value (scalar, list or map) with where it stands in its file."""
    value: object          # str (scalar text), list[Node] or dict[str, Node]
    file: str
    line: int              # 1-based
    column: int            # 1-based
    path: str              # key path from the root, e.g. "statistics[2].scale"
    tag: str = ""

    def where(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"

    def error(self, what: str) -> CalibrationInputError:
        return CalibrationInputError(f"{self.where()}: error: {self.path or '(root)'}: {what}")

    # ---- shape -----------------------------------------------------------
    @property
    def is_map(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)

    @property
    def is_scalar(self) -> bool:
        return not (self.is_map or self.is_list)

    def describe(self) -> str:
        if self.is_map:
            return "a map"
        if self.is_list:
            return "a list"
        if self.tag.endswith(":null"):
            return "null"
        return f'"{self.value}"'

    # ---- maps ------------------------------------------------------------
    def require_map(self) -> dict[str, "Node"]:
        if not self.is_map:
            raise self.error(f"expected a map, got {self.describe()}")
        return self.value

    def get(self, key: str) -> "Node | None":
        return self.require_map().get(key)

    def need(self, key: str, what: str) -> "Node":
        node = self.get(key)
        if node is None:
            raise self.error(f"'{key}' is missing; expected {what}")
        return node

    def check_keys(self, known) -> None:
        """Unknown keys are errors (with a hint), never silently ignored."""
        errors = []
        for key, node in self.require_map().items():
            if key not in known:
                errors.append(f"{node.key_where}: error: {_join(self.path, key)}: unknown key"
                              f"{did_you_mean(key, known)} (known: {', '.join(sorted(known))})")
        if errors:
            raise CalibrationInputError(errors)

    # ---- scalars ---------------------------------------------------------
    def text(self) -> str:
        if not self.is_scalar or self.tag.endswith(":null"):
            raise self.error(f"expected text, got {self.describe()}")
        return str(self.value)

    def number(self, low: float | None = None, high: float | None = None, integer: bool = False) -> float:
        kind = "an integer" if integer else "a number"
        if low is not None and high is not None:
            kind += f" in [{low:g}, {high:g}]"
        elif low is not None:
            kind += f" >= {low:g}"
        if not self.is_scalar:
            raise self.error(f"expected {kind}, got {self.describe()}")
        try:
            x = float(str(self.value))
        except ValueError:
            raise self.error(f"expected {kind}, got {self.describe()}") from None
        if x != x or x in (float("inf"), float("-inf")) or (integer and x != int(x)) \
                or (low is not None and x < low) or (high is not None and x > high):
            raise self.error(f"expected {kind}, got {self.describe()}")
        return int(x) if integer else x

    def boolean(self) -> bool:
        text = str(self.value).lower() if self.is_scalar else ""
        if text in ("true", "yes", "on"):
            return True
        if text in ("false", "no", "off"):
            return False
        raise self.error(f"expected true or false, got {self.describe()}")

    def date(self) -> datetime.date:
        try:
            return datetime.date.fromisoformat(self.text())
        except ValueError:
            raise self.error(f"expected a date YYYY-MM-DD, got {self.describe()}") from None

    @property
    def key_where(self) -> str:
        return getattr(self, "_key_where", self.where())


def _join(path: str, key) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else str(key)


def _convert(node: yaml.Node, file: str, path: str) -> Node:
    line, column = node.start_mark.line + 1, node.start_mark.column + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = str(key_node.value)
            child = _convert(value_node, file, _join(path, key))
            child._key_where = f"{file}:{key_node.start_mark.line + 1}:{key_node.start_mark.column + 1}"
            if key in out:
                raise CalibrationInputError(f"{child.key_where}: error: {_join(path, key)}: duplicate key")
            out[key] = child
        return Node(out, file, line, column, path, node.tag)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(v, file, _join(path, i)) for i, v in enumerate(node.value)],
                    file, line, column, path, node.tag)
    return Node(node.value, file, line, column, path, node.tag)


def load(path: str, shown: str | None = None) -> Node:
    """Parse a YAML file into Nodes; a syntax error is located, as every other error."""
    shown = shown or path
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError as exc:
        raise CalibrationInputError(f"{shown}: error: cannot read ({exc.strerror})") from None
    try:
        root = yaml.compose(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{shown}:{mark.line + 1}:{mark.column + 1}" if mark else shown
        raise CalibrationInputError(f"{where}: error: invalid YAML: {exc.problem or exc.context}") from None
    if root is None:
        raise CalibrationInputError(f"{shown}:1:1: error: empty file, expected a map")
    return _convert(root, shown, "")
