"""The type registry: one class per question type, and a quiz that draws each card once."""

import pytest

from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.bank import BANK_SCHEMA
from mediation_lessons.quiz.widgets import QuestionCard
from quiz_support import load_test_bank, make_quiz

ALL = ("single_choice", "multiple_choice", "true_false", "order", "match", "numeric", "short_text", "evidence")


def test_every_type_is_registered_once_in_schema_order():
    assert qtypes.QUESTION_TYPES == ALL
    assert BANK_SCHEMA["properties"]["questions"]["items"]["properties"]["type"]["enum"] == list(ALL)
    for name, kind in qtypes.TYPES.items():
        assert kind.name == name and set(kind.title) == {"en", "zh"}
    with pytest.raises(KeyError, match="unknown question type 'essay'; known: single_choice"):
        qtypes.get("essay")
    with pytest.raises(ValueError, match="registered twice"):
        qtypes.register(type(qtypes.get("order")))


@pytest.mark.parametrize("question", load_test_bank().questions, ids=lambda q: q.type)
def test_each_type_carries_every_hook(question):
    kind = qtypes.get(question.type)
    assert kind.grade(question, None).status == "empty"
    assert kind.static_html("99_test", question) and kind.key_html("99_test", question)
    assert kind.lms(question).kind in {"single", "multiple", "true_false", "order", "match", "numeric", "short_text"}


def _count_draws(monkeypatch):
    counts = {"render": 0, "relabel": 0}
    render, relabel = QuestionCard.render, QuestionCard.relabel

    def counted(name, real):
        def wrapper(self, *args):
            counts[name] += 1
            return real(self, *args)
        return wrapper

    monkeypatch.setattr(QuestionCard, "render", counted("render", render))
    monkeypatch.setattr(QuestionCard, "relabel", counted("relabel", relabel))
    return counts


def test_building_a_quiz_draws_each_card_once(data_dir, monkeypatch):
    counts = _count_draws(monkeypatch)
    quiz = make_quiz(data_dir)
    n = len(quiz.cards)
    assert counts == {"render": n, "relabel": n}


def test_restoring_saved_answers_still_draws_each_card_once(data_dir, monkeypatch):
    first = make_quiz(data_dir)
    first.cards[0].set_answer(0)
    first.cards[0].check()
    counts = _count_draws(monkeypatch)
    again = make_quiz(data_dir, lang="zh")
    assert counts == {"render": len(again.cards), "relabel": len(again.cards)}
    assert again.cards[0].result.correct and again.cards[0].radio.disabled
    assert "回答正确" in again.cards[0].feedback_text  # drawn in the quiz's language
