"""Mediation lessons: an annotated corpus, cited event data and bilingual quizzes."""

from mediation_lessons.errors import DataError, Problem

__all__ = ["DataError", "Problem"]
__version__ = "0.1.0"
