"""The teacher's answer key: every question's answer, in the quiz's own order, escaped."""

import re
from html.parser import HTMLParser

import pytest

from mediation_lessons.corpus import load_corpus
from mediation_lessons.paths import default_root
from mediation_lessons.teacher.answer_key import answer_key_html, write_answer_keys
from mediation_lessons.quiz.bank import load_bank
from mediation_lessons.quiz.render import LETTERS, display_order
from quiz_support import load_test_bank


class Sections(HTMLParser):
    """The text of each question section, and every tag name seen."""

    def __init__(self):
        super().__init__()
        self.sections: dict[str, str] = {}
        self.tags: set[str] = set()
        self._current = None

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        attrs = dict(attrs)
        if tag == "section":
            self._current = attrs["id"]
            self.sections[self._current] = ""

    def handle_endtag(self, tag):
        if tag == "section":
            self._current = None

    def handle_data(self, data):
        if self._current:
            self.sections[self._current] += data


@pytest.fixture(scope="module")
def key():
    bank = load_test_bank()
    page = answer_key_html(bank, load_corpus())
    parser = Sections()
    parser.feed(page)
    return bank, page, parser


def answer_part(text: str) -> str:
    """The text between the Answer heading and the Explanation heading."""
    return text.split("Answer · 答案", 1)[1].split("Explanation · 解析", 1)[0]


def test_every_question_in_bank_order_with_its_id(key):
    bank, page, parser = key
    assert list(parser.sections) == [q.id for q in bank.questions]
    numbers = [int(n) for n in re.findall(r"<h2>(\d+)\. ", page)]
    assert numbers == list(range(1, len(bank.questions) + 1))


def test_choices_are_lettered_in_the_quiz_order_and_the_right_ones_marked(key):
    bank, _page, parser = key
    q = bank.question("multi")
    text = answer_part(parser.sections["multi"])
    order = display_order(bank.id, q)
    for letter, i in zip(LETTERS, order):
        line = re.search(rf"(✓ right · 正确 )?{letter}\) {q.options[i].text.en}", text)
        assert line, (letter, q.options[i].text.en, text)
        assert bool(line.group(1)) == q.options[i].correct
    assert "B is wrong." in text  # option feedback, for the teacher


def test_every_type_shows_what_is_right(key):
    _bank, _page, parser = key
    s = {qid: answer_part(text) for qid, text in parser.sections.items()}
    assert "False · 错误" in s["tf"]
    assert re.search(r"First · 第一\s*Second · 第二\s*Third · 第三\s*Fourth · 第四", s["order-it"])
    assert "CIA · 中情局 → Paris meeting · 巴黎会谈" in s["match-it"]
    assert "14 votes · 票" in s["votes"] and "100 – 110" in s["hostages"]
    assert "Oman / 阿曼 / Sultanate of Oman" in s["host"]
    evidence = s["evidence-it"]
    assert re.search(r"✓ right · 正确 [a-c]\) 谈判以“同楼不同室”的方式间接展开", evidence)
    # the evidence option's English gloss now comes from the reader: see
    # tests/test_reader.py::test_quiz_display_sites_use_the_reader_gloss_and_display_quote


def test_explanation_hint_and_sources_with_their_passages(key):
    _bank, page, parser = key
    single = parser.sections["single"]
    assert "Explanation · 解析" in single and "Oman's foreign minister did." in single
    assert "Hint · 提示" in single and "看第15段。" in single
    gloss = load_corpus().gloss("us-iran-oman-2026", "阿曼外交大臣巴德尔往返传递双方立场诉求")  # one gloss per passage
    assert f"English gloss: {gloss}" in single and "us-iran-oman-2026), paragraph" in single
    assert "Hint · 提示" not in parser.sections["multi"]


def test_bank_text_is_escaped_and_the_page_is_offline(key):
    _bank, page, parser = key
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "<b>粗体</b>" not in page and "Qatar &lt;i&gt;&amp;amp;&lt;/i&gt;" in page
    assert "script" not in parser.tags and not re.search(r"""(src|href)=["']?https?:""", page)
    assert page.startswith("<!DOCTYPE html>") and '<meta charset="utf-8">' in page


def test_the_same_bank_gives_the_same_page(key):
    bank, page, _parser = key
    assert answer_key_html(bank, load_corpus()) == page


def test_write_every_bank_of_the_course(tmp_path):
    paths = write_answer_keys(folder=tmp_path)
    banks = sorted(p.stem for p in (default_root() / "quizzes").glob("[0-9][0-9]_*.yaml"))
    assert [p.name for p in paths] == [f"answer-key-{b}.html" for b in banks]
    bank = load_bank("04_us_iran_oman_2026")
    page = paths[banks.index("04_us_iran_oman_2026")].read_text(encoding="utf-8")
    assert page.count('<section class="ml-key-question"') == len(bank.questions)
    assert all(f'id="{q.id}"' in page for q in bank.questions)
