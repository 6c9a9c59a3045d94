"""The one YAML reader: strict, safe against alias bombs, and keeping line numbers."""

import subprocess
import sys
import textwrap

import pytest

from mediation_lessons.errors import DataError
from mediation_lessons.yamlio import MAX_DEPTH, line_of, parse_yaml


def problem_of(text: str):
    with pytest.raises(DataError) as info:
        parse_yaml(text, "data.yaml")
    assert len(info.value.problems) == 1, info.value.problems
    return info.value.problems[0]


# ~350 bytes that expand to 9**9 (387 million) strings when walked as a tree
LAUGHS = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n' + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
)


def test_billion_laughs_fails_fast_in_bounded_memory():
    # a child process with a 1 GB address-space cap and a 60 s limit: the old reader,
    # which expanded the aliases while mapping lines, blew through both
    code = textwrap.dedent(f"""
        import resource, sys, time
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
        from mediation_lessons.errors import DataError
        from mediation_lessons.yamlio import parse_yaml
        start = time.perf_counter()
        try:
            parse_yaml({LAUGHS!r}, "bomb.yaml")
        except DataError as exc:
            print(exc.problems[0].message, round(time.perf_counter() - start, 3))
            sys.exit(0)
        sys.exit("loaded")
    """)
    assert len(LAUGHS) < 1024
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    message, seconds = result.stdout.rsplit(" ", 1)
    assert "billion laughs" in message and float(seconds) < 1.0


def test_recursive_alias_is_a_problem():
    assert "recursive" in problem_of("a: &x [1, *x]\n").message


def test_a_few_aliases_and_merge_keys_still_load():
    data, lines = parse_yaml("base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\nd: [*b, *b]\n", "data.yaml")
    assert data == {"base": {"x": 1}, "c": {"x": 1, "y": 2}, "d": [{"x": 1}, {"x": 1}]}
    assert line_of(lines, ("c", "y")) == 4


def test_duplicate_key_names_both_lines():
    text = "id: bank\nquestions:\n  - id: a\ntitle: t\nquestions:\n  - id: b\n"
    p = problem_of(text)
    assert (p.line, p.field) == (5, "questions")
    assert "duplicate key 'questions'" in p.message and "line 2" in p.message


def test_duplicate_key_inside_a_record():
    p = problem_of("- id: a\n  title: x\n  title: y\n")
    assert (p.line, p.field) == (3, "0.title") and "first on line 2" in p.message


@pytest.mark.parametrize("text, words", [
    ("a: !!python/object/apply:os.system ['true']\n", "!!python/object/apply:os.system is not allowed"),
    ("a: !!python/name:os.system ''\n", "is not allowed"),
    ("a: !foo bar\n", "!foo is not allowed"),
    ("a: !!set {x: null}\n", "!!set is not allowed"),
    ("a: !!binary aGk=\n", "!!binary is not allowed"),
])
def test_custom_and_unknown_tags_are_refused(text, words):
    p = problem_of(text)
    assert words in p.message and (p.line, p.field) == (1, "a")


@pytest.mark.parametrize("text", ['a: !!int ""\n', "a: !!float ''\n", "a: !!int abc\n", "a: !!bool maybe\n"])
def test_explicit_scalar_tag_on_wrong_text_is_a_problem(text):
    p = problem_of(text)  # `!!int ""` raised IndexError inside PyYAML
    assert "is not a valid" in p.message and p.line == 1


def test_impossible_date_stays_text():
    data, _ = parse_yaml("page_date: 2025-02-30\nok: 2024-06-10\n", "data.yaml")
    assert data == {"page_date": "2025-02-30", "ok": "2024-06-10"}


def test_depth_and_huge_numbers_are_problems():
    assert "levels deep" in problem_of("a: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5) + "\n").message
    assert "too long" in problem_of("a: " + "9" * 5000 + "\n").message


def test_lines_point_at_keys_and_list_items():
    data, lines = parse_yaml("a:\n  b:\n    - 1\n    - x: 2\n", "data.yaml")
    assert data == {"a": {"b": [1, {"x": 2}]}}
    assert lines[("a", "b")] == 2 and lines[("a", "b", 1, "x")] == 4


def test_a_forbidden_character_is_named_with_its_line():
    p = problem_of("a: 1\nb: x\x00y\n")
    assert p.line == 2 and "U+0000" in p.message


def test_parsed_text_is_kept_by_content_and_a_bad_file_never_is(tmp_path, monkeypatch):
    from mediation_lessons import cache, yamlio

    monkeypatch.setenv(cache.CACHE_ENV, str(tmp_path / "cache"))
    text = "a: 1\nb:\n  - x\n  - {c: true, d: null, e: 2.5}\n" + "".join(f"k{i}: [v, {i}]\n" for i in range(300))
    first = parse_yaml(text, "f.yaml")
    parses = []
    real = yamlio._parse_yaml
    monkeypatch.setattr(yamlio, "_parse_yaml", lambda *a: parses.append(a) or real(*a))
    assert parse_yaml(text, "f.yaml") == first and parses == []        # read back, the same values and lines
    assert parse_yaml(text, "f.yaml", keep_lines=False) == (first[0], {})
    assert parse_yaml(text + "f: 3\n", "f.yaml")[0]["f"] == 3 and len(parses) == 1  # changed text: parsed
    for bad in (text + "a: 2\n", text + "z: !!python/object:os.system x\n"):
        for _ in range(2):
            with pytest.raises(DataError):
                parse_yaml(bad, "f.yaml")                                 # checked every time
    assert len(parses) == 5
    numbered = text + "1: one\n"                                          # JSON would make the key text
    assert parse_yaml(numbered, "f.yaml")[0][1] == "one" and parse_yaml(numbered, "f.yaml")[0][1] == "one"
    assert len(parses) == 7
    parse_yaml("short: 1\n", "f.yaml")
    assert len(list((tmp_path / "cache" / "yaml").glob("*.json"))) == 2  # the two good long texts only
