"""The static site (Jupyter Book 1, `python3 dev.py site`) in Chromium, offline: every
lesson page shows its static quiz and a Binder launch link, and one page's content area
passes the axe-core scan (0 critical, 0 serious)."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

import lab_helpers as lab
from test_lab import NOTEBOOK_NAMES, expect, load_bank

pytestmark = pytest.mark.browser


def _dev():
    spec = importlib.util.spec_from_file_location("dev", lab.REPO / "dev.py")
    dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dev)
    return dev


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    """Build the site as `python3 dev.py site` does, into a temporary folder."""
    if importlib.util.find_spec("jupyter_book") is None:
        pytest.fail("jupyter-book is not installed (pip install -e '.[dev]')", pytrace=False)
    out = tmp_path_factory.mktemp("site")
    toc = _dev().write_site_sources()
    command = [str(Path(sys.executable).with_name("jupyter-book")), "build", str(lab.REPO), "--config",
               str(lab.REPO / "site" / "_config.yml"), "--toc", str(toc), "--path-output", str(out), "--quiet"]
    done = subprocess.run(command, cwd=lab.REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, f"site build failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
    html = out / "_build" / "html"
    assert (html / "index.html").is_file()
    return html


@pytest.mark.parametrize("notebook", NOTEBOOK_NAMES)
def test_site_lesson_page_has_its_quiz_and_a_binder_link(browser_context, site, screenshot_dir, notebook):
    bank = load_bank(notebook)
    page_file = site / "notebooks" / notebook.replace(".ipynb", ".html")
    assert page_file.is_file(), f"no page for {notebook}"
    page = browser_context.new_page()
    try:
        page.goto(page_file.as_uri())
        static = page.locator(".ml-quiz-static")
        expect(static).to_have_count(1)
        expect(static).to_contain_text(bank.questions[0].prompt.en)
        expect(static).to_contain_text(bank.questions[0].prompt.zh)
        binder = page.locator("a[href*='mybinder.org']")
        assert binder.count() >= 1, f"{notebook}: no Binder launch link"
        assert re.search(rf"notebooks(/|%2F){re.escape(notebook)}", binder.first.get_attribute("href")), binder.first.get_attribute("href")
        if notebook == NOTEBOOK_NAMES[0]:
            found = lab.axe_violations(page, "main")
            assert not found, f"site page {page_file.name}, content area:\n" + "\n".join(found)
            static.scroll_into_view_if_needed()
            page.screenshot(path=str(screenshot_dir / f"site_{notebook.replace('.ipynb', '')}.png"))
    finally:
        page.close()
