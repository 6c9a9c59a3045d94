#!/usr/bin/env python3
"""One entry point for a fresh clone; needs only Python 3.10+.

    python3 dev.py lab        set up .venv and open JupyterLab on the first lesson
    python3 dev.py test       set up .venv and run the whole test suite (pytest, strict nbval)
    python3 dev.py notebooks  re-execute every notebook in place (after changing a lesson)
    python3 dev.py bench      run the benchmark scripts
    python3 dev.py site       build the static site (Jupyter Book 1) into _build/site/html

Setting up means: create .venv beside this file if missing and install the package
editable with the extras that command needs. Extra arguments after `test` go to pytest,
after `lab` to JupyterLab (e.g. `--port 8899`, or `--allow-root` in a container).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

HERE = Path(__file__).resolve().parent
VENV = HERE / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PY = BIN / ("python.exe" if os.name == "nt" else "python")
FIRST_LESSON = "notebooks/00_start_here.ipynb"


def run(*cmd: str | Path, **kwargs) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True, cwd=HERE, **kwargs)


def setup(extra: str) -> None:
    if not PY.exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
        run(PY, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    run(PY, "-m", "pip", "install", "--quiet", "-e", f".[{extra}]")


def execute_notebooks(paths: list[Path]) -> None:
    """Run each notebook top to bottom in a fresh kernel and save it with its outputs."""
    import nbformat
    from nbclient import NotebookClient

    env_data = os.environ.setdefault("MEDIATION_LESSONS_DATA", str(HERE / "artifacts" / "notebook-progress"))
    Path(env_data).mkdir(parents=True, exist_ok=True)
    for path in paths:
        print(f"executing {path.relative_to(HERE)}", flush=True)
        nb = nbformat.read(path, as_version=4)
        # widget state and timings off: random model ids and timestamps would make every
        # run differ from the last
        client = NotebookClient(nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}},
                                store_widget_state=False, record_timing=False)
        client.execute()
        nb.metadata.pop("widgets", None)
        nbformat.write(nb, path)


SITE = HERE / "site"
SITE_GENERATED = SITE / "_generated"


def lesson_title(notebook: Path) -> str:
    """'NN · English title · 中文标题' from the lesson's quiz bank (the notebook's name when it has none)."""
    import yaml

    bank = HERE / "quizzes" / f"{notebook.stem}.yaml"
    if not bank.is_file():
        return notebook.stem.replace("_", " ")
    title = yaml.safe_load(bank.read_text(encoding="utf-8"))["title"]
    return f"{notebook.stem[:2]} · {title['en']} · {title['zh']}"


def write_site_sources() -> Path:
    """The site's generated pages: the front page (the README's lesson table) and the
    table of contents (every lesson, with its bilingual title). Returns the toc's path."""
    import json

    SITE_GENERATED.mkdir(parents=True, exist_ok=True)
    readme = (HERE / "README.md").read_text(encoding="utf-8")
    intro = readme.split("## Two commands")[0].split("\n", 1)[1]
    lessons = "## The lessons" + readme.split("## The lessons", 1)[1].split("\n## ", 1)[0]
    front = "# Mediation lessons · 调停课程\n" + intro + "\n" + lessons
    # links in the README are relative to the repository root
    front = front.replace("](notebooks/", "](../../notebooks/")
    (SITE_GENERATED / "index.md").write_text(front, encoding="utf-8")
    chapters = "".join(
        f"      - file: notebooks/{nb.stem}\n        title: {json.dumps(lesson_title(nb), ensure_ascii=False)}\n"
        for nb in sorted((HERE / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    )
    toc = SITE_GENERATED / "_toc.yml"
    toc.write_text(
        "format: jb-book\nroot: site/_generated/index\nparts:\n"
        "  - caption: Lessons · 课程\n    chapters:\n" + chapters,
        encoding="utf-8",
    )
    return toc


def build_site(out: Path = HERE / "_build" / "site") -> Path:
    """Build the site with the Jupyter Book of the running Python; returns its html folder."""
    toc = write_site_sources()
    jupyter_book = Path(sys.executable).parent / ("jupyter-book.exe" if os.name == "nt" else "jupyter-book")
    run(jupyter_book, "build", HERE, "--config", SITE / "_config.yml", "--toc", toc,
        "--path-output", out, "--warningiserror", "--quiet", stdout=subprocess.DEVNULL)
    return out / "_build" / "html"


def main(argv: list[str]) -> int:
    command = argv[0] if argv else "help"
    if command == "lab":
        setup("lab")
        run(BIN / "jupyter", "lab", FIRST_LESSON, *argv[1:])
    elif command == "test":
        setup("test")
        run(PY, "-m", "pytest", "--nbval", "--nbval-current-env", *argv[1:])
    elif command == "notebooks":
        setup("test")
        targets = [Path(a).resolve() for a in argv[1:]] or sorted(p for p in (HERE / "notebooks").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        run(PY, __file__, "_execute", *targets)
    elif command == "_execute":
        execute_notebooks([Path(a) for a in argv[1:]])
    elif command == "site":
        setup("site")
        run(PY, __file__, "_site")
    elif command == "_site":
        print(f"site: {build_site() / 'index.html'}")
    elif command == "bench":
        setup("test")
        for script in sorted((HERE / "benchmarks").glob("bench_*.py")):
            run(PY, script)
    else:
        print(__doc__)
        return 0 if command in ("help", "-h", "--help") else 2
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except subprocess.CalledProcessError as exc:
        sys.exit(exc.returncode or 1)
