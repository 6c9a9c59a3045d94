"""The parallel reader: every paragraph of a clean text, sentence by sentence, in Chinese
and English, with notes. The data lives in ``corpus/reader/<doc>.yaml``."""

from __future__ import annotations

import re

# A sentence ends at 。！？； (or their ASCII forms !?;), together with any closing quote
# marks or brackets right after it; the paragraph end closes the last one.
_SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)\"]*")


def split_sentences(paragraph: str) -> list[str]:
    """The sentences of one paragraph, whitespace kept, so that they join back to it."""
    out, start = [], 0
    for m in _SENTENCE_END.finditer(paragraph):
        if m.end() > start:
            out.append(paragraph[start : m.end()])
            start = m.end()
    if start < len(paragraph):
        out.append(paragraph[start:])
    # whitespace-only pieces belong to the sentence before them
    merged: list[str] = []
    for s in out:
        if merged and not s.strip():
            merged[-1] += s
        else:
            merged.append(s)
    return merged
