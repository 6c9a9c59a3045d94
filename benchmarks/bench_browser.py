"""Time from *Run All* to a usable quiz, per lesson, in JupyterLab in headless Chromium,
against a one-cell notebook that imports pandas, ipywidgets and matplotlib, measured in
the same browser run (target: at most 3 times the baseline).

    python benchmarks/bench_browser.py [--repeat N] [--lessons 00_start_here ...]

"Usable" means the quiz's first Check button (``.ml-check``) is visible and enabled; the
baseline is done when its cell has its execution count and the kernel is idle. Each run
opens the notebook afresh (a new kernel, already started when timing begins), clicks
Run All and polls the page every 20 ms; the median of the runs is reported. Needs
Debian's chromium and the playwright package, like the browser tests
(``MEDIATION_LESSONS_CHROMIUM`` overrides the path). Nothing is fetched.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests" / "browser"))

import lab_helpers as lab  # noqa: E402  (the browser tests' own Lab driver)

BASELINE = "zz_bench_baseline.ipynb"
BASELINE_SOURCE = "import pandas as pd\nimport ipywidgets as widgets\nimport matplotlib.pyplot as plt"
TARGET = 3.0

QUIZ_READY = """sel => {
  const b = document.querySelector(sel + ' .ml-quiz .ml-check');
  return !!b && !b.disabled && b.offsetParent !== null;
}"""
CELL_DONE = """sel => {
  const p = document.querySelector(sel + ' .jp-CodeCell .jp-InputArea-prompt');
  const i = document.querySelector(sel + ' .jp-Notebook-ExecutionIndicator');
  return !!p && /^\\[\\d+\\]:$/.test(p.textContent.trim()) && !!i && i.dataset.status === 'idle';
}"""


def write_baseline(folder: Path) -> None:
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell(BASELINE_SOURCE)]
    nbformat.write(nb, folder / BASELINE)


def time_run_all(page, server, name: str, ready_js: str) -> float:
    lab.open_notebook(page, server, name)
    start = time.perf_counter()
    lab.menu_command(page, "Run", "runmenu:run-all")
    page.wait_for_function(
        f"args => ({ready_js})(args[0]) || ({lab._RUN_STATE_JS})(args) === 'error'",
        arg=[lab.PANEL, lab.ERROR_WORDS.pattern], polling=20, timeout=lab.RUN_TIMEOUT_MS)
    elapsed = time.perf_counter() - start
    found = lab.errors(page)
    if found:
        raise SystemExit(f"bench_browser: {name} failed to run:\n" + "\n".join(found))
    server.shutdown_sessions()  # the next run gets a fresh kernel
    return elapsed


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per notebook (median reported)")
    parser.add_argument("--lessons", nargs="*", help="lesson names (default: every notebook)")
    args = parser.parse_args()
    reason = lab.why_no_browser()
    if reason:
        print(f"bench_browser: skipped: {reason}")
        return 0
    from playwright.sync_api import sync_playwright

    lessons = args.lessons or sorted(p.stem for p in lab.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    with tempfile.TemporaryDirectory(prefix="bench-browser-") as tmp:
        home = Path(tmp)
        root = lab.copy_notebooks(lab.NOTEBOOKS, home / "notebooks")
        write_baseline(root)
        (home / "progress").mkdir()
        env = {**os.environ, "MEDIATION_LESSONS_DATA": str(home / "progress")}
        server = lab.start_lab(root, home, env, token=secrets.token_hex(16))
        try:
            with sync_playwright() as pw:
                context = pw.chromium.launch_persistent_context(
                    str(home / "profile"), executable_path=lab.chromium_path(), headless=True,
                    args=lab.CHROMIUM_ARGS, viewport={"width": 1280, "height": 900})
                page = context.new_page()
                # a first, untimed run warms the disk cache and Lab's own bundles for everyone
                time_run_all(page, server, BASELINE, CELL_DONE)
                base, times = [], {}
                for _ in range(args.repeat):  # interleaved, so a slow patch of the machine hits both
                    base.append(time_run_all(page, server, BASELINE, CELL_DONE))
                    for name in lessons:
                        times.setdefault(name, []).append(time_run_all(page, server, f"{name}.ipynb", QUIZ_READY))
                context.close()
        finally:
            try:
                server.shutdown_sessions()
            finally:
                kernels = lab.descendants(server.proc.pid)
                lab.stop_processes([server.proc], "JupyterLab server")
                lab.stop_processes(kernels, "kernel")
    baseline = statistics.median(base)
    print(f"Run All -> quiz usable, JupyterLab in headless Chromium, median of {args.repeat} "
          f"(baseline: one cell importing pandas, ipywidgets, matplotlib: {baseline:.2f} s)")
    print(f"{'lesson':<28} {'seconds':>8} {'ratio':>6}")
    worst = 0.0
    for name in lessons:
        t = statistics.median(times[name])
        worst = max(worst, t / baseline)
        print(f"{name:<28} {t:8.2f} {t / baseline:6.2f}x")
    print(f"worst ratio {worst:.2f}x (target <= {TARGET:.0f}x): {'met' if worst <= TARGET else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
