"""Mediation events, actors and glossary: cited tables loaded as DataFrames.

The data live in ``corpus/events.yaml``, ``corpus/actors.yaml`` and ``corpus/glossary.yaml``.
:func:`check_tables` finds every problem in them (schema, dates, ids, links, citations);
the loaders raise :class:`~mediation_lessons.errors.DataError` listing those problems, so
a lesson never shows a row whose quote does not resolve. Actor mention counts are computed
from the clean texts by :func:`actor_mentions`, never stored.
"""

from __future__ import annotations

import calendar
import functools
import datetime
import re
from pathlib import Path
from typing import Any

import pandas as pd

from mediation_lessons.corpus import Corpus, load_corpus
from mediation_lessons.errors import DataError, Problem
from mediation_lessons.paths import default_root
from mediation_lessons.schema import CITATION, DATE_OR_NULL, check_records
from mediation_lessons.yamlio import file_stamps, line_of, load_yaml

THREADS = ("gaza-2023-2024", "qatar-mediator", "gaza-2025", "us-iran-2026")
EVENT_TYPES = (
    "talks_round", "proposal", "agreement", "truce", "humanitarian_pause", "hostage_release",
    "resolution", "withdrawal_plan", "venue_change", "statement", "ultimatum", "sanctions",
    "political_change", "military_action", "channel", "visit", "evacuation", "analysis",
)
TALK_FORMATS = ("direct", "indirect", "shuttle", "none")
STRATEGIES = ("communication", "formulation", "manipulation", "none")
RELIABILITY = ("reliable", "single_source", "disputed", "wrong_in_text")
PRECISIONS = ("day", "month", "year", "approx", "none")
DATE_SOURCES = ("text", "relative", "inferred", "page_date", "beyond_corpus", "none")
ACTOR_KINDS = ("person", "state", "organisation", "armed_group", "armed_forces", "party", "media", "group")
# the ids of corpus/concepts.yaml (a test keeps the two the same)
CONCEPTS = (
    "communicator", "formulator", "manipulator", "leverage", "biased-mediator", "insider-partial",
    "ripeness", "spoilers-veto-players", "multiparty-mediation", "small-state-mediation",
    "humanitarian-vs-political", "proscribed-groups", "credible-commitment", "batna-zopa",
    "phased-sequencing", "talk-format",
)

_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"}
_TEXT = {"type": "string", "minLength": 1}
_DATE = DATE_OR_NULL
_IDS = {"type": "array", "items": _ID}
_CITED = CITATION  # the gloss_en column is filled from the parallel reader (Corpus.gloss)

EVENT_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "event_id": _ID,
            "thread": {"enum": list(THREADS)},
            "sequence": {"type": "integer", "minimum": 1},
            "date_start": _DATE,
            "date_end": _DATE,
            "date_precision": {"enum": list(PRECISIONS)},
            "date_source": {"enum": list(DATE_SOURCES)},
            "date_note": _TEXT,
            "text_date": _DATE,
            "venue": _TEXT,
            "parties": _IDS,
            "mediators": _IDS,
            "event_type": {"enum": list(EVENT_TYPES)},
            "talk_format": {"enum": list(TALK_FORMATS)},
            "mediator_strategy": {"enum": list(STRATEGIES)},
            "outcome": _TEXT,
            "summary_en": _TEXT,
            "citation": _CITED,
            "reliability": {"enum": list(RELIABILITY)},
            "text_value": _TEXT,
            "correct_value": _TEXT,
            "correction_reason": _TEXT,
            "beyond_corpus": _TEXT,
            "note": _TEXT,
            "same_as": {"type": "array", "items": _ID, "minItems": 1},
            "part_of": _ID,
        },
        "required": [
            "event_id", "thread", "sequence", "date_start", "date_end", "date_precision",
            "date_source", "venue", "parties", "mediators", "event_type", "talk_format",
            "mediator_strategy", "outcome", "summary_en", "citation", "reliability",
        ],
        "additionalProperties": False,
    },
}
ACTOR_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": _ID,
            "name_en": _TEXT,
            "names_zh": {"type": "array", "items": _TEXT, "minItems": 1},
            "kind": {"enum": list(ACTOR_KINDS)},
            "role_en": _TEXT,
            "beyond_corpus": _TEXT,
            "citation": _CITED,
        },
        "required": ["id", "name_en", "names_zh", "kind", "role_en", "citation"],
        "additionalProperties": False,
    },
}
GLOSSARY_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "term_zh": _TEXT,
            "pinyin": _TEXT,
            "term_en": _TEXT,
            "definition_en": _TEXT,
            "concept": {"enum": list(CONCEPTS)},
            "example": _CITED,
        },
        "required": ["term_zh", "pinyin", "term_en", "definition_en", "example"],
        "additionalProperties": False,
    },
}

_TABLES = {
    # name: (file, schema, id field, citation field)
    "events": ("corpus/events.yaml", EVENT_SCHEMA, "event_id", "citation"),
    "actors": ("corpus/actors.yaml", ACTOR_SCHEMA, "id", "citation"),
    "glossary": ("corpus/glossary.yaml", GLOSSARY_SCHEMA, "term_zh", "example"),
}


# -- reading and checking ---------------------------------------------------------------


class _Table:
    """One YAML table with its lines, for problems that name file, item, field and line."""

    def __init__(self, root: Path, name: str):
        self.name = name
        self.shown, self.schema, self.id_field, self.cite_field = _TABLES[name]
        self.records: list[dict] = []
        self.lines: dict = {}
        self.problems: list[Problem] = []
        path = root / self.shown
        if not path.is_file():
            self.problems.append(Problem(self.shown, "file is missing"))
            return
        try:
            data, self.lines = load_yaml(path, self.shown)
        except DataError as exc:
            self.problems += exc.problems
            return
        data = [] if data is None else data
        checked = check_records(data, self.lines, self.shown, self.schema, id_field=self.id_field, record_name=name.rstrip("s"))
        self.problems += checked.problems
        if not isinstance(data, list):
            return
        # records whose shape is wrong, or whose id is taken, are left out of the later checks
        good = dict(checked.good)
        first: set = set()
        for i, rec in checked.good:
            if rec[self.id_field] in first:
                del good[i]
            first.add(rec[self.id_field])
        self.records = [good.get(i) for i in range(len(data))]

    def good(self):
        """(index, record) for every record that passed the schema."""
        return [(i, r) for i, r in enumerate(self.records) if r is not None]

    def problem(self, i: int, rec: dict | None, message: str, *field: Any) -> Problem:
        item = rec.get(self.id_field) if isinstance(rec, dict) else None
        return Problem(self.shown, message, str(item) if item else f"#{i + 1}",
                       ".".join(str(f) for f in field) or None, line_of(self.lines, (i,) + field))

    def check_citations(self, corpus: Corpus | None, must_contain) -> None:
        for i, rec in self.good():
            cite = rec[self.cite_field]
            if corpus is None:
                continue
            fault = corpus.citation_fault(cite["doc"], cite["quote"])
            if fault:
                self.problems.append(self.problem(i, rec, f"{fault[0]}: {cite['quote']!r}", self.cite_field, fault[1]))
                continue
            words = must_contain(rec)
            if words and not any(w in cite["quote"] for w in words):
                self.problems.append(self.problem(
                    i, rec, f"the quote contains none of {', '.join(words)}", self.cite_field, "quote"))


def _parse_date(value: str | None) -> datetime.date | None:
    return None if value is None else datetime.date.fromisoformat(value)


def _check_dates(t: _Table) -> None:
    for i, rec in t.good():
        dates = {}
        for field in ("date_start", "date_end", "text_date"):
            try:
                dates[field] = _parse_date(rec.get(field))
            except ValueError:
                t.problems.append(t.problem(i, rec, f"not a real date: {rec[field]!r}", field))
                dates[field] = "bad"
        start, end, precision = dates["date_start"], dates["date_end"], rec["date_precision"]
        if "bad" in (start, end):
            continue
        if precision == "none":
            if start is not None or end is not None:
                t.problems.append(t.problem(i, rec, "an undated event (precision none) has no dates: use null", "date_start"))
            if rec["date_source"] != "none":
                t.problems.append(t.problem(i, rec, "an undated event has date_source none", "date_source"))
            continue
        if start is None or end is None:
            t.problems.append(t.problem(i, rec, f"a dated event (precision {precision}) needs date_start and date_end", "date_start" if start is None else "date_end"))
            continue
        if start > end:
            t.problems.append(t.problem(i, rec, f"date_start {start} is after date_end {end}", "date_start"))
        # month and year precision mean whole periods: first to last day
        if precision == "month" and (start.day != 1 or end.day != calendar.monthrange(end.year, end.month)[1]):
            t.problems.append(t.problem(i, rec, "precision month: dates must run from the first to the last day of a month", "date_precision"))
        if precision == "year" and (start.timetuple()[1:3] != (1, 1) or end.timetuple()[1:3] != (12, 31)):
            t.problems.append(t.problem(i, rec, "precision year: dates must run from 1 January to 31 December", "date_precision"))
        if not (1900 <= start.year <= 2100 and 1900 <= end.year <= 2100):
            t.problems.append(t.problem(i, rec, "date outside 1900-2100", "date_start"))


def _check_reliability(t: _Table) -> None:
    for i, rec in t.good():
        rel = rec["reliability"]
        if rel == "wrong_in_text":
            for field in ("text_value", "correct_value", "correction_reason"):
                if field not in rec:
                    t.problems.append(t.problem(i, rec, f"a wrong_in_text row needs {field}", field))
        elif rel == "disputed" and "correction_reason" not in rec:
            t.problems.append(t.problem(i, rec, "a disputed row needs correction_reason saying what is uncertain", "reliability"))
        if rel in ("reliable", "single_source"):
            for field in ("text_value", "correct_value", "text_date"):
                if field in rec:
                    t.problems.append(t.problem(i, rec, f"{field} is for disputed or wrong_in_text rows only", field))
        if "text_date" in rec and rec.get("text_date") == rec.get("date_start"):
            t.problems.append(t.problem(i, rec, "text_date equals date_start: drop it, or correct date_start", "text_date"))


def _check_links(t: _Table, actor_ids: set[str] | None, corpus: Corpus | None) -> None:
    by_id = {rec["event_id"]: (i, rec) for i, rec in t.good()}
    per_thread: dict[tuple[str, int], str] = {}
    for i, rec in t.good():
        eid = rec["event_id"]
        key = (rec["thread"], rec["sequence"])
        if key in per_thread and per_thread[key] != eid:
            t.problems.append(t.problem(i, rec, f"sequence {rec['sequence']} already used in thread {rec['thread']} by {per_thread[key]}", "sequence"))
        per_thread.setdefault(key, eid)
        for j, other in enumerate(rec.get("same_as", [])):
            if other == eid:
                t.problems.append(t.problem(i, rec, "an event cannot be the same as itself", "same_as", j))
            elif other not in by_id:
                t.problems.append(t.problem(i, rec, f"unknown event {other!r}", "same_as", j))
            else:
                oi, orec = by_id[other]
                if eid not in orec.get("same_as", []):
                    t.problems.append(t.problem(i, rec, f"link not returned: {other} does not list {eid} in same_as", "same_as", j))
                if orec["citation"]["doc"] == rec["citation"]["doc"]:
                    t.problems.append(t.problem(i, rec, f"{other} cites the same text; same_as links reports in different texts", "same_as", j))
        part = rec.get("part_of")
        if part is not None and (part == eid or part not in by_id):
            t.problems.append(t.problem(i, rec, f"unknown or circular part_of {part!r}", "part_of"))
        if actor_ids is not None:
            for field in ("parties", "mediators"):
                for j, actor in enumerate(rec[field]):
                    if actor not in actor_ids:
                        t.problems.append(t.problem(i, rec, f"unknown actor {actor!r} (not in corpus/actors.yaml)", field, j))
        if corpus is not None and rec["citation"]["doc"] in corpus.ids:
            threads = corpus.meta(rec["citation"]["doc"])["threads"]
            if rec["thread"] not in threads:
                t.problems.append(t.problem(i, rec, f"thread {rec['thread']} is not a thread of {rec['citation']['doc']} ({', '.join(threads)})", "thread"))
    # a lower sequence may not start after a higher one ends (undated rows are free)
    rows = sorted((r for _, r in t.good() if r["date_precision"] != "none"), key=lambda r: (r["thread"], r["sequence"]))
    for a, b in zip(rows, rows[1:]):
        if a["thread"] == b["thread"]:
            try:
                if _parse_date(a["date_start"]) > _parse_date(b["date_end"]):
                    i, rec = by_id[b["event_id"]]
                    t.problems.append(t.problem(i, rec, f"sequence {b['sequence']} ends before {a['event_id']} (sequence {a['sequence']}) starts", "sequence"))
            except (TypeError, ValueError):
                pass  # reported by the date checks


def _check_actor_names(t: _Table, corpus: Corpus | None) -> None:
    owner: dict[str, str] = {}
    every_text = "\n".join(corpus.text(d) for d in corpus.ids) if corpus else None
    for i, rec in t.good():
        for j, name in enumerate(rec["names_zh"]):
            if name in owner and owner[name] != rec["id"]:
                t.problems.append(t.problem(i, rec, f"name {name!r} also belongs to {owner[name]}", "names_zh", j))
            owner.setdefault(name, rec["id"])
            if every_text is not None and name not in every_text:
                t.problems.append(t.problem(i, rec, f"name {name!r} is not written in any clean text", "names_zh", j))


def _read_all(root: Path) -> tuple[dict[str, _Table], Corpus | None, list[Problem]]:
    problems: list[Problem] = []
    try:
        corpus = load_corpus(root)
    except DataError as exc:
        corpus = None  # check_corpus reports these; citations are then left unchecked
        problems.append(Problem("corpus/documents.yaml", f"corpus does not load ({len(exc.problems)} problem(s)); citations not checked"))
    tables = {name: _Table(root, name) for name in _TABLES}
    ev, ac, gl = tables["events"], tables["actors"], tables["glossary"]
    _check_dates(ev)
    _check_reliability(ev)
    actor_ids = {r["id"] for _, r in ac.good()} if not any("does not parse" in p.message or p.message == "file is missing" for p in ac.problems) else None
    _check_links(ev, actor_ids, corpus)
    _check_actor_names(ac, corpus)
    ev.check_citations(corpus, lambda r: None)
    ac.check_citations(corpus, lambda r: r["names_zh"])
    gl.check_citations(corpus, lambda r: [r["term_zh"]])
    return tables, corpus, problems


def check_tables(root: Path | str | None = None) -> list[Problem]:
    """Every problem in events, actors and glossary: schema, ids, dates, reliability
    fields, links (same_as, part_of, actors, threads) and citations."""
    root = Path(root) if root else default_root()
    tables, _corpus, problems = _read_all(root)
    for t in tables.values():
        problems += t.problems
    return problems


def _load(root: Path | str | None, needed: tuple[str, ...]) -> tuple[dict[str, _Table], Corpus]:
    root = Path(root).resolve() if root else default_root().resolve()
    return _load_cached(root, needed, file_stamps(*(root / spec[0] for spec in _TABLES.values())))


@functools.lru_cache(maxsize=16)
def _load_cached(root: Path, needed: tuple[str, ...], _stamps: tuple) -> tuple[dict[str, _Table], Corpus]:
    """Read and checked once per folder and kernel, as the corpus is: every chart and table
    of a lesson loads the events or the actors again."""
    tables, corpus, problems = _read_all(root)
    problems = list(problems)
    for name in needed:
        problems += tables[name].problems
    if problems or corpus is None:
        raise DataError(problems or [Problem("corpus", "corpus does not load")])
    return tables, corpus


# -- loaders ------------------------------------------------------------------------------


def _cited_columns(corpus: Corpus, cite: dict) -> dict:
    c = corpus.resolve(cite["doc"], cite["quote"])
    # quote_shown: the quote as shown on its own, "…" where it cuts a sentence (issue 11)
    return {"doc": cite["doc"], "quote": cite["quote"], "quote_shown": corpus.display_quote(cite["doc"], cite["quote"]),
            "gloss_en": corpus.gloss(cite["doc"], cite["quote"]),
            # the known issues of the sentence(s) the gloss translates: a gloss is never shown unflagged
            "source_check": "; ".join(corpus.passage(cite["doc"], cite["quote"]).issues) or None,
            "paragraph": c.paragraph, "start": c.start, "end": c.end}


def load_events(root: Path | str | None = None) -> pd.DataFrame:
    """One row per event, in thread and sequence order, with proper dtypes.

    Dates are datetime64 (NaT when undated), thread/type/format/strategy/reliability are
    categoricals, parties/mediators/same_as are lists of actor or event ids, and the
    citation is resolved to doc, paragraph and offsets. ``text_date_wrong`` marks rows
    whose text gives a date that differs from the corrected one in date_start.
    """
    tables, corpus = _load(root, ("events", "actors"))
    rows = []
    for _, r in tables["events"].good():
        row = {k: r.get(k) for k in (
            "event_id", "thread", "sequence", "date_start", "date_end", "date_precision",
            "date_source", "date_note", "text_date", "venue", "event_type", "talk_format",
            "mediator_strategy", "outcome", "summary_en", "reliability", "text_value",
            "correct_value", "correction_reason", "beyond_corpus", "note", "part_of")}
        row["parties"] = list(r["parties"])
        row["mediators"] = list(r["mediators"])
        row["same_as"] = list(r.get("same_as", []))
        row.update(_cited_columns(corpus, r["citation"]))
        rows.append(row)
    df = pd.DataFrame(rows)
    for col in ("date_start", "date_end", "text_date"):
        df[col] = pd.to_datetime(df[col])
    df["text_date_wrong"] = df["text_date"].notna()
    cats = {"thread": THREADS, "date_precision": PRECISIONS, "date_source": DATE_SOURCES,
            "event_type": EVENT_TYPES, "talk_format": TALK_FORMATS, "mediator_strategy": STRATEGIES,
            "reliability": RELIABILITY, "doc": tuple(corpus.ids)}
    for col, values in cats.items():
        df[col] = pd.Categorical(df[col], categories=list(values))
    for col in ("sequence", "paragraph", "start", "end"):
        df[col] = df[col].astype("int64")
    for col in ("event_id", "date_note", "venue", "outcome", "summary_en", "quote", "quote_shown", "gloss_en", "source_check",
                "text_value", "correct_value", "correction_reason", "beyond_corpus", "note", "part_of"):
        df[col] = df[col].astype("string")
    return df.sort_values(["thread", "sequence"]).reset_index(drop=True)


def load_actors(root: Path | str | None = None) -> pd.DataFrame:
    """One row per actor: id, name_en, names_zh (list), kind (category), role_en, citation."""
    tables, corpus = _load(root, ("actors",))
    rows = []
    for _, r in tables["actors"].good():
        row = {"id": r["id"], "name_en": r["name_en"], "names_zh": list(r["names_zh"]),
               "name_zh": r["names_zh"][0], "kind": r["kind"], "role_en": r["role_en"],
               "beyond_corpus": r.get("beyond_corpus")}
        row.update(_cited_columns(corpus, r["citation"]))
        rows.append(row)
    df = pd.DataFrame(rows)
    df["kind"] = pd.Categorical(df["kind"], categories=list(ACTOR_KINDS))
    df["doc"] = pd.Categorical(df["doc"], categories=corpus.ids)
    for col in ("id", "name_en", "name_zh", "role_en", "beyond_corpus", "quote", "quote_shown", "gloss_en", "source_check"):
        df[col] = df[col].astype("string")
    for col in ("paragraph", "start", "end"):
        df[col] = df[col].astype("int64")
    return df


def load_glossary(root: Path | str | None = None) -> pd.DataFrame:
    """One row per term: term_zh, pinyin, term_en, definition_en, concept (category), example."""
    tables, corpus = _load(root, ("glossary",))
    rows = []
    for _, r in tables["glossary"].good():
        row = {k: r.get(k) for k in ("term_zh", "pinyin", "term_en", "definition_en", "concept")}
        row.update(_cited_columns(corpus, r["example"]))
        rows.append(row)
    df = pd.DataFrame(rows)
    df["concept"] = pd.Categorical(df["concept"], categories=list(CONCEPTS))
    df["doc"] = pd.Categorical(df["doc"], categories=corpus.ids)
    for col in ("term_zh", "pinyin", "term_en", "definition_en", "quote", "quote_shown", "gloss_en", "source_check"):
        df[col] = df[col].astype("string")
    for col in ("paragraph", "start", "end"):
        df[col] = df[col].astype("int64")
    return df


# -- computed counts ----------------------------------------------------------------------


def count_mentions(text: str, names: dict[str, str], not_names: frozenset[str] = frozenset()) -> dict[str, int]:
    """Occurrences per owner in ``text`` for ``names`` (name -> owner id).

    Scans left to right and takes the longest name at each place, so 伊斯梅尔·哈尼亚 counts
    once and never again as 哈尼亚, and 本·格维尔 would not also count as 格维尔. A span in
    ``not_names`` (美国人: Americans, not the United States) is taken the same way and
    counts for no one.
    """
    counts = {owner: 0 for owner in names.values()}
    if not names:
        return counts
    owners = {**names, **dict.fromkeys(not_names)}  # a not-name belongs to no one
    pattern = re.compile("|".join(re.escape(n) for n in sorted(owners, key=len, reverse=True)))
    for m in pattern.finditer(text):
        if (owner := owners[m.group(0)]) is not None:
            counts[owner] += 1
    return counts


def actor_mentions(root: Path | str | None = None) -> pd.DataFrame:
    """Actor x document table of mention counts, computed from the clean texts.

    Rows follow corpus/actors.yaml, columns the corpus document order; values are int64.
    A state's name followed by 人 (美国人, 法国人) names its nationals, not the state, and
    is not counted.
    """
    tables, corpus = _load(root, ("actors",))
    names = {n: r["id"] for _, r in tables["actors"].good() for n in r["names_zh"]}
    nationals = frozenset(f"{n}人" for _, r in tables["actors"].good() if r["kind"] == "state" for n in r["names_zh"])
    order = [r["id"] for _, r in tables["actors"].good()]
    data = {doc: count_mentions(corpus.text(doc), names, nationals) for doc in corpus.ids}
    df = pd.DataFrame(data, index=pd.Index(order, name="actor"), columns=pd.Index(corpus.ids, name="doc"))
    return df.fillna(0).astype("int64")


def glossary_counts(root: Path | str | None = None) -> pd.DataFrame:
    """How often each glossary term occurs as a word in each text (jieba segmentation)."""
    glossary = load_glossary(root)
    return load_corpus(root).term_counts(list(glossary["term_zh"]))
