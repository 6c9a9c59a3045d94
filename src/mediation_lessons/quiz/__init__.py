"""Bilingual quizzes grounded in the corpus: banks, grading, widgets, progress.

In a notebook::

    from mediation_lessons.quiz import show_quiz
    show_quiz("00_start_here")
"""

from mediation_lessons.quiz.bank import check_banks, load_bank, parse_bank
from mediation_lessons.quiz.grading import Result, grade, normalise_text
from mediation_lessons.quiz.model import Bank, Question
from mediation_lessons.quiz.progress import ProgressStore, export_results
from mediation_lessons.quiz.widgets import QuestionCard, Quiz, show_quiz

__all__ = [
    "Bank", "ProgressStore", "Question", "QuestionCard", "Quiz", "Result", "check_banks",
    "export_results", "grade", "load_bank", "normalise_text", "parse_bank", "show_quiz",
]

from mediation_lessons.heap import settle_imports as _settle_imports  # noqa: E402

_settle_imports()  # after ipywidgets: see mediation_lessons.heap
