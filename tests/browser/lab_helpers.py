"""Driving JupyterLab 4 in Playwright: open a notebook, run it, read its outputs.

Everything here waits on a condition in the page (a selector or a JavaScript
predicate), never on a fixed sleep. Selectors are JupyterLab's own classes plus the
quiz classes named in docs/CONTRACTS.md.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NOTEBOOKS = REPO / "notebooks"
SCREENSHOTS = REPO / "artifacts" / "screenshots"

REQUIRE_ENV = "MEDIATION_LESSONS_REQUIRE_BROWSER"
CHROMIUM_ENV = "MEDIATION_LESSONS_CHROMIUM"
DEFAULT_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_HINT = "browser tests need Debian's chromium: apt-get install chromium (and fonts-noto-cjk for Chinese glyphs in screenshots)"

# The visible notebook: `?reset` leaves exactly one open, but keep the selector strict.
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"
IDLE = f"{PANEL} .jp-Notebook-ExecutionIndicator[data-status='idle']"
UNDRAWN_FIGURE = re.compile(r"^\s*<\w*Figure size \d+x\d+ with \d+ Axes>\s*$")
ERROR_WORDS = re.compile(r"Traceback|\b[A-Z]\w*(Error|Exception)\b:")

RUN_TIMEOUT_MS = 120_000


def chromium_path() -> str:
    return os.environ.get(CHROMIUM_ENV, DEFAULT_CHROMIUM)


def browser_required() -> bool:
    return os.environ.get(REQUIRE_ENV, "") not in ("", "0")


def why_no_browser() -> str | None:
    """None when the browser tests can run, else the reason they cannot."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright Python package is not installed (pip install -e '.[test]'); " + MISSING_HINT
    path = chromium_path()
    if not (Path(path).is_file() and os.access(path, os.X_OK)):
        return f"no chromium at {path} ({CHROMIUM_ENV} overrides the path); " + MISSING_HINT
    return None


# ---------------------------------------------------------------- the Lab server


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class LabServer:
    proc: subprocess.Popen
    url: str
    token: str
    root_dir: Path
    log_path: Path
    progress_dir: Path | None = None  # the kernels' MEDIATION_LESSONS_DATA

    def api(self, method: str, path: str, timeout: float = 10):
        request = urllib.request.Request(
            f"{self.url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = response.read()
        return json.loads(body) if body else None

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def shutdown_sessions(self) -> None:
        """Stop every kernel the browser started, through the server's own API."""
        for session in self.api("GET", "/api/sessions"):
            self.api("DELETE", f"/api/sessions/{session['id']}")


def start_lab(root_dir: Path, home: Path, env: dict[str, str], token: str, timeout: float = 90) -> LabServer:
    port = free_port()
    log_path = home / "jupyterlab.log"
    for sub in ("config", "data", "runtime", "settings", "workspaces", "ipython"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    env = {
        **env,
        "JUPYTER_CONFIG_DIR": str(home / "config"),
        "JUPYTER_DATA_DIR": str(home / "data"),
        "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
        "IPYTHONDIR": str(home / "ipython"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONUNBUFFERED": "1",
    }
    # No "Would you like to get notified about official Jupyter news?" toast over the
    # screenshots, and no request to the news feed.
    notification = home / "settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notification.parent.mkdir(parents=True, exist_ok=True)
    notification.write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    cmd = [
        sys.executable, "-m", "jupyterlab",
        "--no-browser",
        "--allow-root",
        "--ServerApp.ip=127.0.0.1",
        f"--ServerApp.port={port}",
        "--ServerApp.port_retries=0",
        f"--IdentityProvider.token={token}",
        "--LabApp.news_url=None",
        "--LabApp.extension_manager=readonly",  # no PyPI queries from the extension panel
        f"--ServerApp.root_dir={root_dir}",
        f"--LabApp.user_settings_dir={home / 'settings'}",
        f"--LabApp.workspaces_dir={home / 'workspaces'}",
    ]
    log = open(log_path, "wb")
    proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, env=env, cwd=root_dir)
    log.close()
    server = LabServer(proc, f"http://127.0.0.1:{port}", token, root_dir, log_path)
    deadline = time.monotonic() + timeout
    while True:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with code {proc.returncode} before answering:\n{server.log_tail()}")
        try:
            server.api("GET", "/api/status", timeout=2)
            return server
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() > deadline:
            stop_processes([proc], "JupyterLab (did not start)")
            raise RuntimeError(f"JupyterLab did not answer /api/status within {timeout:.0f}s:\n{server.log_tail()}")
        time.sleep(0.2)  # polling a server that is not listening yet: there is nothing to wait on


def children(pid: int, recursive: bool = False) -> list:
    import psutil

    try:
        return psutil.Process(pid).children(recursive=recursive)
    except psutil.NoSuchProcess:
        return []


def descendants(pid: int) -> list:
    return children(pid, recursive=True)


def stop_processes(procs, what: str, timeout: float = 20) -> list[str]:
    """Terminate, wait, then kill the given processes (Popen or psutil.Process), by pid.

    Returns a description of every process that was still alive after SIGKILL (which
    should never happen) or that had to be killed; an empty list means a clean stop.
    """
    import psutil

    handles = []
    for proc in procs:
        try:
            handles.append(psutil.Process(proc.pid))
        except psutil.NoSuchProcess:
            continue
    for handle in handles:
        try:
            handle.send_signal(signal.SIGTERM)
        except psutil.NoSuchProcess:
            pass
    gone, alive = psutil.wait_procs(handles, timeout=timeout)
    problems = []
    for handle in alive:
        problems.append(f"{what}: pid {handle.pid} ignored SIGTERM for {timeout:.0f}s and was killed")
        try:
            handle.kill()
        except psutil.NoSuchProcess:
            pass
    _, still = psutil.wait_procs(alive, timeout=5)
    problems += [f"{what}: pid {h.pid} survived SIGKILL" for h in still]
    for proc in procs:  # reap our own children so no zombie stays behind
        if isinstance(proc, subprocess.Popen):
            try:
                proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                pass
    return problems


def trust_notebook(server: LabServer, path: Path) -> None:
    """Sign a notebook as the server's user, as JupyterLab does with one the learner saved:
    a trusted notebook's outputs are drawn with every renderer, the widget view included."""
    home = server.root_dir.parent
    subprocess.run([sys.executable, "-m", "nbformat.sign", str(path)], check=True, capture_output=True,
                   env={**os.environ, "JUPYTER_DATA_DIR": str(home / "data")})


def copy_notebooks(src: Path, dest: Path) -> Path:
    shutil.copytree(src, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


# ---------------------------------------------------------------- the page


FRONT_ENDS = {  # the same server serves both: notebook 7 is a JupyterLab-based server extension
    "lab": "/lab/tree/{name}?reset&",
    "notebook7": "/notebooks/{name}?",
}


def open_notebook(page, server: LabServer, name: str, front_end: str = "lab") -> None:
    """Open one notebook (in JupyterLab, in a fresh workspace, or in Notebook 7) and wait
    until its kernel is idle.

    A dialog instead (usually "Select Kernel": the notebook has no kernelspec in its
    metadata) is a failure: a learner would be stopped by it too.
    """
    page.goto(f"{server.url}{FRONT_ENDS[front_end].format(name=name)}token={server.token}")
    page.locator(f"{PANEL} .jp-Notebook .jp-Cell").first.wait_for(timeout=60_000)
    dialog = page.locator(".jp-Dialog")
    # the indicator also reads "idle" before a kernel is attached ("No Kernel")
    page.wait_for_function(
        """sel => document.querySelector('.jp-Dialog') || (
            document.querySelector(sel + ' .jp-KernelName')?.textContent.trim() !== 'No Kernel'
            && document.querySelector(sel + " .jp-Notebook-ExecutionIndicator[data-status='idle']"))""",
        arg=PANEL,
        timeout=60_000,
    )
    if dialog.count():
        raise AssertionError(
            f"{name}: JupyterLab opened a dialog instead of starting the kernel: "
            f"{dialog.first.text_content()!r} (does the notebook's metadata name a kernelspec?)"
        )


def menu_command(page, menu: str, command: str) -> None:
    """Click a top menu, then the item that runs `command` (its data-command)."""
    page.locator(".lm-MenuBar-item", has_text=re.compile(rf"^{re.escape(menu)}$")).click()
    page.locator(f".lm-Menu-item[data-command='{command}']").click()


_RUN_STATE_JS = """
([panelSel, errPattern]) => {
  const panel = document.querySelector(panelSel);
  if (!panel) return 'no-panel';
  const indicator = panel.querySelector('.jp-Notebook-ExecutionIndicator');
  const idle = indicator && indicator.dataset.status === 'idle';
  const err = new RegExp(errPattern);
  const failed = [...panel.querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")]
    .some(node => err.test(node.textContent));
  if (failed && idle) return 'error';
  const pending = [...panel.querySelectorAll('.jp-CodeCell')].filter(cell => {
    const source = cell.querySelector('.jp-InputArea-editor');
    if (source && source.textContent.trim() === '') return false;  // empty cells never get a count
    const prompt = cell.querySelector('.jp-InputArea-prompt');
    return !prompt || !/^\\[\\d+\\]:$/.test(prompt.textContent.trim());
  });
  return pending.length === 0 && idle ? 'done' : 'running:' + pending.length;
}
"""


def run_all(page) -> None:
    """Clear every output, run all cells, wait until every code cell has a fresh count.

    Clearing first makes "execution has finished" observable: each prompt goes from
    `[ ]:` through `[*]:` to `[n]:`, and the kernel indicator returns to idle. A cell
    that raises stops the run; that state is reported too, and `errors()` names it.
    """
    menu_command(page, "Edit", "editmenu:clear-all")
    page.wait_for_function(
        "sel => [...document.querySelectorAll(sel + ' .jp-CodeCell .jp-InputArea-prompt')].every(p => !/\\d/.test(p.textContent))",
        arg=PANEL,
    )
    menu_command(page, "Run", "runmenu:run-all")
    page.wait_for_function(
        f"args => {{ const s = ({_RUN_STATE_JS})(args); return s === 'done' || s === 'error'; }}",
        arg=[PANEL, ERROR_WORDS.pattern],
        timeout=RUN_TIMEOUT_MS,
        polling=100,
    )


def _where(output) -> str:
    """The first line of the code cell an output belongs to, for failure messages."""
    source = output.locator("xpath=ancestor::div[contains(@class,'jp-CodeCell')][1]").locator(".jp-InputArea-editor")
    text = (source.first.text_content() or "").strip() if source.count() else ""
    return f"in the cell {text.splitlines()[0][:80]!r}: " if text else ""


def stderr_outputs(page) -> tuple[list[str], list[str]]:
    """(errors, other stderr) in the open notebook.

    Errors are tracebacks and widget views that failed to draw; the rest of stderr (warnings, library chatter) is returned separately so a
    test can report it. Text is read with textContent: cells scrolled out of view are
    not rendered (CSS content-visibility), so their innerText is empty.
    """
    found, other = [], []
    stderr = page.locator(f"{PANEL} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    for i in range(stderr.count()):
        text = stderr.nth(i).text_content().strip()
        (found if ERROR_WORDS.search(text) else other).append(_where(stderr.nth(i)) + text)
    broken = page.locator(f"{PANEL} .jp-OutputArea-output", has_text="Error displaying widget")
    for i in range(broken.count()):
        found.append(_where(broken.nth(i)) + broken.nth(i).text_content().strip())
    return found, other


def undrawn_charts(page) -> list[str]:
    """matplotlib Figures shown only as their repr, `<Figure size 900x544 with 2 Axes>`:
    the learner sees that line instead of the chart (no image formatter in the kernel)."""
    plain = page.locator(f"{PANEL} .jp-OutputArea-output[data-mime-type='text/plain']", has_text=UNDRAWN_FIGURE)
    return [f"{_where(plain.nth(i))}{plain.nth(i).text_content().strip()}" for i in range(plain.count())]


def errors(page) -> list[str]:
    return stderr_outputs(page)[0]


def screenshot_notebook(page, path: Path, max_height: int = 20_000) -> None:
    """Save the whole notebook, not only the visible part.

    JupyterLab scrolls the notebook inside a fixed-size page, so a "full page"
    screenshot is just the viewport: grow the viewport until the last cell fits, take
    the picture, put the viewport back. Cells off screen are laid out with estimated
    heights (CSS content-visibility), so grow until the measured height stops changing.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    size = page.viewport_size
    measure = """sel => new Promise(resolve => requestAnimationFrame(() => requestAnimationFrame(() => {
      const outer = document.querySelector(sel + ' .jp-WindowedPanel-outer');
      const cells = document.querySelectorAll(sel + ' .jp-Cell');
      if (!outer || !cells.length) return resolve(null);
      outer.scrollTop = 0;
      const top = outer.getBoundingClientRect().top;
      const content = cells[cells.length - 1].getBoundingClientRect().bottom - top + 24;
      resolve({content: Math.ceil(content), chrome: window.innerHeight - outer.clientHeight});
    })))"""
    try:
        height = size["height"]
        for _ in range(6):
            box = page.evaluate(measure, PANEL)
            if box is None:
                break
            wanted = min(max(size["height"], box["chrome"] + box["content"]), max_height)
            if wanted == height:
                break
            height = wanted
            page.set_viewport_size({"width": size["width"], "height": height})
        page.evaluate("document.fonts.ready.then(() => true)")
        page.screenshot(path=str(path), full_page=True)
    finally:
        page.set_viewport_size(size)


# ---------------------------------------------------------------- the quiz (docs/CONTRACTS.md)

FEEDBACK = {
    "en": {"right": "Correct", "wrong": "Not quite"},
    "zh": {"right": "回答正确", "wrong": "还不对"},
}


def choice_questions(bank) -> list:
    """Questions answered by picking one labelled radio button."""
    return [q for q in bank.questions if q.type in ("single_choice", "true_false")]


def choice_label(q, lang: str, right: bool) -> str:
    """The label of a right (or a wrong) choice of a single-choice or true/false question."""
    from mediation_lessons.quiz.i18n import label

    if q.type == "true_false":
        return label("true" if q.answer == right else "false", lang)
    for option in q.options:
        if option.correct == right:
            return option.label(lang)
    raise AssertionError(f"question {q.id} has no {'right' if right else 'wrong'} option")


def quiz(page):
    return page.locator(f"{PANEL} .ml-quiz")


def card(page, q):
    return quiz(page).locator(f".ml-q-{q.id}")


def answer(page, q, right: bool, lang: str = "en") -> None:
    """Pick the right (or a wrong) radio button of `q` and press Check."""
    box = card(page, q)
    box.scroll_into_view_if_needed()
    box.get_by_label(choice_label(q, lang, right), exact=True).check()
    box.locator(".ml-check").click()


def overlapping_choices(card) -> list[str]:
    """Choices of a radio question drawn over one another (a long option must wrap, not overlap)."""
    return card.locator(".widget-radio-box").evaluate("""box => {
      // the drawn text, not the label box: a fixed-height label lets its text spill over the next
      const rects = [...box.querySelectorAll('label')].map(l => {
        const range = document.createRange(); range.selectNodeContents(l);
        return [l.textContent.trim(), range.getBoundingClientRect()];
      });
      const out = [];
      for (let i = 1; i < rects.length; i++)
        if (rects[i][1].top < rects[i - 1][1].bottom - 1) out.push(rects[i - 1][0] + ' / ' + rects[i][0]);
      return out;
    }""")


def tab_until(page, locator, limit: int) -> bool:
    """Press Tab until `locator` has the keyboard focus; False after `limit` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("el => el === document.activeElement"):
            return True
    return False


# ---------------------------------------------------------------- accessibility


def axe_violations(page, selector: str, impacts=("critical", "serious")) -> list[str]:
    """axe-core's violations of `impacts` inside the first element matching `selector`.

    axe-core comes from the axe-playwright-python package (its bundled axe.min.js),
    injected into the page: nothing is downloaded. The scan is scoped to the element,
    since JupyterLab's own chrome has violations of its own.
    """
    from axe_playwright_python.base import AXE_SCRIPT

    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SCRIPT)
    result = page.evaluate(
        """async sel => {
          const root = document.querySelector(sel);
          if (!root) return null;
          const r = await axe.run(root, {resultTypes: ['violations']});
          return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => n.target.join(' ') + ' :: ' + n.html.slice(0, 160))}));
        }""",
        selector,
    )
    if result is None:
        raise AssertionError(f"nothing matches {selector!r} to scan")
    return [f"{v['impact']} {v['id']} ({v['help']}):\n    " + "\n    ".join(v["nodes"][:6])
            for v in result if v["impact"] in impacts]


def focus_is_inside(page, selector: str) -> bool:
    return page.evaluate("sel => !!document.activeElement && !!document.activeElement.closest(sel)", selector)


def active_description(page) -> str:
    """What has the focus, for failure messages."""
    return page.evaluate("""() => { const e = document.activeElement; if (!e) return 'nothing';
      return e.tagName + '.' + [...e.classList].join('.') + ' ' + JSON.stringify((e.textContent || e.value || '').slice(0, 60)); }""")


def wait_kernel_settled(page, quiet_ms: int = 400, timeout_ms: int = 30_000) -> None:
    """Wait until the kernel has been idle for `quiet_ms` on end.

    ipywidgets keeps one message per widget in flight and sends a control's newer value
    only when the kernel has answered the last one; keys pressed at test speed can
    otherwise reach Check before the value they chose reaches the kernel.
    """
    page.wait_for_function(
        """([sel, quiet]) => {
          const ind = document.querySelector(sel + ' .jp-Notebook-ExecutionIndicator');
          const now = performance.now();
          if (!ind || ind.dataset.status !== 'idle') { window.__mlIdleSince = null; return false; }
          window.__mlIdleSince = window.__mlIdleSince || now;
          return now - window.__mlIdleSince >= quiet;
        }""",
        arg=[PANEL, quiet_ms], polling=50, timeout=timeout_ms,
    )
