"""The static site (`python3 dev.py site`): every lesson page carries its static quiz,
a Binder launch link and its bilingual title, built offline from the stored outputs."""

from __future__ import annotations

import importlib.util
import re
from html import unescape
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
LESSONS = sorted(p.stem for p in (REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _dev():
    spec = importlib.util.spec_from_file_location("dev", REPO / "dev.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    return _dev().build_site(tmp_path_factory.mktemp("site"))


def test_front_page_has_the_lesson_table(site):
    assert "site/_generated/index.html" in (site / "index.html").read_text(encoding="utf-8")
    page = (site / "site" / "_generated" / "index.html").read_text(encoding="utf-8")
    for lesson in LESSONS:
        assert f'href="../../notebooks/{lesson}.html"' in page, lesson


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_page_shows_its_static_quiz_and_a_binder_link(site, lesson):
    page = (site / "notebooks" / f"{lesson}.html").read_text(encoding="utf-8")
    assert 'class="ml-quiz-static"' in page, "the stored static quiz is missing from the page"
    assert re.search(r'href="https://mybinder\.org/v2/gh/[^"]+urlpath=lab/tree/notebooks/' + re.escape(lesson) + r'\.ipynb', unescape(page)), \
        "no Binder launch link to this lesson in JupyterLab"
    title = _dev().lesson_title(REPO / "notebooks" / f"{lesson}.ipynb")
    assert title in unescape(page), "the bilingual title is not in the navigation"


def test_every_text_has_its_handout_in_the_site(site):
    from mediation_lessons import load_corpus

    page = (site / "site" / "_generated" / "texts.html").read_text(encoding="utf-8")
    for doc in load_corpus().ids:
        handout = site / "texts" / f"{doc}.html"
        assert handout.is_file(), doc
        assert f'href="../../texts/{doc}.html"' in page, doc
        assert 'lang="zh"' in handout.read_text(encoding="utf-8")
