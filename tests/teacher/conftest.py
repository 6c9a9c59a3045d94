"""The teacher's tests: tests/helpers.py on the path, and a data root holding a copy of the
corpus and quiz banks plus the test bank ``99_test`` (every question type, from
tests/quiz/quiz_support.py), so the tests do not depend on how the lesson banks are
written today. ``MEDIATION_LESSONS_ROOT`` points at it during each test here (command-line runs in a
subprocess inherit it)."""

import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "quiz"))

from helpers import copy_data  # noqa: E402
from quiz_support import BANK  # noqa: E402

from mediation_lessons.paths import ROOT_ENV  # noqa: E402


@pytest.fixture(scope="session")
def data_root(tmp_path_factory):
    root = copy_data(tmp_path_factory.mktemp("data-root"))
    (root / "quizzes" / "99_test.yaml").write_text(BANK, encoding="utf-8")
    return root


@pytest.fixture(autouse=True)
def use_data_root(data_root, monkeypatch):
    """Per test, so the rest of the suite (and the notebooks' kernels) never sees it."""
    monkeypatch.setenv(ROOT_ENV, str(data_root))
