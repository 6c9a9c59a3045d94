"""A class's quiz results: the files students export, checked, merged and summed up.

Each student hands in what *Export my results* wrote, ``results-<quiz>-<name>.csv`` or
``.json``; both hold every graded attempt. :func:`read_results` checks every record and
reports each problem with file, record, field and line. :func:`class_tables` merges the
files (an attempt handed in twice, as CSV and JSON, counts once) and scores each
learner's last attempt at each question against the quiz bank.
"""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mediation_lessons.errors import DataError, Problem
from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.quiz.grading import CORRECT, PARTIAL, WRONG
from mediation_lessons.quiz.progress import RECORD_FIELDS, latest_attempts
from mediation_lessons.schema import is_valid, schema_problems
from mediation_lessons.yamlio import load_yaml, read_text

RESULTS_FORMAT = "mediation-lessons-results"
RESULT_RECORD = {
    "type": "object",
    "properties": {
        "learner": {"type": "string", "minLength": 1},
        "quiz": {"type": "string", "minLength": 1},
        "question": {"type": "string", "minLength": 1},
        "attempt": {"type": "integer", "minimum": 1},
        "score": {"type": "number", "minimum": 0, "maximum": 1},
        "status": {"enum": [CORRECT, PARTIAL, WRONG]},
        "answer": {},
        "time": {"type": "string"},
    },
    "required": list(RECORD_FIELDS),
    "additionalProperties": False,
}
RESULTS_FILE = {
    "type": "object",
    "properties": {
        "format": {"const": RESULTS_FORMAT},
        "records": {"type": "array", "items": RESULT_RECORD},
        "summary": {"type": "array"},
    },
    "required": ["format", "records"],
}
CSV_RECORDS = {"type": "array", "items": RESULT_RECORD}


@dataclass(frozen=True)
class Attempt:
    """One graded attempt, and the file it came from."""

    record: dict
    file: str


def _read_json(path: Path, shown: str) -> list[dict]:
    try:
        data = json.loads(read_text(path, shown))
    except json.JSONDecodeError as exc:
        raise DataError([Problem(shown, f"JSON does not parse: {exc.msg}", line=exc.lineno)]) from None
    if not is_valid(data, RESULTS_FILE):
        _, lines = load_yaml(path, shown)  # JSON is YAML: this loader knows the line of every value
        problems = schema_problems(data, RESULTS_FILE, lines, shown, records_at=("records",))
        raise DataError(problems or [Problem(shown, f"not a {RESULTS_FORMAT} file", line=1)])
    return data["records"]


def _read_csv(path: Path, shown: str) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != list(RECORD_FIELDS):
            raise DataError([Problem(shown, f"the header must be {','.join(RECORD_FIELDS)}, not {','.join(reader.fieldnames or [])}", line=1)])
        rows, lines, problems = [], {}, []
        for i, row in enumerate(reader):
            line = reader.line_num  # the row's (last) line; an exported row is one line
            lines.update({(i,): line, **{(i, field): line for field in RECORD_FIELDS}})
            rec: dict = dict(row)
            for field, convert in (("attempt", int), ("score", float), ("answer", json.loads)):
                try:
                    rec[field] = convert(row[field])
                except (TypeError, ValueError):
                    problems.append(Problem(shown, f"not a valid {field}: {row[field]!r}", f"#{i + 1}", field, line))
            rows.append(rec)
    if not problems and not is_valid(rows, CSV_RECORDS):
        problems = schema_problems(rows, CSV_RECORDS, lines, shown)
    if problems:
        raise DataError(problems)
    return rows


def read_results(paths: list[Path | str]) -> list[Attempt]:
    """Every attempt in the exported files (folders are searched for ``results-*``).

    Raises :class:`DataError` listing every problem in every file.
    """
    files: list[Path] = []
    for p in map(Path, paths):
        files += sorted(p.glob("results-*.csv")) + sorted(p.glob("results-*.json")) if p.is_dir() else [p]
    attempts: list[Attempt] = []
    problems: list[Problem] = []
    for path in files:
        shown = path.as_posix()
        try:
            if not path.is_file():
                raise DataError([Problem(shown, "no such file")])
            if path.suffix.lower() == ".json":
                records = _read_json(path, shown)
            elif path.suffix.lower() == ".csv":
                records = _read_csv(path, shown)
            else:
                raise DataError([Problem(shown, "not a results file: expected .csv or .json")])
        except DataError as exc:
            problems += exc.problems
            continue
        attempts += [Attempt(rec, shown) for rec in records]
    if problems:
        raise DataError(problems)
    if not files:
        raise DataError([Problem(", ".join(map(str, paths)) or ".", "no results-*.csv or results-*.json files found")])
    return attempts


def _merge(attempts: list[Attempt]) -> tuple[list[dict], list[str]]:
    """One record per attempt. Files that disagree about the same attempt of the same
    name come from two students who typed one name: each keeps its own, named by file."""
    by_key: dict[tuple, dict[str, dict]] = defaultdict(dict)
    for a in attempts:
        r = a.record
        by_key[(r["learner"], r["quiz"], r["question"], r["attempt"])][a.file] = r
    clashing: set[str] = set()
    for files in by_key.values():
        if len({json.dumps(r, sort_keys=True, ensure_ascii=False) for r in files.values()}) > 1:
            clashing.update(files)
    warnings = [
        f"warning: {name} holds the same attempts as another file with different answers (two students "
        f"with one name?); its learner is shown as '<name> [{name}]'"
        for name in sorted(clashing)
    ]
    merged, seen = [], set()
    for a in attempts:
        r = dict(a.record)
        if a.file in clashing:
            r["learner"] = f"{r['learner']} [{a.file}]"
        key = (r["learner"], r["quiz"], r["question"], r["attempt"])
        if key not in seen:
            seen.add(key)
            merged.append(r)
    return merged, warnings


def class_tables(attempts: list[Attempt], root: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(learners, questions, warnings) from the merged attempts.

    learners: one row per learner and quiz: questions answered, points (the sum of each
    question's last score), percent, passed (against the bank's pass mark).
    questions: one row per question of each quiz, in quiz order: how many learners
    answered it, how many got it fully right, their mean last score.
    """
    records, warnings = _merge(attempts)
    banks = {}
    for quiz in sorted({r["quiz"] for r in records}):
        try:
            banks[quiz] = load_bank(quiz, root)
        except DataError as exc:
            warnings.append(f"warning: results for quiz {quiz!r} left out: {exc.problems[0].message}")
    last = {}
    for key, r in latest_attempts([r for r in records if r["quiz"] in banks]).items():
        ids = [q.id for q in banks[r["quiz"]].questions]
        if r["question"] not in ids:
            warnings.append(f"warning: quiz {r['quiz']!r} has no question {r['question']!r} (changed since?): "
                            f"left out for {r['learner']!r}")
            continue
        last[key] = r
    learner_rows = []
    for (learner, quiz), group in _groups(last, lambda k: (k[0], k[1])).items():
        bank = banks[quiz]
        points = sum(r["score"] for r in group)
        total = len(bank.questions)
        learner_rows.append({
            "learner": learner, "quiz": quiz, "answered": len(group), "questions": total,
            "points": round(points, 2), "percent": round(100 * points / total),
            "passed": points / total >= bank.pass_mark - 1e-9,
        })
    question_rows = []
    by_question = _groups(last, lambda k: (k[1], k[2]))
    for quiz in sorted(banks):
        for number, q in enumerate(banks[quiz].questions, 1):
            group = by_question.get((quiz, q.id), [])
            question_rows.append({
                "quiz": quiz, "number": number, "question": q.id, "answered": len(group),
                "correct": sum(r["status"] == CORRECT for r in group),
                "mean_percent": round(100 * sum(r["score"] for r in group) / len(group)) if group else None,
            })
    learners = pd.DataFrame(learner_rows, columns=["learner", "quiz", "answered", "questions", "points", "percent", "passed"])
    learners = learners.sort_values(["quiz", "learner"], kind="stable").reset_index(drop=True)
    questions = pd.DataFrame(question_rows, columns=["quiz", "number", "question", "answered", "correct", "mean_percent"])
    questions["mean_percent"] = questions["mean_percent"].astype("Int64")
    return learners, questions, warnings


def _groups(last: dict, key) -> dict[tuple, list[dict]]:
    groups: dict[tuple, list[dict]] = defaultdict(list)
    for k, r in last.items():
        groups[key(k)].append(r)
    return dict(groups)
