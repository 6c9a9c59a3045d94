"""Fixtures for the LMS export tests: the hostile test bank, its exports, and gift-pegjs.

gift-pegjs (npm) is installed by ``npm ci`` in this folder (``.ci/run`` does it). Without
node or the package the GIFT parser tests are skipped with the reason; with
MEDIATION_LESSONS_REQUIRE_NODE=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "quiz"))

from quiz_support import BANK, SHOWN  # noqa: E402

from mediation_lessons.corpus import load_corpus  # noqa: E402
from mediation_lessons.quiz.bank import parse_bank  # noqa: E402

REQUIRE_ENV = "MEDIATION_LESSONS_REQUIRE_NODE"

# The test bank with every GIFT special character (and a backslash) in prompts, options,
# feedback, match pairs and accepted answers.
HOSTILE = (
    BANK.replace('{en: "Turkey", zh: "土耳其"}', r'{en: "Turkey ~ = # { } : \\ end", zh: "土耳其：{甲}#乙"}')
    .replace('{en: "B is wrong.", zh: "乙错。"}', '{en: "B is {wrong} = ~ # : yes", zh: "乙错：{}"}')
    .replace('{left: {en: "CIA", zh: "中情局"}, right: {en: "Paris meeting", zh: "巴黎会谈"}}',
             '{left: {en: "CIA: {Paris} = #1", zh: "中情局：#"}, right: {en: "Paris ~ meeting: 1 = 1", zh: "巴黎：会谈"}}')
    .replace('"Sultanate of Oman"]', r'"Sultanate: of = Oman #1 \\ {x} *"]')
    .replace('prompt: {en: "Put in order.", zh: "排序。"}', 'prompt: {en: "Put in order: {a} ~ b = c", zh: "排序：#"}')
    .replace("    answer: 14\n", "    answer: 14\n    tolerance: 0.5\n")
)
assert all(mark in HOSTILE for mark in ("Turkey ~", "{wrong}", "CIA: {Paris}", "Sultanate: of", "{a} ~ b", "tolerance: 0.5"))


@pytest.fixture(scope="session")
def course():
    """The course's banks, as the export command finds them."""
    from mediation_lessons.paths import default_root
    from mediation_lessons.quiz.bank import BANK_GLOB, load_bank

    return [load_bank(p.stem) for p in sorted((default_root() / "quizzes").glob(BANK_GLOB))]


@pytest.fixture(scope="session")
def corpus():
    return load_corpus()


@pytest.fixture(scope="session")
def bank(corpus):
    return parse_bank(HOSTILE, SHOWN, corpus, expected_id="99_test")


def _gift_parser_or_reason():
    node = shutil.which("node")
    if node is None:
        return None, "node is not installed (the GIFT exports are checked by gift-pegjs, an npm package)"
    if not (HERE / "node_modules" / "gift-pegjs").is_dir():
        return None, f"gift-pegjs is not installed: run `npm ci` in {HERE}"
    return node, None


@pytest.fixture(scope="session")
def gift_parse():
    """parse(paths) -> {path: {"questions": [...]} or {"error": "..."}}, by gift-pegjs."""
    node, reason = _gift_parser_or_reason()
    if node is None:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {reason}", pytrace=False)
        pytest.skip(reason)

    def parse(paths):
        out = subprocess.run([node, str(HERE / "gift_parse.js"), *map(str, paths)],
                             capture_output=True, text=True, check=True, cwd=HERE)
        return json.loads(out.stdout)

    return parse
