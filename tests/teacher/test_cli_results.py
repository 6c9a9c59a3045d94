"""`mediation-lessons results` on a class folder: every file, the report, all or nothing."""

import csv
import io
import re
import shutil
import subprocess
import sys

from helpers import REPO
from mediation_lessons.quiz.handin import hand_in

SAMPLE = REPO / "notebooks" / "teacher" / "sample_class"
QUIZ = "99_test"  # the test bank in the data root of conftest.py


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "mediation_lessons.cli", *args],
                          capture_output=True, text=True, cwd=cwd, encoding="utf-8")


def test_results_of_a_class_folder_write_every_table_and_a_self_contained_report(tmp_path):
    shutil.copytree(SAMPLE, tmp_path / "class")
    env = {"MEDIATION_LESSONS_CONFIG": "/nonexistent", "MEDIATION_LESSONS_CLASS_DIR": str(tmp_path / "class"),
           "MEDIATION_LESSONS_HANDIN_ID": "hub-user", "JUPYTERHUB_USER": "mallory"}
    rec = {"learner": "<script>alert(1)</script>", "quiz": QUIZ, "question": "host", "attempt": 1,
           "score": 1.0, "status": "correct", "answer": "Doha", "time": "2026-03-02T10:00:00+00:00"}  # forged
    assert hand_in(rec, env) is None
    result = run_cli("results", "class", "--out", "out/class", "--report", "out/class.html", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "the bank's grade is used" in result.stderr  # the sample's one forged record
    assert "Quizzes" in result.stdout and "Flagged questions" in result.stdout
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == ["class-attempts.csv", "class-items.csv", "class-learners.csv", "class-questions.csv",
                     "class-quiz.csv", "class.html"]
    items = list(csv.DictReader(io.StringIO((tmp_path / "out" / "class-items.csv").read_text(encoding="utf-8-sig"))))
    assert {r["quiz"] for r in items} == {"01_gaza_talks_2023_2024", "02_qatar_as_mediator", "04_us_iran_oman_2026", QUIZ}
    assert all(0 <= float(r["facility_first"]) <= 1 for r in items if r["facility_first"])
    quiz = list(csv.DictReader(io.StringIO((tmp_path / "out" / "class-quiz.csv").read_text(encoding="utf-8-sig"))))
    assert [r["learners"] for r in quiz] == ["20", "20", "20", "1"] and all(r["alpha"] for r in quiz[:3])
    page = (tmp_path / "out" / "class.html").read_text(encoding="utf-8")
    assert "<script>" not in page and "learner &#x27;&lt;script&gt;alert(1)&lt;/script&gt; (mallory)&#x27;" in page
    assert page.count('src="data:image/png;base64,') == 3
    assert not re.search(r'(src|href)="(?!data:)', page), "the page loads nothing from outside"
    for flag in ("too easy", "unchosen distractor"):
        assert f"<td>{flag}</td>" in page
    first = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    result = run_cli("results", "class", "--out", "out/class", "--report", "out/class.html", cwd=tmp_path)
    assert {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()} == first, "output is deterministic"
