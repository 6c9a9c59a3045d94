"""A tiny widget notebook for testing the harness itself, independent of the lessons.

It uses the quiz DOM classes from docs/CONTRACTS.md with a few lines of plain
ipywidgets, so a failure here is the harness (Lab, Chromium, widgets), not a lesson.
"""

from __future__ import annotations

from pathlib import Path

import nbformat

NAME = "zz_harness_scratch.ipynb"

SOURCE = r'''
import ipywidgets as w
from IPython.display import HTML, display

T = {
    "en": {"prompt": "Which country hosted the February 2026 US-Iran talks?", "check": "Check",
           "right": "Correct: Oman passed the messages.", "wrong": "Not quite: look at the dateline.",
           "options": ["Oman", "Qatar", "Egypt"], "score": "Score: {n} of 1 right"},
    "zh": {"prompt": "2026年2月美伊会谈在哪个国家举行？", "check": "检查",
           "right": "回答正确：阿曼传递信息。", "wrong": "还不对：看看电头。",
           "options": ["阿曼", "卡塔尔", "埃及"], "score": "得分：1题中答对{n}题"},
}
state = {"lang": "en", "right": 0, "last": None}
lang = w.ToggleButtons(options=["中文", "English"], value="English")
prompt = w.HTML()
choice = w.RadioButtons(options=T["en"]["options"], value=None)
check = w.Button(description="Check")
feedback = w.HTML()
score = w.HTML()
card = w.VBox([prompt, choice, check, feedback])
lang.add_class("ml-lang"); card.add_class("ml-question"); card.add_class("ml-q-venue")
check.add_class("ml-check"); feedback.add_class("ml-feedback"); score.add_class("ml-score")

def draw():
    t = T[state["lang"]]
    index = None if choice.index is None else choice.index
    prompt.value = f"<b>{t['prompt']}</b>"
    choice.options = t["options"]
    choice.index = index
    check.description = t["check"]
    feedback.value = "" if state["last"] is None else t["right" if state["last"] else "wrong"]
    score.value = t["score"].format(n=state["right"])

def on_check(_):
    state["last"] = choice.index == 0
    state["right"] = int(state["last"])
    draw()

def on_lang(change):
    state["lang"] = "zh" if change["new"] == "中文" else "en"
    draw()

check.on_click(on_check)
lang.observe(on_lang, "value")
draw()
quiz = w.VBox([lang, card, score]); quiz.add_class("ml-quiz")
display(HTML('<div class="ml-quiz-static"><p>Which country hosted the February 2026 US-Iran talks?</p></div>'))
display(quiz)
'''


def write(folder: Path) -> str:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [
        nbformat.v4.new_markdown_cell("# Harness scratch notebook\n\nWritten by the browser tests; not a lesson."),
        nbformat.v4.new_code_cell("1 + 1"),
        nbformat.v4.new_code_cell(SOURCE.strip()),
    ]
    nbformat.write(nb, folder / NAME)
    return NAME
