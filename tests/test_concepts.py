"""Concepts and readings as data: the shipped files, the notebook helpers and validation."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from mediation_lessons import concepts as co
from mediation_lessons import events as ev
from mediation_lessons.cli import validate
from mediation_lessons.errors import DataError
from mediation_lessons.paths import default_root
from mediation_lessons.yamlio import load_yaml

ROOT = default_root()
IDS = [
    "communicator", "formulator", "manipulator", "leverage", "biased-mediator", "insider-partial",
    "ripeness", "spoilers-veto-players", "multiparty-mediation", "small-state-mediation",
    "humanitarian-vs-political", "proscribed-groups", "credible-commitment", "batna-zopa",
    "phased-sequencing", "talk-format",
]


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    for name in ("corpus", "quizzes"):
        shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str) -> int:
    """Replace ``old`` (which must occur once) in a copied file; return the edit's line."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} occurs {text.count(old)} times in {rel}"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def only(problems, **where):
    found = [p for p in problems if all(getattr(p, k) == v for k, v in where.items())]
    assert found, f"no problem with {where} in:\n" + "\n".join(map(str, problems))
    return found[0]


# -- the shipped data -----------------------------------------------------------------------


def test_shipped_concepts_and_readings_are_valid():
    assert co.check_concepts(ROOT) == []


def test_the_agreed_concept_ids_in_order():
    assert list(co.load_concepts()) == IDS


def test_glossary_links_name_concepts_of_the_file():
    assert set(ev.CONCEPTS) == set(IDS)
    glossary, _ = load_yaml(ROOT / "corpus/glossary.yaml")
    linked = {t["concept"] for t in glossary if "concept" in t}
    assert linked <= set(IDS) and linked


def test_every_concept_has_a_definition_a_confirmed_reference_a_lesson_and_evidence():
    concepts = co.load_concepts()
    for c in concepts.values():
        assert c.definition_en and c.definition_zh
        assert 1 <= c.definition_en.count(". ") + 1 <= 3, c.id  # one to three sentences
        assert c.references and all(len(r.data["confirmed_by"]) >= 40 for r in c.references), c.id
        assert c.lessons and set(c.lessons) <= set(co.LESSONS), c.id
        assert 1 <= len(c.case_evidence) <= 3, c.id
    # every lesson applies at least one concept
    assert set(co.LESSONS) == {lesson for c in concepts.values() for lesson in c.lessons}


def test_content_versus_act_is_explicit_in_formulator_and_manipulator():
    concepts = co.load_concepts()
    formulator, manipulator = concepts["formulator"].definition_en, concepts["manipulator"].definition_en
    assert "content" in formulator and "manipulation" in formulator and "vote" in formulator
    assert "content" in manipulator and "act" in manipulator


def test_ripeness_defines_the_way_out_as_a_negotiated_solution():
    ripeness = co.load_concepts()["ripeness"].definition_en
    assert "mutually hurting stalemate" in ripeness and "way out" in ripeness
    assert "negotiated solution is possible" in ripeness
    assert "monitor" not in ripeness  # a way out is not a monitoring mechanism (issue 12)


def test_names_keep_the_projects_chinese_terms():
    names = {c.id: c.name_zh for c in co.load_concepts().values()}
    assert (names["communicator"], names["formulator"], names["manipulator"]) == ("沟通者", "方案制定者", "操控者")
    assert names["leverage"] == "筹码" and names["ripeness"] == "成熟时机"
    assert "相互伤害的僵局" in co.load_concepts()["ripeness"].definition_zh


def test_every_reading_has_the_fields_of_its_kind():
    readings = co.load_readings()
    assert len(readings) >= 14
    for r in readings.values():
        d = r.data
        assert d["title"] and 1900 <= d["year"] <= 2100 and d["confirmed_by"]
        assert d.get("authors") or d.get("editors"), r.id
        assert d.get("journal") or d.get("publisher"), r.id
        if r.kind == "article":
            assert d["volume"] and d["issue"] and d["pages"], r.id
        if r.kind == "chapter":
            assert d["book"] and d["editors"] and d["publisher"], r.id
    cited = {ref.id for c in co.load_concepts().values() for ref in c.references}
    extras = {r.id for r in readings.values() if r.data.get("lessons")}
    assert set(readings) == cited | extras, "a reading that no concept or lesson uses"


# -- the notebook helpers -------------------------------------------------------------------


def test_concept_card_html_and_plain():
    card = co.concept_card("ripeness")
    html = card._repr_html_()
    assert "成熟时机" in html and "ripeness" in html and "Zartman" in html
    assert "Ripeness: The Hurting Stalemate and Beyond" in html
    text = repr(card)
    assert text.startswith("ripeness · 成熟时机\n") and "References:" in text and "<" not in text


def test_concept_card_escapes_the_data(data_root):
    edit(data_root, "corpus/concepts.yaml", 'name: {en: "leverage", zh: "筹码"}', 'name: {en: "<b>leverage</b> & co", zh: "筹码"}')
    html = co.concept_card("leverage", root=data_root)._repr_html_()
    assert "<b>leverage" not in html and "&lt;b&gt;leverage&lt;/b&gt; &amp; co" in html


def test_concept_card_unknown_id_names_the_known_ones():
    with pytest.raises(KeyError, match="unknown concept 'ripe'.*ripeness"):
        co.concept_card("ripe")


def test_concept_table_all_and_per_lesson():
    table = co.concept_table()
    assert list(table["id"]) == IDS
    assert list(table.columns) == ["id", "name_en", "name_zh", "definition_en", "definition_zh", "references", "lessons"]
    assert all(pd.api.types.is_string_dtype(table[c]) for c in table.columns)
    lesson_02 = co.concept_table("02_qatar_as_mediator")
    assert "insider-partial" in set(lesson_02["id"]) and "ripeness" not in set(lesson_02["id"])
    assert list(co.concept_table("02")["id"]) == list(lesson_02["id"])
    with pytest.raises(KeyError, match="unknown lesson '09_x'"):
        co.concept_table("09_x")


def test_further_reading_lists_full_references_of_the_lessons_concepts_and_extras():
    reading = co.further_reading("02_qatar_as_mediator")
    text = repr(reading)
    assert text.startswith("Further reading (lesson 02)")
    # insider-partial (02) -> Wehr and Lederach with journal, volume, issue and pages
    assert '"Mediating Conflict in Central America". Journal of Peace Research 28(1): 85-98.' in text
    assert "Qatari Mediation: Between Ambition and Achievement" in text  # a lesson extra
    assert "Ripeness" not in text  # lesson 02 does not apply ripeness
    assert len(text.splitlines()) == len(set(text.splitlines()))  # each work once
    html = reading._repr_html_()
    assert "<i>Journal of Peace Research</i>" in html and html.count("<li>") == len(reading.readings)


# -- validation -------------------------------------------------------------------------------


def test_unknown_reference_names_file_item_field_and_line(data_root):
    line = edit(data_root, "corpus/concepts.yaml", "references: [kydd-2003, svensson-2007]", "references: [kydd-2003, nobody-1999]")
    p = only(co.check_concepts(data_root), item="biased-mediator", field="references.1")
    assert p.file == "corpus/concepts.yaml" and p.line == line and "nobody-1999" in p.message


def test_unknown_lesson_is_reported(data_root):
    line = edit(data_root, "corpus/concepts.yaml", 'lessons: ["02", "05"]\n  case_evidence:\n    - doc: gaza-ceasefire-talks-2024\n      quote: "由于埃及',
                'lessons: ["02", "07"]\n  case_evidence:\n    - doc: gaza-ceasefire-talks-2024\n      quote: "由于埃及')
    p = only(co.check_concepts(data_root), item="insider-partial", field="lessons.1")
    assert p.line == line and "'07'" in p.message


def test_quote_that_does_not_resolve_is_reported(data_root):
    line = edit(data_root, "corpus/concepts.yaml", 'quote: "亟需喘息空间"', 'quote: "亟需喘息的空间"')
    p = only(co.check_concepts(data_root), item="ripeness", field="case_evidence.1.quote")
    assert p.line == line and "亟需喘息的空间" in p.message


def test_unknown_document_is_reported(data_root):
    edit(data_root, "corpus/concepts.yaml", "- doc: us-qatar-revisit-2023\n      quote: \"卡塔尔实行", "- doc: no-such-doc\n      quote: \"卡塔尔实行")
    only(co.check_concepts(data_root), item="small-state-mediation", field="case_evidence.1.doc")


def test_duplicate_ids_are_reported(data_root):
    line = edit(data_root, "corpus/concepts.yaml", "- id: formulator\n", "- id: communicator\n")
    p = only(co.check_concepts(data_root), item="communicator", field="id", line=line)
    assert "duplicate" in p.message
    edit(data_root, "corpus/readings.yaml", "- id: walter-2002\n", "- id: walter-1997\n")
    only(co.check_concepts(data_root), file="corpus/readings.yaml", item="walter-1997", field="id")


def test_missing_fields_and_wrong_types_are_reported(data_root):
    edit(data_root, "corpus/readings.yaml", '  journal: "Security Dialogue"\n', "")
    p = only(co.check_concepts(data_root), file="corpus/readings.yaml", item="toros-2008")
    assert "journal" in p.message or p.field == "journal"
    edit(data_root, "corpus/concepts.yaml", 'lessons: ["03", "04"]', "lessons: [3, 4]")
    only(co.check_concepts(data_root), file="corpus/concepts.yaml", item="batna-zopa", field="lessons.0")


def test_a_concept_without_references_is_reported(data_root):
    edit(data_root, "corpus/concepts.yaml", "references: [barakat-2014]", "references: []")
    only(co.check_concepts(data_root), item="small-state-mediation", field="references")


def set_first_item_concepts(bank, value: str) -> tuple[str, int]:
    """Give the bank's first question ``concepts: value`` in place of any it had; returns
    the question id and the line of the new field."""
    lines = bank.read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("  - id: "))
    end = next((i for i in range(first + 1, len(lines)) if lines[i].startswith("  - ")), len(lines))
    body = [line for line in lines[first + 1 : end] if not line.startswith("    concepts:")]
    lines[first + 1 : end] = ["    concepts: " + value] + body
    bank.write_text("\n".join(lines), encoding="utf-8")
    return lines[first].split("id: ", 1)[1].strip(), first + 2


def test_unknown_concept_in_a_quiz_bank_is_reported(data_root):
    qid, line = set_first_item_concepts(data_root / "quizzes/01_gaza_talks_2023_2024.yaml", "[ripeness, ripe-moment]")
    p = only(co.check_concepts(data_root), file="quizzes/01_gaza_talks_2023_2024.yaml", item=qid, field="concepts.1")
    assert p.line == line and "ripe-moment" in p.message


def test_loaders_raise_every_problem(data_root):
    edit(data_root, "corpus/concepts.yaml", 'quote: "亟需喘息空间"', 'quote: "亟需喘息的空间"')
    edit(data_root, "corpus/concepts.yaml", "references: [barakat-2014]", "references: [nobody-2000]")
    with pytest.raises(DataError) as exc:
        co.load_concepts(data_root)
    assert len(exc.value.problems) == 2


def test_validate_runs_the_concept_check(data_root):
    edit(data_root, "corpus/concepts.yaml", "references: [barakat-2014]", "references: [nobody-2000]")
    assert any(p.item == "small-state-mediation" for p in validate(data_root))
    (data_root / "corpus/readings.yaml").unlink()
    assert any(p.file == "corpus/readings.yaml" and p.message == "file is missing" for p in validate(data_root))


def test_testing_items_come_from_the_banks_concepts_fields(data_root):
    assert set(co.testing_items(data_root)) >= set(IDS)
    qid, _ = set_first_item_concepts(data_root / "quizzes/02_qatar_as_mediator.yaml", "[insider-partial]")
    assert f"02_qatar_as_mediator/{qid}" in co.testing_items(data_root)["insider-partial"]


def test_an_edit_to_the_concepts_is_seen_in_the_same_kernel(data_root):
    assert "A biased mediator" in co.concept_card("biased-mediator", data_root).concept.definition_en
    edit(data_root, "corpus/concepts.yaml", "A biased mediator is closer", "A partial mediator is closer")
    assert "A partial mediator" in co.concept_card("biased-mediator", data_root).concept.definition_en
