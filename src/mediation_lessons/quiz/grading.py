"""Grading: a pure function, answer in, :class:`Result` out. Each type grades in its own
class (:mod:`mediation_lessons.quiz.qtypes`); :func:`grade` picks it.

Answers name things by their position in the bank (never by the shuffled position on
screen), so the same answer always gets the same grade:

================  ==========================================================
single_choice     option index (int) or None
evidence          option index (int) or None
multiple_choice   collection of option indexes
true_false        bool or None
order             list of item indexes, one per position (None = empty slot)
match             list of right-side indexes, one per left item (None = empty)
numeric           number or None
short_text        str
================  ==========================================================

Partial credit (score in 0..1; ``correct`` only at 1):

* multiple_choice: (right picks - wrong picks) / number of right options, floored at 0,
  so ticking every box earns nothing.
* order: Kendall-style: the fraction of all pairs of items that the learner put in the
  right relative order. One swap of neighbours in 4 items keeps 5 of 6 pairs: 0.83.
* match: the fraction of left items matched to their right partner.
* the other types are right or wrong.

An empty or incomplete answer is not graded (status ``empty`` / ``incomplete``) and does
not count as an attempt.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any

from mediation_lessons.quiz.model import Question

CORRECT, PARTIAL, WRONG, EMPTY, INCOMPLETE = "correct", "partial", "wrong", "empty", "incomplete"


@dataclass(frozen=True)
class Part:
    """One graded part: an option picked (or a right one missed), a position, a pair."""

    index: int          # option / position / left item, in bank order
    ok: bool
    chosen: Any = None  # what the learner put there
    missed: bool = False  # a right option the learner did not pick


@dataclass(frozen=True)
class Result:
    score: float
    status: str
    parts: tuple[Part, ...] = ()
    feedback: tuple[str, ...] = ()  # message keys, e.g. "option:2" (show option 2's feedback), "duplicate"

    @property
    def correct(self) -> bool:
        return self.status == CORRECT

    @property
    def graded(self) -> bool:
        return self.status in (CORRECT, PARTIAL, WRONG)


def status_of(score: float) -> str:
    return CORRECT if score >= 1 - 1e-9 else PARTIAL if score > 0 else WRONG


def normalise_text(text: str) -> str:
    """What short answers are compared on: NFKC (full/half width), casefold, and no
    spaces, punctuation or symbols (Chinese or Western). "Ｏman。" -> "oman"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")


def grade(q: Question, answer: Any) -> Result:
    """Grade ``answer`` to ``q`` with its type's rule (pure: no state, no widgets)."""
    from mediation_lessons.quiz.qtypes import get  # the types import this module

    return get(q.type).grade(q, answer)
