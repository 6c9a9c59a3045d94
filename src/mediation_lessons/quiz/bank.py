"""Quiz banks: load ``quizzes/<id>.yaml``, check it (schema, then meaning, then citations)
and build a typed :class:`~mediation_lessons.quiz.model.Bank`.

Every problem is reported, not only the first, with file, question id, dotted field and
line. Choice questions mark their right options with ``correct: true``; they may instead
(or as well, if both agree) name them with ``answer``: a 1-based option number or a list
of numbers, as authors count them.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

from mediation_lessons.corpus import CitationError, Corpus, load_corpus
from mediation_lessons.errors import DataError, Problem
from mediation_lessons.paths import default_root
from mediation_lessons.quiz.grading import normalise_text
from mediation_lessons.quiz.model import FOCUSES, LEVELS, QUESTION_TYPES, Bank, Option, Pair, Question, Source, Text
from mediation_lessons.schema import CITATION, bilingual, check_records, is_valid, record_label
from mediation_lessons.yamlio import PathKey, line_of, parse_yaml, read_text

BILINGUAL = bilingual()
# quiz banks are quizzes/NN_slug.yaml; other YAML there (allowed_pairs.yaml) is not a bank
BANK_GLOB = "[0-9][0-9]_*.yaml"
OPTION_NUMBERS = {
    "anyOf": [
        {"type": "integer"},
        {"type": "array", "items": {"type": "integer"}, "minItems": 1},
    ]
}
COMMON_FIELDS = {
    "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
    "type": {"enum": list(QUESTION_TYPES)},
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
REQUIRED_FIELDS = ["id", "type", "level", "prompt", "explanation", "sources"]


def _option(text_key: str, text_schema: dict) -> dict:
    return {
        "type": "object",
        "properties": {text_key: text_schema, "correct": {"type": "boolean"}, "feedback": BILINGUAL},
        "required": [text_key],
        "additionalProperties": False,
    }


TYPE_FIELDS: dict[str, tuple[dict, list[str]]] = {
    "single_choice": ({"options": {"type": "array", "items": _option("text", BILINGUAL)}, "answer": OPTION_NUMBERS}, ["options"]),
    "multiple_choice": ({"options": {"type": "array", "items": _option("text", BILINGUAL)}, "answer": OPTION_NUMBERS}, ["options"]),
    "evidence": ({"options": {"type": "array", "items": _option("source", CITATION)}, "answer": OPTION_NUMBERS}, ["options"]),
    "true_false": ({"answer": {"type": "boolean"}}, ["answer"]),
    "order": ({"items": {"type": "array", "items": BILINGUAL}}, ["items"]),
    "match": (
        {
            "pairs": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {"left": BILINGUAL, "right": BILINGUAL},
                    "required": ["left", "right"],
                    "additionalProperties": False,
                },
            }
        },
        ["pairs"],
    ),
    "numeric": (
        {
            "answer": {"type": "number"},
            "tolerance": {"type": "number", "minimum": 0},
            "range": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
            "unit": BILINGUAL,
        },
        [],
    ),
    "short_text": ({"accept": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}}, ["accept"]),
}


def _type_schema(qtype: str) -> dict:
    """The full schema of one question type: common fields plus its own, nothing else."""
    own, required = TYPE_FIELDS[qtype]
    return {
        "type": "object",
        "properties": {**COMMON_FIELDS, **own},
        "required": REQUIRED_FIELDS + required,
        "additionalProperties": False,
    }


QUESTION_SCHEMA = {
    "type": "object",
    "properties": COMMON_FIELDS,
    "required": REQUIRED_FIELDS,
    # the type picks the rest of the schema; an unknown type is reported by the enum above
    "allOf": [
        {
            "if": {"properties": {"type": {"const": t}}, "required": ["type"]},
            "then": {
                "properties": {**{k: True for k in COMMON_FIELDS}, **TYPE_FIELDS[t][0]},
                "required": TYPE_FIELDS[t][1],
                "additionalProperties": False,
            },
        }
        for t in QUESTION_TYPES
    ],
}
BANK_SCHEMA = {
    "type": "object",
    "properties": {
        "id": {"type": "string", "pattern": r"^[A-Za-z0-9][A-Za-z0-9_-]*$"},
        "title": BILINGUAL,
        "pass_mark": {"type": "number", "minimum": 0, "maximum": 1},
        "questions": {"type": "array", "items": QUESTION_SCHEMA, "minItems": 1},
    },
    "required": ["id", "title", "pass_mark", "questions"],
    "additionalProperties": False,
}
# Fast happy path: the envelope and each question against its own type's schema. Only
# when something fails is the whole bank re-checked with schema_problems for messages.
_ENVELOPE = {**BANK_SCHEMA, "properties": {**BANK_SCHEMA["properties"], "questions": {"type": "array", "minItems": 1}}}
_BY_TYPE = {t: _type_schema(t) for t in QUESTION_TYPES}


def _schema_valid(data: Any) -> bool:
    if not is_valid(data, _ENVELOPE):
        return False
    for q in data["questions"]:
        schema = _BY_TYPE.get(q.get("type")) if isinstance(q, dict) and isinstance(q.get("type"), str) else None
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
    # schema, record by record, and unique question ids; lines are placed only if needed
    checked = check_records(data, lambda: check.lines, shown, BANK_SCHEMA, records_at=("questions",),
                            record_name="question", valid=_schema_valid(data))
    for p in checked.problems:
        if p.field == "type" and " is not one of the allowed values" in p.message:
            p = Problem(p.file, f"unknown question type ({p.message.split(' is not one of')[0]}); known: {', '.join(QUESTION_TYPES)}", p.item, p.field, p.line)
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
        _check_meaning(q, ("questions", i), label, check)
        if corpus is not None:
            _check_citations(q, ("questions", i), label, corpus, check)
    if check.problems:
        raise DataError(check.problems)
    return _build(data, shown)


def _duplicates(texts: list[dict], what: str, path: PathKey, label: str, check: _Checker, key: str | None = None) -> None:
    """Report two entries with the same text in either language (a learner could not tell them apart)."""
    for lang in ("en", "zh"):
        seen: dict[str, int] = {}
        for i, t in enumerate(texts):
            value = normalise_text((t[key] if key else t)[lang])
            if value in seen:
                sub = (i, key, lang) if key else (i, lang)
                check.add(f"{what} {seen[value] + 1} and {i + 1} have the same {lang} text", label, path + sub)
            seen.setdefault(value, i)


def _check_meaning(q: dict, path: PathKey, label: str, check: _Checker) -> None:
    """What a schema cannot say: right answers exist and point somewhere, lists are complete."""
    qtype = q["type"]
    if qtype in ("single_choice", "multiple_choice", "evidence"):
        options = q["options"]
        if len(options) < 2:
            check.add(f"needs at least 2 options, found {len(options)}", label, path + ("options",))
            return
        flagged = {i for i, o in enumerate(options) if o.get("correct") is True}
        correct = flagged
        if "answer" in q:
            named = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
            outside = [n for n in named if not 1 <= n <= len(options)]
            if outside:
                check.add(f"answer names no option: {', '.join(map(str, outside))} (options are numbered 1-{len(options)})", label, path + ("answer",))
                return
            correct = {n - 1 for n in named}
            if flagged and flagged != correct:
                check.add("answer and the options marked `correct: true` disagree", label, path + ("answer",))
        if not correct:
            check.add("no option is marked correct (`correct: true`)", label, path + ("options",))
        elif qtype != "multiple_choice" and len(correct) > 1:
            check.add(f"{len(correct)} options are marked correct; a {qtype} question has exactly one (use multiple_choice)", label, path + ("options",))
        if qtype != "evidence":
            _duplicates(options, "options", path + ("options",), label, check, key="text")
        else:
            seen: dict[tuple, int] = {}
            for i, o in enumerate(options):
                key = (o["source"]["doc"], o["source"]["quote"])
                if key in seen:
                    check.add(f"options {seen[key] + 1} and {i + 1} cite the same passage", label, path + ("options", i, "source"))
                seen.setdefault(key, i)
    elif qtype in ("order", "match"):
        field, what = ("items", "items") if qtype == "order" else ("pairs", "pairs")
        entries = q[field]
        if len(entries) < 2:
            check.add(f"an {qtype} question needs at least 2 {what}, found {len(entries)}", label, path + (field,))
        elif qtype == "order":
            _duplicates(entries, "items", path + (field,), label, check)
        else:
            _duplicates(entries, "left items of pairs", path + (field,), label, check, key="left")
            _duplicates(entries, "right items of pairs", path + (field,), label, check, key="right")
    elif qtype == "numeric":
        # .inf would grade every answer right and .nan every answer wrong: JSON Schema lets both pass
        infinite = [(f, v) for f, v in [("answer", q.get("answer")), ("tolerance", q.get("tolerance"))]
                    + [(f"range.{k}", v) for k, v in enumerate(q.get("range", []))]
                    if isinstance(v, float) and not math.isfinite(v)]
        for field, value in infinite:
            check.add(f"expected a finite number, got {value}", label, path + tuple(int(p) if p.isdigit() else p for p in field.split(".")))
        if infinite:
            return
        has_answer, has_range = "answer" in q, "range" in q
        if not has_answer and not has_range:
            check.add("a numeric question needs `answer` (with optional `tolerance`) or `range: [low, high]`", label, path + ("answer",))
        elif has_answer and has_range:
            check.add("give either `answer` (with optional `tolerance`) or `range`, not both", label, path + ("range",))
        elif has_range:
            low, high = q["range"]
            if low > high:
                check.add(f"range [{low}, {high}] is empty: low is above high", label, path + ("range",))
            if "tolerance" in q:
                check.add("`tolerance` goes with `answer`, not with `range`", label, path + ("tolerance",))
    elif qtype == "short_text":
        for i, accepted in enumerate(q["accept"]):
            if not normalise_text(accepted):
                check.add(f"accepted answer {accepted!r} is only spaces or punctuation, which matching ignores", label, path + ("accept", i))


def _check_citations(q: dict, path: PathKey, label: str, corpus: Corpus, check: _Checker) -> None:
    cited = [(path + ("sources", i), s) for i, s in enumerate(q.get("sources", []))]
    if q["type"] == "evidence":
        cited += [(path + ("options", i, "source"), o["source"]) for i, o in enumerate(q["options"])]
    for where, source in cited:
        try:
            corpus.resolve(source["doc"], source["quote"])
        except CitationError as exc:
            field = "doc" if source["doc"] not in corpus.ids else "quote"
            check.add(f"citation does not resolve: {exc.reason}: {source['doc']}: {source['quote']!r}", label, where + (field,))


def _text(data: dict | None) -> Text | None:
    return Text.from_data(data)


def _build(data: dict, shown: str) -> Bank:
    questions = []
    for q in data["questions"]:
        options = ()
        if "options" in q:
            named = q.get("answer")
            named = set() if named is None else {n - 1 for n in (named if isinstance(named, list) else [named])}
            options = tuple(
                Option(
                    correct=o.get("correct") is True or i in named,
                    text=_text(o.get("text")),
                    source=Source.from_data(o["source"]) if "source" in o else None,
                    feedback=_text(o.get("feedback")),
                )
                for i, o in enumerate(q["options"])
            )
        answer = q.get("answer") if q["type"] in ("true_false", "numeric") else None
        questions.append(
            Question(
                id=q["id"],
                type=q["type"],
                level=q["level"],
                prompt=_text(q["prompt"]),
                explanation=_text(q["explanation"]),
                sources=tuple(Source.from_data(s) for s in q["sources"]),
                hint=_text(q.get("hint")),
                options=options,
                answer=answer,
                items=tuple(_text(t) for t in q.get("items", ())),
                pairs=tuple(Pair(_text(p["left"]), _text(p["right"])) for p in q.get("pairs", ())),
                tolerance=float(q.get("tolerance", 0)),
                range=tuple(q["range"]) if "range" in q else None,
                unit=_text(q.get("unit")),
                accept=tuple(q.get("accept", ())),
                focus=q.get("focus"),
                concepts=tuple(q.get("concepts", ())),
                rival=_text(q.get("rival")),
            )
        )
    return Bank(id=data["id"], title=_text(data["title"]), pass_mark=float(data["pass_mark"]), questions=tuple(questions), file=shown)


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


_NO_CORPUS = _NoCorpus()
