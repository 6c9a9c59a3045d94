"""The one YAML reader for every data file: safe, strict, and keeping line numbers.

Beyond the safe loader (no Python objects) it rejects, with the line, what makes data
ambiguous or dangerous:

- a key written twice in one mapping (YAML would keep the last silently);
- any tag but the plain JSON-like ones (``!!python/...``, ``!foo``, ``!!set``, ``!!binary``),
  and an explicit ``!!int``/``!!float``/``!!bool``/``!!null`` on text that is not one;
- aliases beyond :data:`MAX_ALIASES` uses or :data:`MAX_EXPANSION` values expanded, and
  recursive aliases: checked on the node graph, without expanding it, before anything
  is constructed, so a 1 KB "billion laughs" fails in microseconds;
- nesting deeper than :data:`MAX_DEPTH` (every later check is recursive).

Dates stay text (``2024-06-10`` is the string ``"2024-06-10"``), so an impossible date
such as 2025-02-30 reaches the schema check, which names it, instead of crashing here.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import yaml

from mediation_lessons import cache
from mediation_lessons.errors import DataError, Problem

PathKey = tuple[Any, ...]

MAX_ALIASES = 10_000    # alias uses in one file (a bank may reuse each citation by alias)
MAX_EXPANSION = 100_000  # values that aliases may add once expanded; far below a bomb
MAX_DEPTH = 100         # nesting levels of mappings and lists
KEEP_PARSED_FROM = 2000  # characters: shorter text is parsed every time (see parse_yaml)

_Y = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_Y + t for t in ("str", "int", "float", "bool", "null", "timestamp", "value", "merge")}
_SEQ, _MAP, _STR, _MERGE = _Y + "seq", _Y + "map", _Y + "str", _Y + "merge"
# What an explicitly tagged scalar must look like (the resolver's own patterns), so that
# ``!!int ""`` or ``!!float abc`` is a clear problem instead of an IndexError inside PyYAML.
_SHAPES = {
    tag: regexp
    for resolvers in yaml.resolver.Resolver.yaml_implicit_resolvers.values()
    for tag, regexp in resolvers
    if tag in {_Y + "int", _Y + "float", _Y + "bool", _Y + "null"}
}
_SHAPES[_Y + "null"] = re.compile(r"^(?:~|null|Null|NULL|)$")
_MAX_NUMBER_LEN = 1000  # Python refuses to convert longer decimal integers


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
    """The safe loader, in C where libyaml is present (a hundred times faster; its nodes
    carry the same line marks). Dates and ``=`` are constructed as text."""


_Loader.add_constructor(_Y + "timestamp", yaml.SafeLoader.construct_yaml_str)
_Loader.add_constructor(_Y + "value", yaml.SafeLoader.construct_yaml_str)


def _short(tag: str) -> str:
    return "!!" + tag[len(_Y):] if tag.startswith(_Y) else tag


class _Checker:
    """One pass over the node graph: lines, duplicate keys, tags, depth and aliases.

    A node reached a second time is an alias: it is counted, its line recorded, and it is
    not walked again, so the pass costs the size of the file, never of its expansion.
    """

    def __init__(self, shown: str, keep_lines: bool):
        self.shown = shown
        self.lines: dict[PathKey, int] = {}
        self.keep_lines = keep_lines
        self.problems: list[Problem] = []
        self.aliases = 0
        self.targets: list[yaml.Node] = []  # the node each alias repeats

    def problem(self, message: str, node: yaml.Node, key: PathKey) -> None:
        field = ".".join(str(k) for k in key) or None
        self.problems.append(Problem(self.shown, message, field=field, line=node.start_mark.line + 1))

    def bad_tag(self, tag: str, what: str, node: yaml.Node, key: PathKey) -> None:
        if tag in _SCALAR_TAGS | {_SEQ, _MAP}:
            self.problem(f"tag {_short(tag)} cannot mark {what}", node, key)
        else:
            self.problem(f"tag {_short(tag)} is not allowed in a data file (plain YAML values only)", node, key)

    def walk(self, root: yaml.Node) -> None:
        seen: set[int] = set()
        # (node, path, depth, line to record for the path)
        stack: list[tuple[yaml.Node, PathKey, int, int]] = [(root, (), 0, root.start_mark.line + 1)]
        while stack:
            node, key, depth, line = stack.pop()
            if self.keep_lines:
                self.lines[key] = line
            if id(node) in seen:
                self.aliases += 1
                if self.aliases <= MAX_ALIASES:
                    self.targets.append(node)
                continue
            seen.add(id(node))
            tag = node.tag
            if isinstance(node, yaml.ScalarNode):
                if tag not in _SCALAR_TAGS:
                    self.bad_tag(tag, "a single value", node, key)
                elif tag in _SHAPES and len(node.value) > _MAX_NUMBER_LEN:
                    self.problem(f"a {_short(tag)[2:]} of {len(node.value):,} characters is too long", node, key)
                elif tag in _SHAPES and not _SHAPES[tag].match(node.value):
                    self.problem(f"{node.value[:40]!r} is not a valid {_short(tag)[2:]} (written as {_short(tag)})", node, key)
                continue
            if depth >= MAX_DEPTH:
                self.problem(f"nested more than {MAX_DEPTH} levels deep", node, key[:3])
                continue
            if isinstance(node, yaml.SequenceNode):
                if tag != _SEQ:
                    self.bad_tag(tag, "a list", node, key)
                    continue
                for i in range(len(node.value) - 1, -1, -1):
                    child = node.value[i]
                    stack.append((child, key + (i,), depth + 1, child.start_mark.line + 1))
                continue
            if tag != _MAP:
                self.bad_tag(tag, "a mapping", node, key)
                continue
            pairs = node.value
            plain = True  # every key plain text: the usual case, checked for duplicates by a set
            for k_node, v_node in reversed(pairs):
                if isinstance(k_node, yaml.ScalarNode):
                    ktag = k_node.tag
                    if ktag != _STR:
                        plain = False
                        if ktag == _MERGE:
                            # ``<<: *base`` merges another mapping: walk it, under this path
                            stack.append((v_node, key, depth + 1, line))
                            continue
                    # the key's line, not the value's: a block value starts on the next line
                    stack.append((v_node, key + (k_node.value,), depth + 1, k_node.start_mark.line + 1))
                else:
                    plain = False
                    name = str(k_node.start_mark)
                    stack.append((k_node, key + ("<key>",), depth + 1, k_node.start_mark.line + 1))
                    stack.append((v_node, key + (name,), depth + 1, k_node.start_mark.line + 1))
            if plain and len({k.value for k, _v in pairs}) == len(pairs):
                continue
            first: dict[tuple, int] = {}
            for k_node, _v in pairs:
                if not isinstance(k_node, yaml.ScalarNode) or k_node.tag == _MERGE:
                    continue
                ident = (_key_kind(k_node.tag), _key_value(k_node))
                if ident in first:
                    self.problem(f"duplicate key {k_node.value!r} (first on line {first[ident]}); "
                                 "YAML would silently keep only the last", k_node, key + (k_node.value,))
                else:
                    first[ident] = k_node.start_mark.line + 1

    def check_expansion(self, root: yaml.Node) -> None:
        """How many values the aliases add once expanded: the sum of the sizes of the
        values they repeat, each size computed once on the graph (memoised, never expanded)."""
        size: dict[int, int] = {}
        extra = 0
        for target in self.targets:
            on_path: set[int] = set()
            stack: list[tuple[yaml.Node, bool]] = [(target, False)]
            while stack:
                node, done = stack.pop()
                nid = id(node)
                if done:
                    on_path.discard(nid)
                    size[nid] = min(1 + sum(size[id(c)] for c in _children(node)), 10**12)
                    continue
                if nid in size:
                    continue
                if nid in on_path:
                    self.problem("an alias refers to a value that contains it (recursive data)", node, ())
                    return
                on_path.add(nid)
                stack.append((node, True))
                stack.extend((c, False) for c in _children(node) if id(c) not in size)
            extra += size[id(target)]
            if extra > MAX_EXPANSION:
                self.problem(f"aliases would repeat more than {MAX_EXPANSION:,} values "
                             "(a 'billion laughs' file?); write the values out instead", root, ())
                return


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return node.value
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _key_kind(tag: str) -> str:
    return "text" if tag in (_Y + "str", _Y + "timestamp", _Y + "value") else tag


def _key_value(node: yaml.ScalarNode) -> Any:
    """A key as it will be compared once loaded: ``1`` and ``0x1`` are the same key."""
    value = node.value
    if node.tag == _Y + "int" and _SHAPES[node.tag].match(value) and len(value) <= _MAX_NUMBER_LEN:
        return yaml.SafeLoader.construct_yaml_int(_PLAIN, node)
    if node.tag == _Y + "bool":
        return value.lower() in ("yes", "true", "on")
    if node.tag == _Y + "null":
        return None
    return value


_PLAIN = yaml.SafeLoader("")


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
    """Parse a YAML file with the strict safe loader.

    Returns the data and a map from each value's path (a tuple of keys and indexes)
    to its 1-based line. Every problem becomes a DataError with the line.
    """
    shown = shown or Path(path).as_posix()
    text = read_text(path, shown)
    return parse_yaml(text, shown)


def parse_yaml(text: str, shown: str, keep_lines: bool = True) -> tuple[Any, dict[PathKey, int]]:
    """Parse YAML text (see :func:`load_yaml`). ``keep_lines=False`` skips the line map
    (the checks still run) for callers that ask for lines only when something is wrong.

    Text that passed every check is kept, parsed, in the content-keyed cache
    (:mod:`mediation_lessons.cache`), keyed by the text and this module's code: PyYAML
    calls back into Python for every value, and every lesson's kernel read the same
    dozen data files (about 0.15 s). Text with a problem is never kept, nor short text,
    which parses in less time than a cache read.
    """
    if len(text) < KEEP_PARSED_FROM:
        return _parse_yaml(text, shown, keep_lines)
    key = cache.content_key("yaml-1", cache.source_stamp("yamlio.py"), yaml.__version__, text)
    stored = _from_json(cache.read("yaml", key, ".json"), keep_lines)
    if stored is not None:
        return stored
    data, lines = _parse_yaml(text, shown, keep_lines)
    kept = _to_json(data, lines if keep_lines else None)
    if kept is not None:
        cache.write("yaml", key, kept, ".json")
    return data, lines


def _to_json(data: Any, lines: dict[PathKey, int] | None) -> bytes | None:
    """Parsed data and its line map as JSON, or None when JSON would not give back the
    same values (a number as a key, NaN): such a file is simply parsed each time."""
    entry = {"data": data, "lines": None if lines is None else [[list(k), v] for k, v in lines.items()]}
    try:
        text = json.dumps(entry, ensure_ascii=False, allow_nan=False)
    except (TypeError, ValueError, RecursionError):
        return None
    back = _from_json(text.encode("utf-8"), lines is not None)
    return text.encode("utf-8") if back is not None and back == (data, lines if lines is not None else {}) else None


def _from_json(stored: bytes | None, keep_lines: bool) -> tuple[Any, dict[PathKey, int]] | None:
    if not stored:
        return None
    try:
        entry = json.loads(stored)
        if keep_lines and entry["lines"] is None:
            return None  # kept without its lines: parse again for them
        return entry["data"], ({tuple(k): v for k, v in entry["lines"]} if keep_lines else {})
    except (ValueError, TypeError, KeyError, RecursionError):
        return None


def _parse_yaml(text: str, shown: str, keep_lines: bool) -> tuple[Any, dict[PathKey, int]]:
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise DataError([Problem(shown, f"YAML does not parse: {exc.problem or exc}", line=line)]) from None
        except yaml.reader.ReaderError as exc:  # a character YAML does not allow (NUL, ...)
            line = text[: exc.position].count("\n") + 1 if isinstance(exc.position, int) else None
            code = exc.character if isinstance(exc.character, int) else ord(str(exc.character)[:1] or "\0")
            raise DataError([Problem(shown, f"YAML does not parse: character U+{code:04X} is not allowed", line=line)]) from None
        except yaml.YAMLError as exc:
            raise DataError([Problem(shown, f"YAML does not parse: {exc}")]) from None
        except RecursionError:
            raise DataError([Problem(shown, "YAML does not parse: nested too deeply")]) from None
        if node is None:
            return None, {}
        check = _Checker(shown, keep_lines)
        check.walk(node)
        if check.aliases > MAX_ALIASES:
            check.problem(f"{check.aliases} aliases (*name); at most {MAX_ALIASES} are allowed", node, ())
        elif check.aliases:
            check.check_expansion(node)
        if check.problems:
            raise DataError(check.problems)
        try:
            data = loader.construct_document(node)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark else None
            raise DataError([Problem(shown, f"YAML does not load: {exc.problem or exc}", line=line)]) from None
        except (yaml.YAMLError, ValueError, TypeError, IndexError, OverflowError, RecursionError) as exc:
            # a last net: the checks above are meant to leave nothing for it
            raise DataError([Problem(shown, f"YAML does not load: {exc.__class__.__name__}: {exc}")]) from None
    finally:
        loader.dispose()
    return data, check.lines


def line_of(lines: dict[PathKey, int], key: PathKey) -> int | None:
    """The line of ``key``, or of its nearest ancestor that has one."""
    key = tuple(key)
    while key:
        if key in lines:
            return lines[key]
        key = key[:-1]
    return lines.get(())


def file_stamps(*paths: Path) -> tuple:
    """(size, modification time) of each file, None where missing: a cache of what was
    read from them is still good while these are unchanged (an author editing the data
    in a running kernel sees the edit)."""
    stamps = []
    for path in paths:
        try:
            st = Path(path).stat()
        except OSError:
            stamps.append(None)
        else:
            stamps.append((st.st_size, st.st_mtime_ns))
    return tuple(stamps)
