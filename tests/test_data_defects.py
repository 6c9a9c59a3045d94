"""The data may not teach a text's error as fact (issue 12, defects W1, W3-W6, W8).

Each check runs over whole tables, so it catches the same kind of slip anywhere, not
only in the row where it was first found.
"""

from __future__ import annotations

import re

import pytest

from mediation_lessons.corpus import load_corpus
from mediation_lessons.paths import default_root
from mediation_lessons.yamlio import load_yaml

ROOT = default_root()
# known issues that make a passage wrong or doubtful as a statement of fact
FLAGGED_KINDS = {
    "internal_contradiction", "unverified", "overstatement", "mistranslation", "number_error",
    "date_error", "garble",
}
TABLES = [
    # file, id field, citation field
    ("corpus/events.yaml", "event_id", "citation"),
    ("corpus/actors.yaml", "id", "citation"),
    ("corpus/glossary.yaml", "term_zh", "example"),
]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


def rows(rel):
    data, _ = load_yaml(ROOT / rel)
    return data


def known_issues(corpus):
    """(doc, kind, quote, issue, start, end) of every known issue in the clean texts."""
    out = []
    for doc in rows("corpus/documents.yaml"):
        for k in doc.get("known_issues", []):
            if k.get("where") == "raw":
                continue
            c = corpus.resolve(doc["id"], k["quote"])
            out.append((doc["id"], k["kind"], k["quote"], k["issue"], c.doc_start, c.doc_end))
    return out


def english_fields(row, cite_field):
    """The row's English, with the gloss it shows (issue 11: the parallel reader's translation
    of the cited sentence). A gloss shown beside a known issue of its sentence is flagged
    there, so it may keep the text's wording (the reader translates errors as written)."""
    fields = {k: v for k, v in row.items() if k.endswith("_en") or k in ("outcome", "note")}
    passage = load_corpus(ROOT).passage(row[cite_field]["doc"], row[cite_field]["quote"])
    if not passage.issues:
        fields["gloss_en"] = passage.gloss_en or ""
    return {k: v for k, v in fields.items() if isinstance(v, str)}


def shown_flagged(corpus, cite, quote):
    """Whether the passage of ``cite`` shows the known issue on ``quote`` beside its gloss."""
    return any(f"「{quote}」" in i for i in corpus.passage(cite["doc"], cite["quote"]).issues)


def test_no_reliable_event_states_a_claim_another_event_marks_disputed_or_wrong():
    """W1: iran-us-strikes-2025 said the February talks were 'the first high-level
    face-to-face talks', a claim iran-muscat-talks marks disputed, and was reliable."""
    events = rows("corpus/events.yaml")
    claims = []
    for e in events:
        if e["reliability"] in ("disputed", "wrong_in_text") and "text_value" in e:
            claim = re.sub(r"\s*\(.*$", "", e["text_value"]).strip(' "')
            claims.append((e["event_id"], claim))
    assert ("iran-muscat-talks", "face-to-face talks") in claims
    offenders = [
        (e["event_id"], field, other)
        for e in events if e["reliability"] in ("reliable", "single_source")
        for field, text in english_fields(e, "citation").items()
        for other, claim in claims if claim.lower() in text.lower()
    ]
    assert offenders == []


def test_a_row_citing_a_flawed_passage_is_marked_or_its_gloss_flags_it(corpus):
    """W1, W3, W4, W5: events citing a passage with a known error are not 'reliable';
    actors and glossary rows (which have no reliability) show it beside their gloss."""
    issues = [i for i in known_issues(corpus) if i[1] in FLAGGED_KINDS]
    offenders = []
    for rel, id_field, cite_field in TABLES:
        for row in rows(rel):
            cite = row[cite_field]
            c = corpus.resolve(cite["doc"], cite["quote"])
            for doc, kind, quote, _issue, start, end in issues:
                if doc != cite["doc"] or not (start < c.doc_end and c.doc_start < end):
                    continue
                if "reliability" in row:
                    ok = row["reliability"] in ("disputed", "wrong_in_text")
                else:
                    ok = shown_flagged(corpus, cite, quote)
                if not ok:
                    offenders.append((rel, row[id_field], kind, quote))
    assert offenders == []


def test_iran_strikes_row_keeps_the_texts_hedge(corpus):
    """W1 in detail: the row says whose claim 'face-to-face' is and is marked accordingly."""
    row = next(e for e in rows("corpus/events.yaml") if e["event_id"] == "iran-us-strikes-2025")
    assert row["reliability"] == "disputed" and "correction_reason" in row
    for text in (row["summary_en"], row["outcome"]):
        if "face-to-face" in text:
            assert re.search(r"the text|contradict", text), text
    passage = corpus.passage(row["citation"]["doc"], row["citation"]["quote"])
    if "face-to-face" in (passage.gloss_en or ""):  # the reader's gloss, shown with the verdict
        assert any("contradiction" in i and "face-to-face" in i for i in passage.issues), passage.issues


TARIFF_DONE = re.compile(
    r"\b(impos(?:ed|es|ing)|order(?:ed|ing)|levied|levying|slapped)\b(?:\s+\S+){0,3}?\s+tariffs?\b"
    r"|\btariffs?\s+(?:were|was|have been|had been)\s+(?:imposed|levied)", re.I)


def test_no_row_says_the_iran_tariffs_were_imposed():
    """W3: the order threatened tariffs ('may face ... e.g. 25%'); no table may say they
    were ordered or imposed, in any English field."""
    assert TARIFF_DONE.search("Trump ordered tariffs after the talks")
    assert TARIFF_DONE.search("an executive order imposing tariffs on countries")
    assert not TARIFF_DONE.search("signed an order threatening extra tariffs")
    offenders = [
        (rel, row[id_field], field)
        for rel, id_field, cite_field in TABLES
        for row in rows(rel)
        for field, text in english_fields(row, cite_field).items()
        if TARIFF_DONE.search(text.split("[")[0])  # a bracketed note may quote the text's wording
    ]
    assert offenders == []


def test_al_jazeera_is_not_about_maps(corpus):
    """W4: 'mark Israel on the map' is a machine translation of 'put Israel on the map'."""
    actor = next(a for a in rows("corpus/actors.yaml") if a["id"] == "al-jazeera")
    gloss = corpus.gloss(actor["citation"]["doc"], actor["citation"]["quote"])
    # translated as written (the parallel reader's rule), the sense given at once in a note
    literal = gloss.find("mark Israel on the map")
    assert "put Israel on the map" in gloss
    if literal != -1:
        note = re.match(r"\s*\[([^]]*)\]", gloss[literal + len("mark Israel on the map"):])
        assert note and "put Israel on the map" in note.group(1), gloss
    issue = [i for i in known_issues(corpus) if "在地图上标记以色列" in i[2]]
    assert issue and issue[0][1] == "mistranslation" and "put Israel on the map" in issue[0][3]


def test_unverified_dates_are_flagged_wherever_they_are_quoted(corpus):
    """W5: every row quoting a passage with an unverified claim says so (the glossary's
    example for 间接会谈 used 'the end of 2022' without a flag)."""
    unverified = [i for i in known_issues(corpus) if i[1] == "unverified"]
    assert unverified
    for rel, id_field, cite_field in TABLES:
        for row in rows(rel):
            cite = row[cite_field]
            c = corpus.resolve(cite["doc"], cite["quote"])
            for doc, _kind, _quote, _issue, start, end in unverified:
                if doc == cite["doc"] and start < c.doc_end and c.doc_start < end:
                    flagged = row.get("reliability") in ("disputed", "wrong_in_text") or shown_flagged(corpus, cite, _quote)
                    assert flagged, (rel, row[id_field])


def test_two_countries_is_not_presented_as_the_correct_reading(corpus):
    """W6: restoring 两[[zh:国关]]系 gives back the characters, not a correct reading: the
    rift was between Qatar and four states, and a known issue must say so."""
    doc = "qatar-indispensable-2023"
    text = corpus.text(doc)
    spans = [m.start() for m in re.finditer("两国关系", text)]
    assert spans
    issues = [i for i in known_issues(corpus) if i[0] == doc and i[1] in ("mistranslation", "garble")]
    for at in spans:
        covering = [i for i in issues if i[4] <= at < i[5]]
        assert covering, f"两国关系 at {at} has no known issue"
        note = covering[0][3]
        assert "four" in note and all(s in note for s in ("Saudi Arabia", "Bahrain", "Emirates", "Egypt"))
    markup = [k for d in rows("corpus/documents.yaml") if d["id"] == doc for k in d["known_issues"] if k["kind"] == "markup"]
    for k in markup:
        assert not re.search(r"correct|restores the words\.?$", k["issue"].strip()), k["issue"]


def test_huo_geng_shao_is_or_less_not_or_fewer(corpus):
    """W8: 或更少 is 'or less' (a remnant of 'or less drastic ...'); 'fewer' needs a
    countable noun, and the sentence counts nothing. Checked in every English field that
    renders it."""
    renderings = []
    for d in rows("corpus/documents.yaml"):
        for k in d.get("known_issues", []):
            if "或更少" in k["quote"]:
                renderings.append(k["issue"])
    for rel, id_field, cite_field in TABLES:
        for row in rows(rel):
            if "或更少" in row[cite_field]["quote"]:
                renderings.append(corpus.gloss(row[cite_field]["doc"], row[cite_field]["quote"]))
    assert renderings
    for text in renderings:
        first = re.search(r"\bor (less|fewer)\b", text)  # the rendering, before any comment on it
        assert first and first.group(1) == "less", text
