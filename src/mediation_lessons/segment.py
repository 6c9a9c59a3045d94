"""Chinese word segmentation with jieba, imported only when a lesson asks for words.

Term counts are kept in the content-keyed cache (:mod:`mediation_lessons.cache`): the
key hashes the jieba version, the terms and the paragraphs. A lesson that counts terms
pays jieba's dictionary load and the segmentation (most of a second per lesson) once per
machine, not on every run.
"""

from __future__ import annotations

import functools
import json
import logging
from collections import Counter

from mediation_lessons import cache


@functools.lru_cache(maxsize=4)
def _tokenizer(user_words: tuple[str, ...]):
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    for word in user_words:
        tok.add_word(word, freq=200000)
    return tok


def segment(text: str, user_words: tuple[str, ...] = ()) -> list[str]:
    """Words of ``text``, without whitespace and punctuation tokens."""
    tok = _tokenizer(tuple(sorted(set(user_words))))
    return [w for w in tok.lcut(text) if any(ch.isalnum() for ch in w)]


def tokens(text: str, user_words: tuple[str, ...] = ()) -> list[tuple[str, int, int]]:
    """Every token of ``text`` with its half-open code-point offsets."""
    tok = _tokenizer(tuple(sorted(set(user_words))))
    return list(tok.tokenize(text))


def _jieba_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jieba")
    except PackageNotFoundError:
        return "unknown"


def _cache_key(paragraphs: list[str], terms: list[str]) -> str:
    return cache.content_key("term-counts-1", _jieba_version(), *sorted(set(terms)), "\x00", *paragraphs)


def count_terms(paragraphs: list[str], terms: list[str]) -> dict[str, int]:
    """How often each term is a whole word in the paragraphs (terms join the dictionary)."""
    key = _cache_key(paragraphs, terms)
    try:
        cached = json.loads(cache.read("term-counts", key, ".json") or b"")
        if isinstance(cached, dict) and all(isinstance(cached.get(t), int) for t in terms):
            return {t: cached[t] for t in terms}
    except ValueError:
        pass
    counts: Counter[str] = Counter()
    for para in paragraphs:
        counts.update(segment(para, tuple(terms)))
    result = {t: counts.get(t, 0) for t in terms}
    cache.write("term-counts", key, json.dumps(result, ensure_ascii=False).encode("utf-8"), ".json")
    return result
