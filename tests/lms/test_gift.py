"""Moodle GIFT: every export parsed by gift-pegjs with no error, and round-tripped
against the bank (stems, choices, correct flags, weights, feedback, match pairs,
accepted answers, numbers)."""

from __future__ import annotations

import re
from html import unescape

import pytest

from mediation_lessons.teacher.lms import export_bank, export_banks
from mediation_lessons.teacher.lms.common import Export, escape, moodle_answer
from mediation_lessons.teacher.lms.gift import gift_escape


def decode(text: str | None) -> str | None:
    """gift-pegjs keeps some escapes as entities such as ``&&058;`` (a colon): undo them."""
    return None if text is None else re.sub(r"&&(\d+);", lambda m: chr(int(m.group(1))), text)


def plain(html: str) -> str:
    """The text a learner reads in an HTML field: tags dropped, entities decoded."""
    return unescape(re.sub(r"<[^>]+>", "", html))


def test_gift_escape_covers_every_special_character():
    assert gift_escape(r"a~b=c#d{e}f:g\h") == r"a\~b\=c\#d\{e\}f\:g\\h"
    assert gift_escape("two\nlines") == "two lines"  # a blank line would end the question


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_hostile_bank_round_trips_through_gift_pegjs(bank, corpus, gift_parse, tmp_path, lang):
    data, warnings = export_bank(bank, corpus, "gift", lang)
    path = tmp_path / f"bank-{lang}.gift.txt"
    path.write_bytes(data)
    parsed = gift_parse([path])[str(path)]
    assert "error" not in parsed, parsed.get("error")
    questions = [q for q in parsed["questions"] if q["type"] != "Category"]
    ex = Export(bank, corpus, lang, "gift")
    expected = [q for q in bank.questions if q.type != "order"]
    assert [q["title"] for q in questions] == [q.id for q in expected]
    assert warnings == ["gift: quizzes/99_test.yaml: question order-it (order): GIFT has no ordering question: "
                        "left out; use --format moodle-xml (ordering) for it"]
    for q, got in zip(expected, questions):
        item = ex.item(q)
        assert got["stem"]["format"] == "html"
        assert decode(got["stem"]["text"]) == ex.stem_html(q), q.id
        assert plain(decode(got["stem"]["text"])).startswith(ex.text(q.prompt))
        general = decode(got["globalFeedback"]["text"])
        assert general == ex.general_feedback_html(q)
        assert ex.text(q.explanation) in plain(general) and all(s.quote in plain(general) for s in q.sources)
        if item.kind in ("single", "multiple"):
            assert got["type"] == "MC" and len(got["choices"]) == len(item.choices)
            for choice, c in zip(got["choices"], item.choices):
                assert decode(choice["text"]["text"]) == ex.choice_html(c.text, c.gloss)
                if item.kind == "single":
                    assert choice["isCorrect"] == (c.fraction > 0) and choice["weight"] is None
                else:
                    assert choice["weight"] == pytest.approx(c.fraction * 100, abs=1e-4)
                feedback = decode(choice["feedback"]["text"]) if choice["feedback"] else None
                assert feedback == (None if c.feedback is None else escape(ex.text(c.feedback)))
        elif item.kind == "true_false":
            assert got["type"] == "TF" and got["isTrue"] is item.answer
        elif item.kind == "numeric":
            assert got["type"] == "Numerical"
            number = got["choices"]
            if item.value is None:
                assert (number["type"], number["numberLow"], number["numberHigh"]) == ("high-low", item.low, item.high)
            else:
                assert (number["type"], number["number"], number["range"]) == ("range", item.value, item.tolerance)
        elif item.kind == "short_text":
            assert got["type"] == "Short"
            # as typed, except that a star is Moodle's wildcard unless escaped
            assert [decode(c["text"]["text"]) for c in got["choices"]] == [moodle_answer(a) for a in q.accept]
            assert decode(got["choices"][2]["text"]["text"]).endswith(" {x} \\*")
            assert all(c["isCorrect"] for c in got["choices"])
        else:
            assert got["type"] == "Matching"
            pairs = [(decode(p["subquestion"]["text"]), decode(p["subanswer"])) for p in got["matchPairs"]]
            assert pairs == [(ex.text(left), ex.text(right)) for left, right in item.pairs]


def test_both_languages_join_only_where_they_differ(bank, corpus):
    ex = Export(bank, corpus, "both", "gift")
    assert ex.text(bank.question("multi").options[0].text) == "A · 甲"
    quote = bank.question("evidence-it").options[0].source.text  # as shown: "…" where it cuts a sentence
    assert ex.item(bank.question("evidence-it")).choices[0].text.en == quote
    data = export_bank(bank, corpus, "gift", "both")[0].decode()
    assert f"{quote} · " not in data and gift_escape(quote) in data


def test_every_bank_parses_with_no_error(gift_parse, tmp_path, course):
    paths, warnings = export_banks(None, "gift", "both", tmp_path)
    assert len(paths) == len(course)
    parsed = gift_parse(paths)
    assert {p: v.get("error") for p, v in parsed.items() if "error" in v} == {}
    for path, bank in zip(paths, course):
        got = [q["title"] for q in parsed[str(path)]["questions"] if q["type"] != "Category"]
        assert got == [q.id for q in bank.questions if q.type != "order"]
    # the only warnings are for the type GIFT lacks
    assert warnings and all("(order): GIFT has no ordering question" in w for w in warnings)
