"""The base class of question types, the registry, and what the types share.

A type object is stateless: every method takes the :class:`~mediation_lessons.quiz.model.Question`
(or, before it is built, the question's data) and, for the widget methods, the
:class:`~mediation_lessons.quiz.widgets.QuestionCard` whose controls it draws. Widgets
are made through the card's ``quiz.looks`` factory, so this package needs no ipywidgets.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from html import escape
from typing import TYPE_CHECKING, Any

from mediation_lessons.quiz.grading import Result
from mediation_lessons.quiz.i18n import both, label, label_both, label_html
from mediation_lessons.quiz.model import Question, Text

if TYPE_CHECKING:  # only for annotations: the widgets import this package
    from mediation_lessons.quiz.widgets import QuestionCard

LETTERS = "abcdefghijklmnopqrstuvwxyz"
CONTROL_CSS = ("ml-control",)  # the box or widget holding a card's inputs (styled in widgets.QUIZ_CSS)
TYPES: dict[str, QuestionType] = {}


def register(cls: type[QuestionType]) -> type[QuestionType]:
    """Class decorator: make ``cls`` the type named ``cls.name``."""
    if cls.name in TYPES:
        raise ValueError(f"question type {cls.name!r} is registered twice")
    TYPES[cls.name] = cls()
    return cls


def get(name: str) -> QuestionType:
    try:
        return TYPES[name]
    except KeyError:
        raise KeyError(f"unknown question type {name!r}; known: {', '.join(TYPES)}") from None


def display_order(bank_id: str, question: Question) -> list[int]:
    """The shown order of options (choice, evidence), items (order) or right sides (match).

    Seeded from the bank and question ids with SHA-256 (Python's ``hash()`` of a string
    changes from one process to the next), so every run shows the same order.
    """
    n = len(question.options) or len(question.items) or len(question.pairs)
    order = list(range(n))
    seed = int.from_bytes(hashlib.sha256(f"{bank_id}\x00{question.id}".encode()).digest()[:8], "big")
    random.Random(seed).shuffle(order)
    return order


def html_both(text: Text | None) -> str:
    """English, then Chinese, one per line, each in its own ``lang`` span; "" for no text."""
    if text is None:
        return ""
    return "<br>".join(f'<span lang="{lang}">{escape(text.get(lang))}</span>' for lang in ("en", "zh"))


def verdict_html(ok: bool, lang: str, right: str = "is_right", wrong: str = "is_wrong") -> str:
    return f"<b>{escape(label(right if ok else wrong, lang))}</b>"


def number_text(x: float) -> str:
    return f"{x:g}"


def pick(labels: list[str], index: Any) -> str:
    """``labels[index]`` for a valid index, else the index as given (an answer from an
    older bank or a hand-edited file must still show)."""
    if isinstance(index, int) and not isinstance(index, bool) and 0 <= index < len(labels):
        return labels[index]
    return "" if index is None else str(index)


def duplicates(texts: list[dict], what: str, path: tuple, item: str, check: Any, key: str | None = None) -> None:
    """Report two entries with the same text in either language (a learner could not tell them apart)."""
    from mediation_lessons.quiz.grading import normalise_text

    for lang in ("en", "zh"):
        seen: dict[str, int] = {}
        for i, t in enumerate(texts):
            value = normalise_text((t[key] if key else t)[lang])
            if value in seen:
                sub = (i, key, lang) if key else (i, lang)
                check.add(f"{what} {seen[value] + 1} and {i + 1} have the same {lang} text", item, path + sub)
            seen.setdefault(value, i)


# -- what an LMS export reads ------------------------------------------------------------------

@dataclass(frozen=True)
class LmsChoice:
    """One answer an LMS shows. ``fraction`` is the share of the mark, -1..1 (Moodle's)."""

    text: Text
    fraction: float
    feedback: Text | None = None
    gloss: str | None = None  # an evidence passage's English gloss


@dataclass(frozen=True)
class LmsItem:
    """A question in LMS terms, whatever its type here. ``kind`` is one of
    single, multiple, true_false, order, match, numeric, short_text; the format writers
    (``mediation_lessons.teacher.lms``) know these kinds, never the bank's types."""

    kind: str
    choices: tuple[LmsChoice, ...] = ()
    answer: bool | None = None                 # true_false
    items: tuple[Text, ...] = ()               # order, in the right order
    pairs: tuple[tuple[Text, Text], ...] = ()  # match, (left, right)
    low: float | None = None                   # numeric: the accepted interval
    high: float | None = None
    value: float | None = None                 # numeric given as value +- tolerance (None for a range)
    tolerance: float = 0.0
    unit: Text | None = None
    accept: tuple[str, ...] = ()               # short_text


class QuestionType:
    """Shared behaviour; a subclass sets ``name``, ``title`` and what differs."""

    name = ""
    title: dict[str, str] = {}        # the type's name shown to learners, {"en", "zh"}
    fields: dict[str, dict] = {}      # JSON Schema of the fields only this type has
    required: tuple[str, ...] = ()    # which of them are required

    # -- bank: meaning, citations, build -----------------------------------------------------
    def check_meaning(self, q: dict, path: tuple, item: str, check: Any) -> None:
        """What the schema cannot say (``check.add(message, item, key_path)`` per problem)."""

    def citations(self, q: dict, path: tuple) -> list[tuple[tuple, dict]]:
        """Citations besides ``sources``: (key path, citation) pairs."""
        return []

    def build(self, q: dict) -> dict:
        """The :class:`Question` fields of this type, from checked data."""
        return {}

    # -- grading ---------------------------------------------------------------------------
    def grade(self, q: Question, answer: Any) -> Result:
        raise NotImplementedError

    def answer_text(self, q: Question, answer: Any, lang: str) -> str:
        """An answer (grading terms) in words, for a results table a teacher reads;
        "" for no answer. Indexes outside the question are shown as given."""
        return "" if answer is None else str(answer)

    # -- what a learner chooses from --------------------------------------------------------
    def choice_label(self, q: Question, index: int, lang: str) -> str:
        """The label of choice ``index`` (bank order); types without choices have none."""
        raise IndexError(index)

    def shown_choices(self, bank_id: str, q: Question, lang: str) -> list[str]:
        """The labels a learner chooses from, in display order."""
        return [self.choice_label(q, i, lang) for i in display_order(bank_id, q)]

    def choice_glosses(self, bank_id: str, q: Question) -> list[str]:
        """An English gloss beside each shown choice ("" for none)."""
        return [""] * len(self.shown_choices(bank_id, q, "en"))

    def choice_rows(self, bank_id: str, q: Question) -> list[tuple[str, str, str]]:
        """(English label, Chinese label, English gloss) of each choice, in display order."""
        en, zh = self.shown_choices(bank_id, q, "en"), self.shown_choices(bank_id, q, "zh")
        return list(zip(en, zh, self.choice_glosses(bank_id, q)))

    # -- static view (no answers) -------------------------------------------------------------
    def static_html(self, bank_id: str, q: Question) -> str:
        """What follows the prompt in the static view: the choices, escaped."""
        rows = self.choice_rows(bank_id, q)
        same = all(a == b for a, b, _ in rows)
        return "<ul>" + "".join(
            (f"<li>{escape(a)}" if same else f"<li>{escape(a)} · {escape(b)}")
            + (f'<br><small lang="en">{escape(g)}</small>' if g else "") + "</li>"
            for a, b, g in rows
        ) + "</ul>"

    def plain_lines(self, bank_id: str, q: Question) -> list[str]:
        """What follows the prompt in the plain-text view: lettered choices."""
        lines = []
        for letter, (a, b, g) in zip(LETTERS, self.choice_rows(bank_id, q)):
            lines.append(f"   {letter}) {a}" if a == b else f"   {letter}) {a} · {b}")
            if g:
                lines.append(f"      ({g})")
        return lines

    # -- answer key ---------------------------------------------------------------------------
    def key_html(self, bank_id: str, q: Question) -> str:
        """What is right, for the teacher's answer key, escaped."""
        raise NotImplementedError

    # -- widget --------------------------------------------------------------------------------
    def build_control(self, card: QuestionCard, lang: str):
        """Make the card's input widgets (labelled in ``lang``); return the box holding them.
        A type may also set ``card.passages``, an HTML widget shown above the control."""
        raise NotImplementedError

    def controls(self, card: QuestionCard) -> list:
        """The widgets a learner changes (locked after Check)."""
        raise NotImplementedError

    def answer(self, card: QuestionCard) -> Any:
        """The answer in the controls, in grading terms (see :mod:`..grading`)."""
        raise NotImplementedError

    def set_answer(self, card: QuestionCard, answer: Any) -> None:
        """Put ``answer`` (grading terms) into the controls, as a learner would."""
        raise NotImplementedError

    def blank_answer(self, card: QuestionCard) -> Any:
        return None

    def relabel(self, card: QuestionCard, lang: str) -> None:
        """The controls' labels in ``lang``; the answer in them is kept."""

    def detail_lines(self, q: Question, result: Result, lang: str) -> list[str]:
        """Per-option, per-position or per-pair feedback lines, escaped HTML."""
        return []

    # -- export ----------------------------------------------------------------------------------
    def lms(self, q: Question) -> LmsItem:
        """This question in LMS terms (read by every export format)."""
        raise NotImplementedError


# re-exported for the type modules
__all__ = [
    "CONTROL_CSS", "LETTERS", "TYPES", "LmsChoice", "LmsItem", "QuestionType", "both", "display_order", "duplicates",
    "get", "html_both", "label", "label_both", "label_html", "number_text", "pick", "register", "verdict_html",
]
