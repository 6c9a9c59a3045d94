"""`mediation-lessons` as a teacher runs it: exit codes and messages."""

import subprocess
import sys

from helpers import REPO, copy_data, replace_in


def run_cli(*args, cwd=None):
    return subprocess.run(
        [sys.executable, "-m", "mediation_lessons.cli", *args],
        capture_output=True, text=True, cwd=cwd, encoding="utf-8",
    )


def test_validate_repository_exits_zero():
    result = run_cli("validate", str(REPO))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ok:")


def test_validate_lists_every_problem_and_exits_nonzero(tmp_path):
    root = copy_data(tmp_path)
    replace_in(root / "corpus" / "documents.yaml", "quote: 美国雷火平台", "quote: 美国雷火平台X")
    replace_in(root / "corpus" / "documents.yaml", "  outlet: 九万里 (named as 来源, source)\n", "")
    raw = root / "corpus" / "raw" / "004_898c8d6cff5ad214.txt"
    raw.write_bytes(raw.read_bytes() + b"\n")
    result = run_cli("validate", str(root))
    assert result.returncode == 1
    err = result.stderr
    assert "known_issues.0.quote" in err and "美国雷火平台X" in err
    assert "'outlet': missing required field" in err
    assert "'us-qatar-revisit-2023': field 'sha256': checksum mismatch" in err
    assert "problem(s) found" in err


def test_validate_a_folder_without_corpus(tmp_path):
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 2
    assert "no corpus/ folder" in result.stderr


def test_clean_regenerates_stale_files(tmp_path):
    root = copy_data(tmp_path)
    stale = root / "corpus" / "clean" / "us-iran-oman-2026.txt"
    stale.write_text("old\n", encoding="utf-8")
    assert run_cli("validate", str(root)).returncode == 1
    result = run_cli("clean", str(root))
    assert result.returncode == 0, result.stderr
    assert (REPO / "corpus" / "clean" / "us-iran-oman-2026.txt").read_text(encoding="utf-8") == stale.read_text(encoding="utf-8")
