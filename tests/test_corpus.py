"""The corpus as a learner and a teacher rely on it: metadata, paragraphs, citations, search."""

import hashlib

import pandas as pd
import pytest

from helpers import REPO, copy_data, replace_in
from mediation_lessons import CitationError, DataError, load_corpus
from mediation_lessons.corpus import ISSUE_CATEGORIES, ISSUE_KINDS, check_corpus

DOC = "gaza-ceasefire-talks-2024"


@pytest.fixture(scope="module")
def corpus():
    return load_corpus()


def test_five_documents_with_metadata_and_dtypes(corpus):
    docs = corpus.documents()
    assert len(docs) == 5
    assert set(docs["id"]) == {
        "gaza-phased-withdrawal-2025", "gaza-ceasefire-talks-2024", "qatar-indispensable-2023",
        "us-iran-oman-2026", "us-qatar-revisit-2023",
    }
    assert pd.api.types.is_datetime64_any_dtype(docs["page_date"])
    assert pd.api.types.is_datetime64_any_dtype(docs["period_start"])
    assert isinstance(docs["genre"].dtype, pd.CategoricalDtype)
    assert docs["known_issues"].dtype == "int64"
    # a page date that is not the content's date is visible in the table
    row = docs.set_index("id").loc["us-qatar-revisit-2023"]
    assert row["page_date"] > row["period_end"]


def test_raw_texts_match_their_recorded_checksums():
    docs = load_corpus().documents()
    for _, row in docs.iterrows():
        data = (REPO / "corpus" / "raw" / row["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == row["sha256"]
        # byte for byte the seeds the project started from, when they are beside us
        seed = REPO.parent / "shared" / "seeds" / row["file"]
        if seed.exists():
            assert seed.read_bytes() == data


def test_clean_files_are_current():
    """Fails when raw texts or rules changed without `mediation-lessons clean`."""
    assert check_corpus(REPO) == []


def test_paragraphs_dataframe(corpus):
    paras = corpus.paragraphs()
    assert list(paras.columns) == ["doc", "paragraph", "kind", "text", "start", "end"]
    assert set(paras["kind"].cat.categories) <= {"title", "heading", "summary", "body", "byline", "source"}
    for doc in corpus.ids:
        sub = paras[paras["doc"] == doc]
        text = corpus.text(doc)
        assert list(sub["paragraph"]) == list(range(len(sub)))
        for _, row in sub.iterrows():
            assert text[row["start"]:row["end"]] == row["text"]
    ocr = paras[paras["doc"] == DOC]
    assert list(ocr[ocr["kind"] == "heading"]["text"]) == ["既往谈判陷入僵持", "谈判进入新阶段,但哈以关切差距大", "外部调解方各有难处"]
    assert len(ocr) == 19


def test_citation_resolves_to_paragraph_and_half_open_offsets(corpus):
    quote = "6月10日，联合国安理会以14票赞成"
    c = corpus.resolve(DOC, quote)
    para = corpus.paragraphs(DOC).iloc[c.paragraph]["text"]
    assert para[c.start:c.end] == quote
    assert corpus.text(DOC)[c.doc_start:c.doc_end] == quote
    assert c.end - c.start == len(quote)


def test_citation_is_nfc_normalised(corpus):
    import unicodedata

    quote = unicodedata.normalize("NFD", "卡塔尔首相兼外交大臣")
    assert corpus.resolve(DOC, quote).quote == "卡塔尔首相兼外交大臣"


@pytest.mark.parametrize(
    "doc, quote, reason",
    [
        ("no-such-doc", "停火", "unknown document"),
        (DOC, "这句话不在文中", "not found"),
        (DOC, "停火", "ambiguous: it occurs"),
        (DOC, "判究竟为何如此艰难？\n\n既往谈判", "across a paragraph break"),
        (DOC, "  ", "empty quote"),
    ],
)
def test_bad_citations_name_document_and_quote(corpus, doc, quote, reason):
    with pytest.raises(CitationError) as exc:
        corpus.resolve(doc, quote)
    assert reason in str(exc.value)
    assert doc in str(exc.value)


def test_passage_highlights_quote_with_gloss_and_escapes(corpus):
    p = corpus.passage(DOC, "拜登公布了一项", gloss_en="Biden announced a <new> proposal & more")
    html = p._repr_html_()
    assert "<mark" in html and "拜登公布了一项</mark>" in html
    # the gloss and source line are English, the passage Chinese, whatever the page's language
    assert html.startswith('<figure class="ml-passage" lang="en"') and '<blockquote lang="zh"' in html
    assert "&lt;new&gt; proposal &amp; more" in html
    assert "<new>" not in html
    text = repr(p)
    assert "【拜登公布了一项】" in text
    assert "English gloss: Biden announced" in text
    assert f"({DOC}), paragraph 6" in text
    assert repr(p) == repr(corpus.passage(DOC, "拜登公布了一项", gloss_en="Biden announced a <new> proposal & more"))


def test_passages_show_each_passage_in_turn_and_name_a_bad_pair(corpus):
    first, second = (DOC, "拜登公布了一项"), ("us-iran-oman-2026", "2月6日,美国和伊朗的阿曼谈判落下帷幕。")
    shown = corpus.passages(first, second)
    one, two = corpus.passage(*first), corpus.passage(*second)
    assert shown._repr_html_() == one._repr_html_() + two._repr_html_()
    assert repr(shown) == repr(one) + "\n\n" + repr(two)
    with pytest.raises(TypeError, match="citation 2 must be a \\(doc, quote\\) pair"):
        corpus.passages(first, DOC)
    with pytest.raises(CitationError):
        corpus.passages(first, (DOC, "not in the text at all"))


def test_a_notebook_s_grouped_passages_are_its_citations(tmp_path):
    import nbformat

    from mediation_lessons.reader import notebook_citations

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        'corpus.passages(\n    ("a", "一"),\n    ("b", "二"),\n)')])
    nbformat.write(nb, tmp_path / "x.ipynb")
    assert notebook_citations(tmp_path / "x.ipynb") == [("a", "一", {}), ("b", "二", {})]


def test_plain_search_gives_keyword_in_context(corpus):
    hits = corpus.search("斡旋", docs=[DOC], width=5)
    assert len(hits) >= 4
    first = hits.iloc[0]
    para = corpus.paragraphs(DOC).iloc[first["paragraph"]]["text"]
    assert para[first["start"]:first["end"]] == "斡旋"
    assert len(first["left"]) <= 5 and len(first["right"]) <= 5
    # plain search treats regex characters literally and ignores case in Latin text
    assert corpus.search("al-qahera").iloc[0]["match"] == "Al-Qahera"
    assert corpus.search("(俄罗斯)").empty


def test_regex_search_and_bad_regex(corpus):
    hits = corpus.search(r"\d{4}年\d{1,2}月\d{1,2}日", regex=True, docs=[DOC])
    assert "2023年10月20日" in set(hits["match"])
    with pytest.raises(ValueError, match="not a valid regular expression"):
        corpus.search("([", regex=True)


def test_chinese_word_counts_use_a_segmenter(corpus):
    counts = corpus.term_counts(["卡塔尔", "斡旋", "调解"])
    assert counts.loc["卡塔尔", "us-qatar-revisit-2023"] > 10
    # counted as words, not substrings: 斡旋方 still contains the word 斡旋
    assert counts.loc["斡旋", "gaza-phased-withdrawal-2025"] >= 4
    words = corpus.words("us-iran-oman-2026")
    assert "阿曼" in words and "，" not in words


# -- bad input: each error names file, record, field and (for YAML) line ------------


def problems_of(root):
    return [str(p) for p in check_corpus(root)]


def test_changed_raw_text_is_a_checksum_mismatch(tmp_path):
    root = copy_data(tmp_path)
    raw = root / "corpus" / "raw" / "003_5411ffdd50fd7b8e.txt"
    raw.write_bytes(raw.read_bytes().replace("8小时".encode(), "9小时".encode()))
    found = problems_of(root)
    assert any(
        "corpus/documents.yaml:" in p and "'us-iran-oman-2026'" in p and "'sha256'" in p and "checksum mismatch" in p
        for p in found
    ), found


def test_missing_metadata_field_names_record_field_and_line(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "documents.yaml", "  outlet: 九万里 (named as 来源, source)\n", "")
    found = problems_of(root)
    assert any("'us-iran-oman-2026'" in p and "'outlet'" in p and "missing required field" in p for p in found), found
    line = next(p for p in found if "'outlet'" in p).split(":")[1]
    assert line.isdigit()


def test_broken_known_issue_quote(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "documents.yaml", "quote: 美国雷火平台", "quote: 美国雷火平台X")
    found = problems_of(root)
    assert any("known_issues.0.quote" in p and "not found" in p and "美国雷火平台X" in p for p in found), found


def test_metadata_that_does_not_parse_gives_its_line(tmp_path):
    root = copy_data(tmp_path)
    path = root / "corpus" / "documents.yaml"
    path.write_text(path.read_text(encoding="utf-8") + "\n- id: [unclosed\n", encoding="utf-8")
    found = problems_of(root)
    assert len(found) == 1 and "YAML does not parse" in found[0]
    assert found[0].startswith("corpus/documents.yaml:")


def test_raw_text_that_is_not_utf8(tmp_path):
    root = copy_data(tmp_path)
    raw = root / "corpus" / "raw" / "000_3a2c292b8b933c66.txt"
    raw.write_bytes("哈马斯".encode("gb18030") + raw.read_bytes())
    found = problems_of(root)
    assert any("corpus/raw/000_3a2c292b8b933c66.txt:1" in p and "not UTF-8" in p for p in found), found


def test_unknown_document_in_rules_and_missing_rules(tmp_path):
    root = copy_data(tmp_path)
    path = root / "corpus" / "cleaning.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("us-iran-oman-2026:", "us-iran-oman-2099:"), encoding="utf-8")
    found = problems_of(root)
    assert any("'us-iran-oman-2026'" in p and "no cleaning rules" in p for p in found), found
    assert any("'us-iran-oman-2099'" in p and "does not list" in p for p in found), found


def test_stale_clean_text(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "clean" / "us-iran-oman-2026.txt", "阿曼", "阿門")
    assert any("stale" in p and "mediation-lessons clean" in p for p in problems_of(root))


def test_load_corpus_raises_every_problem_at_once(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "documents.yaml", "  author: not named\n  genre: commentary\n", "  genre: commentary\n")
    replace_in(root / "corpus" / "documents.yaml", "quote: 或更少。主题。", "quote: 或更多。")
    with pytest.raises(DataError) as exc:
        load_corpus(root)
    assert len(exc.value.problems) == 2


def test_word_search_matches_whole_words_only(corpus):
    plain = corpus.search("停火")
    words = corpus.search("停火", word=True)
    # some 停火 are parts of longer words (e.g. 停火止战 segmented as one word): fewer hits
    assert 0 < len(words) < len(plain)
    assert set(words["match"]) == {"停火"}
    assert set(zip(words["doc"], words["paragraph"], words["start"])) < set(zip(plain["doc"], plain["paragraph"], plain["start"]))
    with pytest.raises(ValueError):
        corpus.search("调.", regex=True, word=True)


def test_segmenter_is_loaded_only_when_used():
    import subprocess
    import sys

    code = (
        "import sys; from mediation_lessons import load_corpus; c = load_corpus(); c.search('阿曼');"
        "print('jieba' in sys.modules); c.words('us-iran-oman-2026'); print('jieba' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "True"]


def test_known_issue_kind_outside_the_vocabulary_names_record_field_and_line(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "documents.yaml", "    - kind: advert\n", "    - kind: typo\n")
    found = problems_of(root)
    hit = next(p for p in found if "known_issues" in p and "'typo'" in p)
    assert "corpus/documents.yaml:" in hit and "'gaza-phased-withdrawal-2025'" in hit and "'mistranslation'" in hit
    assert hit.split(":")[1].isdigit()


def test_known_issues_are_counted_by_a_fixed_vocabulary():
    corpus = load_corpus()
    issues = corpus.known_issues()
    assert set(issues["kind"]) <= set(ISSUE_KINDS) and list(issues["category"].cat.categories) == list(ISSUE_CATEGORIES)
    assert all(ISSUE_KINDS[k][0] == c for k, c in zip(issues["kind"], issues["category"]))
    # every family of source criticism that lesson 05 teaches has an example in the texts
    assert issues["category"].value_counts().min() >= 1
    table = corpus.issue_kinds()
    assert list(table["kind"]) == sorted(ISSUE_KINDS, key=lambda k: list(ISSUE_CATEGORIES).index(ISSUE_KINDS[k][0]))
    assert table["issues"].sum() == len(issues) and table.set_index("kind").loc["garble", "issues"] == 5
    # lesson 05 shows the table: each meaning fits a pandas column, not cut off with "..."
    assert table["meaning"].str.len().max() <= pd.get_option("display.max_colwidth")
