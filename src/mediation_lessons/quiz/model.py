"""A loaded question bank as typed, immutable objects (built by :mod:`.bank`)."""

from __future__ import annotations

from dataclasses import dataclass, replace

LANGS = ("zh", "en")
LEVELS = ("recall", "comprehension", "application", "analysis")
# what an item is about: the mediation itself, the sources, or a tool skill
FOCUSES = ("mediation", "source", "skill")


@dataclass(frozen=True)
class Text:
    """A learner-facing string in both languages."""

    zh: str
    en: str

    def get(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @classmethod
    def from_data(cls, data: dict | None) -> Text | None:
        return None if data is None else cls(zh=data["zh"], en=data["en"])


@dataclass(frozen=True)
class Source:
    """A citation: a verbatim quote of one document's clean text. A bank loaded with its
    corpus also carries the passage's one English gloss (from the parallel reader) and the
    quote as shown on its own ("…" where it cuts a sentence)."""

    doc: str
    quote: str
    gloss_en: str | None = None
    shown: str | None = None

    @classmethod
    def from_data(cls, data: dict) -> Source:
        return cls(doc=data["doc"], quote=data["quote"])

    def read_in(self, corpus) -> Source:
        """This citation with its gloss and shown form from ``corpus``."""
        return replace(self, gloss_en=corpus.gloss(self.doc, self.quote), shown=corpus.display_quote(self.doc, self.quote))

    @property
    def text(self) -> str:
        """What a reader sees of the quote."""
        return self.shown or self.quote


@dataclass(frozen=True)
class Option:
    """A choice. Evidence options carry a ``source`` (the passage) instead of ``text``."""

    correct: bool
    text: Text | None = None
    source: Source | None = None
    feedback: Text | None = None

    def label(self, lang: str) -> str:
        return self.text.get(lang) if self.text is not None else self.source.text


@dataclass(frozen=True)
class Pair:
    left: Text
    right: Text


@dataclass(frozen=True)
class Question:
    """One question. Fields that do not belong to its ``type`` keep their empty defaults."""

    id: str
    type: str                                 # a name in mediation_lessons.quiz.qtypes.TYPES
    level: str
    prompt: Text
    explanation: Text
    sources: tuple[Source, ...]
    hint: Text | None = None
    options: tuple[Option, ...] = ()          # single/multiple choice, evidence
    answer: bool | float | None = None        # true_false (bool), numeric (number)
    items: tuple[Text, ...] = ()              # order: written in the correct order
    pairs: tuple[Pair, ...] = ()              # match: written matched
    tolerance: float = 0.0                    # numeric
    range: tuple[float, float] | None = None  # numeric
    unit: Text | None = None                  # numeric
    accept: tuple[str, ...] = ()              # short_text
    focus: str | None = None                  # mediation, source or skill
    concepts: tuple[str, ...] = ()            # concept ids (corpus/concepts.yaml) it tests
    rival: Text | None = None                 # why the strongest rival answer is weaker

    @property
    def reasoning(self) -> Text:
        """The explanation a learner reads after answering, followed by why the strongest
        rival answer is weaker, where the item names one."""
        if self.rival is None:
            return self.explanation
        return Text(zh=f"{self.explanation.zh}{self.rival.zh}", en=f"{self.explanation.en} {self.rival.en}")

    @property
    def correct_options(self) -> tuple[int, ...]:
        return tuple(i for i, o in enumerate(self.options) if o.correct)


@dataclass(frozen=True)
class Bank:
    """A quiz: the questions of one notebook. ``file`` is how messages name its YAML file."""

    id: str
    title: Text
    pass_mark: float
    questions: tuple[Question, ...]
    file: str

    def question(self, question_id: str) -> Question:
        for q in self.questions:
            if q.id == question_id:
                return q
        raise KeyError(question_id)
