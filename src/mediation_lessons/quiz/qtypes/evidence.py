"""Evidence: the prompt states a claim; the options are cited passages, one supports it."""

from __future__ import annotations

from html import escape
from typing import Any

from mediation_lessons.quiz.model import Option, Question, Source, Text
from mediation_lessons.quiz.qtypes.base import LmsChoice, display_order, label, register
from mediation_lessons.quiz.qtypes.choice import SingleChoice
from mediation_lessons.schema import CITATION


@register
class Evidence(SingleChoice):
    name = "evidence"
    title = {"en": "find the evidence", "zh": "找证据题"}
    text_key, text_schema = "source", CITATION

    def check_options_distinct(self, options: list[dict], path: tuple, item: str, check: Any) -> None:
        seen: dict[tuple, int] = {}
        for i, o in enumerate(options):
            key = (o["source"]["doc"], o["source"]["quote"])
            if key in seen:
                check.add(f"options {seen[key] + 1} and {i + 1} cite the same passage", item, path + (i, "source"))
            seen.setdefault(key, i)

    def citations(self, q: dict, path: tuple) -> list[tuple[tuple, dict]]:
        return [(path + ("options", i, "source"), o["source"]) for i, o in enumerate(q["options"])]

    def build_option(self, o: dict, correct: bool) -> Option:
        return Option(correct=correct, source=Source.from_data(o["source"]), feedback=Text.from_data(o.get("feedback")))

    def choice_glosses(self, bank_id: str, q: Question) -> list[str]:
        return [q.options[i].source.gloss_en or "" for i in display_order(bank_id, q)]

    def radio_options(self, card, lang: str) -> list[tuple[str, Any]]:
        # plain-text labels: numbered to match the passages shown above them
        labels = self.shown_choices(card.quiz.bank.id, card.q, lang)
        return [(f"{n}. {text}", i) for n, (text, i) in enumerate(zip(labels, card.order), 1)]

    def build_control(self, card, lang: str):
        card.passages = card.quiz.looks.html_line(value=self.passages_html(card, lang))
        return super().build_control(card, lang)

    def relabel(self, card, lang: str) -> None:
        super().relabel(card, lang)
        card.passages.value = self.passages_html(card, lang)

    def passages_html(self, card, lang: str) -> str:
        """The passages as rich text (document title, gloss) beside the plain radio labels."""
        q, corpus = card.q, card.quiz.corpus
        items = "".join(
            f'<li><q lang="zh">{escape(q.options[i].source.text)}</q> '
            f"<small>({escape(corpus.title(q.options[i].source.doc, lang))})</small>"
            + (f"<br><small>{escape(q.options[i].source.gloss_en)}</small>" if lang == "en" and q.options[i].source.gloss_en else "")
            + "</li>"
            for i in card.order
        )
        return f"<p>{escape(label('passages', lang))}</p><ol>{items}</ol>"

    def option_key_html(self, option: Option) -> str:
        source = option.source
        return f'<q lang="zh">{escape(source.text)}</q>' + (
            f'<br><small lang="en">{escape(source.gloss_en)}</small>' if source.gloss_en else "")

    def lms_choice(self, option: Option, fraction: float) -> LmsChoice:
        quote = option.source.text  # the passage is Chinese in every language; the gloss goes beside it
        return LmsChoice(Text(zh=quote, en=quote), fraction, option.feedback, option.source.gloss_en)
