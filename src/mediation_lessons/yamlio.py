"""Load YAML data files safely, keeping the line of every value for error messages."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml

from mediation_lessons.errors import DataError, Problem

PathKey = tuple[Any, ...]


class _LineLoader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader (no arbitrary objects), in C where libyaml is present: it is a
    hundred times faster, and its nodes carry the same line marks."""


def _walk(node: yaml.Node, key: PathKey, lines: dict[PathKey, int]) -> None:
    lines[key] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for k_node, v_node in node.value:
            name = k_node.value if isinstance(k_node, yaml.ScalarNode) else str(k_node.start_mark)
            _walk(v_node, key + (name,), lines)
            # the key's line, not the value's: a block value starts on the next line
            lines[key + (name,)] = k_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, key + (i,), lines)


def read_text(path: Path, shown: str | None = None) -> str:
    """Read a UTF-8 file, turning decoding failures into a DataError naming the file."""
    shown = shown or Path(path).as_posix()
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError(
            [Problem(shown, f"not UTF-8 text (byte {exc.start}: {exc.reason})", line=line)]
        ) from None


def load_yaml(path: Path, shown: str | None = None) -> tuple[Any, dict[PathKey, int]]:
    """Parse a YAML file with the safe loader.

    Returns the data and a map from each value's path (a tuple of keys and indexes)
    to its 1-based line. Parse errors become a DataError with the line.
    """
    shown = shown or Path(path).as_posix()
    text = read_text(path, shown)
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str) -> tuple[Any, dict[PathKey, int]]:
    """Parse YAML text (see :func:`load_yaml`)."""
    loader = _LineLoader(text)
    try:
        # one parse: the node tree gives the lines, and the data is built from it
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise DataError([Problem(shown, f"YAML does not parse: {exc.problem or exc}", line=line)]) from None
    except yaml.YAMLError as exc:
        raise DataError([Problem(shown, f"YAML does not parse: {exc}")]) from None
    finally:
        loader.dispose()
    lines: dict[PathKey, int] = {}
    _walk(node, (), lines)
    return _dates_to_text(data), lines


def _dates_to_text(value: Any) -> Any:
    """YAML turns 2024-06-10 into a date; keep ISO text so one schema checks both forms."""
    if isinstance(value, (datetime.date, datetime.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _dates_to_text(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_dates_to_text(v) for v in value]
    return value


def line_of(lines: dict[PathKey, int], key: PathKey) -> int | None:
    """The line of ``key``, or of its nearest ancestor that has one."""
    key = tuple(key)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return lines.get(())
