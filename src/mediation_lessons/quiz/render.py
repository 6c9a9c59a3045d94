"""What the quiz looks like without a kernel: a seeded display order, a static HTML view
(no answers) and a plain-text view. Both are identical on every run, so nbval can
compare them and a committed notebook shows the quiz on GitHub and nbviewer."""

from __future__ import annotations

import hashlib
import random
from html import escape

from mediation_lessons.quiz.i18n import TYPE_NAMES, both, label, label_both
from mediation_lessons.quiz.model import Bank, Question, Text

LANG_ORDER = ("en", "zh")
LETTERS = "abcdefghijklmnopqrstuvwxyz"


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


def shown_choices(bank_id: str, q: Question, lang: str) -> list[str]:
    """The labels a learner chooses from, in display order."""
    order = display_order(bank_id, q)
    if q.type in ("single_choice", "multiple_choice", "evidence"):
        return [q.options[i].label(lang) for i in order]
    if q.type == "true_false":
        return [label("true", lang), label("false", lang)]
    if q.type == "order":
        return [q.items[i].get(lang) for i in order]
    if q.type == "match":
        return [q.pairs[i].right.get(lang) for i in order]
    return []


def _choice_rows(bank_id: str, q: Question) -> list[tuple[str, str, str]]:
    """(English label, Chinese label, English gloss) of each choice, in display order; the
    gloss is an evidence passage's ``gloss_en``, "" for every other choice."""
    en, zh = shown_choices(bank_id, q, "en"), shown_choices(bank_id, q, "zh")
    if q.type == "evidence":
        glosses = [q.options[i].source.gloss_en or "" for i in display_order(bank_id, q)]
    else:
        glosses = [""] * len(en)
    return list(zip(en, zh, glosses))


def _pct(x: float) -> str:
    return f"{round(x * 100):d}"


def pass_mark_text(bank: Bank) -> str:
    """How many questions and the pass mark, in both languages (not escaped)."""
    return label_both("pass_mark", n=len(bank.questions), pct=_pct(bank.pass_mark))


def html_both(text: Text | None) -> str:
    """English, then Chinese, one per line, each in its own ``lang`` span; "" for no text."""
    if text is None:
        return ""
    return "<br>".join(f'<span lang="{lang}">{escape(text.get(lang))}</span>' for lang in LANG_ORDER)


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
        out.append(f'<li class="ml-static-question">')
        out.append(f"<p><small>[{escape(both(TYPE_NAMES[q.type]))}]</small><br>")
        out.append(html_both(q.prompt) + "</p>")
        if q.type == "match":
            out.append("<ul>" + "".join(f"<li>{escape(both(p.left))}</li>" for p in q.pairs) + "</ul>")
            out.append(f"<p>{escape(label('static_match', 'en'))} {escape(label('static_match', 'zh'))}</p>")
        elif q.type == "order":
            out.append(f"<p>{escape(label('static_order', 'en'))} {escape(label('static_order', 'zh'))}</p>")
        if q.type in ("numeric", "short_text"):
            key = "static_numeric" if q.type == "numeric" else "static_text"
            unit = f" ({escape(both(q.unit))})" if q.unit else ""
            out.append(f"<p>{escape(label_both(key))}{unit}</p>")
        else:
            rows = _choice_rows(bank.id, q)
            same = all(a == b for a, b, _ in rows)
            out.append("<ul>" + "".join(
                (f"<li>{escape(a)}" if same else f"<li>{escape(a)} · {escape(b)}")
                + (f'<br><small lang="en">{escape(g)}</small>' if g else "") + "</li>"
                for a, b, g in rows
            ) + "</ul>")
        out.append("</li>")
    out.append("</ol></div>")
    return "".join(out)


def plain_text(bank: Bank) -> str:
    """A readable text version of :func:`static_html` (no ids, addresses or times)."""
    lines = [f"Quiz: {both(bank.title)}", pass_mark_text(bank)]
    for number, q in enumerate(bank.questions, 1):
        lines.append("")
        lines.append(f"{number}. [{TYPE_NAMES[q.type]['en']}] {q.prompt.en}")
        lines.append(f"   {q.prompt.zh}")
        if q.type == "match":
            lines += [f"   - {both(p.left)}" for p in q.pairs]
            lines.append(f"   {label('static_match', 'en')}")
        if q.type == "numeric":
            lines.append(f"   {label('static_numeric', 'en')}" + (f" ({q.unit.en})" if q.unit else ""))
        elif q.type == "short_text":
            lines.append(f"   {label('static_text', 'en')}")
        else:
            for letter, (a, b, g) in zip(LETTERS, _choice_rows(bank.id, q)):
                lines.append(f"   {letter}) {a}" if a == b else f"   {letter}) {a} · {b}")
                if g:
                    lines.append(f"      ({g})")
    lines.append("")
    lines.append(label_both("static_note"))
    return "\n".join(lines)
