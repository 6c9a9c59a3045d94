"""What the quiz looks like without a kernel: a seeded display order, a static HTML view
(no answers) and a plain-text view. Both are identical on every run, so nbval can
compare them and a committed notebook shows the quiz on GitHub and nbviewer. What each
question shows after its prompt comes from its type (:mod:`.qtypes`)."""

from __future__ import annotations

from html import escape

from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.i18n import both, label, label_both
from mediation_lessons.quiz.model import Bank, Question
from mediation_lessons.quiz.qtypes.base import LETTERS, display_order, html_both

__all__ = ["LETTERS", "display_order", "html_both", "pass_mark_text", "plain_text", "shown_choices", "static_html"]


def shown_choices(bank_id: str, q: Question, lang: str) -> list[str]:
    """The labels a learner chooses from, in display order."""
    return qtypes.get(q.type).shown_choices(bank_id, q, lang)


def _pct(x: float) -> str:
    return f"{round(x * 100):d}"


def pass_mark_text(bank: Bank) -> str:
    """How many questions and the pass mark, in both languages (not escaped)."""
    return label_both("pass_mark", n=len(bank.questions), pct=_pct(bank.pass_mark))


def static_html(bank: Bank) -> str:
    """The questions in both languages, without answers, every bank string escaped."""
    out = ['<div class="ml-quiz-static">']
    out.append(f'<h3><span lang="en">{escape(bank.title.en)}</span> · <span lang="zh">{escape(bank.title.zh)}</span></h3>')
    out.append(
        f"<p>{escape(pass_mark_text(bank))}</p>"
        f'<p class="ml-static-note"><i><span lang="en">{escape(label("static_note", "en"))}</span> · '
        f'<span lang="zh">{escape(label("static_note", "zh"))}</span></i></p>'
    )
    out.append("<ol>")
    for q in bank.questions:
        kind = qtypes.get(q.type)
        out.append('<li class="ml-static-question">')
        out.append(f"<p><small>[{escape(both(kind.title))}]</small><br>")
        out.append(html_both(q.prompt) + "</p>")
        out.append(kind.static_html(bank.id, q))
        out.append("</li>")
    out.append("</ol></div>")
    return "".join(out)


def plain_text(bank: Bank) -> str:
    """A readable text version of :func:`static_html` (no ids, addresses or times)."""
    lines = [f"Quiz: {both(bank.title)}", pass_mark_text(bank)]
    for number, q in enumerate(bank.questions, 1):
        kind = qtypes.get(q.type)
        lines.append("")
        lines.append(f"{number}. [{kind.title['en']}] {q.prompt.en}")
        lines.append(f"   {q.prompt.zh}")
        lines += kind.plain_lines(bank.id, q)
    lines.append("")
    lines.append(label_both("static_note"))
    return "\n".join(lines)
