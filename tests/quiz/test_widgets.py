"""The quiz as a learner uses it: set the real widgets, click Check, read the words."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import ipywidgets as W

from mediation_lessons.quiz import show_quiz
from mediation_lessons.quiz.progress import ProgressStore, export_stem
from quiz_support import make_quiz

HERE = Path(__file__).resolve().parent


def card(quiz, question_id):
    return next(c for c in quiz.cards if c.q.id == question_id)


def click_check(c):
    c.check_button.click()
    return c.feedback_text


# -- every type: right, wrong, partial --------------------------------------------------------

def test_single_choice_right_and_wrong_with_option_feedback(quiz):
    c = card(quiz, "single")
    c.radio.value = 1  # Qatar
    text = click_check(c)
    assert text.startswith("Not quite")
    assert "Your choice “Qatar <i>&amp;</i>”: not right." in text  # shown as text, not markup
    assert "Qatar was not in these talks." in text
    assert "Explanation: Oman's foreign minister did." in c.explanation_text
    c.retry_button.click()
    assert c.feedback_text == "" and not c.radio.disabled
    c.radio.value = 0
    assert click_check(c).startswith("Correct") and "Yes, Oman." in c.feedback_text
    assert c.attempts == 2 and "Attempts: 2" in c.attempts_html.value


def test_multiple_choice_partial_then_right(quiz):
    c = card(quiz, "multi")
    by_label = {box.description: box for box in c.checkboxes}
    by_label["A"].value = True
    text = click_check(c)
    assert text.startswith("Partly right") and "score 50%" in text and "You missed 1 right option(s)." in text
    c.retry_button.click()
    by_label["B"].value = True
    assert click_check(c).startswith("Not quite") and "B is wrong." in c.feedback_text
    c.retry_button.click()
    by_label["B"].value = False
    by_label["C"].value = True
    assert click_check(c).startswith("Correct")


def test_true_false(quiz):
    c = card(quiz, "tf")
    assert [label for label, _ in c.radio.options] == ["True", "False"]
    c.radio.value = True
    assert click_check(c).startswith("Not quite")
    c.retry_button.click()
    c.radio.value = False
    assert click_check(c).startswith("Correct")


def test_order_with_dropdowns_partial_duplicate_and_right(quiz):
    c = card(quiz, "order-it")
    label_to_index = dict(c.selectors[0].options)
    for sel, name in zip(c.selectors, ["Second", "First", "Third", "Fourth"]):
        sel.value = label_to_index[name]
    text = click_check(c)
    assert text.startswith("Partly right") and "score 83%" in text
    assert "Position 1: Second: wrong place." in text and "Position 3: Third: right place." in text
    c.retry_button.click()
    c.selectors[1].value = label_to_index["Second"]  # now "Second" twice
    assert "Each item can be used only once" in click_check(c)
    assert c.attempts == 1  # not graded, not counted
    c.selectors[0].value = label_to_index["First"]
    assert click_check(c).startswith("Correct")


def test_order_incomplete_is_not_graded(quiz):
    c = card(quiz, "order-it")
    c.selectors[0].value = c.selectors[0].options[1][1]
    assert click_check(c).startswith("Fill in every position")
    assert c.attempts == 0


def test_match_with_dropdowns(quiz):
    c = card(quiz, "match-it")
    rights = dict(c.selectors[0].options)
    names = ["messenger", "host of Hamas office", "resolution 2735", "Paris meeting"]
    for sel, name in zip(c.selectors, names[:2][::-1] + names[2:]):
        sel.value = rights[name]
    text = click_check(c)
    assert text.startswith("Partly right") and "2 of 4 right" in text
    assert "Oman → host of Hamas office: not right." in text and "UNSC → resolution 2735: right." in text
    c.retry_button.click()
    for sel, name in zip(c.selectors, names):
        sel.value = rights[name]
    assert click_check(c).startswith("Correct")


def test_numeric_exact_range_full_width_and_not_a_number(quiz):
    c = card(quiz, "votes")
    c.text.value = "abc"
    assert click_check(c).startswith("Type a number") and c.attempts == 0
    c.text.value = "13"
    assert click_check(c).startswith("Not quite") and "too low" in c.feedback_text
    c.retry_button.click()
    c.text.value = "１４"  # full-width digits from a Chinese keyboard
    assert click_check(c).startswith("Correct")
    assert "votes" in c.unit.value
    r = card(quiz, "hostages")
    r.text.value = "105"
    assert click_check(r).startswith("Correct")


def test_short_text_aliases_in_both_languages(quiz):
    c = card(quiz, "host")
    c.text.value = "Qatar"
    assert click_check(c).startswith("Not quite")
    c.retry_button.click()
    c.text.value = "「阿曼」。"
    assert click_check(c).startswith("Correct")


def test_evidence_shows_passages_as_html_and_grades(quiz):
    c = card(quiz, "evidence-it")
    assert "同楼不同室" in c.passages.value and "<ol>" in c.passages.value
    assert all(label.split(". ", 1)[0].isdigit() for label, _ in c.radio.options)
    wrong = next(v for label, v in c.radio.options if "面对面" in label)
    c.radio.value = wrong
    assert click_check(c).startswith("Not quite") and "That says the opposite." in c.feedback_text
    c.retry_button.click()
    c.radio.value = next(v for label, v in c.radio.options if "同楼不同室" in label)
    assert click_check(c).startswith("Correct")


def test_check_without_answer_asks_for_one(quiz):
    c = card(quiz, "single")
    assert click_check(c) == "Give an answer first, then press Check."
    assert c.attempts == 0 and quiz.summary()["answered"] == 0


# -- language, hint, source, summary, review ----------------------------------------------------

def test_language_switch_relabels_everything_and_keeps_answers(quiz):
    c = card(quiz, "single")
    c.radio.value = 0
    c.check_button.click()
    quiz.lang_toggle.value = "zh"
    assert quiz.lang == "zh"
    assert c.feedback_text.startswith("回答正确") and "对，阿曼。" in c.feedback_text
    assert "解析：" in c.explanation_text
    assert c.radio.value == 0 and dict(c.radio.options)["阿曼"] == 0
    assert c.check_button.description == "检查答案" and c.retry_button.description == "再试一次"
    assert c.source_button.description == "查看原文" and quiz.export_button.description == "导出我的成绩"
    assert "谁传话" in c.prompt.value and "第 1 题" in c.header.value
    assert quiz.score_text.startswith("得分")
    assert "阿曼" in quiz.title.value or "测试" in quiz.title.value
    order = card(quiz, "order-it")
    assert [label for label, _ in order.selectors[0].options][0] == "请选择…"
    assert {label for label, _ in order.selectors[0].options[1:]} == {"第一", "第二", "第三", "第四"}
    assert order.row_labels[0].value == "第 1 位" and order.selectors[0].description == "第 1 位"
    partial = card(quiz, "multi")
    next(b for b in partial.checkboxes if b.description == "甲").value = True
    assert click_check(partial).startswith("部分正确")
    tf = card(quiz, "tf")
    tf.radio.value = True
    assert click_check(tf).startswith("还不对")
    quiz.lang_toggle.value = "en"
    assert c.feedback_text.startswith("Correct") and c.check_button.description == "Check"


def test_language_toggle_options_match_the_contract(quiz):
    assert [label for label, _ in quiz.lang_toggle.options] == ["中文", "English"]


def test_hint_toggles_and_is_hidden_without_one(quiz):
    c = card(quiz, "single")
    assert c.hint_text == ""
    c.hint_button.click()
    assert c.hint_text == "Hint: Look at paragraph 15." and c.hint_button.description == "Hide hint"
    quiz.set_language("zh")
    assert c.hint_text.startswith("提示") and "看第15段。" in c.hint_text
    c.hint_button.click()
    assert c.hint_text == ""
    assert card(quiz, "multi").hint_button.layout.display == "none"
    assert c.hint_button.layout.display is None  # hiding one question's hint hides no other widget
    assert all(w.layout.display is None for w in (c.check_button, c.source_button, c.feedback, quiz.score_html))


def test_a_question_opens_few_widget_models(data_dir):
    """Shared Layout and Style models: ~20 per question, not ~55 (each is a comm and a view)."""
    before = set(W.widgets.widget._instances)
    quiz = show_quiz("01_gaza_talks_2023_2024")
    created = set(W.widgets.widget._instances) - before
    assert len(created) <= 22 * len(quiz.cards) + 15
    assert len({c.box.layout for c in quiz.cards}) == 1 and len({c.feedback.style for c in quiz.cards}) == 1


def test_show_the_source_gives_the_highlighted_passage_with_gloss(quiz):
    c = card(quiz, "single")
    c.source_button.click()
    assert "<mark" in c.source_html.value and "阿曼外交大臣巴德尔往返传递双方立场诉求</mark>" in c.source_html.value
    from mediation_lessons.corpus import load_corpus

    gloss = load_corpus().gloss("us-iran-oman-2026", "阿曼外交大臣巴德尔往返传递双方立场诉求")  # from the reader
    assert gloss and f"English gloss: {gloss}" in c.source_text
    assert "us-iran-oman-2026" in c.source_text
    assert c.source_button.description == "Hide the source"
    c.source_button.click()
    assert c.source_html.value == ""


def test_score_summary_and_review_update_live(quiz):
    assert quiz.score_text.startswith("Score: 0 of 9 (0%). Answered 0 of 9")
    card(quiz, "single").set_answer(0)
    card(quiz, "single").check()
    multi = card(quiz, "multi")
    multi.set_answer([0])
    multi.check()
    tf = card(quiz, "tf")
    tf.set_answer(True)
    tf.check()
    assert quiz.score_text == "Score: 1.5 of 9 (17%). Answered 3 of 9 questions. Pass mark 60%: not passed yet."
    review = quiz.review_text
    assert "Question 2 (50%): Which are true?" in review
    assert "Question 3 (0%): The page date is the date of the events." in review
    assert "Question 1" not in review
    assert "Not answered yet: question(s) 4, 5, 6, 7, 8, 9." in review
    # answer the rest right: passed, and the review empties of what was fixed
    answers = {"multi": [0, 2], "tf": False, "order-it": [0, 1, 2, 3], "match-it": [0, 1, 2, 3],
               "votes": 14, "hostages": 100, "host": "Oman", "evidence-it": 0}
    for qid, answer in answers.items():
        c = card(quiz, qid)
        if c.answered:
            c.retry()
        c.set_answer(answer)
        c.check()
        assert c.result.correct, qid
    assert quiz.score_text.endswith("Pass mark 60%: passed.") and "9 of 9 (100%)" in quiz.score_text
    assert "Nothing to review" in quiz.review_text


# -- escaping ---------------------------------------------------------------------------------

def test_bank_text_is_always_escaped(quiz):
    c = card(quiz, "single")
    assert "<script>" not in c.prompt.value and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in c.prompt.value
    assert "&amp; &quot;more&quot;" in c.prompt.value
    assert "&lt;quiz&gt; &amp; &#x27;friends&#x27;" in quiz.title.value
    c.radio.value = 1
    c.check()
    assert "&lt;i&gt;&amp;amp;&lt;/i&gt;" in c.feedback.value and "<i>" not in c.feedback.value
    quiz.set_language("zh")
    assert "&lt;b&gt;粗体&lt;/b&gt;，‘单引号’。" in c.prompt.value
    assert "“引号”与《书名》" in quiz.title.value  # Chinese punctuation untouched
    static = quiz.static_html()
    assert "<script>" not in static and "&lt;script&gt;" in static and "<b>粗体" not in static


# -- display: static html, plain text, determinism, DOM classes -----------------------------------

def test_display_bundle_has_widget_static_html_and_plain_text(quiz):
    bundle = quiz._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle
    assert bundle["text/html"].startswith('<div class="ml-quiz-static">')
    plain = bundle["text/plain"]
    assert plain.startswith("Quiz: Test <quiz> & 'friends' · 测试")
    assert "0x" not in plain and quiz.widget.model_id not in plain and quiz.widget.model_id not in bundle["text/html"]
    # no answers in the static views: no explanations, no feedback, no accepted answers
    for secret in ("Oman's foreign minister did.", "Yes, Oman.", "Sultanate of Oman", "About 105."):
        assert secret not in bundle["text/html"] and secret not in plain


# The static views' English gloss of evidence passages now comes from the parallel reader
# (issue 11): see tests/test_reader.py::test_quiz_display_sites_use_the_reader_gloss_and_display_quote.


def test_static_views_do_not_depend_on_state_or_language(quiz, data_dir):
    before = (quiz.static_html(), quiz.plain_text())
    card(quiz, "single").set_answer(1)
    card(quiz, "single").check()
    quiz.set_language("zh")
    assert (quiz.static_html(), quiz.plain_text()) == before


SNAPSHOT = """
import json, sys
sys.path.insert(0, {here!r})
from quiz_support import make_quiz
quiz = make_quiz({data!r})
print(json.dumps([quiz.static_html(), quiz.plain_text(), [c.order for c in quiz.cards],
                  [[l for l, _ in c.radio.options] for c in quiz.cards if hasattr(c, "radio")]]))
"""


def test_shuffles_and_static_views_are_identical_across_processes(tmp_path):
    outputs = []
    for seed in ("1", "2"):  # a different str hash() per process: the order must not follow it
        env = {**os.environ, "PYTHONHASHSEED": seed}
        code = SNAPSHOT.format(here=str(HERE), data=str(tmp_path / seed))
        out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
        outputs.append(json.loads(out.stdout))
    assert outputs[0] == outputs[1]
    orders = outputs[0][2]
    assert any(order != sorted(order) for order in orders)  # something is actually shuffled


def test_dom_classes_of_the_contract(quiz):
    assert "ml-quiz" in quiz.widget._dom_classes
    assert "ml-lang" in quiz.lang_toggle._dom_classes and "ml-learner" in quiz.learner_box._dom_classes
    assert "ml-score" in quiz.score_html._dom_classes and "ml-review" in quiz.review_html._dom_classes
    for c in quiz.cards:
        assert {"ml-question", f"ml-q-{c.q.id}"} <= set(c.box._dom_classes)
        assert "ml-check" in c.check_button._dom_classes and "ml-hint" in c.hint_button._dom_classes
        assert "ml-retry" in c.retry_button._dom_classes and "ml-source" in c.source_button._dom_classes
        assert "ml-feedback" in c.feedback._dom_classes


def test_only_core_focusable_controls(quiz):
    """Keyboard: every control is a standard widget (Tab-reachable, Space/Enter operable)."""
    core = (W.Button, W.RadioButtons, W.Checkbox, W.Dropdown, W.Text, W.ToggleButtons, W.HTML, W.Box)

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    from mediation_lessons.quiz.a11y import A11y

    for widget in walk(quiz.widget):
        if isinstance(widget, A11y):  # draws nothing, takes no focus
            continue
        assert isinstance(widget, core), type(widget)
        assert type(widget).__module__.startswith("ipywidgets")
    assert sum(isinstance(w, A11y) for w in walk(quiz.widget)) == 1


# -- accessibility -----------------------------------------------------------------------------

def test_every_dropdown_is_named_by_its_row_and_starts_on_choose(quiz):
    order, match = card(quiz, "order-it"), card(quiz, "match-it")
    assert [s.description for s in order.selectors] == ["Position 1", "Position 2", "Position 3", "Position 4"]
    assert [s.description for s in match.selectors] == [p.left.en for p in match.q.pairs]
    for sel in order.selectors + match.selectors:
        assert sel.options[0] == ("Choose…", -1) and sel.value == -1 and sel.label == "Choose…"
    assert order.answer() == [None] * 4
    quiz.set_language("zh")
    assert [s.description for s in match.selectors] == [p.left.zh for p in match.q.pairs]
    assert all(s.label == "请选择…" for s in match.selectors)


def test_a_restored_dropdown_answer_and_a_reset_go_through_choose(quiz, data_dir):
    c = card(quiz, "order-it")
    c.set_answer([1, None, 2, 3])
    assert c.selectors[1].value == -1 and c.answer() == [1, None, 2, 3]
    c.reset()
    assert [s.value for s in c.selectors] == [-1] * 4


def test_the_front_end_piece_follows_the_language(quiz):
    assert quiz.a11y.lang == "en"
    quiz.lang_toggle.value = "zh"
    assert quiz.a11y.lang == "zh"
    esm = quiz.a11y._esm
    for needed in ('stopPropagation', 'role", "status"', 'aria-live", "polite"', '"radiogroup"', "r.name =",
                   "aria-pressed", "feedback.focus()", "root.lang"):
        assert needed in esm, needed
    assert "import " not in esm and "http" not in esm, "the module is inline and fetches nothing"


def test_chinese_ui_uses_full_width_punctuation(quiz):
    c = card(quiz, "single")
    c.toggle_hint()
    c.set_answer(0)
    c.check()
    quiz.set_language("zh")
    assert "（单选题）" in c.header.value and "(单选题)" not in c.header.value
    assert "提示：" in c.hint_text and "解析：" in c.explanation_text
    assert "（得分 100%）" in c.feedback_text
    assert "尚未回答的题号：2、3" in quiz.review_text
    ev = card(quiz, "evidence-it")
    assert "（" in ev.passages.value and "</q> <small>(" not in ev.passages.value
    quiz.set_language("en")
    assert "(single choice)" in c.header.value and "Hint:" in c.hint_text and "(score 100%)" in c.feedback_text
    assert "question(s) 2, 3" in quiz.review_text


def test_an_evidence_verdict_marks_the_chinese_passage(quiz):
    c = card(quiz, "evidence-it")
    c.set_answer(c.order[0])
    c.check()
    assert re.search(r'“<span lang="zh">[^<]+</span>”', c.feedback.value), c.feedback.value


def test_chinese_ui_strings_have_no_ascii_colons_or_parentheses():
    from mediation_lessons.quiz.i18n import LABELS

    ascii_punct = {k: v["zh"] for k, v in LABELS.items() if re.search(r"[:()]", v["zh"])}
    assert not ascii_punct


# -- learners and export ------------------------------------------------------------------------

def test_a_name_typed_after_answering_keeps_the_answers(quiz, data_dir):
    """The store is keyed by learner: the answers move with the name, nothing is lost."""
    c, other = card(quiz, "single"), card(quiz, "tf")
    c.set_answer(0)
    c.check()
    other.set_answer(True)  # chosen, not checked yet
    quiz.learner_box.value = "李华"
    assert quiz.learner == "李华" and c.result.correct and c.radio.value == 0 and c.radio.disabled
    assert other.radio.value is True and other.result is None
    assert "Answered 1 of" in quiz.score_text
    records = ProgressStore(data_dir).records(quiz="99_test")
    assert {(r["learner"], r["question"], r["attempt"]) for r in records} == {("learner", "single", 1), ("李华", "single", 1)}
    # after a kernel restart the new name gets its answers back
    again = make_quiz(data_dir, learner="李华")
    assert card(again, "single").result.correct and card(again, "single").attempts == 1


def test_a_name_changed_after_answering_keeps_the_answers(quiz, data_dir):
    quiz.learner_box.value = "Wang Fnag"
    card(quiz, "single").set_answer(1)
    card(quiz, "single").check()
    quiz.learner_box.value = "Wang Fang"  # a typo fixed
    c = card(quiz, "single")
    assert c.result is not None and not c.result.correct and c.radio.value == 1 and c.attempts == 1
    c.retry()
    c.set_answer(0)
    c.check()
    assert c.attempts == 2
    assert [r["attempt"] for r in ProgressStore(data_dir).records("Wang Fang", "99_test")] == [1, 2]


def test_a_name_with_saved_answers_gets_its_own_back(quiz, data_dir):
    card(quiz, "single").set_answer(1)
    card(quiz, "single").check()
    quiz.learner_box.value = "李华"
    c = card(quiz, "single")
    c.retry()
    c.set_answer(0)
    c.check()
    quiz.learner_box.value = "Ada"  # new: keeps 李华's answers on screen
    assert c.result.correct
    quiz.learner_box.value = "learner"  # has saved answers of its own: shown
    assert c.radio.value == 1 and not c.result.correct
    quiz.learner_box.value = "李华"
    assert c.radio.value == 0 and c.result.correct and c.attempts == 2


def test_a_learner_who_answered_nothing_starts_fresh(quiz, data_dir):
    quiz.learner_box.value = "李华"
    c = card(quiz, "single")
    assert c.result is None and c.radio.value is None and not c.radio.disabled
    assert ProgressStore(data_dir).records() == []


def test_export_button_writes_csv_and_json_and_says_what(quiz, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    quiz.learner_box.value = "Wang Fang"
    card(quiz, "single").set_answer(1)
    card(quiz, "single").check()
    card(quiz, "single").retry()
    card(quiz, "single").set_answer(0)
    card(quiz, "single").check()
    quiz.export_button.click()
    stem = export_stem("99_test", "Wang Fang")  # results-99_test-Wang_Fang-<hash of the exact name>
    assert stem.startswith("results-99_test-Wang_Fang-")
    csv_path, json_path = tmp_path / f"{stem}.csv", tmp_path / f"{stem}.json"
    assert csv_path.is_file() and json_path.is_file()
    total = len(quiz.cards)
    assert quiz.export_html.value == (
        f"Saved for your teacher: Wang Fang&#x27;s answers to 1 of {total} questions (2 attempts) in "
        f"{stem}.csv, {stem}.json"
    )
    data = json.loads(json_path.read_text(encoding="utf-8"))
    assert data["summary"] == [{"learner": "Wang Fang", "quiz": "99_test", "answered": 1, "score_sum": 1.0, "correct": 1}]
    quiz.set_language("zh")
    assert "Wang Fang 的 1 / " in quiz.export_html.value and "共 2 次尝试" in quiz.export_html.value


def test_export_refuses_to_write_an_empty_file(quiz, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(out)
    quiz.learner_box.value = "<b>Wang</b>"
    quiz.export_button.click()
    assert list(out.iterdir()) == []
    assert quiz.export_html.value.startswith("Nothing exported: &lt;b&gt;Wang&lt;/b&gt; has no answers to this quiz yet.")
    assert quiz.export(out) == [] and list(out.iterdir()) == []


def test_the_run_note_is_in_the_static_view_only(quiz):
    static = quiz.static_html()
    assert '<span lang="en">Run the notebook to take the quiz</span> · <span lang="zh">运行笔记本即可答题</span>' in static
    assert "Run the notebook to take the quiz · 运行笔记本即可答题" in quiz.plain_text()

    def walk(widget):
        yield widget
        for child in getattr(widget, "children", ()):
            yield from walk(child)

    shown = " ".join(getattr(w, "value", "") for w in walk(quiz.widget) if isinstance(getattr(w, "value", None), str))
    assert "Run the notebook" not in shown and "运行笔记本" not in shown


def test_show_quiz_on_the_demo_bank(data_dir):
    quiz = show_quiz("00_start_here", learner="Ada", lang="zh")
    assert quiz.lang == "zh" and quiz.learner == "Ada" and len(quiz.cards) == len(quiz.bank.questions) >= 10
    assert {c.q.type for c in quiz.cards} == {"single_choice", "multiple_choice", "true_false", "order", "match",
                                             "numeric", "short_text", "evidence"}
    again = show_quiz("00_start_here")
    assert again.plain_text() == quiz.plain_text() and again.static_html() == quiz.static_html()
