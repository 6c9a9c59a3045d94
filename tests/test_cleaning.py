"""Each generic cleaning rule, and the per-document rules declared as data."""

from mediation_lessons.cleaning import (
    clean_document,
    close_cjk_spaces,
    join_paragraphs,
    strip_markdown,
    unlink_wiki,
)


def test_wiki_links_become_their_text():
    assert unlink_wiki("[[zh:波斯湾]]小国[[zh:卡塔尔]]") == "波斯湾小国卡塔尔"
    assert unlink_wiki("[[zh:target|label]]") == "label"
    # a link that cut a word in two is mended by removing the brackets
    assert unlink_wiki("两[[zh:国关]]系") == "两国关系"


def test_spaces_between_cjk_characters_go_but_not_around_numbers():
    assert close_cjk_spaces("第 三 轮 谈 判") == "第三轮谈判"
    assert close_cjk_spaces("在 10 月 7 日") == "在 10 月 7 日"
    assert close_cjk_spaces("释放。 此后") == "释放。此后"
    assert close_cjk_spaces("X（前身为 Twitter）") == "X（前身为 Twitter）"


def test_markdown_headings_and_bold_lines_are_headings():
    assert strip_markdown("## 标题") == ("标题", True)
    assert strip_markdown("**卡塔尔与哈马斯的关系是什么？**") == ("卡塔尔与哈马斯的关系是什么？", True)
    assert strip_markdown("正文 **强调** 正文") == ("正文 强调 正文", False)


def test_lines_layout_drops_chrome_and_assigns_kinds():
    raw = "标题行\n\n2025-10-09\n\n正文一。\n标题行\n正文二。\n"
    rules = {
        "layout": "lines",
        "drop_lines": [
            {"lines": ["2025-10-09"], "kind": "chrome", "note": "date"},
            {"lines": ["标题行"], "occurrence": 2, "kind": "chrome", "note": "repeat"},
        ],
        "kinds": {"标题行": "title"},
    }
    paragraphs, problems = clean_document(raw, rules)
    assert problems == []
    assert [(p.kind, p.text) for p in paragraphs] == [("title", "标题行"), ("body", "正文一。"), ("body", "正文二。")]
    assert join_paragraphs(paragraphs) == "标题行\n\n正文一。\n\n正文二。\n"


def test_ocr_columns_rejoin_lines_and_split_at_declared_starts():
    raw = " 自2023年10月7日新一轮巴\n\n以冲突爆发以来。\n\n页眉\n\n既往谈判\n\n如果按时间\n\n线来考察。\n"
    rules = {
        "layout": "ocr_columns",
        "drop_lines": [{"lines": ["页眉"], "kind": "chrome", "note": "running header"}],
        "paragraph_starts": ["既往谈判", "如果按"],
        "kinds": {"既往谈判": "heading"},
    }
    paragraphs, problems = clean_document(raw, rules)
    assert problems == []
    assert [p.text for p in paragraphs] == ["自2023年10月7日新一轮巴以冲突爆发以来。", "既往谈判", "如果按时间线来考察。"]
    assert paragraphs[1].kind == "heading"


def test_text_is_nfc_and_newlines_normalised():
    decomposed = "Cafe\u0301\r\n"
    paragraphs, _ = clean_document(decomposed, {"layout": "lines"})
    assert paragraphs[0].text == "Caf\u00e9"


def test_rules_that_do_not_fit_the_text_are_reported():
    raw = "甲乙。\n甲乙。\n"
    rules = {
        "layout": "ocr_columns",
        "drop_lines": [{"lines": ["不存在"], "kind": "chrome", "note": "x"}],
        "paragraph_starts": ["甲乙", "丙"],
        "kinds": {"丁": "heading"},
    }
    _, problems = clean_document(raw, rules)
    messages = {p.field: p.message for p in problems}
    assert "not in the raw text" in messages[("drop_lines", 0, "lines", 0)]
    assert "occurs 2 times" in messages[("paragraph_starts", 0)]
    assert "is not in" in messages[("paragraph_starts", 1)]
    assert "no clean paragraph" in messages[("kinds", "丁")]


def test_content_errors_stay_in_the_clean_text():
    """Garbles and the injected advert are annotated, not cleaned away."""
    from mediation_lessons import load_corpus

    corpus = load_corpus()
    assert "美国雷火平台" in corpus.text("gaza-phased-withdrawal-2025")
    assert "10月31日，本轮巴以冲突战事重启" in corpus.text("gaza-ceasefire-talks-2024")
    # while captions and page chrome leave the running text
    assert "巴以冲突停火谈判一波三折" not in corpus.text("gaza-ceasefire-talks-2024")
    assert "以色列释放了此前扣押的240名巴勒斯坦囚犯" in corpus.text("gaza-ceasefire-talks-2024")
    assert "Eddiba" not in corpus.text("us-qatar-revisit-2023")
    assert "[[" not in corpus.text("qatar-indispensable-2023")
