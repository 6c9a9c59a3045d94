"""The item-analysis report: plots, and one self-contained HTML page.

The page has inline CSS and its plots as inline PNG ``data:`` URIs, so it opens from a
USB stick or an e-mail with nothing else beside it; every text from a file or a bank is
HTML-escaped. The plots are :class:`~mediation_lessons.figures.ChartFigure` objects drawn
with the package's bundled Chinese font, so a notebook shows them as they are.
"""

from __future__ import annotations

import base64
from html import escape

import numpy as np
import pandas as pd

from mediation_lessons.figures import ChartFigure, chinese_rc
from mediation_lessons.teacher.analysis import TOO_EASY, TOO_HARD
from mediation_lessons.teacher.results import ClassResults

COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2", "#17becf"]


def score_histogram(results: ClassResults) -> ChartFigure:
    """Learners' first-attempt scores (percent of the quiz), one panel per quiz."""
    first = results.first_attempts()
    quizzes = sorted(results.banks)
    cols = min(3, max(1, len(quizzes)))
    rows = (len(quizzes) + cols - 1) // cols
    with chinese_rc():
        fig = ChartFigure(figsize=(3.3 * cols, 2.4 * max(rows, 1)), layout="constrained")
        axes = fig.subplots(max(rows, 1), cols, squeeze=False)
        for ax in axes.flat[len(quizzes):]:
            ax.set_visible(False)
        for ax, quiz in zip(axes.flat, quizzes):
            k = len(results.banks[quiz].questions)
            totals = 100 * first[first["quiz"] == quiz].groupby("learner")["score"].sum() / k
            ax.hist(totals.to_numpy(), bins=np.arange(0, 105, 10), color="#1f77b4", edgecolor="white")
            ax.set_title(quiz, fontsize=9)
            ax.set_xlim(0, 100)
            ax.set_xlabel("score on first attempts (%)", fontsize=8)
            ax.set_ylabel("learners", fontsize=8)
            ax.tick_params(labelsize=7)
        fig.suptitle("Scores on first attempts", fontsize=11)
    return fig


def facility_discrimination(items: pd.DataFrame) -> ChartFigure:
    """Each question as a point: facility on first attempts (x) and discrimination (y),
    with the bands the flags use."""
    with chinese_rc():
        fig = ChartFigure(figsize=(6.4, 4.2), layout="constrained")
        ax = fig.subplots()
        ax.axvspan(0, TOO_HARD, color="#f2dede", lw=0)
        ax.axvspan(TOO_EASY, 1.0, color="#f2dede", lw=0)
        ax.axhline(0, color="#888888", lw=0.8)
        for i, (quiz, group) in enumerate(items.groupby("quiz", sort=True)):
            ok = group.dropna(subset=["facility_first", "discrimination"])
            ax.scatter(ok["facility_first"], ok["discrimination"], s=22, color=COLOURS[i % len(COLOURS)],
                       label=quiz, alpha=0.85)
            for r in ok.itertuples():
                if r.discrimination < 0 or r.facility_first <= TOO_HARD or r.facility_first >= TOO_EASY:
                    ax.annotate(f"{quiz[:2]}·{r.number}", (r.facility_first, r.discrimination), fontsize=7,
                                xytext=(3, 3), textcoords="offset points")
        ax.set_xlim(0, 1)
        ax.set_ylim(-1, 1)
        ax.set_xlabel("facility (first attempts)")
        ax.set_ylabel("discrimination (item-rest r)")
        ax.set_title("Facility vs discrimination (shaded: too hard / too easy)", fontsize=10)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=7, loc="lower left", frameon=False)
    return fig


def option_shares(items: pd.DataFrame, flagged: pd.DataFrame) -> ChartFigure | None:
    """Share of first attempts choosing each option, for the flagged choice questions
    (the right options in green). None when no flagged question has options."""
    share_cols = [c for c in items.columns if c.startswith("share_")]
    keys = set(zip(flagged["quiz"], flagged["question"]))
    wanted = np.array([(q, i) in keys for q, i in zip(items["quiz"], items["question"])], dtype=bool)
    chosen = items[wanted & (items["key"] != "").to_numpy()]
    chosen = chosen[chosen[share_cols].notna().any(axis=1)] if share_cols else chosen.iloc[0:0]
    if chosen.empty:
        return None
    n = len(chosen)
    cols = min(4, n)
    rows = (n + cols - 1) // cols
    with chinese_rc():
        fig = ChartFigure(figsize=(2.6 * cols, 2.1 * rows), layout="constrained")
        axes = fig.subplots(rows, cols, squeeze=False)
        for ax in axes.flat[n:]:
            ax.set_visible(False)
        for ax, r in zip(axes.flat, chosen.itertuples(index=False)):
            r = r._asdict()
            letters = [c[-1] for c in share_cols if pd.notna(r[c])]
            values = [r[f"share_{x}"] for x in letters]
            key = set(r["key"].split(","))
            ax.bar(letters, values, color=["#2ca02c" if x in key else "#9a9a9a" for x in letters])
            ax.set_ylim(0, 1)
            ax.set_title(f"{r['quiz'][:2]} · {r['number']}. {r['question']}", fontsize=8)
            ax.tick_params(labelsize=7)
        fig.suptitle("Options chosen on first attempts, flagged questions (right options green)", fontsize=10)
    return fig


def _png(fig: ChartFigure | None, alt: str) -> str:
    if fig is None:
        return ""
    data = base64.b64encode(fig._repr_png_()).decode("ascii")
    return f'<figure><img alt="{escape(alt)}" src="data:image/png;base64,{data}"></figure>'


CSS = """
body{font-family:"Noto Sans SC","Noto Sans CJK SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;
margin:2em auto;max-width:70em;padding:0 1em;color:#222;line-height:1.4}
h1{font-size:1.5em}h2{font-size:1.2em;margin-top:2em;border-bottom:1px solid #ccc}
table{border-collapse:collapse;font-size:.85em;margin:.5em 0}
th,td{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}
th{background:#f3f3f3}td.num,th.num{text-align:right}
.warn{background:#fff8e1;border-left:4px solid #f0ad4e;padding:.4em .8em;font-size:.85em}
figure{margin:1em 0}img{max-width:100%}
.note{font-size:.85em;color:#555}
"""


def _table(df: pd.DataFrame) -> str:
    """A table with every cell escaped; numbers right-aligned."""
    if df.empty:
        return "<p class=note>(none)</p>"
    head = "".join(f'<th{" class=num" if pd.api.types.is_numeric_dtype(df[c]) and df[c].dtype != bool else ""}>'
                   f"{escape(str(c))}</th>" for c in df.columns)
    body = []
    for row in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, row):
            num = pd.api.types.is_numeric_dtype(df[c]) and df[c].dtype != bool
            text = "–" if (v is None or (isinstance(v, float) and np.isnan(v)) or v is pd.NA) else str(v)
            cells.append(f'<td{" class=num" if num else ""}>{escape(text)}</td>')
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def report_html(results: ClassResults, items: pd.DataFrame, quiz_table: pd.DataFrame, flagged: pd.DataFrame) -> str:
    """The whole report page (see the module's docstring)."""
    warnings = "".join(f"<li>{escape(w)}</li>" for w in results.warnings)
    parts = [
        "<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
        "<title>Quiz item analysis</title>", f"<style>{CSS}</style></head><body>",
        "<h1>Quiz item analysis · 测验题目分析</h1>",
        f"<p>{results.attempts['learner'].nunique()} learners, {len(results.attempts)} graded attempts, "
        f"{len(results.banks)} quizzes. Every answer was re-graded against the quiz bank. "
        "Facility is the mean score (0 to 1); discrimination is the correlation of a question with the rest of "
        "the quiz (first attempts); alpha is Cronbach's alpha (KR-20 when every question scores 0 or 1).</p>",
    ]
    if warnings:
        parts.append(f'<div class="warn"><strong>Warnings from the merge</strong><ul>{warnings}</ul></div>')
    parts += ["<h2>Quizzes</h2>", _table(quiz_table),
              "<h2>Flagged questions</h2>",
              f"<p class=note>Too easy: facility ≥ {TOO_EASY:.0%}; too hard: ≤ {TOO_HARD:.0%}; negative "
              "discrimination: the question works against the rest of the quiz (check the key and the wording); "
              "an unchosen distractor does no work.</p>",
              _table(flagged),
              "<h2>Plots</h2>",
              _png(score_histogram(results), "histogram of learners' first-attempt scores per quiz"),
              _png(facility_discrimination(items), "facility against discrimination of every question"),
              _png(option_shares(items, flagged), "share of learners choosing each option, flagged questions"),
              "<h2>All questions</h2>",
              "<p class=note>share_a, share_b, ...: options lettered as the quiz and the answer key show them; "
              "key: the right options.</p>",
              _table(items), "</body></html>"]
    return "\n".join(p for p in parts if p) + "\n"
