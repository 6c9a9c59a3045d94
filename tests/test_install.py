"""A non-editable install works from any directory: the data ships inside the wheel."""

import os
import shutil
import subprocess
import sys

import pytest

from helpers import REPO


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git to list the tracked files")
def test_wheel_install_loads_the_five_documents_from_another_directory(tmp_path):
    # build from a copy of the tracked files, as a fresh clone would
    src = tmp_path / "src"
    files = subprocess.run(["git", "ls-files", "-co", "--exclude-standard"], cwd=REPO, capture_output=True, text=True, check=True).stdout.split()
    for rel in files:
        if (REPO / rel).is_file():
            (src / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(REPO / rel, src / rel)
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(wheels), str(src)], check=True)
    target = tmp_path / "site"
    wheel = next(wheels.glob("*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k != "MEDIATION_LESSONS_ROOT"}
    env["PYTHONPATH"] = str(target)
    code = (
        "import mediation_lessons, pathlib; from mediation_lessons import load_corpus; c = load_corpus(); "
        "print(pathlib.Path(mediation_lessons.__file__).parent); print(len(c.documents())); "
        "print(c.resolve('us-iran-oman-2026', '同楼不同室').paragraph); "
        "r = c.reader('us-iran-oman-2026'); print(sum(1 for row in r.rows if row.en) == r.total)"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=elsewhere, env=env, capture_output=True, text=True, check=True).stdout.split()
    assert out[0].startswith(str(target)), "imported the checkout, not the installed wheel"
    assert out[1] == "5"
    assert int(out[2]) >= 0
    assert (target / "mediation_lessons" / "_data" / "corpus" / "raw").is_dir()
    assert out[3] == "True", "the parallel reader ships with the wheel, every paragraph translated"
    assert (target / "mediation_lessons" / "_data" / "quizzes").is_dir()
    # the teacher's commands work from the installed wheel too
    key = subprocess.run([sys.executable, "-m", "mediation_lessons.cli", "key", "04_us_iran_oman_2026", "--out", "keys"],
                         cwd=elsewhere, env=env, capture_output=True, text=True)
    assert key.returncode == 0, key.stderr
    assert "阿曼" in (elsewhere / "keys" / "answer-key-04_us_iran_oman_2026.html").read_text(encoding="utf-8")
    export = subprocess.run([sys.executable, "-m", "mediation_lessons.cli", "export", "04_us_iran_oman_2026",
                             "--format", "moodle-xml", "--out", "lms"], cwd=elsewhere, env=env, capture_output=True, text=True)
    assert export.returncode == 0, export.stderr
    assert '<question type="multichoice">' in (elsewhere / "lms" / "04_us_iran_oman_2026-both.moodle.xml").read_text(encoding="utf-8")
