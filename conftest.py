"""Repository-wide pytest setup: nbval's sanitize file and a private progress store."""

import os
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    # nbval resolves this path from the current directory, not the rootdir: make it absolute
    if getattr(config.option, "nbval", False) and not config.option.nbval_sanitize_with:
        config.option.nbval_sanitize_with = str(HERE / "tests" / "nbval_sanitize.cfg")
    # Set here, before nbval starts kernels, so no test or notebook kernel ever reads or
    # writes a real learner's progress file.
    os.environ["MEDIATION_LESSONS_DATA"] = tempfile.mkdtemp(prefix="mediation-lessons-progress-")
    # Nor the user's content-keyed cache (charts, parsed data, term counts): the tests run
    # as on a fresh machine and leave nothing behind. A cache set on purpose is kept
    # (benchmarks/bench_nbval.py times warm runs with its own).
    os.environ.setdefault("MEDIATION_LESSONS_CACHE", tempfile.mkdtemp(prefix="mediation-lessons-cache-"))
