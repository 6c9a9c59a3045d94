"""Quiz banks into a learning management system: Moodle GIFT, Moodle XML, Canvas Classic
QTI 1.2 (zip with an IMS content-package manifest) and the Blackboard tab-separated
question upload.

Every format reads the questions through their type's export hook
(:meth:`mediation_lessons.quiz.qtypes.QuestionType.lms`), so it knows LMS kinds, not the
bank's types. A question a format cannot carry is named in a warning, never dropped
silently. The output depends on the bank only: same bank, same bytes.
"""

from __future__ import annotations

from pathlib import Path

from mediation_lessons.corpus import load_corpus
from mediation_lessons.paths import default_root
from mediation_lessons.quiz.bank import BANK_GLOB, load_bank
from mediation_lessons.quiz.model import Bank
from mediation_lessons.teacher.lms import blackboard, canvas_qti, gift, moodle_xml
from mediation_lessons.teacher.lms.common import LANGS, Export

FORMATS = {module.NAME: module for module in (gift, moodle_xml, canvas_qti, blackboard)}


def export_bank(bank: Bank, corpus, fmt: str, lang: str = "both") -> tuple[bytes, list[str]]:
    """The file of ``bank`` in format ``fmt`` and the warnings (what it could not carry)."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    ex = Export(bank, corpus, lang, fmt)
    return FORMATS[fmt].render(ex), ex.warnings


def file_name(bank_id: str, fmt: str, lang: str) -> str:
    return f"{bank_id}-{lang}{FORMATS[fmt].SUFFIX}"


def export_banks(bank_ids: list[str] | None, fmt: str, lang: str = "both", folder: Path | str = ".",
                 root: Path | str | None = None) -> tuple[list[Path], list[str]]:
    """Write ``<bank>-<lang><suffix>`` for each bank (default: every bank) into ``folder``.

    Returns the paths and the warnings. Raises
    :class:`~mediation_lessons.errors.DataError` for an unknown or broken bank and
    ``ValueError`` for an unknown format or language, before anything is written.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; known: {', '.join(FORMATS)}")
    if lang not in LANGS:
        raise ValueError(f"unknown language {lang!r}; known: {', '.join(LANGS)}")
    root = Path(root) if root else default_root()
    corpus = load_corpus(root)
    ids = bank_ids or sorted(p.stem for p in (root / "quizzes").glob(BANK_GLOB))
    banks = [load_bank(bank_id, root, corpus) for bank_id in ids]
    files = [(bank, *export_bank(bank, corpus, fmt, lang)) for bank in banks]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths, warnings = [], []
    for bank, data, warned in files:
        path = folder / file_name(bank.id, fmt, lang)
        path.write_bytes(data)
        paths.append(path)
        warnings += warned
    return paths, warnings


__all__ = ["FORMATS", "LANGS", "export_bank", "export_banks", "file_name"]
