"""Order and match: one drop-down per position (order) or per left item (match)."""

from __future__ import annotations

from html import escape
from itertools import combinations
from typing import Any

from mediation_lessons.quiz.grading import EMPTY, INCOMPLETE, Part, Result, status_of
from mediation_lessons.quiz.model import Pair, Question, Text
from mediation_lessons.quiz.qtypes.base import (
    CONTROL_CSS, LmsItem, QuestionType, both, duplicates, label, label_html, pick, register, verdict_html,
)
from mediation_lessons.schema import bilingual

BILINGUAL = bilingual()


class DropdownControl(QuestionType):
    """Rows of (label, drop-down); the answer is one bank index per row (None = empty)."""

    def rows(self, q: Question) -> int:
        raise NotImplementedError

    def row_labels(self, q: Question, lang: str) -> list[str]:
        raise NotImplementedError

    def dropdown_options(self, card, lang: str) -> list[tuple[str, int]]:
        return list(zip(self.shown_choices(card.quiz.bank.id, card.q, lang), card.order))

    def build_control(self, card, lang: str):
        looks = card.quiz.looks
        n = self.rows(card.q)
        options = self.dropdown_options(card, lang)
        card.row_labels = [looks.html_line(layout=looks.row_label, value=escape(text)) for text in self.row_labels(card.q, lang)]
        card.selectors = [looks.dropdown(options) for _ in range(n)]
        return looks.box([looks.box([lab, sel]) for lab, sel in zip(card.row_labels, card.selectors)], vertical=True, css=CONTROL_CSS)

    def controls(self, card) -> list:
        return list(card.selectors)

    def answer(self, card) -> list:
        return [sel.value for sel in card.selectors]

    def set_answer(self, card, answer: Any) -> None:
        for sel, value in zip(card.selectors, list(answer or ()) + [None] * len(card.selectors)):
            sel.value = value

    def blank_answer(self, card) -> list:
        return [None] * len(card.selectors)

    def relabel(self, card, lang: str) -> None:
        options = self.dropdown_options(card, lang)
        for sel in card.selectors:
            value = sel.value
            sel.options = options
            sel.value = value
        self._label_rows(card, lang)

    def _label_rows(self, card, lang: str) -> None:
        for lab, text in zip(card.row_labels, self.row_labels(card.q, lang)):
            lab.value = escape(text)

    @staticmethod
    def complete(answer: Any, n: int) -> tuple[list, Result | None]:
        """The answer as a list, or the ungraded Result when it is empty or has a gap."""
        given = list(answer or [])
        if not given or all(a is None for a in given):
            return given, Result(0.0, EMPTY)
        if len(given) != n or any(a is None for a in given):
            return given, Result(0.0, INCOMPLETE, feedback=("fill_all",))
        return given, None


@register
class Order(DropdownControl):
    """Items written in the right order, shown shuffled. Partial credit, Kendall-style: the
    fraction of all pairs of items in the right relative order (one swap of neighbours
    in 4 items keeps 5 of 6 pairs: 0.83). Moodle's ordering grade
    RELATIVE_ALL_PREVIOUS_AND_NEXT is the same rule."""

    name = "order"
    title = {"en": "put in order", "zh": "排序题"}
    fields = {"items": {"type": "array", "items": BILINGUAL}}
    required = ("items",)

    def check_meaning(self, q: dict, path: tuple, item: str, check: Any) -> None:
        if len(q["items"]) < 2:
            check.add(f"an order question needs at least 2 items, found {len(q['items'])}", item, path + ("items",))
        else:
            duplicates(q["items"], "items", path + ("items",), item, check)

    def build(self, q: dict) -> dict:
        return {"items": tuple(Text.from_data(t) for t in q["items"])}

    def grade(self, q: Question, answer: list[int | None] | None) -> Result:
        n = len(q.items)
        placed, ungraded = self.complete(answer, n)
        if ungraded:
            return ungraded
        if sorted(placed) != list(range(n)):
            return Result(0.0, INCOMPLETE, feedback=("duplicate",))
        concordant = sum(1 for a, b in combinations(placed, 2) if a < b)
        score = concordant / (n * (n - 1) / 2)
        parts = tuple(Part(pos, item == pos, item) for pos, item in enumerate(placed))
        return Result(score, status_of(score), parts)

    def choice_label(self, q: Question, index: int, lang: str) -> str:
        return q.items[index].get(lang)

    def answer_text(self, q: Question, answer: Any, lang: str) -> str:
        """The items in the order the learner put them, first to last."""
        labels = [t.get(lang) for t in q.items]
        return " → ".join(pick(labels, i) or "?" for i in (answer or ()))

    def rows(self, q: Question) -> int:
        return len(q.items)

    def row_labels(self, q: Question, lang: str) -> list[str]:
        return [label("position", lang, n=n) for n in range(1, len(q.items) + 1)]

    def static_html(self, bank_id: str, q: Question) -> str:
        return f"<p>{escape(label('static_order', 'en'))} {escape(label('static_order', 'zh'))}</p>" + super().static_html(bank_id, q)

    def detail_lines(self, q: Question, result: Result, lang: str) -> list[str]:
        lines = [escape(label("pairs_right", lang, k=sum(p.ok for p in result.parts), n=len(result.parts)))]
        for part in result.parts:
            lines.append(label_html("position_line", lang, n=part.index + 1, item=escape(q.items[part.chosen].get(lang)),
                                    verdict=verdict_html(part.ok, lang, "right_place", "wrong_place")))
        return lines

    def key_html(self, bank_id: str, q: Question) -> str:
        return "<ol>" + "".join(f"<li>{escape(both(item))}</li>" for item in q.items) + "</ol>"

    def lms(self, q: Question) -> LmsItem:
        return LmsItem("order", items=q.items)


@register
class Match(DropdownControl):
    """Pairs written matched, right sides shown shuffled; the fraction of left items matched
    to their own right item (pair i matches right i)."""

    name = "match"
    title = {"en": "match", "zh": "配对题"}
    fields = {
        "pairs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"left": BILINGUAL, "right": BILINGUAL},
                "required": ["left", "right"],
                "additionalProperties": False,
            },
        }
    }
    required = ("pairs",)

    def check_meaning(self, q: dict, path: tuple, item: str, check: Any) -> None:
        pairs = q["pairs"]
        if len(pairs) < 2:
            check.add(f"an match question needs at least 2 pairs, found {len(pairs)}", item, path + ("pairs",))
        else:
            duplicates(pairs, "left items of pairs", path + ("pairs",), item, check, key="left")
            duplicates(pairs, "right items of pairs", path + ("pairs",), item, check, key="right")

    def build(self, q: dict) -> dict:
        return {"pairs": tuple(Pair(Text.from_data(p["left"]), Text.from_data(p["right"])) for p in q["pairs"])}

    def grade(self, q: Question, answer: list[int | None] | None) -> Result:
        n = len(q.pairs)
        chosen, ungraded = self.complete(answer, n)
        if ungraded:
            return ungraded
        parts = tuple(Part(i, right == i, right) for i, right in enumerate(chosen))
        score = sum(p.ok for p in parts) / n
        return Result(score, status_of(score), parts)

    def choice_label(self, q: Question, index: int, lang: str) -> str:
        return q.pairs[index].right.get(lang)

    def answer_text(self, q: Question, answer: Any, lang: str) -> str:
        """Each left item with the right item the learner matched to it."""
        rights = [p.right.get(lang) for p in q.pairs]
        return "; ".join(f"{p.left.get(lang)} → {pick(rights, r) or '?'}" for p, r in zip(q.pairs, answer or ()))

    def rows(self, q: Question) -> int:
        return len(q.pairs)

    def row_labels(self, q: Question, lang: str) -> list[str]:
        return [p.left.get(lang) for p in q.pairs]

    def static_html(self, bank_id: str, q: Question) -> str:
        lefts = "<ul>" + "".join(f"<li>{escape(both(p.left))}</li>" for p in q.pairs) + "</ul>"
        note = f"<p>{escape(label('static_match', 'en'))} {escape(label('static_match', 'zh'))}</p>"
        return lefts + note + super().static_html(bank_id, q)

    def plain_lines(self, bank_id: str, q: Question) -> list[str]:
        lefts = [f"   - {both(p.left)}" for p in q.pairs]
        return lefts + [f"   {label('static_match', 'en')}"] + super().plain_lines(bank_id, q)

    def detail_lines(self, q: Question, result: Result, lang: str) -> list[str]:
        lines = [escape(label("pairs_right", lang, k=sum(p.ok for p in result.parts), n=len(result.parts)))]
        for part in result.parts:
            lines.append(label_html("pair_line", lang, left=escape(q.pairs[part.index].left.get(lang)),
                                    right=escape(q.pairs[part.chosen].right.get(lang)), verdict=verdict_html(part.ok, lang)))
        return lines

    def key_html(self, bank_id: str, q: Question) -> str:
        return "<ul>" + "".join(
            f"<li>{escape(both(p.left))} → <b>{escape(both(p.right))}</b></li>" for p in q.pairs) + "</ul>"

    def lms(self, q: Question) -> LmsItem:
        return LmsItem("match", pairs=tuple((p.left, p.right) for p in q.pairs))
