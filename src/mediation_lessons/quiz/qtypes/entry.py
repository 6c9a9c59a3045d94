"""Typed answers: numeric and short_text, one text box each."""

from __future__ import annotations

import math
import unicodedata
from html import escape
from typing import Any

from mediation_lessons.quiz.grading import CORRECT, EMPTY, INCOMPLETE, WRONG, Part, Result, normalise_text
from mediation_lessons.quiz.model import Question, Text
from mediation_lessons.quiz.qtypes.base import CONTROL_CSS, LmsItem, QuestionType, both, label, label_both, number_text, register
from mediation_lessons.schema import bilingual

BILINGUAL = bilingual()


def parse_number(text: str) -> float | None | str:
    """A typed number; full-width digits and a decimal comma work. ``"bad"`` if not a number."""
    cleaned = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    if not cleaned:
        return None
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        return float(cleaned.replace(",", ""))
    except ValueError:
        return "bad"


class TextEntry(QuestionType):
    """A text box (``card.text``) and, for a number, its unit (``card.unit``)."""

    placeholder = "text_placeholder"
    static_key = "static_text"

    def build_control(self, card, lang: str):
        looks = card.quiz.looks
        card.text = looks.text(label(self.placeholder, lang), label("your_answer", lang))
        card.unit = looks.html_line(value=self.unit_html(card.q, lang))
        return looks.box([card.text, card.unit], css=CONTROL_CSS)

    def controls(self, card) -> list:
        return [card.text]

    def answer(self, card) -> Any:
        return card.text.value

    def set_answer(self, card, answer: Any) -> None:
        card.text.value = answer or ""

    def relabel(self, card, lang: str) -> None:
        card.text.placeholder = label(self.placeholder, lang)
        card.text.description = label("your_answer", lang)
        card.unit.value = self.unit_html(card.q, lang)

    @staticmethod
    def unit_html(q: Question, lang: str) -> str:
        return escape(q.unit.get(lang)) if q.unit else ""

    def shown_choices(self, bank_id: str, q: Question, lang: str) -> list[str]:
        return []

    def static_html(self, bank_id: str, q: Question) -> str:
        unit = f" ({escape(both(q.unit))})" if q.unit else ""
        return f"<p>{escape(label_both(self.static_key))}{unit}</p>"

    def plain_lines(self, bank_id: str, q: Question) -> list[str]:
        return [f"   {label(self.static_key, 'en')}"]


@register
class Numeric(TextEntry):
    """Exact (tolerance 0), within ``answer +- tolerance``, or inside ``range`` (inclusive)."""

    name = "numeric"
    title = {"en": "number", "zh": "数值题"}
    fields = {
        "answer": {"type": "number"},
        "tolerance": {"type": "number", "minimum": 0},
        "range": {"type": "array", "items": {"type": "number"}, "minItems": 2, "maxItems": 2},
        "unit": BILINGUAL,
    }
    placeholder = "number_placeholder"
    static_key = "static_numeric"

    def check_meaning(self, q: dict, path: tuple, item: str, check: Any) -> None:
        # .inf would grade every answer right and .nan every answer wrong: JSON Schema lets both pass
        infinite = [(f, v) for f, v in [(("answer",), q.get("answer")), (("tolerance",), q.get("tolerance"))]
                    + [(("range", k), v) for k, v in enumerate(q.get("range", []))]
                    if isinstance(v, float) and not math.isfinite(v)]
        for field, value in infinite:
            check.add(f"expected a finite number, got {value}", item, path + field)
        if infinite:
            return
        has_answer, has_range = "answer" in q, "range" in q
        if not has_answer and not has_range:
            check.add("a numeric question needs `answer` (with optional `tolerance`) or `range: [low, high]`", item, path + ("answer",))
        elif has_answer and has_range:
            check.add("give either `answer` (with optional `tolerance`) or `range`, not both", item, path + ("range",))
        elif has_range:
            low, high = q["range"]
            if low > high:
                check.add(f"range [{low}, {high}] is empty: low is above high", item, path + ("range",))
            if "tolerance" in q:
                check.add("`tolerance` goes with `answer`, not with `range`", item, path + ("tolerance",))

    def build(self, q: dict) -> dict:
        return {
            "answer": q.get("answer"),
            "tolerance": float(q.get("tolerance", 0)),
            "range": tuple(q["range"]) if "range" in q else None,
            "unit": Text.from_data(q.get("unit")),
        }

    def grade(self, q: Question, answer: float | None) -> Result:
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
        feedback = () if ok else (("too_low",) if value < self.interval(q)[0] else ("too_high",))
        return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(0, ok, value),), feedback)

    @staticmethod
    def interval(q: Question) -> tuple[float, float]:
        """The accepted numbers, [low, high]."""
        if q.range is not None:
            return float(q.range[0]), float(q.range[1])
        return float(q.answer) - q.tolerance, float(q.answer) + q.tolerance

    def answer(self, card) -> float | None | str:
        return parse_number(card.text.value)

    def answer_text(self, q: Question, answer: Any, lang: str) -> str:
        if isinstance(answer, (int, float)) and not isinstance(answer, bool):
            return number_text(answer)
        return "" if answer is None else str(answer)

    def set_answer(self, card, answer: Any) -> None:
        card.text.value = "" if answer is None else (f"{answer:g}" if isinstance(answer, (int, float)) else str(answer))

    def detail_lines(self, q: Question, result: Result, lang: str) -> list[str]:
        return [escape(label(key, lang)) for key in result.feedback]

    def plain_lines(self, bank_id: str, q: Question) -> list[str]:
        return [f"   {label(self.static_key, 'en')}" + (f" ({q.unit.en})" if q.unit else "")]

    def key_html(self, bank_id: str, q: Question) -> str:
        if q.range is not None:
            value = f"{number_text(q.range[0])} – {number_text(q.range[1])}"
        else:
            value = number_text(float(q.answer)) + (f" ± {number_text(q.tolerance)}" if q.tolerance else "")
        unit = f" {escape(both(q.unit))}" if q.unit else ""
        return f'<p class="ml-key-right">{escape(value)}{unit}</p>'

    def lms(self, q: Question) -> LmsItem:
        low, high = self.interval(q)
        value = None if q.range is not None else float(q.answer)
        return LmsItem("numeric", low=low, high=high, value=value, tolerance=q.tolerance, unit=q.unit)


@register
class ShortText(TextEntry):
    """Right if the answer equals one accepted answer after
    :func:`~mediation_lessons.quiz.grading.normalise_text` (case, width, spaces and
    punctuation do not matter)."""

    name = "short_text"
    title = {"en": "short answer", "zh": "填空题"}
    fields = {"accept": {"type": "array", "items": {"type": "string", "minLength": 1}, "minItems": 1}}
    required = ("accept",)

    def check_meaning(self, q: dict, path: tuple, item: str, check: Any) -> None:
        for i, accepted in enumerate(q["accept"]):
            if not normalise_text(accepted):
                check.add(f"accepted answer {accepted!r} is only spaces or punctuation, which matching ignores", item, path + ("accept", i))

    def build(self, q: dict) -> dict:
        return {"accept": tuple(q["accept"])}

    def grade(self, q: Question, answer: str | None) -> Result:
        given = normalise_text(answer or "")
        if not given:
            return Result(0.0, EMPTY)
        ok = given in {normalise_text(a) for a in q.accept}
        return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(0, ok, answer),))

    def key_html(self, bank_id: str, q: Question) -> str:
        return "<p>" + escape(label_both("key_accepted")) + ": " + " / ".join(f"<b>{escape(a)}</b>" for a in q.accept) + "</p>"

    def lms(self, q: Question) -> LmsItem:
        return LmsItem("short_text", accept=q.accept)
