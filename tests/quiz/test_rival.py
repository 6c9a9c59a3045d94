"""Why the strongest rival answer is weaker reaches every reader of an analysis item: the
learner after Check, the teacher's answer key and the LMS export's general feedback."""

from __future__ import annotations

import html

from mediation_lessons.corpus import load_corpus
from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.quiz.widgets import show_quiz
from mediation_lessons.teacher.answer_key import answer_key_html
from mediation_lessons.teacher.lms import export_bank

BANK = "01_gaza_talks_2023_2024"


def analysis_item():
    bank = load_bank(BANK)
    return bank, next(q for q in bank.questions if q.level == "analysis" and q.rival and q.type == "single_choice")


def test_every_analysis_item_of_the_course_names_its_rival():
    from mediation_lessons.quiz.bank import check_banks
    from mediation_lessons.paths import default_root

    assert not check_banks(default_root())
    for path in sorted((default_root() / "quizzes").glob("[0-9][0-9]_*.yaml")):
        bank = load_bank(path.stem)
        assert all(q.rival for q in bank.questions if q.level == "analysis"), bank.id


def test_the_learner_reads_the_rival_after_check(tmp_path):
    bank, q = analysis_item()
    quiz = show_quiz(BANK, data_dir=tmp_path, learner="tester")
    card = next(c for c in quiz.cards if c.q.id == q.id)
    card.set_answer(q.correct_options[0])
    card.check_button.click()
    assert q.rival.en in html.unescape(card.explanation_text)
    quiz.set_language("zh")
    assert q.rival.zh in html.unescape(card.explanation_text)


def test_the_answer_key_and_the_lms_export_carry_the_rival():
    bank, q = analysis_item()
    corpus = load_corpus()
    assert html.escape(q.rival.en) in answer_key_html(bank, corpus)
    xml, _ = export_bank(bank, corpus, "moodle-xml", lang="en")
    assert html.escape(q.rival.en, quote=False) in xml.decode("utf-8")
