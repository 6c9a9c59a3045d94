"""Quiz items that test the same point twice: near-identical prompts and keys, or a shared
key quote with a shared concept.

An item is cut into *points*: its English prompt with its key (the right options, the
order, the true/false answer), and for a match question each pair with the prompt, since
one pair of a match can repeat a whole question elsewhere. Two items are compared by the
best cosine similarity of their points, with tf-idf weights over every point of every
bank, so words that every question uses ("text", "mediator") count little and the words
that carry the point count a lot. Chinese runs count as character bigrams.

:data:`THRESHOLD` was calibrated on the repeats reviewers found in the banks of issue 12
(02 page-date-004 and 05 misleading-page-date score 1.0; 00 inserted-advert and 03
leihuo-advert 0.43; 01 ripeness and 05 ripeness-june-2024 0.42; the communicator-role
matches 0.37-0.58 for the pairs that put each of the five in at least one flagged pair),
while the next distinct pairs score below 0.36.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass

THRESHOLD = 0.36
_STOP = frozenset(
    "a an the of to in and or is are was were be by for on at as with from that this which what who whose "
    "does do did it its their they each one two not no than into about between while".split()
)


def _stem(w: str) -> str:
    if len(w) <= 3:
        return w
    if w.endswith(("ies", "ied")):
        return w[:-3] + "y"
    if re.search(r"(ss|sh|ch|x)es$", w):
        return w[:-2]
    if w.endswith("ing") and len(w) > 5:
        return w[:-3]
    if w.endswith("ed") and len(w) > 4:
        return w[:-2]
    if w.endswith("s") and not w.endswith("ss"):
        return w[:-1]
    return w


def tokens(text: str) -> list[str]:
    """Content words of ``text``, lower-cased and lightly stemmed; Chinese as bigrams."""
    out: list[str] = []
    for w in re.sub(r"[^a-z0-9\u4e00-\u9fff]+", " ", text.lower()).split():
        if w in _STOP:
            continue
        if re.fullmatch(r"[\u4e00-\u9fff]+", w):
            out += [w[i : i + 2] for i in range(len(w) - 1)] or [w]
        else:
            out.append(_stem(w))
    return out


def _en(text: dict | None) -> str:
    return text.get("en", "") if isinstance(text, dict) else ""


def key_text(q: dict) -> str:
    """The item's key as English text (quotes for evidence items)."""
    qtype = q.get("type")
    if qtype in ("single_choice", "multiple_choice"):
        return " ".join(_en(o.get("text")) for o in q.get("options", []) if o.get("correct"))
    if qtype == "evidence":
        return " ".join(o.get("source", {}).get("quote", "") for o in q.get("options", []) if o.get("correct"))
    if qtype == "order":
        return " ".join(_en(i) for i in q.get("items", []))
    if qtype == "match":
        return " ".join(_en(p.get("left")) + " " + _en(p.get("right")) for p in q.get("pairs", []))
    if qtype == "true_false":
        return "true" if q.get("answer") else "false"
    if qtype == "short_text":
        return " ".join(map(str, q.get("accept", [])))
    return str(q.get("answer", q.get("range", "")))


def points(q: dict) -> list[str]:
    """The texts of the points an item tests (see the module docstring)."""
    prompt = _en(q.get("prompt"))
    if q.get("type") == "match":
        return [prompt + " " + _en(p.get("left")) + " " + _en(p.get("right")) for p in q.get("pairs", [])] + [prompt]
    return [prompt + " " + key_text(q)]


def key_quotes(q: dict) -> set[tuple[str, str]]:
    """(doc, quote) of the passages an item rests on: its sources and its right evidence."""
    found = {(s.get("doc", ""), s.get("quote", "")) for s in q.get("sources", []) if isinstance(s, dict)}
    if q.get("type") == "evidence":
        found |= {(o["source"].get("doc", ""), o["source"].get("quote", "")) for o in q.get("options", [])
                  if o.get("correct") and isinstance(o.get("source"), dict)}
    return found


@dataclass(frozen=True)
class Overlap:
    """Two items (``bank/question``) that look like the same point, and why."""

    a: str
    b: str
    similarity: float
    shared_quotes: tuple[str, ...] = ()
    shared_concepts: tuple[str, ...] = ()

    def __str__(self) -> str:
        why = [f"similarity {self.similarity:.2f}"]
        if self.shared_quotes and self.shared_concepts:
            why.append(f"same key quote {self.shared_quotes[0]!r} and concept(s) {', '.join(self.shared_concepts)}")
        return f"{self.a} ~ {self.b}: " + "; ".join(why)


def _quotes_overlap(qa: tuple[str, str], qb: tuple[str, str]) -> bool:
    (da, a), (db, b) = qa, qb
    return da == db and bool(a) and bool(b) and (a in b or b in a)


def overlaps(banks: dict[str, list[dict]], threshold: float = THRESHOLD) -> list[Overlap]:
    """Every pair of items, across and within ``banks`` ({bank id: questions}), whose
    points are near-identical (similarity >= ``threshold``) or that rest on the same
    passage (one key quote inside the other) and test a concept in common."""
    items = [(f"{bank}/{q.get('id')}", q) for bank, qs in banks.items() for q in qs if isinstance(q, dict)]
    docs = [[tokens(p) for p in points(q)] for _, q in items]
    df: Counter = Counter()
    n = 0
    for pts in docs:
        for p in pts:
            n += 1
            df.update(set(p))

    def vec(p: list[str]) -> dict[str, float]:
        weights = {w: (1 + math.log(c)) * math.log((1 + n) / (1 + df[w])) for w, c in Counter(p).items()}
        norm = math.sqrt(sum(x * x for x in weights.values())) or 1.0
        return {w: x / norm for w, x in weights.items()}

    vecs = [[vec(p) for p in pts] for pts in docs]
    found = []
    for (i, (na, qa)), (j, (nb, qb)) in itertools.combinations(enumerate(items), 2):
        sim = max((sum(x * vb.get(w, 0.0) for w, x in va.items()) for va in vecs[i] for vb in vecs[j]), default=0.0)
        concepts = tuple(sorted(set(qa.get("concepts") or []) & set(qb.get("concepts") or [])))
        quotes = tuple(sorted({a[1] for a in key_quotes(qa) for b in key_quotes(qb) if _quotes_overlap(a, b)}))
        if sim >= threshold or (quotes and concepts):
            found.append(Overlap(na, nb, round(sim, 2), quotes, concepts))
    return found
