"""A lesson's kernel keeps the garbage collector off the objects its imports made."""

import subprocess
import sys


def test_after_the_lesson_imports_their_objects_are_out_of_the_collectors_way():
    code = (
        "import gc\n"
        "from mediation_lessons import load_corpus\n"
        "from mediation_lessons.charts import timeline\n"
        "from mediation_lessons.quiz import show_quiz\n"
        "frozen, scanned = gc.get_freeze_count(), len(gc.get_objects())\n"
        "assert frozen > 100_000 and scanned < frozen / 20, (frozen, scanned)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
