"""What every LMS format shares: the language choice, the texts of a question (stem,
general feedback with the explanation and the cited passages) and the warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape as _escape

from mediation_lessons.corpus import Corpus
from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.i18n import LABELS
from mediation_lessons.quiz.model import Bank, Question, Text
from mediation_lessons.quiz.qtypes import LmsItem

LANGS = ("en", "zh", "both")


def escape(text: str) -> str:
    """Text as HTML element content (quotes need no escaping outside attributes)."""
    return _escape(text, quote=False)


def number(x: float) -> str:
    """A number as an LMS reads it: no exponent, no trailing zeros (14, 0.5, 33.33333)."""
    text = f"{x:.7f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def moodle_answer(text: str) -> str:
    """An accepted short answer as Moodle reads it: ``*`` is its wildcard, ``\\*`` a literal star."""
    return text.replace("*", "\\*")


@dataclass
class Export:
    """One bank in one language for one format; ``warnings`` collects what it cannot carry."""

    bank: Bank
    corpus: Corpus
    lang: str
    format: str
    warnings: list[str] = field(default_factory=list)

    def __post_init__(self):
        if self.lang not in LANGS:
            raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {self.lang!r}")

    # -- texts ------------------------------------------------------------------------------------
    def text(self, t: Text | dict | None) -> str:
        """``t`` in the chosen language; for ``both``, "en · zh", or one of them where they agree."""
        if t is None:
            return ""
        en, zh = (t.en, t.zh) if isinstance(t, Text) else (t["en"], t["zh"])
        if self.lang == "en":
            return en
        if self.lang == "zh":
            return zh
        return en if en == zh else f"{en} · {zh}"

    def label(self, key: str) -> str:
        return self.text(LABELS[key])

    def item(self, q: Question) -> LmsItem:
        return qtypes.get(q.type).lms(q)

    def title(self) -> str:
        return self.text(self.bank.title)

    def stem_html(self, q: Question) -> str:
        """The prompt as HTML (escaped), with the unit of a numeric answer."""
        html = f"<p>{escape(self.text(q.prompt))}</p>"
        unit = self.item(q).unit
        if unit is not None:
            html += f"<p>({escape(self.text(unit))})</p>"
        return html

    def choice_html(self, text: Text, gloss: str | None = None) -> str:
        """An answer as HTML: its text and, for a cited passage, the English gloss."""
        html = escape(self.text(text))
        return html + (f"<br><small>{escape(gloss)}</small>" if gloss else "")

    def passages(self, q: Question) -> list[tuple[str, str, str | None]]:
        """(document title, quote, English gloss) of each cited passage."""
        return [(self.text({"en": self.corpus.title(s.doc, "en"), "zh": self.corpus.title(s.doc, "zh")}), s.text, s.gloss_en)
                for s in q.sources]

    def general_feedback_html(self, q: Question) -> str:
        """The explanation and the cited passages (quote and gloss), escaped HTML."""
        rows = "".join(
            f"<li>{escape(title)}: <q>{escape(quote)}</q>" + (f"<br><small>{escape(gloss)}</small>" if gloss else "") + "</li>"
            for title, quote, gloss in self.passages(q)
        )
        return (f"<p><b>{escape(self.label('explanation'))}:</b> {escape(self.text(q.reasoning))}</p>"
                f"<p><b>{escape(self.label('key_sources'))}:</b></p><ul>{rows}</ul>")

    # -- warnings ---------------------------------------------------------------------------------
    def warn(self, q: Question, message: str) -> None:
        self.warnings.append(f"{self.format}: {self.bank.file}: question {q.id} ({q.type}): {message}")

    def check_moodle_match(self, q: Question, pairs: int) -> None:
        """Moodle refuses a matching question with fewer than three answers."""
        if pairs < 3:
            self.warn(q, f"Moodle needs at least 3 pairs in a matching question, this one has {pairs}: Moodle will refuse it")
