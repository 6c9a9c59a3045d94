"""Property tests: any input to a data reader loads or raises DataError, nothing else.

Fixed seed (derandomize) so a failure is reproducible; the longer run is
``benchmarks/fuzz_inputs.py`` (20,000 examples). 1,000 examples for YAML text; fewer
where one example costs more (600 banks, 400 progress folders, 300 or 120 corpus files
written and read back), so the module stays within about 30 s on a loaded machine.
"""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_cases import TARGETS
from mediation_lessons.errors import DataError
from mediation_lessons.yamlio import parse_yaml

FIXED = settings(derandomize=True, deadline=None, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


def loads_or_data_error(target, seed):
    try:
        TARGETS[target](random.Random(seed))
    except DataError:
        pass


@settings(FIXED, max_examples=1000)
@given(st.lists(st.sampled_from(list(":-[]{}'\"&*!|>#%@?,~ \n\tab1.") + ["!!int ", "&a ", "*a", "<<: ", "2025-02-30"]), max_size=60).map("".join))
def test_any_yaml_text_loads_or_raises_data_error(text):
    try:
        parse_yaml(text, "x.yaml")
    except DataError as exc:
        assert exc.problems and all(p.file == "x.yaml" for p in exc.problems)


@settings(FIXED, max_examples=600)
@given(st.integers(0, 2**32))
def test_any_bank_loads_or_raises_data_error(seed):
    loads_or_data_error("bank", seed)


@settings(FIXED, max_examples=400)  # each example makes a folder, locks and fsyncs
@given(st.integers(0, 2**32))
def test_any_progress_file_is_read_never_raises(seed):
    loads_or_data_error("progress", seed)  # the store sets damage aside; it never raises


@pytest.mark.parametrize("target, examples", [("documents.yaml", 300), ("cleaning.yaml", 300), ("events.yaml", 120)])
def test_any_corpus_yaml_loads_or_raises_data_error(target, examples):
    @settings(FIXED, max_examples=examples)  # each example writes and re-reads a corpus file
    @given(st.integers(0, 2**32))
    def run(seed):
        loads_or_data_error(target, seed)

    run()
