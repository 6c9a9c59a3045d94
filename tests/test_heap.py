"""A lesson's kernel keeps the garbage collector off the objects its imports made."""

import subprocess
import sys

import pytest

LESSON_IMPORTS = (
    "from mediation_lessons import load_corpus\n"
    "from mediation_lessons.charts import timeline\n"
    "from mediation_lessons.quiz import show_quiz\n"
)


# matplotlib comes in when a chart is first drawn (mediation_lessons.figures)
@pytest.mark.parametrize("imports, at_least", [(LESSON_IMPORTS, 50_000),
                                               (LESSON_IMPORTS + "import mediation_lessons.figures\n", 100_000)],
                         ids=["lesson", "lesson-and-matplotlib"])
def test_after_the_lesson_imports_their_objects_are_out_of_the_collectors_way(imports, at_least):
    code = (
        "import gc\n" + imports +
        "frozen, scanned = gc.get_freeze_count(), len(gc.get_objects())\n"
        f"assert frozen > {at_least} and scanned < frozen / 20, (frozen, scanned)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
