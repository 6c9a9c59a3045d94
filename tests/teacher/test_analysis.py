"""Item analysis: checked by hand on a worked example, and against pingouin."""

import numpy as np
import pandas as pd
import pingouin
import pytest

from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.quiz.grading import grade
from mediation_lessons.quiz.render import display_order
from mediation_lessons.teacher.analysis import analyse, cronbach_alpha, flags, item_rest_correlations
from mediation_lessons.teacher.results import Attempt, merge
from mediation_lessons.teacher.sample_class import right_answer, wrong_answers

QUIZ = "99_test"  # tests/quiz/quiz_support.py's bank (9 questions), in the data root of conftest.py

# A worked example: five learners, four items scored 0/1.
#
#        i1 i2 i3 i4 | total
#   L1    1  1  1  1 |   4
#   L2    1  1  1  0 |   3
#   L3    1  1  0  0 |   2
#   L4    1  0  0  1 |   2
#   L5    0  0  0  0 |   0
#
# Facilities p: 0.8, 0.6, 0.4, 0.4.
# Item variances (n - 1): n/(n-1) p(1-p) = 1.25 * (0.16, 0.24, 0.24, 0.24) = 0.2, 0.3, 0.3, 0.3; sum 1.1.
# Totals 4, 3, 2, 2, 0: mean 2.2, squared deviations 3.24 + 0.64 + 0.04 + 0.04 + 4.84 = 8.8,
#   variance 8.8 / 4 = 2.2.
# alpha = k/(k-1) (1 - 1.1/2.2) = 4/3 * 0.5 = 0.6667.
#   KR-20 with population variances agrees: sum pq = 0.88, variance 8.8/5 = 1.76, 4/3 (1 - 0.88/1.76) = 0.6667.
# Item 1 against the rest (total - item): item 1,1,1,1,0 (mean 0.8); rest 3,2,1,1,0 (mean 1.4).
#   cross products of deviations: .2*1.6 + .2*.6 + .2*-.4 + .2*-.4 + -.8*-1.4 = 1.4
#   squares: item 4*.04 + .64 = 0.8; rest 2.56 + .36 + .16 + .16 + 1.96 = 5.2
#   r = 1.4 / sqrt(0.8 * 5.2) = 1.4 / 2.0396 = 0.6864
# Item 4: item 1,0,0,1,0 (mean 0.4); rest 3,3,2,1,0 (mean 1.8).
#   cross products: .6*1.2 - .4*1.2 - .4*.2 + .6*-.8 + -.4*-1.8 = 0.72 - 0.48 - 0.08 - 0.48 + 0.72 = 0.4
#   squares: item 2*.36 + 3*.16 = 1.2; rest 1.44 + 1.44 + .04 + .64 + 3.24 = 6.8
#   r = 0.4 / sqrt(1.2 * 6.8) = 0.4 / 2.8566 = 0.1400
WORKED = np.array([[1, 1, 1, 1], [1, 1, 1, 0], [1, 1, 0, 0], [1, 0, 0, 1], [0, 0, 0, 0]], dtype=float)


def test_alpha_and_discrimination_of_the_worked_example():
    assert cronbach_alpha(WORKED) == pytest.approx(2 / 3, abs=1e-4)
    r = item_rest_correlations(WORKED)
    assert r[0] == pytest.approx(0.6864, abs=1e-4)
    assert r[3] == pytest.approx(0.1400, abs=1e-4)


@pytest.mark.parametrize("seed", range(5))
def test_alpha_and_discrimination_agree_with_pingouin(seed):
    rng = np.random.default_rng(seed)
    ability = rng.normal(size=(40, 1))
    scores = (rng.normal(size=(40, 7)) + ability > 0).astype(float)
    scores[:, 2] = np.round(rng.random(40) * 3) / 3  # a partial-credit item
    frame = pd.DataFrame(scores, columns=[f"i{j}" for j in range(7)])
    alpha, _ci = pingouin.cronbach_alpha(data=frame)
    assert cronbach_alpha(scores) == pytest.approx(alpha, abs=1e-9)
    for j, r in enumerate(item_rest_correlations(scores)):
        expected = pingouin.corr(frame.iloc[:, j], frame.drop(columns=frame.columns[j]).sum(axis=1))["r"].iloc[0]
        assert r == pytest.approx(expected, abs=1e-9)


def _attempts(rows):
    """Attempts as a class hands them in: rows of (learner, question, answer)."""
    bank = load_bank(QUIZ)
    out, numbers = [], {}
    for learner, question, answer in rows:
        result = grade(bank.question(question), answer)
        n = numbers[(learner, question)] = numbers.get((learner, question), 0) + 1
        rec = {"learner": learner, "quiz": QUIZ, "question": question, "attempt": n, "score": result.score,
               "status": result.status, "answer": answer, "time": "2026-03-02T09:00:00+00:00"}
        out.append(Attempt(rec, f"{learner}.jsonl", n))
    return out


ITEMS = ["single", "tf", "host", "votes"]  # each scores 0 or 1


def test_the_class_tables_give_the_worked_example():
    bank = load_bank(QUIZ)
    rows = []
    for li, scores in enumerate(WORKED):
        for question, right in zip(ITEMS, scores):
            q = bank.question(question)
            rows.append((f"L{li + 1}", question, right_answer(q) if right else wrong_answers(q)[0]))
    rows.append(("L5", "single", right_answer(bank.question("single"))))  # a retry, now right
    items, quiz = analyse(merge(_attempts(rows)))
    items = items.set_index("question")
    assert items.loc[ITEMS, "facility_first"].tolist() == [0.8, 0.6, 0.4, 0.4]
    assert items.loc["single", "facility_last"] == 1.0
    assert items.loc["single", "discrimination"] == pytest.approx(0.686, abs=1e-3)
    assert items.loc["votes", "discrimination"] == pytest.approx(0.140, abs=1e-3)
    assert items.loc[ITEMS, "answered"].tolist() == [5, 5, 5, 5]
    assert items.loc["hostages", "answered"] == 0 and pd.isna(items.loc["hostages", "facility_first"])
    # the quiz has 9 questions: the 5 nobody answered score 0 for everyone and add no
    # variance, so alpha = 9/8 * (1 - 1.1/2.2)
    row = quiz.iloc[0]
    assert row["learners"] == 5 and row["questions"] == 9 and row["reliability"] == "KR-20"
    assert row["alpha"] == pytest.approx(9 / 8 * 0.5, abs=1e-3)
    assert row["mean_first"] == pytest.approx(100 * 2.2 / 9, abs=0.05)
    assert row["sd_first"] == pytest.approx(100 * np.sqrt(2.2) / 9, abs=0.05)
    assert row["mean_last"] == pytest.approx(100 * 2.4 / 9, abs=0.05)


def test_option_shares_are_lettered_as_the_quiz_shows_them_and_flags_are_raised():
    bank = load_bank(QUIZ)
    q = bank.question("single")  # single choice, three options, option 0 right
    picks = [0, 0, 0, 0, 0, 0, 1, 1, 1, 0]   # nobody picks option 2 first
    rows = [(f"L{i}", q.id, a) for i, a in enumerate(picks)]
    rows += [(f"L{i}", "tf", right_answer(bank.question("tf"))) for i in range(10)]
    rows += [(f"L{i}", "host", "Doha") for i in range(10)]
    items, _quiz = analyse(merge(_attempts(rows)))
    row = items.set_index("question").loc[q.id]
    order = display_order(QUIZ, q)
    letters = "abc"
    assert row["key"] == letters[order.index(0)]
    for pos, option in enumerate(order):
        assert row[f"share_{letters[pos]}"] == {0: 0.7, 1: 0.3, 2: 0.0}[option]
    tf = items.set_index("question").loc["tf"]
    assert (tf["key"], tf["share_a"], tf["share_b"]) == ("b", 0.0, 1.0)  # the answer is False: b
    found = flags(items)
    got = {(r.question, r.flag) for r in found.itertuples()}
    assert ("tf", "too easy") in got and ("host", "too hard") in got
    assert (q.id, "unchosen distractor") in got
    detail = found[(found.question == q.id) & (found.flag == "unchosen distractor")].detail.iloc[0]
    assert f"option {letters[order.index(2)]}" in detail
    # a true/false item where everyone is right: its wrong side is "unchosen" too
    assert ("tf", "unchosen distractor") in got


def test_negative_discrimination_is_flagged():
    bank = load_bank(QUIZ)
    rows = []
    for i in range(8):
        strong = i < 4
        for question in ITEMS[:3]:
            q = bank.question(question)
            rows.append((f"L{i}", question, right_answer(q) if strong else wrong_answers(q)[0]))
        q = bank.question("votes")  # the strong get it wrong, the weak right
        rows.append((f"L{i}", q.id, wrong_answers(q)[0] if strong else right_answer(q)))
    items, _ = analyse(merge(_attempts(rows)))
    assert items.set_index("question").loc["votes", "discrimination"] < 0
    assert ("votes", "negative discrimination") in {(r.question, r.flag) for r in flags(items).itertuples()}
