"""Question types, one class each, registered by name (as jupyterquiz does).

Each class is the one home of its type: schema fragment, meaning checks, build from
data, grading, widget control, static view, answer-key view and the export hook. Add a
type by writing its class with ``@register`` in a module imported below.
"""

from __future__ import annotations

from mediation_lessons.quiz.qtypes.base import TYPES, LmsChoice, LmsItem, QuestionType, get, register

# Importing a module registers its types; this order is the bank schema's order.
from mediation_lessons.quiz.qtypes import choice, true_false, arrange, entry, evidence  # noqa: E402,F401  isort: skip

QUESTION_TYPES: tuple[str, ...] = tuple(TYPES)  # the built-in types, in schema order


def answer_text(q, answer, lang: str = "en") -> str:
    """An answer in grading terms (bank indexes) in words, e.g. for a results table."""
    return get(q.type).answer_text(q, answer, lang)


__all__ = ["QUESTION_TYPES", "TYPES", "LmsChoice", "LmsItem", "QuestionType", "answer_text", "get", "register"]
