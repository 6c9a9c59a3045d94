"""Mediation lessons: an annotated corpus, cited event data and bilingual quizzes."""

from mediation_lessons.corpus import Citation, CitationError, Corpus, Passage, load_corpus
from mediation_lessons.errors import DataError, Problem

__all__ = ["Citation", "CitationError", "Corpus", "DataError", "Passage", "Problem", "load_corpus"]
__version__ = "0.1.0"

from mediation_lessons.heap import settle_imports as _settle_imports

_settle_imports()  # after the imports above: see mediation_lessons.heap
