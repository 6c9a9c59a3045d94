"""The teacher's notebook and its bundled synthetic class."""

import ast
import json
from pathlib import Path

from helpers import REPO
from mediation_lessons.teacher.results import load_class
from mediation_lessons.teacher.sample_class import write_sample_class

NOTEBOOK = REPO / "notebooks" / "teacher" / "class_results.ipynb"
SAMPLE = REPO / "notebooks" / "teacher" / "sample_class"


def test_the_committed_sample_class_is_what_the_generator_writes(tmp_path):
    written = write_sample_class(tmp_path / "sample_class")
    committed = sorted(p.relative_to(SAMPLE) for p in SAMPLE.rglob("*") if p.is_file())
    assert [p.relative_to(tmp_path / "sample_class") for p in written] == committed
    for path in written:
        rel = path.relative_to(tmp_path / "sample_class")
        assert path.read_bytes() == (SAMPLE / rel).read_bytes(), (
            f"{rel} is stale (a quiz bank changed?): run `python -m mediation_lessons.teacher.sample_class "
            "notebooks/teacher/sample_class` into an empty folder, then re-execute the notebook")


def test_the_sample_class_holds_one_forged_record_and_is_otherwise_honest():
    results = load_class([SAMPLE])
    assert len(results.warnings) == 1 and "the bank's grade is used" in results.warnings[0]
    assert results.attempts["learner"].nunique() == 20 and len(results.banks) == 3


def test_the_notebook_is_thin_executed_and_outside_the_lesson_sequence():
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    for cell in code:
        tree = ast.parse("".join(cell["source"]))
        assert not [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.ClassDef, ast.Lambda))]
        assert not any(o.get("output_type") == "error" for o in cell["outputs"])
    assert [c["execution_count"] for c in code] == list(range(1, len(code) + 1))
    assert "widgets" not in nb["metadata"]
    assert not any("show_quiz" in "".join(c["source"]) for c in code)
    assert Path(NOTEBOOK).parent != REPO / "notebooks"  # lessons are notebooks/NN_slug.ipynb
