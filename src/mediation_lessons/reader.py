"""The parallel reader: every paragraph of a clean text, sentence by sentence, in Chinese
and English, with notes. The data lives in ``corpus/reader/<doc>.yaml``.

- :func:`check_reader` finds every problem in the reader files (schema, a paragraph
  missing or out of order, a stale paragraph, an untranslated sentence, a note whose quote
  is not a unique span of its paragraph) and in ``corpus/gloss_overrides.yaml``.
- :func:`show` (or ``corpus.reader(doc)``) gives a :class:`ReaderView`: a zh | en | notes
  table with an HTML and a plain-text form, so a stored notebook output reads anywhere.
- :func:`handout_html` / :func:`write_handouts` write the printable page of a text.
- :func:`usage` computes where each paragraph is cited (events, lessons, quiz questions).

The sentences here are also where a passage's one English gloss comes from
(``Corpus.gloss``), and where a quote's sentence boundaries are found
(``Corpus.display_quote``).
"""

from __future__ import annotations

import ast
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from mediation_lessons import cache
from mediation_lessons.errors import DataError, Problem
from mediation_lessons.schema import check_records
from mediation_lessons.yamlio import line_of, load_yaml

if TYPE_CHECKING:  # pragma: no cover
    from mediation_lessons.corpus import Corpus

# A sentence ends at 。！？； (or their ASCII forms !?;), together with any closing quote
# marks or brackets right after it; the paragraph end closes the last one.
_SENTENCE_END = re.compile(r"[。！？；!?;…]+[”’」』）)\"]*")
# what may stand between a sentence boundary and a quote that is still "whole"
_OPENERS = set(" \t\u3000“‘「『（(\"")
_CLOSERS = set(" \t\u3000。！？；!?;…”’」』）)\"")

UNTRANSLATED = "TODO"
READER_DIR = ("corpus", "reader")
OVERRIDES = ("corpus", "gloss_overrides.yaml")
OVERRIDES_HINT = (
    "a passage's English gloss comes from the parallel reader (corpus/reader/<doc>.yaml); "
    "a different wording goes in corpus/gloss_overrides.yaml with its reason"
)
# what a notebook cell may call with (doc, quote) as its first two arguments
CITING_CALLS = ("passage", "resolve", "gloss", "display_quote")

_TEXT = {"type": "string", "minLength": 1}
READER_SCHEMA = {
    "type": "object",
    "properties": {
        "doc": {"type": "string", "pattern": r"^[a-z0-9][a-z0-9-]*$"},
        "paragraphs": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "n": {"type": "integer", "minimum": 0},
                    "kind": {"enum": ["title", "heading", "summary", "byline", "source", "body"]},
                    "sentences": {
                        "type": "array",
                        "minItems": 1,
                        "items": {
                            "type": "object",
                            "properties": {"zh": _TEXT, "en": {"type": "string"}},
                            "required": ["zh", "en"],
                            "additionalProperties": False,
                        },
                    },
                    "notes": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {"quote": _TEXT, "note": _TEXT},
                            "required": ["quote", "note"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["n", "kind", "sentences", "notes"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["doc", "paragraphs"],
    "additionalProperties": False,
}
OVERRIDES_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {"doc": _TEXT, "quote": _TEXT, "gloss": _TEXT, "reason": _TEXT},
        "required": ["doc", "quote", "gloss", "reason"],
        "additionalProperties": False,
    },
}


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


def sentence_spans(sentences: Iterable[str]) -> list[tuple[int, int]]:
    """Half-open offsets of each sentence in the paragraph they join to."""
    spans, pos = [], 0
    for s in sentences:
        spans.append((pos, pos + len(s)))
        pos += len(s)
    return spans


def overlapping(spans: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """Indexes of the spans that share at least one character with [start, end)."""
    return [i for i, (a, b) in enumerate(spans) if a < end and start < b]


def whole_ends(paragraph: str, start: int, end: int) -> tuple[bool, bool]:
    """Whether [start, end) of ``paragraph`` starts, and ends, at a sentence boundary.

    A boundary is the paragraph's start or end or a sentence end (。！？； with any closing
    quote marks); spaces and opening quote marks before a quote, and the sentence's own
    end punctuation and closing marks after it, do not count as a cut.
    """
    spans = sentence_spans(split_sentences(paragraph))
    first = overlapping(spans, start, end) or [0]
    a = spans[first[0]][0] if spans else 0
    b = spans[first[-1]][1] if spans else len(paragraph)
    start_ok = all(ch in _OPENERS for ch in paragraph[a:start])
    end_ok = all(ch in _CLOSERS for ch in paragraph[end:b])
    return start_ok, end_ok


# -- reading the data -------------------------------------------------------------------


@dataclass(frozen=True)
class ReaderParagraph:
    n: int
    kind: str
    sentences: tuple[tuple[str, str], ...]  # (zh, en)
    notes: tuple[tuple[str, str], ...]  # (quote, note)

    @property
    def zh(self) -> str:
        return "".join(zh for zh, _ in self.sentences)

    def en(self) -> str:
        return " ".join(_en(en) for _, en in self.sentences)


def _en(value: str) -> str:
    return "" if value.strip() == UNTRANSLATED else value.strip()


def _rel(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_reader_file(path: Path, root: Path) -> tuple[Any, dict, list[Problem], list[tuple[int, dict]]]:
    """(data, lines, problems, good): a reader file checked with ``check_records``, its
    paragraphs named "paragraph N"; ``good`` holds the (index, paragraph) whose shape passed."""
    shown = _rel(path, root)
    try:
        data, lines = load_yaml(path, shown)
    except DataError as exc:
        return None, {}, exc.problems, []
    paragraphs = data.get("paragraphs") if isinstance(data, dict) else None
    labels = None
    if isinstance(paragraphs, list):
        labels = [f"paragraph {p['n']}" if isinstance(p, dict) and type(p.get("n")) is int else f"#{i + 1}"
                  for i, p in enumerate(paragraphs)]
    checked = check_records(data, lines, shown, READER_SCHEMA, records_at=("paragraphs",), id_field="n",
                            record_name="paragraph", labels=labels)
    return data, lines, checked.problems, checked.good


def reader_paragraphs(corpus: "Corpus", doc: str) -> dict[int, ReaderParagraph]:
    """The reader's paragraphs of ``doc`` that still match the clean text, by number.

    A paragraph that is stale (its sentences no longer join to the clean paragraph) or
    missing is left out: it has no translation to show until the reader is brought up to
    date (``mediation-lessons validate`` names it).
    """
    cache = corpus.__dict__.setdefault("_reader_cache", {})
    if doc in cache:
        return cache[doc]
    corpus._document(doc)  # an unknown document raises CitationError naming the known ones
    path = corpus.root.joinpath(*READER_DIR, f"{doc}.yaml")
    out: dict[int, ReaderParagraph] = {}
    if path.is_file():
        _data, _lines, _problems, good = _read_reader_file(path, corpus.root)  # validate reports them
        clean = corpus._document(doc).paragraphs
        for _i, p in good:
            n = p["n"]
            rp = ReaderParagraph(
                n, p["kind"], tuple((s["zh"], s["en"]) for s in p["sentences"]),
                tuple((x["quote"], x["note"]) for x in p["notes"]))
            if n < len(clean) and rp.zh == clean[n].text and n not in out:
                out[n] = rp
    cache[doc] = out
    return out


def load_overrides(root: Path) -> dict[tuple[str, str], dict]:
    """The listed gloss overrides, keyed by (doc, quote); {} when there is no file."""
    path = root.joinpath(*OVERRIDES)
    if not path.is_file():
        return {}
    shown = _rel(path, root)
    data, lines = load_yaml(path, shown)  # a file that does not parse: DataError with its line
    checked = _check_overrides_shape(data, lines, shown)
    if checked.problems:
        raise DataError(checked.problems)
    out: dict = {}
    for _i, r in checked.good:
        out.setdefault((r["doc"], r["quote"]), r)  # the first listing wins; validate reports a second
    return out


def _check_overrides_shape(data: Any, lines: dict, shown: str):
    """The overrides file through ``check_records``: no ids (a passage is its (doc, quote)
    pair, checked by :func:`_check_overrides`), records named ``#k``."""
    return check_records([] if data is None else data, lines, shown, OVERRIDES_SCHEMA, id_field=None, record_name="override")


def skeleton(corpus: "Corpus", doc: str) -> str:
    """A new reader file for ``doc``: every clean paragraph split into sentences, en TODO."""
    q = lambda t: json.dumps(t, ensure_ascii=False)  # a JSON string is a YAML double-quoted scalar
    out = [
        f"# Parallel reader of {doc}: every paragraph of corpus/clean/{doc}.txt, sentence by sentence.",
        "# zh is the clean text verbatim (the sentences of a paragraph join back to it exactly);",
        "# en is a faithful, complete translation: errors are kept and explained in notes.",
        "# notes: [{quote: <verbatim span of this paragraph>, note: <what is wrong / what is meant>}]",
        f"doc: {doc}",
        "paragraphs:",
    ]
    for n, p in enumerate(corpus._document(doc).paragraphs):
        out += [f"  - n: {n}", f"    kind: {p.kind}", "    sentences:"]
        for zh in split_sentences(p.text):
            out += [f"      - zh: {q(zh)}", f"        en: {q(UNTRANSLATED)}"]
        out.append("    notes: []")
    return "\n".join(out) + "\n"


def write_skeletons(root: Path | str | None = None) -> list[Path]:
    """Write corpus/reader/<doc>.yaml for each text that has none yet (never overwrites)."""
    from mediation_lessons.corpus import load_corpus
    from mediation_lessons.paths import default_root

    root = Path(root) if root else default_root()
    corpus = load_corpus(root)
    folder = root.joinpath(*READER_DIR)
    written = []
    for doc in corpus.ids:
        path = folder / f"{doc}.yaml"
        if not path.exists():
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(skeleton(corpus, doc), encoding="utf-8", newline="\n")
            written.append(path)
    return written


# -- checking -------------------------------------------------------------------------


def check_reader(root: Path | None = None) -> list[Problem]:
    """Every problem in corpus/reader/*.yaml and corpus/gloss_overrides.yaml."""
    from mediation_lessons.corpus import CitationError, load_corpus
    from mediation_lessons.paths import default_root

    root = Path(root) if root else default_root()
    try:
        corpus = load_corpus(root)
    except DataError:
        return []  # the corpus check reports why; the reader cannot be checked against it
    corpus.__dict__.pop("_reader_cache", None)  # read the files as they are now
    problems: list[Problem] = []
    folder = root.joinpath(*READER_DIR)
    for doc in corpus.ids:
        path = folder / f"{doc}.yaml"
        shown = _rel(path, root)
        if not path.is_file():
            problems.append(Problem(shown, f"no parallel reader for {doc}: every text needs one (generate its sentences with reader.skeleton)", doc))
            continue
        problems += _check_reader_doc(corpus, doc, path, shown, root)
    if folder.is_dir():
        for path in sorted(folder.glob("*.yaml")):
            if path.stem not in corpus.ids:
                problems.append(Problem(_rel(path, root), "reader of a document that documents.yaml does not list", path.stem))
    problems += _check_overrides(corpus, root, CitationError)
    return problems


def _check_reader_doc(corpus: "Corpus", doc: str, path: Path, shown: str, root: Path) -> list[Problem]:
    data, lines, problems, good = _read_reader_file(path, root)
    paragraphs = data.get("paragraphs") if isinstance(data, dict) else None
    if not isinstance(paragraphs, list):
        return problems
    named = data.get("doc")
    if isinstance(named, str) and named != doc and not any(p.item is None and p.field == "doc" for p in problems):
        problems.append(Problem(shown, f"doc is {named!r} but the file is the reader of {doc!r}", None, "doc", line_of(lines, ("doc",))))
    clean = corpus._document(doc).paragraphs
    good_at = dict(good)
    seen: set[int] = set()
    expected = 0
    for i, p in enumerate(paragraphs):
        n = p.get("n") if isinstance(p, dict) else None
        if i not in good_at:  # its shape is reported; a paragraph it numbers is not missing
            if type(n) is int and 0 <= n < len(clean):
                seen.add(n)
                expected = max(expected, n) + 1
            continue
        item = f"paragraph {n}"
        at = ("paragraphs", i)
        if n >= len(clean):
            problems.append(Problem(shown, f"paragraph {n} is not in the clean text (it has {len(clean)} paragraphs, 0-{len(clean) - 1})", item, "n", line_of(lines, at + ("n",))))
            continue
        if n in seen:
            continue  # check_records names the duplicate
        if n != expected:
            problems.append(Problem(shown, f"paragraphs out of order: expected paragraph {expected} here, found {n}", item, "n", line_of(lines, at + ("n",))))
        seen.add(n)
        expected = max(expected, n) + 1
        text = clean[n].text
        zh = "".join(s["zh"] for s in p["sentences"])
        if zh != text:
            problems.append(Problem(shown, f"stale: paragraph {n} no longer matches the clean text (its sentences must join to it exactly; the translators never change zh)", item, "sentences", line_of(lines, at + ("sentences",))))
        if p["kind"] != clean[n].kind:
            problems.append(Problem(shown, f"kind is {p['kind']!r} but the clean text's paragraph {n} is {clean[n].kind!r}", item, "kind", line_of(lines, at + ("kind",))))
        for j, s in enumerate(p["sentences"]):
            if not _en(s["en"]):
                problems.append(Problem(shown, f"paragraph {n}, sentence {j + 1} is not translated (en is {s['en'].strip() or 'empty'!r})", item, f"sentences.{j}.en", line_of(lines, at + ("sentences", j, "en"))))
        for j, note in enumerate(p["notes"]):
            count = text.count(note["quote"]) if zh == text else zh.count(note["quote"])
            if count != 1:
                why = "is not in" if count == 0 else f"occurs {count} times in"
                problems.append(Problem(shown, f"note quote {why} paragraph {n} (a note cites a unique span of its own paragraph): {note['quote']!r}", item, f"notes.{j}.quote", line_of(lines, at + ("notes", j, "quote"))))
    for n in range(len(clean)):
        if n not in seen:
            problems.append(Problem(shown, f"paragraph {n} of the clean text is missing from the reader", f"paragraph {n}", "paragraphs", line_of(lines, ("paragraphs",))))
    return problems


def _check_overrides(corpus: "Corpus", root: Path, CitationError) -> list[Problem]:
    path = root.joinpath(*OVERRIDES)
    if not path.is_file():
        return []
    shown = _rel(path, root)
    try:
        data, lines = load_yaml(path, shown)
    except DataError as exc:
        return exc.problems
    checked = _check_overrides_shape(data, lines, shown)
    problems, seen = checked.problems, {}
    for i, r in checked.good:
        item = f"#{i + 1}"
        if (r["doc"], r["quote"]) in seen:
            problems.append(Problem(shown, f"the same passage is listed twice (first at #{seen[(r['doc'], r['quote'])] + 1}): one gloss per passage", item, "quote", line_of(lines, (i, "quote"))))
        seen.setdefault((r["doc"], r["quote"]), i)
        try:
            corpus.resolve(r["doc"], r["quote"])
        except CitationError as exc:
            problems.append(Problem(shown, f"{exc.reason}: {r['quote']!r}", item, "quote", line_of(lines, (i, "quote"))))
            continue
        if corpus.reader_gloss(r["doc"], r["quote"]) == r["gloss"].strip():
            problems.append(Problem(shown, "the override says what the reader says: remove it", item, "gloss", line_of(lines, (i, "gloss"))))
    return problems


# -- where each paragraph is used -------------------------------------------------------


@dataclass
class Uses:
    events: list[str] = field(default_factory=list)
    lessons: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def empty(self) -> bool:
        return not (self.events or self.lessons or self.questions)


def _add(uses: dict, corpus: "Corpus", doc, quote, kind: str, name: str) -> None:
    if not isinstance(doc, str) or not isinstance(quote, str):
        return
    try:
        c = corpus.resolve(doc, quote)
    except Exception:  # an unresolved citation is reported by its own check
        return
    bucket = getattr(uses.setdefault((doc, c.paragraph), Uses()), kind)
    if name not in bucket:
        bucket.append(name)


def _constant_pair(node: ast.AST) -> bool:
    return (isinstance(node, ast.Tuple) and len(node.elts) == 2
            and all(isinstance(e, ast.Constant) and isinstance(e.value, str) for e in node.elts))


def notebook_citations(path: Path) -> list[tuple[str, str, dict]]:
    """(doc, quote, keyword constants) of every citing call in a notebook's code cells."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    out = []
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        source = "".join(cell.get("source", []))
        try:
            tree = ast.parse(source)
        except SyntaxError:
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "passages":
                out += [(t.elts[0].value, t.elts[1].value, {}) for t in node.args if _constant_pair(t)]
                continue
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in CITING_CALLS
                    and len(node.args) >= 2 and all(isinstance(a, ast.Constant) and isinstance(a.value, str) for a in node.args[:2])):
                kwargs = {k.arg: k.value.value for k in node.keywords if isinstance(k.value, ast.Constant)}
                if len(node.args) > 2 and isinstance(node.args[2], ast.Constant):
                    kwargs["gloss_en"] = node.args[2].value
                out.append((node.args[0].value, node.args[1].value, kwargs))
    return out


def usage(corpus: "Corpus") -> dict[tuple[str, int], Uses]:
    """Where each (doc, paragraph) is cited: event ids, lessons, quiz questions (computed).

    Kept in the content-keyed cache under a hash of every file it reads, the clean texts
    the citations resolve in and the code that resolves them: reading the events, seven
    banks and seven notebooks costs about 0.1 s, which each lesson's first reader paid.
    """
    memo = corpus.__dict__.setdefault("_reader_cache", {})
    if "_usage" in memo:
        return memo["_usage"]
    root = corpus.root
    files = [root / "corpus" / "events.yaml", *sorted((root / "notebooks").glob("*.ipynb")), *sorted((root / "quizzes").glob("*.yaml"))]
    try:
        key = cache.content_key(
            "reader-usage-1", cache.source_stamp("reader.py", "corpus.py"),
            *(corpus.text(doc) for doc in corpus.ids),
            *(part for path in files for part in (path.name, path.read_bytes() if path.is_file() else b"")),
        )
    except OSError:
        key = None
    stored = key and cache.read("reader-usage", key, ".json")
    try:
        uses = _uses_from_json(stored) if stored else None
    except (ValueError, TypeError, KeyError):
        uses = None
    if uses is None:
        uses = _compute_usage(corpus)
        if key:
            cache.write("reader-usage", key, json.dumps(
                [[doc, n, u.events, u.lessons, u.questions] for (doc, n), u in uses.items()], ensure_ascii=False).encode("utf-8"), ".json")
    memo["_usage"] = uses
    return uses


def _uses_from_json(stored: bytes) -> dict[tuple[str, int], Uses]:
    return {(doc, n): Uses(list(events), list(lessons), list(questions)) for doc, n, events, lessons, questions in json.loads(stored)}


def _compute_usage(corpus: "Corpus") -> dict[tuple[str, int], Uses]:
    root = corpus.root
    uses: dict[tuple[str, int], Uses] = {}
    events = _yaml_or_none(root / "corpus" / "events.yaml")
    for rec in events if isinstance(events, list) else []:
        cite = rec.get("citation") if isinstance(rec, dict) else None
        if isinstance(cite, dict):
            _add(uses, corpus, cite.get("doc"), cite.get("quote"), "events", str(rec.get("event_id")))
    for path in sorted((root / "notebooks").glob("*.ipynb")):
        for doc, quote, _ in notebook_citations(path):
            _add(uses, corpus, doc, quote, "lessons", path.stem)
    for path in sorted((root / "quizzes").glob("*.yaml")):
        bank = _yaml_or_none(path)
        if not isinstance(bank, dict):
            continue
        for q in bank.get("questions") or []:
            if not isinstance(q, dict):
                continue
            name = f"{bank.get('id', path.stem)}:{q.get('id')}"
            cites = list(q.get("sources") or []) + [o.get("source") for o in q.get("options") or [] if isinstance(o, dict)]
            for cite in cites:
                if isinstance(cite, dict):
                    _add(uses, corpus, cite.get("doc"), cite.get("quote"), "questions", name)
    return uses


def _yaml_or_none(path: Path):
    try:
        return load_yaml(path)[0] if path.is_file() else None
    except DataError:
        return None


# -- the view ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    n: int
    kind: str
    zh: str
    en: str
    notes: tuple[tuple[str, str], ...]
    issues: tuple[tuple[str, str, str, str | None], ...]  # (kind, quote, issue, correction)
    uses: Uses


def _rows(corpus: "Corpus", doc: str, paragraphs: Iterable[int] | None) -> list[Row]:
    clean = corpus._document(doc).paragraphs
    if paragraphs is None:
        wanted = list(range(len(clean)))
    else:
        wanted = [paragraphs] if isinstance(paragraphs, int) else list(paragraphs)
        bad = [n for n in wanted if not isinstance(n, int) or not 0 <= n < len(clean)]
        if bad:
            raise ValueError(f"{doc} has paragraphs 0-{len(clean) - 1}; no paragraph {bad[0]!r}")
    reader = reader_paragraphs(corpus, doc)
    issues: dict[int, list] = {}
    for issue in corpus.meta(doc)["known_issues"]:
        if issue.get("where", "clean") != "clean":
            continue
        c = corpus.resolve(doc, issue["quote"])
        issues.setdefault(c.paragraph, []).append(
            (issue["kind"], issue["quote"], " ".join(issue["issue"].split()), issue.get("correction")))
    uses = usage(corpus)
    rows = []
    for n in wanted:
        rp = reader.get(n)
        rows.append(Row(
            n, clean[n].kind, clean[n].text, rp.en() if rp else "",
            rp.notes if rp else (), tuple(issues.get(n, ())), uses.get((doc, n), Uses())))
    return rows


def _used_in(u: Uses) -> list[tuple[str, list[str]]]:
    return [(label, names) for label, names in (("events", u.events), ("lessons", u.lessons), ("quiz", u.questions)) if names]


CJK_FONTS = '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif'
# The notebook view styles each element inline: GitHub, nbviewer and JupyterLab's
# sanitizer may drop a <style> block in an output, never a style attribute.
INLINE = {
    "table": "border-collapse:collapse;width:100%;font-size:95%",
    "th": "border:1px solid #ccc;padding:0.3em 0.5em;text-align:left;background:#f3f3f3",
    "td": "border:1px solid #ccc;padding:0.3em 0.5em;vertical-align:top;text-align:left",
    "zh": f"font-family:{CJK_FONTS};line-height:1.7;width:32%",
    "en": "width:32%",
    "notes": "font-size:88%;color:#333",
    "p": "margin:0 0 0.3em 0",
    "issue": "margin:0 0 0.3em 0;color:#7a2500",
    "missing": "color:#777;font-style:italic",
}


def _style(styles: dict, *keys: str) -> str:
    css = ";".join(styles[k] for k in keys if k in styles)
    return f' style="{html.escape(css)}"' if css else ""


def _notes_html(row: Row, st: dict) -> str:
    parts = []
    for quote, note in row.notes:
        parts.append(f'<p class="ml-note"{_style(st, "p")}><q lang="zh">{html.escape(quote)}</q> {html.escape(note)}</p>')
    for kind, quote, issue, correction in row.issues:
        fix = f" <i>Correction:</i> {html.escape(correction)}" if correction else ""
        parts.append(
            f'<p class="ml-issue"{_style(st, "issue")}><b>Known issue ({html.escape(kind)}):</b> '
            f'<q lang="zh">{html.escape(quote)}</q> {html.escape(issue)}{fix}</p>')
    used = _used_in(row.uses)
    if used:
        parts.append(f'<p class="ml-used"{_style(st, "p")}><b>Used in:</b> ' + "; ".join(
            f"{label} " + ", ".join(f"<code>{html.escape(n)}</code>" for n in names) for label, names in used) + "</p>")
    return "".join(parts)


def _table_html(rows: list[Row], css_class: str = "ml-reader", st: dict | None = None) -> str:
    st = st or {}
    th = _style(st, "th")
    out = [
        f'<table class="{css_class}"{_style(st, "table")}>',
        f'<thead><tr><th scope="col"{th}>¶</th><th scope="col" lang="zh"{th}>中文</th>'
        f'<th scope="col"{th}>English</th><th scope="col"{th}>Notes</th></tr></thead><tbody>',
    ]
    for r in rows:
        en = html.escape(r.en) if r.en else f'<span class="ml-missing"{_style(st, "missing")}>(not yet translated)</span>'
        strong = r.kind in ("title", "heading")
        zh = f"<b>{html.escape(r.zh)}</b>" if strong else html.escape(r.zh)
        en = f"<b>{en}</b>" if strong and r.en else en
        out.append(
            f'<tr class="ml-{html.escape(r.kind)}"><td class="ml-n"{_style(st, "td")}>{r.n}</td>'
            f'<td lang="zh" class="ml-zh"{_style(st, "td", "zh")}>{zh}</td>'
            f'<td lang="en" class="ml-en"{_style(st, "td", "en")}>{en}</td>'
            f'<td lang="en" class="ml-notes"{_style(st, "td", "notes")}>{_notes_html(r, st)}</td></tr>')
    out.append("</tbody></table>")
    return "".join(out)


class ReaderView:
    """A text (or some of its paragraphs) as a zh | en | notes table.

    Shown by Jupyter through ``_repr_html_``; ``repr`` gives the same in plain text.
    """

    def __init__(self, corpus: "Corpus", doc: str, paragraphs: Iterable[int] | None = None):
        self.doc = doc
        self.title_zh = corpus.title(doc, "zh")
        self.title_en = corpus.title(doc, "en")
        self.total = len(corpus._document(doc).paragraphs)
        self.rows = _rows(corpus, doc, paragraphs)

    def _caption(self) -> str:
        ns = [r.n for r in self.rows]
        if not ns:
            which = "no paragraphs"
        elif len(ns) == self.total:
            which = f"all {self.total} paragraphs"
        elif ns == list(range(ns[0], ns[-1] + 1)):
            which = f"paragraphs {ns[0]}-{ns[-1]} of {self.total}" if len(ns) > 1 else f"paragraph {ns[0]} of {self.total}"
        else:
            which = f"paragraphs {', '.join(map(str, ns))} of {self.total}"
        return f"{self.title_en} ({self.doc}), {which}"

    def _repr_html_(self) -> str:
        return (
            '<div class="ml-reader-view">'
            f'<p><b>Parallel reader:</b> {html.escape(self._caption())} · <span lang="zh">{html.escape(self.title_zh)}</span></p>'
            f"{_table_html(self.rows, 'ml-reader', INLINE)}</div>")

    def __repr__(self) -> str:
        lines = [f"Parallel reader: {self._caption()}", self.title_zh]
        for r in self.rows:
            lines.append("")
            lines.append(f"¶{r.n} ({r.kind})")
            lines.append(f"  zh: {r.zh}")
            lines.append(f"  en: {r.en or '(not yet translated)'}")
            for quote, note in r.notes:
                lines.append(f"  note on 「{quote}」: {note}")
            for kind, quote, issue, correction in r.issues:
                lines.append(f"  known issue ({kind}) 「{quote}」: {issue}" + (f" Correction: {correction}" if correction else ""))
            used = _used_in(r.uses)
            if used:
                lines.append("  used in: " + "; ".join(f"{label} {', '.join(names)}" for label, names in used))
        return "\n".join(lines)


def show(doc: str, paragraphs: Iterable[int] | None = None, root: Path | str | None = None) -> ReaderView:
    """The parallel reader of ``doc`` (all paragraphs, or ``paragraphs``, e.g. ``range(3, 8)``)."""
    from mediation_lessons.corpus import load_corpus

    return load_corpus(root).reader(doc, paragraphs)


# -- the printable handout ----------------------------------------------------------------

HANDOUT_CSS = f"""
body {{ font-family: "Noto Sans", "Helvetica Neue", Arial, {CJK_FONTS}; margin: 1.5em auto; max-width: 70em; color: #111; line-height: 1.45 }}
[lang=zh] {{ font-family: {CJK_FONTS} }}
h1 {{ font-size: 1.5em; margin-bottom: 0.1em }}
h1 + p {{ font-size: 1.25em; margin-top: 0 }}
dl.ml-meta {{ display: grid; grid-template-columns: max-content 1fr; gap: 0.2em 1em; font-size: 92% }}
dl.ml-meta dt {{ font-weight: bold }}
dl.ml-meta dd {{ margin: 0 }}
table.ml-handout {{ border-collapse: collapse; width: 100%; font-size: 92% }}
table.ml-handout th, table.ml-handout td {{ border: 1px solid #bbb; padding: 0.3em 0.5em; vertical-align: top; text-align: left }}
table.ml-handout thead th {{ background: #eee }}
table.ml-handout td.ml-n {{ width: 2em; color: #555 }}
table.ml-handout td.ml-zh {{ width: 32%; line-height: 1.75 }}
table.ml-handout td.ml-en {{ width: 32% }}
table.ml-handout td.ml-notes {{ font-size: 88% }}
.ml-issue {{ color: #7a2500 }}
.ml-missing {{ color: #777; font-style: italic }}
td p {{ margin: 0 0 0.35em 0 }}
footer {{ margin-top: 1em; font-size: 85%; color: #444 }}
@page {{ size: A4; margin: 14mm }}
@media print {{
  body {{ margin: 0; max-width: none; font-size: 10pt }}
  thead {{ display: table-header-group }}
  tr {{ break-inside: avoid; page-break-inside: avoid }}
  a {{ color: inherit; text-decoration: none }}
}}
"""


def handout_html(corpus: "Corpus", doc: str) -> str:
    """The whole printable page of ``doc``: metadata and provenance, then every paragraph."""
    m = corpus.meta(doc)
    view = ReaderView(corpus, doc)
    e = html.escape
    period = m["content_period"]
    issues = m["known_issues"]
    translated = sum(1 for r in view.rows if r.en)
    meta = [
        ("Document id", f"<code>{e(doc)}</code>"),
        ("Outlet", e(m["outlet"])),
        ("Author", e(m["author"])),
        ("Genre", e(m["genre"])),
        ("Page date", e(m["page_date"] or "none stated on the page")),
        ("Content period", f"{e(period['start'])} – {e(period['end'])} ({e(period['precision'])})"),
        ("Dating note", e(" ".join(m["dating_note"].split()))),
        ("Title from", e(m["title_source"])),
        ("Source file", f"<code>corpus/raw/{e(m['file'])}</code>, SHA-256 <code>{e(m['sha256'])}</code>"),
        ("Rights", e(" ".join(m["rights"].split()))),
        ("Known issues", f"{len(issues)} (each shown beside its paragraph)"),
        ("Paragraphs", f"{view.total} ({translated} translated)"),
    ]
    rows = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in meta)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{e(m["title"]["en"])} · parallel reader</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><style>{HANDOUT_CSS}</style></head>\n'
        '<body class="ml-handout-page">\n'
        f'<header><h1>{e(m["title"]["en"])}</h1><p lang="zh">{e(m["title"]["zh"])}</p>'
        f'<dl class="ml-meta">{rows}</dl></header>\n'
        "<main>" + _table_html(view.rows, "ml-handout") + "</main>\n"
        "<footer>The Chinese column is the clean text verbatim, errors included; the English is a full, "
        "faithful translation that keeps those errors; the notes explain them. Parallel reader of the "
        "mediation lessons (translations and notes CC BY 4.0; the source text belongs to its publisher, see Rights).</footer>\n"
        "</body></html>\n")


def write_handouts(docs: list[str] | None, folder: Path | str, root: Path | str | None = None) -> list[Path]:
    """Write ``<folder>/<doc>.html`` for each doc (every text when ``docs`` is None).

    An unknown document raises DataError naming it and the known ones.
    """
    from mediation_lessons.corpus import load_corpus

    corpus = load_corpus(root)
    docs = list(corpus.ids) if docs is None else docs
    unknown = [d for d in docs if d not in corpus.ids]
    if unknown:
        raise DataError([Problem("corpus/documents.yaml", f"unknown document {d!r} (known: {', '.join(corpus.ids)})", d) for d in unknown])
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for doc in docs:
        path = folder / f"{doc}.html"
        path.write_text(handout_html(corpus, doc), encoding="utf-8", newline="\n")
        written.append(path)
    return written
