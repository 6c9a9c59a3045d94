"""Raw text -> clean paragraphs, by generic rules plus per-document rules declared as data.

The rules file (corpus/cleaning.yaml) says which raw lines are chrome or captions, how
paragraphs are found, and which paragraphs are titles or headings. Everything else is
generic and documented at the top of that file.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WIKI_LINK = re.compile(r"\[\[(?:[a-z]{2,3}:)?([^\]|]+?)(?:\|([^\]]+))?\]\]")
_MD_HEADING = re.compile(r"^#{1,6}\s+")
_MD_BOLD_LINE = re.compile(r"^\*\*(.+)\*\*$")
# Ideographs, CJK punctuation, full-width forms and the curly quotes Chinese text uses.
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\u2018\u2019\u201c\u201d\u2014\u2026"
_SPACE_BETWEEN_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+(?=[{_CJK}])")


@dataclass(frozen=True)
class CleanParagraph:
    kind: str
    text: str


@dataclass(frozen=True)
class RuleProblem:
    """A rule that does not fit the text; ``field`` is the path inside the document's rules."""

    field: tuple
    message: str


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def unlink_wiki(text: str) -> str:
    """``[[zh:卡塔尔]]`` -> ``卡塔尔``; ``[[target|label]]`` -> ``label``."""
    return _WIKI_LINK.sub(lambda m: m.group(2) or m.group(1), text)


def close_cjk_spaces(text: str) -> str:
    """Remove the spaces OCR and justification leave between two CJK characters."""
    return _SPACE_BETWEEN_CJK.sub("", text)


def strip_markdown(line: str) -> tuple[str, bool]:
    """Drop heading and bold markers; say whether the line was a heading."""
    heading = False
    if _MD_HEADING.match(line):
        line, heading = _MD_HEADING.sub("", line), True
    bold = _MD_BOLD_LINE.match(line)
    if bold:
        line, heading = bold.group(1), True
    return line.replace("**", ""), heading


def _inline(text: str) -> str:
    return close_cjk_spaces(unlink_wiki(text)).strip()


def _drop_lines(lines: list[str], rules: dict) -> tuple[list[str], list[RuleProblem]]:
    problems = []
    drop = set()
    # compare with runs of spaces (no-break spaces too) folded to one
    stripped = [" ".join(line.split()) for line in lines]
    for r, rule in enumerate(rules.get("drop_lines") or []):
        occurrence = rule.get("occurrence")
        for t, target in enumerate(rule.get("lines") or []):
            target = " ".join(nfc(target).split())
            hits = [i for i, line in enumerate(stripped) if line == target]
            if occurrence is not None:
                hits = hits[occurrence - 1 : occurrence]
            if not hits:
                where = f"occurrence {occurrence} of " if occurrence else ""
                problems.append(
                    RuleProblem(("drop_lines", r, "lines", t), f"{where}line {target!r} is not in the raw text")
                )
            drop.update(hits)
    return [line for i, line in enumerate(lines) if i not in drop], problems


def _split_at_starts(text: str, starts: list[str]) -> tuple[list[str], list[RuleProblem]]:
    problems = []
    cuts = {0}
    for i, snippet in enumerate(starts):
        snippet = nfc(snippet)
        count = text.count(snippet)
        if count != 1:
            what = "is not in" if count == 0 else f"occurs {count} times in"
            problems.append(RuleProblem(("paragraph_starts", i), f"{snippet!r} {what} the rejoined text"))
            continue
        cuts.add(text.index(snippet))
    bounds = sorted(cuts) + [len(text)]
    return [text[a:b] for a, b in zip(bounds, bounds[1:])], problems


def clean_document(raw: str, rules: dict) -> tuple[list[CleanParagraph], list[RuleProblem]]:
    """Clean one raw text with its rules. Returns paragraphs and rule problems (if any)."""
    raw = nfc(raw.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n"))
    lines, problems = _drop_lines(raw.split("\n"), rules)
    layout = rules.get("layout", "lines")
    pieces: list[tuple[str, bool]] = []
    if layout == "ocr_columns":
        joined = _inline("".join(line.strip() for line in lines if line.strip()))
        chunks, split_problems = _split_at_starts(joined, rules.get("paragraph_starts") or [])
        problems += split_problems
        pieces = [(chunk.strip(), False) for chunk in chunks]
    elif layout == "lines":
        for line in lines:
            text, heading = strip_markdown(line.strip())
            pieces.append((_inline(text), heading))
    else:
        problems.append(RuleProblem(("layout",), f"unknown layout {layout!r} (use 'lines' or 'ocr_columns')"))
    kinds = {nfc(k).strip(): v for k, v in (rules.get("kinds") or {}).items()}
    prefixes = {nfc(k): v for k, v in (rules.get("kind_prefixes") or {}).items()}
    used = set()
    paragraphs = []
    for text, heading in pieces:
        if not text:
            continue
        kind = "heading" if heading else "body"
        for prefix, prefix_kind in prefixes.items():
            if text.startswith(prefix):
                kind = prefix_kind
                used.add(("kind_prefixes", prefix))
        if text in kinds:
            kind = kinds[text]
            used.add(("kinds", text))
        paragraphs.append(CleanParagraph(kind, text))
    for text in kinds:
        if ("kinds", text) not in used:
            problems.append(RuleProblem(("kinds", text), "no clean paragraph has exactly this text"))
    for prefix in prefixes:
        if ("kind_prefixes", prefix) not in used:
            problems.append(RuleProblem(("kind_prefixes", prefix), "no clean paragraph starts with this text"))
    return paragraphs, problems


def join_paragraphs(paragraphs: list[CleanParagraph]) -> str:
    """The clean text as stored: paragraphs separated by one blank line."""
    return "\n\n".join(p.text for p in paragraphs) + "\n"
