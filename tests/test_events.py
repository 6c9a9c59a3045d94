"""Events, actors and glossary: loaders, dtypes, citations, corrections and validation."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pandas as pd
import pytest

from mediation_lessons import events as ev
from mediation_lessons.corpus import load_corpus
from mediation_lessons.errors import DataError
from mediation_lessons.paths import default_root

ROOT = default_root()


@pytest.fixture
def data_root(tmp_path: Path) -> Path:
    """A private copy of corpus/ and quizzes/ to break."""
    for name in ("corpus", "quizzes"):
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, tmp_path / name)
    return tmp_path


def edit(root: Path, rel: str, old: str, new: str, count: int = 1) -> int:
    """Replace ``old`` (which must occur) in a copied file; return the 1-based line of the edit."""
    path = root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    line = text[: text.index(old)].count("\n") + 1
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return line


def only(problems, **where):
    found = [p for p in problems if all(getattr(p, k) == v for k, v in where.items())]
    assert found, f"no problem with {where} in:\n" + "\n".join(map(str, problems))
    return found[0]


# -- the shipped data ----------------------------------------------------------------------


def test_shipped_tables_are_valid():
    assert ev.check_tables(ROOT) == []


def test_load_events_dtypes_and_order():
    df = ev.load_events()
    assert len(df) >= 35
    for col in ("date_start", "date_end", "text_date"):
        assert pd.api.types.is_datetime64_any_dtype(df[col]), col
    for col in ("thread", "event_type", "talk_format", "mediator_strategy", "reliability", "date_precision", "doc"):
        assert isinstance(df[col].dtype, pd.CategoricalDtype), col
    assert set(df["thread"].cat.categories) == set(ev.THREADS)
    assert all(isinstance(v, list) for v in df["parties"]) and all(isinstance(v, list) for v in df["mediators"])
    assert df["sequence"].dtype == "int64" and df["paragraph"].dtype == "int64"
    assert df["event_id"].is_unique
    # every thread the corpus covers has events; undated rows are few
    assert set(df["thread"]) == set(ev.THREADS)
    assert (df["date_precision"] == "none").sum() <= 3
    # rows come in thread then sequence order
    assert list(df.index) == list(df.sort_values(["thread", "sequence"]).index)


def test_every_citation_resolves_to_its_offsets():
    corpus = load_corpus()
    for loader in (ev.load_events, ev.load_actors, ev.load_glossary):
        df = loader()
        for row in df.itertuples():
            c = corpus.resolve(row.doc, row.quote)
            assert (c.paragraph, c.start, c.end) == (row.paragraph, row.start, row.end)
            assert row.gloss_en


def test_glossary_examples_contain_their_terms():
    gl = ev.load_glossary()
    assert 20 <= len(gl) <= 40
    assert all(t in q for t, q in zip(gl["term_zh"], gl["quote"]))
    assert {"斡旋", "调停", "停火", "分阶段撤军", "传话人", "杠杆", "红线", "最后通牒"} <= set(gl["term_zh"])
    assert isinstance(gl["concept"].dtype, pd.CategoricalDtype)
    counts = ev.glossary_counts()
    assert counts.loc["分阶段撤军", "gaza-phased-withdrawal-2025"] >= 1


def test_actor_names_as_written_including_variants():
    actors = ev.load_actors().set_index("id")
    assert {"查奇·哈内格比", "哈内格比", "查奇·哈内比"} <= set(actors.loc["hanegbi", "names_zh"])
    assert isinstance(actors["kind"].dtype, pd.CategoricalDtype)
    every = "".join(load_corpus().text(d) for d in load_corpus().ids)
    for names in actors["names_zh"]:
        assert all(n in every for n in names)
    events = ev.load_events()
    used = {a for col in ("parties", "mediators") for lst in events[col] for a in lst}
    assert used <= set(actors.index)


def test_wrong_in_text_rows_carry_the_correction():
    df = ev.load_events()
    wrong = df[df["reliability"] == "wrong_in_text"]
    assert len(wrong) >= 7
    assert wrong[["text_value", "correct_value", "correction_reason"]].notna().all().all()
    disputed = df[df["reliability"] == "disputed"]
    assert disputed["correction_reason"].notna().all()
    rows = df.set_index("event_id")
    expect = {  # event: (text date, corrected date)
        "gaza-fighting-resumes": ("2023-10-31", "2023-12-01"),
        "gaza-paris-meeting": ("2024-01-29", "2024-01-28"),
        "gaza-gantz-resigns": ("2024-06-08", "2024-06-09"),
    }
    for eid, (said, right) in expect.items():
        assert rows.loc[eid, "reliability"] == "wrong_in_text"
        assert rows.loc[eid, "text_date"] == pd.Timestamp(said)
        assert rows.loc[eid, "date_start"] == pd.Timestamp(right)
    assert "7 days" in rows.loc["gaza-truce-extensions", "correct_value"]
    assert (rows.loc["gaza-truce-extensions", "date_end"] - rows.loc["gaza-truce-2023", "date_start"]).days + 1 == 7
    assert "trade office" in rows.loc["qatar-israel-relations-1996", "correct_value"]
    assert "head of state to visit" in rows.loc["qatar-emir-gaza-visit-2012", "correct_value"]
    assert rows.loc["iran-muscat-talks", "reliability"] == "disputed"
    assert rows.loc["iran-muscat-talks", "talk_format"] == "indirect"


def test_known_errors_of_the_texts_are_never_taught_as_fact():
    """Each date or number error annotated in documents.yaml is flagged by an event citing it."""
    corpus = load_corpus()
    events = ev.load_events()
    issues = corpus.known_issues()
    issues = issues[issues["kind"].isin(["date_error", "number_error", "date_discrepancy", "approximate", "overstatement"])]
    assert len(issues) >= 6
    for issue in issues.itertuples():
        span = corpus.resolve(issue.doc, issue.quote)
        hits = events[(events["doc"] == issue.doc) & (events["paragraph"] == span.paragraph)
                      & (events["start"] < span.end) & (events["end"] > span.start)]
        assert len(hits), f"no event cites the known issue {issue.quote!r}"
        assert set(hits["reliability"]) <= {"wrong_in_text", "disputed"}, issue.quote


def test_same_as_links_are_mutual_and_cross_texts():
    df = ev.load_events().set_index("event_id")
    links = [(a, b) for a, lst in df["same_as"].items() for b in lst]
    assert len(links) >= 10
    for a, b in links:
        assert a in df.loc[b, "same_as"]
        assert df.loc[a, "doc"] != df.loc[b, "doc"]


# -- computed mention counts ------------------------------------------------------------------


def test_count_mentions_takes_the_longest_name_once():
    names = {"本·格维尔": "ben-gvir", "格维尔": "ben-gvir", "伊斯梅尔·哈尼亚": "haniyeh", "哈尼亚": "haniyeh", "美国": "usa",
             "美国中央情报局": "cia"}
    text = "本·格维尔说,格维尔又说;伊斯梅尔·哈尼亚和哈尼亚。美国中央情报局与美国"
    assert ev.count_mentions(text, names) == {"ben-gvir": 2, "haniyeh": 2, "usa": 1, "cia": 1}
    assert ev.count_mentions("", names)["usa"] == 0


def test_nationals_and_doubled_names_are_not_extra_mentions():
    names = {"美国": "usa", "美方": "usa", "摩萨德": "mossad", "以色列情报和特勤局": "mossad",
             "以色列情报和特勤局（摩萨德）": "mossad"}
    text = "五名美国人获释；美方与以色列情报和特勤局（摩萨德）会谈，美国表示"
    assert ev.count_mentions(text, names, frozenset({"美国人"})) == {"usa": 2, "mossad": 1}


def test_mentions_in_the_texts_count_the_actor_not_its_people_or_a_namesake():
    m, corpus = ev.actor_mentions(), load_corpus()
    gaza24, qatar23, revisit = (corpus.text(d) for d in ("gaza-ceasefire-talks-2024", "qatar-indispensable-2023", "us-qatar-revisit-2023"))
    assert "财政部长斯莫特里赫" in gaza24 and m.loc["us-treasury", "gaza-ceasefire-talks-2024"] == 0  # Israel's finance minister
    assert m.loc["mossad", "gaza-ceasefire-talks-2024"] == 1  # 以色列情报和特勤局（摩萨德）: one mention
    assert m.loc["cnn", "qatar-indispensable-2023"] == qatar23.count("美国有线电视新闻网") + qatar23.count("CNN") - qatar23.count("美国有线电视新闻网 (CNN)")
    assert "6 名法国人" in revisit and m.loc["france", "us-qatar-revisit-2023"] == 0  # hostages' nationality


def test_actor_mentions_are_computed_from_the_texts():
    m = ev.actor_mentions()
    assert list(m.columns) == load_corpus().ids
    assert (m.dtypes == "int64").all()
    corpus = load_corpus()
    # independent count: the variants of Hanegbi never overlap each other
    for doc in corpus.ids:
        t = corpus.text(doc)
        assert m.loc["hanegbi", doc] == t.count("查奇·哈内格比") + (t.count("哈内格比") - t.count("查奇·哈内格比")) + t.count("查奇·哈内比")
    assert m.loc["haniyeh", "us-qatar-revisit-2023"] == 1  # 伊斯梅尔·哈尼亚, not also 哈尼亚
    assert m.loc["oman", "us-iran-oman-2026"] == corpus.text("us-iran-oman-2026").count("阿曼")


def test_mentions_follow_the_text(data_root: Path):
    """Change a text (and its checksum) in a copy: the count changes with it."""
    before = ev.actor_mentions(ROOT).loc["oman", "us-iran-oman-2026"]  # the copy is loaded once (corpus cache)
    raw = data_root / "corpus" / "raw" / "003_5411ffdd50fd7b8e.txt"
    old_sha = hashlib.sha256(raw.read_bytes()).hexdigest()
    text = raw.read_text(encoding="utf-8")
    raw.write_text(text.replace("来源:九万里", "阿曼与阿曼再次斡旋。\n\n来源:九万里"), encoding="utf-8")
    edit(data_root, "corpus/documents.yaml", old_sha, hashlib.sha256(raw.read_bytes()).hexdigest())
    assert ev.actor_mentions(data_root).loc["oman", "us-iran-oman-2026"] == before + 2


def test_mentions_follow_the_names(data_root: Path):
    before = ev.actor_mentions(data_root)
    edit(data_root, "corpus/actors.yaml", "names_zh: [卡塔尔]", "names_zh: [卡塔尔, 多哈]")
    after = ev.actor_mentions(data_root)
    text = load_corpus(data_root).text("qatar-indispensable-2023")
    assert after.loc["qatar", "qatar-indispensable-2023"] == before.loc["qatar", "qatar-indispensable-2023"] + text.count("多哈")


# -- validation errors name file, item, field and line --------------------------------------


BROKEN = [  # (id, file, old text, new text, item, field, words of the message)
    ("bad-date", "events", "date_end: 2024-06-10", "date_end: 2024-02-30", "gaza-unsc-2735", "date_end", "not a real date"),
    ("start-after-end", "events", "date_start: 2024-05-07", "date_start: 2024-06-07", "gaza-fifth-round-cairo", "date_start", "after"),
    ("unknown-doc", "events", "    doc: us-iran-oman-2026\n    quote: 要么接受原有计划", "    doc: us-iran-oman-2099\n    quote: 要么接受原有计划",
     "iran-us-ultimatum", "citation.doc", "unknown document"),
    ("quote-not-found", "glossary", '"掌握多种外交杠杆"', '"掌握多种外交的杠杆"', "杠杆", "example.quote", "not found"),
    ("ambiguous-quote", "actors", '"美国中央情报局长伯恩斯前往巴黎"', '"巴黎"', "cia", "citation.quote", "ambiguous"),
    ("quote-without-name", "actors", '"美国中央情报局长伯恩斯前往巴黎"', '"前往巴黎"', "cia", "citation.quote", "contains none of"),
    ("duplicate-id", "events", "event_id: gaza-war-cabinet-dissolved", "event_id: gaza-gantz-resigns", "gaza-gantz-resigns", "event_id", "duplicate"),
    ("unknown-same-as", "events", "same_as: [qatar-afghanistan-2021-004]", "same_as: [qatar-afghanistan-2021-999]",
     "qatar-afghanistan-2021-002", "same_as.0", "unknown event"),
    ("unknown-actor", "events", "  mediators: [oman]\n  event_type: proposal", "  mediators: [omann]\n  event_type: proposal",
     "iran-us-three-demands", "mediators.0", "unknown actor"),
    ("schema-enum", "events", "  talk_format: shuttle\n", "  talk_format: telepathy\n", "gaza-third-round-shuttle", "talk_format", "telepathy"),
]


@pytest.mark.parametrize("case", BROKEN, ids=[c[0] for c in BROKEN])
def test_broken_copy_names_file_item_field_line(data_root: Path, case):
    _id, table, old, new, item, field, words = case
    shown = f"corpus/{table}.yaml"
    line = edit(data_root, shown, old, new)
    line += old[: len(old) - len(old.lstrip())].count("\n")  # the edit starts on this line
    p = only(ev.check_tables(data_root), file=shown, item=item, field=field)
    assert p.line == line, str(p)
    assert words in p.message, str(p)


def test_bad_precision_value(data_root: Path):
    text = (data_root / "corpus/events.yaml").read_text(encoding="utf-8")
    anchor = text.index("event_id: gaza-biden-proposal")
    line = text[:anchor].count("\n") + 1 + 5
    lines = text.splitlines()
    assert lines[line - 1].strip() == "date_precision: day"
    lines[line - 1] = "  date_precision: weekly"
    (data_root / "corpus/events.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    p = only(ev.check_tables(data_root), item="gaza-biden-proposal", field="date_precision")
    assert p.line == line and p.file == "corpus/events.yaml"


def test_wrong_in_text_needs_a_correction(data_root: Path):
    line = edit(data_root, "corpus/events.yaml", "  correct_value: 1 December 2023\n", "")
    p = only(ev.check_tables(data_root), item="gaza-fighting-resumes", field="correct_value")
    assert p.line is not None and abs(p.line - line) < 40


def test_thread_must_belong_to_the_cited_text(data_root: Path):
    edit(data_root, "corpus/events.yaml", "- event_id: gaza-biden-proposal\n  thread: gaza-2023-2024", "- event_id: gaza-biden-proposal\n  thread: us-iran-2026")
    p = only(ev.check_tables(data_root), item="gaza-biden-proposal", field="thread")
    assert "not a thread of" in p.message


def test_loaders_raise_with_every_problem(data_root: Path):
    edit(data_root, "corpus/events.yaml", "date_end: 2024-06-10", "date_end: 2024-02-30")
    edit(data_root, "corpus/glossary.yaml", '"掌握多种外交杠杆"', '"掌握多种外交的杠杆"')
    with pytest.raises(DataError) as info:
        ev.load_events(data_root)
    assert any(p.item == "gaza-unsc-2735" for p in info.value.problems)
    with pytest.raises(DataError):
        ev.load_glossary(data_root)
    assert len(ev.load_actors(data_root)) > 0  # an unrelated table still loads


def test_validate_command_reports_table_problems(data_root: Path):
    from mediation_lessons.cli import validate

    edit(data_root, "corpus/events.yaml", "same_as: [qatar-afghanistan-2021-004]", "same_as: [nope]")
    assert any(p.file == "corpus/events.yaml" and p.item == "qatar-afghanistan-2021-002" for p in validate(data_root))
