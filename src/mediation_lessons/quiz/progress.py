"""The progress store: every graded attempt, per learner, quiz, question and attempt.

One JSON file, ``progress.json``, in ``$MEDIATION_LESSONS_DATA`` or the user's data
directory. Every write re-reads the file, merges and replaces it atomically (temporary
file + ``os.replace``) while holding a file lock, so kernels writing at the same time lose
nothing. A file that does not parse is moved aside (``progress.json.damaged-1``, ...)
and a fresh one started: nothing is deleted. If the folder cannot be written, attempts
are kept in memory for the session and a warning says so.
"""

from __future__ import annotations

import csv
import datetime
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import platformdirs
from filelock import FileLock, Timeout

DATA_ENV = "MEDIATION_LESSONS_DATA"
FILE_NAME = "progress.json"
FORMAT = "mediation-lessons-progress"
RECORD_FIELDS = ("learner", "quiz", "question", "attempt", "score", "status", "answer", "time")
LOCK_TIMEOUT = 20  # seconds; a learner's click waits at most this long for another kernel


def data_dir() -> Path:
    """Where progress is kept: ``$MEDIATION_LESSONS_DATA`` or the platform's user data dir."""
    env = os.environ.get(DATA_ENV)
    return Path(env) if env else Path(platformdirs.user_data_dir("mediation-lessons"))


@dataclass(frozen=True)
class StoreWarning:
    """Something the learner must be told. ``kind``: ``damaged`` or ``unsaved``."""

    kind: str
    detail: str


def _valid_record(rec: Any) -> bool:
    return (
        isinstance(rec, dict)
        and all(k in rec for k in RECORD_FIELDS)
        and all(isinstance(rec[k], str) for k in ("learner", "quiz", "question", "status", "time"))
        and isinstance(rec["attempt"], int)
        and isinstance(rec["score"], (int, float))
    )


class ProgressStore:
    def __init__(self, directory: Path | str | None = None):
        self.dir = Path(directory) if directory is not None else data_dir()
        self.path = self.dir / FILE_NAME
        self.warnings: list[StoreWarning] = []
        self._pending: list[dict] = []  # attempts not yet on disk (folder not writable)
        self._seen: list[dict] = []     # the file's records at the last read

    # -- reading --------------------------------------------------------------------
    def records(self, learner: str | None = None, quiz: str | None = None) -> list[dict]:
        """Saved and not-yet-saved attempts, oldest first, filtered by learner and quiz."""
        try:
            with self._lock():
                self._seen = self._read()
        except (OSError, Timeout):
            # cannot lock (e.g. read-only folder): read what is there without the lock
            try:
                self._seen = self._read(move_damaged=False)
            except OSError:
                pass
        return [
            r for r in self._seen + self._pending
            if (learner is None or r["learner"] == learner) and (quiz is None or r["quiz"] == quiz)
        ]

    def _lock(self) -> FileLock:
        self.dir.mkdir(parents=True, exist_ok=True)
        return FileLock(str(self.path) + ".lock", timeout=LOCK_TIMEOUT)

    def _read(self, move_damaged: bool = True) -> list[dict]:
        if not self.path.exists():
            return []
        raw = self.path.read_bytes()
        try:
            data = json.loads(raw.decode("utf-8"))
            ok = isinstance(data, dict) and data.get("format") == FORMAT and isinstance(data.get("records"), list)
            ok = ok and all(_valid_record(r) for r in data["records"])
        except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            ok = False
        if ok:
            return data["records"]
        if move_damaged:
            self._move_aside()
        return []

    def _move_aside(self) -> None:
        """Keep the damaged file beside the new one under the first free name."""
        n = 1
        while (aside := self.path.with_name(f"{FILE_NAME}.damaged-{n}")).exists():
            n += 1
        os.replace(self.path, aside)
        self.warnings.append(StoreWarning("damaged", aside.name))

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
                self._seen = self._read()
                self._number(self._pending, self._seen)
                self._write(self._seen + self._pending)
                self._seen = self._seen + self._pending
                self._pending = []
        except (OSError, Timeout) as exc:
            self._number([rec], self._seen + self._pending[:-1])
            if not any(w.kind == "unsaved" for w in self.warnings):
                self.warnings.append(StoreWarning("unsaved", f"{self.path}: {exc.__class__.__name__}: {exc}"))
        return rec

    def copy_attempts(self, quiz: str, source: str, target: str) -> int:
        """Give ``target`` a copy of every attempt ``source`` made at ``quiz`` (same
        numbers, answers and times; ``source`` keeps its own). Returns how many."""
        copies = [{**r, "learner": target} for r in self.records(source, quiz)]
        if not copies:
            return 0
        self._pending.extend(copies)
        try:
            with self._lock():
                self._seen = self._read()
                self._write(self._seen + self._pending)
                self._seen = self._seen + self._pending
                self._pending = []
        except (OSError, Timeout) as exc:
            if not any(w.kind == "unsaved" for w in self.warnings):
                self.warnings.append(StoreWarning("unsaved", f"{self.path}: {exc.__class__.__name__}: {exc}"))
        return len(copies)

    @staticmethod
    def _number(new: list[dict], existing: list[dict]) -> None:
        """Attempt numbers continue after those already saved (by any kernel) for that question."""
        last: dict[tuple, int] = {}
        for r in existing:
            key = (r["learner"], r["quiz"], r["question"])
            last[key] = max(last.get(key, 0), r["attempt"])
        for r in new:
            key = (r["learner"], r["quiz"], r["question"])
            last[key] = last.get(key, 0) + 1
            r["attempt"] = last[key]

    def _write(self, records: list[dict]) -> None:
        payload = json.dumps({"format": FORMAT, "version": 1, "records": records}, ensure_ascii=False, indent=1)
        fd, tmp = tempfile.mkstemp(dir=self.dir, prefix=".progress.", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as fh:
                fh.write(payload)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def latest_attempts(records: list[dict]) -> dict[tuple[str, str, str], dict]:
    """The last attempt of each (learner, quiz, question)."""
    latest: dict[tuple[str, str, str], dict] = {}
    for r in records:
        key = (r["learner"], r["quiz"], r["question"])
        if key not in latest or r["attempt"] >= latest[key]["attempt"]:
            latest[key] = r
    return latest


def export_results(path: Path | str, learner: str | None = None, quiz: str | None = None, store: ProgressStore | None = None) -> Path:
    """Write results for the teacher: ``.csv`` (one row per attempt) or ``.json`` (attempts
    plus a summary per learner and quiz from each question's last attempt), by the suffix."""
    path = Path(path)
    store = store or ProgressStore()
    rows = store.records(learner, quiz)
    if path.suffix.lower() == ".csv":
        with open(path, "w", encoding="utf-8-sig", newline="") as fh:  # BOM: Excel reads the Chinese
            writer = csv.DictWriter(fh, fieldnames=RECORD_FIELDS)
            writer.writeheader()
            for r in rows:
                writer.writerow({**{k: r[k] for k in RECORD_FIELDS}, "answer": json.dumps(r["answer"], ensure_ascii=False)})
    elif path.suffix.lower() == ".json":
        summary: dict[tuple[str, str], dict] = {}
        for (who, which, _q), r in sorted(latest_attempts(rows).items()):
            s = summary.setdefault((who, which), {"learner": who, "quiz": which, "answered": 0, "score_sum": 0.0, "correct": 0})
            s["answered"] += 1
            s["score_sum"] = round(s["score_sum"] + r["score"], 6)
            s["correct"] += r["status"] == "correct"
        payload = {"format": "mediation-lessons-results", "records": rows, "summary": list(summary.values())}
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    else:
        raise ValueError(f"export to .csv or .json, not {path.name!r}")
    return path
