"""Bad input in handed-in results (issue 15, defects 8-14) and forged scores (issue 13)."""

import csv
import io
import json
import re
import subprocess
import sys

import pytest

from mediation_lessons.errors import DataError
from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.schema import check_records
from mediation_lessons.teacher import results as results_module
from mediation_lessons.teacher.results import load_class, read_results
from test_results import QUIZ, hand_in


def run_cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "mediation_lessons.cli", *args],
                          capture_output=True, text=True, cwd=cwd, encoding="utf-8")


# -- re-grading ---------------------------------------------------------------------------------


def test_a_forged_score_is_regraded_and_the_file_named(tmp_path):
    csv_path, json_path = hand_in(tmp_path, "Ana", [("host", "Doha"), ("votes", 15)])
    text = csv_path.read_text(encoding="utf-8-sig")
    forged = text.replace(",host,1,0.0,wrong,", ",host,1,1.0,correct,")
    assert forged != text
    csv_path.write_text(forged, encoding="utf-8-sig")
    json_path.unlink()
    results = load_class([tmp_path])
    row = results.attempts.set_index("question").loc["host"]
    assert (row["score"], row["status"], row["file_score"], row["file_status"]) == (0.0, "wrong", 1.0, "correct")
    assert results.learners()["points"].tolist() == [0.0]
    warning, = results.warnings
    assert f"{csv_path.as_posix()}:2: learner 'Ana', question 'host' attempt 1" in warning
    assert "the file says 1 (correct), the bank grades the answer 0 (wrong); the bank's grade is used" in warning


def test_a_forged_status_alone_is_caught_and_a_misshapen_answer_scores_nothing(tmp_path):
    json_path, = hand_in(tmp_path, "Ana", [("host", "Oman"), ("multi", [0, 2])], suffixes=(".json",))
    data = json.loads(json_path.read_text(encoding="utf-8"))
    data["records"][0]["status"] = "partial"
    data["records"][1]["answer"] = [[0], {"x": 1}]  # nothing grade() could read
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    results = load_class([json_path])
    assert results.attempts["score"].tolist() == [1.0, 0.0]
    assert len(results.warnings) == 2 and all(json_path.as_posix() in w for w in results.warnings)


def test_the_answer_column_carries_the_chosen_text(tmp_path):
    hand_in(tmp_path, "Ana", [("host", "Oman"), ("votes", 14), ("multi", [2, 0]), ("tf", False)], suffixes=(".json",))
    bank = load_bank(QUIZ)
    rows = load_class([tmp_path]).attempts.set_index("question")
    assert rows.loc["host", ["answer", "answer_text"]].tolist() == ['"Oman"', "Oman"]
    options = bank.question("multi").options
    assert rows.loc["multi", "answer"] == "[2, 0]"
    assert rows.loc["multi", "answer_text"] == f"{options[0].text.en} · {options[0].text.zh}; {options[2].text.en} · {options[2].text.zh}" == "A · 甲; C · 丙"
    assert rows.loc["tf", "answer_text"] == "False · 错误"
    assert rows.loc["votes", "answer_text"] == "14 votes · 票"


# -- defect 8: formulas in names ---------------------------------------------------------------


def test_names_that_start_a_formula_are_neutralised_in_every_class_csv(tmp_path):
    names = ["=HYPERLINK(\"http://x\")", "+1+1", "-2+3", "@SUM(A1)"]
    for name in names:
        hand_in(tmp_path, name, [("host", "Oman")], suffixes=(".json",))
    result = run_cli("results", ".", "--out", "class", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for part in ("learners", "attempts"):
        rows = list(csv.reader(io.StringIO((tmp_path / f"class-{part}.csv").read_text(encoding="utf-8-sig"))))
        learners = sorted(r[0] for r in rows[1:])
        assert learners == sorted("'" + n for n in names), part
        assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r), part


# -- defect 9: CR/LF in a name ---------------------------------------------------------------


def test_a_carriage_return_in_a_name_does_not_split_its_row(tmp_path):
    hand_in(tmp_path, "Ana\rBell", [("host", "Oman")], suffixes=(".json",))
    hand_in(tmp_path, "Li\r\nWei\t", [("host", "Oman")], suffixes=(".json",))
    result = run_cli("results", ".", "--out", "class", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "class-learners.csv").read_bytes().decode("utf-8-sig")
    assert data.count("\r\n") == 3 and "\r" not in data.replace("\r\n", "") and "\n" not in data.replace("\r\n", "")
    assert [r[0] for r in csv.reader(io.StringIO(data))][1:] == ["Ana Bell", "Li Wei"]


# -- defect 10: two students with one name, each handing in CSV and JSON ------------------------


def test_two_students_with_one_name_each_handing_in_csv_and_json_are_two_learners(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    hand_in(tmp_path / "a", "Wang", [("host", "Oman"), ("votes", 14)])
    hand_in(tmp_path / "b", "Wang", [("host", "Doha")])
    results = load_class([tmp_path / "a", tmp_path / "b"])
    learners = results.learners().set_index("learner")
    assert len(learners) == 2
    a, b = (f"Wang [{(tmp_path / x / f'results-{QUIZ}-Wang.csv').as_posix()}]" for x in "ab")
    assert learners.loc[a, "points"] == 2.0 and learners.loc[a, "answered"] == 2
    assert learners.loc[b, "points"] == 0.0 and learners.loc[b, "answered"] == 1
    assert len(results.attempts) == 3  # nothing counted twice
    assert len(results.warnings) == 2 and all("two students with one name?" in w for w in results.warnings)
    assert all(".json" in w and ".csv" in w for w in results.warnings)  # each names both of its files


def test_an_earlier_and_a_later_export_of_one_student_are_one_learner(tmp_path):
    from mediation_lessons.quiz.progress import ProgressStore, export_results

    store = ProgressStore(tmp_path / "store")
    store.record("Ana", QUIZ, "host", "Oman", 1.0, "correct")
    export_results(tmp_path / f"results-{QUIZ}-Ana.csv", "Ana", QUIZ, store)
    store.record("Ana", QUIZ, "votes", 14, 1.0, "correct")
    export_results(tmp_path / f"results-{QUIZ}-Ana.json", "Ana", QUIZ, store)
    results = load_class([tmp_path])
    assert results.learners()["learner"].tolist() == ["Ana"] and not results.warnings


# -- one way of checking records: the results reader goes through schema.check_records -----------

GOOD = {"learner": "Ana", "quiz": QUIZ, "question": "host", "attempt": 1, "score": 1.0, "status": "correct",
        "answer": "Oman", "time": "2026-03-02T09:00:00+00:00"}
BROKEN = [GOOD, {**GOOD, "score": 1.5, "status": "great"}, {**GOOD, "attempt": 0}, {**GOOD, "learner": "\r\n"},
          {**GOOD, "colour": "red"}]


def write_broken(tmp_path, kind):
    """A file of each kind holding :data:`BROKEN`, and the line of each record's fields."""
    if kind == "json":
        path = tmp_path / f"results-{QUIZ}-x.json"
        path.write_text(json.dumps({"format": "mediation-lessons-results", "records": BROKEN}, indent=1), encoding="utf-8")
        text = path.read_text(encoding="utf-8").splitlines()
        starts = [n for n, t in enumerate(text, 1) if t == "  {"]
        return path, "#{}", lambda i, f: next(n for n in range(starts[i], len(text) + 1) if f'"{f}"' in text[n - 1])
    if kind == "jsonl":
        path = tmp_path / "class" / "ana" / f"{QUIZ}.jsonl"
        path.parent.mkdir(parents=True)
        path.write_text("\n".join(json.dumps(r) for r in BROKEN) + "\n", encoding="utf-8")
        return path, "line {}", lambda i, f: i + 1
    path = tmp_path / f"results-{QUIZ}-x.csv"
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(results_module.FIELDS)
    for r in BROKEN[:4]:  # a CSV has no room for a fifth field
        writer.writerow([json.dumps(r[f]) if f == "answer" else r[f] for f in results_module.FIELDS])
    path.write_text(out.getvalue(), encoding="utf-8")
    return path, "#{}", lambda i, f: i + 2 + (i >= 3)  # a row's last line; the name holding CR LF takes two


@pytest.mark.parametrize("kind", ["json", "jsonl", "csv"])
def test_every_broken_record_is_reported_with_file_item_field_line_and_what_was_expected(tmp_path, kind, monkeypatch):
    path, item, line = write_broken(tmp_path, kind)
    calls = []
    monkeypatch.setattr(results_module, "check_records", lambda *a, **k: calls.append(a[2]) or check_records(*a, **k))
    with pytest.raises(DataError) as exc:
        read_results([path.parent.parent if kind == "jsonl" else path])
    assert calls == [path.as_posix()]  # the shared check, once for the file
    expected = [
        (1, "score", "expected a number from 0 to 1, got 1.5"),
        (1, "status", "'great' is not one of the allowed values: 'correct', 'partial', 'wrong'"),
        (2, "attempt", "expected a whole number from 1 to 1,000,000, got 0"),
        (3, "learner", "expected a name of at most 200 characters, got '\\r\\n' (only spaces and control characters)"),
        (4, "colour", "unknown field(s): 'colour'; allowed: answer, attempt, learner, question, quiz, score, status, time"),
    ][: 4 if kind == "csv" else 5]
    assert [str(p) for p in exc.value.problems] == [
        f"{path.as_posix()}:{line(i, field)}: "
        f"item '{item.format(i + 1)}': field '{field}': {message}"
        for i, field, message in expected]


def test_what_json_schema_lets_through_is_still_refused(tmp_path):
    """2.0 is an integer to JSON Schema, and "host\\n" matched ^...$ in jsonschema: the
    quick check refused both, and so must the full one."""
    path = tmp_path / f"results-{QUIZ}-x.json"
    records = [{**GOOD, "attempt": 2.0}, {**GOOD, "question": "host\n"}, GOOD]
    path.write_text(json.dumps({"format": "mediation-lessons-results", "records": records}), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_results([path])
    assert [(p.item, p.field, p.message) for p in exc.value.problems] == [
        ("#1", "attempt", "expected a whole number from 1 to 1,000,000, got 2.0 (written with a decimal point)"),
        ("#2", "question", "expected a question id (letters, digits, '_' and '-'), got 'host\\n'")]


def test_a_json_record_that_is_not_an_object_does_not_shift_the_lines_of_the_others(tmp_path):
    path = tmp_path / f"results-{QUIZ}-x.json"
    records = [[1, 2], {**GOOD, "answer": {"time": 1, "score": [0]}, "time": 5}, "text", {**GOOD, "score": 2}]
    path.write_text(json.dumps({"format": "mediation-lessons-results", "records": records}, indent=1), encoding="utf-8")
    text = path.read_text(encoding="utf-8").splitlines()
    with pytest.raises(DataError) as exc:
        read_results([path])
    found = [(p.item, p.field, text[p.line - 1].strip()) for p in exc.value.problems]
    assert found == [("#1", None, "["), ("#2", "time", '"time": 5'), ("#3", None, '"text",'), ("#4", "score", '"score": 2,')]


# -- defect 11: the quiz name in a file is data, never a path ------------------------------------


@pytest.mark.parametrize("quiz", ["../../etc/passwd", "../quizzes/01_gaza_talks_2023_2024", "/tmp/x", "a/b", ".hidden", ""])
def test_a_quiz_name_that_is_not_a_bank_id_is_a_problem(tmp_path, quiz):
    json_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".json",))
    data = json.loads(json_path.read_text(encoding="utf-8"))
    data["records"][0]["quiz"] = quiz
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_results([json_path])
    line = next(n for n, t in enumerate(json_path.read_text(encoding="utf-8").splitlines(), 1) if '"quiz"' in t)
    assert f"{json_path.as_posix()}:{line}: item '#1': field 'quiz': expected a quiz id (letters, digits, '_' and '-'), got {quiz!r}" in str(exc.value)


def test_an_unknown_quiz_is_left_out_and_no_file_of_its_name_is_opened(tmp_path, monkeypatch):
    from mediation_lessons.quiz import bank as bank_module

    json_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".json",))
    data = json.loads(json_path.read_text(encoding="utf-8"))
    data["records"].append({**data["records"][0], "quiz": "99_not_a_quiz"})
    json_path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    opened = []
    real = bank_module.load_bank
    monkeypatch.setattr(bank_module, "load_bank", lambda b, *a, **k: opened.append(b) or real(b, *a, **k))
    results_module._BANKS.clear()
    results = load_class([json_path])
    assert opened == [QUIZ]
    assert list(results.banks) == [QUIZ]
    assert any("results for quiz '99_not_a_quiz' left out: there is no such quiz" in w for w in results.warnings)


# -- defect 12: encodings ------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "utf-16", "utf-8", "utf-8-sig"])
@pytest.mark.parametrize("delimiter", [",", "\t"])
def test_a_csv_saved_by_excel_in_another_encoding_is_read(tmp_path, encoding, delimiter):
    csv_path, = hand_in(tmp_path, "李明", [("host", "阿曼"), ("votes", 14)], suffixes=(".csv",))
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter).writerows(rows)
    csv_path.write_bytes(out.getvalue().encode(encoding))
    attempts = read_results([csv_path])
    assert [a.record["learner"] for a in attempts] == ["李明", "李明"]
    assert [a.record["answer"] for a in attempts] == ["阿曼", 14]


def test_a_csv_saved_where_the_decimal_mark_is_a_comma_is_read(tmp_path):
    csv_path, = hand_in(tmp_path, "Ana", [("multi", [0]), ("host", "Oman")], suffixes=(".csv",))
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8-sig"))))
    rows = [rows[0]] + [r[:4] + [r[4].replace(".", ",")] + r[5:] for r in rows[1:]]
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows(rows)
    csv_path.write_text(out.getvalue(), encoding="cp1252")
    assert [a.record["score"] for a in read_results([csv_path])] == [0.5, 1.0]


def test_a_csv_in_no_known_encoding_is_a_clear_problem(tmp_path):
    path = tmp_path / "results-x.csv"
    path.write_bytes(b"learner,quiz\n\x81\x20\xff\n")  # neither UTF-8 nor GB18030 (0x81 0x20 is no character)
    with pytest.raises(DataError, match=rf"{re.escape(path.as_posix())}:2: text in an unknown encoding \(byte 13"):
        read_results([path])


# -- defect 13: NaN and infinity -----------------------------------------------------------------


@pytest.mark.parametrize("value", ["nan", "NaN", "inf", "-inf", "1e999"])
def test_a_nan_or_infinite_score_in_a_csv_is_a_problem(tmp_path, value):
    csv_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".csv",))
    text = csv_path.read_text(encoding="utf-8-sig").replace(",host,1,1.0,", f",host,1,{value},")
    csv_path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(DataError, match=rf"{re.escape(csv_path.as_posix())}:2: item '#1': field 'score': "
                                        rf"expected a number from 0 to 1, got {float(value)!r}"):
        read_results([csv_path])


@pytest.mark.parametrize("value", ["NaN", "Infinity", "-Infinity"])
def test_a_nan_in_json_is_a_problem(tmp_path, value):
    json_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".json",))
    text = re.sub(r'"score": [\d.]+', f'"score": {value}', json_path.read_text(encoding="utf-8"))
    json_path.write_text(text, encoding="utf-8")
    with pytest.raises(DataError, match=f"JSON does not parse: {value} is not a number"):
        read_results([json_path])


# -- defect 14: deep nesting -----------------------------------------------------------------------


def test_deeply_nested_json_is_a_clear_problem(tmp_path):
    path = tmp_path / "results-deep.json"
    path.write_text('{"format": "mediation-lessons-results", "records": ' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    with pytest.raises(DataError, match=r"results-deep\.json: nested more than 32 levels deep"):
        read_results([path])


def test_a_deeply_nested_answer_in_a_csv_or_a_hand_in_is_a_clear_problem(tmp_path):
    csv_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".csv",))
    text = csv_path.read_text(encoding="utf-8-sig").replace('"Oman"', "[" * 50_000 + "]" * 50_000)
    csv_path.write_text(text, encoding="utf-8-sig")
    with pytest.raises(DataError, match=r":2: item '#1': field 'answer': nested more than 32 levels deep"):
        read_results([csv_path])
    handin = tmp_path / "class" / "ana" / f"{QUIZ}.jsonl"
    handin.parent.mkdir(parents=True)
    handin.write_text('{"a": 1}\n' + "{" * 50_000 + "\n", encoding="utf-8")
    with pytest.raises(DataError) as exc:
        read_results([tmp_path / "class"])
    message = str(exc.value)
    assert f"{handin.as_posix()}:1: item 'line 1': field 'learner': missing" in message
    assert f"{handin.as_posix()}:2: item 'line 2': nested more than 32 levels deep" in message


def test_a_bad_class_folder_exits_one_and_writes_nothing(tmp_path):
    json_path, = hand_in(tmp_path, "Ana", [("host", "Oman")], suffixes=(".json",))
    (tmp_path / "results-bad.csv").write_bytes(b"\xff\xfelearner")
    result = run_cli("results", ".", "--out", "class", "--report", "class.html", cwd=tmp_path)
    assert result.returncode == 1 and "results-bad.csv" in result.stderr
    assert not list(tmp_path.glob("class*")) and not list(tmp_path.glob(".class*"))
