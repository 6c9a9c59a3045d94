"""What the lesson issue promises, checked on the committed notebooks and banks."""

import ast
import json
import re
from pathlib import Path

import pytest
import yaml

from helpers import REPO
from mediation_lessons import load_corpus

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
EXPECTED = [
    "00_start_here", "01_gaza_talks_2023_2024", "02_qatar_as_mediator",
    "03_gaza_2025_deal", "04_us_iran_oman_2026", "05_comparing_mediators",
    "06_source_criticism_workshop",
]
HEADER_FIELDS = ("Learning goals", "Estimated time", "Level", "Prerequisites", "Texts used")
LONG_CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef“”]{6,}")


def cells(path: Path, kind: str) -> list[str]:
    nb = json.loads(path.read_text(encoding="utf-8"))
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == kind]


def test_all_seven_lessons_exist():
    assert [p.stem for p in NOTEBOOKS] == EXPECTED


def test_readme_lesson_table_lists_every_notebook_and_nothing_else():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    table = readme.split("## The lessons", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| \[(\w+)\]\(notebooks/(\w+)\.ipynb\)", table, flags=re.M)
    assert [a for a, _ in listed] == [b for _, b in listed]
    assert [a for a, _ in listed] == [p.stem for p in NOTEBOOKS]


def test_ci_runs_the_readme_test_command():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = re.search(r"^python3 dev\.py test\b", readme, flags=re.M)
    assert command, "README lost its test command"
    assert re.search(r"^python3 dev\.py test$", (REPO / ".ci" / "run").read_text(encoding="utf-8"), flags=re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_shape(path):
    markdown = cells(path, "markdown")
    code = cells(path, "code")
    header = markdown[0]
    assert header.startswith("# "), "the first cell is the lesson's title"
    for field in HEADER_FIELDS:
        assert field in header, f"header lacks {field!r}"
    assert re.search(rf'show_quiz\("{path.stem}"\)', code[-1]), "the last code cell shows the lesson's quiz"
    assert any("Discussion" in m for m in markdown), "no discussion prompts"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebooks_are_thin_and_executed(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        tree = ast.parse("".join(cell["source"]))
        defined = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
        assert not defined, "logic belongs in the package, not in a notebook"
        assert cell["execution_count"] is not None, "commit notebooks executed (strict nbval compares outputs)"
        assert not any(o.get("output_type") == "error" for o in cell["outputs"])
    counts = [c["execution_count"] for c in nb["cells"] if c["cell_type"] == "code"]
    assert counts == list(range(1, len(counts) + 1)), "executed top to bottom in one fresh kernel"
    assert "widgets" not in nb["metadata"], "widget state is not stored (random model ids)"
    timed = [i for i, c in enumerate(nb["cells"]) if "execution" in c["metadata"]]
    assert not timed, f"cells {timed} carry execution timestamps (re-run with python3 dev.py notebooks)"


CHART_CALL = re.compile(r"^(timeline|mention_heatmap|mediator_comparison|document_dates)\(", re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_charts_are_committed_as_images(path):
    """GitHub, nbviewer and a learner opening the file see the chart, not '<Figure ...>'."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    chart_cells = [c for c in nb["cells"] if c["cell_type"] == "code" and CHART_CALL.search("".join(c["source"]))]
    assert chart_cells, "every lesson draws at least one chart"
    for cell in chart_cells:
        kinds = [k for o in cell["outputs"] for k in o.get("data", {})]
        assert "image/png" in kinds, f"{''.join(cell['source'])!r} has no image output: {kinds}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chinese_quotations_go_through_cited_passages(path):
    """Markdown may name a term; any longer Chinese quotation must be a resolved passage."""
    for text in cells(path, "markdown"):
        long_runs = LONG_CJK.findall(text)
        assert not long_runs, f"quote these with corpus.passage(...) instead: {long_runs}"


def passage_calls(path: Path):
    for source in cells(path, "code"):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "passage":
                args = [a.value for a in node.args if isinstance(a, ast.Constant)]
                kwargs = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
                yield args, kwargs


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_every_quoted_passage_resolves_and_has_a_gloss(path):
    """The gloss comes from the parallel reader (or a listed override), never from the cell."""
    corpus = load_corpus()
    calls = list(passage_calls(path))
    assert calls, "a lesson quotes its texts"
    for args, kwargs in calls:
        doc, quote = args[0], args[1]
        corpus.resolve(doc, quote)
        assert corpus.gloss(doc, quote), f"passage {quote!r} has no English gloss in the reader of {doc}"


def test_the_course_uses_all_eight_question_types_and_four_levels():
    banks = [yaml.safe_load((REPO / "quizzes" / f"{stem}.yaml").read_text(encoding="utf-8")) for stem in EXPECTED]
    questions = [q for bank in banks for q in bank["questions"]]
    assert {q["type"] for q in questions} == {
        "single_choice", "multiple_choice", "true_false", "order", "match", "numeric", "short_text", "evidence"}
    assert {q["level"] for q in questions} == {"recall", "comprehension", "application", "analysis"}


def test_footers_link_the_lessons_in_order_and_the_last_back_to_the_start():
    for here, after in zip(EXPECTED, EXPECTED[1:] + [EXPECTED[0]]):
        footer = cells(REPO / "notebooks" / f"{here}.ipynb", "markdown")[-1]
        assert f"({after}.ipynb)" in footer, f"{here}'s footer does not link to {after}"


@pytest.mark.parametrize("stem", EXPECTED)
def test_each_bank_meets_the_lesson_bar(stem):
    bank = yaml.safe_load((REPO / "quizzes" / f"{stem}.yaml").read_text(encoding="utf-8"))
    questions = bank["questions"]
    assert bank["id"] == stem
    assert len(questions) >= (10 if stem.startswith("00") else 12)
    assert len({q["type"] for q in questions}) >= 4
    assert {q["level"] for q in questions} <= {"recall", "comprehension", "application", "analysis"}
    assert {q["level"] for q in questions} & {"application", "analysis"}, "a bank tests understanding, not only recall"
    for q in questions:
        assert q["sources"], q["id"]
        assert q["prompt"]["zh"] and q["prompt"]["en"], q["id"]
