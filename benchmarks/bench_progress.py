"""Progress store timings: one save (a learner's click on "Check") with 10 and with
100,000 attempts already in the file, and the one full read a new kernel pays.

    python benchmarks/bench_progress.py [--repeat N]

A save appends one line under the file lock and fsyncs it, after reading only what other
kernels appended since, so its cost should not grow with the file.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from mediation_lessons.quiz.progress import ProgressStore


def filled(directory: Path, n: int) -> ProgressStore:
    store = ProgressStore(directory)
    records = [
        {"learner": f"learner-{i % 40}", "quiz": "01_gaza_talks_2023_2024", "question": f"q-{i % 15}",
         "attempt": i // 600 + 1, "score": 1.0, "status": "correct", "answer": [0, 2],
         "time": "2026-01-01T00:00:00+00:00"}
        for i in range(n)
    ]
    directory.mkdir(parents=True, exist_ok=True)
    store._write_whole(records)  # fast set-up: the file as n saves would have left it
    return ProgressStore(directory)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    for n in (10, 100_000):
        with tempfile.TemporaryDirectory() as tmp:
            store = filled(Path(tmp) / "progress", n)
            start = time.perf_counter()
            store.records()
            first = time.perf_counter() - start
            times = []
            for i in range(args.repeat):
                start = time.perf_counter()
                store.record("Ada", "01_gaza_talks_2023_2024", f"q-{i % 15}", 1, 1.0, "correct")
                times.append(time.perf_counter() - start)
            print(f"save with {n:>7,} attempts: median {statistics.median(times) * 1000:.2f} ms, "
                  f"best {min(times) * 1000:.2f} ms (first read of the file: {first * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
