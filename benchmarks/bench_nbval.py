"""Wall time of the strict nbval run over the lessons against as many empty notebooks.

Both runs use the same command (pytest --nbval --nbval-current-env, in this environment),
so the ratio shows what the lessons add on top of pytest and kernel start-up.
Target: ratio at most 1.5. Usage: python benchmarks/bench_nbval.py [--repeat N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

REPO = Path(__file__).resolve().parents[1]


def timed_run(paths: list[Path], cwd: Path) -> float:
    cmd = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--nbval", "--nbval-current-env",
           "--rootdir", str(cwd), *map(str, paths)]
    start = time.perf_counter()
    result = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"nbval run failed:\n{result.stdout[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    lessons = sorted((REPO / "notebooks").glob("*.ipynb"))
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        empties = []
        for lesson in lessons:
            # one cell that does nothing: nbval starts a kernel only for a notebook with a cell
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass", execution_count=1)])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
            path = tmp / lesson.name
            nbformat.write(nb, path)
            empties.append(path)
        lesson_times, empty_times = [], []
        for _ in range(args.repeat):
            empty_times.append(timed_run(empties, tmp))
            lesson_times.append(timed_run(lessons, REPO))
    lesson_t, empty_t = statistics.median(lesson_times), statistics.median(empty_times)
    print(f"notebooks: {len(lessons)}, runs: {args.repeat} (median)")
    print(f"lessons under strict nbval: {lesson_t:.2f} s")
    print(f"empty notebooks, same way:  {empty_t:.2f} s")
    print(f"ratio: {lesson_t / empty_t:.2f} (target <= 1.5)")


if __name__ == "__main__":
    main()
