"""Grading as pure functions: right, wrong, partial and empty answers for every type."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediation_lessons.quiz import qtypes
from mediation_lessons.quiz.grading import grade, normalise_text
from quiz_support import load_test_bank

BANK = load_test_bank()
Q = {q.id: q for q in BANK.questions}


def test_single_choice_right_wrong_and_empty():
    q = Q["single"]
    assert grade(q, 0).correct and grade(q, 0).score == 1
    wrong = grade(q, 1)
    assert (wrong.status, wrong.score, wrong.feedback) == ("wrong", 0, ("option:1",))
    assert grade(q, None).status == "empty" and not grade(q, None).graded
    assert grade(q, 7).status == "incomplete"


@pytest.mark.parametrize(
    "picked, score, status",
    [
        ([0, 2], 1.0, "correct"),
        ([0], 0.5, "partial"),
        ([0, 1], 0.0, "wrong"),        # one right minus one wrong
        ([0, 1, 2], 0.5, "partial"),   # (2 - 1) / 2
        ([0, 1, 2, 3], 0.0, "wrong"),  # ticking everything earns nothing
        ([1, 3], 0.0, "wrong"),        # floored at 0, not -1
    ],
)
def test_multiple_choice_partial_credit(picked, score, status):
    result = grade(Q["multi"], picked)
    assert result.score == pytest.approx(score) and result.status == status


def test_multiple_choice_reports_missed_right_options():
    result = grade(Q["multi"], [0])
    assert [(p.index, p.missed) for p in result.parts] == [(0, False), (2, True)]


def test_true_false():
    assert grade(Q["tf"], False).correct
    assert grade(Q["tf"], True).status == "wrong"
    assert grade(Q["tf"], None).status == "empty"


def test_order_kendall_partial_credit():
    q = Q["order-it"]
    assert grade(q, [0, 1, 2, 3]).correct
    swapped = grade(q, [1, 0, 2, 3])  # one neighbour swap keeps 5 of 6 pairs
    assert swapped.score == pytest.approx(5 / 6) and swapped.status == "partial"
    assert grade(q, [3, 2, 1, 0]).score == 0 and grade(q, [3, 2, 1, 0]).status == "wrong"
    assert [p.ok for p in swapped.parts] == [False, False, True, True]


def test_order_incomplete_or_duplicated_is_not_graded():
    q = Q["order-it"]
    assert grade(q, [None] * 4).status == "empty"
    assert grade(q, [0, 1, None, 3]).status == "incomplete"
    dup = grade(q, [0, 0, 1, 2])
    assert dup.status == "incomplete" and "duplicate" in dup.feedback


def test_match_fraction_of_pairs():
    q = Q["match-it"]
    assert grade(q, [0, 1, 2, 3]).correct
    half = grade(q, [1, 0, 2, 3])
    assert half.score == 0.5 and half.status == "partial"
    assert grade(q, [0, 0, 0, 0]).score == 0.25  # a right side may be chosen twice; only pair 0 is right
    assert grade(q, [0, None, 2, 3]).status == "incomplete"


def test_numeric_exact_tolerance_and_range():
    exact = Q["votes"]
    assert grade(exact, 14).correct and grade(exact, 14.0).correct
    low = grade(exact, 13)
    assert low.status == "wrong" and low.feedback == ("too_low",)
    assert grade(exact, 15).feedback == ("too_high",)
    assert grade(exact, None).status == "empty"
    ranged = Q["hostages"]
    assert grade(ranged, 100).correct and grade(ranged, 110).correct and grade(ranged, 105.5).correct
    assert not grade(ranged, 99.9).correct and not grade(ranged, 111).correct
    from dataclasses import replace

    tolerant = replace(exact, answer=0.3, tolerance=0.05)
    assert grade(tolerant, 0.1 + 0.2).correct and grade(tolerant, 0.35).correct and not grade(tolerant, 0.36).correct


@pytest.mark.parametrize(
    "typed",
    ["Oman", "oman", " OMAN. ", "Ｏｍａｎ", "阿曼", "阿 曼。", "「阿曼」", "sultanate of oman!", "Sultanate-of-Oman"],
)
def test_short_text_normalisation_accepts(typed):
    assert grade(Q["host"], typed).correct


@pytest.mark.parametrize("typed", ["Qatar", "阿曼国外", "Omani"])
def test_short_text_rejects(typed):
    assert grade(Q["host"], typed).status == "wrong"


def test_short_text_blank_is_not_graded():
    assert grade(Q["host"], "  。 ").status == "empty"


def test_normalise_text_width_case_space_punctuation():
    assert normalise_text("Ｈｅｌｌｏ，　World！") == "helloworld"
    assert normalise_text("《阿曼》、“苏丹国”") == "阿曼苏丹国"


def test_evidence_is_single_choice_over_passages():
    q = Q["evidence-it"]
    assert grade(q, 0).correct and grade(q, 1).status == "wrong"


@given(st.permutations(range(4)))
def test_order_score_is_in_range_and_one_only_when_sorted(placed):
    result = qtypes.get("order").grade(Q["order-it"], list(placed))
    assert 0 <= result.score <= 1
    assert result.correct == (list(placed) == [0, 1, 2, 3])
