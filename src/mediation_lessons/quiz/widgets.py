"""The quiz drawn with ipywidgets 8 core widgets, plus one invisible front-end piece
(:class:`.a11y.A11y`) for what they cannot do: keys kept in the quiz, radio groups, the
verdict announced and focused, ``lang`` and ``aria-pressed``.

Widgets only draw and call :mod:`.grading`; callbacks update ``HTML`` widget values
(``print`` in a callback is invisible in JupyterLab). Every bank string goes through
``html.escape``. DOM classes (``ml-...``) are the contract browser tests select by.
"""

from __future__ import annotations

import re
from html import escape
from pathlib import Path
from typing import Any, Callable

import ipywidgets as W

from mediation_lessons.corpus import Corpus, load_corpus
from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.a11y import A11y
from mediation_lessons.quiz.grading import CORRECT, EMPTY, INCOMPLETE, PARTIAL, WRONG, Result, grade
from mediation_lessons.quiz.handin import hand_in
from mediation_lessons.quiz.i18n import label, label_html
from mediation_lessons.quiz.model import Bank, Question
from mediation_lessons.quiz.progress import ProgressStore, StoreWarning, export_results, export_stem, latest_attempts
from mediation_lessons.quiz.render import display_order, plain_text, static_html

DEFAULT_LEARNER = "learner"
LANG_OPTIONS = [("中文", "zh"), ("English", "en")]
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
.ml-quiz .ml-control .widget-dropdown > .widget-label { position: absolute !important; width: 1px;
  height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.ml-quiz .ml-question .widget-box { overflow: visible; }
.ml-quiz input:focus-visible, .ml-quiz select:focus, .ml-quiz button:focus-visible,
.ml-quiz input[type="text"]:focus, .ml-quiz .ml-feedback:focus {
  outline: 3px solid #0b57d0 !important; outline-offset: 2px; }
"""
# The dropdowns' own labels (their accessible names) are hidden: the row label beside each
# shows the same text. The focus ring is 3px of #0b57d0: 6.9:1 on white, 6:1 on the grey buttons.


def _pct(x: float) -> int:
    return round(x * 100)


def _html_to_text(value: str) -> str:
    """What a reader sees in an HTML widget: tags dropped, entities decoded."""
    import html as _html

    text = re.sub(r"<br\s*/?>|</p>|</li>", "\n", value)
    return _html.unescape(re.sub(r"<[^>]+>", "", text)).strip()


def _style_for(widget_class: type[W.Widget]) -> W.Widget:
    """A new Style model of the class ``widget_class`` expects (not all are exported)."""
    return widget_class.class_traits()["style"].klass()


class Looks:
    """The Layout and Style models of one quiz, each shared by all widgets of a kind.

    By default every widget brings its own Layout and Style model, so an HTML line costs
    three models and a question about fifty, each opened in the kernel and drawn in the
    browser. Shared, a question needs about fifteen. No widget changes its layout, so
    none needs a Layout of its own.
    """

    def __init__(self):
        self.plain = W.Layout()
        self.hidden = W.Layout(display="none")  # a hint button where there is no hint
        self.auto_width = W.Layout(width="auto")
        self.card = W.Layout(border="1px solid #ccc", padding="0.5em", margin="0.5em 0")
        self.row_label = W.Layout(min_width="12em")
        self.html_style = _style_for(W.HTML)
        self.button_style = _style_for(W.Button)
        self.description_style = _style_for(W.RadioButtons)  # Dropdown uses the same class
        self.checkbox_style = _style_for(W.Checkbox)
        self.text_style = _style_for(W.Text)
        self.toggle_style = _style_for(W.ToggleButtons)

    # Classes and first values go into the constructor: in a kernel, every change after
    # a widget is made is one more message to the browser (add_class was a third of them).
    def html_line(self, css: str | None = None, layout: W.Layout | None = None, value: str = "") -> W.HTML:
        return W.HTML(value=value, layout=layout or self.plain, style=self.html_style, _dom_classes=(css,) if css else ())

    def radio(self, options: list, css: tuple[str, ...] = ()) -> W.RadioButtons:
        return W.RadioButtons(options=options, value=None, layout=self.auto_width, style=self.description_style, _dom_classes=css)

    def checkbox(self, description: str = "") -> W.Checkbox:
        return W.Checkbox(value=False, description=description, indent=False, layout=self.auto_width, style=self.checkbox_style)

    def dropdown(self, options: list, value: Any = None, description: str = "") -> W.Dropdown:
        return W.Dropdown(options=options, value=value, description=description, layout=self.plain,
                          style=self.description_style)

    def text(self, placeholder: str = "", description: str = "", css: tuple[str, ...] = (), value: str = "") -> W.Text:
        return W.Text(value=value, placeholder=placeholder, description=description, continuous_update=False,
                      layout=self.plain, style=self.text_style, _dom_classes=css)

    def box(self, children: list[W.Widget], vertical: bool = False, layout: W.Layout | None = None,
            css: tuple[str, ...] = ()) -> W.Box:
        return (W.VBox if vertical else W.HBox)(children, layout=layout or self.plain, _dom_classes=css)

    def button(self, key: str, css: str, lang: str, on_click: Callable, disabled: bool = False,
               hidden: bool = False) -> W.Button:
        b = W.Button(description=label(key, lang), tooltip=label(key, lang), disabled=disabled,
                     layout=self.hidden if hidden else self.plain, style=self.button_style, _dom_classes=(css,))
        b.on_click(lambda _b: on_click())
        return b


class QuestionCard:
    """One question: prompt, control, Check / Hint / Retry / Show the source, feedback.

    Headless use (tests, scripts): ``set_answer(answer)`` with an answer in grading terms
    (bank indexes, see :mod:`.grading`), ``check()``, then read ``feedback_text``.
    """

    def __init__(self, quiz: Quiz, question: Question, number: int):
        self.quiz, self.q, self.number = quiz, question, number
        self.kind = qtypes.get(question.type)  # the type draws the controls, grading grades
        self.order = display_order(quiz.bank.id, question)
        self.attempts = 0
        self.result: Result | None = None  # last graded attempt
        self.answered = False              # showing a verdict (controls locked until Retry)
        self.message: str | None = None    # why the last Check was not graded
        self.hint_open = self.source_open = False
        lang = quiz.lang

        looks = quiz.looks
        self.header = looks.html_line(value=self._header_html(lang))
        self.prompt = looks.html_line("ml-prompt", value=self._prompt_html(lang))
        self.passages: W.HTML | None = None  # cited passages above the control (evidence sets it)
        self.control = self.kind.build_control(self, lang)  # classed ml-control by the type
        self.control_lang = lang  # the language the controls' labels are in
        self.check_button = looks.button("check", "ml-check", lang, self.check)
        self.hint_button = looks.button("hint", "ml-hint", lang, self.toggle_hint, hidden=question.hint is None)
        self.retry_button = looks.button("retry", "ml-retry", lang, self.retry, disabled=True)
        self.source_button = looks.button("source", "ml-source", lang, self.toggle_source)
        self.feedback = looks.html_line("ml-feedback")
        self.attempts_html = looks.html_line("ml-attempts", value=escape(label("attempts", lang, n=0)))
        self.hint_html = looks.html_line("ml-hint-text")
        self.explanation = looks.html_line("ml-explanation")
        self.source_html = looks.html_line("ml-source-text")
        buttons = looks.box([self.check_button, self.hint_button, self.retry_button, self.source_button, self.attempts_html])
        self.box = looks.box(
            [w for w in (self.header, self.prompt, self.passages, self.control, buttons, self.feedback,
                         self.hint_html, self.explanation, self.source_html) if w is not None],
            vertical=True, layout=looks.card, css=("ml-question", f"ml-q-{question.id}"),
        )
        # labels and state are drawn once, by Quiz.set_language, after the saved answers are restored

    # -- controls (drawn and read by the question's type) -------------------------------------
    def _controls(self) -> list[W.Widget]:
        return self.kind.controls(self)

    def answer(self) -> Any:
        """The current answer in grading terms (bank indexes, numbers, text)."""
        return self.kind.answer(self)

    def set_answer(self, answer: Any) -> None:
        """Put ``answer`` (grading terms) into the controls, as a learner would."""
        self.kind.set_answer(self, answer)

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

    def restore(self, answer: Any, attempts: int, draw: bool = True) -> bool:
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
        if draw:
            self.render()
        return True

    def reset(self, draw: bool = True) -> None:
        """Back to unanswered (another learner with no saved attempt)."""
        self.set_answer(self.kind.blank_answer(self))
        self.attempts, self.result, self.answered, self.message = 0, None, False, None
        self.hint_open = self.source_open = False
        self._lock(False)
        if draw:
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
        self.header.value = self._header_html(lang)
        self.prompt.value = self._prompt_html(lang)
        if lang != self.control_lang:
            self.kind.relabel(self, lang)
            self.control_lang = lang
        for button, key in ((self.check_button, "check"), (self.retry_button, "retry")):
            button.description = button.tooltip = label(key, lang)
        self.render()

    def _header_html(self, lang: str) -> str:
        total = len(self.quiz.bank.questions)
        return (f"<b>{escape(label('question_n', lang, n=self.number, total=total))}</b> "
                f"<small>{label_html('paren', lang, text=escape(self.kind.title[lang]))}</small>")

    def _prompt_html(self, lang: str) -> str:
        return f'<p lang="{lang}">{escape(self.q.prompt.get(lang))}</p>'

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
            f"<p><b>{label_html('colon', lang, text=escape(label('hint_label', lang)))}</b> {escape(self.q.hint.get(lang))}</p>"
            if self.hint_open and self.q.hint else ""
        )
        self.explanation.value = (
            f"<p><b>{label_html('colon', lang, text=escape(label('explanation', lang)))}</b> {escape(self.q.reasoning.get(lang))}</p>"
            if self.answered else ""
        )
        if self.source_open:
            corpus = self.quiz.corpus
            self.source_html.value = "".join(corpus.passage(s.doc, s.quote)._repr_html_() for s in self.q.sources)
        else:
            self.source_html.value = ""

    def _verdict_html(self, result: Result, lang: str) -> str:
        colour, symbol = VERDICT_STYLE[result.status]
        head = (
            f'<p><b style="color:{colour}">{escape(label(result.status, lang))}</b> {symbol} '
            f"{label_html('paren', lang, text=escape(label('score_of', lang, pct=_pct(result.score))))}</p>"
        )
        return head + "".join(f"<p>{line}</p>" for line in self._detail_lines(result, lang))

    def _detail_lines(self, result: Result, lang: str) -> list[str]:
        """Per-option, per-position or per-pair feedback, already escaped."""
        return self.kind.detail_lines(self.q, result, lang)


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
        self.title = looks.html_line(value=self._title_html(lang))
        self.a11y = A11y(lang=lang)
        self.lang_toggle = W.ToggleButtons(options=LANG_OPTIONS, value=lang, layout=looks.plain, style=looks.toggle_style,
                                           tooltips=[label("language", lang)] * len(LANG_OPTIONS), _dom_classes=("ml-lang",))
        self.lang_toggle.observe(lambda change: self.set_language(change["new"]), names="value")
        self.learner_box = looks.text(description=label("learner", lang), css=("ml-learner",), value=self.learner)
        self.learner_box.observe(lambda change: self.set_learner(change["new"]), names="value")
        self.warning = looks.html_line("ml-warning")
        self.cards = [QuestionCard(self, q, n) for n, q in enumerate(bank.questions, 1)]
        self.score_html = looks.html_line("ml-score")
        self.review_html = looks.html_line("ml-review")
        self.export_button = looks.button("export", "ml-export", lang, self.export)
        self.export_html = looks.html_line()
        self._export_message: tuple[str, dict] | None = None
        self.widget = looks.box(
            [self.style, self.a11y, self.title, looks.box([self.lang_toggle, self.learner_box]), self.warning]
            + [c.box for c in self.cards]
            + [self.score_html, self.review_html, looks.box([self.export_button, self.export_html])],
            vertical=True, css=("ml-quiz",),
        )
        self._restore(draw=False)
        self.set_language(lang)  # draws every card, once

    # -- state ------------------------------------------------------------------------------
    def record(self, question: Question, answer: Any, result: Result) -> dict:
        rec = self.store.record(self.learner, self.bank.id, question.id, answer, result.score, result.status)
        hand_in(rec)  # a copy into the class folder, when an admin set one (quiz/handin.py)
        self._show_warnings()
        return rec

    def _restore(self, draw: bool = True) -> None:
        """Each card back to this learner's last saved attempt; ``draw=False`` leaves the
        drawing to the caller (the first :meth:`set_language` draws every card once)."""
        latest = latest_attempts(self.store.records(self.learner, self.bank.id))
        for card in self.cards:
            saved = latest.get((self.learner, self.bank.id, card.q.id))
            if saved is None or not card.restore(saved["answer"], saved["attempt"], draw):
                card.reset(draw)
        self._show_warnings()

    def set_learner(self, name: str) -> None:
        """Record under ``name`` from now on.

        A name with saved answers to this quiz gets them back (learners sharing a
        machine). A new name keeps the answers on screen: they are copied to it, since the
        store is keyed by learner and a name typed after answering is the same learner.
        """
        name = (name or "").strip() or DEFAULT_LEARNER
        if name == self.learner:
            return
        previous, self.learner = self.learner, name
        if self.learner_box.value != name:
            self.learner_box.value = name
        if self.store.records(name, self.bank.id):
            self._restore()
        else:  # the screen already shows these answers: nothing to redraw
            self.store.copy_attempts(self.bank.id, previous, name)
            self._show_warnings()
        self.update_summary()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        if self.lang_toggle.value != lang:
            self.lang_toggle.value = lang  # observer calls back here; harmless
        self.title.value = self._title_html(lang)
        self.a11y.lang = lang
        self.learner_box.description = label("learner", lang)
        self.lang_toggle.tooltips = [label("language", lang)] * len(LANG_OPTIONS)
        self.export_button.description = self.export_button.tooltip = label("export", lang)
        for card in self.cards:
            card.relabel(lang)
        self._show_warnings()
        self._show_export_message()
        self.update_summary()

    def _title_html(self, lang: str) -> str:
        return f'<h3 lang="{lang}">{escape(self.bank.title.get(lang))}</h3>'

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
            parts.append(f"<p>{escape(label('unanswered', lang, numbers=label('list_sep', lang).join(unanswered)))}</p>")
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
        records = self.store.records(self.learner, self.bank.id)
        if not records:  # an empty file handed in looks like a student who did nothing
            self._export_message = ("export_empty", {"learner": self.learner})
            self._show_export_message()
            return []
        try:
            paths = [
                export_results(stem.with_suffix(".csv"), self.learner, self.bank.id, self.store),
                export_results(stem.with_suffix(".json"), self.learner, self.bank.id, self.store),
            ]
        except OSError as exc:
            self._export_message = ("export_failed", {"error": f"{exc.__class__.__name__}: {exc}"})
            self._show_export_message()
            return []
        answered = len({r["question"] for r in records})
        self._export_message = ("exported", {
            "learner": self.learner, "answered": answered, "total": len(self.cards),
            "attempts": len(records), "files": ", ".join(p.name for p in paths),
        })
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
