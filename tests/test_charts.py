"""Charts render Chinese with the bundled font: no missing glyph, no global side effects."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from datetime import date
from pathlib import Path
import re
import warnings

import matplotlib as mpl
import pandas as pd
import pytest
from matplotlib import dates as mdates
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ft2font import FT2Font
from matplotlib.text import Text

from mediation_lessons import cache as content_cache
from mediation_lessons import charts, figures
from mediation_lessons.corpus import load_corpus
from mediation_lessons.events import THREADS, load_actors, load_events, load_glossary
from mediation_lessons.paths import FONT_FAMILY, FONT_FILE
from tests.helpers import copy_data, replace_in

CJK = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
CHARTS = [(f"timeline-{t}", lambda lang, t=t: charts.timeline(t, lang)) for t in THREADS] + [
    ("mention_heatmap", charts.mention_heatmap),
    ("mediator_comparison", charts.mediator_comparison),
]


def render_strictly(make) -> tuple[Figure, bytes]:
    """Build and draw a chart's figure with every warning an error (a missing glyph warns)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("error")
        fig = make()
        fig = fig.figure if isinstance(fig, charts.Chart) else fig
        buf = io.BytesIO()
        FigureCanvasAgg(fig)
        fig.savefig(buf, format="png", metadata={"Software": None})
    glyphs = [w for w in caught if "missing from font" in str(w.message) or "Glyph" in str(w.message)]
    assert not glyphs, [str(w.message) for w in glyphs]
    return fig, buf.getvalue()


def cjk_texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and CJK.search(t.get_text())]


@pytest.mark.parametrize("name, make", CHARTS, ids=[c[0] for c in CHARTS])
def test_chart_renders_chinese_with_the_bundled_font(name, make):
    fig, png = render_strictly(lambda: make("zh"))
    assert png.startswith(b"\x89PNG") and len(png) > 10_000
    texts = cjk_texts(fig)
    assert len(texts) >= 3, f"{name}: expected Chinese labels"
    for t in texts:
        # resolves to the shipped file, whatever CJK fonts the machine has or lacks
        assert font_manager.findfont(t.get_fontproperties(), fallback_to_default=False) == str(FONT_FILE)


@pytest.mark.parametrize("name, make", CHARTS[:1] + CHARTS[-2:], ids=[c[0] for c in CHARTS[:1] + CHARTS[-2:]])
def test_english_charts_render_too(name, make):
    fig, _png = render_strictly(lambda: make("en"))
    assert fig.get_suptitle() or fig.axes[0].get_title(loc="left")


def test_font_covers_every_character_of_the_data():
    cmap = FT2Font(str(FONT_FILE)).get_charmap()
    corpus = load_corpus()
    text = "".join(corpus.text(d) for d in corpus.ids)
    events, actors, glossary = load_events(), load_actors(), load_glossary()
    text += "".join(events["quote"]) + "".join(n for names in actors["names_zh"] for n in names)
    text += "".join(glossary["term_zh"]) + "".join(glossary["quote"])
    text += "".join(v[lang] for v in charts.THREAD_TITLES.values() for lang in ("zh", "en"))
    for table in (charts.TYPE_LABELS, charts.STRATEGY_LABELS, charts.RELIABILITY_TAGS, charts.WORDS):
        text += "".join("".join(pair) for pair in table.values())
    missing = sorted({c for c in text if not c.isspace() and ord(c) not in cmap})
    assert not missing, f"re-run scripts/make_font_subset.py: missing {''.join(missing)}"


def test_font_is_openly_licensed_and_documented():
    folder = FONT_FILE.parent
    assert "SIL OPEN FONT LICENSE" in (folder / "OFL.txt").read_text(encoding="utf-8")
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "make_font_subset.py" in readme and "fonts-noto-cjk" in readme
    assert FONT_FILE.stat().st_size < 4_000_000
    assert FT2Font(str(FONT_FILE)).family_name == FONT_FAMILY


def test_no_global_matplotlib_side_effects():
    before = dict(mpl.rcParams)
    charts.timeline("gaza-2025", "zh")._repr_mimebundle_()
    assert dict(mpl.rcParams) == before


def test_wrong_text_dates_are_drawn_hollow():
    fig, _ = render_strictly(lambda: charts.timeline("gaza-2023-2024", "en"))
    ax = fig.axes[0]
    hollow = [ln for ln in ax.get_lines() if ln.get_marker() == "o" and ln.get_markerfacecolor() == "white"]
    events = load_events()
    wrong_dates = events[(events["thread"] == "gaza-2023-2024") & events["text_date_wrong"]]
    assert len(hollow) == len(wrong_dates) == 3
    notes = [t.get_text() for t in fig.findobj(Text) if t.get_text().startswith("text says")]
    assert "text says: 31 Oct 2023" in notes


def test_saved_files_are_reproducible(tmp_path):
    fig = charts.mediator_comparison("zh")
    a = charts.save(fig, tmp_path / "a.png").read_bytes()
    b = charts.save(fig, tmp_path / "b.png").read_bytes()
    assert a == b and b"Software" not in a
    svg = charts.save(fig, tmp_path / "c.svg").read_text(encoding="utf-8")
    assert "<dc:date>" not in svg


def test_bad_arguments():
    with pytest.raises(ValueError, match="unknown thread"):
        charts.timeline("gaza-1948")
    with pytest.raises(ValueError, match="lang"):
        charts.mention_heatmap(lang="fr")


def test_a_missing_glyph_fails_the_strict_render():
    """The guard works: a character no bundled font has (CJK extension B) is caught."""

    def make():
        with figures.chinese_rc():
            fig = Figure()
            fig.text(0.5, 0.5, "斡旋 \U00020000")
        return fig

    with pytest.raises((UserWarning, AssertionError), match="missing|Glyph"):
        render_strictly(make)


def test_charts_show_as_images_in_jupyter_without_pyplot():
    """A Figure pyplot never saw has no image form in IPython; a chart must bring its own."""
    from IPython.core.formatters import DisplayFormatter

    fig = charts.timeline("us-iran-2026", "zh")
    bundle, _ = DisplayFormatter().format(fig)
    assert bundle["image/png"].startswith(b"\x89PNG")
    assert DisplayFormatter().format(fig)[0]["image/png"] == bundle["image/png"], "the same chart, the same bytes"
    assert b"Software" not in bundle["image/png"]


ALL_CHARTS = CHARTS + [("document_dates", charts.document_dates)]


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("name, make", ALL_CHARTS, ids=[n for n, _ in ALL_CHARTS])
def test_charts_carry_alt_text_in_their_html(name, make, lang):
    """JupyterLab draws image/png as a bare <img>: the HTML form, which it prefers, has the alt."""
    import base64
    import html as html_lib

    from IPython.core.formatters import DisplayFormatter

    fig = make(lang)
    bundle, _ = DisplayFormatter().format(fig)
    img = re.fullmatch(r'<img src="data:image/png;base64,([A-Za-z0-9+/=]+)" alt="([^"<>]+)" lang="(\w+)" class="ml-chart">',
                       bundle["text/html"])
    assert img, bundle["text/html"][:200]
    assert base64.b64decode(img.group(1)) == bundle["image/png"]
    alt = html_lib.unescape(img.group(2))
    assert img.group(3) == lang and alt == bundle["text/plain"] == fig.alt_text
    assert len(alt) > 60 and bool(CJK.search(alt)) == (lang == "zh")
    assert re.search(r"\d", alt), "the alt text gives the chart's figures, not only its kind"


def test_a_long_quiet_gap_breaks_the_date_axis():
    """US-Iran: spring 2025, then 3-6 Feb 2026; one axis would put February in one column."""
    fig, _ = render_strictly(lambda: charts.timeline("us-iran-2026", "en"))
    spring, february = fig.axes
    assert mdates.num2date(spring.get_xlim()[1]).date() < date(2025, 8, 1)
    first, last = (mdates.num2date(x).date() for x in february.get_xlim())
    assert date(2026, 1, 25) <= first and last <= date(2026, 2, 10)
    # every February event is drawn in the February panel: a point per dated row at least
    feb_points = [ln for ln in february.get_lines() if ln.get_marker() == "o"
                  and first <= pd.Timestamp(ln.get_xdata()[0]).date() <= last]
    events = load_events()
    feb = events[(events["thread"] == "us-iran-2026") & (events["date_start"] >= "2026-02-01")]
    assert len(feb_points) == len(feb)
    # the rows are labelled once: dates on the left of the first panel, details right of the last
    assert sum("6 Feb 2026" in t.get_text() for t in spring.texts) == 7
    assert not any("6 Feb 2026" in t.get_text() for t in february.texts)


@pytest.mark.parametrize("thread", ["gaza-2023-2024", "qatar-mediator", "gaza-2025"])
def test_threads_without_a_long_gap_keep_one_axis(thread):
    assert len(charts.timeline(thread, "en").figure.axes) == 1


@pytest.fixture
def empty_cache(tmp_path, monkeypatch):
    monkeypatch.setenv(content_cache.CACHE_ENV, str(tmp_path / "cache"))
    return tmp_path / "cache"


@pytest.fixture
def draws(monkeypatch):
    """Every draw of a chart figure, as a list that grows."""
    calls = []
    real = figures.ChartFigure.draw
    monkeypatch.setattr(figures.ChartFigure, "draw", lambda fig, renderer: calls.append(fig) or real(fig, renderer))
    return calls


@pytest.mark.parametrize("make", [lambda: charts.timeline("us-iran-2026"), charts.mediator_comparison], ids=["timeline", "constrained"])
def test_a_chart_is_drawn_once_for_its_png(empty_cache, draws, make):
    """savefig's tight bounding box draws twice; the timeline (no layout engine) is cut
    from one drawing instead, and a constrained layout needs no cutting."""
    png = make()._repr_png_()
    assert png.startswith(b"\x89PNG") and len(draws) == 1


def test_the_one_pass_crop_matches_savefigs_tight_box(empty_cache):
    import io

    from PIL import Image

    chart = charts.timeline("gaza-2023-2024")
    mine = Image.open(io.BytesIO(chart._repr_png_()))
    buf = io.BytesIO()
    figures.savefig(chart.figure, buf, "png", bbox_inches="tight")
    tight = Image.open(buf)
    assert abs(mine.width - tight.width) <= 2 and abs(mine.height - tight.height) <= 2
    assert mine.info.get("dpi") == tight.info.get("dpi")
    assert "Software" not in mine.info  # reproducible: no version stamp


def test_an_unchanged_chart_is_read_from_the_cache_and_a_changed_one_is_drawn(empty_cache, draws):
    first = charts.timeline("us-iran-2026")._repr_png_()
    assert len(draws) == 1 and len(list((empty_cache / "charts").glob("*.png"))) == 1
    again = charts.timeline("us-iran-2026")
    assert again._repr_png_() == first and len(draws) == 1          # a new kernel's same chart: no drawing
    again.figure.axes[0].set_title("my note")                              # the learner changes it
    changed = again._repr_png_()
    assert len(draws) == 2 and changed != first                     # drawn, with the change
    assert charts.timeline("us-iran-2026", lang="zh")._repr_png_() != first and len(draws) == 3
    with mpl.rc_context({"axes.facecolor": "#ffeeee"}):             # a style in force at display
        assert charts.timeline("us-iran-2026")._repr_png_() != first and len(draws) == 4
    assert len(list((empty_cache / "charts").glob("*.png"))) == 3   # the changed figure is not kept


def test_other_data_make_another_key(empty_cache, draws, tmp_path):
    base = charts.timeline("us-iran-2026")
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "events.yaml", "outcome: The US first refused.", "outcome: The US refused at first.")
    other = charts.timeline("us-iran-2026", root=root)
    assert other._key != base._key


def test_showing_a_chart_imports_no_pyplot():
    """pyplot would switch the kernel's backend and costs a tenth of a second."""
    code = ("import sys\nfrom mediation_lessons import charts\n"
            "charts.document_dates()._repr_mimebundle_()\nassert 'matplotlib.pyplot' not in sys.modules")
    subprocess.run([sys.executable, "-c", code], check=True, env=os.environ | {"MPLBACKEND": ""})


def _show_in_new_kernel(cache: Path, cwd: Path, code_after: str = "") -> str:
    """Show a chart in a new Python process; print its PNG's hash and whether matplotlib came in."""
    code = ("import hashlib, sys\nfrom mediation_lessons import charts\n"
            "png = charts.document_dates()._repr_mimebundle_()['image/png']\n"
            "print(hashlib.sha256(png).hexdigest(), 'matplotlib' in sys.modules)\n" + code_after)
    env = os.environ | {content_cache.CACHE_ENV: str(cache), "MPLBACKEND": ""}
    return subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=cwd,
                          capture_output=True, text=True).stdout.split()


def test_a_chart_already_drawn_is_shown_without_matplotlib(tmp_path):
    """A warm kernel reads the picture: importing matplotlib costs a fifth of a second."""
    (tmp_path / "work").mkdir()
    drawn, imported = _show_in_new_kernel(tmp_path / "cache", tmp_path / "work")
    assert imported == "True"                                       # the first time it is drawn
    again, imported = _show_in_new_kernel(tmp_path / "cache", tmp_path / "work")
    assert (again, imported) == (drawn, "False")


def test_a_matplotlibrc_changes_the_picture_before_matplotlib_is_imported(tmp_path):
    """The key stamps the matplotlibrc files matplotlib would read, without importing it."""
    plain, styled = tmp_path / "plain", tmp_path / "styled"
    plain.mkdir()
    styled.mkdir()
    (styled / "matplotlibrc").write_text("axes.facecolor: eeeeff\n", encoding="utf-8")
    first = _show_in_new_kernel(tmp_path / "cache", plain)[0]
    restyled, imported = _show_in_new_kernel(tmp_path / "cache", styled)
    assert restyled != first and imported == "True"                # not read from the plain entry: drawn
    assert _show_in_new_kernel(tmp_path / "cache", styled) == [restyled, "False"]


def test_looking_at_the_figure_without_changing_it_keeps_the_kept_picture(empty_cache, draws):
    first = charts.timeline("us-iran-2026")._repr_png_()
    chart = charts.timeline("us-iran-2026")
    assert len(chart.figure.axes) == 2 and chart._repr_png_() == first and len(draws) == 1
    charts.save(chart, empty_cache.parent / "saved.png")            # saving draws, and changes nothing
    assert len(draws) == 2 and chart._repr_png_() == first and len(draws) == 2
