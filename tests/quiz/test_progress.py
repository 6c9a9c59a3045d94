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
    header, *lines = (data_dir / "progress.ndjson").read_text(encoding="utf-8").splitlines()
    assert json.loads(header) == {"format": "mediation-lessons-progress", "version": 2}
    data = {"records": [json.loads(line) for line in lines]}
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
    writers, each = 8, 200
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


def test_failed_save_keeps_the_old_file_and_saves_later(data_dir, monkeypatch):
    store = ProgressStore(data_dir)
    store.record("Ada", "99_test", "single", 0, 1.0, "correct")
    real_fsync = os.fsync

    def refuse(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", refuse)
    store.record("Ada", "99_test", "multi", [0], 0.5, "partial")
    assert [w.kind for w in store.warnings] == ["unsaved"]
    assert len(ProgressStore(data_dir).records()) == 1  # the half-written line was cut off again
    monkeypatch.setattr(os, "fsync", real_fsync)
    store.record("Ada", "99_test", "tf", True, 0.0, "wrong")
    saved = ProgressStore(data_dir).records()
    assert [r["question"] for r in saved] == ["single", "multi", "tf"]  # the unsaved one caught up
    assert not list(data_dir.glob("*.tmp")) and not list(data_dir.glob("*.damaged-*"))


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


# -- the append-only store (issue 15) -----------------------------------------------------

def _saves(store, n, learner="Ada"):
    for i in range(n):
        store.record(learner, "99_test", f"q{i % 7}", i, 1.0, "correct")


def test_one_damaged_line_costs_only_that_line(data_dir):
    _saves(ProgressStore(data_dir), 5)
    path = data_dir / "progress.ndjson"
    lines = path.read_bytes().split(b"\n")
    lines[3] = b'{"learner": "Ada", "quiz": "99_te'  # a line cut in the middle
    lines.insert(5, b"\xff\xfe not even text")
    path.write_bytes(b"\n".join(lines))
    store = ProgressStore(data_dir)
    records = store.records()
    assert len(records) == 4 and [r["answer"] for r in records] == [0, 1, 3, 4]
    [warning] = store.warnings
    assert warning.kind == "set_aside" and "progress.ndjson.damaged-1" in warning.detail and "2 damaged" in warning.detail
    assert (data_dir / "progress.ndjson.damaged-1").read_bytes() == b'{"learner": "Ada", "quiz": "99_te\n\xff\xfe not even text\n'
    # set aside once: the store is clean again, and saving goes on
    again = ProgressStore(data_dir)
    assert len(again.records()) == 4 and again.warnings == []
    again.record("Ada", "99_test", "q2", 9, 1.0, "correct")
    assert len(ProgressStore(data_dir).records()) == 5


def test_the_quiz_shows_a_set_aside_warning_and_keeps_the_rest(data_dir):
    store = ProgressStore(data_dir)
    store.record("learner", "99_test", "single", 0, 1.0, "correct")
    with open(data_dir / "progress.ndjson", "ab") as fh:
        fh.write(b"[1, 2]\n")
    quiz = make_quiz(data_dir)
    assert card(quiz, "single").result.correct  # the good record is restored
    assert "damaged" in quiz.warning_text and "progress.ndjson.damaged-1" in quiz.warning_text


def test_a_torn_last_line_is_closed_off_before_the_next_save(data_dir):
    _saves(ProgressStore(data_dir), 3)
    with open(data_dir / "progress.ndjson", "ab") as fh:
        fh.write(b'{"learner": "Ada", "quiz"')  # kill -9 in the middle of a save
    store = ProgressStore(data_dir)
    store.record("Ada", "99_test", "q0", 99, 1.0, "correct")
    records = ProgressStore(data_dir).records()
    assert [r["answer"] for r in records] == [0, 1, 2, 99] and records[-1]["attempt"] == 2


def test_old_format_file_is_migrated_on_first_read(data_dir):
    data_dir.mkdir(parents=True)
    old = [{"learner": "Ada", "quiz": "99_test", "question": "single", "attempt": 1, "score": 1.0,
            "status": "correct", "answer": 0, "time": "2026-01-01T00:00:00+00:00"}]
    (data_dir / "progress.json").write_text(json.dumps({"format": "mediation-lessons-progress", "version": 1, "records": old}), encoding="utf-8")
    store = ProgressStore(data_dir)
    assert store.records() == old and store.warnings == []
    assert (data_dir / "progress.json.migrated").is_file() and not (data_dir / "progress.json").exists()
    store.record("Ada", "99_test", "single", 1, 0.0, "wrong")
    assert [r["attempt"] for r in ProgressStore(data_dir).records()] == [1, 2]


def test_old_format_file_with_one_bad_record_keeps_the_others(data_dir):
    data_dir.mkdir(parents=True)
    good = {"learner": "Ada", "quiz": "99_test", "question": "single", "attempt": 1, "score": 1.0,
            "status": "correct", "answer": 0, "time": "2026-01-01T00:00:00+00:00"}
    raw = json.dumps({"format": "mediation-lessons-progress", "records": [good, {"learner": 1}]}).encode()
    (data_dir / "progress.json").write_bytes(raw)
    store = ProgressStore(data_dir)
    assert store.records() == [good] and store.warnings[0].kind == "set_aside"
    assert (data_dir / "progress.json.damaged-1").read_bytes() == raw


def test_stale_temporary_files_are_removed(data_dir):
    data_dir.mkdir(parents=True)
    (data_dir / ".progress.abc123.tmp").write_text("left by a killed kernel")
    ProgressStore(data_dir).records()
    assert not list(data_dir.glob(".progress.*.tmp"))


def _save_forever(directory):
    store = ProgressStore(directory)
    i = 0
    while True:
        store.record("killed", "99_test", f"q{i % 3}", "x" * 2000, 1.0, "correct")
        i += 1


def test_kill_9_during_saves_never_loses_earlier_records(data_dir):
    import signal
    import time

    ctx = multiprocessing.get_context("fork")
    saved_before = 0
    for _round in range(6):
        proc = ctx.Process(target=_save_forever, args=(str(data_dir),))
        proc.start()
        time.sleep(0.15 + 0.05 * _round)
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        store = ProgressStore(data_dir)
        records = store.records()
        # every record written before this round is still there, at most one torn line set aside
        assert len(records) >= saved_before
        assert len(list(data_dir.glob("progress.ndjson.damaged-*"))) <= _round + 1
        for q in range(3):
            attempts = [r["attempt"] for r in records if r["question"] == f"q{q}"]
            assert attempts == list(range(1, len(attempts) + 1))
        saved_before = len(records)
    assert saved_before > 0


def test_a_save_reads_only_what_was_appended(data_dir, monkeypatch):
    store = ProgressStore(data_dir)
    _saves(store, 50)
    read = []
    real_open = open

    def counting_open(file, mode="r", *args, **kwargs):
        fh = real_open(file, mode, *args, **kwargs)
        if "progress.ndjson" in str(file) and "r" in mode:
            real_read = fh.read
            fh.read = lambda *a: read.append(len(data := real_read(*a))) or data
        return fh

    import builtins
    monkeypatch.setattr(builtins, "open", counting_open)
    other = ProgressStore(data_dir)
    other.records()
    store.record("Ada", "99_test", "q1", 1, 1.0, "correct")  # reads only what `other` never wrote: nothing
    other.record("Bo", "99_test", "q1", 1, 1.0, "correct")    # reads only the one line `store` added
    assert read[0] > 3000 and sum(read[1:]) < 400, read


@pytest.mark.parametrize("first, second", [("Li.Wei", "Li Wei"), ("a/b", "a_b"), ("李 伟", "李_伟"), ("", "learner")])
def test_two_learner_names_never_share_an_export_file(first, second):
    from mediation_lessons.quiz.progress import export_stem

    assert export_stem("99_test", first) != export_stem("99_test", second)
    assert "/" not in export_stem("99_test", "../../etc/passwd") and ".." not in export_stem("99_test", "..")


def test_export_keeps_letters_of_any_script_and_is_stable():
    from mediation_lessons.quiz.progress import export_stem

    assert export_stem("01_x", "王小明") == "results-01_x-王小明"
    assert export_stem("01_x", "Li.Wei") == export_stem("01_x", "Li.Wei")
    assert export_stem("01_x", "Li.Wei").startswith("results-01_x-Li_Wei-")


def test_learner_export_csv_neutralises_formulas(data_dir, tmp_path):
    store = ProgressStore(data_dir)
    store.record("=HYPERLINK(\"http://x\")", "99_test", "single", "@SUM(A1)", 1.0, "correct")
    with open(export_results(tmp_path / "r.csv", store=store), encoding="utf-8-sig", newline="") as fh:
        row = next(csv.DictReader(fh))
    assert row["learner"] == "'=HYPERLINK(\"http://x\")" and row["answer"] == "\"@SUM(A1)\""


def test_copied_attempts_keep_their_numbers_and_survive_a_new_kernel(tmp_path):
    store = ProgressStore(tmp_path)
    store.record("learner", "q", "a", 1, 0.0, "wrong")
    store.record("learner", "q", "a", 0, 1.0, "correct")
    assert store.copy_attempts("q", "learner", "Li Wei") == 2
    again = ProgressStore(tmp_path)  # what a restarted kernel reads
    assert [(r["attempt"], r["answer"]) for r in again.records("Li Wei", "q")] == [(1, 1), (2, 0)]
    assert again.record("Li Wei", "q", "a", 0, 1.0, "correct")["attempt"] == 3
    assert len(again.records("learner", "q")) == 2
