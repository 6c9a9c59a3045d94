"""Grading: pure functions, one per question type. Answer in, :class:`Result` out.

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

import math
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import combinations
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


def _status(score: float) -> str:
    return CORRECT if score >= 1 - 1e-9 else PARTIAL if score > 0 else WRONG


def grade_single_choice(q: Question, answer: int | None) -> Result:
    """One option; right or wrong. The chosen option's feedback is shown."""
    if answer is None:
        return Result(0.0, EMPTY)
    if not isinstance(answer, int) or not 0 <= answer < len(q.options):
        return Result(0.0, INCOMPLETE)
    ok = q.options[answer].correct
    return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(answer, ok, answer),), (f"option:{answer}",))


grade_evidence = grade_single_choice


def grade_multiple_choice(q: Question, answer: Iterable[int] | None) -> Result:
    """(right picks - wrong picks) / number of right options, floored at 0."""
    picked = sorted(set(answer or ()))
    if not picked:
        return Result(0.0, EMPTY)
    if any(not isinstance(i, int) or not 0 <= i < len(q.options) for i in picked):
        return Result(0.0, INCOMPLETE)
    right = set(q.correct_options)
    hits = sum(1 for i in picked if i in right)
    misses = len(picked) - hits
    score = max(0.0, (hits - misses) / len(right))
    parts = [Part(i, q.options[i].correct, i) for i in picked]
    parts += [Part(i, False, None, missed=True) for i in sorted(right - set(picked))]
    return Result(score, _status(score), tuple(parts), tuple(f"option:{i}" for i in picked))


def grade_true_false(q: Question, answer: bool | None) -> Result:
    if answer is None:
        return Result(0.0, EMPTY)
    ok = bool(answer) == q.answer
    return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(0, ok, bool(answer)),))


def grade_order(q: Question, answer: list[int | None] | None) -> Result:
    """Fraction of item pairs in the right relative order (Kendall tau distance, normalised)."""
    n = len(q.items)
    placed = list(answer or [])
    if not placed or all(a is None for a in placed):
        return Result(0.0, EMPTY)
    if len(placed) != n or any(a is None for a in placed):
        return Result(0.0, INCOMPLETE, feedback=("fill_all",))
    if sorted(placed) != list(range(n)):
        return Result(0.0, INCOMPLETE, feedback=("duplicate",))
    concordant = sum(1 for a, b in combinations(placed, 2) if a < b)
    score = concordant / (n * (n - 1) / 2)
    parts = tuple(Part(pos, item == pos, item) for pos, item in enumerate(placed))
    return Result(score, _status(score), parts)


def grade_match(q: Question, answer: list[int | None] | None) -> Result:
    """Fraction of left items matched to their own right item (pair i matches right i)."""
    n = len(q.pairs)
    chosen = list(answer or [])
    if not chosen or all(a is None for a in chosen):
        return Result(0.0, EMPTY)
    if len(chosen) != n or any(a is None for a in chosen):
        return Result(0.0, INCOMPLETE, feedback=("fill_all",))
    parts = tuple(Part(i, right == i, right) for i, right in enumerate(chosen))
    score = sum(p.ok for p in parts) / n
    return Result(score, _status(score), parts)


def grade_numeric(q: Question, answer: float | None) -> Result:
    """Exact (tolerance 0), within ``answer +- tolerance``, or inside ``range`` (inclusive)."""
    if answer is None or isinstance(answer, bool):
        return Result(0.0, EMPTY)
    try:
        value = float(answer)
    except (TypeError, ValueError):
        return Result(0.0, INCOMPLETE)
    if math.isnan(value):
        return Result(0.0, INCOMPLETE)
    if q.range is not None:
        ok = q.range[0] <= value <= q.range[1]
    else:
        # a little slack for binary floating point (0.1 + 0.2 is not 0.3)
        ok = abs(value - float(q.answer)) <= q.tolerance + 1e-9 * max(1.0, abs(float(q.answer)))
    feedback = () if ok else (("too_low",) if value < _target_low(q) else ("too_high",))
    return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(0, ok, value),), feedback)


def _target_low(q: Question) -> float:
    return q.range[0] if q.range is not None else float(q.answer) - q.tolerance


def normalise_text(text: str) -> str:
    """What short answers are compared on: NFKC (full/half width), casefold, and no
    spaces, punctuation or symbols (Chinese or Western). "Ｏman。" -> "oman"."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] not in "PZSC")


def grade_short_text(q: Question, answer: str | None) -> Result:
    """Right if the answer equals one accepted answer after :func:`normalise_text`."""
    given = normalise_text(answer or "")
    if not given:
        return Result(0.0, EMPTY)
    ok = given in {normalise_text(a) for a in q.accept}
    return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(0, ok, answer),))


GRADERS = {
    "single_choice": grade_single_choice,
    "evidence": grade_evidence,
    "multiple_choice": grade_multiple_choice,
    "true_false": grade_true_false,
    "order": grade_order,
    "match": grade_match,
    "numeric": grade_numeric,
    "short_text": grade_short_text,
}


def grade(q: Question, answer: Any) -> Result:
    """Grade ``answer`` to ``q`` with the function for its type."""
    return GRADERS[q.type](q, answer)
