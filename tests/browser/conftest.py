"""Fixtures for the browser tests: one JupyterLab server and one Chromium for the session.

The server serves a temporary copy of notebooks/ (so no test ever changes a committed
notebook) with its own config, data, runtime, settings and workspace folders and its
own progress store. Everything started here is stopped here, by process id, and the
session fails if any process outlives its stop.

Without Debian's chromium or the playwright package the tests are skipped with the
reason; with MEDIATION_LESSONS_REQUIRE_BROWSER=1 (set by .ci/run) they fail instead.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil

import pytest

import lab_helpers as lab


def _require_browser() -> None:
    reason = lab.why_no_browser()
    if reason is None:
        return
    if lab.browser_required():
        pytest.fail(f"{lab.REQUIRE_ENV}=1 but {reason}", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def lab_server(tmp_path_factory):
    _require_browser()
    home = tmp_path_factory.mktemp("jupyterlab")
    root_dir = lab.copy_notebooks(lab.NOTEBOOKS, home / "notebooks") if lab.NOTEBOOKS.is_dir() else (home / "notebooks")
    root_dir.mkdir(exist_ok=True)
    progress = home / "progress"
    progress.mkdir()
    env = {**os.environ, "MEDIATION_LESSONS_DATA": str(progress)}
    server = lab.start_lab(root_dir, home, env, token=secrets.token_hex(24))
    server.progress_dir = progress
    yield server
    problems = []
    try:
        server.shutdown_sessions()
    except Exception as exc:  # the server may already be gone; the pid checks below still run
        problems.append(f"could not shut kernels down through the API: {exc!r}")
    kernels = lab.descendants(server.proc.pid)
    problems += lab.stop_processes([server.proc], "JupyterLab server")
    problems += lab.stop_processes(kernels, "kernel started by JupyterLab")
    if problems:
        pytest.fail("processes outlived the browser tests:\n" + "\n".join(problems) + "\n" + server.log_tail(), pytrace=False)


@pytest.fixture(scope="session")
def browser_context(tmp_path_factory):
    _require_browser()
    from playwright.sync_api import expect, sync_playwright

    # Widgets draw after the kernel reports idle, and CI machines are slow and shared: wait
    # as long for an expected state as for any other page action.
    expect.set_options(timeout=30_000)

    before = {p.pid for p in lab.children(os.getpid())}
    playwright = sync_playwright().start()
    # Playwright's driver is the new child of this process; Chromium runs under it.
    drivers = [p for p in lab.children(os.getpid()) if p.pid not in before]
    context = None
    try:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=lab.chromium_path(),
            headless=True,
            args=lab.CHROMIUM_ARGS,
            viewport={"width": 1280, "height": 900},
            locale="en-US",
        )
        context.set_default_timeout(30_000)
        yield context
    finally:
        started = drivers + [p for d in drivers for p in lab.descendants(d.pid)]
        try:
            if context is not None:
                context.close()
        finally:
            playwright.stop()
    leftovers = lab.stop_processes(started, "browser process", timeout=10)
    if leftovers:
        pytest.fail("browser processes outlived the browser tests:\n" + "\n".join(leftovers), pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)  # lets the page fixture see a failure
    return report


@pytest.fixture
def page(browser_context, lab_server, screenshot_dir, request):
    """A fresh tab and a fresh learner (an empty progress store); at the end the tab is
    closed and its kernels shut down."""
    for path in lab_server.progress_dir.iterdir():
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    page = browser_context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        try:
            lab.screenshot_notebook(page, screenshot_dir / f"FAILED-{name}.png")
        except Exception:  # the page may be in no state to measure; keep what it shows
            page.screenshot(path=str(screenshot_dir / f"FAILED-{name}.png"))
    page.close()
    lab_server.shutdown_sessions()


@pytest.fixture(scope="session")
def screenshot_dir():
    lab.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in lab.SCREENSHOTS.glob("FAILED-*.png"):  # from an earlier run
        old.unlink()
    return lab.SCREENSHOTS
