"""True or false: a statement about the texts."""

from __future__ import annotations

from html import escape
from typing import Any

from mediation_lessons.quiz.grading import CORRECT, EMPTY, WRONG, Part, Result
from mediation_lessons.quiz.model import Question
from mediation_lessons.quiz.qtypes.base import LmsItem, QuestionType, label, label_both, register
from mediation_lessons.quiz.qtypes.choice import RadioControl


@register
class TrueFalse(RadioControl, QuestionType):
    name = "true_false"
    title = {"en": "true or false", "zh": "判断题"}
    fields = {"answer": {"type": "boolean"}}
    required = ("answer",)

    def build(self, q: dict) -> dict:
        return {"answer": q["answer"]}

    def grade(self, q: Question, answer: bool | None) -> Result:
        if answer is None:
            return Result(0.0, EMPTY)
        ok = bool(answer) == q.answer
        return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(0, ok, bool(answer)),))

    def shown_choices(self, bank_id: str, q: Question, lang: str) -> list[str]:
        return [label("true", lang), label("false", lang)]

    def answer_text(self, q: Question, answer: Any, lang: str) -> str:
        return "" if answer is None else label("true" if answer else "false", lang)

    def radio_options(self, card, lang: str) -> list[tuple[str, Any]]:
        return [(label("true", lang), True), (label("false", lang), False)]

    def key_html(self, bank_id: str, q: Question) -> str:
        return f'<p class="ml-key-right">{escape(label_both("true" if q.answer else "false"))}</p>'

    def lms(self, q: Question) -> LmsItem:
        return LmsItem("true_false", answer=bool(q.answer))
