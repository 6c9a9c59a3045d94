"""Hand-in folders of arbitrary files for property tests: the results merge must accept
them or raise DataError, never anything else. Shared by test_results_properties.py and
benchmarks/fuzz_results.py (the long run). Both need the test bank 99_test in the data
root: :func:`make_data_root` makes one."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from pathlib import Path

from hypothesis import strategies as st

from mediation_lessons.errors import DataError
from mediation_lessons.teacher.analysis import analyse, flags
from mediation_lessons.teacher.results import FIELDS, csv_text, load_class

QUIZ = "99_test"  # tests/quiz/quiz_support.py's bank: every question type
QUESTIONS = ["single", "multi", "tf", "order-it", "match-it", "votes", "hostages", "host", "evidence-it"]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=12,
)
names = st.sampled_from(["Ana", "王芳", "=cmd|' /C calc'!A0", "+1", "-1", "@x", "\tTab", "Li\r\nWei", "Bob"]) | st.text(min_size=1, max_size=10)
answers = st.sampled_from([0, 1, 2, 14, 105, "Oman", "Doha", [0, 1], [1, 0, 2], [0, 1, 2, 3, 4], False, True, None, 3.5, [], [[0]], {"a": 1}])
# values a record may validly hold (the merge still has to cope: unknown quizzes and
# questions, answers that fit no question, scores that disagree with the answer)
valid = {
    "learner": names,
    "quiz": st.sampled_from([QUIZ, QUIZ, QUIZ, "01_gaza_talks_2023_2024", "98_unknown"]),
    "question": st.sampled_from(QUESTIONS + ["no-such-question"]),
    "attempt": st.integers(1, 3),
    "score": st.sampled_from([0.0, 0.5, 1.0, 1, 0]) | st.floats(0, 1),
    "status": st.sampled_from(["correct", "partial", "wrong"]),
    "answer": answers | answers | json_values,
    "time": st.just("2026-03-02T09:00:00+00:00") | st.text(max_size=5),
}
# values a record must not hold
invalid = {
    "learner": st.sampled_from(["", " ", "\r\n", "a" * 300]) | json_values,
    "quiz": st.sampled_from(["../../etc/passwd", "x.yaml", "", "/abs", ".hidden"]) | json_values,
    "question": st.sampled_from(["../q", "", "a b"]) | json_values,
    "attempt": st.sampled_from([0, -1, True, 10**7, 1.5, "1"]),
    "score": st.sampled_from([2.0, -0.1, float("nan"), float("inf"), True, "1"]),
    "status": st.sampled_from(["great", "", "CORRECT"]) | json_values,
    "answer": json_values,
    "time": json_values,
}


@st.composite
def records(draw):
    """Mostly valid records; some with one bad field, a missing or an extra one; a few anything."""
    rec = {field: draw(valid[field]) for field in FIELDS}
    mode = draw(st.integers(0, 29))
    if mode in (27, 28):
        field = draw(st.sampled_from(FIELDS))
        choice = draw(st.integers(0, 2))
        if choice == 0:
            rec[field] = draw(invalid[field])
        elif choice == 1:
            del rec[field]
        else:
            rec[draw(st.text(max_size=6))] = draw(json_values)
    elif mode == 29:
        return draw(json_values)
    return rec


encodings = st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8-sig", "utf-16", "gbk", "gb18030", "latin-1"])
json_encodings = st.sampled_from(["utf-8"] * 8 + ["utf-8-sig", "utf-16", "gbk"])


@st.composite
def results_files(draw):
    """(relative path, bytes) of one handed-in file: JSON, CSV, JSONL or noise."""
    kind = draw(st.sampled_from(["json", "csv", "jsonl"] * 5 + ["noise"]))
    recs = draw(st.lists(records(), max_size=5))
    if kind == "json":
        payload = {"format": "mediation-lessons-results", "records": recs}
        if not draw(st.integers(0, 15)):
            payload = draw(json_values)
        text = json.dumps(payload, ensure_ascii=draw(st.booleans()), indent=draw(st.sampled_from([None, 1])))
        if not draw(st.integers(0, 15)):
            cut = draw(st.integers(0, len(text)))
            text = text[:cut] + draw(st.text(max_size=5)) + text[cut:]
        if not draw(st.integers(0, 20)):
            text = '{"format": "mediation-lessons-results", "records": ' + "[" * draw(st.integers(30, 3000)) + text
        return f"results-x{draw(st.integers(0, 3))}.json", text.encode(draw(json_encodings), errors="replace")
    if kind == "csv":
        out = io.StringIO()
        writer = csv.writer(out, delimiter=draw(st.sampled_from([",", ",", ",", "\t", ";"])))
        header = list(FIELDS) if draw(st.integers(0, 15)) else draw(st.lists(st.text(max_size=6), max_size=9))
        writer.writerow(header)
        for r in recs:
            if isinstance(r, dict):
                cells = [json.dumps(r[f], ensure_ascii=False) if f == "answer" and f in r else str(r.get(f, "")) for f in FIELDS]
            else:
                cells = [str(r)]
            if not draw(st.integers(0, 20)):
                cells = draw(st.lists(st.text(max_size=8), max_size=10))
            writer.writerow(cells)
        return f"results-y{draw(st.integers(0, 3))}.csv", out.getvalue().encode(draw(encodings), errors="replace")
    if kind == "jsonl":
        lines = [json.dumps(r, ensure_ascii=False) for r in recs]
        if not draw(st.integers(0, 15)):
            lines.append(draw(st.text(max_size=20)))
        user = draw(st.sampled_from(["alice", "bob", "王", "%2E"]))
        return f"{user}/{draw(st.sampled_from([QUIZ, 'x']))}.jsonl", "\n".join(lines).encode("utf-8", errors="replace")
    return f"results-z{draw(st.integers(0, 3))}.{draw(st.sampled_from(['csv', 'json']))}", draw(st.binary(max_size=60))


class_folders = st.lists(results_files(), min_size=1, max_size=3)


def make_data_root(folder: Path) -> Path:
    """A data root in ``folder``: the repository's corpus and banks, and the test bank."""
    import sys

    tests = Path(__file__).resolve().parents[1]
    sys.path[:0] = [str(tests), str(tests / "quiz")]
    from helpers import copy_data
    from quiz_support import BANK

    root = copy_data(folder)
    (root / "quizzes" / f"{QUIZ}.yaml").write_text(BANK, encoding="utf-8")
    return root


def check_folder(files) -> str | None:
    """Write ``files`` into a fresh folder and merge it. Returns None when the result is
    acceptable (tables, or a DataError); raises on anything unexpected."""
    with tempfile.TemporaryDirectory() as tmp:
        for rel, data in files:
            path = Path(tmp) / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(data)
        try:
            results = load_class([tmp])
        except DataError as exc:
            assert exc.problems and all(p.file for p in exc.problems)
            return None
        assert ((results.attempts["score"] >= 0) & (results.attempts["score"] <= 1)).all()
        assert set(results.attempts["quiz"].astype(str)) <= set(results.banks)
        items, quizzes = analyse(results)
        flags(items)
        for table in (results.learners(), results.questions(), results.attempts, items, quizzes):
            text = csv_text(table)
            for row in csv.reader(io.StringIO(text[1:])):
                assert not any(cell.startswith(("=", "+", "@", "\t", "\r")) for cell in row), row
    return None
