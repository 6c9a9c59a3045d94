"""Concepts of mediation and their readings, as data: one definition per concept.

``corpus/concepts.yaml`` holds one record per concept (names zh/en, one definition,
references, lessons, case evidence); ``corpus/readings.yaml`` holds the full references,
each with how it was confirmed. :func:`check_concepts` finds every problem in both (and
unknown concept ids in the quiz banks); the notebook helpers :func:`concept_card`,
:func:`concept_table` and :func:`further_reading` show the same wording everywhere.
"""

from __future__ import annotations

import functools
import html
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from mediation_lessons.errors import DataError, Problem
from mediation_lessons.paths import default_root
from mediation_lessons.schema import check_records
from mediation_lessons.yamlio import file_stamps, line_of, load_yaml

CONCEPTS_FILE = "corpus/concepts.yaml"
READINGS_FILE = "corpus/readings.yaml"
# lesson numbers; a lesson id such as "03_gaza_2025_deal" is matched by its number
LESSONS = {
    "00": "start here",
    "01": "Gaza talks 2023-2024",
    "02": "Qatar as mediator",
    "03": "Gaza 2025: from deadlock to the October deal",
    "04": "US-Iran talks in Oman 2026",
    "05": "comparing mediators",
    "06": "source-criticism workshop",
}
READING_KINDS = ("article", "book", "edited_book", "chapter", "report")

_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"}
_TEXT = {"type": "string", "minLength": 1}
_BILINGUAL = {
    "type": "object",
    "properties": {"en": _TEXT, "zh": _TEXT},
    "required": ["en", "zh"],
    "additionalProperties": False,
}
_LESSON = {"type": "string", "pattern": r"^\d\d$"}
_NAMES = {"type": "array", "items": _TEXT, "minItems": 1}

CONCEPT_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": _ID,
            "name": _BILINGUAL,
            "definition": _BILINGUAL,
            "references": {"type": "array", "items": _ID, "minItems": 1},
            "lessons": {"type": "array", "items": _LESSON, "minItems": 1},
            "case_evidence": {
                "type": "array",
                "minItems": 1,
                "maxItems": 3,
                "items": {
                    "type": "object",
                    "properties": {"doc": _TEXT, "quote": _TEXT, "note": _TEXT},
                    "required": ["doc", "quote", "note"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["id", "name", "definition", "references", "lessons", "case_evidence"],
        "additionalProperties": False,
    },
}

_NEEDS = {
    # kind: fields it must have besides id, kind, year, title, confirmed_by
    "article": ["authors", "journal", "volume", "issue", "pages"],
    "book": ["authors", "publisher"],
    "edited_book": ["editors", "publisher"],
    "chapter": ["authors", "editors", "book", "publisher"],
    "report": ["authors", "publisher"],
}
READING_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": _ID,
            "kind": {"enum": list(READING_KINDS)},
            "authors": _NAMES,
            "editors": _NAMES,
            "year": {"type": "integer", "minimum": 1900, "maximum": 2100},
            "title": _TEXT,
            "journal": _TEXT,
            "volume": _TEXT,
            "issue": _TEXT,
            "pages": {"type": "string", "pattern": r"^\d+(-\d+)?$"},
            "book": _TEXT,
            "publisher": _TEXT,
            "place": _TEXT,
            "series": _TEXT,
            "lessons": {"type": "array", "items": _LESSON, "minItems": 1},
            # what was found, and where, that shows the work exists as cited
            "confirmed_by": {"type": "string", "minLength": 40},
        },
        "required": ["id", "kind", "year", "title", "confirmed_by"],
        "additionalProperties": False,
        "allOf": [
            {"if": {"properties": {"kind": {"const": kind}}, "required": ["kind"]}, "then": {"required": needs}}
            for kind, needs in _NEEDS.items()
        ],
    },
}


# -- reading and checking ---------------------------------------------------------------


class _File:
    """One YAML list of records with its lines, for problems naming file, item, field, line."""

    def __init__(self, root: Path, shown: str, schema: dict, record_name: str):
        self.shown = shown
        self.lines: dict = {}
        self.problems: list[Problem] = []
        self._good: list[tuple[int, dict]] = []
        path = root / shown
        if not path.is_file():
            self.problems.append(Problem(shown, "file is missing"))
            return
        try:
            data, self.lines = load_yaml(path, shown)
        except DataError as exc:
            self.problems += exc.problems
            return
        # the schema record by record, and unique ids: the one check every data file gets
        checked = check_records([] if data is None else data, self.lines, shown, schema, record_name=record_name)
        self.problems += checked.problems
        self._good = checked.good

    def good(self) -> list[tuple[int, dict]]:
        """The records whose shape is right, with their positions."""
        return self._good

    def problem(self, i: int, rec: dict, message: str, *field: Any) -> Problem:
        return Problem(self.shown, message, str(rec.get("id") or f"#{i + 1}"),
                       ".".join(str(f) for f in field) or None, line_of(self.lines, (i,) + field))

    def ids(self) -> set[str]:
        return {rec["id"] for _, rec in self._good}


def _check_lessons(f: _File) -> None:
    for i, rec in f.good():
        for j, lesson in enumerate(rec.get("lessons", [])):
            if lesson not in LESSONS:
                f.problems.append(f.problem(i, rec, f"unknown lesson {lesson!r} (known: {', '.join(LESSONS)})", "lessons", j))


def _check_banks(root: Path, concept_ids: set[str]) -> list[Problem]:
    """Unknown concept ids in the quiz banks' ``concepts:`` fields."""
    problems = []
    from mediation_lessons.quiz.bank import BANK_GLOB

    for path in sorted((root / "quizzes").glob(BANK_GLOB)):
        shown = f"quizzes/{path.name}"
        try:
            data, lines = load_yaml(path, shown)
        except DataError:
            continue  # the bank check reports it
        questions = data.get("questions") if isinstance(data, dict) else None
        for i, q in enumerate(questions if isinstance(questions, list) else []):
            if not isinstance(q, dict) or not isinstance(q.get("concepts"), list):
                continue
            for j, cid in enumerate(q["concepts"]):
                if cid not in concept_ids:
                    problems.append(Problem(shown, f"unknown concept {cid!r} (not in {CONCEPTS_FILE})",
                                            str(q.get("id") or f"#{i + 1}"), f"concepts.{j}",
                                            line_of(lines, ("questions", i, "concepts", j))))
    return problems


def check_concepts(root: Path | str | None = None, banks: bool = True) -> list[Problem]:
    """Every problem in concepts.yaml and readings.yaml: schema, duplicate ids, unknown
    reference and lesson ids, citations that do not resolve, and (with ``banks``) quiz
    items naming an unknown concept."""
    from mediation_lessons.corpus import load_corpus

    root = Path(root) if root else default_root()
    readings = _File(root, READINGS_FILE, READING_SCHEMA, "reading")
    concepts = _File(root, CONCEPTS_FILE, CONCEPT_SCHEMA, "concept")
    reading_ids = readings.ids()
    concept_ids = concepts.ids()
    _check_lessons(readings)
    _check_lessons(concepts)
    readings_ok = not any(p.message == "file is missing" or "does not parse" in p.message for p in readings.problems)
    try:
        corpus = load_corpus(root)
    except DataError:
        corpus = None  # check_corpus reports these; citations are left unchecked
    for i, rec in concepts.good():
        if readings_ok:
            for j, ref in enumerate(rec["references"]):
                if ref not in reading_ids:
                    concepts.problems.append(concepts.problem(i, rec, f"unknown reference {ref!r} (not in {READINGS_FILE})", "references", j))
        for j, ev in enumerate(rec["case_evidence"]):
            if corpus is None:
                break
            fault = corpus.citation_fault(ev["doc"], ev["quote"])
            if fault:
                concepts.problems.append(concepts.problem(i, rec, f"{fault[0]}: {ev['quote']!r}", "case_evidence", j, fault[1]))
    problems = readings.problems + concepts.problems
    if banks and concept_ids and not any(p.message == "file is missing" for p in concepts.problems):
        problems += _check_banks(root, concept_ids)
    return problems


# -- loaded data --------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    id: str
    kind: str
    year: int
    title: str
    data: dict

    def citation(self) -> str:
        """The full reference, author-date style, in plain text."""
        return _format(self.data, html_out=False)

    def citation_html(self) -> str:
        return _format(self.data, html_out=True)

    def short(self) -> str:
        names = self.data.get("authors") or self.data.get("editors") or []
        surnames = [n.split()[-1] for n in names]
        who = surnames[0] if len(surnames) == 1 else (" and ".join(surnames) if len(surnames) == 2 else f"{surnames[0]} et al.")
        return f"{who} {self.year}"


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def _format(d: dict, html_out: bool) -> str:
    esc = html.escape if html_out else (lambda s: s)
    ital = (lambda s: f"<i>{esc(s)}</i>") if html_out else (lambda s: s)
    quoted = (lambda s: f"“{esc(s)}”") if html_out else (lambda s: f'"{s}"')
    kind = d["kind"]
    if kind == "edited_book":
        who = esc(_names(d["editors"])) + (" (ed.)" if len(d["editors"]) == 1 else " (eds.)")
    else:
        who = esc(_names(d["authors"]))
    out = f"{who} ({d['year']}). "
    place_pub = esc(d["place"]) + ": " + esc(d["publisher"]) if d.get("place") else esc(d.get("publisher", ""))
    if kind == "article":
        out += f"{quoted(d['title'])}. {ital(d['journal'])} {esc(d['volume'])}({esc(d['issue'])}): {esc(d['pages'])}."
    elif kind == "chapter":
        eds = esc(_names(d["editors"])) + (" (ed.)" if len(d["editors"]) == 1 else " (eds.)")
        pages = f", pp. {esc(d['pages'])}" if d.get("pages") else ""
        out += f"{quoted(d['title'])}. In {eds}, {ital(d['book'])}{pages}. {place_pub}."
    else:
        series = f" {esc(d['series'])}." if d.get("series") else ""
        out += f"{ital(d['title'])}.{series} {place_pub}."
    return out


@dataclass(frozen=True)
class Concept:
    id: str
    name_en: str
    name_zh: str
    definition_en: str
    definition_zh: str
    references: tuple[Reading, ...]
    lessons: tuple[str, ...]
    case_evidence: tuple[dict, ...]


class ConceptCard:
    """One concept for a notebook: names, the one definition, the references."""

    def __init__(self, concept: Concept):
        self.concept = concept

    def __repr__(self) -> str:
        c = self.concept
        refs = "\n".join(f"  - {r.citation()}" for r in c.references)
        return (f"{c.name_en} · {c.name_zh}\n{c.definition_en}\n{c.definition_zh}\n"
                f"References:\n{refs}")

    def _repr_html_(self) -> str:
        c = self.concept
        e = html.escape
        refs = "".join(f"<li>{r.citation_html()}</li>" for r in c.references)
        return (
            f'<div class="ml-concept" data-concept="{e(c.id)}">'
            f'<p><strong>{e(c.name_en)}</strong> · <strong lang="zh">{e(c.name_zh)}</strong></p>'
            f"<p>{e(c.definition_en)}</p><p lang=\"zh\">{e(c.definition_zh)}</p>"
            f"<p>References:</p><ul>{refs}</ul></div>"
        )


class ReadingList:
    """Further reading for one lesson: full references, HTML and plain."""

    def __init__(self, lesson: str, readings: list[Reading]):
        self.lesson = lesson
        self.readings = readings

    def __repr__(self) -> str:
        lines = [f"Further reading (lesson {self.lesson})"]
        lines += [f"- {r.citation()}" for r in self.readings]
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = "".join(f"<li>{r.citation_html()}</li>" for r in self.readings)
        return f'<div class="ml-further-reading"><p><strong>Further reading</strong></p><ul>{items}</ul></div>'


def _load(root: Path | str | None) -> tuple[dict[str, Concept], dict[str, Reading]]:
    root = Path(root).resolve() if root else default_root().resolve()
    return _load_cached(root, file_stamps(root / CONCEPTS_FILE, root / READINGS_FILE))


@functools.lru_cache(maxsize=8)
def _load_cached(root: Path, _stamps: tuple) -> tuple[dict[str, Concept], dict[str, Reading]]:
    """Checked once per folder and kernel, as the corpus is: a lesson shows a dozen cards."""
    problems = check_concepts(root, banks=False)  # a bank's concept ids are the bank's check
    if problems:
        raise DataError(problems)
    rdata, _ = load_yaml(root / READINGS_FILE, READINGS_FILE)
    cdata, _ = load_yaml(root / CONCEPTS_FILE, CONCEPTS_FILE)
    readings = {r["id"]: Reading(r["id"], r["kind"], r["year"], r["title"], r) for r in rdata or []}
    concepts = {
        c["id"]: Concept(
            id=c["id"], name_en=c["name"]["en"], name_zh=c["name"]["zh"],
            definition_en=" ".join(c["definition"]["en"].split()),
            definition_zh="".join(c["definition"]["zh"].split()),
            references=tuple(readings[r] for r in c["references"]),
            lessons=tuple(c["lessons"]),
            case_evidence=tuple(c["case_evidence"]),
        )
        for c in cdata or []
    }
    return concepts, readings


def load_concepts(root: Path | str | None = None) -> dict[str, Concept]:
    """Concepts by id, in file order. Raises DataError listing every problem."""
    return _load(root)[0]


def load_readings(root: Path | str | None = None) -> dict[str, Reading]:
    """Readings by id, in file order. Raises DataError listing every problem."""
    return _load(root)[1]


def _lesson_number(lesson_id: str) -> str:
    number = str(lesson_id).split("_", 1)[0]
    if number not in LESSONS:
        raise KeyError(f"unknown lesson {lesson_id!r} (known: {', '.join(LESSONS)})")
    return number


def concept_card(concept_id: str, root: Path | str | None = None) -> ConceptCard:
    """The card of one concept (HTML in a notebook, plain text elsewhere)."""
    concepts = load_concepts(root)
    if concept_id not in concepts:
        raise KeyError(f"unknown concept {concept_id!r} (known: {', '.join(concepts)})")
    return ConceptCard(concepts[concept_id])


def concept_table(lesson: str | None = None, root: Path | str | None = None) -> pd.DataFrame:
    """The glossary view: one row per concept (all, or those a lesson applies)."""
    concepts = load_concepts(root)
    number = _lesson_number(lesson) if lesson is not None else None
    rows = [
        {"id": c.id, "name_en": c.name_en, "name_zh": c.name_zh,
         "definition_en": c.definition_en, "definition_zh": c.definition_zh,
         "references": "; ".join(r.short() for r in c.references),
         "lessons": ", ".join(c.lessons)}
        for c in concepts.values() if number is None or number in c.lessons
    ]
    columns = ["id", "name_en", "name_zh", "definition_en", "definition_zh", "references", "lessons"]
    return pd.DataFrame(rows, columns=columns).astype("string")


def further_reading(lesson_id: str, root: Path | str | None = None) -> ReadingList:
    """Full references of the concepts a lesson applies, then the lesson's extra readings,
    each once, sorted by author and year."""
    concepts, readings = _load(root)
    number = _lesson_number(lesson_id)
    chosen: dict[str, Reading] = {}
    for c in concepts.values():
        if number in c.lessons:
            for r in c.references:
                chosen.setdefault(r.id, r)
    for r in readings.values():
        if number in r.data.get("lessons", []):
            chosen.setdefault(r.id, r)
    ordered = sorted(chosen.values(), key=lambda r: (r.short().lower(), r.citation().lower()))
    return ReadingList(number, ordered)


def testing_items(root: Path | str | None = None) -> dict[str, list[str]]:
    """For every concept, the quiz items that test it (``"<bank>/<question>"``), read from
    the banks' ``concepts:`` fields; a concept no item tests maps to an empty list."""
    from mediation_lessons.quiz.bank import BANK_GLOB

    root = Path(root) if root else default_root()
    found: dict[str, list[str]] = {cid: [] for cid in load_concepts(root)}
    for path in sorted((root / "quizzes").glob(BANK_GLOB)):
        data, _ = load_yaml(path, f"quizzes/{path.name}")
        for q in (data or {}).get("questions") or []:
            for cid in q.get("concepts") or []:
                found.setdefault(cid, []).append(f"{path.stem}/{q.get('id')}")
    return found
