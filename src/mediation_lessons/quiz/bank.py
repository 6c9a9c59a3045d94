"""Quiz banks: load ``quizzes/<id>.yaml``, check it (schema, then meaning, then citations)
and build a typed :class:`~mediation_lessons.quiz.model.Bank`.

Every problem is reported, not only the first, with file, question id, dotted field and
line. Choice questions mark their right options with ``correct: true``; they may instead
(or as well, if both agree) name them with ``answer``: a 1-based option number or a list
of numbers, as authors count them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from mediation_lessons.corpus import Corpus, load_corpus
from mediation_lessons.errors import DataError, Problem
from mediation_lessons.paths import default_root
from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.model import FOCUSES, LEVELS, Bank, Question, Source, Text
from mediation_lessons.schema import CITATION, bilingual, check_records, is_valid, record_label, remembered
from mediation_lessons.yamlio import PathKey, line_of, parse_yaml, read_text

BILINGUAL = bilingual()
# quiz banks are quizzes/NN_slug.yaml; other YAML there (allowed_pairs.yaml) is not a bank
BANK_GLOB = "[0-9][0-9]_*.yaml"
REQUIRED_FIELDS = ["id", "type", "level", "prompt", "explanation", "sources"]


def _common_fields(types: tuple[str, ...]) -> dict:
    return {
        "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
        "type": {"enum": list(types)},
        "level": {"enum": list(LEVELS)},
        "focus": {"enum": list(FOCUSES)},
        # ids of corpus/concepts.yaml that the item tests
        "concepts": {"type": "array", "items": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"}, "uniqueItems": True},
        # why the strongest rival answer is weaker than the key (analysis items)
        "rival": BILINGUAL,
        "prompt": BILINGUAL,
        "explanation": BILINGUAL,
        "hint": BILINGUAL,
        "sources": {"type": "array", "items": CITATION, "minItems": 1},
    }


@dataclass(frozen=True)
class Schemas:
    """The bank's JSON Schema for a set of registered types. ``envelope`` and ``by_type``
    are the fast happy path: the bank without its questions, and each question against
    its own type's schema; only when something fails is the whole ``bank`` re-checked
    with check_records for messages."""

    types: tuple[str, ...]
    bank: dict
    envelope: dict
    by_type: dict[str, dict]


@lru_cache(maxsize=None)
def _schemas(types: tuple[str, ...]) -> Schemas:
    common = _common_fields(types)
    by_type = {
        t: {
            "type": "object",
            "properties": {**common, **qtypes.get(t).fields},
            "required": REQUIRED_FIELDS + list(qtypes.get(t).required),
            "additionalProperties": False,
        }
        for t in types
    }
    question = {
        "type": "object",
        "properties": common,
        "required": REQUIRED_FIELDS,
        # the type picks the rest of the schema; an unknown type is reported by the enum above
        "allOf": [
            {
                "if": {"properties": {"type": {"const": t}}, "required": ["type"]},
                "then": {
                    "properties": {**{k: True for k in common}, **qtypes.get(t).fields},
                    "required": list(qtypes.get(t).required),
                    "additionalProperties": False,
                },
            }
            for t in types
        ],
    }
    bank = {
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]*$"},
            "title": BILINGUAL,
            "pass_mark": {"type": "number", "minimum": 0, "maximum": 1},
            "questions": {"type": "array", "items": question, "minItems": 1},
        },
        "required": ["id", "title", "pass_mark", "questions"],
        "additionalProperties": False,
    }
    envelope = {**bank, "properties": {**bank["properties"], "questions": {"type": "array", "minItems": 1}}}
    return Schemas(types, bank, envelope, by_type)


def schemas() -> Schemas:
    """The schemas of the types registered now (a type registered later is checked too)."""
    return _schemas(tuple(qtypes.TYPES))


def __getattr__(name: str) -> Any:
    # BANK_SCHEMA and QUESTION_TYPES follow the registry rather than freeze it at import
    if name == "BANK_SCHEMA":
        return schemas().bank
    if name == "QUESTION_TYPES":
        return tuple(qtypes.TYPES)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _schema_valid(data: Any, found: Schemas) -> bool:
    if not is_valid(data, found.envelope):
        return False
    for q in data["questions"]:
        schema = found.by_type.get(q.get("type")) if isinstance(q, dict) and isinstance(q.get("type"), str) else None
        if schema is None or not is_valid(q, schema):
            return False
    return True


class _Checker:
    """Collects the problems of one bank; ``lines`` is filled only when one is found."""

    def __init__(self, text: str, shown: str):
        self.text, self.shown = text, shown
        self._lines: dict[PathKey, int] | None = None
        self.problems: list[Problem] = []

    @property
    def lines(self) -> dict[PathKey, int]:
        if self._lines is None:
            # The line-tracking loader is slow, so it runs only when there is a problem to place.
            self._lines = parse_yaml(self.text, self.shown)[1]
        return self._lines

    def add(self, message: str, item: str | None, path: PathKey) -> None:
        """``path`` is the key path from the file's top; the field is the part after the question."""
        field = ".".join(str(p) for p in path[2:]) if path[:1] == ("questions",) else ".".join(str(p) for p in path)
        self.problems.append(Problem(self.shown, message, item, field or None, line_of(self.lines, path)))


def parse_bank(text: str, shown: str, corpus: Corpus | None = None, expected_id: str | None = None) -> Bank:
    """Check bank YAML text and build the Bank. Raises :class:`DataError` with every problem.

    ``corpus`` resolves the citations (``None`` loads the default corpus); ``expected_id``
    is the file stem the bank id must equal.
    """
    # the one strict reader; lines are mapped later, only if a problem needs placing
    data, _ = parse_yaml(text, shown, keep_lines=False)
    check = _Checker(text, shown)
    if data is None:
        raise DataError([Problem(shown, "the file is empty")])
    found = schemas()
    # schema, record by record, and unique question ids; lines are placed only if needed
    checked = check_records(data, lambda: check.lines, shown, found.bank, records_at=("questions",),
                            record_name="question", valid=remembered(data, found.bank, lambda: _schema_valid(data, found)))
    for p in checked.problems:
        if p.field == "type" and " is not one of the allowed values" in p.message:
            p = Problem(p.file, f"unknown question type ({p.message.split(' is not one of')[0]}); known: {', '.join(found.types)}", p.item, p.field, p.line)
        check.problems.append(p)
    if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
        raise DataError(check.problems or [Problem(shown, "a bank is a mapping with a `questions` list")])
    bank_id = data.get("id")
    if isinstance(data.get("pass_mark"), float) and not math.isfinite(data["pass_mark"]):
        check.add(f"expected a number from 0 to 1, got {data['pass_mark']}", None, ("pass_mark",))
    if expected_id is not None and isinstance(bank_id, str) and bank_id != expected_id:
        check.add(f"bank id {bank_id!r} must equal the file name {expected_id!r}", None, ("id",))
    questions = data["questions"]
    good = {i for i, _q in checked.good}
    if corpus is None:
        try:
            corpus = load_corpus()
        except DataError as exc:
            check.problems.append(Problem(shown, f"citations not checked: the corpus has {len(exc.problems)} problem(s) (run `mediation-lessons validate`)"))
    for i, q in enumerate(questions):
        label = record_label(questions, i)
        if i not in good:
            continue  # already reported; its meaning cannot be checked on a broken shape
        qtypes.get(q["type"]).check_meaning(q, ("questions", i), label, check)
        if corpus is not None:
            _check_citations(q, ("questions", i), label, corpus, check)
    if check.problems:
        raise DataError(check.problems)
    return _build(data, shown, corpus)


def _check_citations(q: dict, path: PathKey, label: str, corpus: Corpus, check: _Checker) -> None:
    cited = [(path + ("sources", i), s) for i, s in enumerate(q.get("sources", []))]
    cited += qtypes.get(q["type"]).citations(q, path)
    for where, source in cited:
        fault = corpus.citation_fault(source["doc"], source["quote"])
        if fault:
            check.add(f"citation does not resolve: {fault[0]}: {source['doc']}: {source['quote']!r}", label, where + (fault[1],))


def _build(data: dict, shown: str, corpus: Corpus | None = None) -> Bank:
    questions = []
    for q in data["questions"]:
        question = Question(
                id=q["id"],
                type=q["type"],
                level=q["level"],
                prompt=Text.from_data(q["prompt"]),
                explanation=Text.from_data(q["explanation"]),
                sources=tuple(Source.from_data(s) for s in q["sources"]),
                hint=Text.from_data(q.get("hint")),
                focus=q.get("focus"),
                concepts=tuple(q.get("concepts", ())),
                rival=Text.from_data(q.get("rival")),
                **qtypes.get(q["type"]).build(q),
            )
        questions.append(question if corpus is None else _read_in(question, corpus))
    return Bank(id=data["id"], title=Text.from_data(data["title"]), pass_mark=float(data["pass_mark"]), questions=tuple(questions), file=shown)


def _read_in(q: Question, corpus: Corpus) -> Question:
    """``q`` with every citation carrying its reader gloss and shown form (one gloss per passage)."""
    options = tuple(replace(o, source=o.source.read_in(corpus)) if o.source else o for o in q.options)
    return replace(q, sources=tuple(s.read_in(corpus) for s in q.sources), options=options)


def bank_path(bank_id: str, root: Path | str | None = None) -> Path:
    root = Path(root) if root else default_root()
    return root / "quizzes" / f"{bank_id}.yaml"


def load_bank(bank_id: str, root: Path | str | None = None, corpus: Corpus | None = None) -> Bank:
    """Load and check ``quizzes/<bank_id>.yaml``. Raises :class:`DataError` listing every problem."""
    root = Path(root) if root else default_root()
    path = bank_path(bank_id, root)
    shown = f"quizzes/{path.name}"
    if not path.is_file():
        known = sorted(p.stem for p in (root / "quizzes").glob(BANK_GLOB))
        raise DataError([Problem(shown, f"no such quiz bank (known: {', '.join(known) or 'none'})")])
    if corpus is None:
        corpus = load_corpus(root)
    return parse_bank(read_text(path, shown), shown, corpus, expected_id=path.stem)


def check_banks(root: Path | str | None = None) -> list[Problem]:
    """Every problem in every ``quizzes/*.yaml`` (used by ``mediation-lessons validate``)."""
    root = Path(root) if root else default_root()
    try:
        corpus = load_corpus(root)
    except DataError:
        corpus = None  # the corpus check reports those problems; skip citations here
    problems: list[Problem] = []
    for path in sorted((root / "quizzes").glob(BANK_GLOB)):
        shown = f"quizzes/{path.name}"
        try:
            text = read_text(path, shown)
            parse_bank(text, shown, corpus if corpus is not None else _NO_CORPUS, expected_id=path.stem)
        except DataError as exc:
            problems += exc.problems
    return problems


class _NoCorpus(Corpus):
    """Stands in when the corpus itself is broken: citations are not checked at all."""

    def __init__(self):
        super().__init__(Path("."), {})

    def resolve(self, doc, quote):  # noqa: D401 - never fails, on purpose
        return None

    def gloss(self, doc, quote):  # nothing resolves, so there is no gloss to give
        return None

    def display_quote(self, doc, quote):
        return quote


_NO_CORPUS = _NoCorpus()
