"""The parallel reader (issue 11): coverage, stale paragraphs, translations, note spans,
where each paragraph is used, the notebook view, the handout, whole-sentence quotes and
one gloss per passage."""

from __future__ import annotations

import html
import json
import re
import subprocess
import sys

import pytest
import yaml

from helpers import REPO, copy_data, replace_in
from mediation_lessons.corpus import load_corpus
from mediation_lessons.reader import (
    OVERRIDES_HINT, check_reader, notebook_citations, show, split_sentences,
)

DOC = "us-iran-oman-2026"
READER = REPO / "corpus" / "reader"
NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))
DATA_FILES = ("events.yaml", "actors.yaml", "glossary.yaml")
ENDS = "。！？；!?;…"
CLOSING = "”’」』）)\""
OPENING = "“‘「『（(\""


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def cli(*args):
    return subprocess.run([sys.executable, "-m", "mediation_lessons.cli", *args],
                          capture_output=True, text=True, encoding="utf-8")


def quote_uses():
    """(where, doc, quote) of every quote use in banks, data files, known issues and lessons."""
    uses = []
    for path in sorted((REPO / "quizzes").glob("*.yaml")):
        bank = yaml.safe_load(path.read_text(encoding="utf-8"))
        if not isinstance(bank, dict) or "questions" not in bank:
            continue  # not a bank (e.g. allowed_pairs.yaml)
        for q in bank["questions"]:
            cites = list(q.get("sources", [])) + [o["source"] for o in q.get("options", []) if "source" in o]
            uses += [(f"{path.name}:{q['id']}", c["doc"], c["quote"]) for c in cites]
    for name, key in (("events.yaml", "citation"), ("actors.yaml", "citation"), ("glossary.yaml", "example")):
        for rec in yaml.safe_load((REPO / "corpus" / name).read_text(encoding="utf-8")):
            uses.append((name, rec[key]["doc"], rec[key]["quote"]))
    for rec in yaml.safe_load((REPO / "corpus" / "documents.yaml").read_text(encoding="utf-8")):
        uses += [("documents.yaml", rec["id"], i["quote"]) for i in rec["known_issues"] if i.get("where", "clean") == "clean"]
    for path in NOTEBOOKS:
        uses += [(path.name, doc, quote) for doc, quote, _ in notebook_citations(path)]
    return uses


# -- the data ----------------------------------------------------------------------------


def test_every_text_has_a_reader_covering_every_paragraph_in_order(corpus):
    for doc in corpus.ids:
        data = yaml.safe_load((READER / f"{doc}.yaml").read_text(encoding="utf-8"))
        clean = corpus.paragraphs(doc)
        assert data["doc"] == doc
        assert [p["n"] for p in data["paragraphs"]] == list(clean["paragraph"])
        assert ["".join(s["zh"] for s in p["sentences"]) for p in data["paragraphs"]] == list(clean["text"])
        assert [p["kind"] for p in data["paragraphs"]] == list(clean["kind"].astype(str))


def test_reader_has_no_problem_but_missing_translations():
    problems = [p for p in check_reader(REPO) if "not translated" not in p.message]
    assert not problems, "\n".join(map(str, problems))


def test_every_sentence_is_translated():
    untranslated = [p for p in check_reader(REPO) if "not translated" in p.message]
    assert not untranslated, f"{len(untranslated)} sentences untranslated, first: {untranslated[0]}"


def test_the_english_is_as_long_as_a_full_translation(corpus):
    """Must show: about 0.5 English words or more per Chinese character, over the five texts."""
    words = chars = 0
    for doc in corpus.ids:
        data = yaml.safe_load((READER / f"{doc}.yaml").read_text(encoding="utf-8"))
        for p in data["paragraphs"]:
            for s in p["sentences"]:
                chars += len(re.findall(r"[\u3400-\u9fff]", s["zh"]))
                words += 0 if s["en"].strip() == "TODO" else len(s["en"].split())
    assert words / chars >= 0.5, f"{words} English words for {chars} Chinese characters ({words / chars:.2f} per character)"


def test_note_quotes_are_unique_spans_of_their_paragraph(corpus):
    for doc in corpus.ids:
        data = yaml.safe_load((READER / f"{doc}.yaml").read_text(encoding="utf-8"))
        for p in data["paragraphs"]:
            text = "".join(s["zh"] for s in p["sentences"])
            for note in p["notes"]:
                assert text.count(note["quote"]) == 1, (doc, p["n"], note["quote"])
                assert note["quote"] in corpus.paragraphs(doc)["text"][p["n"]]


def test_sentences_are_the_splitter_s():
    para = "他说:“我们会谈。”然后离开了!最后 一句"
    assert split_sentences(para) == ["他说:“我们会谈。”", "然后离开了!", "最后 一句"]
    assert "".join(split_sentences(para)) == para


def test_stale_missing_and_misplaced_paragraphs_name_file_paragraph_field_line(tmp_path):
    root = copy_data(tmp_path)
    path = root / "corpus" / "reader" / f"{DOC}.yaml"
    replace_in(path, "美伊此次谈判的重启", "美伊这次谈判的重启")  # paragraph 8 edited
    text = path.read_text(encoding="utf-8")
    start = text.index("  - n: 5\n")
    end = text.index("  - n: 6\n")
    path.write_text(text[:start] + text[end:], encoding="utf-8")  # paragraph 5 dropped
    problems = check_reader(root)
    stale = [p for p in problems if p.message.startswith("stale: paragraph 8 no longer matches the clean text")]
    assert len(stale) == 1
    s = stale[0]
    lines = path.read_text(encoding="utf-8").splitlines()
    assert s.file == f"corpus/reader/{DOC}.yaml" and s.item == "paragraph 8" and s.field == "sentences"
    assert lines[s.line - 1].strip() == "sentences:" and "美伊这次" in lines[s.line]
    assert f"corpus/reader/{DOC}.yaml:{s.line}: item 'paragraph 8': field 'sentences': stale" in str(s)
    missing = [p for p in problems if "paragraph 5 of the clean text is missing" in p.message]
    assert len(missing) == 1 and missing[0].item == "paragraph 5"
    order = [p for p in problems if "expected paragraph 5 here, found 6" in p.message]
    assert len(order) == 1 and order[0].field == "n" and order[0].line


def test_untranslated_sentence_and_bad_note_are_named(tmp_path):
    root = copy_data(tmp_path)
    path = root / "corpus" / "reader" / f"{DOC}.yaml"
    replace_in(path, 'en: "On 6 February, the US-Iran talks in Oman came to a close."', 'en: "TODO"')
    replace_in(path, '{quote: "2月3日", note:', '{quote: "2月6日", note:')  # paragraph 9's note cites paragraph 0
    replace_in(path, '{quote: "2025年6月美国空袭伊朗核设施", note:', '{quote: "面", note:')  # not unique: 面对面
    problems = [p for p in check_reader(root) if p.file == f"corpus/reader/{DOC}.yaml"]
    lines = path.read_text(encoding="utf-8").splitlines()
    todo = [p for p in problems if p.item == "paragraph 0" and "not translated" in p.message]
    assert len(todo) == 1 and todo[0].field == "sentences.0.en" and lines[todo[0].line - 1].strip() == 'en: "TODO"'
    absent = [p for p in problems if p.item == "paragraph 9" and p.field == "notes.0.quote"]
    assert len(absent) == 1 and "is not in paragraph 9" in absent[0].message and "2月6日" in lines[absent[0].line - 1]
    twice = [p for p in problems if p.item == "paragraph 1" and p.field == "notes.1.quote"]
    assert len(twice) == 1 and "occurs 2 times in paragraph 1" in twice[0].message


def test_schema_problems_and_unknown_reader_files(tmp_path):
    root = copy_data(tmp_path)
    path = root / "corpus" / "reader" / f"{DOC}.yaml"
    replace_in(path, "  - n: 2\n    kind: body\n", "  - n: 2\n    kind: body\n    summary: x\n")
    (root / "corpus" / "reader" / "no-such-text.yaml").write_text("doc: no-such-text\nparagraphs: []\n", encoding="utf-8")
    (root / "corpus" / "reader" / "gaza-ceasefire-talks-2024.yaml").unlink()
    problems = check_reader(root)
    schema = [p for p in problems if p.file.endswith(f"{DOC}.yaml")]
    assert len(schema) == 1 and schema[0].item == "paragraph 2" and schema[0].field == "summary"
    assert "unknown field(s): 'summary'" in schema[0].message
    assert path.read_text(encoding="utf-8").splitlines()[schema[0].line - 1].strip() == "summary: x"
    assert any(p.file == "corpus/reader/no-such-text.yaml" and "does not list" in p.message for p in problems)
    assert any("no parallel reader for gaza-ceasefire-talks-2024" in p.message for p in problems)


def test_a_broken_paragraph_is_named_in_the_shared_words_and_hides_no_other_problem(tmp_path):
    """The reader file goes through schema.check_records: file, paragraph, field, line and
    what was expected; a paragraph listed twice is its duplicate; the stale paragraph
    elsewhere is still found."""
    root = copy_data(tmp_path)
    path = root / "corpus" / "reader" / f"{DOC}.yaml"
    replace_in(path, "  - n: 3\n    kind: body\n", "  - n: 3\n    kind: chapter\n")
    replace_in(path, "  - n: 2\n", "  - n: 1\n")  # paragraph 1 twice, paragraph 2 gone
    replace_in(path, "美伊此次谈判的重启", "美伊这次谈判的重启")  # paragraph 8 stale
    problems = [p for p in check_reader(root) if p.file == f"corpus/reader/{DOC}.yaml"]
    lines = path.read_text(encoding="utf-8").splitlines()
    shown = {(p.item, p.field): (p.message, lines[p.line - 1].strip()) for p in problems}
    first_n = 1 + lines.index("  - n: 1")
    assert shown[("paragraph 3", "kind")] == (
        "'chapter' is not one of the allowed values: 'title', 'heading', 'summary', 'byline', 'source', 'body'", "kind: chapter")
    assert shown[("paragraph 1", "n")] == (f"duplicate paragraph n 1 (first used by paragraph #2, line {first_n})", "- n: 1")
    assert [p.line for p in problems if p.field == "n"] == [lines.index("  - n: 1", first_n) + 1]
    assert shown[("paragraph 2", "paragraphs")][0] == "paragraph 2 of the clean text is missing from the reader"
    assert shown[("paragraph 8", "sentences")][0].startswith("stale: paragraph 8 no longer matches the clean text")
    assert len(problems) == 4, [str(p) for p in problems]


def test_validate_reports_reader_problems(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "reader" / f"{DOC}.yaml", "美伊此次谈判的重启", "美伊这次谈判的重启")
    result = cli("validate", str(root))
    assert result.returncode == 1
    assert re.search(rf"corpus/reader/{DOC}.yaml:\d+: item 'paragraph 8': field 'sentences': stale: paragraph 8 no longer matches the clean text", result.stderr)


# -- the view and the handout ----------------------------------------------------------------


def test_reader_view_is_a_zh_en_notes_table_with_uses(corpus):
    view = corpus.reader(DOC, paragraphs=range(0, 4))
    page = view._repr_html_()
    assert len(re.findall(r"<th[ >]", page)) == 4 and re.search(r'<th scope="col"[^>]*>English</th>', page)
    assert page.count('<td lang="zh"') == 4 and "2月6日,美国和伊朗的阿曼谈判落下帷幕。" in page
    assert "<style" not in page and 'font-family:&quot;Noto Sans CJK SC&quot;' in page  # inline: survives sanitizers
    assert "On 6 February" in page
    # the translators' note, the known issue and the uses, all computed for paragraph 1
    row1 = re.split(r'<td class="ml-n"[^>]*>1</td>', page)[1].split("</tr>")[0]
    assert "Internal contradiction" in row1 and "Known issue (internal_contradiction)" in row1
    assert "<code>iran-muscat-talks</code>" in row1 and "<code>04_us_iran_oman_2026</code>" in row1
    assert re.search(r"<b>Used in:</b>.*quiz <code>\d\d_[a-z0-9_]+:[a-z0-9-]+</code>", row1)
    text = repr(view)
    assert text.startswith(f"Parallel reader: The US-Iran talks in Oman come to a close ({DOC}), paragraphs 0-3 of ")
    assert "¶1 (body)\n  zh: 此次谈判是2025年6月" in text and "used in: events " in text
    assert repr(show(DOC, range(0, 4))) == text


def test_uses_are_computed_from_events_lessons_and_banks(corpus):
    from mediation_lessons.reader import usage

    uses = usage(corpus)
    events = yaml.safe_load((REPO / "corpus" / "events.yaml").read_text(encoding="utf-8"))
    for ev in events:
        c = corpus.resolve(ev["citation"]["doc"], ev["citation"]["quote"])
        assert ev["event_id"] in uses[(c.doc, c.paragraph)].events
    for path in NOTEBOOKS:
        for doc, quote, _ in notebook_citations(path):
            assert path.stem in uses[(doc, corpus.resolve(doc, quote).paragraph)].lessons
    for where, doc, quote in quote_uses():
        if where.endswith(".yaml") or ".yaml:" not in where:
            continue
        bank, qid = where.split(":")
        assert f"{bank.removesuffix('.yaml')}:{qid}" in uses[(doc, corpus.resolve(doc, quote).paragraph)].questions


def test_reader_view_escapes_and_rejects_bad_paragraphs(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "reader" / f"{DOC}.yaml", 'en: "On 6 February, the US-Iran talks in Oman came to a close."',
               'en: "On 6 <b>February</b> & \'Oman\'"')
    corpus = load_corpus(root)
    page = corpus.reader(DOC, [0])._repr_html_()
    assert "On 6 &lt;b&gt;February&lt;/b&gt; &amp; &#x27;Oman&#x27;" in page and "<b>February" not in page
    with pytest.raises(ValueError, match=r"has paragraphs 0-\d+; no paragraph 999"):
        corpus.reader(DOC, [999])


def test_handout_command_writes_every_text(tmp_path):
    result = cli("handout", "--all", "--out", str(tmp_path))
    assert result.returncode == 0, result.stderr
    corpus = load_corpus()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"{d}.html" for d in corpus.ids)
    page = (tmp_path / f"{DOC}.html").read_text(encoding="utf-8")
    meta = corpus.meta(DOC)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page
    assert html.escape(meta["title"]["en"]) in page and meta["title"]["zh"] in page
    assert f"<dt>Known issues</dt><dd>{len(meta['known_issues'])} " in page
    assert html.escape(meta["outlet"]) in page and "Dating note" in page and "Rights" in page
    assert '"Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif' in page
    assert "@media print" in page and "<link" not in page and "<script" not in page  # self-contained
    assert page.count('<td lang="zh"') == len(corpus.paragraphs(DOC))


def test_handout_errors(tmp_path):
    result = cli("handout", "no-such-text", "--out", str(tmp_path))
    assert result.returncode == 1 and "unknown document 'no-such-text'" in result.stderr and DOC in result.stderr
    assert not list(tmp_path.iterdir())
    result = cli("handout", "--out", str(tmp_path))
    assert result.returncode == 2 and "--all" in result.stderr


# -- whole-sentence quotes ---------------------------------------------------------------


def _cut_at_start(para: str, start: int) -> bool:
    before = para[:start].rstrip(" \u3000" + OPENING)
    return not (before == "" or before[-1] in ENDS or (before[-1] in CLOSING and before.rstrip(CLOSING)[-1:] in ENDS))


def _cut_at_end(para: str, end: int) -> bool:
    tail = len(para[end:]) - len(para[end:].lstrip(ENDS + CLOSING + " \u3000"))
    shown = para[:end + tail].rstrip(CLOSING + " \u3000")
    return not (end + tail == len(para) or shown[-1:] in ENDS)


def test_display_quote_marks_every_cut(corpus):
    assert corpus.display_quote(DOC, "两国高层首次面对面会谈") == "…两国高层首次面对面会谈"
    assert corpus.display_quote(DOC, "2月6日,美国和伊朗的阿曼谈判落下帷幕。") == "2月6日,美国和伊朗的阿曼谈判落下帷幕。"
    assert corpus.display_quote(DOC, "2月6日,美国和伊朗的阿曼谈判落下帷幕") == "2月6日,美国和伊朗的阿曼谈判落下帷幕"
    assert corpus.display_quote(DOC, "美国和伊朗") == "…美国和伊朗…"


def test_every_quote_use_is_whole_or_shown_with_an_ellipsis(corpus):
    cut = 0
    for where, doc, quote in quote_uses():
        c = corpus.resolve(doc, quote)
        para = corpus._document(doc).paragraphs[c.paragraph].text
        shown = corpus.display_quote(doc, quote)
        starts_cut, ends_cut = _cut_at_start(para, c.start), _cut_at_end(para, c.end)
        cut += starts_cut or ends_cut
        assert shown == ("…" if starts_cut else "") + c.quote + ("…" if ends_cut else ""), (where, quote)
    assert cut > 50  # the lessons quote many fragments; each is shown as one


def test_tables_carry_the_quote_as_shown(corpus):
    from mediation_lessons.events import load_actors, load_events, load_glossary

    for table in (load_events(), load_actors(), load_glossary()):
        assert list(table["quote_shown"]) == [corpus.display_quote(d, q) for d, q in zip(table["doc"], table["quote"])]
        assert table["quote_shown"].str.contains("…").sum() > 0


def test_passages_show_the_whole_sentence_so_nothing_is_lost(corpus):
    p = corpus.passage(DOC, "两国高层首次面对面会谈")
    assert p.context == "此次谈判是2025年6月美国空袭伊朗核设施以来,两国高层首次面对面会谈。"
    assert "2025年6月" in repr(p) and "【两国高层首次面对面会谈】" in repr(p)
    for where, doc, quote in quote_uses():
        c = corpus.resolve(doc, quote)
        para = corpus._document(doc).paragraphs[c.paragraph].text
        p = corpus.passage(doc, quote)
        a = p.context_start
        assert para[a:a + len(p.context)] == p.context and quote in p.context
        assert not _cut_at_start(para, a) and not _cut_at_end(para, a + len(p.context)), (where, quote)


# -- one gloss per passage --------------------------------------------------------------------


def _keys(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield path + (k,)
            yield from _keys(v, path + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _keys(v, path + (i,))


def test_no_gloss_is_written_beside_a_citation_in_banks_or_data_files():
    found = []
    files = sorted((REPO / "quizzes").glob("*.yaml")) + [REPO / "corpus" / n for n in DATA_FILES]
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        found += [(path.name, k) for k in _keys(data) if k[-1] == "gloss_en"]
    assert not found, f"{len(found)} glosses written beside citations, first {found[0]}: {OVERRIDES_HINT}"


def test_a_lesson_s_own_gloss_must_be_a_listed_override():
    listed = {(r["doc"], r["quote"], r["gloss"]) for r in yaml.safe_load((REPO / "corpus" / "gloss_overrides.yaml").read_text(encoding="utf-8")) or []}
    unlisted = [(path.name, doc, quote) for path in NOTEBOOKS for doc, quote, kw in notebook_citations(path)
                if "gloss_en" in kw and (doc, quote, kw["gloss_en"]) not in listed]
    assert not unlisted, f"{len(unlisted)} glosses in lessons not in corpus/gloss_overrides.yaml, first {unlisted[0]}"


def test_every_use_of_a_passage_shows_one_gloss(corpus):
    """The same passage glossed in a lesson, a bank and a data file reads the same."""
    glosses = {}
    for where, doc, quote in quote_uses():
        glosses.setdefault((doc, corpus.resolve(doc, quote).quote), set()).add(corpus.passage(doc, quote).gloss_en)
    assert all(len(g) == 1 for g in glosses.values())
    missing = [k for k, g in glosses.items() if None in g]
    assert not missing, f"{len(missing)} passages without a reader gloss, first {missing[0]}"


def test_gloss_is_the_translation_of_the_sentences_the_quote_overlaps(corpus):
    data = yaml.safe_load((READER / f"{DOC}.yaml").read_text(encoding="utf-8"))
    p3 = data["paragraphs"][3]["sentences"]
    assert corpus.gloss(DOC, "对与伊朗有贸易往来的国家加征关税") == p3[0]["en"]
    assert corpus.gloss(DOC, "加征关税。同时,美国国务院") == p3[0]["en"] + " " + p3[1]["en"]
    events = __import__("mediation_lessons.events", fromlist=["load_events"]).load_events()
    row = events.set_index("event_id").loc["iran-state-dept-sanctions"]
    assert row["gloss_en"] == corpus.gloss(row["doc"], row["quote"])


def test_a_gloss_of_an_erroneous_sentence_is_shown_with_its_verdict(corpus):
    p = corpus.passage("gaza-ceasefire-talks-2024", "10月31日，本轮巴以冲突战事重启")
    assert p.issues and "1 December 2023" in " ".join(p.issues)
    assert "Source check:" in repr(p) and 'class="ml-passage-issue"' in p._repr_html_()
    # every passage whose shown sentences hold a known error says so beside its gloss
    for where, doc, quote in quote_uses():
        p = corpus.passage(doc, quote)
        a, b = p.context_start, p.context_start + len(p.context)
        for issue in corpus.meta(doc)["known_issues"]:
            if issue.get("where", "clean") != "clean":
                continue
            k = corpus.resolve(doc, issue["quote"])
            if k.paragraph == p.citation.paragraph and k.start < b and a < k.end:
                assert any(k.quote in i for i in p.issues), (where, quote, issue["quote"])


def test_schemas_reject_a_gloss_beside_a_citation(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "glossary.yaml", '    quote: "在卡塔尔的斡旋下"\n', '    quote: "在卡塔尔的斡旋下"\n    gloss_en: "through Qatar\'s mediation"\n')
    bank = root / "quizzes" / "04_us_iran_oman_2026.yaml"
    text = bank.read_text(encoding="utf-8")
    first = re.search(r"\n( +)quote: (.+)\n", text)
    bank.write_text(text[: first.end()] + f'{first.group(1)}gloss_en: "a second wording"\n' + text[first.end():], encoding="utf-8")
    result = cli("validate", str(root))
    assert result.returncode == 1
    for name, field in (("corpus/glossary.yaml", "example.gloss_en"), ("quizzes/04_us_iran_oman_2026.yaml", "gloss_en")):
        hits = [line for line in result.stderr.splitlines() if line.startswith(name) and field in line]
        assert hits and "gloss_en is no longer allowed here" in hits[0] and "corpus/gloss_overrides.yaml" in hits[0], result.stderr[-2000:]


def test_overrides_are_checked(tmp_path):
    root = copy_data(tmp_path)
    reader_en = load_corpus().gloss(DOC, "两国高层首次面对面会谈")
    (root / "corpus" / "gloss_overrides.yaml").write_text(
        f'- {{doc: {DOC}, quote: "两国高层首次面对面会谈", gloss: "the first face-to-face talks", reason: "shorter"}}\n'
        f'- {{doc: {DOC}, quote: "两国高层首次面对面会谈", gloss: "again", reason: "twice"}}\n'
        f'- {{doc: {DOC}, quote: "不在文中", gloss: "x", reason: "y"}}\n'
        f'- {{doc: {DOC}, quote: "此次谈判是2025年6月美国空袭伊朗核设施以来", gloss: {json.dumps(reader_en)}, reason: "same"}}\n'
        f'- {{doc: {DOC}, quote: "阿曼", gloss: "x"}}\n', encoding="utf-8")
    problems = {p.item: p for p in check_reader(root) if p.file == "corpus/gloss_overrides.yaml"}
    # the override missing its reason is named, and hides none of the others' problems
    assert str(problems.pop("#5")) == "corpus/gloss_overrides.yaml:5: item '#5': field 'reason': missing required field"
    assert sorted(problems) == ["#2", "#3", "#4"]
    text = (root / "corpus" / "gloss_overrides.yaml").read_text(encoding="utf-8").rsplit("- {", 1)[0]
    (root / "corpus" / "gloss_overrides.yaml").write_text(text, encoding="utf-8")
    problems = {p.item: p for p in check_reader(root) if p.file == "corpus/gloss_overrides.yaml"}
    assert "listed twice" in problems["#2"].message and problems["#2"].line == 2
    assert "not found" in problems["#3"].message
    assert "says what the reader says" in problems["#4"].message
    corpus = load_corpus(root)
    corpus.__dict__.pop("_reader_cache", None)
    assert corpus.gloss(DOC, "两国高层首次面对面会谈") == "the first face-to-face talks"
    assert corpus.passage(DOC, "两国高层首次面对面会谈").gloss_en == "the first face-to-face talks"


def test_quiz_display_sites_use_the_reader_gloss_and_display_quote(corpus):
    sys.path.insert(0, str(REPO / "tests" / "quiz"))
    from quiz_support import load_test_bank
    from mediation_lessons.teacher.answer_key import answer_key_html

    bank = load_test_bank()
    quote = "谈判以“同楼不同室”的方式间接展开"
    gloss, shown = corpus.gloss(DOC, quote), corpus.display_quote(DOC, quote)
    assert gloss and shown != quote  # the evidence quote cuts its sentence: shown with "…"
    page = answer_key_html(bank, corpus)
    evidence = page.split('id="evidence-it"')[1].split("</section>")[0]
    assert html.escape(shown) in evidence and html.escape(gloss) in evidence


def test_a_broken_overrides_file_is_named_with_its_line(tmp_path):
    from mediation_lessons.errors import DataError

    root = copy_data(tmp_path)
    (root / "corpus" / "gloss_overrides.yaml").write_text(
        f'# overrides\n- {{doc: {DOC}, quote: "阿曼", gloss: "Oman"}}\n', encoding="utf-8")
    corpus = load_corpus(root)
    with pytest.raises(DataError) as err:
        corpus.passage(DOC, "两国高层首次面对面会谈")
    assert "corpus/gloss_overrides.yaml:2: item '#1': field 'reason': missing required field" in str(err.value)


def test_uses_are_kept_by_content_and_computed_again_when_a_file_changes(tmp_path, monkeypatch):
    from mediation_lessons import cache, reader
    from mediation_lessons.corpus import _load_cached

    def new_kernel_corpus():
        _load_cached.cache_clear()
        return load_corpus(root)

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    root = copy_data(tmp_path / "data")
    (root / "notebooks").mkdir()
    first = reader.usage(load_corpus(root))
    assert first and list((tmp_path / "cache" / "reader-usage").glob("*.json"))
    computed = []
    real = reader._compute_usage
    monkeypatch.setattr(reader, "_compute_usage", lambda corpus: computed.append(1) or real(corpus))
    assert reader.usage(new_kernel_corpus()) == first and computed == []     # a new kernel: read, not computed
    bank = root / "quizzes" / "01_gaza_talks_2023_2024.yaml"
    replace_in(bank, "- id: truce-humanitarian-features", "- id: truce-humanitarian-traits")
    again = reader.usage(new_kernel_corpus())
    assert computed == [1] and again != first
    assert any("01_gaza_talks_2023_2024:truce-humanitarian-traits" in u.questions for u in again.values())                              # a bank changed: computed again
