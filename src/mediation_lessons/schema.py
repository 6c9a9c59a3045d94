"""JSON Schema checks that report each problem with file, item, field and line.

Two speeds, one schema: :func:`is_valid` answers yes or no with a validator compiled by
fastjsonschema (data that loads cleanly, the usual case, costs almost nothing), and
:func:`schema_problems` lists every problem with jsonschema, imported only when asked:
in a Jupyter environment importing jsonschema takes most of a second (its optional IRI
checker builds a grammar at import), which every lesson would pay at its first cell.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import fastjsonschema

from mediation_lessons.errors import Problem
from mediation_lessons.yamlio import PathKey, line_of

_REQUIRED = re.compile(r"'([^']+)' is a required property")


def record_label(records: Any, index: int) -> str:
    """How a record is named in messages: its id, or its position when it has none."""
    try:
        rid = records[index].get("id")
    except (AttributeError, IndexError, KeyError, TypeError):
        rid = None
    return str(rid) if isinstance(rid, (str, int)) and rid != "" else f"#{index + 1}"


_COMPILED: dict[int, tuple[dict, Callable[[Any], Any]]] = {}


def is_valid(data: Any, schema: dict) -> bool:
    """Whether ``data`` satisfies ``schema`` (draft 7 keywords; compiled once per schema)."""
    entry = _COMPILED.get(id(schema))
    if entry is None or entry[0] is not schema:
        entry = _COMPILED[id(schema)] = (schema, fastjsonschema.compile(schema))
    try:
        entry[1](data)
    except fastjsonschema.JsonSchemaException:
        return False
    except Exception:  # data the compiled code cannot even inspect: let the full check judge
        return not schema_problems(data, schema, {}, "")
    return True


def schema_problems(
    data: Any,
    schema: dict,
    lines: dict[PathKey, int],
    shown: str,
    records_at: PathKey = (),
) -> list[Problem]:
    """Every schema violation in ``data``.

    ``records_at`` is the path of the list of records (``()`` when the file itself is a
    list, ``("questions",)`` for a quiz bank); errors inside a record name that record.
    """
    from jsonschema import Draft202012Validator

    problems = []
    validator = Draft202012Validator(schema)
    records = data
    for key in records_at:
        records = records.get(key) if isinstance(records, dict) else None
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        path = tuple(error.absolute_path)
        item = None
        rest = path
        if len(path) > len(records_at) and path[: len(records_at)] == records_at and isinstance(path[len(records_at)], int):
            index = path[len(records_at)]
            item = record_label(records, index)
            rest = path[len(records_at) + 1 :]
        field_path = list(rest)
        message = error.message
        if error.validator == "required":
            match = _REQUIRED.search(error.message)
            if match:
                field_path.append(match.group(1))
                message = "missing required field"
        elif error.validator == "additionalProperties":
            message = f"unknown field(s): {error.message.split('(')[-1].rstrip(')')}"
        if isinstance(error.schema, dict) and "errorMessage" in error.schema:
            message = error.schema["errorMessage"]  # a schema's own words for its rule
        field = ".".join(str(p) for p in field_path) or None
        problems.append(Problem(shown, message, item=item, field=field, line=line_of(lines, path)))
    return problems


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
