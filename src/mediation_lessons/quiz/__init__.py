"""Bilingual quizzes grounded in the corpus: banks, grading, widgets, progress."""
