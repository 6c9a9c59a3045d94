"""The progress store: every graded attempt, per learner, quiz, question and attempt.

One file, ``progress.ndjson``, in ``$MEDIATION_LESSONS_DATA`` or the user's data
directory: a header line, then one JSON record per line, appended. (``.ndjson``, not
``.jsonl``: a class folder's hand-ins are ``<user>/<quiz>.jsonl``.)

Why JSON lines and not SQLite: a save appends one line and fsyncs it while holding a file
lock, and a reader reads only the bytes added since its last read, so a save costs the
same at 10 or 100,000 attempts; the file stays one readable, diffable text that a teacher
or a learner can open, and it works on every file system Jupyter runs on (SQLite's
locking is unreliable on the network and synced folders where home directories live).
The guarantees:

- concurrent kernels lose nothing: numbering and appending happen under the lock;
- ``kill -9`` during a save loses at most that record: earlier lines are never rewritten,
  and a torn last line is closed off by the next writer before it appends;
- a damaged line (torn, not JSON, not a record) is set aside alone, into
  ``progress.ndjson.damaged-N``, with a visible :class:`StoreWarning`; every other
  attempt stays;
- temporary files (``.progress.*.tmp``) left by a killed process are removed;
- a ``progress.json`` of the first format is migrated on first read (and kept as
  ``progress.json.migrated``); one that does not parse is moved aside, as before.

If the folder cannot be written, attempts are kept in memory for the session and a
warning says so; they are saved with the next save that succeeds.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import math
import os
import re
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from filelock import FileLock, Timeout

from mediation_lessons.csvcell import safe_cell

DATA_ENV = "MEDIATION_LESSONS_DATA"
FILE_NAME = "progress.ndjson"
OLD_FILE_NAME = "progress.json"  # the first format: one JSON document, rewritten on each save
FORMAT = "mediation-lessons-progress"
VERSION = 2
RECORD_FIELDS = ("learner", "quiz", "question", "attempt", "score", "status", "answer", "time")
LOCK_TIMEOUT = 20  # seconds; a learner's click waits at most this long for another kernel
_HEADER = json.dumps({"format": FORMAT, "version": VERSION}) + "\n"


def data_dir() -> Path:
    """Where progress is kept: ``$MEDIATION_LESSONS_DATA`` or the platform's user data dir."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else Path(platformdirs.user_data_dir("mediation-lessons"))


@dataclass(frozen=True)
class StoreWarning:
    """Something the learner must be told. ``kind``: ``damaged`` (a whole old file set
    aside), ``set_aside`` (damaged lines set aside, the rest kept) or ``unsaved``."""

    kind: str
    detail: str


def _valid_record(rec: Any) -> bool:
    return (
        isinstance(rec, dict)
        and all(k in rec for k in RECORD_FIELDS)
        and all(isinstance(rec[k], str) for k in ("learner", "quiz", "question", "status", "time"))
        and isinstance(rec["attempt"], int) and not isinstance(rec["attempt"], bool) and rec["attempt"] >= 1
        and isinstance(rec["score"], (int, float)) and not isinstance(rec["score"], bool)
        and math.isfinite(rec["score"])
    )


def _parse_all(lines: list[bytes]) -> list[dict] | None:
    """Every line as a record in one parse (ten times faster than line by line), or None
    if any line is not a whole, valid record."""
    if not lines:
        return []
    try:
        records = json.loads(b"[" + b",".join(lines) + b"]")
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    if len(records) != len(lines) or not all(map(_valid_record, records)):
        return None  # e.g. a line "1, 2" reads as two values
    return records


def _parse_line(line: bytes) -> dict | None:
    """One record line, or None if it is not a whole, valid record."""
    try:
        rec = json.loads(line.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return rec if _valid_record(rec) else None


class ProgressStore:
    def __init__(self, directory: Path | str | None = None):
        self.dir = Path(directory) if directory is not None else data_dir()
        self.path = self.dir / FILE_NAME
        self.warnings: list[StoreWarning] = []
        self._pending: list[dict] = []  # attempts not yet on disk (folder not writable)
        self._seen: list[dict] = []     # the file's records, read so far
        self._last: dict[tuple, int] = {}  # last attempt number per (learner, quiz, question)
        self._file: tuple[int, int] | None = None  # (device, inode) of the file read so far
        self._offset = 0                # bytes of it read so far (always at a line end)
        self._tidied = False

    # -- reading --------------------------------------------------------------------
    def records(self, learner: str | None = None, quiz: str | None = None) -> list[dict]:
        """Saved and not-yet-saved attempts, oldest first, filtered by learner and quiz."""
        try:
            with self._lock():
                self._catch_up(repair=True)
        except (OSError, Timeout):
            # cannot lock (e.g. read-only folder): read what is there, judge nothing
            try:
                self._catch_up(repair=False)
            except OSError:
                pass
        return [
            r for r in self._seen + self._pending
            if (learner is None or r["learner"] == learner) and (quiz is None or r["quiz"] == quiz)
        ]

    def _lock(self) -> FileLock:
        self.dir.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.dir / "progress.lock"), timeout=LOCK_TIMEOUT)

    def _forget(self) -> None:
        self._seen, self._last, self._file, self._offset = [], {}, None, 0

    def _catch_up(self, repair: bool) -> None:
        """Read what was appended since the last read. With ``repair`` (the lock is held)
        also tidy up, migrate an old file, and set damaged lines aside."""
        if repair and not self._tidied:
            self._remove_stale_temporaries()
            self._migrate_old_file()
            self._tidied = True
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._forget()
            return
        if self._file != (st.st_dev, st.st_ino) or st.st_size < self._offset:
            self._forget()  # replaced (set aside, migrated) by another kernel: read it again
            self._file = (st.st_dev, st.st_ino)
        if st.st_size == self._offset:
            return
        with open(self.path, "rb") as fh:
            fh.seek(self._offset)
            chunk = fh.read()
        end = chunk.rfind(b"\n") + 1
        whole, torn = chunk[:end], chunk[end:]
        bad: list[bytes] = []
        lines = whole.split(b"\n")[:-1]
        if self._offset == 0 and lines and _is_header(lines[0]):
            lines = lines[1:]
        records = _parse_all(lines)
        if records is None:  # something is damaged: judge line by line
            records = []
            for line in lines:
                rec = _parse_line(line)
                if rec is not None:
                    records.append(rec)
                elif line.strip():
                    bad.append(line)
        last = self._last
        for rec in records:
            key = (rec["learner"], rec["quiz"], rec["question"])
            if last.get(key, 0) < rec["attempt"]:
                last[key] = rec["attempt"]
        self._seen.extend(records)
        self._offset += end
        if torn and repair:
            bad.append(torn)  # a line cut off by a killed save: under the lock, no one is writing it
        if bad and repair:
            self._set_aside(bad)

    def _set_aside(self, bad: list[bytes]) -> None:
        """Move damaged lines into their own file and rewrite the store without them
        (rare, so the cost of a rewrite is paid only when something was damaged)."""
        aside = self._free_name(FILE_NAME)
        aside.write_bytes(b"\n".join(bad) + b"\n")
        self._write_whole(self._seen)
        self.warnings.append(StoreWarning("set_aside", f"{aside.name} ({len(bad)} damaged record(s); all others kept)"))

    def _free_name(self, name: str) -> Path:
        n = 1
        while (aside := self.dir / f"{name}.damaged-{n}").exists():
            n += 1
        return aside

    def _write_whole(self, records: list[dict]) -> None:
        """Replace the file with ``records`` atomically (temporary file + rename)."""
        payload = _HEADER + "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".progress.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        st = os.stat(self.path)
        self._file, self._offset = (st.st_dev, st.st_ino), st.st_size

    def _remove_stale_temporaries(self) -> None:
        # temporaries are made only under the lock, which we hold: any left is from a killed process
        for tmp in self.dir.glob(".progress.*.tmp"):
            tmp.unlink(missing_ok=True)

    def _migrate_old_file(self) -> None:
        """``progress.json`` (format 1) -> ``progress.ndjson``; the old file is kept, renamed."""
        old = self.dir / OLD_FILE_NAME
        if not old.exists():
            return
        raw = old.read_bytes()
        try:
            data = json.loads(raw.decode("utf-8"))
            ok = isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("records"), list)
        except (UnicodeDecodeError, ValueError, RecursionError):
            ok = False
        if not ok:
            aside = self._free_name(OLD_FILE_NAME)
            os.replace(old, aside)
            self.warnings.append(StoreWarning("damaged", aside.name))
            return
        good = [r for r in data["records"] if _valid_record(r)]
        bad = len(data["records"]) - len(good)
        self._forget()
        self._catch_up(repair=False)  # records already in the new file come after the old ones
        self._write_whole(good + self._seen)
        if bad:  # the old file is kept whole, byte for byte, beside the migrated records
            aside = self._free_name(OLD_FILE_NAME)
            os.replace(old, aside)
            self.warnings.append(StoreWarning("set_aside", f"{aside.name} ({bad} damaged record(s); all others kept)"))
        else:
            os.replace(old, self.dir / f"{OLD_FILE_NAME}.migrated")
        self._forget()

    # -- writing --------------------------------------------------------------------
    def record(self, learner: str, quiz: str, question: str, answer: Any, score: float, status: str) -> dict:
        """Save one graded attempt; returns it with its attempt number (1, 2, ...)."""
        rec = {
            "learner": learner, "quiz": quiz, "question": question, "attempt": 0,
            "score": round(float(score), 6), "status": status, "answer": answer,
            "time": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        }
        self._pending.append(rec)
        try:
            with self._lock():
                self._catch_up(repair=True)
                last = dict(self._last)
                self._number(self._pending, last)
                self._append(self._pending)
                self._last = last
                self._seen.extend(self._pending)
                self._pending = []
        except (OSError, Timeout) as exc:
            last = dict(self._last)
            self._number(self._pending, last)
            if not any(w.kind == "unsaved" for w in self.warnings):
                self.warnings.append(StoreWarning("unsaved", f"{self.path}: {exc.__class__.__name__}: {exc}"))
        return rec

    def copy_attempts(self, quiz: str, source: str, target: str) -> int:
        """Give ``target`` a copy of every attempt ``source`` made at ``quiz`` (same
        numbers, answers and times; ``source`` keeps its own). Returns how many."""
        copies = [{**r, "learner": target} for r in self.records(source, quiz)]
        if not copies:
            return 0
        try:
            with self._lock():
                self._catch_up(repair=True)
                self._append(copies)  # appended as they are: the attempt numbers stay
                for r in copies:
                    key = (r["learner"], r["quiz"], r["question"])
                    self._last[key] = max(self._last.get(key, 0), r["attempt"])
                self._seen.extend(copies)
        except (OSError, Timeout) as exc:
            if not any(w.kind == "unsaved" for w in self.warnings):
                self.warnings.append(StoreWarning("unsaved", f"{self.path}: {exc.__class__.__name__}: {exc}"))
        return len(copies)

    @staticmethod
    def _number(new: list[dict], last: dict[tuple, int]) -> None:
        """Attempt numbers continue after those already saved (by any kernel) for that question."""
        for r in new:
            key = (r["learner"], r["quiz"], r["question"])
            last[key] = last.get(key, 0) + 1
            r["attempt"] = last[key]

    def _append(self, records: list[dict]) -> None:
        """Append whole lines and fsync; on failure cut the file back to where it was."""
        payload = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records).encode("utf-8")
        if not self.path.exists():
            self._write_whole([])
        size = self._offset  # _catch_up left it at the end of the last whole line
        with open(self.path, "r+b") as fh:
            try:
                fh.seek(size)
                fh.write(payload)
                fh.truncate()
                fh.flush()
                os.fsync(fh.fileno())
            except BaseException:
                fh.truncate(size)
                raise
        self._offset = size + len(payload)


def _is_header(line: bytes) -> bool:
    try:
        head = json.loads(line)
    except (ValueError, RecursionError):
        return False
    return isinstance(head, dict) and head.get("format") == FORMAT


def latest_attempts(records: list[dict]) -> dict[tuple[str, str, str], dict]:
    """The last attempt of each (learner, quiz, question)."""
    latest: dict[tuple[str, str, str], dict] = {}
    for r in records:
        key = (r["learner"], r["quiz"], r["question"])
        if key not in latest or r["attempt"] >= latest[key]["attempt"]:
            latest[key] = r
    return latest


_UNSAFE_NAME = re.compile(r"[^\w-]+")


def export_stem(quiz: str, learner: str) -> str:
    """The file name (without suffix) of a learner's export: ``results-<quiz>-<name>``.

    Letters and digits of any script are kept; anything else becomes ``_``. When the name
    had to be changed, a short hash of the exact name is added, so two different learners
    (``Li.Wei`` and ``Li Wei``) never write the same file.
    """
    exact = unicodedata.normalize("NFC", learner)
    safe = _UNSAFE_NAME.sub("_", exact).strip("_")[:60] or "learner"
    if safe != exact:
        safe += "-" + hashlib.sha256(learner.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"results-{_UNSAFE_NAME.sub('_', quiz).strip('_')}-{safe}"


def export_results(path: Path | str, learner: str | None = None, quiz: str | None = None, store: ProgressStore | None = None) -> Path:
    """Write results for the teacher: ``.csv`` (one row per attempt) or ``.json`` (attempts
    plus a summary per learner and quiz from each question's last attempt), by the suffix.
    Written whole or not at all (temporary file + rename)."""
    path = Path(path)
    store = store or ProgressStore()
    rows = store.records(learner, quiz)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".json"):
        raise ValueError(f"export to .csv or .json, not {path.name!r}")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        if suffix == ".csv":
            with os.fdopen(fd, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads the Chinese
                writer = csv.DictWriter(fh, fieldnames=RECORD_FIELDS)
                writer.writeheader()
                for r in rows:
                    # a name or answer starting with = + - @ is text, not a spreadsheet formula
                    row = {**{k: r[k] for k in RECORD_FIELDS}, "answer": json.dumps(r["answer"], ensure_ascii=False)}
                    writer.writerow({k: safe_cell(v) for k, v in row.items()})
        else:
            summary: dict[tuple[str, str], dict] = {}
            for (who, which, _q), r in sorted(latest_attempts(rows).items()):
                s = summary.setdefault((who, which), {"learner": who, "quiz": which, "answered": 0, "score_sum": 0.0, "correct": 0})
                s["answered"] += 1
                s["score_sum"] = round(s["score_sum"] + r["score"], 6)
                s["correct"] += r["status"] == "correct"
            payload = {"format": "mediation-lessons-results", "records": rows, "summary": list(summary.values())}
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(json.dumps(payload, ensure_ascii=False, indent=1))
        os.replace(tmp, path)
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path
