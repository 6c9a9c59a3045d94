"""Item analysis of a class's quiz results (classical test theory, as Moodle's quiz statistics).

Per question (``items``):

* ``answered``: learners who attempted it;
* ``facility_first`` / ``facility_last``: the mean score of those learners' first and
  last attempts (0..1): what the class knew, and what it learned by retrying;
* ``discrimination``: the corrected item-total correlation on first attempts: Pearson's
  r between the item's score and the learner's total *without that item* (the "rest"),
  over every learner who took the quiz; a question a learner left unanswered scores 0,
  as it does in their quiz score. Empty when either has no spread;
* ``key`` and ``share_a``, ``share_b``, ...: for choice questions (single, multiple,
  evidence, true/false) the letters of the right options and the share of first attempts
  choosing each option, lettered in the order the quiz shows them (as the answer key
  letters them; true/false: a = True, b = False). A multiple-choice item's shares can add
  up to more than 1.

Per quiz (``quiz_table``): ``learners``, the mean and standard deviation (n - 1) of their
first-attempt and last-attempt scores in percent, and the reliability of the first
attempts, Cronbach's alpha: ``k/(k-1) * (1 - sum of item variances / variance of totals)``,
which equals KR-20 when every item scores 0 or 1 (``reliability`` says which).

Flags (``flags``): too easy (first-attempt facility at least :data:`TOO_EASY`), too hard
(at most :data:`TOO_HARD`), negative discrimination, and a distractor nobody chose.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from mediation_lessons.quiz.render import LETTERS, display_order
from mediation_lessons.teacher.results import ClassResults

TOO_EASY = 0.9
TOO_HARD = 0.2
MIN_FOR_DISTRACTOR = 5  # learners who must have answered before an unchosen distractor is flagged
CHOICE_TYPES = ("single_choice", "multiple_choice", "evidence", "true_false")
ITEM_COLUMNS = ["quiz", "number", "question", "type", "answered", "facility_first", "facility_last",
                "discrimination", "key"]


def cronbach_alpha(scores: np.ndarray) -> float:
    """Cronbach's alpha of a learners x items score matrix (NaN when undefined)."""
    scores = np.asarray(scores, dtype=float)
    n, k = scores.shape
    if k < 2 or n < 2:
        return float("nan")
    total_var = scores.sum(axis=1).var(ddof=1)
    if total_var == 0:
        return float("nan")
    return float(k / (k - 1) * (1 - scores.var(axis=0, ddof=1).sum() / total_var))


def item_rest_correlations(scores: np.ndarray) -> np.ndarray:
    """Each column's Pearson correlation with the row total minus that column (NaN where
    the item or the rest has no spread)."""
    x = np.asarray(scores, dtype=float)
    rest = x.sum(axis=1, keepdims=True) - x
    xc, rc = x - x.mean(axis=0), rest - rest.mean(axis=0)
    num = (xc * rc).sum(axis=0)
    den = np.sqrt((xc ** 2).sum(axis=0) * (rc ** 2).sum(axis=0))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = num / den
    r[den < 1e-12] = np.nan
    return r


def _matrix(rows: pd.DataFrame, quiz: str, question_ids: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Learners x items of one quiz's scores in ``rows`` (one row per learner and
    question); unanswered scores 0. Returns the matrix and the learner codes of its rows."""
    rows = rows[(rows["quiz"] == quiz).to_numpy()]
    learners, li = np.unique(rows["learner"].cat.codes.to_numpy(), return_inverse=True)
    categories = rows["question"].cat.categories
    where = {q: i for i, q in enumerate(question_ids)}
    qmap = np.array([where.get(c, -1) for c in categories] + [-1], dtype=np.int64)
    qi = qmap[rows["question"].cat.codes.to_numpy()]
    m = np.zeros((len(learners), len(question_ids)))
    keep = qi >= 0
    m[li.reshape(-1)[keep], qi[keep]] = rows["score"].to_numpy()[keep]
    return m, learners


def analyse(results: ClassResults) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``(items, quiz_table)`` of :class:`ClassResults` (see the module's docstring)."""
    first, last = results.first_attempts(), results.last_attempts()

    def stats(rows):
        g = pd.DataFrame({"quiz": rows["quiz"].cat.codes, "question": rows["question"].cat.codes, "score": rows["score"]})
        s = g.groupby(["quiz", "question"])["score"].agg(["size", "mean"])
        qcat, kcat = rows["quiz"].cat.categories, rows["question"].cat.categories
        return {(qcat[a], kcat[b]): (int(n), float(m)) for (a, b), n, m in zip(s.index, s["size"], s["mean"])}

    f_stats, l_stats = stats(first), stats(last)
    n_letters = max([len(q.options) if q.type != "true_false" else 2
                     for b in results.banks.values() for q in b.questions if q.type in CHOICE_TYPES] or [0])
    share_cols = [f"share_{LETTERS[i]}" for i in range(n_letters)]
    shares = _option_shares(results, first)

    item_rows, quiz_rows = [], []
    for quiz in sorted(results.banks):
        bank = results.banks[quiz]
        ids = [q.id for q in bank.questions]
        m, learners = _matrix(first, quiz, ids)
        disc = item_rest_correlations(m) if len(learners) > 1 else np.full(len(ids), np.nan)
        lm, _ = _matrix(last, quiz, ids)
        for number, q in enumerate(bank.questions, 1):
            f, l_ = f_stats.get((quiz, q.id)), l_stats.get((quiz, q.id))
            row = {
                "quiz": quiz, "number": number, "question": q.id, "type": q.type,
                "answered": f[0] if f else 0,
                "facility_first": round(f[1], 3) if f else np.nan,
                "facility_last": round(l_[1], 3) if l_ else np.nan,
                "discrimination": round(float(disc[number - 1]), 3) if np.isfinite(disc[number - 1]) else np.nan,
                "key": "",
            }
            row.update({c: np.nan for c in share_cols})
            if q.type in CHOICE_TYPES:
                order = [0, 1] if q.type == "true_false" else display_order(quiz, q)
                right = {0 if q.answer else 1} if q.type == "true_false" else set(q.correct_options)
                row["key"] = ",".join(LETTERS[pos] for pos, i in enumerate(order) if i in right)
                got = shares.get((quiz, q.id))
                if got is not None and f:
                    for pos, i in enumerate(order):
                        row[f"share_{LETTERS[pos]}"] = round(float(got[i]) / f[0], 3)
            item_rows.append(row)
        n = len(learners)
        k = len(ids)
        totals, last_totals = 100 * m.sum(axis=1) / k, 100 * lm.sum(axis=1) / k
        dichotomous = bool(np.isin(m, (0.0, 1.0)).all())
        quiz_rows.append({
            "quiz": quiz, "questions": k, "learners": n,
            "mean_first": round(float(totals.mean()), 1) if n else np.nan,
            "sd_first": round(float(totals.std(ddof=1)), 1) if n > 1 else np.nan,
            "mean_last": round(float(last_totals.mean()), 1) if n else np.nan,
            "sd_last": round(float(last_totals.std(ddof=1)), 1) if n > 1 else np.nan,
            "alpha": round(cronbach_alpha(m), 3) if n > 1 else np.nan,
            "reliability": "KR-20" if dichotomous else "Cronbach's alpha",
        })
    items = pd.DataFrame(item_rows, columns=ITEM_COLUMNS + share_cols)
    quiz_table = pd.DataFrame(quiz_rows, columns=["quiz", "questions", "learners", "mean_first", "sd_first",
                                                  "mean_last", "sd_last", "alpha", "reliability"])
    return items, quiz_table


def _option_shares(results: ClassResults, first: pd.DataFrame) -> dict[tuple[str, str], np.ndarray]:
    """(quiz, question id) -> how many first attempts chose each option (bank order).
    Counted once per distinct answer, weighted by how many gave it."""
    counts = np.bincount(first["answer_id"].to_numpy(), minlength=len(results.answer_values))
    out: dict[tuple[str, str], np.ndarray] = {}
    for answer_id in np.flatnonzero(counts):
        quiz, question, a = results.answer_values[answer_id]
        bank = results.banks.get(quiz)
        try:
            q = bank.question(question) if bank else None
        except KeyError:
            q = None
        if q is None or q.type not in CHOICE_TYPES:
            continue
        n = 2 if q.type == "true_false" else len(q.options)
        c = out.setdefault((quiz, question), np.zeros(n))
        picked = ([0 if a else 1] if isinstance(a, bool) else [] if a is None else
                  {p for p in a if type(p) is int} if q.type == "multiple_choice" and isinstance(a, list) else [a])
        for p in picked:
            if isinstance(p, int) and not isinstance(p, bool) and 0 <= p < n:
                c[p] += counts[answer_id]
    return out


def flags(items: pd.DataFrame) -> pd.DataFrame:
    """One row per flagged question: quiz, number, question and what is wrong (``flag``:
    too easy, too hard, negative discrimination, unchosen distractor), with the detail."""
    share_cols = [c for c in items.columns if c.startswith("share_")]
    rows = []
    for r in items.itertuples(index=False):
        r = r._asdict()
        base = {"quiz": r["quiz"], "number": r["number"], "question": r["question"]}
        f = r["facility_first"]
        if pd.notna(f) and f >= TOO_EASY:
            rows.append({**base, "flag": "too easy", "detail": f"{f:.0%} right on the first attempt"})
        if pd.notna(f) and f <= TOO_HARD:
            rows.append({**base, "flag": "too hard", "detail": f"{f:.0%} right on the first attempt"})
        d = r["discrimination"]
        if pd.notna(d) and d < 0:
            rows.append({**base, "flag": "negative discrimination",
                         "detail": f"r = {d:.2f}: learners who did well on the rest of the quiz did worse here"})
        if r["key"] and r["answered"] >= MIN_FOR_DISTRACTOR:
            key = set(r["key"].split(","))
            unchosen = [c[-1] for c in share_cols if pd.notna(r[c]) and r[c] == 0 and c[-1] not in key]
            if unchosen:
                rows.append({**base, "flag": "unchosen distractor",
                             "detail": f"nobody chose option {', '.join(unchosen)} on a first attempt"})
    return pd.DataFrame(rows, columns=["quiz", "number", "question", "flag", "detail"])
