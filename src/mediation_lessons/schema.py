"""JSON Schema checks that report each problem with file, item, field and line.

Two speeds, one schema: :func:`is_valid` answers yes or no with a validator compiled by
fastjsonschema (data that loads cleanly, the usual case, costs almost nothing), and
:func:`schema_problems` lists every problem with jsonschema, imported only when asked:
in a Jupyter environment importing jsonschema takes most of a second (its optional IRI
checker builds a grammar at import), which every lesson would pay at its first cell.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
from dataclasses import dataclass
from typing import Any, Callable

import fastjsonschema

from mediation_lessons import cache
from mediation_lessons.errors import Problem
from mediation_lessons.yamlio import PathKey, line_of

_REQUIRED = re.compile(r"'([^']+)' is a required property")
# ``$`` in a pattern: the end of the text. Python's ``re.search`` (which jsonschema uses)
# also lets it match before a final newline, so "gaza\n" passed "^[a-z]+$" there while
# fastjsonschema (which rewrites ``$`` as ``\Z``) refused it: the file was called wrong
# and no problem was found. Both validators now read ``$`` the same way.
_DOLLAR = re.compile(r"(?<!\\)\$")


def _real_date(value: Any) -> bool:
    """A calendar date written YYYY-MM-DD (2025-02-30 is not one)."""
    if not isinstance(value, str):
        return True  # the type keyword judges non-text
    if not _DATE_SHAPE.match(value):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


_DATE_SHAPE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# ``format: date`` means a real calendar date for both validators (fastjsonschema's own
# "date" is a pattern only, and jsonschema asserts formats only when given a checker).
FORMATS: dict[str, Callable[[Any], bool]] = {"date": _real_date}
DATE = {"type": "string", "format": "date", "description": "a date YYYY-MM-DD"}
DATE_OR_NULL = {"anyOf": [DATE, {"type": "null"}]}


def record_label(records: Any, index: int, id_field: str | None = "id", labels: list[str] | None = None) -> str:
    """How a record is named in messages: the caller's label for it, else its id, or its
    position when it has none."""
    if labels is not None and index < len(labels):
        return labels[index]
    if id_field is None:
        return f"#{index + 1}"
    try:
        rid = records[index].get(id_field)
    except (AttributeError, IndexError, KeyError, TypeError):
        rid = None
    return str(rid) if isinstance(rid, (str, int)) and not isinstance(rid, bool) and rid != "" else f"#{index + 1}"


_PER_SCHEMA: dict[tuple[str, int], tuple[dict, Any]] = {}


def _per_schema(kind: str, schema: dict, make: Callable[[dict], Any]) -> Any:
    """``make(schema)``, made once per schema object (compiled validator, fingerprint)."""
    entry = _PER_SCHEMA.get((kind, id(schema)))
    if entry is None or entry[0] is not schema:  # an id reused by another schema
        entry = _PER_SCHEMA[(kind, id(schema))] = (schema, make(schema))
    return entry[1]


def is_valid(data: Any, schema: dict, remember: bool = False) -> bool:
    """Whether ``data`` satisfies ``schema`` (draft 7 keywords; compiled once per schema).

    ``remember``: a file's data found valid is remembered across kernels (see
    :func:`remembered`), for the data files every lesson loads.
    """
    if remember:
        return remembered(data, schema, lambda: is_valid(data, schema))
    validate = _per_schema("compiled", schema, lambda s: fastjsonschema.compile(s, formats=FORMATS))
    try:
        validate(data)
    except fastjsonschema.JsonSchemaException:
        return False
    except Exception:  # data the compiled code cannot even inspect: let the full check judge
        return not schema_problems(data, schema, {}, "")
    return True


def remembered(data: Any, schema: dict, check: Callable[[], bool]) -> bool:
    """``check()``, which says whether ``data`` satisfies ``schema``, remembered when true.

    Compiling a schema costs 3-10 ms, and a lesson's kernel compiles about fifteen (the
    corpus, events, concepts, reader and its quiz bank), each time it starts. Valid data
    is marked in the content-keyed cache (:mod:`mediation_lessons.cache`) under a hash of
    the data, the schema and the validating code, so unchanged files are not checked
    again; invalid data is never remembered, and is always checked and reported.
    """
    fingerprint = _per_schema("fingerprint", schema, lambda s: json.dumps(s, sort_keys=True, default=repr))
    try:
        text = json.dumps(data, sort_keys=True, ensure_ascii=False, allow_nan=True)
    except (TypeError, ValueError, RecursionError):
        return check()  # not JSON-like data: no key for it
    key = cache.content_key("valid-1", cache.source_stamp("schema.py", "yamlio.py"), fastjsonschema.VERSION, fingerprint, text)
    if cache.read("valid", key) is not None:
        return True
    ok = check()
    if ok:
        cache.write("valid", key, b"")
    return ok


# -- messages that say what was expected ----------------------------------------------------

_TYPE_NAMES = {
    "string": "text", "integer": "a whole number", "number": "a number", "boolean": "true or false",
    "null": "null", "array": "a list", "object": "a mapping (key: value)",
}


def _got(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def expected(schema: Any) -> str:
    """What a schema asks for, in words: "a date YYYY-MM-DD or null", "one of 'a', 'b'"."""
    if not isinstance(schema, dict):
        return "nothing here" if schema is False else "anything"
    if "description" in schema and len(schema["description"]) <= 60:
        return schema["description"]
    if "enum" in schema:
        return "one of " + ", ".join(_got(v) for v in schema["enum"])
    if "const" in schema:
        return _got(schema["const"])
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " or ".join(dict.fromkeys(expected(s) for s in schema[key]))
    if schema.get("format") == "date":
        return "a date YYYY-MM-DD"
    kind = schema.get("type")
    if isinstance(kind, list):
        return " or ".join(_TYPE_NAMES.get(k, k) for k in kind)
    if kind == "string" and "pattern" in schema:
        return f"text matching {schema['pattern']}"
    if kind in _TYPE_NAMES:
        return _TYPE_NAMES[kind]
    return "a value of another shape"


def _message(error: Any) -> str:
    """One jsonschema error as "expected ..., got ..." (its own wording says what failed,
    rarely what would pass)."""
    v, value, schema = error.validator, error.instance, error.schema
    if v in ("anyOf", "oneOf") and any(e.validator == "format" for e in error.context):
        return f"not a real date: {_got(value)} (expected {expected(schema)})"
    if v == "enum":
        return f"{_got(value)} is not one of the allowed values: {', '.join(_got(x) for x in error.validator_value)}"
    if v in ("anyOf", "oneOf", "type", "const"):
        return f"expected {expected(schema)}, got {_got(value)}"
    if v == "format":
        return f"not a real date: {_got(value)} (expected {expected(schema)})"
    if v == "pattern":
        return f"expected {expected(schema)}, got {_got(value)}"
    if v == "minLength":
        return "must not be empty" if error.validator_value == 1 else f"expected at least {error.validator_value} characters"
    if v == "maxLength":
        return f"expected {expected(schema)}, got {len(value)} characters"
    if v == "minItems":
        return f"needs at least {error.validator_value} entr{'y' if error.validator_value == 1 else 'ies'}, found {len(value)}"
    if v == "maxItems":
        return f"takes at most {error.validator_value} entries, found {len(value)}"
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        if "description" in schema:  # the field's own words: "a number from 0 to 1"
            return f"expected {expected(schema)}, got {_got(value)}"
        bound = {"minimum": "at least", "maximum": "at most", "exclusiveMinimum": "above", "exclusiveMaximum": "below"}[v]
        return f"expected a number {bound} {error.validator_value}, got {_got(value)}"
    if v == "not":
        return f"{_got(value)} is not allowed: expected {expected(schema)}"
    if v == "uniqueItems":
        return "entries must all differ"
    return error.message


def schema_problems(
    data: Any,
    schema: dict,
    lines: dict[PathKey, int],
    shown: str,
    records_at: PathKey = (),
    id_field: str | None = "id",
) -> list[Problem]:
    """Every schema violation in ``data``.

    ``records_at`` is the path of the list of records (``()`` when the file itself is a
    list, ``("questions",)`` for a quiz bank); errors inside a record name that record
    by its ``id_field``.
    """
    return [p for _i, p in _located_problems(data, schema, lines, shown, records_at, id_field)]


def _pattern(validator, pattern, instance, schema):
    """jsonschema's ``pattern`` keyword with ``$`` read as fastjsonschema reads it."""
    from jsonschema import ValidationError

    if validator.is_type(instance, "string") and not re.search(_DOLLAR.sub(r"\\Z", pattern), instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@functools.lru_cache(maxsize=1)
def _validator_class():
    from jsonschema import Draft202012Validator, validators

    return validators.extend(Draft202012Validator, {"pattern": _pattern})


def _path_order(error: Any) -> list[tuple]:
    """Problems in file order: record 2 before record 10, keys by name."""
    return [(0, p, "") if isinstance(p, int) else (1, 0, str(p)) for p in error.absolute_path]


def _located_problems(data, schema, lines, shown, records_at, id_field, labels=None) -> list[tuple[int | None, Problem]]:
    """Schema problems, each with the index of the record it is in (None: outside records)."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    for name, fn in FORMATS.items():
        checker.checks(name)(fn)
    validator = _validator_class()(schema, format_checker=checker)
    records = data
    for key in records_at:
        records = records.get(key) if isinstance(records, dict) else None
    found = []
    for error in sorted(validator.iter_errors(data), key=_path_order):
        path = tuple(error.absolute_path)
        item = index = None
        rest = path
        if len(path) > len(records_at) and path[: len(records_at)] == records_at and isinstance(path[len(records_at)], int):
            index = path[len(records_at)]
            item = record_label(records, index, id_field, labels)
            rest = path[len(records_at) + 1 :]
        field_path = list(rest)
        message = _message(error)
        if error.validator == "required":
            match = _REQUIRED.search(error.message)
            if match:
                field_path.append(match.group(1))
                message = "missing required field"
        elif error.validator == "additionalProperties":
            extra = _unknown_fields(error.instance, error.schema)
            message = f"unknown field(s): {', '.join(_got(k) for k in extra)}"
            if len(extra) == 1 and isinstance(extra[0], str):  # name it, at its own line
                field_path.append(extra[0])
                path += (extra[0],)
            allowed = sorted(error.schema.get("properties", {}))
            if allowed:
                message += f"; allowed: {', '.join(allowed)}"
        if isinstance(error.schema, dict) and "errorMessage" in error.schema:
            message = error.schema["errorMessage"]  # a schema's own words for its rule
        field = ".".join(str(p) for p in field_path) or None
        found.append((index, Problem(shown, message, item=item, field=field, line=line_of(lines, path))))
    return found


def _unknown_fields(instance: Any, schema: dict) -> list:
    """The keys of ``instance`` that ``additionalProperties: false`` refuses."""
    known = schema.get("properties", {})
    patterns = list(schema.get("patternProperties", {}))
    return [k for k in instance if k not in known and not (isinstance(k, str) and any(re.search(p, k) for p in patterns))]


@dataclass
class Checked:
    """What :func:`check_records` found: every problem, and the records fit to use
    (``good``: (index, record) pairs whose shape passed; the others are left out)."""

    problems: list[Problem]
    good: list[tuple[int, dict]]


def check_records(
    data: Any,
    lines: dict[PathKey, int] | Callable[[], dict[PathKey, int]],
    shown: str,
    schema: dict,
    records_at: PathKey = (),
    id_field: str | None = "id",
    record_name: str = "record",
    valid: bool | None = None,
    labels: list[str] | None = None,
) -> Checked:
    """Check a file of records: the schema, record by record, and unique ids.

    ``schema`` describes the whole file; the records are the list at ``records_at``
    (``()``: the file is the list). A record whose shape is wrong is reported and left
    out of ``good``, so the caller's further checks see only records they can trust, and
    one broken record never hides the problems of another. ``lines`` may be a function,
    called only when there is a problem to place; ``valid`` is the caller's own (faster)
    yes/no answer for the whole file, when it has one. ``id_field=None``: the records have
    no id (no duplicates to find). ``labels``: what each record is called in messages
    ("line 3", "paragraph 2"), instead of its id or its position ``#k``.
    """
    records = data
    for key in records_at:
        records = records.get(key) if isinstance(records, dict) else None
    if valid is None:
        valid = is_valid(data, schema, remember=True)
    problems: list[Problem] = []
    bad: set[int] = set()
    line_map: dict[PathKey, int] | None = None if callable(lines) else lines

    def where() -> dict[PathKey, int]:
        nonlocal line_map
        if line_map is None:
            line_map = lines()  # type: ignore[operator]
        return line_map

    if not valid:
        for index, problem in _located_problems(data, schema, where(), shown, records_at, id_field, labels):
            problems.append(problem)
            if index is not None:
                bad.add(index)
    if not isinstance(records, list):
        if not problems:
            what = "the file" if not records_at else ".".join(map(str, records_at))
            problems.append(Problem(shown, f"{what} must be a list of {record_name}s", line=line_of(where(), records_at)))
        return Checked(problems, [])
    good = [(i, r) for i, r in enumerate(records) if i not in bad and isinstance(r, dict)]
    first: dict[Any, int] = {}
    for i, rec in enumerate(records if id_field is not None else ()):
        rid = rec.get(id_field) if isinstance(rec, dict) else None
        if not isinstance(rid, (str, int)) or isinstance(rid, bool):
            continue
        if rid in first:
            j = first[rid]
            at = line_of(where(), records_at + (j, id_field))
            problems.append(Problem(
                shown, f"duplicate {record_name} {id_field} {rid!r} (first used by {record_name} #{j + 1}"
                + (f", line {at})" if at else ")"),
                record_label(records, i, id_field, labels), id_field, line_of(where(), records_at + (i, id_field))))
        else:
            first[rid] = i
    return Checked(problems, good)


def bilingual(description: str = "text in Chinese and English") -> dict:
    """Schema for a learner-facing string that must exist in both languages."""
    text = {"type": "string", "minLength": 1}
    return {
        "type": "object",
        "description": description,
        "properties": {"zh": text, "en": text},
        "required": ["zh", "en"],
        "additionalProperties": False,
    }


# A citation carries no gloss: a passage's one English gloss comes from the parallel
# reader, or from corpus/gloss_overrides.yaml with a reason (issue 11).
NO_GLOSS_HERE = {
    "not": {},
    "errorMessage": (
        "gloss_en is no longer allowed here: a passage's English gloss comes from the parallel "
        "reader (corpus/reader/<doc>.yaml); a different wording goes in corpus/gloss_overrides.yaml "
        "with its reason"
    ),
}
CITATION = {
    "type": "object",
    "properties": {
        "doc": {"type": "string", "minLength": 1},
        "quote": {"type": "string", "minLength": 1},
        "gloss_en": NO_GLOSS_HERE,
    },
    "required": ["doc", "quote"],
    "additionalProperties": False,
}
