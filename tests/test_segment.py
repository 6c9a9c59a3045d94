"""Term counts are segmented once per content and terms, then read from the cache."""

import pytest

from mediation_lessons import cache as content_cache
from mediation_lessons import segment


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_counts_are_cached_by_content_and_terms(cache, monkeypatch):
    paras = ["卡塔尔斡旋停火。", "埃及也在斡旋。"]
    first = segment.count_terms(paras, ["斡旋", "停火"])
    assert first == {"斡旋": 2, "停火": 1}
    assert len(list((cache / "term-counts").glob("*.json"))) == 1

    def no_jieba(*args):
        raise AssertionError("segmented again")

    monkeypatch.setattr(segment, "segment", no_jieba)
    assert segment.count_terms(paras, ["斡旋", "停火"]) == first      # from the cache
    assert segment.count_terms(paras, ["停火", "斡旋"]) == {"停火": 1, "斡旋": 2}  # order of terms does not matter
    with pytest.raises(AssertionError, match="segmented again"):
        segment.count_terms(paras + ["新的段落。"], ["斡旋", "停火"])   # changed text: a new key
    with pytest.raises(AssertionError, match="segmented again"):
        segment.count_terms(paras, ["斡旋"])                            # other terms: a new key


def test_a_damaged_or_unwritable_cache_is_skipped(cache, tmp_path, monkeypatch):
    paras = ["卡塔尔斡旋停火。"]
    segment.count_terms(paras, ["斡旋"])
    [path] = (cache / "term-counts").glob("*.json")
    path.write_text("{not json", encoding="utf-8")
    assert segment.count_terms(paras, ["斡旋"]) == {"斡旋": 1}
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv(content_cache.CACHE_ENV, str(blocker / "cache"))
    assert segment.count_terms(paras, ["斡旋"]) == {"斡旋": 1}
