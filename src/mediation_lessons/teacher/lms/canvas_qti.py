"""Canvas Classic Quizzes: a QTI 1.2 zip with an IMS content-package manifest, in the
shape text2qti writes (``imsmanifest.xml``, ``<id>/<id>.xml`` and ``<id>/assessment_meta.xml``).
Classic Quizzes have no ordering question. The zip's entries carry a fixed date, so the
same bank gives the same bytes."""

from __future__ import annotations

import io
import zipfile
from xml.sax.saxutils import escape as xml_escape
from xml.sax.saxutils import quoteattr

from mediation_lessons.quiz.model import Question
from mediation_lessons.teacher.lms.common import Export, escape, number

NAME, SUFFIX = "canvas-qti", ".canvas-qti.zip"
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
QTI_NS = "http://www.imsglobal.org/xsd/ims_qtiasiv1p2"
CANVAS_TYPES = {"single": "multiple_choice_question", "multiple": "multiple_answers_question",
                "true_false": "true_false_question", "numeric": "numerical_question",
                "short_text": "short_answer_question", "match": "matching_question"}


def mattext(html: str, indent: str) -> str:
    return f'{indent}<material>\n{indent}  <mattext texttype="text/html">{xml_escape(html)}</mattext>\n{indent}</material>\n'


def _metadata(kind: str, answer_ids: list[str], ident: str) -> str:
    fields = [("question_type", CANVAS_TYPES[kind]), ("points_possible", "1.0"),
              ("original_answer_ids", ",".join(answer_ids)), ("assessment_question_identifierref", f"{ident}_ref")]
    return ("        <itemmetadata>\n          <qtimetadata>\n" + "".join(
        f"            <qtimetadatafield>\n              <fieldlabel>{label}</fieldlabel>\n"
        f"              <fieldentry>{xml_escape(value)}</fieldentry>\n            </qtimetadatafield>\n"
        for label, value in fields) + "          </qtimetadata>\n        </itemmetadata>\n")


def _condition(body: str, actions: str, cont: str | None = "Yes") -> str:
    attr = f' continue="{cont}"' if cont else ""
    return (f"          <respcondition{attr}>\n            <conditionvar>\n{body}            </conditionvar>\n"
            f"{actions}          </respcondition>\n")


def _show(link: str) -> str:
    return f'            <displayfeedback feedbacktype="Response" linkrefid="{link}"/>\n'


def _itemfeedback(ident: str, html: str) -> str:
    return (f'        <itemfeedback ident="{ident}">\n          <flow_mat>\n'
            + mattext(html, "            ") + "          </flow_mat>\n        </itemfeedback>\n")


def item_xml(ex: Export, q: Question) -> str | None:
    item = ex.item(q)
    if item.kind not in CANVAS_TYPES:
        ex.warn(q, "Canvas Classic Quizzes have no ordering question: left out; use --format moodle-xml (ordering) for it")
        return None
    ident = f"ml_{ex.bank.id}_{q.id}"
    stem = ex.stem_html(q)
    feedback: list[tuple[str, str]] = [("general_fb", ex.general_feedback_html(q))]
    conditions = [_condition("              <other/>\n", _show("general_fb"))]
    answer_ids: list[str] = []
    if item.kind in ("single", "multiple", "true_false"):
        if item.kind == "true_false":
            choices = [(ex.label("true"), item.answer is True, None), (ex.label("false"), item.answer is False, None)]
            choices = [(escape(text), ok, fb) for text, ok, fb in choices]
        else:
            choices = [(ex.choice_html(c.text, c.gloss), c.fraction > 0, c.feedback) for c in item.choices]
        answer_ids = [f"{ident}_c{i}" for i in range(len(choices))]
        cardinality = "Multiple" if item.kind == "multiple" else "Single"
        labels = "".join(f'              <response_label ident="{a}">\n' + mattext(text, "                ")
                         + "              </response_label>\n" for a, (text, _, _) in zip(answer_ids, choices))
        presentation = (f'          <response_lid ident="response1" rcardinality="{cardinality}">\n'
                        f"            <render_choice>\n{labels}            </render_choice>\n          </response_lid>\n")
        for a, (_, _, fb) in zip(answer_ids, choices):
            if fb is not None:
                conditions.append(_condition(f'              <varequal respident="response1">{a}</varequal>\n', _show(f"{a}_fb")))
                feedback.append((f"{a}_fb", escape(ex.text(fb))))
        right = [a for a, (_, ok, _) in zip(answer_ids, choices) if ok]
        if item.kind == "multiple":  # full marks for exactly the right set, as text2qti writes it
            body = "".join(f'                <varequal respident="response1">{a}</varequal>\n' if a in right else
                           f'                <not>\n                  <varequal respident="response1">{a}</varequal>\n                </not>\n'
                           for a in answer_ids)
            body = f"              <and>\n{body}              </and>\n"
        else:
            body = f'              <varequal respident="response1">{right[0]}</varequal>\n'
        conditions.append(_condition(body, '            <setvar action="Set" varname="SCORE">100</setvar>\n', "No"))
    elif item.kind == "short_text":
        answer_ids = [f"{ident}_c{i}" for i in range(len(item.accept))]
        presentation = ('          <response_str ident="response1" rcardinality="Single">\n            <render_fib>\n'
                        '              <response_label ident="answer1" rshuffle="No"/>\n            </render_fib>\n          </response_str>\n')
        body = "".join(f'              <varequal respident="response1">{xml_escape(a)}</varequal>\n' for a in item.accept)
        conditions.append(_condition(body, '            <setvar action="Set" varname="SCORE">100</setvar>\n', "No"))
    elif item.kind == "numeric":
        answer_ids = [f"{ident}_numerical"]
        presentation = ('          <response_str ident="response1" rcardinality="Single">\n            <render_fib fibtype="Decimal">\n'
                        '              <response_label ident="answer1"/>\n            </render_fib>\n          </response_str>\n')
        body = (f'              <vargte respident="response1">{number(item.low)}</vargte>\n'
                f'              <varlte respident="response1">{number(item.high)}</varlte>\n')
        conditions.append(_condition(body, '            <setvar action="Set" varname="SCORE">100</setvar>\n', "No"))
    else:  # match: one drop-down per left item, each right item an answer (Canvas's own export shape)
        rights = [f"{ident}_r{i}" for i in range(len(item.pairs))]
        answer_ids = [f"{ident}_l{i}" for i in range(len(item.pairs))]
        options = "".join(f'              <response_label ident="{r}">\n' + mattext(escape(ex.text(right)), "                ")
                          + "              </response_label>\n" for r, (_, right) in zip(rights, item.pairs))
        presentation = "".join(
            f'          <response_lid ident="response_{a}">\n' + mattext(escape(ex.text(left)), "            ")
            + f"            <render_choice>\n{options}            </render_choice>\n          </response_lid>\n"
            for a, (left, _) in zip(answer_ids, item.pairs))
        share = number(100 / len(item.pairs))
        for a, r in zip(answer_ids, rights):
            conditions.append(_condition(f'              <varequal respident="response_{a}">{r}</varequal>\n',
                                         f'            <setvar varname="SCORE" action="Add">{share}</setvar>\n', None))
    out = [f"      <item ident={quoteattr(ident)} title={quoteattr(q.id)}>\n", _metadata(item.kind, answer_ids, ident),
           "        <presentation>\n", mattext(stem, "          "), presentation, "        </presentation>\n",
           '        <resprocessing>\n          <outcomes>\n'
           '            <decvar maxvalue="100" minvalue="0" varname="SCORE" vartype="Decimal"/>\n          </outcomes>\n',
           *conditions, "        </resprocessing>\n", *(_itemfeedback(i, html) for i, html in feedback), "      </item>\n"]
    return "".join(out)


def assessment_xml(ex: Export, ident: str) -> tuple[str, int]:
    items = [x for x in (item_xml(ex, q) for q in ex.bank.questions) if x is not None]
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<questestinterop xmlns="{QTI_NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            f'xsi:schemaLocation="{QTI_NS} http://www.imsglobal.org/xsd/ims_qtiasiv1p2p1.xsd">\n'
            f"  <assessment ident={quoteattr(ident)} title={quoteattr(ex.title())}>\n"
            "    <qtimetadata>\n      <qtimetadatafield>\n        <fieldlabel>cc_maxattempts</fieldlabel>\n"
            "        <fieldentry>unlimited</fieldentry>\n      </qtimetadatafield>\n    </qtimetadata>\n"
            '    <section ident="root_section">\n' + "".join(items) + "    </section>\n  </assessment>\n</questestinterop>\n"), len(items)


def meta_xml(ex: Export, ident: str, points: int) -> str:
    title = xml_escape(ex.title())
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<quiz identifier="{ident}" xmlns="http://canvas.instructure.com/xsd/cccv1p0" '
            'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
            'xsi:schemaLocation="http://canvas.instructure.com/xsd/cccv1p0 https://canvas.instructure.com/xsd/cccv1p0.xsd">\n'
            f"  <title>{title}</title>\n  <description></description>\n  <shuffle_answers>true</shuffle_answers>\n"
            "  <scoring_policy>keep_highest</scoring_policy>\n  <quiz_type>assignment</quiz_type>\n"
            f"  <points_possible>{points}.0</points_possible>\n  <show_correct_answers>true</show_correct_answers>\n"
            "  <allowed_attempts>-1</allowed_attempts>\n  <available>false</available>\n"
            f'  <assignment identifier="{ident}_assignment">\n    <title>{title}</title>\n'
            f"    <quiz_identifierref>{ident}</quiz_identifierref>\n    <points_possible>{points}.0</points_possible>\n"
            "    <grading_type>points</grading_type>\n    <submission_types>online_quiz</submission_types>\n"
            "    <workflow_state>unpublished</workflow_state>\n  </assignment>\n</quiz>\n")


def manifest_xml(ex: Export, ident: str) -> str:
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            f'<manifest identifier="{ident}_manifest" xmlns="http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1" '
            'xmlns:imsmd="http://www.imsglobal.org/xsd/imsmd_v1p2" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
            "  <metadata>\n    <schema>IMS Content</schema>\n    <schemaversion>1.1.3</schemaversion>\n"
            f"    <imsmd:lom>\n      <imsmd:general>\n        <imsmd:title>\n          <imsmd:string>{xml_escape(ex.title())}</imsmd:string>\n"
            "        </imsmd:title>\n      </imsmd:general>\n    </imsmd:lom>\n  </metadata>\n  <organizations/>\n  <resources>\n"
            f'    <resource identifier="{ident}" type="imsqti_xmlv1p2">\n      <file href="{ident}/{ident}.xml"/>\n'
            f'      <dependency identifierref="{ident}_meta"/>\n    </resource>\n'
            f'    <resource identifier="{ident}_meta" type="associatedcontent/imscc_xmlv1p1/learning-application-resource" '
            f'href="{ident}/assessment_meta.xml">\n      <file href="{ident}/assessment_meta.xml"/>\n    </resource>\n'
            "  </resources>\n</manifest>\n")


def render(ex: Export) -> bytes:
    ident = f"ml_{ex.bank.id}"
    assessment, count = assessment_xml(ex, ident)
    entries = [("imsmanifest.xml", manifest_xml(ex, ident)), (f"{ident}/{ident}.xml", assessment),
               (f"{ident}/assessment_meta.xml", meta_xml(ex, ident, count))]
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, text in entries:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, text.encode("utf-8"))
    return stream.getvalue()
