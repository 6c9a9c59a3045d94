"""Moodle XML: every type. HTML texts go in CDATA sections (as Moodle's own exports
write them), plain ones (accepted answers, match answers) XML-escaped. Element shapes
follow Moodle's fixtures (question/format/xml, question/type/ordering)."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape

from mediation_lessons.quiz.model import Question, Text
from mediation_lessons.teacher.lms.common import Export, escape, moodle_answer, number

NAME, SUFFIX = "moodle-xml", ".moodle.xml"
# ordering: the fraction of item pairs in the right relative order, our own rule
ORDER_GRADING = "RELATIVE_ALL_PREVIOUS_AND_NEXT"


def comment(text: str) -> str:
    """An XML comment: it may not hold "--" nor end with "-"."""
    return "<!-- " + re.sub(r"-(?=-)", "- ", xml_escape(" ".join(text.split()))) + " -->"


def cdata(html: str) -> str:
    return "<![CDATA[" + html.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def html_field(tag: str, html: str, indent: str = "    ") -> str:
    return f'{indent}<{tag} format="html">\n{indent}  <text>{cdata(html) if html else ""}</text>\n{indent}</{tag}>\n'


def _fraction(x: float) -> str:
    return number(x * 100)


def _combined_feedback(ex: Export) -> str:
    return (html_field("correctfeedback", escape(ex.label("correct")))
            + html_field("partiallycorrectfeedback", escape(ex.label("partial")))
            + html_field("incorrectfeedback", escape(ex.label("wrong")))
            + "    <shownumcorrect/>\n")


def _feedback(ex: Export, feedback: Text | None) -> str:
    return html_field("feedback", escape(ex.text(feedback)) if feedback is not None else "", "      ")


def question(ex: Export, q: Question) -> str:
    item = ex.item(q)
    qtype = {"single": "multichoice", "multiple": "multichoice", "true_false": "truefalse", "numeric": "numerical",
             "short_text": "shortanswer", "match": "matching", "order": "ordering"}[item.kind]
    out = [comment(f"question: {q.id} ({q.type})") + "\n", f'  <question type="{qtype}">\n',
           f"    <name>\n      <text>{xml_escape(q.id)}</text>\n    </name>\n",
           html_field("questiontext", ex.stem_html(q)), html_field("generalfeedback", ex.general_feedback_html(q)),
           "    <defaultgrade>1.0000000</defaultgrade>\n",
           f"    <penalty>{'1.0000000' if item.kind == 'true_false' else '0.3333333'}</penalty>\n",
           "    <hidden>0</hidden>\n", f"    <idnumber>{xml_escape(q.id)}</idnumber>\n"]
    if item.kind in ("single", "multiple"):
        out.append(f"    <single>{'true' if item.kind == 'single' else 'false'}</single>\n"
                   "    <shuffleanswers>true</shuffleanswers>\n    <answernumbering>abc</answernumbering>\n"
                   "    <showstandardinstruction>0</showstandardinstruction>\n")
        out.append(_combined_feedback(ex))
        for c in item.choices:
            out.append(f'    <answer fraction="{_fraction(c.fraction)}" format="html">\n'
                       f"      <text>{cdata(ex.choice_html(c.text, c.gloss))}</text>\n{_feedback(ex, c.feedback)}    </answer>\n")
    elif item.kind == "true_false":
        for value in (True, False):
            out.append(f'    <answer fraction="{100 if value == item.answer else 0}" format="moodle_auto_format">\n'
                       f"      <text>{'true' if value else 'false'}</text>\n{_feedback(ex, None)}    </answer>\n")
    elif item.kind == "numeric":
        value = item.value if item.value is not None else (item.low + item.high) / 2
        tolerance = item.tolerance if item.value is not None else (item.high - item.low) / 2
        out.append(f'    <answer fraction="100" format="moodle_auto_format">\n      <text>{number(value)}</text>\n'
                   f"{_feedback(ex, None)}      <tolerance>{number(tolerance)}</tolerance>\n    </answer>\n")
        out.append("    <unitgradingtype>0</unitgradingtype>\n    <unitpenalty>0.1000000</unitpenalty>\n"
                   "    <showunits>3</showunits>\n    <unitsleft>0</unitsleft>\n")
    elif item.kind == "short_text":
        out.append("    <usecase>0</usecase>\n")
        for accepted in item.accept:
            out.append(f'    <answer fraction="100" format="moodle_auto_format">\n      <text>{xml_escape(moodle_answer(accepted))}</text>\n'
                       f"{_feedback(ex, None)}    </answer>\n")
    elif item.kind == "match":
        ex.check_moodle_match(q, len(item.pairs))
        out.append("    <shuffleanswers>true</shuffleanswers>\n")
        out.append(_combined_feedback(ex))
        for left, right in item.pairs:
            out.append(f'    <subquestion format="html">\n      <text>{cdata(escape(ex.text(left)))}</text>\n'
                       f"      <answer>\n        <text>{xml_escape(ex.text(right))}</text>\n      </answer>\n    </subquestion>\n")
    else:  # order
        out.append("    <layouttype>VERTICAL</layouttype>\n    <selecttype>ALL</selecttype>\n    <selectcount>0</selectcount>\n"
                   f"    <gradingtype>{ORDER_GRADING}</gradingtype>\n    <showgrading>SHOW</showgrading>\n"
                   "    <numberingstyle>none</numberingstyle>\n")
        out.append(_combined_feedback(ex))
        for position, text in enumerate(item.items, 1):
            out.append(f'    <answer fraction="{position}.0000000" format="html">\n      <text>{cdata(escape(ex.text(text)))}</text>\n'
                       f"{_feedback(ex, None)}    </answer>\n")
    if q.hint is not None:
        out.append(html_field("hint", escape(ex.text(q.hint))))
    out.append("  </question>\n\n")
    return "".join(out)


def render(ex: Export) -> bytes:
    out = ['<?xml version="1.0" encoding="UTF-8"?>\n<quiz>\n',
           comment(f"{ex.title()}: exported by mediation-lessons from {ex.bank.file}") + "\n",
           '  <question type="category">\n    <category>\n'
           f"      <text>$course$/top/mediation-lessons/{xml_escape(ex.bank.id)}</text>\n    </category>\n  </question>\n\n"]
    out += [question(ex, q) for q in ex.bank.questions]
    out.append("</quiz>\n")
    return "".join(out).encode("utf-8")
