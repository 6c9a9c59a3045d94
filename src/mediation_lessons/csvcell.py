"""Cells written to CSV files that a teacher opens in a spreadsheet."""

from __future__ import annotations

# OWASP CSV injection: a spreadsheet runs a cell that starts with one of these as a formula
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> object:
    """``value`` as a spreadsheet will show it but never run it: text that would start a
    formula gets a leading apostrophe; numbers and other values pass unchanged."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value
