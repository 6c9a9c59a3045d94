"""Canvas Classic QTI 1.2: the zip opens, its imsmanifest.xml lists the QTI file, and the
items read back with lxml in the shape text2qti writes (question types, scores,
per-choice and general feedback)."""

from __future__ import annotations

import io
import zipfile

import pytest

lxml_etree = pytest.importorskip("lxml.etree", reason="lxml is a test dependency (pip install -e '.[test]')")

from mediation_lessons.teacher.lms import export_bank, export_banks  # noqa: E402
from mediation_lessons.teacher.lms.common import Export, escape  # noqa: E402

QTI = "{http://www.imsglobal.org/xsd/ims_qtiasiv1p2}"
CP = "{http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1}"
CANVAS_TYPES = {"single_choice": "multiple_choice_question", "evidence": "multiple_choice_question",
                "multiple_choice": "multiple_answers_question", "true_false": "true_false_question",
                "numeric": "numerical_question", "short_text": "short_answer_question", "match": "matching_question"}


def parse(data: bytes):
    return lxml_etree.fromstring(data, lxml_etree.XMLParser(resolve_entities=False, no_network=True))


def open_package(data: bytes):
    """(manifest, assessment root, names) of a QTI zip; the assessment found via the manifest."""
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        assert zf.testzip() is None
        names = zf.namelist()
        manifest = parse(zf.read("imsmanifest.xml"))
        (resource,) = [r for r in manifest.iter(f"{CP}resource") if r.get("type") == "imsqti_xmlv1p2"]
        href = resource.find(f"{CP}file").get("href")
        assert href in names
        deps = [d.get("identifierref") for d in resource.iter(f"{CP}dependency")]
        meta = [r for r in manifest.iter(f"{CP}resource") if r.get("identifier") in deps]
        assert meta and all(r.find(f"{CP}file").get("href") in names for r in meta)
        return manifest, parse(zf.read(href)), names


def field(item, label: str) -> str:
    for f in item.iter(f"{QTI}qtimetadatafield"):
        if f.findtext(f"{QTI}fieldlabel") == label:
            return f.findtext(f"{QTI}fieldentry")
    raise KeyError(label)


def feedback(item) -> dict[str, str]:
    return {fb.get("ident"): fb.findtext(f".//{QTI}mattext") for fb in item.findall(f"{QTI}itemfeedback")}


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_hostile_bank_in_canvas_qti(bank, corpus, lang):
    data, warnings = export_bank(bank, corpus, "canvas-qti", lang)
    assert warnings == ["canvas-qti: quizzes/99_test.yaml: question order-it (order): Canvas Classic Quizzes have no "
                        "ordering question: left out; use --format moodle-xml (ordering) for it"]
    _, root, names = open_package(data)
    assert sorted(names) == ["imsmanifest.xml", "ml_99_test/assessment_meta.xml", "ml_99_test/ml_99_test.xml"]
    ex = Export(bank, corpus, lang, "canvas-qti")
    expected = [q for q in bank.questions if q.type != "order"]
    items = root.findall(f".//{QTI}item")
    assert [i.get("title") for i in items] == [q.id for q in expected]
    for q, item in zip(expected, items):
        kind = ex.item(q)
        assert field(item, "question_type") == CANVAS_TYPES[q.type]
        assert field(item, "points_possible") == "1.0"
        assert item.findtext(f"{QTI}presentation/{QTI}material/{QTI}mattext") == ex.stem_html(q)
        fb = feedback(item)
        assert escape(ex.text(q.explanation)) in fb["general_fb"]
        assert all(escape(s.quote) in fb["general_fb"] for s in q.sources)
        conditions = item.findall(f".//{QTI}respcondition")
        full = [c for c in conditions if c.findtext(f"{QTI}setvar") == "100" and c.find(f"{QTI}setvar").get("action") == "Set"]
        if kind.kind in ("single", "multiple", "true_false"):
            labels = item.findall(f".//{QTI}response_label")
            idents = [lab.get("ident") for lab in labels]
            assert field(item, "original_answer_ids") == ",".join(idents)
            (rule,) = full
            if kind.kind == "multiple":
                picked = [v.text for v in rule.findall(f".//{QTI}and/{QTI}varequal")]
                assert picked == [i for i, c in zip(idents, kind.choices) if c.fraction > 0]
            elif kind.kind == "single":
                assert [rule.findtext(f".//{QTI}varequal")] == [i for i, c in zip(idents, kind.choices) if c.fraction > 0]
                for ident, c in zip(idents, kind.choices):
                    assert fb.get(f"{ident}_fb") == (escape(ex.text(c.feedback)) if c.feedback else None)
            else:
                assert rule.findtext(f".//{QTI}varequal") == idents[0 if kind.answer else 1]
        elif kind.kind == "short_text":
            (rule,) = full
            assert [v.text for v in rule.findall(f".//{QTI}varequal")] == list(q.accept)
        elif kind.kind == "numeric":
            (rule,) = full
            assert (float(rule.findtext(f".//{QTI}vargte")), float(rule.findtext(f".//{QTI}varlte"))) == (kind.low, kind.high)
        else:  # matching: one drop-down per left item; the shares add up to full marks
            lids = item.findall(f".//{QTI}response_lid")
            assert [lid.findtext(f"{QTI}material/{QTI}mattext") for lid in lids] == [escape(ex.text(left)) for left, _ in kind.pairs]
            adds = [c for c in conditions if c.find(f"{QTI}setvar") is not None and c.find(f"{QTI}setvar").get("action") == "Add"]
            assert sum(float(c.findtext(f"{QTI}setvar")) for c in adds) == pytest.approx(100, abs=0.01)
            for lid, add in zip(lids, adds):
                right = add.find(f".//{QTI}varequal")
                assert right.get("respident") == lid.get("ident")
                assert right.text == lid.findall(f".//{QTI}response_label")[lids.index(lid)].get("ident")


def test_zip_is_byte_identical_on_every_run(bank, corpus):
    assert export_bank(bank, corpus, "canvas-qti", "both")[0] == export_bank(bank, corpus, "canvas-qti", "both")[0]


def test_every_bank_packages_all_but_ordering(tmp_path, course):
    paths, warnings = export_banks(None, "canvas-qti", "en", tmp_path)
    assert len(paths) == len(course)
    assert len(warnings) == sum(q.type == "order" for bank in course for q in bank.questions)
    assert all("(order): Canvas Classic Quizzes have no ordering question" in w for w in warnings)
    for path, bank in zip(paths, course):
        _, root, _ = open_package(path.read_bytes())
        assert len(root.findall(f".//{QTI}item")) == sum(q.type != "order" for q in bank.questions)
