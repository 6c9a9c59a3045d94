"""Accessibility of the quiz in JupyterLab: an axe-core scan of every lesson's quiz, and
every question type answered and checked with the keyboard alone, the focus never leaving
the quiz. Charts have alt text."""

from __future__ import annotations

import re

import pytest

import lab_helpers as lab
from test_lab import FIRST_LESSON, NOTEBOOK_NAMES, expect, load_bank, run_without_errors

pytestmark = pytest.mark.browser

VERDICT = re.compile(r"^\s*(Correct|Not quite|Partly right)")
QUIZ = f"{lab.PANEL} .ml-quiz"


@pytest.mark.parametrize("notebook", NOTEBOOK_NAMES)
def test_axe_finds_no_serious_violations_in_the_quiz(page, lab_server, screenshot_dir, notebook):
    bank = load_bank(notebook)
    right_q, wrong_q = lab.choice_questions(bank)[:2]
    run_without_errors(page, lab_server, notebook)
    expect(lab.quiz(page).locator(".ml-check").first).to_be_enabled()
    found = lab.axe_violations(page, QUIZ)
    assert not found, f"{notebook}, quiz as opened:\n" + "\n".join(found)
    # answered, with verdicts, hints and sources open, in Chinese
    lab.answer(page, right_q, right=True)
    lab.answer(page, wrong_q, right=False)
    expect(lab.card(page, wrong_q).locator(".ml-feedback")).to_contain_text("Not quite")
    lab.card(page, wrong_q).locator(".ml-source").click()
    lab.quiz(page).locator(".ml-lang button", has_text="中文").click()
    expect(lab.card(page, right_q).locator(".ml-feedback")).to_contain_text("回答正确")
    found = lab.axe_violations(page, QUIZ)
    assert not found, f"{notebook}, quiz answered, in Chinese:\n" + "\n".join(found)


def test_quiz_semantics_in_the_browser(page, lab_server, screenshot_dir):
    """What axe cannot judge: groups, names, languages, live regions, pressed state."""
    bank = load_bank(FIRST_LESSON)
    run_without_errors(page, lab_server, FIRST_LESSON)
    quiz = lab.quiz(page)
    expect(quiz.locator(".ml-check").first).to_be_enabled()
    expect(quiz).to_have_attribute("lang", "en")
    buttons = quiz.locator(".ml-lang button")
    expect(buttons.filter(has_text="English")).to_have_attribute("aria-pressed", "true")
    expect(buttons.filter(has_text="中文")).to_have_attribute("aria-pressed", "false")
    expect(buttons.filter(has_text="中文")).to_have_attribute("lang", "zh")
    for q in bank.questions:
        card = lab.card(page, q)
        expect(card.locator(".ml-feedback")).to_have_attribute("role", "status")
        expect(card.locator(".ml-feedback")).to_have_attribute("aria-live", "polite")
        if q.type in ("single_choice", "true_false", "evidence"):
            group = card.locator("[role=radiogroup]")
            expect(group).to_have_count(1)
            names = group.locator("input[type=radio]").evaluate_all("rs => new Set(rs.map(r => r.name)).size === 1 && !!rs[0].name")
            assert names, f"{q.id}: the radio buttons are not one named group"
            prompt_id = group.get_attribute("aria-labelledby")
            expect(card.locator(f"[id='{prompt_id}']")).to_contain_text(q.prompt.en)
        if q.type in ("order", "match"):
            selects = card.locator("select")
            lefts = ([f"Position {n}" for n in range(1, len(q.items) + 1)] if q.type == "order"
                     else [p.left.en for p in q.pairs])
            for i, left in enumerate(lefts):
                expect(card.get_by_role("combobox", name=left, exact=True)).to_have_count(1)
                expect(selects.nth(i).locator("option:checked")).to_have_text("Choose…")
    # the focus ring: at least 2 px, and at least 3:1 against the page
    select = quiz.locator("select").first
    select.focus()
    ring = select.evaluate("""el => { const s = getComputedStyle(el);
      const bg = getComputedStyle(el.closest('.ml-question')).backgroundColor;
      return [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor, bg]; }""")
    assert ring[0] == "solid" and ring[1] >= 2, ring
    assert _contrast(ring[2], ring[3]) >= 3, ring
    quiz.locator(".ml-lang button", has_text="中文").click()
    expect(quiz).to_have_attribute("lang", "zh")
    expect(buttons.filter(has_text="中文")).to_have_attribute("aria-pressed", "true")
    expect(buttons.filter(has_text="English")).to_have_attribute("lang", "en")
    expect(quiz.locator(".ml-check").first).to_have_text("检查答案")
    # a Chinese control label inherits zh from the root, not a stray lang="en"
    expect(quiz.locator(".ml-check[lang]")).to_have_count(0)


def _contrast(fg: str, bg: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (a transparent background is white)."""
    def luminance(css: str) -> float:
        parts = [float(x) for x in re.findall(r"[\d.]+", css)]
        if len(parts) == 4 and parts[3] == 0:
            parts = [255, 255, 255]
        channels = [c / 255 for c in parts[:3]]
        lin = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]
    a, b = sorted((luminance(fg), luminance(bg)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def test_contrast_helper():
    assert round(_contrast("rgb(0, 0, 0)", "rgb(255, 255, 255)"), 1) == 21.0
    assert _contrast("rgb(11, 87, 208)", "rgba(0, 0, 0, 0)") > 6


def _tab_to(page, target, what: str, limit: int = 40) -> None:
    """Tab until `target` has the focus; the focus must stay in the quiz on the way."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        assert lab.focus_is_inside(page, QUIZ), f"Tab towards {what} left the quiz: focus on {lab.active_description(page)}"
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{limit} Tabs never reached {what}; focus on {lab.active_description(page)}")


def _press(page, key: str, what: str) -> None:
    page.keyboard.press(key)
    assert lab.focus_is_inside(page, QUIZ), f"{key} on {what} left the quiz: focus on {lab.active_description(page)}"


def test_every_question_type_with_the_keyboard_alone(page, lab_server, screenshot_dir):
    """Tab, arrow keys, Space, typing and Enter answer and check one question of each type;
    arrow keys move within a radio group or a drop-down (JupyterLab would take them to move
    between cells), and after Check the focus is on the verdict."""
    bank = load_bank(FIRST_LESSON)
    firsts = {}
    for q in bank.questions:
        firsts.setdefault(q.type, q)
    assert len(firsts) == 8, f"{FIRST_LESSON} needs one question of each type, has {sorted(firsts)}"
    run_without_errors(page, lab_server, FIRST_LESSON)
    quiz = lab.quiz(page)
    expect(quiz.locator(".ml-check").first).to_be_enabled()
    # into the quiz from the notebook: the first control of the first question
    first = lab.card(page, bank.questions[0]).locator("input, select").first
    assert lab.tab_until(page, first, limit=80), "Tab never reached the quiz"
    page.keyboard.press("Shift+Tab")  # so that _tab_to finds it again with its first press

    for q in sorted(firsts.values(), key=lambda q: bank.questions.index(q)):
        card = lab.card(page, q)
        card.scroll_into_view_if_needed()
        what = f"{q.id} ({q.type})"
        if q.type in ("single_choice", "true_false", "evidence"):
            radios = card.locator("input[type=radio]")
            _tab_to(page, radios.first, what)
            _press(page, "ArrowDown", what)
            expect(radios.nth(1)).to_be_checked()
            expect(radios.nth(1)).to_be_focused()
        elif q.type == "multiple_choice":
            box = card.locator("input[type=checkbox]").first
            _tab_to(page, box, what)
            _press(page, "Space", what)
            expect(box).to_be_checked()
        elif q.type in ("order", "match"):
            selects = card.locator("select")
            for i in range(selects.count()):
                _tab_to(page, selects.nth(i), f"{what}, row {i + 1}")
                for _ in range(i + 1):  # row i takes the (i+1)-th item: all different
                    _press(page, "ArrowDown", what)
                expect(selects.nth(i)).to_have_js_property("selectedIndex", i + 1)
                lab.wait_kernel_settled(page)
        else:
            box = card.locator("input[type=text]")
            _tab_to(page, box, what)
            page.keyboard.type("3" if q.type == "numeric" else "Oman")
        _tab_to(page, card.locator(".ml-check"), f"Check of {what}")
        lab.wait_kernel_settled(page)
        _press(page, "Enter", f"Check of {what}")
        feedback = card.locator(".ml-feedback")
        expect(feedback).to_contain_text(VERDICT)
        expect(feedback).to_be_focused()
        card.screenshot(path=str(screenshot_dir / f"keyboard_{q.type}.png"))
    expect(quiz.locator(".ml-score")).to_contain_text(f"Answered 8 of {len(bank.questions)}")


def test_chart_images_have_alt_text(page, lab_server):
    run_without_errors(page, lab_server, FIRST_LESSON)
    images = page.locator(f"{lab.PANEL} .jp-OutputArea-output img")
    assert images.count() >= 1
    for i in range(images.count()):
        alt = images.nth(i).get_attribute("alt") or ""
        assert len(alt) > 40, f"chart {i + 1} has no real alt text: {alt!r}"
    expect(page.locator(f"{lab.PANEL} img.ml-chart").first).to_have_attribute("alt", re.compile(r"Heat map: .+\d"))
