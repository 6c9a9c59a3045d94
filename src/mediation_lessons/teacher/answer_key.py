"""The teacher's answer key: every question of a quiz with its answer, explanation and sources.

A standalone page to print or keep open while teaching, in both languages. Questions are
numbered and their choices lettered in the order the quiz shows them (the same seeded
order), and each carries its id, the name the exported results use. Every bank string is
escaped; the page loads nothing from the network.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from mediation_lessons.corpus import Corpus, load_corpus
from mediation_lessons.paths import default_root
from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.bank import BANK_GLOB, load_bank
from mediation_lessons.quiz.i18n import LEVEL_NAMES, both, label, label_both
from mediation_lessons.quiz.model import Bank
from mediation_lessons.quiz.render import html_both, pass_mark_text

STYLE = """
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em; line-height: 1.5 }
.ml-key-question { border-top: 1px solid #bbb; padding-top: 0.6em; margin-top: 1.2em; break-inside: avoid-page }
.ml-key-right { color: #1a7f37; font-weight: bold }
.ml-key-meta, .ml-key-feedback { color: #444; font-size: 90% }
li { margin-bottom: 0.35em }
"""


def answer_key_html(bank: Bank, corpus: Corpus) -> str:
    """The answer key of ``bank`` as a whole HTML page."""
    title = f"{label('key_title', 'en')}: {bank.title.en} · {label('key_title', 'zh')}：{bank.title.zh}"
    out = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">',
        f"<title>{escape(title)}</title><style>{STYLE}</style></head><body>",
        f"<h1>{escape(title)}</h1>",
        f'<p class="ml-key-meta">{escape(pass_mark_text(bank))}<br>'
        f'{escape(label("key_note", "en"))}<br>{escape(label("key_note", "zh"))}</p>',
    ]
    for number, q in enumerate(bank.questions, 1):
        qtype = qtypes.get(q.type)
        kind = f"{both(qtype.title)}; {both(LEVEL_NAMES[q.level])}"
        out.append(f'<section class="ml-key-question" id="{escape(q.id)}">')
        out.append(f'<h2>{number}. <small class="ml-key-meta">[{escape(kind)}; id <code>{escape(q.id)}</code>]</small></h2>')
        out.append(f"<p>{html_both(q.prompt)}</p>")
        out.append(f"<h3>{escape(label_both('key_answer'))}</h3>{qtype.key_html(bank.id, q)}")
        out.append(f"<h3>{escape(label_both('explanation'))}</h3><p>{html_both(q.reasoning)}</p>")
        if q.hint is not None:
            out.append(f"<h3>{escape(label_both('hint_label'))}</h3><p>{html_both(q.hint)}</p>")
        out.append(f"<h3>{escape(label_both('key_sources'))}</h3>")
        out.extend(corpus.passage(s.doc, s.quote)._repr_html_() for s in q.sources)
        out.append("</section>")
    out.append("</body></html>\n")
    return "\n".join(out)


def write_answer_keys(bank_ids: list[str] | None = None, folder: Path | str = ".",
                      root: Path | str | None = None) -> list[Path]:
    """Write ``answer-key-<bank>.html`` into ``folder`` for each bank (default: every bank).

    Raises :class:`~mediation_lessons.errors.DataError` for an unknown or broken bank,
    before anything is written.
    """
    root = Path(root) if root else default_root()
    corpus = load_corpus(root)
    ids = bank_ids or sorted(p.stem for p in (root / "quizzes").glob(BANK_GLOB))
    banks = [load_bank(bank_id, root, corpus) for bank_id in ids]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for bank in banks:
        path = folder / f"answer-key-{bank.id}.html"
        path.write_text(answer_key_html(bank, corpus), encoding="utf-8")
        paths.append(path)
    return paths
