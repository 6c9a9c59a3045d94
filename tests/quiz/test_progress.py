"""Progress: restart, concurrent kernels, damaged file, unwritable folder, export."""

import csv
import json
import multiprocessing
import os

import pytest

from mediation_lessons.quiz.progress import ProgressStore, export_results, latest_attempts
from quiz_support import make_quiz


def card(quiz, question_id):
    return next(c for c in quiz.cards if c.q.id == question_id)


def answer_some(quiz):
    single = card(quiz, "single")
    single.set_answer(1)
    single.check()
    single.retry()
    single.set_answer(0)
    single.check()
    multi = card(quiz, "multi")
    multi.set_answer([0])
    multi.check()
    order = card(quiz, "order-it")
    order.set_answer([1, 0, 2, 3])
    order.check()


def test_restart_restores_answers_attempts_and_score(data_dir):
    first = make_quiz(data_dir, learner="Ada")
    answer_some(first)
    summary = first.summary()
    # a kernel restart: nothing survives but the file
    again = make_quiz(data_dir, learner="Ada")
    assert again.summary() == summary
    single = card(again, "single")
    assert single.attempts == 2 and single.result.correct and single.radio.value == 0 and single.radio.disabled
    assert single.feedback_text.startswith("Correct") and single.explanation_text
    assert card(again, "multi").feedback_text.startswith("Partly right")
    assert [card(again, "order-it").selectors[i].value for i in range(4)] == [1, 0, 2, 3]
    assert card(again, "tf").result is None and card(again, "tf").attempts == 0
    assert again.score_text == first.score_text
    # another learner starts fresh
    other = make_quiz(data_dir, learner="Bo")
    assert other.summary()["answered"] == 0


def test_records_hold_learner_quiz_question_attempt_and_answer(data_dir):
    quiz = make_quiz(data_dir, learner="Ada")
    answer_some(quiz)
    data = json.loads((data_dir / "progress.json").read_text(encoding="utf-8"))
    assert data["format"] == "mediation-lessons-progress"
    singles = [r for r in data["records"] if r["question"] == "single"]
    assert [(r["learner"], r["quiz"], r["attempt"], r["answer"], r["status"]) for r in singles] == [
        ("Ada", "99_test", 1, 1, "wrong"), ("Ada", "99_test", 2, 0, "correct"),
    ]
    assert all(r["time"].endswith("+00:00") for r in data["records"])
    assert not list(data_dir.glob("*.tmp"))  # temp files are replaced, not left behind


def test_a_saved_answer_that_no_longer_fits_the_bank_is_ignored(data_dir):
    store = ProgressStore(data_dir)
    store.record("learner", "99_test", "single", 99, 1.0, "correct")      # option 99 does not exist
    store.record("learner", "99_test", "order-it", "oops", 1.0, "correct")
    quiz = make_quiz(data_dir)
    assert card(quiz, "single").result is None and card(quiz, "order-it").result is None


def _writer(args):
    directory, learner, count = args
    store = ProgressStore(directory)
    for i in range(count):
        store.record(learner, "99_test", f"q{i % 3}", i, 1.0, "correct")


def test_concurrent_writers_lose_nothing(data_dir):
    writers, each = 4, 25
    ctx = multiprocessing.get_context("spawn" if os.name == "nt" else "fork")
    with ctx.Pool(writers) as pool:
        pool.map(_writer, [(str(data_dir), f"kernel-{k}", each) for k in range(writers)])
    records = ProgressStore(data_dir).records()
    assert len(records) == writers * each
    for k in range(writers):
        for q in range(3):
            attempts = sorted(r["attempt"] for r in records if r["learner"] == f"kernel-{k}" and r["question"] == f"q{q}")
            assert attempts == list(range(1, len(attempts) + 1))  # numbered without gaps or repeats


def test_concurrent_writers_same_learner_get_distinct_attempts(data_dir):
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(3) as pool:
        pool.map(_writer, [(str(data_dir), "shared", 10)] * 3)
    records = ProgressStore(data_dir).records(learner="shared")
    assert len(records) == 30
    for q in range(3):
        attempts = sorted(r["attempt"] for r in records if r["question"] == f"q{q}")
        assert attempts == list(range(1, len(attempts) + 1))


@pytest.mark.parametrize("damage", [b"{not json", b'{"format": "other", "records": []}', b"\xff\xfe", b'{"format": "mediation-lessons-progress", "records": [{"learner": 1}]}'])
def test_damaged_file_is_moved_aside_with_a_visible_warning(data_dir, damage):
    data_dir.mkdir(parents=True)
    (data_dir / "progress.json").write_bytes(damage)
    quiz = make_quiz(data_dir)
    assert (data_dir / "progress.json.damaged-1").read_bytes() == damage  # kept, byte for byte
    assert "progress file was damaged" in quiz.warning_text and "progress.json.damaged-1" in quiz.warning_text
    assert "ml-warning" in quiz.warning._dom_classes
    c = card(quiz, "single")
    c.set_answer(0)
    c.check()
    assert len(ProgressStore(data_dir).records()) == 1  # a fresh file works
    quiz.set_language("zh")
    assert "进度文件已损坏" in quiz.warning_text


def test_a_second_damaged_file_does_not_overwrite_the_first(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / "progress.json.damaged-1").write_text("older damage")
    (data_dir / "progress.json").write_text("newer damage")
    ProgressStore(data_dir).records()
    assert (data_dir / "progress.json.damaged-1").read_text() == "older damage"
    assert (data_dir / "progress.json.damaged-2").read_text() == "newer damage"


def test_unwritable_folder_quiz_works_and_warns(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    data_dir = blocker / "progress"  # cannot be created, even by root
    quiz = make_quiz(data_dir)
    c = card(quiz, "single")
    c.set_answer(1)
    c.check()
    c.retry()
    c.set_answer(0)
    c.check()
    assert c.feedback_text.startswith("Correct") and c.attempts == 2
    assert "progress cannot be saved" in quiz.warning_text
    assert quiz.summary()["answered"] == 1
    # kept in memory for the session: export still has them
    out = export_results(tmp_path / "out.json", store=quiz.store)
    assert len(json.loads(out.read_text(encoding="utf-8"))["records"]) == 2


def test_failed_replace_keeps_the_old_file_and_saves_later(data_dir, monkeypatch):
    store = ProgressStore(data_dir)
    store.record("Ada", "99_test", "single", 0, 1.0, "correct")
    real_replace = os.replace

    def refuse(*args):
        raise PermissionError("read-only")

    monkeypatch.setattr(os, "replace", refuse)
    store.record("Ada", "99_test", "multi", [0], 0.5, "partial")
    assert [w.kind for w in store.warnings] == ["unsaved"]
    assert len(ProgressStore(data_dir).records()) == 1  # the old file is intact
    monkeypatch.setattr(os, "replace", real_replace)
    store.record("Ada", "99_test", "tf", True, 0.0, "wrong")
    saved = ProgressStore(data_dir).records()
    assert [r["question"] for r in saved] == ["single", "multi", "tf"]  # the unsaved one caught up
    assert not list(data_dir.glob("*.tmp"))


def test_export_csv_and_json_for_the_teacher(data_dir, tmp_path):
    quiz = make_quiz(data_dir, learner="Ada")
    answer_some(quiz)
    make_quiz(data_dir, learner="Bo").cards[0].set_answer(2)
    csv_path = export_results(tmp_path / "all.csv")
    with open(csv_path, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 4 and rows[0].keys() >= {"learner", "quiz", "question", "attempt", "score", "answer"}
    assert json.loads(rows[2]["answer"]) == [0]
    only_ada = json.loads(export_results(tmp_path / "ada.json", learner="Ada").read_text(encoding="utf-8"))
    assert only_ada["summary"] == [{"learner": "Ada", "quiz": "99_test", "answered": 3, "score_sum": pytest.approx(1 + 0.5 + 5 / 6), "correct": 1}]
    with pytest.raises(ValueError, match="csv or .json"):
        export_results(tmp_path / "x.xlsx")


def test_latest_attempt_wins():
    records = [
        {"learner": "a", "quiz": "q", "question": "x", "attempt": 1, "score": 0},
        {"learner": "a", "quiz": "q", "question": "x", "attempt": 2, "score": 1},
    ]
    assert latest_attempts(records)[("a", "q", "x")]["score"] == 1
