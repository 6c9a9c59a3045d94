"""The quiz drawn with ipywidgets 8 core widgets (no custom front-end code).

Widgets only draw and call :mod:`.grading`; callbacks update ``HTML`` widget values
(``print`` in a callback is invisible in JupyterLab). Every bank string goes through
``html.escape``. DOM classes (``ml-...``) are the contract browser tests select by.
"""

from __future__ import annotations

import re
import unicodedata
from html import escape
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W

from mediation_lessons.corpus import Corpus, load_corpus
from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.quiz.grading import CORRECT, EMPTY, INCOMPLETE, PARTIAL, WRONG, Result, grade
from mediation_lessons.quiz.i18n import TYPE_NAMES, label, label_html
from mediation_lessons.quiz.model import Bank, Question
from mediation_lessons.quiz.progress import ProgressStore, StoreWarning, export_results, export_stem, latest_attempts
from mediation_lessons.quiz.render import display_order, plain_text, shown_choices, static_html

DEFAULT_LEARNER = "learner"
LANG_OPTIONS = [("中文", "zh"), ("English", "en")]
CHOICE_TYPES = ("single_choice", "evidence", "true_false")
# Words carry the verdict; the colour and symbol only repeat it.
VERDICT_STYLE = {CORRECT: ("#1a7f37", "✓"), PARTIAL: ("#9a6700", "◐"), WRONG: ("#cf222e", "✗")}
# ipywidgets gives every radio option one fixed-height line, so a long option overlaps the
# next one, and a Dropdown a fixed 300px, which cuts long items; these rules, scoped to
# the quiz, let options wrap and selectors use the width of the card.
QUIZ_CSS = """
.ml-quiz .widget-radio-box label { display: flex; align-items: flex-start; height: auto;
  line-height: 1.4; margin: 0.25em 0; white-space: normal; }
.ml-quiz .widget-radio-box input { order: -1; flex: none; float: none; height: auto;
  margin: 0.2em 0.6em 0 1px; }
.ml-quiz .widget-checkbox, .ml-quiz .widget-checkbox label { height: auto; line-height: 1.4;
  white-space: normal; overflow: visible; }
.ml-quiz .ml-control .widget-hbox { align-items: center; }
.ml-quiz .ml-control .widget-hbox > .widget-html:first-child { flex: 0 0 35%; }
.ml-quiz .ml-control .widget-html-content { line-height: 1.4; }
.ml-quiz .ml-control .widget-dropdown { flex: 1 1 auto; width: auto; max-width: 62%; }
"""


def _pct(x: float) -> int:
    return round(x * 100)


def _html_to_text(value: str) -> str:
    """What a reader sees in an HTML widget: tags dropped, entities decoded."""
    import html as _html

    text = re.sub(r"<br\s*/?>|</p>|</li>", "\n", value)
    return _html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _parse_number(text: str) -> float | None | str:
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


def _style_for(widget_class: type[W.Widget]) -> W.Widget:
    """A new Style model of the class ``widget_class`` expects (not all are exported)."""
    return widget_class.class_traits()["style"].klass()


class Looks:
    """The Layout and Style models of one quiz, each shared by all widgets of a kind.

    By default every widget brings its own Layout and Style model, so an HTML line costs
    three models and a question about fifty, each opened in the kernel and drawn in the
    browser. Shared, a question needs about fifteen. Only a widget that changes its layout
    (:func:`_hide`) gets a Layout of its own.
    """

    def __init__(self):
        self.plain = W.Layout()
        self.auto_width = W.Layout(width="auto")
        self.card = W.Layout(border="1px solid #ccc", padding="0.5em", margin="0.5em 0")
        self.row_label = W.Layout(min_width="12em")
        self.html_style = _style_for(W.HTML)
        self.button_style = _style_for(W.Button)
        self.description_style = _style_for(W.RadioButtons)  # Dropdown uses the same class
        self.checkbox_style = _style_for(W.Checkbox)
        self.text_style = _style_for(W.Text)
        self.toggle_style = _style_for(W.ToggleButtons)

    def html_line(self, css: str | None = None, layout: W.Layout | None = None) -> W.HTML:
        widget = W.HTML(layout=layout or self.plain, style=self.html_style)
        if css:
            widget.add_class(css)
        return widget

    def box(self, children: list[W.Widget], vertical: bool = False, layout: W.Layout | None = None) -> W.Box:
        return (W.VBox if vertical else W.HBox)(children, layout=layout or self.plain)

    def button(self, key: str, css: str, lang: str, on_click: Callable, own_layout: bool = False) -> W.Button:
        b = W.Button(description=label(key, lang), tooltip=label(key, lang),
                     layout=W.Layout() if own_layout else self.plain, style=self.button_style)
        b.add_class(css)
        b.on_click(lambda _b: on_click())
        return b


def _hide(widget: W.Widget, hidden: bool) -> None:
    widget.layout.display = "none" if hidden else None


class QuestionCard:
    """One question: prompt, control, Check / Hint / Retry / Show the source, feedback.

    Headless use (tests, scripts): ``set_answer(answer)`` with an answer in grading terms
    (bank indexes, see :mod:`.grading`), ``check()``, then read ``feedback_text``.
    """

    def __init__(self, quiz: Quiz, question: Question, number: int):
        self.quiz, self.q, self.number = quiz, question, number
        self.order = display_order(quiz.bank.id, question)
        self.attempts = 0
        self.result: Result | None = None  # last graded attempt
        self.answered = False              # showing a verdict (controls locked until Retry)
        self.message: str | None = None    # why the last Check was not graded
        self.hint_open = self.source_open = False
        lang = quiz.lang

        looks = quiz.looks
        self.header = looks.html_line()
        self.prompt = looks.html_line("ml-prompt")
        self.passages = looks.html_line()  # evidence: the passages, as rich text beside the plain radio labels
        self._build_control(lang)
        self.check_button = looks.button("check", "ml-check", lang, self.check)
        self.hint_button = looks.button("hint", "ml-hint", lang, self.toggle_hint, own_layout=True)
        self.retry_button = looks.button("retry", "ml-retry", lang, self.retry)
        self.source_button = looks.button("source", "ml-source", lang, self.toggle_source)
        _hide(self.hint_button, question.hint is None)
        self.feedback = looks.html_line("ml-feedback")
        self.attempts_html = looks.html_line("ml-attempts")
        self.hint_html = looks.html_line("ml-hint-text")
        self.explanation = looks.html_line("ml-explanation")
        self.source_html = looks.html_line("ml-source-text")
        buttons = looks.box([self.check_button, self.hint_button, self.retry_button, self.source_button, self.attempts_html])
        self.box = looks.box(
            [self.header, self.prompt, self.passages, self.control, buttons, self.feedback,
             self.hint_html, self.explanation, self.source_html],
            vertical=True, layout=looks.card,
        )
        self.box.add_class("ml-question")
        self.box.add_class(f"ml-q-{question.id}")
        self.relabel(lang)

    # -- controls ---------------------------------------------------------------------
    def _build_control(self, lang: str) -> None:
        q, looks = self.q, self.quiz.looks
        self.selectors: list[W.Dropdown] = []
        self.checkboxes: list[W.Checkbox] = []
        if q.type in CHOICE_TYPES:
            self.radio = W.RadioButtons(options=self._radio_options(lang), value=None,
                                        layout=looks.auto_width, style=looks.description_style)
            self.control = self.radio
        elif q.type == "multiple_choice":
            self.checkboxes = [W.Checkbox(value=False, indent=False, layout=looks.auto_width, style=looks.checkbox_style)
                               for _ in self.order]
            self.control = looks.box(self.checkboxes, vertical=True)
        elif q.type in ("order", "match"):
            n = len(q.items) if q.type == "order" else len(q.pairs)
            self.row_labels = [looks.html_line(layout=looks.row_label) for _ in range(n)]
            self.selectors = [W.Dropdown(options=self._dropdown_options(lang), value=None,
                                         layout=looks.plain, style=looks.description_style) for _ in range(n)]
            self.control = looks.box([looks.box([lab, sel]) for lab, sel in zip(self.row_labels, self.selectors)], vertical=True)
        else:
            self.text = W.Text(value="", continuous_update=False, layout=looks.plain, style=looks.text_style)
            self.unit = looks.html_line()
            self.control = looks.box([self.text, self.unit])
        self.control.add_class("ml-control")

    def _radio_options(self, lang: str) -> list[tuple[str, Any]]:
        if self.q.type == "true_false":
            return [(label("true", lang), True), (label("false", lang), False)]
        labels = shown_choices(self.quiz.bank.id, self.q, lang)
        if self.q.type == "evidence":  # plain-text labels: number them to match the passages shown
            return [(f"{n}. {text}", i) for n, (text, i) in enumerate(zip(labels, self.order), 1)]
        return list(zip(labels, self.order))

    def _dropdown_options(self, lang: str) -> list[tuple[str, int]]:
        return list(zip(shown_choices(self.quiz.bank.id, self.q, lang), self.order))

    def _controls(self) -> list[W.Widget]:
        if self.q.type in CHOICE_TYPES:
            return [self.radio]
        if self.q.type == "multiple_choice":
            return list(self.checkboxes)
        if self.selectors:
            return list(self.selectors)
        return [self.text]

    def answer(self) -> Any:
        """The current answer in grading terms (bank indexes, numbers, text)."""
        q = self.q
        if q.type in CHOICE_TYPES:
            return self.radio.value
        if q.type == "multiple_choice":
            return sorted(i for i, box in zip(self.order, self.checkboxes) if box.value)
        if self.selectors:
            return [sel.value for sel in self.selectors]
        if q.type == "numeric":
            return _parse_number(self.text.value)
        return self.text.value

    def set_answer(self, answer: Any) -> None:
        """Put ``answer`` (grading terms) into the controls, as a learner would."""
        q = self.q
        if q.type in CHOICE_TYPES:
            self.radio.value = answer
        elif q.type == "multiple_choice":
            chosen = set(answer or ())
            for i, box in zip(self.order, self.checkboxes):
                box.value = i in chosen
        elif self.selectors:
            for sel, value in zip(self.selectors, list(answer) + [None] * len(self.selectors)):
                sel.value = value
        elif q.type == "numeric":
            self.text.value = "" if answer is None else (f"{answer:g}" if isinstance(answer, (int, float)) else str(answer))
        else:
            self.text.value = answer or ""

    # -- actions ------------------------------------------------------------------------
    def check(self) -> None:
        answer = self.answer()
        if answer == "bad":
            self.message = "not_a_number"
        else:
            result = grade(self.q, answer)
            if result.graded:
                record = self.quiz.record(self.q, answer, result)
                self.attempts = record["attempt"]
                self.result, self.answered, self.message = result, True, None
            else:
                self.message = next((k for k in result.feedback if k == "duplicate"), None) or (
                    INCOMPLETE if result.status == INCOMPLETE else EMPTY
                )
        self._lock(self.answered)
        self.render()
        self.quiz.update_summary()

    def retry(self) -> None:
        """Unlock the controls (the last answer stays, to be changed); attempts are kept."""
        self.answered, self.message = False, None
        self._lock(False)
        self.render()

    def toggle_hint(self) -> None:
        self.hint_open = not self.hint_open
        self.render()

    def toggle_source(self) -> None:
        self.source_open = not self.source_open
        self.render()

    def restore(self, answer: Any, attempts: int) -> bool:
        """Show a saved attempt (after a kernel restart). False if it no longer fits the bank."""
        try:
            result = grade(self.q, answer)
            if not result.graded:
                return False
            self.set_answer(answer)
        except (ValueError, TypeError, KeyError, IndexError, W.TraitError):  # saved by an older version of the bank
            return False
        self.attempts, self.result, self.answered, self.message = attempts, result, True, None
        self._lock(True)
        self.render()
        return True

    def reset(self) -> None:
        """Back to unanswered (another learner with no saved attempt)."""
        self.set_answer([] if self.q.type == "multiple_choice" else ([None] * len(self.selectors) if self.selectors else None))
        self.attempts, self.result, self.answered, self.message = 0, None, False, None
        self.hint_open = self.source_open = False
        self._lock(False)
        self.render()

    def _lock(self, locked: bool) -> None:
        for widget in self._controls():
            widget.disabled = locked
        self.check_button.disabled = locked
        self.retry_button.disabled = not locked

    # -- text ---------------------------------------------------------------------------
    @property
    def feedback_text(self) -> str:
        return _html_to_text(self.feedback.value)

    @property
    def explanation_text(self) -> str:
        return _html_to_text(self.explanation.value)

    @property
    def hint_text(self) -> str:
        return _html_to_text(self.hint_html.value)

    @property
    def source_text(self) -> str:
        return _html_to_text(self.source_html.value)

    @property
    def score(self) -> float | None:
        return None if self.result is None else self.result.score

    def relabel(self, lang: str) -> None:
        """Every label in ``lang``; the answer in the controls is kept."""
        q = self.q
        kind = TYPE_NAMES[q.type][lang]
        total = len(self.quiz.bank.questions)
        self.header.value = f"<b>{escape(label('question_n', lang, n=self.number, total=total))}</b> <small>({escape(kind)})</small>"
        self.prompt.value = f'<p lang="{lang}">{escape(q.prompt.get(lang))}</p>'
        if q.type in CHOICE_TYPES:
            value = self.radio.value
            self.radio.options = self._radio_options(lang)
            self.radio.value = value
        elif q.type == "multiple_choice":
            for box, text in zip(self.checkboxes, shown_choices(self.quiz.bank.id, q, lang)):
                box.description = text
        elif self.selectors:
            options = self._dropdown_options(lang)
            for sel in self.selectors:
                value = sel.value
                sel.options = options
                sel.value = value
            if q.type == "order":
                lefts = [label("position", lang, n=n) for n in range(1, len(self.selectors) + 1)]
            else:
                lefts = [p.left.get(lang) for p in q.pairs]
            for lab, text in zip(self.row_labels, lefts):
                lab.value = escape(text)
        else:
            self.text.placeholder = label("number_placeholder" if q.type == "numeric" else "text_placeholder", lang)
            self.text.description = label("your_answer", lang)
            self.unit.value = escape(q.unit.get(lang)) if q.unit else ""
        if q.type == "evidence":
            corpus = self.quiz.corpus
            items = "".join(
                f'<li><q lang="zh">{escape(q.options[i].source.quote)}</q> '
                f"<small>({escape(corpus.title(q.options[i].source.doc, lang))})</small>"
                + (f"<br><small>{escape(q.options[i].source.gloss_en)}</small>" if lang == "en" and q.options[i].source.gloss_en else "")
                + "</li>"
                for i in self.order
            )
            self.passages.value = f"<p>{escape(label('passages', lang))}</p><ol>{items}</ol>"
        for button, key in ((self.check_button, "check"), (self.retry_button, "retry")):
            button.description = button.tooltip = label(key, lang)
        self.render()

    def render(self) -> None:
        """Redraw feedback, attempts, hint, explanation and source for the state and language."""
        lang = self.quiz.lang
        self.hint_button.description = self.hint_button.tooltip = label("hide_hint" if self.hint_open else "hint", lang)
        self.source_button.description = self.source_button.tooltip = label("hide_source" if self.source_open else "source", lang)
        self.attempts_html.value = escape(label("attempts", lang, n=self.attempts))
        if self.message:
            self.feedback.value = f"<p><b>{escape(label(self.message, lang))}</b></p>"
        elif self.answered and self.result is not None:
            self.feedback.value = self._verdict_html(self.result, lang)
        else:
            self.feedback.value = ""
        self.hint_html.value = (
            f"<p><b>{escape(label('hint_label', lang))}:</b> {escape(self.q.hint.get(lang))}</p>"
            if self.hint_open and self.q.hint else ""
        )
        self.explanation.value = (
            f"<p><b>{escape(label('explanation', lang))}:</b> {escape(self.q.explanation.get(lang))}</p>"
            if self.answered else ""
        )
        if self.source_open:
            corpus = self.quiz.corpus
            self.source_html.value = "".join(corpus.passage(s.doc, s.quote, s.gloss_en)._repr_html_() for s in self.q.sources)
        else:
            self.source_html.value = ""

    def _verdict_html(self, result: Result, lang: str) -> str:
        colour, symbol = VERDICT_STYLE[result.status]
        head = (
            f'<p><b style="color:{colour}">{escape(label(result.status, lang))}</b> {symbol} '
            f"({escape(label('score_of', lang, pct=_pct(result.score)))})</p>"
        )
        return head + "".join(f"<p>{line}</p>" for line in self._detail_lines(result, lang))

    def _detail_lines(self, result: Result, lang: str) -> list[str]:
        """Per-option, per-position or per-pair feedback, already escaped."""
        q, lines = self.q, []
        def verdict(ok: bool, right: str = "is_right", wrong: str = "is_wrong") -> str:
            return f"<b>{escape(label(right if ok else wrong, lang))}</b>"

        if q.type in ("single_choice", "multiple_choice", "evidence"):
            for part in result.parts:
                if part.missed:
                    continue
                option = q.options[part.index]
                line = label_html("choice_line", lang, option=escape(option.label(lang)), verdict=verdict(part.ok))
                if option.feedback:
                    line += f" {escape(option.feedback.get(lang))}"
                lines.append(line)
            missed = sum(1 for p in result.parts if p.missed)
            if missed:
                lines.append(escape(label("missed", lang, n=missed)))
        elif q.type == "order":
            lines.append(escape(label("pairs_right", lang, k=sum(p.ok for p in result.parts), n=len(result.parts))))
            for part in result.parts:
                lines.append(label_html("position_line", lang, n=part.index + 1, item=escape(q.items[part.chosen].get(lang)),
                                        verdict=verdict(part.ok, "right_place", "wrong_place")))
        elif q.type == "match":
            lines.append(escape(label("pairs_right", lang, k=sum(p.ok for p in result.parts), n=len(result.parts))))
            for part in result.parts:
                lines.append(label_html("pair_line", lang, left=escape(q.pairs[part.index].left.get(lang)),
                                        right=escape(q.pairs[part.chosen].right.get(lang)), verdict=verdict(part.ok)))
        elif q.type == "numeric":
            lines += [escape(label(key, lang)) for key in result.feedback]
        return lines


class Quiz:
    """A bank drawn as a quiz. Display it (last expression of a cell) or use ``.widget``.

    Its display carries the widget view, a static ``text/html`` rendering of the
    questions (no answers) and a deterministic ``text/plain``.
    """

    def __init__(self, bank: Bank, corpus: Corpus, store: ProgressStore, learner: str | None = None, lang: str = "en"):
        if lang not in ("zh", "en"):
            raise ValueError(f"lang must be 'zh' or 'en', not {lang!r}")
        self.bank, self.corpus, self.store, self.lang = bank, corpus, store, lang
        self.learner = (learner or "").strip() or DEFAULT_LEARNER
        self.looks = looks = Looks()
        self.style = looks.html_line("ml-style")
        self.style.value = f"<style>{QUIZ_CSS}</style>"
        self.title = looks.html_line()
        self.lang_toggle = W.ToggleButtons(options=LANG_OPTIONS, value=lang, layout=looks.plain, style=looks.toggle_style)
        self.lang_toggle.add_class("ml-lang")
        self.lang_toggle.observe(lambda change: self.set_language(change["new"]), names="value")
        self.learner_box = W.Text(value=self.learner, continuous_update=False, layout=looks.plain, style=looks.text_style)
        self.learner_box.add_class("ml-learner")
        self.learner_box.observe(lambda change: self.set_learner(change["new"]), names="value")
        self.warning = looks.html_line("ml-warning")
        self.cards = [QuestionCard(self, q, n) for n, q in enumerate(bank.questions, 1)]
        self.score_html = looks.html_line("ml-score")
        self.review_html = looks.html_line("ml-review")
        self.export_button = looks.button("export", "ml-export", lang, self.export)
        self.export_html = looks.html_line()
        self._export_message: tuple[str, dict] | None = None
        self.widget = looks.box(
            [self.style, self.title, looks.box([self.lang_toggle, self.learner_box]), self.warning]
            + [c.box for c in self.cards]
            + [self.score_html, self.review_html, looks.box([self.export_button, self.export_html])],
            vertical=True,
        )
        self.widget.add_class("ml-quiz")
        self._restore()
        self.set_language(lang)

    # -- state ------------------------------------------------------------------------------
    def record(self, question: Question, answer: Any, result: Result) -> dict:
        rec = self.store.record(self.learner, self.bank.id, question.id, answer, result.score, result.status)
        self._show_warnings()
        return rec

    def _restore(self) -> None:
        latest = latest_attempts(self.store.records(self.learner, self.bank.id))
        for card in self.cards:
            saved = latest.get((self.learner, self.bank.id, card.q.id))
            if saved is None or not card.restore(saved["answer"], saved["attempt"]):
                card.reset()
        self._show_warnings()

    def set_learner(self, name: str) -> None:
        """Switch to another learner's saved answers (a fresh quiz if they have none)."""
        name = (name or "").strip() or DEFAULT_LEARNER
        if name == self.learner:
            return
        self.learner = name
        if self.learner_box.value != name:
            self.learner_box.value = name
        self._restore()
        self.update_summary()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        if self.lang_toggle.value != lang:
            self.lang_toggle.value = lang  # observer calls back here; harmless
        self.title.value = f'<h3 lang="{lang}">{escape(self.bank.title.get(lang))}</h3>'
        self.learner_box.description = label("learner", lang)
        self.lang_toggle.tooltips = [label("language", lang)] * len(LANG_OPTIONS)
        self.export_button.description = self.export_button.tooltip = label("export", lang)
        for card in self.cards:
            card.relabel(lang)
        self._show_warnings()
        self._show_export_message()
        self.update_summary()

    def summary(self) -> dict:
        """Points (sum of each question's last score), answered count, total, passed."""
        scores = [c.score for c in self.cards if c.score is not None]
        total = len(self.cards)
        points = sum(scores)
        return {
            "points": points, "total": total, "answered": len(scores),
            "fraction": points / total if total else 0.0,
            "passed": total > 0 and points / total >= self.bank.pass_mark - 1e-9,
        }

    def update_summary(self) -> None:
        lang, s = self.lang, self.summary()
        points = f"{s['points']:.2f}".rstrip("0").rstrip(".")
        verdict = label("passed" if s["passed"] else "not_passed", lang)
        self.score_html.value = "<p><b>" + escape(label(
            "score_summary", lang, points=points, total=s["total"], pct=_pct(s["fraction"]),
            answered=s["answered"], pass_pct=_pct(self.bank.pass_mark), verdict=verdict,
        )) + "</b></p>"
        missed = [c for c in self.cards if c.score is not None and c.score < 1]
        unanswered = [str(c.number) for c in self.cards if c.score is None]
        parts = [f"<p><b>{escape(label('review_title', lang))}</b></p>"]
        if missed:
            parts.append("<ul>" + "".join(
                f"<li>{escape(label('review_item', lang, n=c.number, pct=_pct(c.score), prompt=c.q.prompt.get(lang)))}</li>"
                for c in missed
            ) + "</ul>")
        elif s["answered"]:
            parts.append(f"<p>{escape(label('review_none', lang))}</p>")
        if unanswered:
            parts.append(f"<p>{escape(label('unanswered', lang, numbers=', '.join(unanswered)))}</p>")
        self.review_html.value = "".join(parts)

    def _show_warnings(self) -> None:
        self.warning.value = "".join(
            f'<p style="border-left:4px solid #cf222e;padding-left:0.5em"><b>{escape(self._warning_text(w))}</b></p>'
            for w in self.store.warnings
        )

    def _warning_text(self, w: StoreWarning) -> str:
        return label(f"warn_{w.kind}", self.lang, detail=w.detail)

    @property
    def warning_text(self) -> str:
        return _html_to_text(self.warning.value)

    @property
    def score_text(self) -> str:
        return _html_to_text(self.score_html.value)

    @property
    def review_text(self) -> str:
        return _html_to_text(self.review_html.value)

    # -- export -----------------------------------------------------------------------------
    def export(self, folder: Path | str = ".") -> list[Path]:
        """This learner's results for this quiz as CSV and JSON in ``folder`` (the notebook's)."""
        stem = Path(folder) / export_stem(self.bank.id, self.learner)
        try:
            paths = [
                export_results(stem.with_suffix(".csv"), self.learner, self.bank.id, self.store),
                export_results(stem.with_suffix(".json"), self.learner, self.bank.id, self.store),
            ]
        except OSError as exc:
            self._export_message = ("export_failed", {"error": f"{exc.__class__.__name__}: {exc}"})
            self._show_export_message()
            return []
        self._export_message = ("exported", {"files": ", ".join(p.name for p in paths)})
        self._show_export_message()
        return paths

    def _show_export_message(self) -> None:
        if self._export_message:
            key, values = self._export_message
            self.export_html.value = escape(label(key, self.lang, **values))

    # -- display ----------------------------------------------------------------------------
    def static_html(self) -> str:
        return static_html(self.bank)

    def plain_text(self) -> str:
        return plain_text(self.bank)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude) or {}
        if isinstance(bundle, tuple):  # (data, metadata) form
            bundle = bundle[0]
        bundle = dict(bundle)
        bundle["text/html"] = self.static_html()
        bundle["text/plain"] = self.plain_text()
        return bundle

    def __repr__(self) -> str:
        return self.plain_text()


def show_quiz(bank_id: str, root: Path | str | None = None, learner: str | None = None, lang: str = "en",
              data_dir: Path | str | None = None) -> Quiz:
    """The quiz for ``quizzes/<bank_id>.yaml``, with saved progress restored.

    ``learner`` names whose answers are recorded (the learner can also type a name);
    ``data_dir`` overrides where progress is kept (default: ``$MEDIATION_LESSONS_DATA`` or
    the user's data directory). Raises :class:`~mediation_lessons.errors.DataError` if the
    bank is wrong.
    """
    corpus = load_corpus(root)
    bank = load_bank(bank_id, root, corpus)
    return Quiz(bank, corpus, ProgressStore(data_dir), learner=learner, lang=lang)


__all__ = ["Quiz", "QuestionCard", "show_quiz"]
