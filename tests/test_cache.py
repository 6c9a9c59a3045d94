"""The content-keyed cache: what it keeps, and that changed inputs are never served."""

from __future__ import annotations

import pytest

from mediation_lessons import cache, schema
from mediation_lessons.quiz.bank import load_bank


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_entries_are_whole_and_an_unusable_cache_is_skipped(cache_dir, tmp_path, monkeypatch):
    key = cache.content_key("a", b"b")
    assert key != cache.content_key("ab") and key != cache.content_key("a", "b", "")  # parts stay apart
    assert cache.read("kind", key) is None
    cache.write("kind", key, b"data", ".bin")
    assert cache.read("kind", key, ".bin") == b"data"
    assert [p.name for p in (cache_dir / "kind").iterdir()] == [f"{key}.bin"]  # no temporary file left
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(cache.CACHE_ENV, str(blocker / "cache"))
    cache.write("kind", key, b"data")  # no error: the cache only saves time
    assert cache.read("kind", key) is None


SCHEMA = {"type": "object", "properties": {"n": {"type": "integer"}}, "required": ["n"]}


def test_valid_data_is_remembered_and_invalid_data_always_checked(cache_dir):
    checks = []

    def check(data, result):
        return schema.remembered(data, SCHEMA, lambda: checks.append(data) or result)

    assert check({"n": 1}, True) and check({"n": 1}, True)
    assert checks == [{"n": 1}]                           # the second time: remembered
    assert not check({"n": "x"}, False) and not check({"n": "x"}, False)
    assert checks[1:] == [{"n": "x"}, {"n": "x"}]          # never remembered
    assert check({"n": 2}, True) and len(checks) == 4     # other data: another key
    other = dict(SCHEMA, required=[])
    assert schema.remembered({"n": 1}, other, lambda: checks.append("other") or True) and checks[-1] == "other"


def test_a_bank_loaded_again_skips_its_schema_check_but_not_a_changed_bank(cache_dir, tmp_path, monkeypatch):
    from helpers import copy_data, replace_in

    root = copy_data(tmp_path / "data")
    load_bank("01_gaza_talks_2023_2024", root=root)
    calls = []
    real = schema.is_valid
    monkeypatch.setattr("mediation_lessons.quiz.bank.is_valid", lambda *a, **k: calls.append(1) or real(*a, **k))
    load_bank("01_gaza_talks_2023_2024", root=root)
    assert calls == []
    replace_in(root / "quizzes" / "01_gaza_talks_2023_2024.yaml", "pass_mark: ", "pass_mark: 0.5\nx_unknown: ", 1)
    with pytest.raises(Exception, match="x_unknown"):
        load_bank("01_gaza_talks_2023_2024", root=root)
    assert calls
