"""Bad inputs for the data readers, shared by the property tests and
``benchmarks/fuzz_inputs.py``. Each target takes a ``random.Random`` and must either load
or raise :class:`~mediation_lessons.errors.DataError`; anything else is a bug.

To fuzz another reader (the teacher's results files, for example), add a function of the
same shape to :data:`TARGETS`.
"""

from __future__ import annotations

import json
import random
import shutil
import tempfile
from pathlib import Path
from typing import Callable

REPO = Path(__file__).resolve().parents[1]

# Pieces of YAML that have broken readers before: aliases, tags, merge keys, odd scalars.
SNIPPETS = [
    "&a ", "*a", "&b [*a, *a, *a]", "<<: *a", "!!int ''", "!!float x", "!!python/object:os.system",
    "!foo ", "!!set {}", "!!binary x", "!!timestamp 2025-02-30", "2025-02-30", "2024-13-01", ".nan",
    ".inf", "-.inf", "~", "null", "yes", "0x1F", "1e999", "9" * 5000, "'", '"', "\\", ": ", "- ", "? ",
    "{", "}", "[", "]", "#", "|", ">", "%YAML 1.1\n", "---\n", "...\n", "\t", "\n", "  ", "\x00", "\ufeff",
    "\u2028", "id: x", "questions: []", "type: numeric", "answer: .nan", "file: ../x", "file: /etc/passwd",
    "[" * 60, "]" * 60, "{a: 1, a: 2}", "李华", "<script>", "&amp;",
]


def mutate(rng: random.Random, text: str, edits: int | None = None) -> str:
    """``text`` with a few random insertions, deletions, duplications and line swaps."""
    for _ in range(edits if edits is not None else rng.randint(1, 4)):
        op = rng.random()
        at = rng.randint(0, len(text))
        if op < 0.45:
            text = text[:at] + rng.choice(SNIPPETS) + text[at:]
        elif op < 0.65:
            text = text[:at] + text[at + rng.randint(1, 40):]
        elif op < 0.8:
            lines = text.split("\n")
            i = rng.randrange(len(lines))
            lines.insert(rng.randrange(len(lines) + 1), lines[i])  # a duplicated line: duplicate keys
            text = "\n".join(lines)
        elif op < 0.9:
            lines = text.split("\n")
            i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
            lines[i], lines[j] = lines[j], lines[i]
            text = "\n".join(lines)
        else:
            text = text[:at] + "".join(rng.choice(SNIPPETS) for _ in range(rng.randint(1, 6))) + text[at:]
    return text


def random_yaml(rng: random.Random) -> str:
    return "".join(rng.choice(SNIPPETS + ["a", "b", "x: ", "\n- ", "\n  "]) for _ in range(rng.randint(0, 30)))


def yaml_input(rng: random.Random, base: str) -> str:
    return random_yaml(rng) if rng.random() < 0.15 else mutate(rng, base)


# -- targets ------------------------------------------------------------------------------

_BANK = None


def bank(rng: random.Random) -> None:
    from mediation_lessons.corpus import load_corpus
    from mediation_lessons.quiz.bank import parse_bank

    global _BANK
    if _BANK is None:
        _BANK = (REPO / "quizzes" / "00_start_here.yaml").read_text(encoding="utf-8")
    parse_bank(yaml_input(rng, _BANK), "quizzes/00_start_here.yaml", load_corpus(), expected_id="00_start_here")


class _Root:
    """A private copy of the data, so corpus files can be replaced one at a time."""

    path: Path | None = None

    @classmethod
    def get(cls) -> Path:
        if cls.path is None:
            cls.path = Path(tempfile.mkdtemp(prefix="ml-fuzz-"))
            shutil.copytree(REPO / "corpus", cls.path / "corpus")
        return cls.path


def _with_file(name: str, rng: random.Random, read: Callable[[Path], object]) -> None:
    root = _Root.get()
    path = root / "corpus" / name
    original = (REPO / "corpus" / name).read_text(encoding="utf-8")
    path.write_text(yaml_input(rng, original), encoding="utf-8", errors="surrogatepass")
    try:
        read(root)
    finally:
        path.write_text(original, encoding="utf-8")


def documents(rng: random.Random) -> None:
    from mediation_lessons.corpus import _read_documents, _outside_raw

    def read(root):
        records, _problems, _lines = _read_documents(root)
        for rec in records:  # what _build does next with a record that passed
            if not rec.get("_invalid"):
                _outside_raw(root, root / "corpus" / "raw" / rec["file"])

    _with_file("documents.yaml", rng, read)


def cleaning(rng: random.Random) -> None:
    from mediation_lessons.cleaning import clean_document
    from mediation_lessons.corpus import _read_rules

    def read(root):
        rules, _problems, _lines = _read_rules(root)
        for doc_rules in rules.values():  # what _build does next with rules that passed
            if doc_rules is not None:
                clean_document("标题\n正文。\n", doc_rules)

    _with_file("cleaning.yaml", rng, read)


def events(rng: random.Random) -> None:
    from mediation_lessons.events import _check_dates, _check_reliability, _Table

    def read(root):
        table = _Table(root, "events")
        _check_dates(table)
        _check_reliability(table)

    _with_file("events.yaml", rng, read)


_GOOD_LINE = json.dumps({"learner": "李华", "quiz": "00_start_here", "question": "q", "attempt": 1,
                         "score": 1.0, "status": "correct", "answer": [0], "time": "2026-01-01T00:00:00+00:00"},
                        ensure_ascii=False).encode("utf-8")
_BYTE_SNIPPETS = [b"\n", b"{", b"}", b"[", b"]", b'"', b",", b"\xff", b"\x00", b"NaN", b"1e999", b'{"learner": 1}',
                  b'{"format": "mediation-lessons-progress"}', b"[" * 3000, b"null", b"\r\n"]


def progress(rng: random.Random) -> None:
    """Any bytes in progress.ndjson (or an old progress.json): records are read, damage set aside."""
    from mediation_lessons.quiz.progress import ProgressStore

    data = bytearray(b'{"format": "mediation-lessons-progress", "version": 2}\n' + (_GOOD_LINE + b"\n") * rng.randint(0, 5))
    for _ in range(rng.randint(0, 5)):
        at = rng.randint(0, len(data))
        if rng.random() < 0.6:
            data[at:at] = rng.choice(_BYTE_SNIPPETS)
        else:
            del data[at:at + rng.randint(1, 30)]
    with tempfile.TemporaryDirectory() as tmp:
        name = "progress.json" if rng.random() < 0.2 else "progress.ndjson"
        (Path(tmp) / name).write_bytes(bytes(data))
        store = ProgressStore(tmp)
        store.records()
        store.record("Ada", "00_start_here", "q", 0, 1.0, "correct")
        assert store.warnings == [] or all(w.kind in ("damaged", "set_aside") for w in store.warnings), store.warnings


TARGETS: dict[str, Callable[[random.Random], None]] = {
    "bank": bank,
    "documents.yaml": documents,
    "cleaning.yaml": cleaning,
    "events.yaml": events,
    "progress": progress,
}
