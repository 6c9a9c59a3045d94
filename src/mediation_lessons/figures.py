"""The matplotlib side of the charts: the bundled Chinese font, reproducible files, PNGs.

Figures are built without pyplot (so they work under Agg, in tests and in notebooks
alike). Chinese text is drawn with the font subset shipped in ``mediation_lessons/fonts``
(Noto Sans CJK SC, SIL OFL 1.1), registered on first use and selected through an rcParams
context, so importing this module changes no global setting. :func:`save` writes files
without dates or version stamps.

Importing this module imports matplotlib (a fifth of a second in a new kernel): the
lessons' charts (:mod:`mediation_lessons.charts`) import it only when a picture has to
be drawn.
"""

from __future__ import annotations

import contextlib
import io
import math
from pathlib import Path

import matplotlib as mpl
import numpy as np
import PIL.Image
from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mediation_lessons.paths import FONT_FAMILY, FONT_FILE


def register_font() -> str:
    """Add the bundled font to matplotlib's font manager (once) and return its family."""
    if not FONT_FILE.is_file():
        raise FileNotFoundError(f"bundled font missing: {FONT_FILE} (run scripts/make_font_subset.py)")
    manager = font_manager.fontManager
    if not any(Path(f.fname) == FONT_FILE for f in manager.ttflist):
        manager.addfont(str(FONT_FILE))
    return FONT_FAMILY


@contextlib.contextmanager
def chinese_rc():
    """rcParams for drawing Chinese with the bundled font, undone on exit.

    Texts keep the concrete family list they were created with, so a figure built inside
    this context still draws with the bundled font after it (in a notebook, at display).
    DejaVu Sans, matplotlib's own font, is the fallback for anything the subset lacks.
    """
    family = register_font()
    with mpl.rc_context({
        "font.family": [family, "DejaVu Sans"],
        "axes.unicode_minus": False,
        "svg.hashsalt": "mediation-lessons",  # stable SVG ids
        "figure.dpi": 100,
    }):
        yield


def savefig(fig: Figure, target, fmt: str, **kwargs) -> None:
    """Write ``fig`` without timestamps or software versions, so output is reproducible."""
    metadata = {
        "png": {"Software": None},
        "pdf": {"Creator": None, "Producer": None, "CreationDate": None},
        "svg": {"Creator": None, "Date": None},
    }.get(fmt, {})
    with chinese_rc(), _not_an_edit(fig):
        fig.savefig(target, format=fmt, metadata=metadata, **kwargs)


@contextlib.contextmanager
def _not_an_edit(fig: Figure):
    """Drawing or saving marks the figure stale but changes nothing: keep ``edited`` as it was."""
    edited = getattr(fig, "edited", None)
    try:
        yield
    finally:
        if edited is not None:
            fig.edited = edited


def save(fig: Figure, path: str | Path, **kwargs) -> Path:
    """Save ``fig`` to ``path`` (format from the suffix), reproducibly."""
    path = Path(path)
    fmt = (kwargs.pop("format", None) or path.suffix.lstrip(".") or "png").lower()
    path.parent.mkdir(parents=True, exist_ok=True)
    savefig(fig, path, fmt, **kwargs)
    return path


class ChartFigure(Figure):
    """A Figure that Jupyter, nbviewer and GitHub show as a PNG, with or without pyplot.

    It displays as ``text/html``, an ``<img>`` with the PNG inline and ``alt_text`` as its
    alt, which JupyterLab, Notebook 7 and nbviewer prefer (an ``image/png`` output has no
    place for one: JupyterLab draws it as a bare ``<img>``); as ``image/png`` for front ends
    that show no HTML; and as ``text/plain``, the alt text.

    ``edited`` turns true at any change to the figure (matplotlib marks it stale), so a
    :class:`~mediation_lessons.charts.Chart` knows when its kept picture no longer shows it.
    """

    alt_text: str = ""
    alt_lang: str = "en"
    edited: bool = True

    @property
    def stale(self):
        return self._stale

    @stale.setter
    def stale(self, value):
        Figure.stale.fset(self, value)
        if value:
            self.edited = True

    def _repr_png_(self) -> bytes:
        return draw_png(self)

    def _repr_mimebundle_(self, include=None, exclude=None):
        from mediation_lessons.charts import image_bundle

        return image_bundle(self._repr_png_(), self.alt_text, self.alt_lang) | {"text/plain": self.alt_text or repr(self)}


def draw_png(fig: Figure) -> bytes:
    """The figure as a PNG, drawn once.

    savefig draws a figure twice when it has a layout engine (a pass to lay it out) or a
    tight bounding box (a pass to measure it). Here one drawing lays the figure out (a
    layout engine runs inside the draw) and, without a layout engine, the canvas is cut to
    what is drawn, as ``bbox_inches="tight"`` would; only a drawing that spills over the
    canvas needs savefig's way, which grows the canvas.
    """
    buf = io.BytesIO()
    with chinese_rc(), _not_an_edit(fig):
        canvas = FigureCanvasAgg(fig)
        canvas.draw()
        pixels = np.asarray(canvas.buffer_rgba())
        if fig.get_layout_engine() is None:
            pad = mpl.rcParams["savefig.pad_inches"] * fig.dpi
            box = fig.get_tightbbox(canvas.get_renderer()).transformed(fig.dpi_scale_trans)
            height, width = pixels.shape[:2]
            x0, x1 = math.floor(box.x0 - pad), math.ceil(box.x1 + pad)
            top, bottom = math.floor(height - box.y1 - pad), math.ceil(height - box.y0 + pad)
            if x0 < 0 or top < 0 or x1 > width or bottom > height:
                savefig(fig, buf, "png", bbox_inches="tight")
                return buf.getvalue()
            pixels = pixels[top:bottom, x0:x1]
        # what savefig writes: RGBA at the figure's dpi, with no software stamp
        PIL.Image.fromarray(pixels).save(buf, format="png", dpi=(fig.dpi, fig.dpi))
    return buf.getvalue()


from mediation_lessons.heap import settle_imports as _settle_imports  # noqa: E402

_settle_imports()  # after matplotlib: see mediation_lessons.heap
