"""Chinese word segmentation with jieba, imported only when a lesson asks for words."""

from __future__ import annotations

import functools
import logging
from collections import Counter


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


def count_terms(paragraphs: list[str], terms: list[str]) -> dict[str, int]:
    """How often each term is a whole word in the paragraphs (terms join the dictionary)."""
    counts: Counter[str] = Counter()
    for para in paragraphs:
        counts.update(segment(para, tuple(terms)))
    return {t: counts.get(t, 0) for t in terms}
