"""Blackboard's tab-separated question upload: one question per line, its type first
(MC, MA, TF, ORD, MAT, NUM, FIB). The format has no feedback fields, so option feedback,
explanations and cited passages stay in the answer key (one warning per bank says so).
A tab or line break inside a text would split the line: each becomes a space."""

from __future__ import annotations

import re

from mediation_lessons.quiz.model import Question
from mediation_lessons.teacher.lms.common import Export, escape, number

NAME, SUFFIX = "blackboard", ".blackboard.txt"
_BREAKS = re.compile(r"[\t\r\n\v\f\u2028\u2029]+")
# fields after the type and the question text, per type: (fixed count, or per answer)
FIELDS = {"MC": "2 per option", "MA": "2 per option", "TF": "1", "ORD": "1 per item", "MAT": "2 per pair",
          "NUM": "2 (answer, tolerance)", "FIB": "1 per accepted answer"}


def cell(text: str) -> str:
    """A field: HTML-escaped (Blackboard shows question text as HTML), on one line."""
    return _BREAKS.sub(" ", escape(text)).strip()


def plain_cell(text: str) -> str:
    """A field the learner's typed answer is compared with: on one line, not escaped."""
    return _BREAKS.sub(" ", text).strip()


def line(ex: Export, q: Question) -> str:
    item = ex.item(q)
    stem = cell(ex.text(q.prompt) + (f" ({ex.text(item.unit)})" if item.unit is not None else ""))
    if item.kind in ("single", "multiple"):
        fields = ["MC" if item.kind == "single" else "MA", stem]
        for c in item.choices:
            fields += [cell(ex.text(c.text) + (f" ({c.gloss})" if c.gloss else "")), "correct" if c.fraction > 0 else "incorrect"]
    elif item.kind == "true_false":
        fields = ["TF", stem, "true" if item.answer else "false"]
    elif item.kind == "order":
        fields = ["ORD", stem] + [cell(ex.text(t)) for t in item.items]
    elif item.kind == "match":
        fields = ["MAT", stem]
        for left, right in item.pairs:
            fields += [cell(ex.text(left)), cell(ex.text(right))]
    elif item.kind == "numeric":
        value = item.value if item.value is not None else (item.low + item.high) / 2
        tolerance = item.tolerance if item.value is not None else (item.high - item.low) / 2
        fields = ["NUM", stem, number(value), number(tolerance)]
    else:
        fields = ["FIB", stem] + [plain_cell(a) for a in item.accept]
    return "\t".join(fields)


def render(ex: Export) -> bytes:
    lines = [line(ex, q) for q in ex.bank.questions]
    ex.warnings.append(f"{NAME}: {ex.bank.file}: the upload format has no feedback fields: option feedback, "
                       "explanations, hints and cited passages are not in the file (give the class the answer key)")
    return ("\n".join(lines) + "\n").encode("utf-8")
