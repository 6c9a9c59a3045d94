"""Shared test helpers: a private, editable copy of the repository's data."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def copy_data(tmp_path: Path) -> Path:
    """Copy corpus/ and quizzes/ into tmp_path and return it as a data root."""
    for name in ("corpus", "quizzes"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, tmp_path / name)
    return tmp_path


def replace_in(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
