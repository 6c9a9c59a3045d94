"""Bank validation: every bad input named with file, question, field and line; fuzzing."""

import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mediation_lessons.corpus import load_corpus
from mediation_lessons.errors import DataError
from mediation_lessons.quiz.bank import check_banks, load_bank, parse_bank
from mediation_lessons.quiz.qtypes import QUESTION_TYPES
from quiz_support import BANK, SHOWN, line_with, load_test_bank

REPO = Path(__file__).resolve().parents[2]


def problems_of(text: str, expected_id: str = "99_test"):
    with pytest.raises(DataError) as info:
        parse_bank(text, SHOWN, load_corpus(), expected_id=expected_id)
    return info.value.problems


def only_problem(text: str):
    problems = problems_of(text)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.file == SHOWN
    return problem


def edit(old: str, new: str, text: str = BANK) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def test_test_bank_and_demo_bank_load_as_typed_objects():
    bank = load_test_bank()
    assert bank.id == "99_test" and bank.pass_mark == 0.6 and len(bank.questions) == 9
    single = bank.questions[0]
    assert single.options[0].correct and not single.options[1].correct
    assert single.options[1].text.en == "Qatar <i>&amp;</i>"  # HTML in a bank is kept as text
    demo = load_bank("00_start_here")
    assert set(q.type for q in demo.questions) == set(QUESTION_TYPES)
    assert all(q.sources for q in demo.questions)
    assert all(q.prompt.zh and q.prompt.en and q.explanation.zh and q.explanation.en for q in demo.questions)


def test_duplicate_id():
    text = edit("  - id: multi\n", "  - id: single\n")
    p = only_problem(text)
    assert (p.item, p.field, p.line) == ("single", "id", line_with(text, "- id: single", 2))
    assert "duplicate question id" in p.message


def test_unknown_type():
    text = edit("type: true_false", "type: yes_no")
    p = only_problem(text)
    assert (p.item, p.field, p.line) == ("tf", "type", line_with(text, "type: yes_no"))
    assert "unknown question type" in p.message and "'yes_no'" in p.message


def test_missing_language_in_prompt():
    text = edit('prompt: {en: "The page date is the date of the events.", zh: "网页日期就是事件日期。"}',
                'prompt: {en: "The page date is the date of the events."}')
    p = only_problem(text)
    assert (p.item, p.field, p.message) == ("tf", "prompt.zh", "missing required field")
    assert p.line == line_with(text, "The page date is the date")


def test_missing_language_deep_in_an_option():
    text = edit('- text: {en: "Turkey", zh: "土耳其"}', '- text: {en: "Turkey"}')
    p = only_problem(text)
    assert (p.item, p.field, p.line) == ("single", "options.2.text.zh", line_with(text, '{en: "Turkey"}'))


def test_missing_required_field_and_unknown_field():
    text = edit('    explanation: {en: "Chronological.", zh: "按时间。"}\n', '    explain: {en: "x", zh: "y"}\n')
    problems = problems_of(text)
    fields = {(p.item, p.field) for p in problems}
    assert ("order-it", "explanation") in fields
    assert any("unknown field" in p.message and "explain" in p.message for p in problems)


def test_no_correct_option():
    text = edit('      - {text: {en: "A", zh: "甲"}, correct: true}', '      - {text: {en: "A", zh: "甲"}}')
    text = edit('      - {text: {en: "C", zh: "丙"}, correct: true}', '      - {text: {en: "C", zh: "丙"}}', text)
    p = only_problem(text)
    assert (p.item, p.field) == ("multi", "options") and "no option is marked correct" in p.message
    assert p.line == line_with(text, "options:", 2)


def test_too_many_correct_options_in_single_choice():
    text = edit('      - text: {en: "Turkey", zh: "土耳其"}', '      - text: {en: "Turkey", zh: "土耳其"}\n        correct: true')
    p = only_problem(text)
    assert (p.item, p.field) == ("single", "options") and "2 options are marked correct" in p.message


def test_answer_naming_no_option():
    text = edit('    hint: {en: "Look at paragraph 15.", zh: "看第15段。"}\n', '    hint: {en: "Look at paragraph 15.", zh: "看第15段。"}\n    answer: 5\n')
    p = only_problem(text)
    assert (p.item, p.field, p.line) == ("single", "answer", line_with(text, "answer: 5"))
    assert "answer names no option: 5" in p.message


def test_answer_by_number_marks_the_option():
    text = edit('      - {text: {en: "A", zh: "甲"}, correct: true}', '      - {text: {en: "A", zh: "甲"}}')
    text = edit('      - {text: {en: "C", zh: "丙"}, correct: true}', '      - {text: {en: "C", zh: "丙"}}', text)
    text = edit('    explanation: {en: "A and C.", zh: "A 和 C。"}', '    explanation: {en: "A and C.", zh: "A 和 C。"}\n    answer: [1, 3]', text)
    bank = load_test_bank(text)
    assert bank.questions[1].correct_options == (0, 2)


def test_answer_disagreeing_with_correct_flags():
    text = edit('    explanation: {en: "A and C.", zh: "A 和 C。"}', '    explanation: {en: "A and C.", zh: "A 和 C。"}\n    answer: [2]')
    p = only_problem(text)
    assert (p.item, p.field) == ("multi", "answer") and "disagree" in p.message


def test_order_with_one_item():
    block = '''      - {en: "Second", zh: "第二"}
      - {en: "Third", zh: "第三"}
      - {en: "Fourth", zh: "第四"}
'''
    text = edit(block, "")
    p = only_problem(text)
    assert (p.item, p.field, p.line) == ("order-it", "items", line_with(text, "items:"))
    assert "at least 2 items, found 1" in p.message


def test_order_with_duplicate_items():
    text = edit('- {en: "Third", zh: "第三"}', '- {en: "First", zh: "第三"}')
    p = only_problem(text)
    assert (p.item, p.field) == ("order-it", "items.2.en") and "items 1 and 3" in p.message
    assert p.line == line_with(text, '{en: "First", zh: "第三"}')


def test_match_incomplete_and_duplicate_right_side():
    one_pair = '      - {left: {en: "Oman", zh: "阿曼"}, right: {en: "messenger", zh: "传话人"}}\n    explanation: {en: "As'
    start = BANK.index("    pairs:\n") + len("    pairs:\n")
    end = BANK.index('    explanation: {en: "As the texts say."')
    text = BANK[:start] + one_pair + BANK[end + len('    explanation: {en: "As'):]
    p = only_problem(text)
    assert (p.item, p.field) == ("match-it", "pairs") and "at least 2 pairs" in p.message
    text = edit('right: {en: "Paris meeting", zh: "巴黎会谈"}', 'right: {en: "messenger", zh: "巴黎会谈"}')
    p = only_problem(text)
    assert (p.item, p.field) == ("match-it", "pairs.3.right.en") and "right items" in p.message


def test_numeric_bad_range_and_missing_or_double_answer():
    p = only_problem(edit("range: [100, 110]", "range: [110, 100]"))
    assert (p.item, p.field) == ("hostages", "range") and "low is above high" in p.message
    p = only_problem(edit("    range: [100, 110]\n", ""))
    assert (p.item, p.field) == ("hostages", "answer") and "needs `answer`" in p.message
    p = only_problem(edit("    range: [100, 110]\n", "    range: [100, 110]\n    answer: 105\n"))
    assert "not both" in p.message
    p = only_problem(edit("    range: [100, 110]\n", "    range: [100, one hundred]\n"))
    assert (p.item, p.field) == ("hostages", "range.1")


def test_citation_unknown_document():
    text = edit("{doc: us-qatar-revisit-2023, quote:", "{doc: no-such-doc, quote:")
    p = only_problem(text)
    assert (p.item, p.field, p.line) == ("tf", "sources.0.doc", line_with(text, "no-such-doc"))
    assert "unknown document" in p.message


def test_citation_quote_not_found():
    text = edit("哈马斯释放了100名人质\"}\n  - id: match-it", "哈马斯释放了101名人质\"}\n  - id: match-it")
    p = only_problem(text)
    assert (p.item, p.field) == ("order-it", "sources.0.quote") and "not found" in p.message
    assert p.line == line_with(text, "哈马斯释放了101名人质")


def test_citation_ambiguous_and_in_evidence_option():
    text = edit('quote: "两国高层首次面对面会谈"', 'quote: "阿曼"')
    p = only_problem(text)
    assert (p.item, p.field) == ("evidence-it", "options.1.source.quote") and "ambiguous" in p.message


def test_bank_id_must_equal_file_stem():
    p = only_problem(edit("id: 99_test\n", "id: 98_other\n"))
    assert (p.item, p.field, p.line) == (None, "id", 1) and "must equal the file name" in p.message


def test_every_problem_is_reported_not_only_the_first():
    text = edit("type: true_false", "type: yes_no")
    text = edit("range: [100, 110]", "range: [110, 100]", text)
    text = edit("{doc: us-qatar-revisit-2023, quote:", "{doc: no-such-doc, quote:", text)  # inside the bad tf question
    text = edit('quote: "两国高层首次面对面会谈"', 'quote: "不存在的引文"', text)
    text = edit("  - id: multi\n", "  - id: single\n", text)
    problems = problems_of(text)
    seen = {(p.item, p.field) for p in problems}
    assert {("tf", "type"), ("hostages", "range"), ("evidence-it", "options.1.source.quote"), ("single", "id")} <= seen
    assert all(p.line for p in problems)
    assert "quizzes/99_test.yaml:" in str(DataError(problems))


def test_yaml_that_does_not_parse_names_the_line():
    text = BANK + "  - id: [unclosed\n"
    problems = problems_of(text)
    assert problems[0].line and problems[0].line >= len(BANK.splitlines())
    assert "YAML does not parse" in problems[0].message


def test_no_code_runs_from_yaml():
    problems = problems_of("!!python/object/apply:os.system ['echo pwned']\n")
    assert problems[0].file == SHOWN


def copy_root(tmp_path: Path) -> Path:
    shutil.copytree(REPO / "corpus", tmp_path / "corpus")
    (tmp_path / "quizzes").mkdir()
    return tmp_path


def test_check_banks_names_each_file(tmp_path):
    root = copy_root(tmp_path)
    (root / "quizzes" / "99_test.yaml").write_text(BANK, encoding="utf-8")
    (root / "quizzes" / "01_x.yaml").write_text(BANK.replace("type: true_false", "type: yes_no"), encoding="utf-8")
    shutil.copy(REPO / "quizzes" / "00_start_here.yaml", root / "quizzes")
    problems = check_banks(root)
    files = {(p.file, p.field) for p in problems}
    assert files == {("quizzes/01_x.yaml", "id"), ("quizzes/01_x.yaml", "type")}
    assert load_bank("99_test", root).id == "99_test"


def test_load_bank_unknown_id(tmp_path):
    root = copy_root(tmp_path)
    with pytest.raises(DataError, match="no such quiz bank"):
        load_bank("42_nothing", root)


def test_check_banks_with_a_broken_corpus_still_checks_the_banks(tmp_path):
    root = copy_root(tmp_path)
    (root / "quizzes" / "99_test.yaml").write_text(BANK.replace("type: true_false", "type: yes_no"), encoding="utf-8")
    (root / "corpus" / "documents.yaml").write_text("- id: [broken\n", encoding="utf-8")
    problems = check_banks(root)
    assert any(p.field == "type" for p in problems)


# -- fuzzing: a malformed bank raises DataError and nothing else ---------------------------

BANK_DATA = yaml.safe_load(BANK)
scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(10**6), 10**6), st.floats(allow_nan=False), st.text(max_size=12),
)
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=6), inner, max_size=3)), max_leaves=8)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _paths(v, prefix + (i,))


ALL_PATHS = [p for p in _paths(BANK_DATA) if p]


def _mutate(data, path, action, value):
    import copy

    data = copy.deepcopy(data)
    parent = data
    for key in path[:-1]:
        parent = parent[key]
    last = path[-1]
    if action == "delete":
        del parent[last]
    elif action == "replace":
        parent[last] = value
    else:  # duplicate a sibling into a list, or add an unknown key
        if isinstance(parent, list):
            parent.append(parent[last])
        else:
            parent[f"x{last}"] = value
    return data


def _check(text: str) -> None:
    try:
        parse_bank(text, SHOWN, load_corpus(), expected_id="99_test")
    except DataError as exc:
        assert exc.problems and all(p.file == SHOWN for p in exc.problems)


def mutation_lists(min_size: int, max_size: int):
    return st.lists(
        st.tuples(st.sampled_from(ALL_PATHS), st.sampled_from(["delete", "replace", "extend"]), values),
        min_size=min_size, max_size=max_size,
    )


def _mutated_bank(mutations) -> Any:
    data = BANK_DATA
    for path, action, value in mutations:
        try:
            data = _mutate(data, path, action, value)
        except (KeyError, IndexError, TypeError):
            continue  # an earlier mutation removed the path
    return data


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=mutation_lists(1, 4))
def test_fuzz_structural_mutations_raise_only_data_error(mutations):
    _check(yaml.safe_dump(_mutated_bank(mutations), allow_unicode=True))


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200))
def test_fuzz_arbitrary_text_raises_only_data_error(text):
    _check(text)


@settings(max_examples=100, deadline=None)
@given(cut=st.integers(0, len(BANK)), junk=st.text(alphabet=":-[]{}'\"&*!|>#%@ \n\tabc", max_size=8))
def test_fuzz_corrupted_bank_text_raises_only_data_error(cut, junk):
    _check(BANK[:cut] + junk + BANK[cut:])


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutations=mutation_lists(0, 3))
def test_fast_schema_check_agrees_with_the_full_one(mutations):
    """The compiled yes/no check on the load path accepts exactly what jsonschema accepts."""
    from mediation_lessons.quiz.bank import BANK_SCHEMA
    from mediation_lessons.schema import is_valid, schema_problems

    data = _mutated_bank(mutations)
    assert is_valid(data, BANK_SCHEMA) == (not schema_problems(data, BANK_SCHEMA, {}, SHOWN))
