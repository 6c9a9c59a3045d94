"""Fixtures for the quiz tests: a private progress folder for every test."""

import pytest

from quiz_support import make_quiz


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    path = tmp_path / "progress"
    monkeypatch.setenv("MEDIATION_LESSONS_DATA", str(path))
    return path


@pytest.fixture
def quiz(data_dir):
    return make_quiz(data_dir)
