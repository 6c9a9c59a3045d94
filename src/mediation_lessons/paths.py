"""Where the data lives: the repository in a checkout, the package's copy when installed."""

from __future__ import annotations

import os
from pathlib import Path

ROOT_ENV = "MEDIATION_LESSONS_ROOT"
# the charts' Chinese font: a subset of Noto Sans CJK SC (see fonts/README.md)
FONT_FILE = Path(__file__).resolve().parent / "fonts" / "NotoSansSC-MLSubset.otf"
FONT_FAMILY = "Noto Sans SC ML Subset"


def default_root() -> Path:
    """The folder holding ``corpus/`` and ``quizzes/``.

    ``$MEDIATION_LESSONS_ROOT`` wins; then a source checkout (so edits to the data are
    seen at once in an editable install); then the copy shipped inside the wheel.
    """
    env = os.environ.get(ROOT_ENV)
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[2]
    if (checkout / "corpus" / "documents.yaml").is_file() and (checkout / "src" / "mediation_lessons").is_dir():
        return checkout
    packaged = Path(__file__).resolve().parent / "_data"
    if (packaged / "corpus").is_dir():
        return packaged
    raise FileNotFoundError(
        f"no corpus found: set {ROOT_ENV} to a folder holding corpus/ and quizzes/"
    )
