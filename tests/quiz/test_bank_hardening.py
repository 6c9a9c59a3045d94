"""A bank with impossible dates or non-finite numbers: problems, never a traceback (issue 15)."""

import pytest

from mediation_lessons.corpus import load_corpus
from mediation_lessons.errors import DataError
from mediation_lessons.quiz.bank import parse_bank
from quiz_support import BANK, SHOWN, line_with


def test_impossible_date_in_a_bank_that_fails_its_schema():
    text = BANK.replace("type: numeric\n    level: recall", "type: numeric\n    level: 2025-02-30", 1)
    with pytest.raises(DataError) as info:
        parse_bank(text, SHOWN, load_corpus(), expected_id="99_test")
    assert any("'2025-02-30' is not one of the allowed values" in p.message and p.field == "level" for p in info.value.problems)


# -- defect 3: infinities and NaN in numeric questions -------------------------------------

@pytest.mark.parametrize("old, new, field", [
    ("answer: 14", "answer: .inf", "answer"),
    ("answer: 14", "answer: .nan", "answer"),
    ("answer: 14", "answer: 14\n    tolerance: .nan", "tolerance"),
    ("range: [100, 110]", "range: [-.inf, .inf]", "range.0"),
])
def test_numeric_infinities_and_nan_are_problems(old, new, field):
    text = BANK.replace(old, new, 1)
    with pytest.raises(DataError) as info:
        parse_bank(text, SHOWN, load_corpus(), expected_id="99_test")
    p = info.value.problems[0]
    assert all("finite number" in q.message for q in info.value.problems)
    assert p.field == field and "finite number" in p.message and p.line == line_with(text, new.split("\n")[-1].strip())


def test_nan_pass_mark_is_a_problem():
    text = BANK.replace("pass_mark: 0.6", "pass_mark: .nan", 1)
    with pytest.raises(DataError) as info:
        parse_bank(text, SHOWN, load_corpus(), expected_id="99_test")
    assert [p.field for p in info.value.problems] == ["pass_mark"]
