"""The lessons in JupyterLab in headless Chromium, as a learner uses them.

One JupyterLab server and one Chromium serve the whole session (see conftest.py). Each
test opens its notebook in a fresh workspace (`?reset`) with an empty progress store.
"""

from __future__ import annotations

import re
import warnings

import pytest

import lab_helpers as lab
import scratch

pytestmark = pytest.mark.browser

NOTEBOOK_NAMES = sorted(p.name for p in lab.NOTEBOOKS.glob("*.ipynb"))
FIRST_LESSON = "00_start_here.ipynb"


def expect(locator):
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(locator)


def load_bank(notebook: str):
    from mediation_lessons.quiz.bank import load_bank as load

    return load(notebook.removesuffix(".ipynb"))


def run_without_errors(page, server, notebook: str) -> None:
    lab.open_notebook(page, server, notebook)
    lab.run_all(page)
    found, other = lab.stderr_outputs(page)
    assert not found, f"{notebook}: error output after Run All:\n\n" + "\n\n----\n\n".join(found)
    for text in other:
        warnings.warn(f"{notebook}: stderr output after Run All: {text[:300]}", stacklevel=2)


def test_harness_runs_a_widget_notebook(page, lab_server, screenshot_dir):
    """Lab, Chromium and ipywidgets work together, before any lesson is involved."""
    name = scratch.write(lab_server.root_dir)
    run_without_errors(page, lab_server, name)
    quiz = lab.quiz(page)
    card = quiz.locator(".ml-q-venue")
    card.get_by_label("Oman", exact=True).check()
    card.locator(".ml-check").click()
    expect(card.locator(".ml-feedback")).to_contain_text("Correct")
    quiz.locator(".ml-lang button", has_text="中文").click()
    expect(card.locator(".ml-feedback")).to_contain_text("回答正确")
    expect(quiz.locator(".ml-score")).to_contain_text("答对1题")
    lab.screenshot_notebook(page, screenshot_dir / "harness_scratch.png")


@pytest.mark.parametrize("notebook", NOTEBOOK_NAMES)
def test_lesson_runs_and_its_quiz_answers(page, lab_server, screenshot_dir, notebook):
    bank = load_bank(notebook)
    questions = lab.choice_questions(bank)
    assert len(questions) >= 2, f"{bank.file}: the browser test needs two single_choice or true_false questions"
    right_q, wrong_q = questions[0], questions[1]

    run_without_errors(page, lab_server, notebook)
    quiz = lab.quiz(page)
    expect(quiz).to_have_count(1)
    score = quiz.locator(".ml-score")
    score_before = score.text_content()

    for q in questions:  # every choice readable: long options wrap instead of overlapping
        overlaps = lab.overlapping_choices(lab.card(page, q))
        assert not overlaps, f"{notebook}, question {q.id}: options drawn over each other: {overlaps}"
    lab.answer(page, right_q, right=True)
    expect(lab.card(page, right_q).locator(".ml-feedback")).to_contain_text(re.compile(r"^\s*Correct"))
    lab.answer(page, wrong_q, right=False)
    expect(lab.card(page, wrong_q).locator(".ml-feedback")).to_contain_text(re.compile(r"^\s*Not quite"))

    total = len(bank.questions)
    expect(score).not_to_have_text(score_before)
    expect(score).to_contain_text(re.compile(rf"Score: 1(\.0+)? of {total}\b"))
    expect(score).to_contain_text(f"Answered 2 of {total}")

    quiz.locator(".ml-lang button", has_text="中文").click()
    expect(lab.card(page, right_q)).to_contain_text(right_q.prompt.zh)
    expect(lab.card(page, right_q).locator(".ml-feedback")).to_contain_text(re.compile(r"^\s*回答正确"))
    expect(lab.card(page, wrong_q).locator(".ml-feedback")).to_contain_text(re.compile(r"^\s*还不对"))
    expect(score).to_contain_text(re.compile(rf"得分：1(\.0+)? / {total}"))

    lab.screenshot_notebook(page, screenshot_dir / notebook.replace(".ipynb", ".png"))
    # the whole-notebook picture stops at its height cap; the answered quiz gets its own
    stem = notebook.replace(".ipynb", "")
    for name, part in (("right", lab.card(page, right_q)), ("wrong", lab.card(page, wrong_q)), ("score", score)):
        part.scroll_into_view_if_needed()
        part.screenshot(path=str(screenshot_dir / f"{stem}_quiz_{name}.png"))
    # checked last, so that a missing chart does not hide how the quiz behaves
    charts = lab.undrawn_charts(page)
    assert not charts, f"{notebook}: charts shown as text instead of an image:\n" + "\n".join(charts)


@pytest.mark.parametrize("front_end", ["lab", "notebook7"])
def test_a_saved_lesson_shows_its_quiz_without_running(page, lab_server, screenshot_dir, front_end):
    """A learner opening a saved lesson sees the questions and how to take the quiz, not
    "Error displaying widget: model not found". The notebook is signed (trusted), as one
    the learner saved is: then the front end would draw a stored widget view if it had one."""
    notebook = FIRST_LESSON
    if notebook not in NOTEBOOK_NAMES:
        pytest.fail(f"notebooks/{notebook} is missing")
    bank = load_bank(notebook)
    lab.trust_notebook(lab_server, lab_server.root_dir / notebook)
    lab.open_notebook(page, lab_server, notebook, front_end)
    static = page.locator(f"{lab.PANEL} .ml-quiz-static")
    # outputs far down are drawn when scrolled to: go to the last cell first
    page.locator(f"{lab.PANEL} .jp-Notebook .jp-Cell").last.scroll_into_view_if_needed()
    failed = page.locator(f"{lab.PANEL} .jp-OutputArea-output", has_text=re.compile("Error displaying widget|model not found"))
    page.wait_for_function(
        "sel => document.querySelector(sel + ' .ml-quiz-static') || [...document.querySelectorAll(sel + ' .jp-OutputArea-output')]"
        ".some(o => /Error displaying widget|model not found/.test(o.textContent))", arg=lab.PANEL)
    assert failed.count() == 0, f"{front_end}: {failed.first.text_content()!r}"
    expect(static).to_have_count(1)
    static.scroll_into_view_if_needed()
    expect(static).to_be_visible()
    expect(static.locator(".ml-static-note")).to_have_text("Run the notebook to take the quiz · 运行笔记本即可答题")
    for q in bank.questions[:3]:
        expect(static).to_contain_text(q.prompt.en)
        expect(static).to_contain_text(q.prompt.zh)
    expect(page.locator(f"{lab.PANEL} .ml-quiz")).to_have_count(0)  # nothing ran
    # the quiz is taller than the window: show its head (title, note, first questions)
    static.locator(".ml-static-note").evaluate("el => el.scrollIntoView({block: 'start'})")
    page.screenshot(path=str(screenshot_dir / f"saved_{front_end}_{notebook.replace('.ipynb', '')}_static_quiz.png"))


def test_notebook7_runs_a_lesson_and_answers_its_quiz(page, lab_server, screenshot_dir):
    notebook = FIRST_LESSON
    bank = load_bank(notebook)
    q = lab.choice_questions(bank)[0]
    lab.open_notebook(page, lab_server, notebook, "notebook7")
    lab.run_all(page)
    found, _ = lab.stderr_outputs(page)
    assert not found, f"Notebook 7, {notebook}: error output after Run All:\n" + "\n".join(found)
    expect(lab.quiz(page)).to_have_count(1)
    lab.answer(page, q, right=True)
    feedback = lab.card(page, q).locator(".ml-feedback")
    expect(feedback).to_contain_text(re.compile(r"^\s*Correct"))
    expect(lab.quiz(page).locator(".ml-score")).to_contain_text(f"Answered 1 of {len(bank.questions)}")
    lab.card(page, q).screenshot(path=str(screenshot_dir / "notebook7_00_start_here_quiz_right.png"))


def test_a_question_can_be_answered_with_the_keyboard_alone(page, lab_server):
    """Tab into the question's radio group, arrow keys to the right choice (the group is
    one Tab stop, as radio groups are), Tab to Check, Enter to press it.

    Every question type, and the focus staying in the quiz, are in test_a11y.py.
    """
    if FIRST_LESSON not in NOTEBOOK_NAMES:
        pytest.fail(f"notebooks/{FIRST_LESSON} is missing")
    bank = load_bank(FIRST_LESSON)
    q = lab.choice_questions(bank)[0]
    wanted = lab.choice_label(q, "en", right=True)
    run_without_errors(page, lab_server, FIRST_LESSON)
    card = lab.card(page, q)
    radios = card.locator("input[type=radio]")
    radio = card.get_by_label(wanted, exact=True)
    check = card.locator(".ml-check")
    # After Run All the focus is on the last cell, which holds the quiz: Tab walks into it.
    reached = lab.tab_until(page, radios.first, limit=80)
    assert reached, f"{FIRST_LESSON}: Tab never reached the choices of question {q.id}"
    for _ in range(radios.count()):
        if radio.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("ArrowDown")
    expect(radio).to_be_focused()
    page.keyboard.press("Space")
    expect(radio).to_be_checked()
    assert lab.tab_until(page, check, limit=20), f"{FIRST_LESSON}: Tab never reached Check of question {q.id}"
    page.keyboard.press("Enter")
    expect(card.locator(".ml-feedback")).to_contain_text(re.compile(r"^\s*Correct"))
