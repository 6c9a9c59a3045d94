"""Charts of the events and actors, with Chinese that renders on every machine.

Every chart function returns a :class:`Chart`: the chart's picture, its alt text, and the
matplotlib figure it is drawn from (:mod:`mediation_lessons.figures`: no pyplot, the
bundled Chinese font, reproducible files). A chart's picture is kept in the content-keyed
cache, so a chart shown again, in this kernel or the next, is read, not drawn: matplotlib
is imported only when a picture has to be drawn or the figure is asked for.
"""

from __future__ import annotations

import base64
import functools
import json
import os
import sys
from html import escape
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Callable

import pandas as pd

from mediation_lessons import cache
from mediation_lessons.corpus import load_corpus
from mediation_lessons.events import THREADS, actor_mentions, load_actors, load_events
from mediation_lessons.paths import FONT_FILE

if TYPE_CHECKING:
    from mediation_lessons.figures import ChartFigure

THREAD_TITLES = {
    "gaza-2023-2024": {"en": "Gaza ceasefire talks, Oct 2023 - Jun 2024", "zh": "加沙停火谈判（2023年10月至2024年6月）"},
    "qatar-mediator": {"en": "Qatar as a mediator", "zh": "作为调解方的卡塔尔"},
    "gaza-2025": {"en": "Gaza 2025, from deadlock to the October deal", "zh": "2025年加沙：从僵局到十月协议"},
    "us-iran-2026": {"en": "US-Iran talks in Oman, Feb 2026", "zh": "美伊阿曼谈判（2026年2月）"},
}
TYPE_LABELS = {
    "talks_round": ("talks", "谈判"), "proposal": ("proposal", "提议"), "agreement": ("agreement", "协议"),
    "truce": ("truce", "停火"), "humanitarian_pause": ("humanitarian pause", "人道主义暂停"),
    "hostage_release": ("hostage release", "释放人质"), "resolution": ("UN resolution", "联合国决议"),
    "withdrawal_plan": ("withdrawal plan", "撤军方案"), "venue_change": ("venue change", "地点变更"),
    "statement": ("statement", "表态"), "ultimatum": ("ultimatum", "最后通牒"), "sanctions": ("sanctions", "制裁"),
    "political_change": ("political change", "政局变化"), "military_action": ("military action", "军事行动"),
    "channel": ("channel", "沟通渠道"), "visit": ("visit", "访问"), "evacuation": ("evacuation", "撤离"),
    "analysis": ("analysis", "分析"),
}
STRATEGY_LABELS = {
    "communication": ("communication", "沟通"), "formulation": ("formulation", "制定方案"),
    "manipulation": ("manipulation (leverage)", "操控（筹码）"), "none": ("no mediator strategy", "无调解策略"),
}
# the date axis breaks in two at a gap of over two months that is over half the range
GAP_TO_BREAK = (pd.Timedelta(days=60), 0.5)
STRATEGY_COLOURS = {"communication": "#1f77b4", "formulation": "#2ca02c", "manipulation": "#d62728", "none": "#9a9a9a"}
RELIABILITY_TAGS = {
    "wrong_in_text": ("[wrong in text]", "【原文有误】"), "disputed": ("[disputed]", "【存疑】"),
    "single_source": ("", ""), "reliable": ("", ""),
}
WORDS = {
    "mediators": ("mediators", "调解方"), "undated": ("undated", "无日期"), "text_says": ("text says", "原文"),
    "corrected": ("date as corrected", "更正后的日期"), "text_date": ("date as the text gives it (wrong)", "原文所写日期（有误）"),
    "span": ("period (approximate or a range)", "时间段（大致时间或区间）"), "undated_m": ("undated: placed at the next dated event", "无日期：标在下一个有日期的事件处"),
    "mentions": ("Mentions of actors in each text (computed from the clean texts)", "各文本中行为体的提及次数（根据清理后的文本统计）"),
    "count": ("mentions", "提及次数"), "events": ("distinct events", "不同事件数"),
    "comparison": ("Mediated events by mediator and strategy (Touval and Zartman)", "经调解的事件：按调解方与调解策略（图瓦尔与扎特曼）"),
    "same_once": ("an event reported by two texts counts once", "两篇文本报道的同一事件只计一次"),
    "none_mediator": ("no mediator", "无调解方"),
}


def _w(key: str, lang: str) -> str:
    return WORDS[key][lang == "zh"]


def _check_lang(lang: str) -> None:
    if lang not in ("en", "zh"):
        raise ValueError(f"lang must be 'en' or 'zh', not {lang!r}")


class Chart:
    """A chart as its function made it: its picture, its alt text, and its figure.

    Jupyter shows it as ``text/html``, an ``<img>`` with the PNG inline and ``alt_text`` as
    its alt (JupyterLab, Notebook 7 and nbviewer prefer it: an ``image/png`` output has no
    place for an alt), as ``image/png``, and as ``text/plain``, the alt text.

    The picture is kept in the content-keyed cache (:mod:`mediation_lessons.cache`) under a
    hash of what the function drew from (the data, the language, the drawing code,
    matplotlib's version, the font) and of the rcParams that would draw it, so a chart is
    drawn once per machine. ``figure`` is the matplotlib figure, built on first use; a
    change to it (a line added, a title set) is what the chart shows from then on.
    """

    def __init__(self, lang: str, alt: str, draw: Callable[..., ChartFigure], *args):
        """The figure is ``draw(*args)``; the picture's key hashes ``args`` (tables, mappings,
        lists, texts) with ``draw``'s code, so the key covers everything the drawing uses."""
        self.alt_text, self.alt_lang = " ".join(alt.split()), lang
        self._draw = functools.partial(draw, *args)
        self._figure: ChartFigure | None = None
        parts = [
            a.to_json(orient="split", date_format="iso", default_handler=str) if isinstance(a, pd.DataFrame)
            else json.dumps(a, sort_keys=True, ensure_ascii=False, default=str)
            for a in args
        ]
        self._key = cache.content_key("chart-3", _code_stamp(), draw.__name__, self.alt_text, *parts)

    @property
    def figure(self) -> ChartFigure:
        """The matplotlib figure of this chart, built when first asked for."""
        if self._figure is None:
            figure = self._draw()
            figure.alt_text, figure.alt_lang, figure.edited = self.alt_text, self.alt_lang, False
            self._figure = figure
        return self._figure

    def _repr_png_(self) -> bytes:
        from_cache = self._figure is None or not self._figure.edited
        key = cache.content_key(self._key, _rc_stamp())
        png = cache.read("charts", key, ".png") if from_cache else None
        if png is None:
            from mediation_lessons.figures import draw_png

            png = draw_png(self.figure)
            if from_cache:
                cache.write("charts", key, png, ".png")
        return png

    def _repr_mimebundle_(self, include=None, exclude=None):
        return image_bundle(self._repr_png_(), self.alt_text, self.alt_lang)

    def __repr__(self) -> str:
        return f"<Chart: {self.alt_text}>"


def image_bundle(png: bytes, alt: str, lang: str) -> dict:
    """A PNG as Jupyter shows it: an ``<img>`` with its alt text, and the bare image."""
    html = (f'<img src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}" '
            f'alt="{escape(alt)}" lang="{lang}" class="ml-chart">')
    return {"text/html": html, "image/png": png, "text/plain": alt}


def save(chart: Chart, path: str | Path, **kwargs) -> Path:
    """Save a chart's figure to ``path`` (format from the suffix), reproducibly."""
    from mediation_lessons.figures import save as save_figure

    return save_figure(chart.figure, path, **kwargs)


@functools.lru_cache(maxsize=1)
def _code_stamp() -> str:
    """What a chart's picture depends on besides its data: the drawing code, matplotlib's
    version (and the FreeType it bundles) and the font file."""
    return cache.content_key(cache.source_stamp("charts.py", "figures.py"), metadata.version("matplotlib"),
                             FONT_FILE.read_bytes())


def _rc_stamp() -> str:
    """The rcParams that would draw the chart now (a style the learner set changes the picture).

    Before matplotlib is imported they are what its matplotlibrc files say, stamped without
    importing it; after, the rcParams in force, unless they are still those the files gave.
    Read as the dict they are stored in: RcParams' own item access resolves the "backend"
    entry, which imports pyplot.
    """
    mpl = sys.modules.get("matplotlib")
    rc_params = getattr(mpl, "rcParams", None)
    if rc_params is not None:
        now = {k: v for k, v in dict.items(rc_params) if k != "backend"}
        if now != {k: v for k, v in dict.items(mpl.rcParamsOrig) if k != "backend"}:
            return repr(sorted((k, repr(v)) for k, v in now.items()))
    return _rc_files_stamp()


@functools.lru_cache(maxsize=1)
def _rc_files_stamp() -> str:
    """Every matplotlibrc file matplotlib could read (``matplotlib_fname``'s candidates on
    any system), with its content; matplotlib's own defaults are in its version. Read once
    per kernel, as matplotlib reads them: a file edited later counts from the next kernel."""
    try:
        home = Path.home()
    except RuntimeError:  # no home folder: matplotlib uses a temporary config folder
        home = Path("~")
    candidates = [Path("matplotlibrc"), home / ".matplotlib" / "matplotlibrc",
                  Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config") / "matplotlib" / "matplotlibrc"]
    for env in ("MATPLOTLIBRC", "MPLCONFIGDIR"):
        if os.environ.get(env):
            candidates += [Path(os.environ[env]), Path(os.environ[env]) / "matplotlibrc"]
    parts = ["rc-files"]
    for path in candidates:
        try:
            parts += [str(path.resolve()), path.read_bytes()]
        except OSError:  # absent, or a folder
            continue
    return cache.content_key(*parts)


def _listing(pairs, lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(f"{name} {count}" if lang == "en" else f"{name}（{count}）" for name, count in pairs)


# -- helpers --------------------------------------------------------------------------------


def _actor_names(root, lang: str) -> dict[str, str]:
    actors = load_actors(root)
    col = "name_zh" if lang == "zh" else "name_en"
    return dict(zip(actors["id"], actors[col]))


def _short(text: str, width: int) -> str:
    """Cut to ``width`` characters (by character: Chinese has no spaces to break at)."""
    text = " ".join(str(text).split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _day(ts: pd.Timestamp, lang: str) -> str:
    return f"{ts.year}年{ts.month}月{ts.day}日" if lang == "zh" else f"{ts.day} {ts:%b %Y}"


def _month(ts: pd.Timestamp, lang: str) -> str:
    return f"{ts.year}年{ts.month}月" if lang == "zh" else f"{ts:%b %Y}"


def _fmt_period(start: pd.Timestamp, end: pd.Timestamp, precision: str, lang: str) -> str:
    """A date or period as a reader would write it, e.g. 24-30 Nov 2023, c. Jul 2018 - Feb 2020."""
    zh = lang == "zh"
    if pd.isna(start):
        return _w("undated", lang)
    to = "至" if zh else " – "
    approx = ("约" if zh else "c. ") if precision == "approx" else ""
    if precision == "year" or (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        years = f"{start.year}" if start.year == end.year else f"{start.year}{to if zh else '–'}{end.year}"
        return approx + years + ("年" if zh else "")
    if precision == "month" or (start.day == 1 and end.day == end.days_in_month):
        if (start.year, start.month) == (end.year, end.month):
            return approx + _month(start, lang)
        return approx + _month(start, lang) + to + _month(end, lang)
    if (end - start).days <= 3 and precision == "approx":
        return approx + _day(start, lang)
    if start == end:
        return approx + _day(start, lang)
    if (start.year, start.month) == (end.year, end.month):
        return approx + (f"{start.year}年{start.month}月{start.day}日至{end.day}日" if zh else f"{start.day}–{end.day} {start:%b %Y}")
    return approx + _day(start, lang) + to + _day(end, lang)


def distinct_events(events: pd.DataFrame) -> pd.DataFrame:
    """One row per real-world event: of reports linked by same_as, keep the first."""
    kept, dropped = [], set()
    for _, row in events.sort_values(["thread", "sequence"]).iterrows():
        if row["event_id"] in dropped:
            continue
        kept.append(row["event_id"])
        dropped.update(row["same_as"])
    return events[events["event_id"].isin(kept)]


# -- charts ---------------------------------------------------------------------------------


def _date_segments(ev: pd.DataFrame) -> list[tuple[pd.Timestamp, pd.Timestamp]]:
    """The stretches of time the axis shows: one, or two when a gap is most of the range.

    A thread whose events bunch after a long quiet spell (US-Iran: spring 2025, then a few
    days in February 2026) would otherwise squeeze its densest days into one column.
    """
    dates = pd.concat([ev["date_start"], ev["date_end"], ev.loc[ev["text_date_wrong"], "text_date"]])
    dates = dates.dropna().sort_values().drop_duplicates().reset_index(drop=True)
    if len(dates) < 2:
        return [(dates.min(), dates.max())]
    gaps = dates.diff()
    cut = int(gaps.idxmax())
    least, share = GAP_TO_BREAK
    if gaps[cut] <= max(least, (dates.iloc[-1] - dates.iloc[0]) * share):
        return [(dates.iloc[0], dates.iloc[-1])]
    return [(dates.iloc[0], dates.iloc[cut - 1]), (dates.iloc[cut], dates.iloc[-1])]


def _draw_events(ax, ev: pd.DataFrame, ys: list[int], lang: str) -> None:
    """The marks of every event on one axes (what falls outside its limits is clipped)."""
    placed = ev["date_start"].bfill().ffill()  # an undated event sits at the next dated one
    for y, (i, row) in zip(ys, ev.iterrows()):
        colour = STRATEGY_COLOURS[row["mediator_strategy"]]
        start, end = row["date_start"], row["date_end"]
        if row["text_date_wrong"]:
            text_date = row["text_date"]
            ax.plot([text_date, start], [y, y], linestyle=":", color="#444444", linewidth=1.2)
            ax.plot([text_date], [y], marker="o", markerfacecolor="white", markeredgecolor=colour,
                    markeredgewidth=2, markersize=9, linestyle="none")
            ax.annotate(f"{_w('text_says', lang)}{'：' if lang == 'zh' else ': '}{_day(text_date, lang)}", (text_date, y),
                        xytext=(0, 7), textcoords="offset points", ha="center", fontsize=7.5, color="#444444")
        if pd.isna(start):
            ax.plot([placed.iloc[i]], [y], marker="x", color=colour, markersize=8, mew=2, linestyle="none")
        else:
            if end > start:
                ax.plot([start, end], [y, y], color=colour, linewidth=5, alpha=0.35, solid_capstyle="butt")
            # a vague date is drawn mid-period, a day (or a run of days) at its first day
            at = start if row["date_precision"] == "day" else start + (end - start) / 2
            ax.plot([at], [y], marker="o", color=colour, markersize=6 if row["text_date_wrong"] else 8, linestyle="none")


def _padded(first: pd.Timestamp, last: pd.Timestamp) -> tuple[pd.Timestamp, pd.Timestamp]:
    pad = max((last - first) * 0.06, pd.Timedelta(days=1))
    return first - pad, last + pad


def timeline(thread: str, lang: str = "en", root=None) -> Chart:
    """Events of one thread, one row each in sequence order, by date.

    Colour is the mediator's strategy; a bar shows an approximate date or a range; a
    hollow marker joined by a dotted line shows the date a text gives wrongly, next to the
    corrected date; undated events sit at the date of the event before them, marked x.
    Left: date and event type; right: mediators and the outcome (en) or the quote (zh).
    When a gap is most of the thread's time range, the date axis is broken in two (//).
    """
    _check_lang(lang)
    if thread not in THREADS:
        raise ValueError(f"unknown thread {thread!r} (known: {', '.join(THREADS)})")
    zh = lang == "zh"
    events = load_events(root)
    ev = events[events["thread"] == thread].sort_values("sequence").reset_index(drop=True)
    names = _actor_names(root, lang)
    n = len(ev)
    segments = _date_segments(ev)
    dated = ev.dropna(subset=["date_start"])
    period = (_fmt_period(dated["date_start"].min(), dated["date_end"].max(), "day", lang) if len(dated)
              else _w("undated", lang))
    by_strategy = ev["mediator_strategy"].value_counts()
    strategies = _listing([(STRATEGY_LABELS[s][zh], int(by_strategy[s])) for s in STRATEGY_COLOURS if by_strategy.get(s, 0)], lang)
    if zh:
        alt = (f"时间线图：{THREAD_TITLES[thread]['zh']}。共 {n} 个事件，{period}，按顺序每行一个："
               f"左侧为日期和事件类型，右侧为调解方和原文；颜色表示调解策略：{strategies}。")
    else:
        alt = (f"Timeline chart: {THREAD_TITLES[thread]['en']}. {n} events, {period}, one row each in order: "
               f"date and event type on the left, mediators and outcome on the right; colour shows the "
               f"mediator's strategy: {strategies}.")
    return Chart(lang, alt, _draw_timeline, thread, ev, names, segments, lang)


def _draw_timeline(thread: str, ev: pd.DataFrame, names: dict[str, str], segments, lang: str) -> ChartFigure:
    from matplotlib import dates as mdates
    from matplotlib.lines import Line2D

    from mediation_lessons.figures import ChartFigure, chinese_rc

    zh = lang == "zh"
    n = len(ev)
    height = 1.6 + 0.42 * n
    with chinese_rc():
        fig = ChartFigure(figsize=(15, height), layout=None)
        bottom, top = 0.9 / height + 0.02, 1 - 1.5 / height
        if len(segments) == 1:
            axes = [fig.add_axes((0.2, bottom, 0.4, top))]
        else:  # two panels, 0.02 apart, each with its own date scale
            axes = [fig.add_axes((0.2, bottom, 0.19, top)), fig.add_axes((0.41, bottom, 0.19, top))]
        ys = list(range(n))[::-1]  # first event on top
        for ax, (first, last) in zip(axes, segments):
            _draw_events(ax, ev, ys, lang)
            ax.set_ylim(-0.7, n - 0.3)
            ax.set_yticks([])
            for side in ("left", "right", "top"):
                ax.spines[side].set_visible(False)
            ax.grid(axis="x", color="#dddddd", linewidth=0.6)
            ax.set_axisbelow(True)
            if len(segments) > 1:
                ax.set_xlim(*_padded(first, last))
                ax.xaxis.set_major_locator(mdates.AutoDateLocator(minticks=3, maxticks=5))
            for label in ax.get_xticklabels():
                label.set_rotation(30)
                label.set_horizontalalignment("right")
            ax.tick_params(axis="x", labelsize=8)
        if len(segments) > 1:
            for ax, x in zip(axes, (1, 0)):  # the break mark: // where the left axis ends and the right begins
                ax.plot([x], [0], transform=ax.transAxes, marker=[(-1, -1.5), (1, 1.5)], markersize=10,
                        color="black", mew=1, clip_on=False, linestyle="none")
        first_ax, last_ax = axes[0], axes[-1]
        for y, (_, row) in zip(ys, ev.iterrows()):
            type_label = TYPE_LABELS[row["event_type"]][zh]
            first_ax.text(-0.01 * len(axes), y, f"{_fmt_period(row['date_start'], row['date_end'], row['date_precision'], lang)}  {type_label}",
                          transform=first_ax.get_yaxis_transform(), ha="right", va="center", fontsize=8.5)
            mediators = "、".join(names[m] for m in row["mediators"]) if zh else ", ".join(names[m] for m in row["mediators"])
            who = mediators or _w("none_mediator", lang)
            detail = _short(row["quote_shown"], 34) if zh else _short(row["outcome"], 78)
            tag = RELIABILITY_TAGS[row["reliability"]][zh]
            last_ax.text(1 + 0.01 * len(axes), y, f"{who}{' ' + tag if tag else ''}\n{detail}", transform=last_ax.get_yaxis_transform(),
                         ha="left", va="center", fontsize=7.5, linespacing=1.15,
                         color="#b00000" if row["reliability"] == "wrong_in_text" else "black")
        fig.suptitle(THREAD_TITLES[thread][lang], x=0.02, ha="left", fontsize=13, y=1 - 0.25 / height)
        handles = [Line2D([], [], marker="o", color=STRATEGY_COLOURS[s], linestyle="none", label=STRATEGY_LABELS[s][zh])
                   for s in STRATEGY_COLOURS]
        handles += [
            Line2D([], [], marker="o", color="#444444", linestyle="none", label=_w("corrected", lang)),
            Line2D([], [], marker="o", markerfacecolor="white", markeredgecolor="#444444", markeredgewidth=2,
                   linestyle=":", color="#444444", label=_w("text_date", lang)),
            Line2D([], [], color="#444444", alpha=0.35, linewidth=5, label=_w("span", lang)),
            Line2D([], [], marker="x", color="#444444", linestyle="none", mew=2, label=_w("undated_m", lang)),
        ]
        fig.legend(handles=handles, loc="upper right", ncol=4, fontsize=7.5, frameon=False,
                   bbox_to_anchor=(0.99, 1 - 0.05 / height))
    return fig


def mention_heatmap(lang: str = "en", min_total: int = 2, root=None) -> Chart:
    """Actor x document mention counts (computed), actors with at least ``min_total``."""
    _check_lang(lang)
    counts = actor_mentions(root)
    counts = counts[counts.sum(axis=1) >= min_total]
    counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
    names = _actor_names(root, lang)
    corpus = load_corpus(root)
    docs = corpus.documents().set_index("id")
    if lang == "zh":
        cols = [f"{docs.loc[d, 'file'][:3]} {_short(docs.loc[d, 'title_zh'], 12)}" for d in counts.columns]
    else:
        cols = [f"{docs.loc[d, 'file'][:3]} {d}" for d in counts.columns]
    rows = [names[a] for a in counts.index]
    totals = _listing(list(zip(rows, (int(t) for t in counts.sum(axis=1))))[:5], lang)
    if lang == "zh":
        alt = (f"热力图：{_w('mentions', lang)}。{len(rows)} 个行为体 × {len(cols)} 篇文本，每格为提及次数。"
               f"提及最多：{totals}。")
    else:
        alt = (f"Heat map: {_w('mentions', lang)}. {len(rows)} actors by {len(cols)} texts, each cell a count. "
               f"Most mentioned overall: {totals}.")
    return Chart(lang, alt, _draw_heatmap, counts, rows, cols, lang)


def _draw_heatmap(counts: pd.DataFrame, rows: list[str], cols: list[str], lang: str) -> ChartFigure:
    from matplotlib.colors import PowerNorm

    from mediation_lessons.figures import ChartFigure, chinese_rc

    with chinese_rc():
        fig = ChartFigure(figsize=(9, 1.8 + 0.28 * len(rows)), layout="constrained")
        ax = fig.subplots()
        values = counts.to_numpy()
        image = ax.imshow(values, cmap="Blues", aspect="auto", norm=PowerNorm(0.5, vmin=0, vmax=max(1, values.max())))
        for (i, j), v in pd.DataFrame(values).stack().items():
            if v:
                ax.text(j, i, str(v), ha="center", va="center", fontsize=7.5,
                        color="white" if v > values.max() * 0.45 else "black")
        ax.set_xticks(range(len(cols)), cols, rotation=25, ha="right", fontsize=8.5)
        ax.set_yticks(range(len(rows)), rows, fontsize=8.5)
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", labeltop=True, labelbottom=False)
        for label in ax.get_xticklabels():
            label.set_horizontalalignment("left")
        fig.colorbar(image, ax=ax, shrink=0.5, label=_w("count", lang))
        fig.suptitle(_w("mentions", lang), fontsize=11)
    return fig


def mediator_comparison(lang: str = "en", root=None) -> Chart:
    """Distinct mediated events per mediator in each thread, stacked by strategy."""
    _check_lang(lang)
    zh = lang == "zh"
    events = distinct_events(load_events(root))
    events = events[events["mediators"].map(len) > 0]
    long = events.explode("mediators").rename(columns={"mediators": "mediator"})
    table = long.groupby(["thread", "mediator", "mediator_strategy"], observed=True).size().rename("n").reset_index()
    names = _actor_names(root, lang)
    threads = [t for t in THREADS if (table["thread"] == t).any()]
    per_thread = []
    for thread in threads:
        totals = table[table["thread"] == thread].groupby("mediator")["n"].sum().sort_values(ascending=False, kind="stable")
        per_thread.append(f"{THREAD_TITLES[thread][lang]}{'：' if zh else ': '}"
                          + _listing([(names[m], int(v)) for m, v in totals.items()], lang))
    if zh:
        alt = f"条形图：{_w('comparison', lang)}，按调解策略分段（{_w('same_once', lang)}）。" + "；".join(per_thread) + "。"
    else:
        alt = (f"Bar chart: {_w('comparison', lang)}, each bar split by strategy ({_w('same_once', lang)}). "
               + "; ".join(per_thread) + ".")
    return Chart(lang, alt, _draw_comparison, table, threads, names, lang)


def _draw_comparison(table: pd.DataFrame, threads: list[str], names: dict[str, str], lang: str) -> ChartFigure:
    from matplotlib.patches import Patch

    from mediation_lessons.figures import ChartFigure, chinese_rc

    zh = lang == "zh"
    strategies = list(STRATEGY_COLOURS)
    with chinese_rc():
        heights = [max(1.2, 0.45 * table.loc[table["thread"] == t, "mediator"].nunique()) for t in threads]
        fig = ChartFigure(figsize=(9, 1.6 + sum(heights)), layout="constrained")
        axes = fig.subplots(len(threads), 1, squeeze=False, gridspec_kw={"height_ratios": heights})[:, 0]
        xmax = table.groupby(["thread", "mediator"])["n"].sum().max()
        for ax, thread in zip(axes, threads):
            sub = table[table["thread"] == thread].pivot_table(index="mediator", columns="mediator_strategy", values="n",
                                                               aggfunc="sum", fill_value=0, observed=True)
            sub = sub.reindex(columns=strategies, fill_value=0)
            sub = sub.loc[sub.sum(axis=1).sort_values(kind="stable").index]
            left = pd.Series(0, index=sub.index)
            labels = [names[m] for m in sub.index]
            for s in strategies:
                ax.barh(labels, sub[s], left=left, color=STRATEGY_COLOURS[s], edgecolor="white", height=0.7)
                left = left + sub[s]
            for y, total in enumerate(left):
                ax.text(total + 0.1, y, str(int(total)), va="center", fontsize=8)
            ax.set_xlim(0, xmax + 1)
            ax.set_title(THREAD_TITLES[thread][lang], loc="left", fontsize=10)
            ax.tick_params(labelsize=8.5)
            for side in ("right", "top"):
                ax.spines[side].set_visible(False)
        note = f"（{_w('same_once', lang)}）" if zh else f" ({_w('same_once', lang)})"
        axes[-1].set_xlabel(_w("events", lang) + note, fontsize=8.5)
        fig.legend(handles=[Patch(color=STRATEGY_COLOURS[s], label=STRATEGY_LABELS[s][zh]) for s in strategies],
                   loc="outside lower center", ncol=4, fontsize=8, frameon=False)  # the title takes the top
        fig.suptitle(_w("comparison", lang), fontsize=11, x=0.02, ha="left")
    return fig


# -- tables for lesson 05 ------------------------------------------------------------------

# the event types that count as a mediated result (something obtained, not only talked about)
RESULT_TYPES = ("agreement", "truce", "humanitarian_pause", "hostage_release", "evacuation", "resolution")


def thread_results(root=None) -> pd.DataFrame:
    """One row per thread, for comparing the cases: the distinct events the texts report
    (reports of one event linked by same_as count once), how many are talks rounds and how
    many are mediated results (:data:`RESULT_TYPES`, with at least one mediator), the first
    and last dated event, the months between them, and the mediators by number of events."""
    events = distinct_events(load_events(root))
    rows = []
    for thread in THREADS:
        ev = events[events["thread"] == thread]
        if ev.empty:
            continue
        mediated = ev[ev["mediators"].map(len) > 0]
        counts = mediated.explode("mediators")["mediators"].value_counts(sort=False)
        order = sorted(counts.index, key=lambda m: (-counts[m], m))
        first, last = ev["date_start"].min(), ev["date_start"].max()
        months = (last.year - first.year) * 12 + (last.month - first.month) if pd.notna(first) else pd.NA
        rows.append({
            "thread": thread,
            "events": len(ev),
            "talks_rounds": int((ev["event_type"] == "talks_round").sum()),
            "mediated_results": int(mediated["event_type"].isin(RESULT_TYPES).sum()),
            "first": first,
            "last": last,
            "months": months,
            "mediators": ", ".join(f"{m} ({counts[m]})" for m in order),
        })
    return pd.DataFrame(rows).set_index("thread")


# -- a chart for lesson 06 ------------------------------------------------------------------

_DATES_WORDS = {
    "title": ("When each text's content is from, and the date its page shows", "各文本内容所属的时间与网页所示日期"),
    "period": ("period the content covers", "内容涉及的时间段"),
    "page": ("page date", "网页日期"),
    "no_page": ("no page date", "无网页日期"),
}


def document_dates(lang: str = "en", root=None) -> Chart:
    """One row per text: the period its content covers (a bar) and the date its page
    shows (a diamond), so that a page date far from the content stands out; a text with
    no page date says so. Texts are ordered by the start of their content period."""
    _check_lang(lang)
    zh = lang == "zh"
    docs = load_corpus(root).documents().sort_values(["period_start", "id"], kind="stable").reset_index(drop=True)
    rows = []
    for _, row in docs.iterrows():
        period = _fmt_period(row["period_start"], row["period_end"], "day", lang)
        if pd.notna(row["page_date"]):
            page = ("，网页日期 " if zh else ", page date ") + _day(row["page_date"], lang)
        else:
            page = ("，" if zh else ", ") + _DATES_WORDS["no_page"][zh]
        rows.append(f"{row['id']}{'：' if zh else ': '}{period}{page}")
    alt = f"{'时间图' if zh else 'Date chart'}{'：' if zh else ': '}{_DATES_WORDS['title'][zh]}{'。' if zh else '. '}"
    alt += ("；" if zh else "; ").join(rows) + ("。" if zh else ".")
    return Chart(lang, alt, _draw_document_dates, docs, lang)


def _draw_document_dates(docs: pd.DataFrame, lang: str) -> ChartFigure:
    from matplotlib import dates as mdates
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    from mediation_lessons.figures import ChartFigure, chinese_rc

    zh = lang == "zh"
    with chinese_rc():
        fig = ChartFigure(figsize=(9, 1.4 + 0.55 * len(docs)), layout="constrained")
        ax = fig.subplots()
        for y, row in docs.iterrows():
            start, end = row["period_start"], row["period_end"]
            width = max((end - start).days, 4)  # a short period still shows
            ax.barh(y, width, left=start, height=0.45, color="#4c78a8")
            if pd.notna(row["page_date"]):
                ax.plot(row["page_date"], y, marker="D", color="#e45756", markersize=8, linestyle="none")
                gap = (row["page_date"] - end).days
                if gap > 60:
                    ax.annotate("", xy=(row["page_date"], y), xytext=(end, y),
                                arrowprops={"arrowstyle": "->", "color": "#e45756", "linestyle": ":"})
            else:
                ax.text(end + pd.Timedelta(days=20), y, _DATES_WORDS["no_page"][zh], va="center", fontsize=8, color="#555555")
        labels = [_short(t, 14) if zh else d for d, t in zip(docs["id"], docs["title_zh"])]
        ax.set_yticks(range(len(docs)), labels, fontsize=8.5)
        ax.invert_yaxis()
        ax.xaxis.set_major_locator(mdates.MonthLocator(bymonth=(1, 4, 7, 10)))
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y-%m"))
        ax.tick_params(axis="x", labelsize=8, rotation=30)
        ax.grid(axis="x", color="#dddddd", linewidth=0.6)
        handles = [Patch(color="#4c78a8", label=_DATES_WORDS["period"][zh]),
                   Line2D([], [], marker="D", color="#e45756", linestyle="none", label=_DATES_WORDS["page"][zh])]
        fig.legend(handles=handles, loc="outside lower center", ncol=2, fontsize=8, frameon=False)
        last = max(docs["period_end"].max(), docs["page_date"].max())
        ax.set_xlim(right=last + pd.Timedelta(days=120))  # room for "no page date"
        fig.suptitle(_DATES_WORDS["title"][zh], fontsize=11, x=0.02, ha="left")
    return fig

