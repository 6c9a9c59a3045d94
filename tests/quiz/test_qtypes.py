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


def test_widgets_get_classes_and_first_values_at_construction(data_dir, monkeypatch):
    """In a kernel every change after a widget opens is one more message to the browser:
    building a quiz changes nothing per card (only the quiz's own summary lines)."""
    import ipywidgets as W

    updates = []
    real = W.Widget._send

    def spy(self, msg, buffers=None):
        if msg.get("method") == "update":
            updates.append((type(self).__name__, tuple(sorted(msg["state"]))))
        return real(self, msg, buffers)

    monkeypatch.setattr(W.Widget, "_send", spy)
    quiz = make_quiz(data_dir)
    assert not [u for u in updates if "_dom_classes" in u[1]]
    assert len(updates) <= 3, updates  # score, review and the language tooltips at most
    assert quiz.cards[0].prompt.value and "ml-control" in quiz.cards[0].control._dom_classes


NEW_TYPE = r'''
import sys
sys.path.insert(0, {here!r})
from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.qtypes.true_false import TrueFalse

@qtypes.register
class YesNo(TrueFalse):  # a new type: one class, registered before the bank module loads
    name = "yes_no"
    title = {{"en": "yes or no", "zh": "是非题"}}

from quiz_support import BANK, make_quiz
from mediation_lessons.teacher.lms import export_bank
quiz = make_quiz({data!r}, BANK.replace("type: true_false", "type: yes_no"))
card = next(c for c in quiz.cards if c.q.id == "tf")
card.set_answer(False)
card.check()
print(card.feedback_text.split(".")[0])
print("[yes or no · 是非题]" in quiz.static_html())
print('type="truefalse"' in export_bank(quiz.bank, quiz.corpus, "moodle-xml", "en")[0].decode())
'''


def test_a_new_type_is_one_registered_class(tmp_path):
    """Schema, grading, widget, static view and export all follow the registration."""
    import subprocess
    import sys
    from pathlib import Path

    code = NEW_TYPE.format(here=str(Path(__file__).parent), data=str(tmp_path))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.split("\n")[:3] == ["Correct ✓ (score 100%)", "True", "True"]


@pytest.mark.parametrize("qid, answer, lang, text", [
    ("single", 1, "en", "Qatar <i>&amp;</i>"),
    ("single", 9, "en", "9"),                 # an index the bank no longer has still shows
    ("single", None, "en", ""),
    ("multi", [2, 0], "zh", "甲; 丙"),
    ("multi", ["x", 3, 1], "en", "B; D; x"),
    ("tf", False, "zh", "错误"),
    ("order-it", [1, 0, 2, None], "en", "Second → First → Third → ?"),
    ("match-it", [1, 0, 2, 3], "en", "Oman → host of Hamas office; Qatar → messenger; UNSC → resolution 2735; CIA → Paris meeting"),
    ("votes", 14.0, "en", "14"),
    ("host", "Oman ", "en", "Oman "),
    ("evidence-it", 1, "en", "…两国高层首次面对面会谈"),  # "…": the quote cuts its sentence
])
def test_answer_text_says_the_answer_in_words(qid, answer, lang, text):
    assert qtypes.answer_text(load_test_bank().question(qid), answer, lang) == text
