"""The teacher's tests share tests/helpers.py with the rest of the suite."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
