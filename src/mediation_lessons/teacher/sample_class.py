"""A synthetic class, made deterministically: for the teacher's notebook, tests and benchmarks.

Each learner has an ability and each question a difficulty (both drawn from a seeded
generator); the chance of a right first answer is logistic in their difference, as in a
one-parameter IRT model. A learner who gets a question wrong may retry (up to three
attempts), and a retry is more often right. Wrong answers are real answers to the real
question (a distractor, a swapped pair, a number out of range), graded by
:func:`~mediation_lessons.quiz.grading.grade`, so every stored score is honest unless
``forged`` asks for one dishonest record.

``write_sample_class(folder)`` writes the class as the quiz hands it in on a shared
server: ``<folder>/<user>/<quiz>.jsonl``. The notebook ``notebooks/teacher/
class_results.ipynb`` reads the copy committed in ``notebooks/teacher/sample_class``;
a test checks that this copy is what this function writes.
"""

from __future__ import annotations

import bisect
import datetime
import json
import math
from itertools import accumulate
from pathlib import Path
from typing import Any

import numpy as np

from mediation_lessons.quiz.grading import grade
from mediation_lessons.quiz.model import Bank, Question

SEED = 2026
SAMPLE_LEARNERS = 20
SAMPLE_QUIZZES = ("01_gaza_talks_2023_2024", "02_qatar_as_mediator", "04_us_iran_oman_2026")
START = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.timezone.utc)
NAMES = ["王芳", "Li Wei", "张伟", "Amira", "刘洋", "Chen Jing", "杨敏", "Omar", "赵磊", "Sara",
         "黄丽", "Zhou Tao", "吴军", "Lena", "徐静", "Hassan", "孙强", "Mei", "胡涛", "Yusuf"]


def _time(seconds: int) -> str:
    """START plus ``seconds``, as ISO 8601 text (as ``datetime.isoformat`` writes it, faster)."""
    if seconds < 15 * 3600:  # the same day
        s = seconds + 9 * 3600
        return f"2026-03-02T{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00:00"
    return (START + datetime.timedelta(seconds=seconds)).isoformat(timespec="seconds")


def right_answer(q: Question) -> Any:
    """An answer the bank grades fully right."""
    if q.type in ("single_choice", "evidence"):
        return q.correct_options[0]
    if q.type == "multiple_choice":
        return list(q.correct_options)
    if q.type == "true_false":
        return bool(q.answer)
    if q.type == "order":
        return list(range(len(q.items)))
    if q.type == "match":
        return list(range(len(q.pairs)))
    if q.type == "numeric":
        return float(q.answer) if q.range is None else (q.range[0] + q.range[1]) / 2
    if q.type == "short_text":
        return q.accept[0]
    raise ValueError(f"no right answer for type {q.type!r}")


def wrong_answers(q: Question) -> list[Any]:
    """Plausible wrong (or partly right) answers, the likeliest first."""
    n = len(q.options) or len(q.items) or len(q.pairs)
    if q.type in ("single_choice", "evidence"):
        return [i for i in range(n) if not q.options[i].correct]
    if q.type == "multiple_choice":
        right, wrong = list(q.correct_options), [i for i in range(n) if not q.options[i].correct]
        out = [right[:-1]] if len(right) > 1 else []
        out += [sorted(right[1:] + [w]) for w in wrong[:1]] + [[w] for w in wrong]
        return [a for a in out if a]
    if q.type == "true_false":
        return [not q.answer]
    if q.type in ("order", "match"):
        swaps = []
        for i in range(n - 1):
            a = list(range(n))
            a[i], a[i + 1] = a[i + 1], a[i]
            swaps.append(a)
        return swaps + [list(reversed(range(n)))]
    if q.type == "numeric":
        hi = q.range[1] if q.range is not None else float(q.answer) + q.tolerance
        return [hi + 1, hi + 10]
    if q.type == "short_text":
        return ["不知道", "I don't know"]
    raise ValueError(f"no wrong answer for type {q.type!r}")


def _choices(q: Question) -> list[tuple[Any, float, str]]:
    """(answer, score, status): the right answer first, then the wrong ones, each graded."""
    out = []
    for answer in [right_answer(q)] + wrong_answers(q):
        result = grade(q, answer)
        out.append((answer, round(result.score, 6), result.status))
    return out


def sample_records(banks: list[Bank], learners: int, seed: int = SEED, forged: bool = False,
                   names: list[str] | None = None) -> list[tuple[str, dict]]:
    """``(user, record)`` for every attempt of ``learners`` synthetic learners at every
    quiz in ``banks``. ``forged``: learner 3's first wrong first attempt is stored as right."""
    rng = np.random.default_rng(seed)
    ability = rng.normal(0.3, 1.0, learners)
    out: list[tuple[str, dict]] = []
    forged_done = not forged
    for bank in banks:
        k = len(bank.questions)
        difficulty = rng.normal(-0.4, 1.0, k)
        choices = [_choices(q) for q in bank.questions]
        answered = (rng.random((learners, k)) < 0.96).tolist()
        draws = rng.random((learners, k, 3)).tolist()
        retry = rng.random((learners, k, 2)).tolist()
        wrong_pick = rng.random((learners, k, 3)).tolist()
        weights = [list(accumulate(0.5 ** j / sum(0.5 ** i for i in range(len(c) - 1)) for j in range(len(c) - 1)))
                   for c in choices]
        abilities, difficulties = ability.tolist(), difficulty.tolist()
        for li in range(learners):
            user = f"sample{li + 1:03d}"
            name = (names or NAMES)[li % len(names or NAMES)] + ("" if li < len(names or NAMES) else f" {li + 1}")
            t = 60 * (li % 50) + li  # seconds after START
            for qi, q in enumerate(bank.questions):
                if not answered[li][qi]:
                    continue
                c = choices[qi]
                for attempt in range(1, 4):
                    p = 1 / (1 + math.exp(-1.7 * (abilities[li] - difficulties[qi] + 0.8 * (attempt - 1))))
                    right = draws[li][qi][attempt - 1] < p
                    if right:
                        answer, score, status = c[0]
                    else:
                        # the likeliest distractor is picked most: weights 1, 1/2, 1/4, ...
                        pick = bisect.bisect_left(weights[qi], wrong_pick[li][qi][attempt - 1])
                        answer, score, status = c[1 + min(pick, len(c) - 2)]
                    if not forged_done and li == 2 and not right:
                        score, status, forged_done = 1.0, "correct", True
                    t += 40
                    out.append((user, {
                        "learner": name, "quiz": bank.id, "question": q.id, "attempt": attempt,
                        "score": score, "status": status, "answer": answer, "time": _time(t),
                    }))
                    if right or attempt == 3 or retry[li][qi][min(attempt - 1, 1)] < 0.35:
                        break
    return out


def write_sample_class(folder: Path | str, learners: int = SAMPLE_LEARNERS, bank_ids: list[str] | None = SAMPLE_QUIZZES,
                       seed: int = SEED, forged: bool = True, root: Path | str | None = None) -> list[Path]:
    """Write a synthetic class as hand-ins, ``<folder>/<user>/<quiz>.jsonl`` (``bank_ids``
    None: every quiz); returns the files. The defaults make the committed sample class:
    ``python -m mediation_lessons.teacher.sample_class notebooks/teacher/sample_class``
    (into an empty folder)."""
    from mediation_lessons.corpus import load_corpus
    from mediation_lessons.quiz.bank import load_bank
    from mediation_lessons.teacher.results import known_banks

    corpus = load_corpus(root)
    banks = [load_bank(b, root, corpus) for b in (bank_ids or known_banks(root))]
    files: dict[Path, list[str]] = {}
    for user, rec in sample_records(banks, learners, seed, forged):
        files.setdefault(Path(folder) / user / f"{rec['quiz']}.jsonl", []).append(json.dumps(rec, ensure_ascii=False))
    for path, lines in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sorted(files)


if __name__ == "__main__":
    import sys

    for written in write_sample_class(sys.argv[1] if len(sys.argv) > 1 else "sample_class"):
        print(f"wrote {written}")
