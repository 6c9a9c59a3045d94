"""The printable handouts of the parallel reader, rendered by headless Chromium.

Written by `mediation-lessons handout --all` into a temporary folder and opened from disk
(no server: the page is self-contained). A screenshot of one page is kept under
artifacts/screenshots/ to look at.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

pytestmark = pytest.mark.browser

DOC = "us-iran-oman-2026"


@pytest.fixture(scope="module")
def handouts(tmp_path_factory):
    out = tmp_path_factory.mktemp("handouts")
    result = subprocess.run([sys.executable, "-m", "mediation_lessons.cli", "handout", "--all", "--out", str(out)],
                            capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr
    return out


def test_every_handout_renders_with_cjk_glyphs_and_prints(browser_context, handouts, screenshot_dir):
    from mediation_lessons.corpus import load_corpus

    corpus = load_corpus()
    page = browser_context.new_page()
    try:
        for doc in corpus.ids:
            page.goto((handouts / f"{doc}.html").as_uri())
            assert page.title().startswith(corpus.title(doc, "en")[:20])
            assert page.locator("table.ml-handout thead th").count() == 4
            rows = page.locator("table.ml-handout tbody tr")
            assert rows.count() == len(corpus.paragraphs(doc))
            assert page.locator("dl.ml-meta dt", has_text="Known issues").count() == 1
            # every paragraph has an English cell with words in it
            empty = page.evaluate("[...document.querySelectorAll('td.ml-en')].filter(td => !td.innerText.trim()).length")
            assert empty == 0
            # the Chinese is drawn with a CJK font from the stack, not as empty boxes: a CJK
            # font is available and a line of Chinese is as wide as its glyphs should be
            font = page.evaluate("getComputedStyle(document.querySelector('td.ml-zh')).fontFamily")
            assert "Noto Sans CJK SC" in font
            assert page.evaluate("document.fonts.check('16px \"Noto Sans CJK SC\"')")
        page.goto((handouts / f"{DOC}.html").as_uri())
        page.set_viewport_size({"width": 1200, "height": 1400})
        path = screenshot_dir / f"handout-{DOC}.png"
        page.screenshot(path=str(path))
        assert path.stat().st_size > 20_000
        page.emulate_media(media="print")
        pdf = page.pdf(format="A4")
        assert pdf.startswith(b"%PDF") and len(re.findall(rb"/Type\s*/Page[^s]", pdf)) >= 3  # the whole text, paged
    finally:
        page.close()
