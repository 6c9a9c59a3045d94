"""Moodle XML read back with lxml, against the shapes of Moodle's own fixtures
(question/format/xml/tests/fixtures, question/type/ordering/tests/fixtures): question
count, types, fractions, feedback, the ordering grade, tolerances and accepted answers."""

from __future__ import annotations

from html import unescape

import pytest

lxml_etree = pytest.importorskip("lxml.etree", reason="lxml is a test dependency (pip install -e '.[test]')")

from mediation_lessons.teacher.lms import export_bank, export_banks  # noqa: E402
from mediation_lessons.teacher.lms.common import Export, escape, moodle_answer  # noqa: E402

MOODLE_TYPES = {"single_choice": "multichoice", "multiple_choice": "multichoice", "evidence": "multichoice",
                "true_false": "truefalse", "order": "ordering", "match": "matching", "numeric": "numerical",
                "short_text": "shortanswer"}
# every question in Moodle's fixtures opens with these, in this order
HEAD = ["name", "questiontext", "generalfeedback", "defaultgrade", "penalty", "hidden", "idnumber"]


def parse(data: bytes):
    return lxml_etree.fromstring(data, lxml_etree.XMLParser(strip_cdata=False, resolve_entities=False, no_network=True))


def text_of(element, path: str) -> str:
    return element.findtext(path) or ""


def questions(root):
    return [q for q in root.findall("question") if q.get("type") != "category"]


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_hostile_bank_in_moodle_xml(bank, corpus, lang):
    data, warnings = export_bank(bank, corpus, "moodle-xml", lang)
    assert warnings == []  # Moodle XML carries all eight types
    root = parse(data)
    assert root.tag == "quiz" and root.find("question").get("type") == "category"
    assert root.findtext("question/category/text") == "$course$/top/mediation-lessons/99_test"
    got = questions(root)
    ex = Export(bank, corpus, lang, "moodle-xml")
    assert [q.get("type") for q in got] == [MOODLE_TYPES[q.type] for q in bank.questions]
    for q, el in zip(bank.questions, got):
        item = ex.item(q)
        assert [child.tag for child in el][: len(HEAD)] == HEAD
        assert text_of(el, "name/text") == q.id == text_of(el, "idnumber")
        assert el.find("questiontext").get("format") == "html"
        assert text_of(el, "questiontext/text") == ex.stem_html(q)
        general = text_of(el, "generalfeedback/text")
        assert escape(ex.text(q.explanation)) in general and all(escape(s.quote) in general for s in q.sources)
        assert (text_of(el, "hint/text") or None) == (escape(ex.text(q.hint)) if q.hint else None)
        answers = el.findall("answer")
        if item.kind in ("single", "multiple"):
            assert text_of(el, "single") == ("true" if item.kind == "single" else "false")
            fractions = [float(a.get("fraction")) for a in answers]
            assert fractions == pytest.approx([c.fraction * 100 for c in item.choices], abs=1e-4)
            assert sum(f for f in fractions if f > 0) == pytest.approx(100, abs=1e-3)
            for a, c in zip(answers, item.choices):
                assert text_of(a, "text") == ex.choice_html(c.text, c.gloss)
                assert text_of(a, "feedback/text") == (escape(ex.text(c.feedback)) if c.feedback else "")
            for tag in ("correctfeedback", "partiallycorrectfeedback", "incorrectfeedback"):
                assert el.find(tag) is not None
        elif item.kind == "true_false":
            assert {text_of(a, "text"): a.get("fraction") for a in answers} == (
                {"true": "100", "false": "0"} if item.answer else {"true": "0", "false": "100"})
        elif item.kind == "order":
            assert text_of(el, "gradingtype") == "RELATIVE_ALL_PREVIOUS_AND_NEXT"
            assert (text_of(el, "layouttype"), text_of(el, "selecttype")) == ("VERTICAL", "ALL")
            assert [(unescape(text_of(a, "text")), float(a.get("fraction"))) for a in answers] == [
                (ex.text(t), float(n)) for n, t in enumerate(item.items, 1)]
        elif item.kind == "match":
            subs = el.findall("subquestion")
            assert [(unescape(text_of(s, "text")), text_of(s, "answer/text")) for s in subs] == [
                (ex.text(left), ex.text(right)) for left, right in item.pairs]
        elif item.kind == "numeric":
            (answer,) = answers
            value, tolerance = float(text_of(answer, "text")), float(text_of(answer, "tolerance"))
            assert (value - tolerance, value + tolerance) == pytest.approx((item.low, item.high))
            assert answer.get("fraction") == "100"
        else:  # short answer: every accepted form, full marks, case ignored
            assert text_of(el, "usecase") == "0"
            assert [text_of(a, "text") for a in answers] == [moodle_answer(a) for a in q.accept]
            assert {a.get("fraction") for a in answers} == {"100"}


def test_markup_in_the_bank_stays_text(bank, corpus):
    data = export_bank(bank, corpus, "moodle-xml", "en")[0].decode()
    assert "<script>" not in data and "&lt;script&gt;alert('x')&lt;/script&gt;" in data
    assert "Qatar &lt;i&gt;&amp;amp;&lt;/i&gt;" in data


def test_every_bank_exports_every_question(tmp_path, course):
    paths, warnings = export_banks(None, "moodle-xml", "both", tmp_path)
    assert warnings == [] and [p.name for p in paths] == [f"{b.id}-both.moodle.xml" for b in course]
    for path, bank in zip(paths, course):
        got = questions(parse(path.read_bytes()))
        assert [q.get("type") for q in got] == [MOODLE_TYPES[q.type] for q in bank.questions]


def test_a_match_with_two_pairs_is_named_for_moodle_only(bank, corpus):
    from dataclasses import replace

    q = bank.question("match-it")
    small = replace(bank, questions=(replace(q, pairs=q.pairs[:2]),))
    message = ("quizzes/99_test.yaml: question match-it (match): Moodle needs at least 3 pairs in a matching "
               "question, this one has 2: Moodle will refuse it")
    assert export_bank(small, corpus, "moodle-xml", "en")[1] == [f"moodle-xml: {message}"]
    assert export_bank(small, corpus, "gift", "en")[1] == [f"gift: {message}"]
    assert export_bank(small, corpus, "canvas-qti", "en")[1] == []


def test_comments_stay_well_formed():
    from mediation_lessons.teacher.lms.moodle_xml import comment

    for text in ("a--b", "ends with -", "---", "x -->y"):
        parse(f"<quiz>{comment(text)}</quiz>".encode())
