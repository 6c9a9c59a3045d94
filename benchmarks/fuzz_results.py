"""The long run of the results property test: N handed-in folders (default 20,000),
each merged or refused; prints how many raised anything but DataError.

    python benchmarks/fuzz_results.py [N]

Same strategies as tests/teacher/test_results_properties.py (about 1,000 there), fixed
seed, so a run is reproducible. Exit status 1 when any unexpected exception occurred.
"""

from __future__ import annotations

import argparse
import collections
import os
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "teacher"))

from hypothesis import HealthCheck, given, seed, settings  # noqa: E402

from mediation_lessons.paths import ROOT_ENV  # noqa: E402
from results_fuzz import check_folder, class_folders, make_data_root  # noqa: E402


def main(n: int = 20_000) -> int:
    # thousands of generated files: keep their parses out of the user's cache
    os.environ.setdefault("MEDIATION_LESSONS_CACHE", tempfile.mkdtemp(prefix="mediation-lessons-fuzz-"))
    seen = collections.Counter()
    first: dict[str, str] = {}
    examples = 0

    @seed(20260302)
    @settings(max_examples=n, deadline=None, database=None, suppress_health_check=list(HealthCheck))
    @given(class_folders)
    def run(files):
        nonlocal examples
        examples += 1
        try:
            check_folder(files)
        except Exception as exc:  # noqa: BLE001 - counting them is the point
            where = traceback.extract_tb(exc.__traceback__)[-1]
            key = f"{type(exc).__name__} at {Path(where.filename).name}:{where.lineno}"
            seen[key] += 1
            first.setdefault(key, f"{exc!r:.300} with files {files!r:.500}")

    t = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ[ROOT_ENV] = str(make_data_root(Path(tmp)))
        run()
    unexpected = sum(seen.values())
    print(f"results fuzz: {examples:,} handed-in folders, {unexpected} unexpected exceptions "
          f"({time.perf_counter() - t:.0f} s)")
    for key, count in seen.most_common():
        print(f"  {count} x {key}: {first[key]}")
    return 1 if unexpected else 0


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("n", type=int, nargs="?", default=20_000, help="how many folders (default 20,000)")
    sys.exit(main(parser.parse_args().n))
