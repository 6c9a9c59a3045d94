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
        html = "".join("".join(o["data"].get("text/html", "")) for o in cell["outputs"] if "data" in o)
        assert re.search(r'<img src="data:image/png;base64,[^"]+" alt="[^"]{40,}"', html), (
            f"{''.join(cell['source'])!r}: the chart has no alt text (re-run with python3 dev.py notebooks)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_chinese_quotations_go_through_cited_passages(path):
    """Markdown may name a term; any longer Chinese quotation must be a resolved passage."""
    for text in cells(path, "markdown"):
        long_runs = LONG_CJK.findall(text)
        assert not long_runs, f"quote these with corpus.passage(...) instead: {long_runs}"


def passage_calls(path: Path):
    for source in cells(path, "code"):
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "passages":
                for pair in node.args:
                    assert isinstance(pair, ast.Tuple), "corpus.passages takes (doc, quote) pairs written out"
                    yield [e.value for e in pair.elts if isinstance(e, ast.Constant)], {}
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


WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_stored_output_carries_a_widget_view(path):
    """Opened without running, JupyterLab and Notebook 7 draw a stored widget view as
    "Error displaying widget: model not found" instead of the static quiz beside it."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    found = [i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "code"
             for o in c["outputs"] if WIDGET_VIEW in o.get("data", {})]
    assert not found, f"cells {found} store a widget view (re-run with python3 dev.py notebooks)"


def _names_used_and_bound(source: str) -> tuple[set[str], set[str]]:
    tree = ast.parse(source)
    used = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
    bound = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, (ast.Store, ast.Del))}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return used, bound


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_the_quiz_cell_runs_on_its_own(path):
    """After a kernel restart a learner re-runs only the quiz cell: it must import what it uses."""
    import builtins

    used, bound = _names_used_and_bound(cells(path, "code")[-1])
    missing = sorted(used - bound - set(dir(builtins)))
    assert not missing, (f"the quiz cell uses {missing} defined in earlier cells: start it with "
                         f"'from mediation_lessons.quiz import show_quiz'")


def test_the_quiz_cell_check_sees_a_name_from_an_earlier_cell():
    used, bound = _names_used_and_bound('show_quiz("00_start_here")')
    assert used - bound == {"show_quiz"}
    used, bound = _names_used_and_bound('from mediation_lessons.quiz import show_quiz\nshow_quiz("00_start_here")')
    assert used - bound == set()


def test_executing_notebooks_strips_widget_views():
    import importlib.util

    import nbformat

    spec = importlib.util.spec_from_file_location("dev", REPO / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("show_quiz('x')")
    cell.outputs = [nbformat.v4.new_output("display_data", data={
        WIDGET_VIEW: {"model_id": "abc", "version_major": 2, "version_minor": 0},
        "text/html": '<div class="ml-quiz-static">...</div>', "text/plain": "Quiz"})]
    nb.cells = [cell]
    assert dev.strip_widget_views(nb) == 1
    assert set(nb.cells[0].outputs[0].data) == {"text/html", "text/plain"}
    assert dev.strip_widget_views(nb) == 0


TABLE_HEAD = re.compile(r"^(\|[^\n]*\|)\n\|[\s:|-]*-[\s:|-]*\|$", re.M)


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_markdown_tables_have_header_cells(path):
    """A table's first row becomes its <th> cells: a screen reader names every column by
    them, so none may be empty (`| | |` gives an empty header row)."""
    empty = []
    for text in cells(path, "markdown"):
        for head in TABLE_HEAD.findall(text):
            if any(not c.strip() for c in head.strip().strip("|").split("|")):
                empty.append(head)
    assert not empty, f"tables with an empty header cell: {empty} (the overview table's '| | |' could read '| About this lesson | Details |')"


def test_table_header_check_sees_an_empty_header():
    assert TABLE_HEAD.findall("| | |\n|---|---|\n| a | b |") == ["| | |"]
    assert TABLE_HEAD.findall("| Lesson | Details |\n|:--|--:|\n| a | b |") == ["| Lesson | Details |"]
