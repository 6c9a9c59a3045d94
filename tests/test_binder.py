"""The Binder configuration: what repo2docker would build, without Docker.

`jupyter-repo2docker --no-build --debug` prints the Dockerfile it would build and
exits; it needs neither a container engine nor the network. The tests run it on a
copy of the working tree and check that the image gets the pinned Python, installs
binder/requirements.txt from the repository root after the whole repository has been
copied (so its `-e .` line is this package), and that the pins hang together. The
badge test checks the Binder links in the README point at a notebook that exists.
`binder/postBuild` runs the lessons once at build time, so the image holds a warm cache.
"""

from __future__ import annotations

import importlib.util
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from mediation_lessons.cache import CACHE_ENV

REPO = Path(__file__).resolve().parents[1]
BINDER = REPO / "binder"
FIRST_LESSON = "notebooks/00_start_here.ipynb"
SKIP_DIRS = (".git", ".venv", "artifacts", "__pycache__", ".pytest_cache", ".hypothesis", "build", "dist", "*.egg-info")


def requirement_lines() -> list[str]:
    return [line.strip() for line in (BINDER / "requirements.txt").read_text().splitlines()]


def pins() -> dict[str, str]:
    found = {}
    for line in requirement_lines():
        if not line or line.startswith("#") or line.startswith("-e"):
            continue
        name, sep, version = line.partition("==")
        assert sep, f"binder/requirements.txt: {line!r} is not pinned with =="
        found[re.sub(r"[-_.]+", "-", name).lower()] = version
    return found


def runtime_python() -> str:
    text = (BINDER / "runtime.txt").read_text().strip()
    match = re.fullmatch(r"python-(3\.\d+)", text)
    assert match, f"binder/runtime.txt must read python-3.N, found {text!r}"
    return match.group(1)


@pytest.fixture(scope="module")
def repo2docker_build(tmp_path_factory):
    # part of the [test] extra: a missing install fails here rather than skipping the check
    assert importlib.util.find_spec("repo2docker"), "jupyter-repo2docker is not installed: pip install -e '.[test]'"
    copy = tmp_path_factory.mktemp("binder") / "repo"
    shutil.copytree(REPO, copy, ignore=shutil.ignore_patterns(*SKIP_DIRS))
    result = subprocess.run(
        [sys.executable, "-m", "repo2docker", "--no-build", "--no-run", "--debug", str(copy)],
        capture_output=True, text=True, timeout=300, cwd=copy.parent,
    )
    assert result.returncode == 0, f"repo2docker failed ({result.returncode}):\n{result.stderr[-3000:]}"
    return result.stdout, result.stderr


def test_runtime_pins_python():
    version = runtime_python()
    assert version in ("3.10", "3.11", "3.12", "3.13"), f"Python {version} is outside the versions the package supports"


def test_requirements_install_the_package_and_pin_the_stack():
    lines = requirement_lines()
    assert "-e ." in lines, "binder/requirements.txt must install this repository with a '-e .' line"
    assert lines[0].startswith("#"), "binder/requirements.txt should start with a comment line (a file holding only '.' is misread)"
    pinned = pins()
    for name in ("jupyterlab", "ipywidgets", "jupyterlab-widgets", "widgetsnbextension", "notebook",
                 "pandas", "matplotlib", "pyyaml", "jieba"):
        assert name in pinned, f"binder/requirements.txt does not pin {name}"
    # a 7/8 mix fails silently in the browser
    assert pinned["ipywidgets"].startswith("8."), pinned["ipywidgets"]
    assert pinned["jupyterlab-widgets"].startswith("3."), pinned["jupyterlab-widgets"]
    assert pinned["widgetsnbextension"].startswith("4."), pinned["widgetsnbextension"]
    # notebook 7.N is built for JupyterLab 4.N; the image's own notebook would refuse another Lab
    lab_minor = pinned["jupyterlab"].split(".")[:2]
    nb_minor = pinned["notebook"].split(".")[:2]
    assert lab_minor[0] == "4" and nb_minor == ["7", lab_minor[1]], (
        f"notebook {pinned['notebook']} does not go with jupyterlab {pinned['jupyterlab']}"
    )


def test_every_runtime_dependency_is_pinned_for_binder():
    """What the package needs at run time is pinned, so Binder builds what the tests ran."""
    # the [project] dependencies list (tomllib is not in Python 3.10)
    block = re.search(r"^dependencies = \[(.*?)^\]", (REPO / "pyproject.toml").read_text(), re.M | re.S).group(1)
    from packaging.requirements import Requirement

    deps = [Requirement(d) for d in re.findall(r'"([^"]+)"', block)] + [Requirement("jupyterlab")]
    assert len(deps) >= 8, deps
    # a dependency only for other Pythons (e.g. tomli before 3.11) is not installed on Binder
    on_binder = [d for d in deps if d.marker is None or d.marker.evaluate({"python_version": runtime_python()})]
    names = {re.sub(r"[-_.]+", "-", d.name).lower() for d in on_binder}
    missing = sorted(names - set(pins()))
    assert not missing, f"binder/requirements.txt does not pin {missing}"


def test_repo2docker_uses_the_binder_folder(repo2docker_build):
    dockerfile, log = repo2docker_build
    assert "Python version unspecified" not in log, log
    # the environment lock file is copied under an escaped name (escapism, '-' as escape)
    # followed by '-' and a short hash
    from escapism import unescape

    locks = [
        unescape(m.group(1), escape_char="-")
        for m in re.finditer(r"^COPY \S+ build_script_files/(\S+)-[0-9a-f]+ /tmp/env/environment\.lock$", dockerfile, re.M)
    ]
    wanted = f"environment.py-{runtime_python()}-linux-64.lock"
    assert any(wanted in lock for lock in locks), (
        f"the generated Dockerfile does not build from {wanted}; it copies {locks}:\n{dockerfile}"
    )


def test_repo2docker_installs_the_package_from_the_repository_root(repo2docker_build):
    dockerfile, _ = repo2docker_build
    lines = dockerfile.splitlines()
    install = [i for i, line in enumerate(lines) if re.search(r'pip install .*-r "?binder/requirements\.txt', line)]
    assert install, f"the generated Dockerfile never installs binder/requirements.txt:\n{dockerfile}"
    copy_repo = [i for i, line in enumerate(lines) if re.match(r"COPY .*\bsrc/ \$\{REPO_DIR\}/$", line)]
    assert copy_repo and copy_repo[0] < install[0], (
        "binder/requirements.txt is installed before the repository is copied in, so '-e .' would find no package"
    )
    workdirs = [line for line in lines[: install[0]] if line.startswith("WORKDIR")]
    # pip resolves '-e .' against its working directory, not the requirements file's folder
    assert workdirs and workdirs[-1] == "WORKDIR ${REPO_DIR}", workdirs


def test_repo2docker_runs_post_build_after_installing_the_package(repo2docker_build):
    dockerfile, _ = repo2docker_build
    lines = dockerfile.splitlines()
    install = [i for i, line in enumerate(lines) if "binder/requirements.txt" in line and "pip install" in line]
    post_build = [i for i, line in enumerate(lines) if line.strip() == "RUN ./binder/postBuild"]
    assert install and post_build and install[0] < post_build[0], dockerfile


def test_post_build_leaves_a_cache_that_makes_the_first_visit_warm(tmp_path):
    """After postBuild, a visitor's kernel reads every chart the lessons show: no drawing,
    not even a matplotlib import."""
    post_build = BINDER / "postBuild"
    assert os.access(post_build, os.X_OK), "binder/postBuild must be executable"
    env = os.environ | {CACHE_ENV: str(tmp_path / "cache"), "MPLBACKEND": "",
                        "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])}
    subprocess.run([str(post_build)], cwd=tmp_path, env=env, check=True, capture_output=True, timeout=900)
    calls = sorted({
        line.strip()
        for path in (REPO / "notebooks").glob("[0-9]*.ipynb")
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"] if cell["cell_type"] == "code"
        for line in "".join(cell["source"]).splitlines()
        if re.match(r"(timeline|mention_heatmap|mediator_comparison|document_dates)\(", line.strip())
    })
    assert len(calls) >= 6, calls
    code = ("import sys\nfrom mediation_lessons.charts import *\n"
            + "".join(f"{call}._repr_mimebundle_()\n" for call in calls)
            + "assert 'matplotlib' not in sys.modules, 'a chart was drawn'\n")
    subprocess.run([sys.executable, "-c", code], cwd=REPO / "notebooks", env=env, check=True, timeout=300)


def binder_links() -> list[tuple[str, str]]:
    links = []
    for doc in (REPO / "README.md", REPO / "docs" / "binder_and_browser.md"):
        if doc.is_file():
            for url in re.findall(r"https://mybinder\.org/v2/gh/[^\s)\]>\"']+", doc.read_text()):
                links.append((doc.relative_to(REPO).as_posix(), url))
    return links


def test_binder_badge_opens_the_first_lesson_in_jupyterlab():
    links = binder_links()
    assert links, "no mybinder.org link in README.md or docs/binder_and_browser.md"
    for doc, url in links:
        match = re.fullmatch(r"https://mybinder\.org/v2/gh/([\w.-]+)/([\w.-]+)/HEAD\?urlpath=lab/tree/(\S+)", url)
        assert match, f"{doc}: {url} is not https://mybinder.org/v2/gh/<owner>/<repo>/HEAD?urlpath=lab/tree/<path>"
        path = match.group(3)
        assert path == FIRST_LESSON, f"{doc}: the badge opens {path}, not {FIRST_LESSON}"
        assert (REPO / path).is_file(), f"{doc}: the badge opens {path}, which does not exist"
