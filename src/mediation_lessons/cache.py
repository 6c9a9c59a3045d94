"""A cache keyed by content, in the user's cache folder.

What a lesson computes from unchanged inputs (term counts, a chart's picture, which
lessons and quiz items use a text) is kept under a key that hashes everything the
result depends on, in ``$MEDIATION_LESSONS_CACHE`` or ``platformdirs.user_cache_dir``.
Changed inputs make a new key, so a stale entry is never read; the folder is safe to
delete. A cache that cannot be read or written is skipped silently: it only saves time.
"""

from __future__ import annotations

import functools
import hashlib
import os
import tempfile
from pathlib import Path

CACHE_ENV = "MEDIATION_LESSONS_CACHE"


def cache_dir() -> Path:
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    import platformdirs

    return Path(platformdirs.user_cache_dir("mediation-lessons"))


def content_key(*parts: str | bytes) -> str:
    """A hash of ``parts`` in order (each part kept apart from the next)."""
    h = hashlib.sha256()
    for part in parts:
        data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogatepass")
        h.update(len(data).to_bytes(8, "little") + data)
    return h.hexdigest()


@functools.lru_cache(maxsize=None)
def source_stamp(*files: str) -> str:
    """A hash of this package's source files (names relative to the package folder), for
    a key whose result depends on that code; read once per kernel."""
    here = Path(__file__).resolve().parent
    return content_key(*(here.joinpath(f).read_bytes() for f in files))


def _path(kind: str, key: str, suffix: str) -> Path:
    return cache_dir() / kind / f"{key}{suffix}"


def read(kind: str, key: str, suffix: str = "") -> bytes | None:
    """The bytes stored under ``kind``/``key``, or None."""
    try:
        return _path(kind, key, suffix).read_bytes()
    except OSError:
        return None


def write(kind: str, key: str, data: bytes, suffix: str = "") -> None:
    """Store ``data`` whole or not at all (another kernel may read it meanwhile)."""
    path = _path(kind, key, suffix)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".entry.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
    except OSError:
        pass
