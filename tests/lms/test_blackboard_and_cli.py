"""Blackboard's tab-separated upload (field count per line, per type), the export command
and what every format shares: deterministic output and warnings only for what a format lacks."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from mediation_lessons.cli import main
from mediation_lessons.teacher.lms import FORMATS, export_bank, export_banks

BB_TYPES = {"single_choice": "MC", "evidence": "MC", "multiple_choice": "MA", "true_false": "TF", "order": "ORD",
            "match": "MAT", "numeric": "NUM", "short_text": "FIB"}


def expected_fields(q) -> int:
    """Blackboard's fields per line: type, question text, then per the type."""
    if q.type in ("single_choice", "multiple_choice", "evidence"):
        return 2 + 2 * len(q.options)
    return 2 + {"true_false": 1, "order": len(q.items), "match": 2 * len(q.pairs), "numeric": 2,
                "short_text": len(q.accept)}[q.type]


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_blackboard_lines_have_the_fields_of_their_type(bank, corpus, lang):
    data, warnings = export_bank(bank, corpus, "blackboard", lang)
    lines = data.decode("utf-8").split("\n")
    assert lines[-1] == "" and len(lines) - 1 == len(bank.questions)
    for q, line in zip(bank.questions, lines):
        fields = line.split("\t")
        assert fields[0] == BB_TYPES[q.type] and len(fields) == expected_fields(q), (q.id, fields)
        assert all(f.strip() for f in fields)
        if q.type in ("single_choice", "multiple_choice", "evidence"):
            assert [f == "correct" for f in fields[3::2]] == [o.correct for o in q.options]
        if q.type == "short_text":
            assert fields[2:] == list(q.accept)  # typed answers are compared as written
    assert "<script>" not in data.decode() and warnings == [
        "blackboard: quizzes/99_test.yaml: the upload format has no feedback fields: option feedback, explanations, "
        "hints and cited passages are not in the file (give the class the answer key)"]


def test_a_tab_or_line_break_in_a_text_cannot_split_a_line(bank, corpus):
    from dataclasses import replace

    from mediation_lessons.quiz.model import Text

    q = replace(bank.questions[0], prompt=Text(en="two\tcells\nand lines", zh="两\t格\r\n"))
    data = export_bank(replace(bank, questions=(q,)), corpus, "blackboard", "both")[0].decode()
    assert data.count("\n") == 1 and data.split("\t")[1] == "two cells and lines · 两 格"


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_output_is_deterministic_across_processes(fmt, tmp_path, course):
    """Same bank, same bytes: in another process (another str hash seed) too."""
    code = ("import sys; from mediation_lessons.teacher.lms import export_banks; "
            f"export_banks(None, {fmt!r}, 'both', sys.argv[1])")
    outputs = []
    for seed in ("1", "2"):
        folder = tmp_path / seed
        subprocess.run([sys.executable, "-c", code, str(folder)], check=True, env={**os.environ, "PYTHONHASHSEED": seed})
        outputs.append({p.name: p.read_bytes() for p in sorted(folder.iterdir())})
    assert outputs[0] == outputs[1] and len(outputs[0]) == len(course)


def test_warnings_name_only_what_a_format_lacks(tmp_path):
    kinds = {}
    for fmt in FORMATS:
        _, warnings = export_banks(None, fmt, "en", tmp_path / fmt)
        kinds[fmt] = {w.split(": ", 1)[0] + (": order" if "(order)" in w else ": feedback") for w in warnings}
    assert kinds == {"gift": {"gift: order"}, "moodle-xml": set(), "canvas-qti": {"canvas-qti: order"},
                     "blackboard": {"blackboard: feedback"}}


def test_export_command(tmp_path, capsys, course):
    assert main(["export", "--all", "--format", "gift", "--lang", "zh", "--out", str(tmp_path)]) == 0
    out, err = capsys.readouterr()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(line.split("/")[-1] for line in out.splitlines())
    assert len(list(tmp_path.glob("*-zh.gift.txt"))) == len(course)
    orders = sum(q.type == "order" for bank in course for q in bank.questions)
    assert err.count("warning: gift: ") == orders and err.count("GIFT has no ordering question") == orders
    assert main(["export", "00_start_here", "--format", "blackboard", "--out", str(tmp_path)]) == 0
    assert (tmp_path / "00_start_here-both.blackboard.txt").is_file()


def test_export_command_errors(tmp_path, capsys):
    assert main(["export", "--format", "gift", "--out", str(tmp_path)]) == 2
    assert "name the quizzes to export, or give --all" in capsys.readouterr().err
    assert main(["export", "99_nope", "--format", "gift", "--out", str(tmp_path)]) == 1
    assert "quizzes/99_nope.yaml: no such quiz bank" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())  # nothing written
    with pytest.raises(SystemExit):
        main(["export", "--all", "--format", "docx"])
