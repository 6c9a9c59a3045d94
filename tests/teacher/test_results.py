"""A teacher merges the results students exported: checked, counted once, scored by the bank."""

import json
import re

import pytest

from mediation_lessons.errors import DataError
from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.quiz.progress import ProgressStore, export_results
from mediation_lessons.quiz.grading import grade
from mediation_lessons.teacher.results import class_tables, read_results

QUIZ = "99_test"  # tests/quiz/quiz_support.py's bank, put in the data root by conftest.py


def hand_in(folder, learner, answers, suffixes=(".csv", ".json"), quiz=QUIZ):
    """What a student's Export button writes: ``answers`` is [(question, answer), ...],
    each graded by the bank as the quiz grades it."""
    store = ProgressStore(folder / f"store-{learner}")
    bank = load_bank(quiz)
    for question, answer in answers:
        result = grade(bank.question(question), answer)
        store.record(learner, quiz, question, answer, result.score, result.status)
    safe = re.sub(r"\W+", "_", learner)
    return [export_results(folder / f"results-{quiz}-{safe}{suffix}", learner, quiz, store) for suffix in suffixes]


def tables(paths):
    learners, questions, warnings = class_tables(read_results(paths))
    return learners.set_index("learner"), questions.set_index("question"), warnings


def test_csv_and_json_of_one_student_count_once_and_the_last_attempt_counts(tmp_path):
    hand_in(tmp_path, "Ana", [("host", "Doha"), ("host", "Oman"), ("votes", 14)])
    hand_in(tmp_path, "李明", [("host", "Doha"), ("multi", [0])])  # one of two right options: 0.5
    learners, questions, warnings = tables([tmp_path])
    assert not warnings
    total = len(load_bank(QUIZ).questions)
    assert learners.loc["Ana", ["answered", "points", "questions"]].tolist() == [2, 2.0, total]
    assert learners.loc["李明", "points"] == 0.5 and learners.loc["李明", "percent"] == round(50 / total)
    assert not learners["passed"].any()
    assert questions.loc["host", ["answered", "correct", "mean_percent"]].tolist() == [2, 1, 50]
    assert questions.loc["multi", "mean_percent"] == 50 and questions.loc["tf", "answered"] == 0
    # every question of the quiz, in the quiz's order, numbered as the quiz shows them
    assert list(questions.index) == [q.id for q in load_bank(QUIZ).questions]
    assert questions["number"].tolist() == list(range(1, total + 1))


def test_a_passing_student_passes(tmp_path):
    bank = load_bank(QUIZ)
    from mediation_lessons.teacher.sample_class import right_answer

    hand_in(tmp_path, "Ana", [(q.id, right_answer(q)) for q in bank.questions], suffixes=(".json",))
    learners, _questions, _warnings = tables([tmp_path])
    assert learners.loc["Ana", "percent"] == 100 and learners.loc["Ana", "passed"]


def test_two_students_with_one_name_are_kept_apart_and_named_by_file(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    hand_in(tmp_path / "a", "learner", [("host", "Oman")], suffixes=(".csv",))
    hand_in(tmp_path / "b", "learner", [("host", "Doha")], suffixes=(".csv",))
    learners, questions, warnings = tables([tmp_path / "a", tmp_path / "b"])
    assert len(learners) == 2 and sorted(learners["points"]) == [0.0, 1.0]
    assert all("two students with one name?" in w for w in warnings) and len(warnings) == 2
    assert questions.loc["host", "answered"] == 2


def test_a_question_no_longer_in_the_bank_is_left_out_with_a_warning(tmp_path):
    json_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".json",))
    data = json.loads(json_path.read_text(encoding="utf-8"))
    data["records"].append({**data["records"][0], "question": "old-question"})
    json_path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    learners, _questions, warnings = tables([tmp_path])
    assert learners.loc["Ana", "points"] == 1.0
    assert any("no question 'old-question'" in w for w in warnings)


def test_a_bad_csv_value_names_file_record_field_and_line(tmp_path):
    csv_path, = hand_in(tmp_path, "Ana", [("host", "Oman"), ("votes", 14)], suffixes=(".csv",))
    text = csv_path.read_text(encoding="utf-8-sig").replace(",votes,1,1.0,", ",votes,1,lots,")
    csv_path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(DataError) as exc:
        read_results([csv_path])
    assert re.search(rf"{re.escape(csv_path.as_posix())}:3: item '#2': field 'score': expected a number from 0 to 1, got 'lots'", str(exc.value)), str(exc.value)


def test_a_bad_json_record_names_file_record_field_and_line(tmp_path):
    json_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".json",))
    data = json.loads(json_path.read_text(encoding="utf-8"))
    data["records"][0]["status"] = "great"
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_results([json_path])
    message = str(exc.value)
    line = next(n for n, text in enumerate(json_path.read_text(encoding="utf-8").splitlines(), 1) if '"status"' in text)
    assert f"{json_path.as_posix()}:{line}: item '#1': field 'status':" in message and "great" in message


def test_json_that_does_not_parse_gives_its_line(tmp_path):
    path = tmp_path / f"results-{QUIZ}-x.json"
    path.write_text('{"format": "mediation-lessons-results",\n "records": [\n', encoding="utf-8")
    with pytest.raises(DataError, match=rf"{re.escape(path.as_posix())}:3: JSON does not parse"):
        read_results([path])


def test_every_bad_file_is_reported_not_only_the_first(tmp_path):
    (tmp_path / "results-a.csv").write_text("name,score\nAna,1\n", encoding="utf-8")
    (tmp_path / "results-b.json").write_text('{"format": "something else", "records": []}', encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_results([tmp_path])
    assert len(exc.value.problems) == 2
    assert "results-a.csv:1: the header must be learner,quiz," in str(exc.value)
    assert "results-b.json:1: field 'format'" in str(exc.value)


def test_a_folder_without_results_is_an_error(tmp_path):
    with pytest.raises(DataError, match="no results-"):
        read_results([tmp_path])
