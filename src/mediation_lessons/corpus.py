"""The corpus: source texts with provenance, clean paragraphs, citations and search.

Load it with :func:`load_corpus`. Every lesson quotation goes through
:meth:`Corpus.resolve` (or :meth:`Corpus.passage`), so a quote that is not a verbatim,
unique span of the clean text fails loudly instead of teaching a misquotation.
"""

from __future__ import annotations

import functools
import hashlib
import html
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from mediation_lessons.cleaning import CleanParagraph, clean_document, join_paragraphs, nfc
from mediation_lessons.errors import DataError, Problem
from mediation_lessons.paths import default_root
from mediation_lessons.schema import DATE, DATE_OR_NULL, bilingual, check_records, is_valid, schema_problems
from mediation_lessons.yamlio import line_of, load_yaml, read_text

# The families of source criticism (the sections of lesson 05) and the kinds of known
# issue in each, so that issues are counted by a fixed vocabulary, not free text.
ISSUE_CATEGORIES = {
    "provenance": "who wrote the text, for whom, and where it was copied from",
    "dates": "page dates, missing years, relative and wrong dates, later events",
    "translation": "machine translation that garbles or changes the meaning",
    "page": "what publishing and processing did to the page: adverts, links, cuts",
    "claims": "wrong numbers, overstatements, contradictions, doubtful readings",
}
ISSUE_KINDS = {
    "provenance": ("provenance", "a copy whose author, outlet or date is lost"),
    "unsourced": ("provenance", "no named people, dates or sources"),
    "single_source": ("provenance", "the only text on its events: no cross-check"),
    "date_error": ("dates", "a date that is wrong or impossible"),
    "date_discrepancy": ("dates", "a date off the record, often by a day"),
    "undated": ("dates", "a date or year not given, to be inferred"),
    "misleading_date": ("dates", "a page date that is not the date of the content"),
    "relative_date": ("dates", "a weekday or 'last week' from an unknown day"),
    "overtaken_by_events": ("dates", "right when written, changed by later events"),
    "garble": ("translation", "broken fragments of a machine translation"),
    "mistranslation": ("translation", "fluent, but says what the original did not"),
    "advert": ("page", "a brand or advert inserted into the text"),
    "markup": ("page", "a mark of machine processing, e.g. a bad link"),
    "truncated": ("page", "the text stops before its end"),
    "number_error": ("claims", "a wrong figure or sum"),
    "approximate": ("claims", "a round figure where the record is more precise"),
    "overstatement": ("claims", "a claim stronger than the facts"),
    "characterisation": ("claims", "a label most sources would not use"),
    "internal_contradiction": ("claims", "the text says two incompatible things"),
    "questionable_explanation": ("claims", "the author's reading, presented as fact"),
    "unverified": ("claims", "a claim we could not confirm elsewhere"),
}

KNOWN_ISSUE = {
    "type": "object",
    "properties": {
        "kind": {"enum": list(ISSUE_KINDS)},
        "quote": {"type": "string", "minLength": 1},
        "issue": {"type": "string", "minLength": 1},
        "correction": {"type": "string", "minLength": 1},
        "where": {"enum": ["clean", "raw"]},
    },
    "required": ["kind", "quote", "issue"],
    "additionalProperties": False,
}
DOCUMENT_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
            # a plain file name inside corpus/raw/ (checked again on disk for symlinks)
            "file": {"type": "string", "pattern": r"^[^/\\\x00]+$", "not": {"enum": [".", ".."]},
                     "description": "a file name inside corpus/raw/ (no folders)"},
            "sha256": {"type": "string", "pattern": r"^[0-9a-f]{64}$"},
            "title": bilingual("title in Chinese and English"),
            "title_source": {"type": "string", "minLength": 1},
            "page_date": DATE_OR_NULL,
            "content_period": {
                "type": "object",
                "properties": {
                    "start": DATE,
                    "end": DATE,
                    "precision": {"enum": ["day", "month", "year", "approx"]},
                },
                "required": ["start", "end", "precision"],
                "additionalProperties": False,
            },
            "dating_note": {"type": "string", "minLength": 1},
            "outlet": {"type": "string", "minLength": 1},
            "author": {"type": "string", "minLength": 1},
            "genre": {"type": "string", "minLength": 1},
            "language": {"type": "string", "minLength": 2},
            "threads": {"type": "array", "items": {"type": "string"}},
            "rights": {"type": "string", "minLength": 1},
            "known_issues": {"type": "array", "items": KNOWN_ISSUE},
        },
        "required": [
            "id", "file", "sha256", "title", "title_source", "page_date", "content_period",
            "dating_note", "outlet", "author", "genre", "language", "threads", "rights",
            "known_issues",
        ],
        "additionalProperties": False,
    },
}
CLEANING_SCHEMA = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "layout": {"enum": ["lines", "ocr_columns"]},
            "drop_lines": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "lines": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                        "occurrence": {"type": "integer", "minimum": 1},
                        "kind": {"enum": ["chrome", "caption"]},
                        "note": {"type": "string"},
                    },
                    "required": ["lines", "kind", "note"],
                    "additionalProperties": False,
                },
            },
            "paragraph_starts": {"type": "array", "items": {"type": "string", "minLength": 1}},
            "kinds": {"type": "object", "additionalProperties": {"enum": ["title", "heading", "summary", "byline", "source", "body"]}},
            "kind_prefixes": {"type": "object", "additionalProperties": {"enum": ["title", "heading", "summary", "byline", "source", "body"]}},
        },
        "required": ["layout"],
        "additionalProperties": False,
    },
}


class CitationError(ValueError):
    """A quote that does not resolve: unknown document, not found, ambiguous, or split."""

    def __init__(self, doc: str, quote: str, reason: str):
        self.doc, self.quote, self.reason = doc, quote, reason
        super().__init__(f"citation {doc}: {quote!r}: {reason}")


@dataclass(frozen=True)
class Citation:
    """A verbatim span of one paragraph of a clean text (half-open code-point offsets)."""

    doc: str
    quote: str
    paragraph: int
    start: int
    end: int
    doc_start: int
    doc_end: int


@dataclass(frozen=True)
class Passage:
    """A quotation shown in its whole sentence(s), highlighted, with its one English gloss.

    ``issues`` are the package's verdicts (known issues of the text) on the sentences
    shown, so a gloss that translates an erroneous sentence is never shown unflagged.
    """

    citation: Citation
    title: str
    context: str
    context_start: int
    gloss_en: str | None = None
    issues: tuple[str, ...] = ()

    def _parts(self) -> tuple[str, str, str]:
        a = self.citation.start - self.context_start
        b = self.citation.end - self.context_start
        return self.context[:a], self.context[a:b], self.context[b:]

    def source_line(self) -> str:
        c = self.citation
        return f"{self.title} ({c.doc}), paragraph {c.paragraph}, characters {c.start}-{c.end}"

    def _repr_html_(self) -> str:
        before, quote, after = (html.escape(p) for p in self._parts())
        gloss = f'<p class="ml-gloss"><b>English gloss:</b> {html.escape(self.gloss_en)}</p>' if self.gloss_en else ""
        issues = "".join(
            f'<p class="ml-passage-issue" style="color:#7a2500"><b>Source check:</b> {html.escape(i)}</p>' for i in self.issues)
        return (
            '<figure class="ml-passage" lang="en" style="margin:0.5em 0;padding:0.5em 0.8em;border-left:4px solid #888">'
            f'<blockquote lang="zh" style="margin:0;line-height:1.7">{before}'
            f'<mark style="background:#ffe58a;color:#000;font-weight:bold">{quote}</mark>{after}</blockquote>'
            f"{gloss}{issues}"
            f'<figcaption style="font-size:90%;color:#444">Source: {html.escape(self.source_line())}</figcaption>'
            "</figure>"
        )

    def __repr__(self) -> str:
        before, quote, after = self._parts()
        lines = [f"{before}【{quote}】{after}"]
        if self.gloss_en:
            lines.append(f"English gloss: {self.gloss_en}")
        lines.extend(f"Source check: {i}" for i in self.issues)
        lines.append(f"Source: {self.source_line()}")
        return "\n".join(lines)


@dataclass(frozen=True)
class Passages:
    """Passages shown together, one after the other (see :meth:`Corpus.passages`)."""

    items: tuple[Passage, ...]

    def _repr_html_(self) -> str:
        return "".join(p._repr_html_() for p in self.items)

    def __repr__(self) -> str:
        return "\n\n".join(repr(p) for p in self.items)


@dataclass(frozen=True)
class Document:
    meta: dict
    paragraphs: tuple[CleanParagraph, ...]
    text: str
    offsets: tuple[tuple[int, int], ...]


class Corpus:
    """The loaded corpus. Build it with :func:`load_corpus`."""

    def __init__(self, root: Path, docs: dict[str, Document]):
        self.root = root
        self._docs = docs

    # -- documents and paragraphs -------------------------------------------------
    @property
    def ids(self) -> list[str]:
        return list(self._docs)

    def meta(self, doc: str) -> dict:
        return self._document(doc).meta

    def text(self, doc: str) -> str:
        """The clean text: paragraphs separated by a blank line."""
        return self._document(doc).text

    def title(self, doc: str, lang: str = "zh") -> str:
        return self._document(doc).meta["title"][lang]

    def _document(self, doc: str) -> Document:
        try:
            return self._docs[doc]
        except KeyError:
            raise CitationError(doc, "", f"unknown document (known: {', '.join(self._docs)})") from None

    def documents(self) -> pd.DataFrame:
        """One row per text, with proper dtypes (dates as datetime64, categories)."""
        rows = []
        for doc_id, d in self._docs.items():
            m = d.meta
            rows.append(
                {
                    "id": doc_id,
                    "title_zh": m["title"]["zh"],
                    "title_en": m["title"]["en"],
                    "page_date": m["page_date"],
                    "period_start": m["content_period"]["start"],
                    "period_end": m["content_period"]["end"],
                    "precision": m["content_period"]["precision"],
                    "outlet": m["outlet"],
                    "author": m["author"],
                    "genre": m["genre"],
                    "language": m["language"],
                    "threads": list(m["threads"]),
                    "paragraphs": len(d.paragraphs),
                    "characters": sum(len(p.text) for p in d.paragraphs),
                    "known_issues": len(m["known_issues"]),
                    "file": m["file"],
                    "sha256": m["sha256"],
                }
            )
        df = pd.DataFrame(rows)
        for col in ("page_date", "period_start", "period_end"):
            df[col] = pd.to_datetime(df[col])
        for col in ("precision", "genre", "language"):
            df[col] = df[col].astype("category")
        for col in ("id", "title_zh", "title_en", "outlet", "author", "file", "sha256"):
            df[col] = df[col].astype("string")
        for col in ("paragraphs", "characters", "known_issues"):
            df[col] = df[col].astype("int64")
        return df

    def paragraphs(self, doc: str | None = None) -> pd.DataFrame:
        """One row per clean paragraph: doc, paragraph, kind, text, start, end (in the doc)."""
        rows = []
        for doc_id, d in self._docs.items():
            if doc is not None and doc_id != doc:
                continue
            for i, (p, (a, b)) in enumerate(zip(d.paragraphs, d.offsets)):
                rows.append({"doc": doc_id, "paragraph": i, "kind": p.kind, "text": p.text, "start": a, "end": b})
        df = pd.DataFrame(rows, columns=["doc", "paragraph", "kind", "text", "start", "end"])
        df["doc"] = pd.Categorical(df["doc"], categories=self.ids)
        df["kind"] = df["kind"].astype("category")
        df["text"] = df["text"].astype("string")
        for col in ("paragraph", "start", "end"):
            df[col] = df[col].astype("int64")
        return df

    def known_issues(self) -> pd.DataFrame:
        """Every annotated error or problem in the texts, with where it is.

        ``category`` and ``kind`` are categoricals over :data:`ISSUE_CATEGORIES` and
        :data:`ISSUE_KINDS`, so a crosstab lists every family, even one no text has.
        """
        rows = []
        for doc_id, d in self._docs.items():
            for issue in d.meta["known_issues"]:
                where = issue.get("where", "clean")
                paragraph = self.resolve(doc_id, issue["quote"]).paragraph if where == "clean" else None
                rows.append(
                    {
                        "doc": doc_id,
                        "category": ISSUE_KINDS[issue["kind"]][0],
                        "kind": issue["kind"],
                        "quote": issue["quote"],
                        "where": where,
                        "paragraph": paragraph,
                        "issue": " ".join(issue["issue"].split()),
                        "correction": issue.get("correction"),
                    }
                )
        df = pd.DataFrame(rows)
        df["paragraph"] = df["paragraph"].astype("Int64")
        df["category"] = pd.Categorical(df["category"], categories=list(ISSUE_CATEGORIES))
        df["kind"] = pd.Categorical(df["kind"], categories=list(ISSUE_KINDS))
        return df

    def issue_kinds(self) -> pd.DataFrame:
        """The vocabulary of known issues (category, kind, meaning) and how often the texts show each."""
        counts = self.known_issues()["kind"].value_counts()
        rows = [{"category": cat, "kind": kind, "meaning": meaning, "issues": int(counts.get(kind, 0))}
                for kind, (cat, meaning) in ISSUE_KINDS.items()]
        df = pd.DataFrame(rows)
        df["category"] = pd.Categorical(df["category"], categories=list(ISSUE_CATEGORIES))
        return df.sort_values("category", kind="stable").reset_index(drop=True)

    # -- citations ---------------------------------------------------------------
    def resolve(self, doc: str, quote: str) -> Citation:
        """Resolve a quote to its unique span. Raises :class:`CitationError` otherwise."""
        if doc not in self._docs:
            raise CitationError(doc, quote, f"unknown document (known: {', '.join(self._docs)})")
        quote_n = nfc(quote)
        if not quote_n.strip():
            raise CitationError(doc, quote, "empty quote")
        d = self._docs[doc]
        text = d.text
        first = text.find(quote_n)
        if first < 0:
            raise CitationError(doc, quote, "quote not found in the clean text")
        second = text.find(quote_n, first + 1)
        if second >= 0:
            count = len(re.findall(f"(?={re.escape(quote_n)})", text))
            raise CitationError(doc, quote, f"quote is ambiguous: it occurs {count} times; quote more of the sentence")
        end = first + len(quote_n)
        for i, (a, b) in enumerate(d.offsets):
            if a <= first and end <= b:
                return Citation(doc, quote_n, i, first - a, end - a, first, end)
        raise CitationError(doc, quote, "quote runs across a paragraph break; cite one paragraph")

    # -- passages, glosses and the parallel reader (see reader.py) -------------------
    def _sentences_of(self, doc: str, paragraph: int) -> tuple[list[tuple[int, int]], list[str] | None]:
        """Sentence spans of a paragraph and their English (None when the reader lacks it)."""
        from mediation_lessons.reader import reader_paragraphs, sentence_spans, split_sentences

        rp = reader_paragraphs(self, doc).get(paragraph)
        if rp is None:
            return sentence_spans(split_sentences(self._docs[doc].paragraphs[paragraph].text)), None
        return sentence_spans(zh for zh, _ in rp.sentences), [en for _, en in rp.sentences]

    def reader_gloss(self, doc: str, quote: str) -> str | None:
        """The reader's translation of the sentence(s) the quote overlaps (None if untranslated)."""
        from mediation_lessons.reader import _en, overlapping

        c = self.resolve(doc, quote)
        spans, ens = self._sentences_of(doc, c.paragraph)
        if ens is None:
            return None
        parts = [_en(ens[i]) for i in overlapping(spans, c.start, c.end)]
        return " ".join(parts) if parts and all(parts) else None

    def gloss(self, doc: str, quote: str) -> str | None:
        """The one English gloss of a passage: a listed override, else the reader's translation
        of the sentence(s) the quote overlaps."""
        from mediation_lessons.reader import load_overrides

        cache = self.__dict__.setdefault("_reader_cache", {})
        if "_overrides" not in cache:
            cache["_overrides"] = load_overrides(self.root)
        c = self.resolve(doc, quote)
        listed = cache["_overrides"].get((doc, c.quote))
        return listed["gloss"].strip() if listed else self.reader_gloss(doc, quote)

    def display_quote(self, doc: str, quote: str) -> str:
        """The quote as shown on its own: "…" marks each end that cuts a sentence."""
        from mediation_lessons.reader import whole_ends

        c = self.resolve(doc, quote)
        start_ok, end_ok = whole_ends(self._docs[doc].paragraphs[c.paragraph].text, c.start, c.end)
        return ("" if start_ok else "…") + c.quote + ("" if end_ok else "…")

    def passage_issues(self, doc: str, paragraph: int, start: int, end: int) -> tuple[str, ...]:
        """The known issues whose quote overlaps [start, end) of a paragraph, as sentences."""
        out = []
        for issue in self.meta(doc)["known_issues"]:
            if issue.get("where", "clean") != "clean":
                continue
            k = self.resolve(doc, issue["quote"])
            if k.paragraph == paragraph and k.start < end and start < k.end:
                text = f"{issue['kind'].replace('_', ' ')} at 「{k.quote}」: {' '.join(issue['issue'].split())}"
                if issue.get("correction"):
                    text += f" Correction: {' '.join(issue['correction'].split())}"
                out.append(text)
        return tuple(out)

    def citation_fault(self, doc: str, quote: str) -> tuple[str, str] | None:
        """Why a cited ``{doc, quote}`` does not resolve and which of its fields is wrong
        (``"doc"`` or ``"quote"``), or ``None`` when it resolves."""
        try:
            self.resolve(doc, quote)
        except CitationError as exc:
            return exc.reason, ("quote" if doc in self._docs else "doc")
        return None

    def passage(self, doc: str, quote: str, gloss_en: str | None = None) -> Passage:
        """The quote inside its whole sentence(s), highlighted, with its English gloss.

        Without ``gloss_en`` the gloss is :meth:`gloss` (the reader's translation of those
        sentences, or a listed override); a different ``gloss_en`` must be listed in
        corpus/gloss_overrides.yaml (a test checks every lesson). Known issues of the text
        on those sentences are shown beside the gloss.
        """
        from mediation_lessons.reader import overlapping

        c = self.resolve(doc, quote)
        para = self._docs[doc].paragraphs[c.paragraph].text
        spans, _ = self._sentences_of(doc, c.paragraph)
        idx = overlapping(spans, c.start, c.end) or [0]
        a, b = spans[idx[0]][0], spans[idx[-1]][1]
        while a < c.start and para[a].isspace():
            a += 1
        while b > c.end and para[b - 1].isspace():
            b -= 1
        gloss = gloss_en if gloss_en is not None else self.gloss(doc, quote)
        return Passage(c, self.title(doc), para[a:b], a, gloss, self.passage_issues(doc, c.paragraph, a, b))

    def passages(self, *citations: tuple[str, str]) -> Passages:
        """Several passages in one output, each as :meth:`passage` shows it: for quotes a
        lesson reads together. Each citation is a ``(doc, quote)`` pair."""
        for i, cite in enumerate(citations, 1):
            if not (isinstance(cite, tuple) and len(cite) == 2 and all(isinstance(x, str) for x in cite)):
                raise TypeError(f"passages: citation {i} must be a (doc, quote) pair of texts, not {cite!r:.80}")
        return Passages(tuple(self.passage(doc, quote) for doc, quote in citations))

    def reader(self, doc: str, paragraphs=None):
        """The parallel reader of ``doc``: a zh | en | notes table (all paragraphs, or
        ``paragraphs``, e.g. ``range(3, 8)``) that shows as HTML and as plain text."""
        from mediation_lessons.reader import ReaderView

        return ReaderView(self, doc, paragraphs)

    # -- search --------------------------------------------------------------------
    def search(
        self, pattern: str, regex: bool = False, docs: list[str] | None = None, width: int = 15, word: bool = False
    ) -> pd.DataFrame:
        """Keyword in context: one row per match, with paragraph and offsets in it.

        Plain search is literal and case-insensitive; ``regex=True`` takes a Python regular
        expression (a bad one raises ``ValueError`` saying why); ``word=True`` matches only
        where the segmenter sees ``pattern`` as a whole word (so 调停 does not match inside
        a longer word that merely contains it).
        """
        if not pattern:
            raise ValueError("search pattern is empty")
        if word and regex:
            raise ValueError("word search takes a plain word, not a regular expression")
        try:
            compiled = re.compile(nfc(pattern) if regex else re.escape(nfc(pattern)), re.IGNORECASE)
        except re.error as exc:
            raise ValueError(f"not a valid regular expression {pattern!r}: {exc}") from None
        rows = []
        for doc_id in docs or self.ids:
            d = self._document(doc_id)
            for i, p in enumerate(d.paragraphs):
                spans = _word_spans(p.text, nfc(pattern)) if word else ((m.start(), m.end()) for m in compiled.finditer(p.text))
                for a, b in spans:
                    if a == b:
                        continue
                    rows.append(
                        {
                            "doc": doc_id,
                            "paragraph": i,
                            "start": a,
                            "end": b,
                            "left": p.text[max(0, a - width) : a],
                            "match": p.text[a:b],
                            "right": p.text[b : b + width],
                        }
                    )
        df = pd.DataFrame(rows, columns=["doc", "paragraph", "start", "end", "left", "match", "right"])
        for col in ("paragraph", "start", "end"):
            df[col] = df[col].astype("int64")
        return df

    def words(self, doc: str, user_words: tuple[str, ...] = ()) -> list[str]:
        """The clean text of ``doc`` segmented into words (jieba, loaded on first use)."""
        from mediation_lessons.segment import segment

        return [w for p in self._document(doc).paragraphs for w in segment(p.text, user_words)]

    def term_counts(self, terms: list[str], docs: list[str] | None = None) -> pd.DataFrame:
        """How often each term occurs as a word in each text (rows: terms; columns: docs)."""
        from mediation_lessons.segment import count_terms

        docs = docs or self.ids
        data = {
            doc: count_terms([p.text for p in self._document(doc).paragraphs], terms) for doc in docs
        }
        df = pd.DataFrame(data, index=pd.Index(terms, name="term"), columns=docs).fillna(0).astype("int64")
        return df


def _word_spans(text: str, word: str) -> list[tuple[int, int]]:
    from mediation_lessons.segment import tokens

    # the default dictionary decides what a word is; adding the pattern would force a split
    return [(a, b) for token, a, b in tokens(text) if token == word]


# -- loading and checking -------------------------------------------------------------


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_documents(root: Path) -> tuple[list[dict], list[Problem], dict]:
    """The document records; a record with a problem is replaced by a stub marked ``_invalid``."""
    path = root / "corpus" / "documents.yaml"
    shown = _rel(path, root)
    data, lines = load_yaml(path, shown)
    if data is None:
        data = []
    checked = check_records(data, lines, shown, DOCUMENT_SCHEMA, record_name="document")
    if not isinstance(data, list):
        return [], checked.problems, lines
    problems = checked.problems
    good = {i for i, _rec in checked.good}
    for i, rec in enumerate(data):
        if i not in good:
            rid = rec.get("id") if isinstance(rec, dict) else None
            data[i] = {"id": rid if isinstance(rid, str) else None, "_invalid": True}
            continue
        period = rec["content_period"]
        if period["start"] > period["end"]:
            problems.append(Problem(shown, "content_period starts after it ends", rec["id"], "content_period", line_of(lines, (i, "content_period"))))
    # a second record with an id already used is left out: it would replace the first
    seen: set = set()
    for i, rec in enumerate(data):
        if rec.get("id") in seen:
            data[i] = {"id": rec.get("id"), "_invalid": True}
        seen.add(rec.get("id"))
    return data, problems, lines


def _outside_raw(root: Path, path: Path) -> str | None:
    """Why ``path`` may not be read as a raw text (it must stay inside corpus/raw/), or None."""
    raw_dir = (root / "corpus" / "raw").resolve()
    try:
        real = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop
        return f"corpus/raw/{path.name} cannot be resolved (a symlink loop?)"
    if real.parent != raw_dir:
        return f"corpus/raw/{path.name} leads outside corpus/raw/ (a symlink?); raw texts must be files inside it"
    return None


def _read_rules(root: Path) -> tuple[dict, list[Problem], dict]:
    path = root / "corpus" / "cleaning.yaml"
    shown = _rel(path, root)
    data, lines = load_yaml(path, shown)
    data = data or {}
    problems = [] if is_valid(data, CLEANING_SCHEMA, remember=True) else schema_problems(data, CLEANING_SCHEMA, lines, shown)
    if not isinstance(data, dict):
        return {}, problems, lines
    # rules with a problem become None (reported once, here); the other documents still load
    return {k: (None if problems and not is_valid({k: v}, CLEANING_SCHEMA) else v) for k, v in data.items()}, problems, lines


def _build(root: Path) -> tuple[dict[str, Document], list[Problem]]:
    """Read and check everything in corpus/; return the documents and all problems.

    A record that fails its schema is reported and left out of the documents.
    """
    problems: list[Problem] = []
    try:
        records, p, doc_lines = _read_documents(root)
        problems += p
    except DataError as exc:
        return {}, exc.problems
    try:
        rules, p, rule_lines = _read_rules(root)
        problems += p
    except DataError as exc:
        rules, rule_lines = {}, {}
        problems += exc.problems
    docs_shown = "corpus/documents.yaml"
    rules_shown = "corpus/cleaning.yaml"
    docs: dict[str, Document] = {}
    for i, rec in enumerate(records):
        if rec.get("_invalid"):
            continue
        doc_id = rec["id"]
        raw_path = root / "corpus" / "raw" / rec["file"]
        outside = _outside_raw(root, raw_path)
        if outside:
            problems.append(Problem(docs_shown, outside, doc_id, "file", line_of(doc_lines, (i, "file"))))
            continue
        if not raw_path.is_file():
            problems.append(Problem(docs_shown, f"raw text corpus/raw/{rec['file']} does not exist", doc_id, "file", line_of(doc_lines, (i, "file"))))
            continue
        raw_bytes = raw_path.read_bytes()
        digest = hashlib.sha256(raw_bytes).hexdigest()
        if digest != rec["sha256"]:
            problems.append(
                Problem(
                    docs_shown,
                    f"checksum mismatch: corpus/raw/{rec['file']} has sha256 {digest}; the raw text was changed (raw texts are never edited)",
                    doc_id, "sha256", line_of(doc_lines, (i, "sha256")),
                )
            )
        try:
            raw = read_text(raw_path, f"corpus/raw/{rec['file']}")
        except DataError as exc:
            problems += exc.problems
            continue
        if rules.get(doc_id, {}) is None:
            continue  # its rules are broken, and reported
        if doc_id not in rules:
            problems.append(Problem(rules_shown, "no cleaning rules for this document (add at least `layout: lines`)", doc_id))
            continue
        paragraphs, rule_problems = clean_document(raw, rules[doc_id])
        for rp in rule_problems:
            problems.append(Problem(rules_shown, rp.message, doc_id, ".".join(str(x) for x in rp.field), line_of(rule_lines, (doc_id,) + rp.field)))
        offsets, pos = [], 0
        for para in paragraphs:
            offsets.append((pos, pos + len(para.text)))
            pos += len(para.text) + 2
        docs[doc_id] = Document(rec, tuple(paragraphs), join_paragraphs(paragraphs)[:-1], tuple(offsets))
        for j, issue in enumerate(rec["known_issues"]):
            field = f"known_issues.{j}.quote"
            line = line_of(doc_lines, (i, "known_issues", j, "quote"))
            if issue.get("where", "clean") == "raw":
                if raw.count(issue["quote"]) != 1:
                    problems.append(Problem(docs_shown, f"quote must occur exactly once in the raw text, found {raw.count(issue['quote'])}: {issue['quote']!r}", doc_id, field, line))
            else:
                try:
                    Corpus(root, {doc_id: docs[doc_id]}).resolve(doc_id, issue["quote"])
                except CitationError as exc:
                    problems.append(Problem(docs_shown, f"{exc.reason}: {issue['quote']!r}", doc_id, field, line))
    for doc_id in rules:
        if doc_id not in {r["id"] for r in records} and records:
            problems.append(Problem(rules_shown, "rules for a document that documents.yaml does not list", doc_id, None, line_of(rule_lines, (doc_id,))))
    return docs, problems


def _listed_ids(root: Path) -> set[str]:
    try:
        data, _ = load_yaml(root / "corpus" / "documents.yaml")
    except DataError:
        return set()
    records = data if isinstance(data, list) else []
    return {rec.get("id") for rec in records if isinstance(rec, dict) and isinstance(rec.get("id"), str)}


def check_corpus(root: Path | None = None, check_clean_files: bool = True) -> list[Problem]:
    """Every problem in corpus/: metadata, checksums, rules, known-issue quotes, stale clean files."""
    root = Path(root) if root else default_root()
    docs, problems = _build(root)
    if check_clean_files:
        for doc_id, d in docs.items():
            path = root / "corpus" / "clean" / f"{doc_id}.txt"
            expected = d.text + "\n"
            if not path.is_file():
                problems.append(Problem(_rel(path, root), "clean text missing: run `mediation-lessons clean`", doc_id))
            elif path.read_text(encoding="utf-8") != expected:
                problems.append(Problem(_rel(path, root), "clean text is stale (raw text or rules changed): run `mediation-lessons clean`", doc_id))
        clean_dir = root / "corpus" / "clean"
        if clean_dir.is_dir():
            listed = _listed_ids(root)
            for path in sorted(clean_dir.glob("*.txt")):
                if path.stem not in listed and listed:
                    problems.append(Problem(_rel(path, root), "clean text of a document that documents.yaml does not list", path.stem))
    return problems


def write_clean(root: Path | None = None) -> list[Path]:
    """Regenerate corpus/clean/ from raw texts and rules. Raises DataError if the corpus is wrong."""
    root = Path(root) if root else default_root()
    docs, problems = _build(root)
    if problems:
        raise DataError(problems)
    out = root / "corpus" / "clean"
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_id, d in docs.items():
        path = out / f"{doc_id}.txt"
        path.write_text(d.text + "\n", encoding="utf-8", newline="\n")
        written.append(path)
    return written


@functools.lru_cache(maxsize=8)
def _load_cached(root: Path) -> Corpus:
    docs, problems = _build(root)
    if problems:
        raise DataError(problems)
    return Corpus(root, docs)


def load_corpus(root: Path | str | None = None) -> Corpus:
    """Load and check the corpus (cached per folder). Raises DataError listing every problem."""
    return _load_cached(Path(root).resolve() if root else default_root().resolve())
