"""A class's quiz results: the files students hand in, checked, merged and re-graded.

Three kinds of file hold graded attempts, one record per attempt (``learner, quiz,
question, attempt, score, status, answer, time``):

* ``results-<quiz>-<name>.csv`` and ``.json``, written by the quiz's *Export* button;
* ``<class folder>/<user>/<quiz>.jsonl``, written by the quiz itself when the admin of a
  shared server set a class folder (:mod:`mediation_lessons.quiz.handin`).

:func:`read_results` checks every record against :data:`RECORD_SCHEMA` with
:func:`mediation_lessons.schema.check_records`, as the data files are checked (a problem
names file, record, field and line, and says what was expected), and never trusts a value
found in a file for anything but data: the quiz name is checked against the bank id
pattern and the banks that exist, never used to build a path.
:func:`merge` then

* finds who is who: the files of one learner name that agree on every attempt they share
  (a CSV and a JSON of one student, exported at different times) are one learner; files
  of one name that disagree are two students who typed the same name, kept apart and
  named by their first file, with a warning;
* counts an attempt handed in twice once;
* **re-grades every answer against the bank** with
  :func:`mediation_lessons.quiz.grading.grade`: a file whose stored score or status
  disagrees is named in a warning (file, learner, question, attempt) and the bank's grade
  is used;
* adds the chosen text beside each raw answer, readable in a spreadsheet.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import os
import re
import secrets
import stat
import urllib.parse
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from mediation_lessons.csvcell import safe_cell
from mediation_lessons.errors import DataError, Problem
from mediation_lessons.paths import default_root
from mediation_lessons.quiz.grading import CORRECT, PARTIAL, WRONG, grade
from mediation_lessons.quiz.i18n import label
from mediation_lessons.quiz.model import Bank, Question
from mediation_lessons.schema import check_records, expected
from mediation_lessons.yamlio import line_of

RESULTS_FORMAT = "mediation-lessons-results"
FIELDS = ("learner", "quiz", "question", "attempt", "score", "status", "answer", "time")
GRADED = (CORRECT, PARTIAL, WRONG)
# the bank id pattern of quizzes/*.yaml; a quiz name in a file must match it
BANK_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
QUESTION_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
MAX_DEPTH = 32          # brackets nested deeper than this in a results file are refused
MAX_ATTEMPT = 1_000_000
MAX_NAME = 200          # characters of a learner name
HANDIN_SUFFIX = ".jsonl"
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_STRINGS = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)

# One attempt as a file holds it. Each field says in its description what it expects,
# which is what a problem with it says; what JSON Schema cannot say (a name that is only
# spaces, a NaN score, 2.0 for attempt 2) is checked on the records it passes
# (:func:`check_attempts`).
RECORD_SCHEMA = {
    "type": "object",
    "description": "a results record (a mapping of field: value)",
    "properties": {
        "learner": {"type": "string", "minLength": 1, "maxLength": MAX_NAME,
                    "description": f"a name of at most {MAX_NAME} characters"},
        "quiz": {"type": "string", "pattern": f"^{BANK_ID.pattern}$",
                 "description": "a quiz id (letters, digits, '_' and '-')"},
        "question": {"type": "string", "pattern": f"^{QUESTION_ID.pattern}$",
                     "description": "a question id (letters, digits, '_' and '-')"},
        "attempt": {"type": "integer", "minimum": 1, "maximum": MAX_ATTEMPT,
                    "description": f"a whole number from 1 to {MAX_ATTEMPT:,}"},
        "score": {"type": "number", "minimum": 0, "maximum": 1, "description": "a number from 0 to 1"},
        "status": {"enum": list(GRADED), "description": "one of " + ", ".join(GRADED)},
        "answer": {"description": "the answer given: any JSON value"},
        "time": {"type": "string", "description": "text (when the attempt was made)"},
    },
    "required": list(FIELDS),
    "additionalProperties": False,
}
RECORDS_SCHEMA = {"type": "array", "items": RECORD_SCHEMA}


@dataclass(frozen=True)
class Attempt:
    """One attempt as a file holds it, with the file (as shown in messages) and its line."""

    record: dict
    file: str
    line: int | None = None


# -- reading ---------------------------------------------------------------------------------


def decode_text(data: bytes, shown: str) -> str:
    """The text of a handed-in file: UTF-8 (with or without BOM), UTF-16 with a BOM (Excel's
    "Unicode text"), else GB18030 (Excel on Chinese Windows writes GBK, a subset).
    Anything else is a :class:`DataError` naming the file."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise DataError([Problem(shown, f"not valid UTF-16 text (byte {exc.start})")]) from None
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError:
        line = data[:first_bad].count(b"\n") + 1
        raise DataError([Problem(shown, f"text in an unknown encoding (byte {first_bad} is not UTF-8, and it is not "
                                        "UTF-16 with a BOM or GB18030/GBK either): save it as UTF-8", line=line)]) from None


def check_depth(text: str, shown: str, line: int | None = None, item: str | None = None, fld: str | None = None) -> None:
    """Refuse JSON nested deeper than :data:`MAX_DEPTH` before parsing it (a parser
    recurses once per level: thousands of ``[`` would exhaust the stack)."""
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    for ch in re.findall(r"[\[\]{}]", _STRINGS.sub("", text)):
        depth += 1 if ch in "[{" else -1
        if depth > MAX_DEPTH:
            raise DataError([Problem(shown, f"nested more than {MAX_DEPTH} levels deep: not a results file", item, fld, line)])


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number a results file may hold")


_DECODER = json.JSONDecoder(parse_constant=_no_constant)


def _json(text: str):
    """json.loads that refuses NaN and Infinity (Python's json accepts them)."""
    return _DECODER.decode(text)


@functools.lru_cache(maxsize=65536)
def clean_name(name: str) -> str:
    """A learner name as a table shows it: NFC, control characters (CR, LF, tab...) and
    runs of spaces turned into one space, trimmed."""
    return " ".join(_CONTROL.sub(" ", unicodedata.normalize("NFC", name)).split())


@functools.lru_cache(maxsize=65536)
def _id_ok(value: str) -> bool:
    return BANK_ID.fullmatch(value) is not None


_FIELD_SET = frozenset(FIELDS)


def _plainly_valid(rec: Any) -> bool:
    """The common case, checked fast: a record that :data:`RECORD_SCHEMA` and the further
    checks of :func:`check_attempts` pass (and no other)."""
    if type(rec) is not dict or rec.keys() != _FIELD_SET:
        return False
    learner, quiz, question, a, s = rec["learner"], rec["quiz"], rec["question"], rec["attempt"], rec["score"]
    return (type(learner) is str and 0 < len(learner) <= MAX_NAME and clean_name(learner)
            and type(quiz) is str and _id_ok(quiz) and type(question) is str and _id_ok(question)
            and type(a) is int and 1 <= a <= MAX_ATTEMPT
            and type(s) in (int, float) and 0 <= s <= 1  # NaN fails both comparisons
            and rec["status"] in GRADED and type(rec["time"]) is str)


def check_attempts(records: list, shown: str, lines: dict[tuple, int],
                   name_of: Callable[[int], str] | None = None) -> tuple[list[Problem], list[int]]:
    """Every problem in the records of one file, and the indexes of the good ones.

    The records go through :func:`~mediation_lessons.schema.check_records` with
    :data:`RECORD_SCHEMA` (the fast yes/no :func:`_plainly_valid` first); the records it
    passes are then checked for what the schema cannot say. ``lines`` maps ``(i,)`` and
    ``(i, field)`` to lines; ``name_of(i)`` is how record ``i`` is named (default ``#i+1``).
    The learner name of a good record is replaced by :func:`clean_name` of it.
    """
    name_of = name_of or (lambda i: f"#{i + 1}")
    valid = all(map(_plainly_valid, records))
    labels = None if valid else [name_of(i) for i in range(len(records))]
    checked = check_records(records, lines, shown, RECORDS_SCHEMA, id_field=None, valid=valid, labels=labels)
    problems = checked.problems
    good, further = [], False
    for i, rec in checked.good:
        name, a, s = clean_name(rec["learner"]), rec["attempt"], rec["score"]
        if name and type(a) is int and math.isfinite(s):  # the usual case, at a glance
            rec["learner"] = name
            good.append(i)
            continue
        further = True
        labels = labels or [name_of(k) for k in range(len(records))]
        for fld, why in (("learner", "" if name else "only spaces and control characters"),
                         ("attempt", "" if type(a) is int else "written with a decimal point"),
                         ("score", "" if math.isfinite(s) else "not a finite number")):
            if why:
                problems.append(Problem(shown, f"{_expected(fld, rec[fld])} ({why})", labels[i], fld, line_of(lines, (i, fld))))
    if further:  # in record order, with the schema's
        order = {label: i for i, label in enumerate(labels)}
        problems.sort(key=lambda p: order.get(p.item, -1))
    return problems, good


def _expected(fld: str, value: Any) -> str:
    """A problem with a field, in the words of its schema: "expected a number from 0 to 1, got 'lots'"."""
    return f"expected {expected(RECORD_SCHEMA['properties'][fld])}, got {_short(value)}"


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _read_json(text: str, shown: str) -> list[Attempt]:
    check_depth(text, shown)
    try:
        data = _json(text)
    except json.JSONDecodeError as exc:
        raise DataError([Problem(shown, f"JSON does not parse: {exc.msg}", line=exc.lineno)]) from None
    except ValueError as exc:
        raise DataError([Problem(shown, f"JSON does not parse: {exc}")]) from None
    if not isinstance(data, dict) or data.get("format") != RESULTS_FORMAT:
        raise DataError([Problem(shown, f"not a results file: its 'format' must be {RESULTS_FORMAT!r}", field="format", line=1)])
    if not isinstance(data.get("records"), list):
        raise DataError([Problem(shown, "must hold a list of records", field="records", line=1)])
    records = data["records"]
    lines = _json_lines(text, len(records))
    problems, good = check_attempts(records, shown, lines)
    if problems:
        raise DataError(problems)
    return [Attempt(records[i], shown, lines.get((i,))) for i in good]


def _json_lines(text: str, n: int) -> dict[tuple, int]:
    """The line of each record (``(i,)``) and of each of its fields (``(i, field)``) in a
    JSON results file as the quiz writes it (one field per line). Best effort: a file laid
    out otherwise gets the record's first line, or none. Every value in the records list
    starts a record, whatever its kind, so a record that is not an object does not shift
    the lines of those after it; a field is a key at the record's own level (a key inside
    an answer is not one). Lines are counted at "\\n" only, as the JSON parser counts them."""
    lines: dict[tuple, int] = {}
    i = -1
    depth_at_records = None  # the depth of the records list's values; -1 once it is closed
    depth = 0
    expecting = False  # a value of the records list is due (after its "[" or a ",")
    for number, raw in enumerate(text.split("\n"), 1):
        stripped = _STRINGS.sub('""', raw)
        if depth_at_records is None and '"records"' in raw:
            depth_at_records = depth + 1
        if i >= 0 and depth_at_records and depth == depth_at_records + 1:
            m = re.match(r'\s*"(\w+)"\s*:', raw)
            if m and (i, m.group(1)) not in lines:
                lines[(i, m.group(1))] = number
        for ch in stripped:
            if depth_at_records and depth == depth_at_records > 0:
                if ch == ",":
                    expecting = True
                elif expecting and not ch.isspace() and ch != "]" and i + 1 < n:
                    i += 1
                    lines[(i,)] = number
                    expecting = False
            if ch in "[{":
                depth += 1
                expecting = ch == "[" and depth == depth_at_records
            elif ch in "]}":
                depth -= 1
                if depth_at_records is not None and depth < depth_at_records:
                    depth_at_records = -1  # the records list is closed
    return lines


def _read_jsonl(text: str, shown: str) -> list[Attempt]:
    """A hand-in file: one JSON record per line, appended by the quiz."""
    lines = text.split("\n")  # not splitlines(): U+2028 and friends may stand inside a JSON string
    try:  # the usual case: every line a good record, read in one go
        joined = "[" + ",".join(x for x in lines if x.strip()) + "]"
        check_depth(joined, shown)
        records = _json(joined)
    except (DataError, ValueError):
        records = None  # find what is wrong line by line, below
    numbers = [n for n, x in enumerate(lines, 1) if x.strip()]
    problems: list[Problem] = []
    if records is None or len(records) != len(numbers):  # find what is wrong line by line
        records, numbers = [], []
        for number, raw in enumerate(lines, 1):
            if not raw.strip():
                continue
            try:
                check_depth(raw, shown, number, f"line {number}")
                records.append(_json(raw))
            except DataError as exc:
                problems += exc.problems
                continue
            except ValueError as exc:
                problems.append(Problem(shown, f"not a JSON record: {getattr(exc, 'msg', exc)}", f"line {number}", None, number))
                continue
            numbers.append(number)
    found, good = check_attempts(records, shown, {(i,): n for i, n in enumerate(numbers)}, lambda i: f"line {numbers[i]}")
    if problems or found:
        raise DataError(sorted(problems + found, key=lambda p: p.line or 0))
    return [Attempt(records[i], shown, numbers[i]) for i in good]


def _read_csv(text: str, shown: str) -> list[Attempt]:
    first = text.split("\n", 1)[0]
    # Excel's "Unicode text" is tab-separated; where the decimal mark is a comma, Excel writes ";"
    delimiter = next((d for d in ("\t", ";") if d in first and "," not in first), ",")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader, [])
    except csv.Error as exc:
        raise DataError([Problem(shown, f"CSV does not parse: {exc}", line=1)]) from None
    if header != list(FIELDS):
        raise DataError([Problem(shown, f"the header must be {','.join(FIELDS)}, not {_short(','.join(header))}", line=1)])
    to_float = float if delimiter != ";" else (lambda x: float(x.replace(",", ".")))
    problems: list[Problem] = []
    records, items, rows = [], [], []  # the rows that convert: record, name, line
    i = 0
    while True:
        try:
            row = next(reader, None)
        except csv.Error as exc:
            problems.append(Problem(shown, f"CSV does not parse: {exc}", line=reader.line_num))
            break
        if row is None:
            break
        line = reader.line_num  # the row's last line; an exported row is one line
        if not row:
            continue
        i += 1
        item = f"#{i}"
        if len(row) != len(FIELDS):
            problems.append(Problem(shown, f"has {len(row)} cells, not {len(FIELDS)}", item, None, line))
            continue
        rec: dict = dict(zip(FIELDS, row))
        found = []
        for fld, convert in (("attempt", int), ("score", to_float), ("answer", _json)):
            try:
                if fld == "answer":
                    check_depth(row[FIELDS.index(fld)], shown, line, item, fld)
                rec[fld] = convert(row[FIELDS.index(fld)])
            except DataError as exc:
                found += exc.problems
            except (TypeError, ValueError):
                cell = row[FIELDS.index(fld)]
                found.append(Problem(shown, f"expected the answer as JSON text, got {_short(cell)}" if fld == "answer"
                                     else _expected(fld, cell), item, fld, line))
        problems += found
        if not found:
            records.append(rec)
            items.append(item)
            rows.append(line)
    found, good = check_attempts(records, shown, {(k,): line for k, line in enumerate(rows)}, items.__getitem__)
    if problems or found:
        raise DataError(sorted(problems + found, key=lambda p: p.line or 0))
    return [Attempt(records[k], shown, rows[k]) for k in good]


def results_files(paths: Iterable[Path | str]) -> list[Path]:
    """The files to read: files as given; in a folder, its ``results-*.csv`` / ``.json``
    and, a class folder's hand-ins, ``<user>/<quiz>.jsonl``."""
    files: list[Path] = []
    for p in map(Path, paths):
        if p.is_dir():
            files += sorted(p.glob("results-*.csv")) + sorted(p.glob("results-*.json"))
            files += sorted(f for f in p.glob(f"*/*{HANDIN_SUFFIX}") if not f.parent.name.startswith("."))
        else:
            files.append(p)
    return files


def read_file(path: Path, shown: str | None = None) -> list[Attempt]:
    """Every attempt in one results file (by its suffix). Raises :class:`DataError`."""
    shown = shown or path.as_posix()
    if not path.is_file():
        raise DataError([Problem(shown, "no such file")])
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json", HANDIN_SUFFIX):
        raise DataError([Problem(shown, f"not a results file: expected .csv, .json or {HANDIN_SUFFIX}")])
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DataError([Problem(shown, f"cannot be read: {exc.strerror or exc}")]) from None
    text = decode_text(data, shown)
    if suffix == ".csv":
        return _read_csv(text, shown)
    if suffix == ".json":
        return _read_json(text, shown)
    return _read_jsonl(text, shown)


@functools.lru_cache(maxsize=4096)
def _account_uid(name: str) -> int | None:
    import pwd

    try:
        return pwd.getpwnam(name).pw_uid
    except KeyError:
        return None


def handin_owner_problem(path: Path) -> str | None:
    """Why a hand-in file ``<class>/<user>/<quiz>.jsonl`` may not be the work of ``<user>``,
    or None. Where ``<user>`` is an account on this machine, its folder and file must be
    owned by that account (a student who created another's folder first is caught here);
    otherwise (``hub-user`` identity) the file must be owned by its folder's owner."""
    try:
        import pwd
    except ImportError:  # Windows: no owners to check
        return None
    folder = path.parent
    try:
        fst, dst = os.lstat(path), os.lstat(folder)
    except OSError as exc:
        return f"cannot be checked: {exc.strerror or exc}"
    if not stat.S_ISREG(fst.st_mode) or not stat.S_ISDIR(dst.st_mode):
        return "is not a plain file in a plain folder (a symbolic link?)"
    expected = _account_uid(urllib.parse.unquote(folder.name))
    if expected is None:
        expected = dst.st_uid
    for what, st in (("folder", dst), ("file", fst)):
        if st.st_uid != expected:
            try:
                owner = pwd.getpwuid(st.st_uid).pw_name
            except KeyError:
                owner = f"uid {st.st_uid}"
            return f"its {what} belongs to {owner}, not to {urllib.parse.unquote(folder.name)}"
    return None


def read_results(paths: Iterable[Path | str], warnings: list[str] | None = None) -> list[Attempt]:
    """Every attempt in the handed-in files and folders (see :func:`results_files`).

    Raises :class:`DataError` listing every problem in every file. A hand-in whose owner
    is wrong (:func:`handin_owner_problem`) is left out with a message in ``warnings``.
    In a hand-in, the learner is shown as ``name (user)`` where the typed name differs
    from the user folder.
    """
    paths = list(paths)
    files = results_files(paths)
    attempts: list[Attempt] = []
    problems: list[Problem] = []
    for path in files:
        handin = path.suffix.lower() == HANDIN_SUFFIX and path.parent.is_dir()
        if handin and (why := handin_owner_problem(path)):
            if warnings is not None:
                warnings.append(f"warning: {path.as_posix()} left out: {why}")
            continue
        try:
            found = read_file(path)
        except DataError as exc:
            problems += exc.problems
            continue
        if handin:
            user = clean_name(urllib.parse.unquote(path.parent.name))
            for a in found:
                if a.record["learner"] != user:
                    a.record["learner"] = f"{a.record['learner']} ({user})"
        attempts += found
    if problems:
        raise DataError(problems)
    if not files:
        raise DataError([Problem(", ".join(map(str, paths)) or ".",
                                 f"no results-*.csv, results-*.json or <user>/<quiz>{HANDIN_SUFFIX} files found")])
    return attempts


# -- banks -----------------------------------------------------------------------------------

_BANKS: dict[tuple, Bank] = {}


def known_banks(root: Path | str | None = None) -> list[str]:
    """The ids of the quiz banks that exist (``quizzes/*.yaml``)."""
    from mediation_lessons.quiz.bank import BANK_GLOB  # quizzes/NN_slug.yaml; other YAML there is no bank

    root = Path(root) if root else default_root()
    return sorted(p.stem for p in (root / "quizzes").glob(BANK_GLOB) if BANK_ID.fullmatch(p.stem))


def _load_banks(quizzes: Iterable[str], root: Path | str | None, warnings: list[str]) -> dict[str, Bank]:
    """The banks of ``quizzes`` that exist, each loaded once per version of its file. A
    quiz name is only ever looked up among :func:`known_banks`, never opened as a path."""
    from mediation_lessons.corpus import load_corpus
    from mediation_lessons.quiz.bank import bank_path, load_bank

    root = Path(root) if root else default_root()
    known = set(known_banks(root))
    banks: dict[str, Bank] = {}
    corpus = None
    for quiz in sorted(set(quizzes)):
        if quiz not in known:
            warnings.append(f"warning: results for quiz {quiz!r} left out: there is no such quiz "
                            f"(known: {', '.join(sorted(known)) or 'none'})")
            continue
        stat = bank_path(quiz, root).stat()
        key = (str(root.resolve()), quiz, stat.st_mtime_ns, stat.st_size)
        if key not in _BANKS:
            try:
                corpus = corpus or load_corpus(root)
                _BANKS[key] = load_bank(quiz, root, corpus)
            except DataError as exc:
                warnings.append(f"warning: results for quiz {quiz!r} left out: {exc.problems[0]}")
                continue
        banks[quiz] = _BANKS[key]
    return banks


# -- answers as text ---------------------------------------------------------------------------


def _one(text) -> str:
    """A bank string in one cell: the English, and the Chinese after " · " where it differs."""
    return text.en if text.en == text.zh else f"{text.en} · {text.zh}"


def answer_text(q: Question, answer: Any) -> str:
    """What the learner chose, in words (for a spreadsheet): the option texts, True/False,
    items in the order placed, ``left → right`` pairs, the number with its unit, the text typed.
    An answer that does not fit the question gives ``""``."""
    try:
        if q.type in ("single_choice", "evidence"):
            return _option_text(q, answer)
        if q.type == "multiple_choice":
            return "; ".join(_option_text(q, i) for i in sorted(set(answer)))
        if q.type == "true_false":
            return _one_label("true" if answer else "false") if isinstance(answer, bool) else ""
        if q.type == "order":
            return " > ".join(_one(q.items[i]) if _index(i, len(q.items)) else "?" for i in answer)
        if q.type == "match":
            return "; ".join(f"{_one(q.pairs[left].left)} → {_one(q.pairs[i].right) if _index(i, len(q.pairs)) else '?'}"
                             for left, i in enumerate(answer[: len(q.pairs)]))
        if q.type == "numeric":
            if isinstance(answer, bool) or not isinstance(answer, (int, float)):
                return ""
            return f"{answer:g}" + (f" {_one(q.unit)}" if q.unit else "")
        if q.type == "short_text":
            return answer if isinstance(answer, str) else ""
    except (TypeError, ValueError, IndexError):
        return ""
    return ""


def _index(i: Any, n: int) -> bool:
    return isinstance(i, int) and not isinstance(i, bool) and 0 <= i < n


def _option_text(q: Question, i: Any) -> str:
    if not _index(i, len(q.options)):
        return "?"
    option = q.options[i]
    return _one(option.text) if option.text is not None else option.source.quote


def _one_label(key: str) -> str:
    en, zh = label(key, "en"), label(key, "zh")
    return en if en == zh else f"{en} · {zh}"


def answer_fits(q: Question, answer: Any) -> bool:
    """Whether ``answer`` has the shape :func:`grade` expects for ``q.type`` (a forged or
    damaged file may hold anything; ``grade`` itself trusts the widgets)."""
    def idx_list(n, allow_none):
        return isinstance(answer, list) and len(answer) <= 1000 and all(
            (a is None and allow_none) or _index(a, n) for a in answer)

    if q.type in ("single_choice", "evidence"):
        return answer is None or _index(answer, len(q.options))
    if q.type == "multiple_choice":
        return answer is None or idx_list(len(q.options), False)
    if q.type == "true_false":
        return answer is None or isinstance(answer, bool)
    if q.type == "order":
        return answer is None or idx_list(len(q.items), True)
    if q.type == "match":
        return answer is None or idx_list(len(q.pairs), True)
    if q.type == "numeric":
        return answer is None or (isinstance(answer, (int, float)) and not isinstance(answer, bool) and math.isfinite(answer))
    if q.type == "short_text":
        return answer is None or (isinstance(answer, str) and len(answer) <= 10_000)
    return False


# -- merging -----------------------------------------------------------------------------------

ATTEMPT_COLUMNS = ["learner", "quiz", "question", "attempt", "score", "status", "answer", "answer_text",
                   "file_score", "file_status", "time", "file"]


@dataclass
class ClassResults:
    """A class's merged, re-graded attempts.

    ``attempts``: one row per attempt (columns :data:`ATTEMPT_COLUMNS`, then ``answer_id``;
    ``score`` and ``status`` are the bank's grade, ``file_score``/``file_status`` what the
    file said, ``answer`` the raw answer as JSON text, ``answer_text`` the chosen text),
    sorted by quiz, learner, question and attempt; text columns are categorical.
    ``answer_values[answer_id]`` is ``(quiz, question, answer)`` with the answer as a Python
    value. ``banks``: the quizzes the results are for. ``is_first`` / ``is_last``: which
    rows are a learner's first / last attempt at a question.
    """

    attempts: pd.DataFrame
    banks: dict[str, Bank]
    warnings: list[str] = field(default_factory=list)
    answer_values: list = field(default_factory=list)
    is_first: np.ndarray | None = None
    is_last: np.ndarray | None = None

    def learners(self) -> pd.DataFrame:
        """One row per learner and quiz: questions answered, points (the sum of each
        question's last score), percent, passed (against the bank's pass mark)."""
        cols = ["learner", "quiz", "answered", "questions", "points", "percent", "passed"]
        last = self.last_attempts()
        if last.empty:
            return pd.DataFrame(columns=cols)
        g = last.groupby(["quiz", "learner"], sort=True, observed=True)["score"].agg(["size", "sum"]).reset_index()
        quiz = g["quiz"].astype(str)
        total = quiz.map({b: len(bank.questions) for b, bank in self.banks.items()}).astype(int)
        mark = quiz.map({b: bank.pass_mark for b, bank in self.banks.items()}).astype(float)
        out = pd.DataFrame({
            "learner": g["learner"].astype(str), "quiz": quiz, "answered": g["size"].astype(int),
            "questions": total, "points": g["sum"].round(2),
            "percent": (100 * g["sum"] / total).round().astype(int),
            "passed": g["sum"] / total >= mark - 1e-9,
        })
        return out[cols].reset_index(drop=True)

    def questions(self) -> pd.DataFrame:
        """One row per question of each quiz, in quiz order: learners who answered it,
        how many got it fully right and their mean score, on their last attempts."""
        last = self.last_attempts()
        g = pd.DataFrame({"quiz": last["quiz"].astype(str), "question": last["question"].astype(str),
                          "score": last["score"], "right": (last["status"] == CORRECT).astype(int)})
        g = g.groupby(["quiz", "question"]).agg(answered=("score", "size"), correct=("right", "sum"), mean=("score", "mean"))
        rows = []
        for quiz in sorted(self.banks):
            for number, q in enumerate(self.banks[quiz].questions, 1):
                hit = (quiz, q.id) in g.index
                r = g.loc[(quiz, q.id)] if hit else None
                rows.append({"quiz": quiz, "number": number, "question": q.id,
                             "answered": int(r["answered"]) if hit else 0,
                             "correct": int(r["correct"]) if hit else 0,
                             "mean_percent": round(100 * float(r["mean"])) if hit else None})
        out = pd.DataFrame(rows, columns=["quiz", "number", "question", "answered", "correct", "mean_percent"])
        out["mean_percent"] = out["mean_percent"].astype("Int64")
        return out

    def first_attempts(self) -> pd.DataFrame:
        """Each learner's first attempt at each question (what the class knew)."""
        return self.attempts[self.is_first]

    def last_attempts(self) -> pd.DataFrame:
        """Each learner's last attempt at each question (what it learned)."""
        return self.attempts[self.is_last]


def _identities(attempts: list[Attempt]) -> tuple[dict[tuple[str, str, str], str], list[str]]:
    """Who is who: ``(file, learner, quiz) -> shown name``.

    A hand-in is identified by its learner name and its attempt records, not by its file:
    for one name and quiz, files that agree on every attempt they share are one learner
    (CSV and JSON of one student, a later export holding more); a file that disagrees
    with them on a shared attempt comes from another student who typed the same name.
    When a name and quiz has more than one learner, each is shown as ``name [first file]``.
    """
    per: dict[tuple[str, str], dict[str, dict]] = defaultdict(lambda: defaultdict(dict))
    for a in attempts:
        r = a.record
        per[(r["learner"], r["quiz"])][a.file][(r["question"], r["attempt"])] = a.record
    names: dict[tuple[str, str, str], str] = {}
    warnings: list[str] = []
    for (learner, quiz), files in sorted(per.items()):
        clusters: list[tuple[list[str], dict]] = []
        for f in sorted(files):
            records = files[f]
            for members, merged in clusters:
                shared = records.keys() & merged.keys()
                if shared and all(_same(records[k], merged[k]) for k in shared):
                    members.append(f)
                    merged.update(records)
                    break
            else:
                clusters.append(([f], dict(records)))
        if len(clusters) == 1:
            for f in files:
                names[(f, learner, quiz)] = learner
            continue
        for members, _ in clusters:
            shown = f"{learner} [{members[0]}]"
            for f in members:
                names[(f, learner, quiz)] = shown
            warnings.append(f"warning: {', '.join(members)}: learner {learner!r} in quiz {quiz!r} differs from "
                            f"another hand-in of that name (two students with one name?); shown as {shown!r}")
    return names, warnings


def _same(a: dict, b: dict) -> bool:
    return all(a[k] == b[k] for k in FIELDS if k != "learner")


def _codes(values: list, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), sort=sort)
    return codes.astype(np.int64), np.asarray(uniques, dtype=object)


def _labels(attempts: list[Attempt], learner: list[str], lc: np.ndarray, qc: np.ndarray, fc: np.ndarray,
            warnings: list[str]) -> list[str] | None:
    """Each attempt's shown learner (see :func:`_identities`), or None when every name
    and quiz came in one file (or agreeing files) and the names stand. Only the names
    handed in by more than one file for a quiz need the record-by-record comparison."""
    if not attempts:
        return None
    nq, nf = int(qc.max()) + 1, int(fc.max()) + 1
    pair = lc * nq + qc
    pairs_files = np.unique(pair * nf + fc)
    owners, counts = np.unique(pairs_files // nf, return_counts=True)
    several = owners[counts > 1]
    if not len(several):
        return None
    idx = np.flatnonzero(np.isin(pair, several))
    names, found = _identities([attempts[i] for i in idx])
    if not found:
        return None
    warnings += found
    labels = list(learner)
    for i in idx:
        a = attempts[i]
        labels[i] = names[(a.file, learner[i], a.record["quiz"])]
    return labels


def merge(attempts: list[Attempt], root: Path | str | None = None) -> ClassResults:
    """Merge and re-grade the attempts :func:`read_results` returned (vectorised: a class
    of 10,000 learners takes seconds; see ``benchmarks/bench_results.py``)."""
    warnings: list[str] = []
    recs = [a.record for a in attempts]
    quiz = [r["quiz"] for r in recs]
    qc, qu = _codes(quiz)
    banks = _load_banks(qu, root, warnings)
    file = [a.file for a in attempts]
    fc, fu = _codes(file, sort=False)
    learner = [r["learner"] for r in recs]
    lc, lu = _codes(learner)
    relabelled = _labels(attempts, learner, lc, qc, fc, warnings)
    if relabelled is not None:
        learner = relabelled
        lc, lu = _codes(learner)
    kc, ku = _codes([r["question"] for r in recs])
    attempt = np.array([r["attempt"] for r in recs], dtype=np.int64)
    # answers as keys: ints as they are, anything else by repr (which tells 1 from True, 1.0 and "1")
    ac, au = _codes([a if type(a) is int else repr(a) for a in (r["answer"] for r in recs)], sort=False)
    # one row per (learner, quiz, question, attempt), of quizzes that exist; first file wins
    keys = pd.DataFrame({"l": lc, "q": qc, "k": kc, "a": attempt})
    keep = ~keys.duplicated().to_numpy() & np.isin(qc, [i for i, q in enumerate(qu) if q in banks])
    # grade each distinct answer to each question once
    gkey = (qc * len(ku) + kc) * max(len(au), 1) + ac
    ukeys, first_row, uid = np.unique(gkey, return_index=True, return_inverse=True)
    uid = uid.reshape(-1)
    values, uscore, ustatus, utext, ujson, known = [], [], [], [], [], []
    for row in first_row:
        bank = banks.get(quiz[row])
        answer = recs[row]["answer"]
        values.append((quiz[row], recs[row]["question"], answer))
        q = None
        if bank is not None:
            try:
                q = bank.question(recs[row]["question"])
            except KeyError:
                pass
        known.append(q is not None)
        if q is None:
            score, status, text = 0.0, WRONG, ""
        elif answer_fits(q, answer):
            result = grade(q, answer)
            score, status = (result.score, result.status) if result.graded else (0.0, WRONG)
            text = answer_text(q, answer)
        else:
            score, status, text = 0.0, WRONG, answer_text(q, answer)
        uscore.append(round(float(score), 6))
        ustatus.append(GRADED.index(status))
        utext.append(text)
        ujson.append(json.dumps(answer, ensure_ascii=False))
    known_row = np.asarray(known, dtype=bool)[uid] if len(uid) else np.zeros(0, bool)
    in_bank = keep.copy()
    keep &= known_row
    missing: dict[tuple[str, str], set[str]] = defaultdict(set)
    for i in np.flatnonzero(in_bank & ~known_row):
        missing[(quiz[i], recs[i]["question"])].add(learner[i])
    for (qz, question), who in sorted(missing.items()):
        warnings.append(f"warning: quiz {qz!r} has no question {question!r} (changed since?): left out for "
                        + ", ".join(repr(w) for w in sorted(who)))
    score = np.asarray(uscore, dtype=float)[uid] if len(uid) else np.zeros(0)
    status = np.asarray(ustatus, dtype=np.int64)[uid] if len(uid) else np.zeros(0, np.int64)
    file_score = np.array([r["score"] for r in recs], dtype=float)
    status_code = {s: i for i, s in enumerate(GRADED)}
    file_status = np.array([status_code[r["status"]] for r in recs], dtype=np.int64)
    forged = np.flatnonzero(keep & ((np.abs(score - file_score) > 1e-6) | (status != file_status)))
    for i in sorted(forged, key=lambda i: (file[i], attempts[i].line or 0)):
        where = f"{file[i]}:{attempts[i].line}" if attempts[i].line else file[i]
        warnings.append(f"warning: {where}: learner {learner[i]!r}, question {recs[i]['question']!r} attempt "
                        f"{attempt[i]}: the file says {file_score[i]:g} ({GRADED[file_status[i]]}), the bank grades "
                        f"the answer {score[i]:g} ({GRADED[status[i]]}); the bank's grade is used")
    rows = np.flatnonzero(keep)
    rows = rows[np.lexsort((attempt[rows], kc[rows], lc[rows], qc[rows]))]
    jc, ju = _codes(ujson, sort=False)
    tc, tu = _codes(utext, sort=False)
    times = np.array([r["time"] for r in recs], dtype=object)

    def cat(codes, categories):
        return pd.Categorical.from_codes(codes, categories=pd.Index(categories, dtype=object))

    u = uid[rows]
    df = pd.DataFrame({
        "learner": cat(lc[rows], lu), "quiz": cat(qc[rows], qu), "question": cat(kc[rows], ku),
        "attempt": attempt[rows], "score": score[rows], "status": cat(status[rows], list(GRADED)),
        "answer": cat(jc[u], ju), "answer_text": cat(tc[u], tu),
        "file_score": file_score[rows], "file_status": cat(file_status[rows], list(GRADED)),
        "time": pd.Series(times[rows], dtype=object), "file": cat(fc[rows], fu), "answer_id": u,
    })
    group = (qc[rows] * len(lu) + lc[rows]) * len(ku) + kc[rows]
    change = group[1:] != group[:-1]
    is_first = np.concatenate([[True], change]) if len(rows) else np.zeros(0, bool)
    is_last = np.concatenate([change, [True]]) if len(rows) else np.zeros(0, bool)
    return ClassResults(df, banks, warnings, values, is_first, is_last)


def load_class(paths: Iterable[Path | str], root: Path | str | None = None) -> ClassResults:
    """Read, check, merge and re-grade handed-in files and folders (a :class:`DataError`
    lists every problem in them)."""
    warnings: list[str] = []
    results = merge(read_results(paths, warnings), root)
    results.warnings[:0] = warnings
    return results


def class_tables(attempts: list[Attempt], root: Path | str | None = None) -> tuple[pd.DataFrame, pd.DataFrame, list[str]]:
    """(learners, questions, warnings) of the merged, re-graded attempts."""
    results = merge(attempts, root)
    return results.learners(), results.questions(), results.warnings


# -- writing -----------------------------------------------------------------------------------


def csv_text(table: pd.DataFrame) -> str:
    """A table as CSV a teacher can open safely: every text cell through
    :func:`~mediation_lessons.csvcell.safe_cell` (no formulas run), with a BOM so Excel
    reads the Chinese; written without an index."""
    out = table.copy()
    for col in out.columns:
        if isinstance(out[col].dtype, pd.CategoricalDtype):
            out[col] = out[col].astype(object)
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(safe_cell)
    return "\ufeff" + out.to_csv(index=False, lineterminator="\r\n")


def write_all(files: dict[Path, str]) -> list[Path]:
    """Write every file or none: each goes to a temporary file beside it first, and only
    when all are written are they moved into place."""
    done: list[tuple[str, Path]] = []
    try:
        for path, text in files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = str(path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp")
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)  # the umask applies, as to any new file
            done.append((tmp, path))
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
                fh.write(text)
    except BaseException:
        for tmp, _ in done:
            Path(tmp).unlink(missing_ok=True)
        raise
    for tmp, path in done:
        os.replace(tmp, path)
    return [path for _, path in done]
