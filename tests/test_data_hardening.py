"""Bad data files give problems naming file, item, field and line: never a traceback,
never a silent loss (issue 15, defects 2-6 and the schema messages)."""

import subprocess
import sys

import pytest

from helpers import copy_data, replace_in
from mediation_lessons.corpus import check_corpus, load_corpus
from mediation_lessons.errors import DataError
from mediation_lessons.events import check_tables
from mediation_lessons.schema import DATE_OR_NULL, check_records


def cli_validate(root):
    result = subprocess.run([sys.executable, "-m", "mediation_lessons.cli", "validate", str(root)],
                            capture_output=True, text=True, encoding="utf-8")
    assert "Traceback" not in result.stderr, result.stderr
    return result


@pytest.fixture
def root(tmp_path):
    return copy_data(tmp_path)


def line_of_text(path, snippet):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if snippet in line)


# -- defect 4: impossible dates ------------------------------------------------------------

def test_impossible_page_date_is_a_problem_not_a_traceback(root):
    docs = root / "corpus" / "documents.yaml"
    replace_in(docs, "page_date: 2025-10-09", "page_date: 2025-02-30")
    line = line_of_text(docs, "page_date: 2025-02-30")
    found = [p for p in check_corpus(root) if p.field == "page_date"]
    assert [(p.file, p.item, p.line) for p in found] == [("corpus/documents.yaml", "gaza-phased-withdrawal-2025", line)]
    assert "not a real date: '2025-02-30'" in found[0].message
    with pytest.raises(DataError):
        load_corpus(root)
    result = cli_validate(root)
    assert result.returncode == 1 and f"documents.yaml:{line}: item 'gaza-phased-withdrawal-2025': field 'page_date'" in result.stderr


def test_impossible_date_in_cleaning_rules(root):
    rules = root / "corpus" / "cleaning.yaml"
    replace_in(rules, "gaza-phased-withdrawal-2025:\n  layout: lines\n",
               "gaza-phased-withdrawal-2025:\n  layout: lines\n  note_date: 2025-02-30\n")
    result = cli_validate(root)
    assert result.returncode == 1 and "cleaning.yaml" in result.stderr and "note_date" in result.stderr


def test_impossible_date_in_events(root):
    events = root / "corpus" / "events.yaml"
    replace_in(events, "date_start: 2023-10-07", "date_start: 2023-02-30")
    found = [p for p in check_tables(root) if p.field == "date_start"]
    assert found and found[0].item == "gaza-first-round" and "not a real date" in found[0].message


# -- defect 2: duplicate keys --------------------------------------------------------------

def test_bank_with_two_questions_blocks_fails_validate(root):
    bank = root / "quizzes" / "00_start_here.yaml"
    text = bank.read_text(encoding="utf-8")
    bank.write_text(text + "\nquestions: []\n", encoding="utf-8")
    result = cli_validate(root)
    assert result.returncode == 1 and "duplicate key 'questions'" in result.stderr


# -- defect 6: raw files stay inside corpus/raw/ -------------------------------------------

@pytest.mark.parametrize("name", ["../documents.yaml", "/etc/passwd", "sub/../000.txt", "..", "\"..\""])
def test_file_outside_raw_is_refused(root, name):
    docs = root / "corpus" / "documents.yaml"
    replace_in(docs, "file: 000_3a2c292b8b933c66.txt", f"file: {name}")
    found = [p for p in check_corpus(root) if p.field == "file"]
    assert found and found[0].item == "gaza-phased-withdrawal-2025" and "corpus/raw/" in found[0].message


def test_symlink_out_of_raw_is_refused(root, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret", encoding="utf-8")
    (root / "corpus" / "raw" / "link.txt").symlink_to(secret)
    replace_in(root / "corpus" / "documents.yaml", "file: 000_3a2c292b8b933c66.txt", "file: link.txt")
    found = [p for p in check_corpus(root) if p.field == "file"]
    assert found and "outside corpus/raw/" in found[0].message
    assert not any("checksum" in p.message and p.item == "gaza-phased-withdrawal-2025" for p in check_corpus(root))


# -- one way of checking records -----------------------------------------------------------

SCHEMA = {"type": "array", "items": {
    "type": "object",
    "properties": {"id": {"type": "string"}, "date": DATE_OR_NULL, "kind": {"enum": ["a", "b"]}, "n": {"type": "integer"}},
    "required": ["id"], "additionalProperties": False}}


def test_check_records_messages_say_what_was_expected():
    data = [{"id": "x", "date": True}, {"id": "y", "kind": "c"}, {"id": "z", "n": "3"}, {"id": "ok"}, {"id": "x"}]
    lines = {(i,): i + 1 for i in range(5)}
    checked = check_records(data, lines, "f.yaml", SCHEMA)
    messages = {(p.item, p.field): p.message for p in checked.problems}
    assert messages[("x", "date")] == "expected a date YYYY-MM-DD or null, got true"
    assert messages[("y", "kind")] == "'c' is not one of the allowed values: 'a', 'b'"
    assert messages[("z", "n")] == "expected a whole number, got '3'"
    assert "duplicate record id 'x' (first used by record #1" in messages[("x", "id")]
    # each record on its own: the three broken ones are left out, the good ones kept
    assert [i for i, _ in checked.good] == [3, 4]


def test_check_records_on_a_file_that_is_not_a_list():
    checked = check_records({"id": "x"}, {}, "f.yaml", SCHEMA)
    assert checked.good == [] and "expected a list" in checked.problems[0].message


def test_one_broken_document_does_not_hide_the_others(root):
    docs = root / "corpus" / "documents.yaml"
    replace_in(docs, "page_date: 2025-10-09", "page_date: yes")
    problems = check_corpus(root)
    assert [p.item for p in problems] == ["gaza-phased-withdrawal-2025"], [str(p) for p in problems]
    assert problems[0].message == "expected a date YYYY-MM-DD or null, got true"


@pytest.mark.parametrize("bad_id", ["[1, 2]", "{a: 1}", "true"])
def test_a_record_whose_id_is_not_text_is_a_problem(root, bad_id):
    docs = root / "corpus" / "documents.yaml"
    replace_in(docs, "- id: gaza-phased-withdrawal-2025", f"- id: {bad_id}")
    problems = check_corpus(root)
    assert any(p.field == "id" and "expected" in p.message for p in problems), [str(p) for p in problems]


def test_a_pattern_s_dollar_is_the_end_of_the_text_in_both_validators():
    """"x\\n" fails ^[a-z]+$ in fastjsonschema (the quick yes/no) and must fail the full
    check too: before, jsonschema let it through and the file was bad with no problem."""
    schema = {"type": "array", "items": {"type": "object", "properties": {"id": {"type": "string", "pattern": "^[a-z]+$"}}}}
    checked = check_records([{"id": "ok"}, {"id": "gaza\n"}], {(1, "id"): 2}, "f.yaml", schema)
    assert [(p.item, p.field, p.line) for p in checked.problems] == [("gaza\n", "id", 2)]
    assert "expected text matching ^[a-z]+$, got 'gaza\\n'" in checked.problems[0].message
    assert [i for i, _ in checked.good] == [0]


def test_check_records_without_ids_names_records_by_their_labels():
    """Records with no id (a results file): named by the caller's labels ("line 3"), no
    duplicate ids looked for."""
    data = [{"id": "x"}, {"id": "x", "n": "3"}, {"id": 5}]
    checked = check_records(data, {(1,): 30, (2,): 40}, "f.jsonl", SCHEMA, id_field=None, labels=["line 10", "line 30", "line 40"])
    assert [(p.item, p.field, p.line) for p in checked.problems] == [("line 30", "n", 30), ("line 40", "id", 40)]
    assert [i for i, _ in checked.good] == [0]


def test_an_unknown_field_is_named_at_its_line_and_a_long_text_is_measured():
    schema = {"type": "array", "items": {"type": "object", "properties": {
        "id": {"type": "string", "maxLength": 5, "description": "a name of at most 5 characters"}},
        "additionalProperties": False}}
    data = [{"id": "a", "colour": 1}, {"id": "b", "x" * 500: 1, "y": 2}, {"id": "toolong" * 100}]
    lines = {(0,): 1, (0, "colour"): 2, (1,): 3, (2,): 5}
    problems = check_records(data, lines, "f.yaml", schema).problems
    one, two, long = problems
    assert (one.item, one.field, one.line) == ("a", "colour", 2) and one.message.startswith("unknown field(s): 'colour'; allowed: id")
    assert (two.field, two.line) == (None, 3) and len(two.message) < 200 and "'y'" in two.message
    assert long.message == "expected a name of at most 5 characters, got 700 characters"


def test_schema_problems_come_in_record_order():
    data = [{"id": f"r{i}"} if i % 3 else {"id": f"r{i}", "n": "x"} for i in range(31)]
    items = [p.item for p in check_records(data, {}, "f.yaml", SCHEMA).problems]
    assert items == [f"r{i}" for i in range(0, 31, 3)]


def test_a_number_out_of_bounds_is_told_in_the_field_s_own_words():
    schema = {"type": "array", "items": {"type": "object", "properties": {
        "n": {"type": "number", "minimum": 0, "maximum": 1, "description": "a number from 0 to 1"}, "m": {"minimum": 2}}}}
    problems = check_records([{"n": 5, "m": 1}, {"n": float("-inf")}], {}, "f.yaml", schema).problems
    assert [p.message for p in problems] == ["expected a number at least 2, got 1", "expected a number from 0 to 1, got 5",
                                             "expected a number from 0 to 1, got -inf"]
