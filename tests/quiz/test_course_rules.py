"""The course rules of issue 12 over every quiz bank.

These fail on the banks as they stood when the rules were written (December 2026): the
lesson writers make them pass by rewriting the banks. Each failure lists every offending
item, so one run shows all the work left.

- every question has a ``focus`` (mediation, source, skill) and a ``level``;
- each case quiz (01-05) has at least 12 items, at least 70% with focus mediation, at
  least 35% application or analysis, and at most 2 recall items;
- every analysis item has a ``rival`` (why the strongest rival answer is weaker);
- every ``concepts:`` id exists in corpus/concepts.yaml, and every concept there is
  tested by at least one application or analysis item;
- no point is tested twice across all banks (mediation_lessons.quiz.overlap), unless
  the pair is listed with a reason in quizzes/allowed_pairs.yaml.
"""

from __future__ import annotations

import pytest

from mediation_lessons.paths import default_root
from mediation_lessons.quiz.bank import BANK_GLOB
from mediation_lessons.quiz.model import FOCUSES, LEVELS
from mediation_lessons.quiz.overlap import overlaps
from mediation_lessons.yamlio import load_yaml

ROOT = default_root()
BANKS = {p.stem: load_yaml(p)[0]["questions"] for p in sorted((ROOT / "quizzes").glob(BANK_GLOB))}
CASE_BANKS = [b for b in BANKS if b[:2] in ("01", "02", "03", "04", "05")]
CONCEPT_IDS = [c["id"] for c in load_yaml(ROOT / "corpus/concepts.yaml")[0]]


def listing(found: list[str]) -> str:
    return "\n  " + "\n  ".join(found)


@pytest.mark.parametrize("bank", list(BANKS))
def test_every_question_has_a_focus_and_a_level(bank):
    missing = [f"{q['id']}: focus={q.get('focus')!r} level={q.get('level')!r}" for q in BANKS[bank]
               if q.get("focus") not in FOCUSES or q.get("level") not in LEVELS]
    assert not missing, f"{bank}: questions without a valid focus and level:" + listing(missing)


@pytest.mark.parametrize("bank", CASE_BANKS)
def test_case_quiz_size_focus_and_levels(bank):
    qs = BANKS[bank]
    n = len(qs)
    mediation = sum(q.get("focus") == "mediation" for q in qs)
    higher = sum(q.get("level") in ("application", "analysis") for q in qs)
    recall = [q["id"] for q in qs if q.get("level") == "recall"]
    problems = []
    if n < 12:
        problems.append(f"{n} items (at least 12)")
    if mediation < 0.7 * n:
        problems.append(f"{mediation}/{n} focus mediation (at least 70%)")
    if higher < 0.35 * n:
        problems.append(f"{higher}/{n} application or analysis (at least 35%)")
    if len(recall) > 2:
        problems.append(f"{len(recall)} recall items (at most 2): {', '.join(recall)}")
    assert not problems, f"{bank}:" + listing(problems)


@pytest.mark.parametrize("bank", list(BANKS))
def test_every_analysis_item_names_its_rival(bank):
    missing = [q["id"] for q in BANKS[bank] if q.get("level") == "analysis" and not q.get("rival")]
    assert not missing, f"{bank}: analysis items without a rival:" + listing(missing)


def test_every_concept_id_in_the_banks_exists():
    unknown = [f"{bank}/{q['id']}: {c}" for bank, qs in BANKS.items() for q in qs
               for c in q.get("concepts") or [] if c not in CONCEPT_IDS]
    assert not unknown, "unknown concept ids (not in corpus/concepts.yaml):" + listing(unknown)


def test_every_concept_is_tested_by_an_application_or_analysis_item():
    tested = {c for qs in BANKS.values() for q in qs if q.get("level") in ("application", "analysis")
              for c in q.get("concepts") or []}
    untested = [c for c in CONCEPT_IDS if c not in tested]
    assert not untested, "concepts no application or analysis item tests:" + listing(untested)


def allowed_pairs() -> dict[frozenset, str]:
    data, _ = load_yaml(ROOT / "quizzes/allowed_pairs.yaml")
    return {frozenset(p["items"]): p["reason"] for p in (data or {}).get("pairs") or []}


def test_allowed_pairs_name_real_items_and_give_a_reason():
    known = {f"{bank}/{q['id']}" for bank, qs in BANKS.items() for q in qs}
    data, _ = load_yaml(ROOT / "quizzes/allowed_pairs.yaml")
    bad = []
    for i, p in enumerate((data or {}).get("pairs") or []):
        items = p.get("items") or []
        if len(items) != 2 or len(set(items)) != 2:
            bad.append(f"pair {i + 1}: items must name two different items")
        bad += [f"pair {i + 1}: unknown item {it!r}" for it in items if it not in known]
        if not str(p.get("reason", "")).strip():
            bad.append(f"pair {i + 1}: no reason")
    assert not bad, "quizzes/allowed_pairs.yaml:" + listing(bad)


def test_no_point_is_tested_twice():
    allowed = allowed_pairs()
    found = [o for o in overlaps(BANKS) if frozenset((o.a, o.b)) not in allowed]
    assert not found, ("items that test the same point (reword one, drop one, or list the pair with a "
                       "reason in quizzes/allowed_pairs.yaml):" + listing([str(o) for o in found]))
