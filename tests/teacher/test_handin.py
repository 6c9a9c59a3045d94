"""Hand-in on a shared server: settings, the quiz's copy, many writers, other accounts."""

import json
import multiprocessing
import os
import pwd
import stat
import sys
import tempfile
from pathlib import Path

import pytest

from mediation_lessons.quiz import handin
from mediation_lessons.quiz.handin import HandInError, append_record, folder_name, hand_in, settings
from mediation_lessons.teacher.results import load_class, read_results

QUIZ = "99_test"  # the test bank in the data root of conftest.py
NO_CONFIG = {"MEDIATION_LESSONS_CONFIG": "/nonexistent/config.toml"}


def record(learner="Ana", question="host", attempt=1, answer="Oman", score=1.0, status="correct"):
    return {"learner": learner, "quiz": QUIZ, "question": question, "attempt": attempt, "score": score,
            "status": status, "answer": answer, "time": "2026-03-02T09:00:00+00:00"}


def hub_env(class_dir, user):
    return {**NO_CONFIG, "MEDIATION_LESSONS_CLASS_DIR": str(class_dir), "MEDIATION_LESSONS_HANDIN_ID": "hub-user",
            "JUPYTERHUB_USER": user}


# -- settings ---------------------------------------------------------------------------------


def test_nothing_is_handed_in_without_a_class_folder(tmp_path):
    assert settings(NO_CONFIG) is None
    assert hand_in(record(), NO_CONFIG) is None


def test_the_class_folder_comes_from_the_environment_or_the_admins_config_file(tmp_path):
    config = tmp_path / "config.toml"
    config.write_text('[handin]\nclass_dir = "/srv/class/spring"\nidentity = "hub-user"\n', encoding="utf-8")
    found = settings({"MEDIATION_LESSONS_CONFIG": str(config)})
    assert (found.class_dir, found.identity, found.source) == (Path("/srv/class/spring"), "hub-user", str(config))
    found = settings({"MEDIATION_LESSONS_CONFIG": str(config), "MEDIATION_LESSONS_CLASS_DIR": "/elsewhere"})
    assert found.class_dir == Path("/elsewhere") and found.identity == "hub-user"


@pytest.mark.parametrize("text, message", [
    ('[handin]\nclass_dir = "relative/path"\n', "must be an absolute path"),
    ('[handin]\nclass_dir = "/srv/c"\nidentity = "anyone"\n', "identity must be one of os-user, hub-user"),
    ('[handin\nclass_dir = ', "cannot read the hand-in settings"),
])
def test_a_bad_config_is_named_and_the_quiz_goes_on(tmp_path, text, message):
    config = tmp_path / "config.toml"
    config.write_text(text, encoding="utf-8")
    with pytest.raises(HandInError, match=message):
        settings({"MEDIATION_LESSONS_CONFIG": str(config)})
    said = hand_in(record(), {"MEDIATION_LESSONS_CONFIG": str(config)})
    assert said.startswith("not handed in to the class folder: ") and str(config) in said


def test_folder_names_are_one_safe_path_component():
    assert folder_name("alice") == "alice" and folder_name("jupyter-bob.s@x") == "jupyter-bob.s@x"
    assert folder_name("../etc") == "%2E.%2Fetc" and folder_name("王 芳") == "%E7%8E%8B%20%E8%8A%B3"
    assert "/" not in folder_name("a/b/../../c") and folder_name("") == "%00"


# -- the quiz hands in, the teacher reads it ---------------------------------------------------------


def test_the_quiz_hands_every_graded_attempt_in_and_results_reads_the_class_folder(tmp_path, monkeypatch):
    from quiz_support import make_quiz  # tests/quiz is on the path (conftest.py)

    class_dir = tmp_path / "class"
    class_dir.mkdir()
    for key, value in hub_env(class_dir, "alice").items():
        monkeypatch.setenv(key, value)
    quiz = make_quiz(tmp_path / "progress", learner="Alice Wang")
    card = next(c for c in quiz.cards if c.q.id == "single")
    card.radio.value = 1
    card.check_button.click()
    card.retry_button.click()
    card.radio.value = 0
    card.check_button.click()
    path = class_dir / "alice" / "99_test.jsonl"
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert [(r["learner"], r["question"], r["attempt"], r["answer"], r["status"]) for r in lines] == [
        ("Alice Wang", "single", 1, 1, "wrong"), ("Alice Wang", "single", 2, 0, "correct")]
    assert stat.S_IMODE(path.stat().st_mode) & 0o027 == 0 and stat.S_IMODE(path.parent.stat().st_mode) & 0o027 == 0


def test_a_class_folder_of_hand_ins_is_read_with_each_user_shown(tmp_path):
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    assert hand_in(record(), hub_env(class_dir, "alice")) is None
    assert hand_in(record(learner="bob", answer="Doha", score=0.0, status="wrong"), hub_env(class_dir, "bob")) is None
    assert hand_in(record(learner="Ana", attempt=2), hub_env(class_dir, "carol")) is None  # same name, another user
    results = load_class([class_dir])
    learners = results.learners().set_index("learner")
    assert learners["points"].to_dict() == {"Ana (alice)": 1.0, "Ana (carol)": 1.0, "bob": 0.0}


# -- many writers at once ---------------------------------------------------------------------------

PER_PROCESS = 40


def _writer(class_dir, user, process, barrier):
    barrier.wait()
    env = hub_env(class_dir, user)
    bad = 0
    for i in range(PER_PROCESS):
        rec = record(learner=user, question=f"q{i}", attempt=process + 1)
        bad += hand_in(rec, env) is not None
    os._exit(bad)


def test_thirty_processes_handing_in_at_once_lose_nothing(tmp_path):
    """15 users, two kernels each: 30 processes append 40 records each at the same moment."""
    class_dir = tmp_path / "class"
    class_dir.mkdir()
    ctx = multiprocessing.get_context("fork")
    barrier = ctx.Barrier(30)
    procs = [ctx.Process(target=_writer, args=(class_dir, f"user{p % 15:02d}", p, barrier)) for p in range(30)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
    assert [p.exitcode for p in procs] == [0] * 30
    attempts = read_results([class_dir])
    assert len(attempts) == 30 * PER_PROCESS
    got = {(a.record["learner"], a.record["question"], a.record["attempt"]) for a in attempts}
    assert got == {(f"user{p % 15:02d}", f"q{i}", p + 1) for p in range(30) for i in range(PER_PROCESS)}
    for f in class_dir.glob("*/*.jsonl"):  # every line whole: no two writes interleaved
        assert all(json.loads(line) for line in f.read_text(encoding="utf-8").splitlines())


# -- other accounts (real OS identities; needs root to switch between them) ----------------------------

needs_root = pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                                reason="switching between two real accounts needs root; run as root (as CI does) to test it")
TEACHERS_GID = 0  # the class folder's group: students are not in it


def as_account(name, fn, *args):
    """Run ``fn(*args)`` in a child process as the account ``name`` (no extra groups);
    returns what it returned (repr of an exception if it raised)."""
    user = pwd.getpwnam(name)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            os.close(read)
            os.setgroups([])
            os.setgid(user.pw_gid)
            os.setuid(user.pw_uid)
            try:
                out = repr(fn(*args))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent
                out = f"{type(exc).__name__}: {exc}"
            os.write(write, out.encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read) as fh:
        out = fh.read()
    os.waitpid(pid, 0)
    return out


@pytest.fixture
def shared_class():
    """A class folder as docs/teachers_hub.md sets it up: root:teachers, mode 3753."""
    base = Path(tempfile.mkdtemp(prefix="ml-class-", dir="/tmp"))
    os.chmod(base, 0o755)
    class_dir = base / "class"
    class_dir.mkdir()
    os.chown(class_dir, 0, TEACHERS_GID)
    os.chmod(class_dir, 0o3753)
    yield class_dir
    import shutil

    shutil.rmtree(base)


def _hand_in_as_me(class_dir, learner):
    return hand_in(record(learner=learner), {**NO_CONFIG, "MEDIATION_LESSONS_CLASS_DIR": str(class_dir)})


def _write_into(class_dir, user):
    return str(append_record(class_dir, user, record(learner="forged", score=1.0)))


@needs_root
def test_a_learner_cannot_write_another_learners_record(shared_class):
    assert as_account("daemon", _hand_in_as_me, shared_class, "Dan") == "None"
    mine = shared_class / "daemon" / f"{QUIZ}.jsonl"
    assert mine.stat().st_uid == pwd.getpwnam("daemon").pw_uid and mine.stat().st_gid == TEACHERS_GID
    assert stat.S_IMODE(mine.stat().st_mode) == 0o640 and stat.S_IMODE(mine.parent.stat().st_mode) & 0o777 == 0o750
    # another student: the package refuses, and so does the OS when the package is bypassed:
    # no appending to the file, no opening it, no replacing or deleting the folder, no listing the class
    said = as_account("nobody", _write_into, shared_class, "daemon")
    assert said.startswith("HandInError") and "belongs to another account" in said, said
    assert as_account("nobody", lambda: open(mine, "a")).startswith("PermissionError")
    assert as_account("nobody", lambda: open(mine.parent / "other.jsonl", "a")).startswith("PermissionError")
    assert as_account("nobody", os.rename, shared_class / "daemon", shared_class / "x").startswith("PermissionError")
    assert as_account("nobody", os.rmdir, shared_class / "daemon").startswith("PermissionError")
    assert as_account("nobody", os.listdir, shared_class).startswith("PermissionError")
    # the teacher (root here; in the teachers group on a server) reads it
    attempts = read_results([shared_class])
    assert [a.record["learner"] for a in attempts] == ["Dan (daemon)"]


@needs_root
def test_a_folder_taken_first_by_another_student_is_refused_on_both_sides(shared_class):
    # "nobody" creates bin's folder before bin hands anything in, and plants a record there
    assert as_account("nobody", _write_into, shared_class, "bin").endswith(f"bin/{QUIZ}.jsonl'")
    said = as_account("bin", _hand_in_as_me, shared_class, "Bea")
    assert "belongs to another account" in said and "not handed in" in said
    # a symbolic link in place of the folder is refused too
    os.symlink("/tmp", shared_class / "sys")
    assert "is not a folder" in as_account("sys", _hand_in_as_me, shared_class, "Sy")
    assert as_account("daemon", _hand_in_as_me, shared_class, "Dan") == "None"
    results = load_class([shared_class])
    assert results.attempts["learner"].tolist() == ["Dan (daemon)"]
    assert any(f"{shared_class.as_posix()}/bin/{QUIZ}.jsonl left out: its folder belongs to nobody, not to bin" in w
               for w in results.warnings)


def test_hand_in_never_raises_when_the_class_folder_is_missing(tmp_path):
    said = hand_in(record(), hub_env(tmp_path / "missing", "alice"))
    assert "does not exist" in said


def test_the_learners_quiz_does_not_import_the_teachers_wing():
    import subprocess

    code = ("import sys, mediation_lessons.quiz, mediation_lessons.quiz.handin; "
            "print([m for m in sys.modules if m.startswith('mediation_lessons.teacher')])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
    assert handin.__name__ == "mediation_lessons.quiz.handin"
