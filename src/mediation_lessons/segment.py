"""Chinese word segmentation with jieba, imported only when a lesson asks for words.

Term counts are cached by content: the key is a hash of the jieba version, the terms and
the paragraphs, the value the counts, in the user cache folder
(``$MEDIATION_LESSONS_CACHE`` or ``platformdirs.user_cache_dir``). A lesson that counts
terms pays jieba's dictionary load and the segmentation (most of a second per lesson)
once per machine, not on every run; changed text or terms make a new key, so a stale
count is never read. A cache that cannot be read or written is skipped silently.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from collections import Counter
from pathlib import Path

CACHE_ENV = "MEDIATION_LESSONS_CACHE"


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


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mediation-lessons"))


def _jieba_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("jieba")
    except PackageNotFoundError:
        return "unknown"


def _cache_key(paragraphs: list[str], terms: list[str]) -> str:
    h = hashlib.sha256()
    for part in ["term-counts-1", _jieba_version(), *sorted(set(terms)), "\x00", *paragraphs]:
        h.update(part.encode("utf-8", "surrogatepass") + b"\x1f")
    return h.hexdigest()


def count_terms(paragraphs: list[str], terms: list[str]) -> dict[str, int]:
    """How often each term is a whole word in the paragraphs (terms join the dictionary)."""
    path = cache_dir() / "term-counts" / f"{_cache_key(paragraphs, terms)}.json"
    try:
        cached = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(cached, dict) and all(isinstance(cached.get(t), int) for t in terms):
            return {t: cached[t] for t in terms}
    except (OSError, ValueError):
        pass
    counts: Counter[str] = Counter()
    for para in paragraphs:
        counts.update(segment(para, tuple(terms)))
    result = {t: counts.get(t, 0) for t in terms}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".counts.", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(result, fh, ensure_ascii=False)
        os.replace(tmp, path)  # whole or not at all: another kernel may read it meanwhile
    except OSError:
        pass
    return result
