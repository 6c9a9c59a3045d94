"""Moodle GIFT: one text file per bank. Question text and feedback are HTML (``[html]``);
accepted short answers and match pairs are plain text. GIFT has no ordering question."""

from __future__ import annotations

import re

from mediation_lessons.quiz.model import Question
from mediation_lessons.teacher.lms.common import Export, escape, moodle_answer, number

NAME, SUFFIX = "gift", ".gift.txt"
_SPECIAL = re.compile(r"([\\~=#{}:])")


def gift_escape(text: str) -> str:
    """Backslash before GIFT's special characters; a line break would end the question."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split("\n")))


def _feedback(ex: Export, feedback) -> str:
    return f"#{gift_escape(escape(ex.text(feedback)))}" if feedback is not None else ""


def question(ex: Export, q: Question) -> str | None:
    item = ex.item(q)
    general = f"####{gift_escape(ex.general_feedback_html(q))}"
    head = f"// {q.id} ({q.type})\n::{gift_escape(q.id)}::[html]{gift_escape(ex.stem_html(q))}"
    if item.kind == "single":
        answers = [("=" if c.fraction > 0 else "~") + gift_escape(ex.choice_html(c.text, c.gloss)) + _feedback(ex, c.feedback)
                   for c in item.choices]
    elif item.kind == "multiple":
        answers = [f"~%{number(c.fraction * 100)}%" + gift_escape(ex.choice_html(c.text, c.gloss)) + _feedback(ex, c.feedback)
                   for c in item.choices]
    elif item.kind == "true_false":
        answers = ["TRUE" if item.answer else "FALSE"]
    elif item.kind == "numeric":
        answers = [f"#{number(item.low)}..{number(item.high)}" if item.value is None
                   else f"#{number(item.value)}:{number(item.tolerance)}"]
    elif item.kind == "short_text":
        answers = [f"={gift_escape(moodle_answer(a))}" for a in item.accept]
    elif item.kind == "match":
        ex.check_moodle_match(q, len(item.pairs))
        answers = [f"={gift_escape(ex.text(left))} -> {gift_escape(ex.text(right))}" for left, right in item.pairs]
    else:
        ex.warn(q, "GIFT has no ordering question: left out; use --format moodle-xml (ordering) for it")
        return None
    body = "\n".join(f"\t{a}" for a in answers)
    return f"{head} {{\n{body}\n\t{general}\n}}\n"


def render(ex: Export) -> bytes:
    title = ex.title()
    parts = [f"// {' '.join(title.split())}: exported by mediation-lessons from {ex.bank.file}\n",
             f"$CATEGORY: $course$/mediation-lessons/{gift_escape(ex.bank.id)}\n"]
    for q in ex.bank.questions:
        text = question(ex, q)
        if text is not None:
            parts.append(text)
    return "\n".join(parts).encode("utf-8")
