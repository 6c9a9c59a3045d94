"""Fuzz the data readers with 20,000 bad inputs; print how many raised anything but the
package's own DataError (must be 0).

    python benchmarks/fuzz_inputs.py [--count N] [--only TARGET ...]

The inputs are deterministic (example i uses random.Random(i)) and come from
``tests/fuzz_cases.py``: mutated quiz banks, corpus files (documents, cleaning rules,
events) and progress files. Register another reader there, in TARGETS.
"""

from __future__ import annotations

import argparse
import collections
import os
import random
import sys
import tempfile
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz_cases import TARGETS  # noqa: E402

from mediation_lessons.errors import DataError  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=20_000)
    parser.add_argument("--only", nargs="*", choices=sorted(TARGETS), help="fuzz only these readers")
    args = parser.parse_args()
    # thousands of generated files: keep their parses out of the user's cache
    os.environ.setdefault("MEDIATION_LESSONS_CACHE", tempfile.mkdtemp(prefix="mediation-lessons-fuzz-"))
    names = args.only or list(TARGETS)
    outcome: collections.Counter[str] = collections.Counter()
    unexpected: dict[str, str] = {}
    start = time.perf_counter()
    for i in range(args.count):
        name = names[i % len(names)]
        try:
            TARGETS[name](random.Random(i))
            outcome[f"{name}: loaded"] += 1
        except DataError:
            outcome[f"{name}: DataError"] += 1
        except Exception as exc:  # noqa: BLE001 - counting exactly these
            key = f"{name}: {exc.__class__.__name__}"
            outcome[key] += 1
            unexpected.setdefault(key, f"example {i}:\n{traceback.format_exc()}")
    elapsed = time.perf_counter() - start
    for key, n in sorted(outcome.items()):
        print(f"{n:>7,}  {key}")
    for key, text in unexpected.items():
        print(f"\n--- first {key} ---\n{text}", file=sys.stderr)
    count = sum(n for key, n in outcome.items() if not key.endswith(("loaded", "DataError")))
    print(f"{args.count:,} examples in {elapsed:.0f} s: {count} unexpected exception(s)")
    return 1 if count else 0


if __name__ == "__main__":
    sys.exit(main())
