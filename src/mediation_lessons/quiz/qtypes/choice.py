"""Choice questions: single_choice and multiple_choice (evidence builds on single_choice)."""

from __future__ import annotations

from collections.abc import Iterable
from html import escape
from typing import Any

from mediation_lessons.quiz.grading import CORRECT, EMPTY, INCOMPLETE, WRONG, Part, Result, status_of
from mediation_lessons.quiz.model import Option, Question, Text
from mediation_lessons.quiz.qtypes.base import (
    CONTROL_CSS, LETTERS, LmsChoice, LmsItem, QuestionType, display_order, duplicates, html_both, label, label_both,
    label_html, pick, register, verdict_html,
)
from mediation_lessons.schema import bilingual

BILINGUAL = bilingual()
# `answer` may name the right options by number, as authors count them (1-based)
OPTION_NUMBERS = {
    "anyOf": [
        {"type": "integer"},
        {"type": "array", "items": {"type": "integer"}, "minItems": 1},
    ]
}


def option_schema(text_key: str, text_schema: dict) -> dict:
    return {
        "type": "object",
        "properties": {text_key: text_schema, "correct": {"type": "boolean"}, "feedback": BILINGUAL},
        "required": [text_key],
        "additionalProperties": False,
    }


class RadioControl:
    """One pick among labelled values: a RadioButtons widget (``card.radio``)."""

    def radio_options(self, card, lang: str) -> list[tuple[str, Any]]:
        return list(zip(self.shown_choices(card.quiz.bank.id, card.q, lang), card.order))

    def build_control(self, card, lang: str):
        card.radio = card.quiz.looks.radio(self.radio_options(card, lang), css=CONTROL_CSS)
        return card.radio

    def controls(self, card) -> list:
        return [card.radio]

    def answer(self, card) -> Any:
        return card.radio.value

    def set_answer(self, card, answer: Any) -> None:
        card.radio.value = answer

    def relabel(self, card, lang: str) -> None:
        value = card.radio.value
        card.radio.options = self.radio_options(card, lang)
        card.radio.value = value


class OptionsType(QuestionType):
    """Questions whose answer is among ``options`` (each marked ``correct`` or not)."""

    text_key, text_schema = "text", BILINGUAL

    @property
    def fields(self) -> dict:
        return {"options": {"type": "array", "items": option_schema(self.text_key, self.text_schema)}, "answer": OPTION_NUMBERS}

    required = ("options",)
    many_right = False  # may more than one option be right?

    def check_meaning(self, q: dict, path: tuple, item: str, check: Any) -> None:
        options = q["options"]
        if len(options) < 2:
            check.add(f"needs at least 2 options, found {len(options)}", item, path + ("options",))
            return
        flagged = {i for i, o in enumerate(options) if o.get("correct") is True}
        correct = flagged
        if "answer" in q:
            named = q["answer"] if isinstance(q["answer"], list) else [q["answer"]]
            outside = [n for n in named if not 1 <= n <= len(options)]
            if outside:
                check.add(f"answer names no option: {', '.join(map(str, outside))} (options are numbered 1-{len(options)})", item, path + ("answer",))
                return
            correct = {n - 1 for n in named}
            if flagged and flagged != correct:
                check.add("answer and the options marked `correct: true` disagree", item, path + ("answer",))
        if not correct:
            check.add("no option is marked correct (`correct: true`)", item, path + ("options",))
        elif not self.many_right and len(correct) > 1:
            check.add(f"{len(correct)} options are marked correct; a {self.name} question has exactly one (use multiple_choice)", item, path + ("options",))
        self.check_options_distinct(options, path + ("options",), item, check)

    def check_options_distinct(self, options: list[dict], path: tuple, item: str, check: Any) -> None:
        duplicates(options, "options", path, item, check, key="text")

    def build_option(self, o: dict, correct: bool) -> Option:
        return Option(correct=correct, text=Text.from_data(o["text"]), feedback=Text.from_data(o.get("feedback")))

    def build(self, q: dict) -> dict:
        named = q.get("answer")
        named = set() if named is None else {n - 1 for n in (named if isinstance(named, list) else [named])}
        return {"options": tuple(self.build_option(o, o.get("correct") is True or i in named) for i, o in enumerate(q["options"]))}

    def choice_label(self, q: Question, index: int, lang: str) -> str:
        return q.options[index].label(lang)

    def answer_text(self, q: Question, answer: Any, lang: str) -> str:
        labels = [o.label(lang) for o in q.options]
        # bank order; anything that is not an index (a hand-edited file) goes last, as given
        picked = [answer] if not isinstance(answer, (list, tuple, set)) else sorted(
            answer, key=lambda i: (0, i, "") if isinstance(i, int) else (1, 0, str(i)))
        return "; ".join(pick(labels, i) for i in picked if i is not None)

    def detail_lines(self, q: Question, result: Result, lang: str) -> list[str]:
        lines = []
        for part in result.parts:
            if part.missed:
                continue
            option = q.options[part.index]
            line = label_html("choice_line", lang, option=escape(option.label(lang)), verdict=verdict_html(part.ok, lang))
            if option.feedback:
                line += f" {escape(option.feedback.get(lang))}"
            lines.append(line)
        missed = sum(1 for p in result.parts if p.missed)
        if missed:
            lines.append(escape(label("missed", lang, n=missed)))
        return lines

    def option_key_html(self, option: Option) -> str:
        return html_both(option.text)

    def key_html(self, bank_id: str, q: Question) -> str:
        rows = []
        for letter, i in zip(LETTERS, display_order(bank_id, q)):
            option = q.options[i]
            mark = f'<span class="ml-key-right">✓ {escape(label_both("key_right"))}</span> ' if option.correct else ""
            feedback = f'<div class="ml-key-feedback">{html_both(option.feedback)}</div>' if option.feedback else ""
            rows.append(f"<li>{mark}<b>{letter})</b> {self.option_key_html(option)}{feedback}</li>")
        return f'<ul style="list-style:none;padding-left:0.5em">{"".join(rows)}</ul>'

    def lms_choice(self, option: Option, fraction: float) -> LmsChoice:
        return LmsChoice(option.text, fraction, option.feedback)


@register
class SingleChoice(RadioControl, OptionsType):
    """One right option; right or wrong. The chosen option's feedback is shown."""

    name = "single_choice"
    title = {"en": "single choice", "zh": "单选题"}

    def grade(self, q: Question, answer: int | None) -> Result:
        if answer is None:
            return Result(0.0, EMPTY)
        if not isinstance(answer, int) or not 0 <= answer < len(q.options):
            return Result(0.0, INCOMPLETE)
        ok = q.options[answer].correct
        return Result(1.0 if ok else 0.0, CORRECT if ok else WRONG, (Part(answer, ok, answer),), (f"option:{answer}",))

    def lms(self, q: Question) -> LmsItem:
        return LmsItem("single", tuple(self.lms_choice(o, 1.0 if o.correct else 0.0) for o in q.options))


@register
class MultipleChoice(OptionsType):
    """Any number of right options: (right picks - wrong picks) / number of right options,
    floored at 0, so ticking every box earns nothing."""

    name = "multiple_choice"
    title = {"en": "multiple choice", "zh": "多选题"}
    many_right = True

    def grade(self, q: Question, answer: Iterable[int] | None) -> Result:
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
        return Result(score, status_of(score), tuple(parts), tuple(f"option:{i}" for i in picked))

    def build_control(self, card, lang: str):
        looks = card.quiz.looks
        card.checkboxes = [looks.checkbox(text) for text in self.shown_choices(card.quiz.bank.id, card.q, lang)]
        return looks.box(card.checkboxes, vertical=True, css=CONTROL_CSS)

    def controls(self, card) -> list:
        return list(card.checkboxes)

    def answer(self, card) -> list[int]:
        return sorted(i for i, box in zip(card.order, card.checkboxes) if box.value)

    def set_answer(self, card, answer: Any) -> None:
        chosen = set(answer or ())
        for i, box in zip(card.order, card.checkboxes):
            box.value = i in chosen

    def blank_answer(self, card) -> list:
        return []

    def relabel(self, card, lang: str) -> None:
        for box, text in zip(card.checkboxes, self.shown_choices(card.quiz.bank.id, card.q, lang)):
            box.description = text

    def lms(self, q: Question) -> LmsItem:
        # Moodle's rule for several right answers equals ours: +1/n_right each right pick,
        # -1/n_right each wrong one, the sum floored at 0
        share = 1.0 / len(q.correct_options)
        return LmsItem("multiple", tuple(self.lms_choice(o, share if o.correct else -share) for o in q.options))


__all__ = ["MultipleChoice", "OptionsType", "RadioControl", "SingleChoice"]
