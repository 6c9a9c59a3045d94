"""The table lesson 05 adds to the package (charts.thread_results)."""

from mediation_lessons.charts import RESULT_TYPES, distinct_events, thread_results
from mediation_lessons.events import THREADS, load_events


def test_thread_results_has_one_row_per_thread_in_order():
    table = thread_results()
    assert list(table.index) == [t for t in THREADS if t in set(load_events()["thread"])]
    assert list(table.columns) == ["events", "talks_rounds", "mediated_results", "first", "last", "months", "mediators"]


def test_thread_results_counts_distinct_events_and_mediated_results():
    events = distinct_events(load_events())
    table = thread_results()
    for thread, row in table.iterrows():
        ev = events[events["thread"] == thread]
        assert row["events"] == len(ev)
        results = ev[ev["event_type"].isin(RESULT_TYPES) & (ev["mediators"].map(len) > 0)]
        assert row["mediated_results"] == len(results)
        assert row["talks_rounds"] <= row["events"]
    # reports of one event are counted once: fewer distinct events than reports
    assert table["events"].sum() < len(load_events())


def test_thread_results_spans_and_mediators():
    table = thread_results()
    gaza = table.loc["gaza-2023-2024"]
    assert gaza["first"].year == 2023 and gaza["last"].year == 2024
    assert gaza["months"] == (gaza["last"].year - gaza["first"].year) * 12 + gaza["last"].month - gaza["first"].month
    assert gaza["mediators"].split(" (")[0] == "qatar"  # most events first
    oman = table.loc["us-iran-2026"]
    assert "oman" in oman["mediators"] and "usa" not in oman["mediators"]  # the US is a party there
    assert table.loc["gaza-2025", "mediated_results"] == 0  # the commentary reports no result


def test_document_dates_draws_every_text_with_its_page_date():
    from mediation_lessons import load_corpus
    from mediation_lessons.charts import document_dates

    docs = load_corpus().documents()
    for lang in ("en", "zh"):
        chart = document_dates(lang)
        ax = chart.figure.axes[0]
        assert len(ax.patches) == len(docs)  # one period bar per text
        diamonds = [line for line in ax.lines if line.get_marker() == "D"]
        assert len(diamonds) == docs["page_date"].notna().sum()
        assert chart._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
    labels = [t.get_text() for t in document_dates().figure.axes[0].get_yticklabels()]
    assert sorted(labels) == sorted(docs["id"])
