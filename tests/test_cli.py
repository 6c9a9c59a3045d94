"""`mediation-lessons` as a teacher runs it: exit codes and messages."""

import re
import subprocess
import sys

from helpers import REPO, copy_data, replace_in


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "mediation_lessons.cli", *args],
        capture_output=True, text=True, cwd=cwd, encoding="utf-8",
    )


def test_validate_repository_exits_zero():
    result = run_cli("validate", str(REPO))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_validate_lists_every_problem_and_exits_nonzero(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "documents.yaml", "quote: 美国雷火平台", "quote: 美国雷火平台X")
    replace_in(root / "corpus" / "documents.yaml", "  outlet: 九万里 (named as 来源, source)\n", "")
    raw = root / "corpus" / "raw" / "004_898c8d6cff5ad214.txt"
    raw.write_bytes(raw.read_bytes() + b"\n")
    result = run_cli("validate", str(root))
    assert result.returncode == 1
    err = result.stderr
    assert "known_issues.0.quote" in err and "美国雷火平台X" in err
    assert "'outlet': missing required field" in err
    assert "'us-qatar-revisit-2023': field 'sha256': checksum mismatch" in err
    assert "problem(s) found" in err


def test_validate_a_folder_without_corpus(tmp_path):
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 2
    assert "no corpus/ folder" in result.stderr


def test_clean_regenerates_stale_files(tmp_path):
    root = copy_data(tmp_path)
    stale = root / "corpus" / "clean" / "us-iran-oman-2026.txt"
    stale.write_text("old\n", encoding="utf-8")
    assert run_cli("validate", str(root)).returncode == 1
    result = run_cli("clean", str(root))
    assert result.returncode == 0, result.stderr
    assert (REPO / "corpus" / "clean" / "us-iran-oman-2026.txt").read_text(encoding="utf-8") == stale.read_text(encoding="utf-8")


# -- key: the teacher's answer key ---------------------------------------------------

def test_key_writes_the_keys_it_is_asked_for(tmp_path):
    result = run_cli("key", "01_gaza_talks_2023_2024", "--out", "keys", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "keys" / "answer-key-01_gaza_talks_2023_2024.html").is_file()
    assert result.stdout.strip() == "wrote keys/answer-key-01_gaza_talks_2023_2024.html"


def test_key_unknown_bank_names_the_file_and_the_known_banks(tmp_path):
    result = run_cli("key", "01_gaza_talks_2023_2024", "07_nope", "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert "quizzes/07_nope.yaml: no such quiz bank" in result.stderr and "01_gaza_talks_2023_2024" in result.stderr
    assert not list(tmp_path.glob("*.html")), "nothing written when one bank is wrong"


def test_key_broken_bank_names_file_item_field_and_line(tmp_path):
    root = copy_data(tmp_path / "root")
    replace_in(root / "quizzes" / "02_qatar_as_mediator.yaml", "    level: recall\n", "    level: memory\n", count=1)
    result = run_cli("key", "02_qatar_as_mediator", "--root", str(root), "--out", str(tmp_path), cwd=tmp_path)
    assert result.returncode == 1
    assert re.search(r"quizzes/02_qatar_as_mediator\.yaml:\d+: item '[a-z0-9-]+': field '[\w.]*level': 'memory'", result.stderr), result.stderr
    assert not list(tmp_path.glob("*.html"))


# -- results: a class's exported results ------------------------------------------------

def export(folder, learner, answers):
    """A student's exported CSV; ``answers``: [(question number from 0, right?), ...], graded by the bank."""
    from mediation_lessons.quiz.bank import load_bank
    from mediation_lessons.quiz.grading import grade
    from mediation_lessons.quiz.progress import ProgressStore, export_results
    from mediation_lessons.teacher.sample_class import right_answer, wrong_answers

    store = ProgressStore(folder / f"store-{learner}")
    bank = load_bank("02_qatar_as_mediator")
    for number, right in answers:
        q = bank.questions[number]
        answer = right_answer(q) if right else wrong_answers(q)[-1]
        result = grade(q, answer)
        store.record(learner, "02_qatar_as_mediator", q.id, answer, result.score, result.status)
    return export_results(folder / f"results-02_qatar_as_mediator-{learner}.csv", learner, "02_qatar_as_mediator", store)


def test_results_prints_the_class_and_writes_spreadsheets(tmp_path):
    from mediation_lessons.quiz.bank import load_bank

    first = load_bank("02_qatar_as_mediator").questions[0].id
    export(tmp_path, "Ana", [(0, True)])
    export(tmp_path, "王芳", [(0, False), (1, True)])
    result = run_cli("results", ".", "--out", "class/summary", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0] == "Learners" and any(line.split()[:2] == ["王芳", "02_qatar_as_mediator"] for line in lines)
    assert any(line.split()[2:6] == [first, "2", "1", "50"] for line in lines)
    learners = (tmp_path / "class" / "summary-learners.csv").read_bytes()
    assert learners.startswith(b"\xef\xbb\xbf") and "王芳".encode() in learners  # BOM: Excel reads the Chinese
    assert (tmp_path / "class" / "summary-questions.csv").is_file()


def test_results_with_a_bad_file_exits_one_and_writes_nothing(tmp_path):
    path = export(tmp_path, "Ana", [(0, True)])
    path.write_text(path.read_text(encoding="utf-8-sig").replace(",1,1.0,correct,", ",one,1.0,correct,"), encoding="utf-8")
    result = run_cli("results", path.name, "--out", "summary", cwd=tmp_path)
    assert result.returncode == 1
    assert f"{path.name}:2: item '#1': field 'attempt': expected a whole number from 1 to 1,000,000, got 'one'" in result.stderr
    assert not list(tmp_path.glob("summary-*"))
