"""Command line: ``mediation-lessons validate|clean|add|key|export|results|handout``."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import sys
from pathlib import Path

from mediation_lessons.errors import DataError, Problem
from mediation_lessons.paths import default_root


def _checkers():
    """Each part of the data that `validate` checks, in the order it reports them."""
    from mediation_lessons.corpus import check_corpus

    checkers = [("corpus", check_corpus)]
    try:
        from mediation_lessons.events import check_tables
    except ImportError:  # events arrive with their own module
        pass
    else:
        checkers.append(("events, actors and glossary", check_tables))
    try:
        from mediation_lessons.concepts import check_concepts
    except ImportError:
        pass
    else:
        checkers.append(("concepts and readings", check_concepts))
    try:
        from mediation_lessons.quiz.bank import check_banks
    except ImportError:
        pass
    else:
        checkers.append(("quiz banks", check_banks))
    from mediation_lessons.reader import check_reader

    checkers.append(("parallel reader and gloss overrides", check_reader))
    return checkers


def validate(root: Path) -> list[Problem]:
    problems: list[Problem] = []
    for _name, check in _checkers():
        try:
            problems += check(root)
        except DataError as exc:
            problems += exc.problems
    return problems


def _cmd_validate(args) -> int:
    root = Path(args.path) if args.path else default_root()
    if not (root / "corpus").is_dir():
        print(f"error: {root} has no corpus/ folder", file=sys.stderr)
        return 2
    problems = validate(root)
    for p in problems:
        print(p, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s) found in {root}", file=sys.stderr)
        return 1
    print(f"ok: {root} is valid ({', '.join(name for name, _ in _checkers())})")
    return 0


def _write_and_list(write) -> int:
    """Run ``write()``, which returns the paths it wrote; a DataError is printed, exit 1."""
    try:
        written = write()
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


def _cmd_clean(args) -> int:
    from mediation_lessons.corpus import write_clean

    from mediation_lessons.reader import write_skeletons

    root = Path(args.path) if args.path else default_root()
    # a new text also gets its parallel reader, sentence by sentence, to translate
    return _write_and_list(lambda: write_clean(root) + write_skeletons(root))


RECORD_TEMPLATE = """
- id: {id}
  file: {file}
  sha256: {sha256}
  title:
    zh: {title_zh}
    en: {title_en}
  title_source: TODO where the title comes from
  page_date: null
  content_period: {{start: TODO, end: TODO, precision: day}}
  dating_note: TODO how you know when it was written and what period it covers
  outlet: TODO as named in the text
  author: not named
  genre: news
  language: zh-Hans
  threads: []
  rights: TODO who holds the rights and why you may use it
  known_issues: []
"""
ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")
# YAML takes a JSON string as a double-quoted scalar, except for the characters it
# reads as line breaks or refuses as unprintable: those are written as escapes.
_YAML_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029\ufeff\ufffe\uffff\ud800-\udfff]")


def yaml_quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar that reads back exactly (backslashes, quotes, ``: ``)."""
    return _YAML_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _plan_add(root: Path, raw: Path, doc_id: str, title_zh: str, title_en: str) -> dict:
    """Check everything `add` needs before anything is written; return what to write.
    Raises DataError naming the problem."""
    from mediation_lessons.yamlio import load_yaml, parse_yaml

    docs_path, rules_path = root / "corpus" / "documents.yaml", root / "corpus" / "cleaning.yaml"
    problems = []
    if not ID_PATTERN.fullmatch(doc_id):
        problems.append(Problem("--id", f"{doc_id!r} is not a valid id: use lower-case letters, digits and hyphens, e.g. egypt-talks-2024"))
    for flag, title in (("--title-zh", title_zh), ("--title-en", title_en)):
        if not title.strip():
            problems.append(Problem(flag, "the title is empty"))
    if not raw.is_file():
        problems.append(Problem(str(raw), "no such file"))
    elif "\\" in raw.name or raw.name.startswith("."):
        problems.append(Problem(str(raw), "the file name may not start with a dot or hold a backslash: rename it"))
    if problems:
        raise DataError(problems)
    data = raw.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise DataError([Problem(str(raw), f"not UTF-8 text (byte {exc.start}: {exc.reason}); save it as UTF-8 and add it again", line=line)]) from None
    target = root / "corpus" / "raw" / raw.name
    if target.exists() and raw.resolve() != target.resolve():
        raise DataError([Problem(f"corpus/raw/{raw.name}", "already exists: rename your file, or remove the old one first")])
    docs, _ = load_yaml(docs_path, "corpus/documents.yaml")
    rules, _ = load_yaml(rules_path, "corpus/cleaning.yaml")
    if any(isinstance(d, dict) and d.get("id") == doc_id for d in docs or []):
        raise DataError([Problem("corpus/documents.yaml", "id already used", doc_id, "id")])
    if isinstance(rules, dict) and doc_id in rules:
        raise DataError([Problem("corpus/cleaning.yaml", "rules for this id already exist", doc_id)])
    record = RECORD_TEMPLATE.format(
        id=doc_id, file=yaml_quoted(raw.name), sha256=hashlib.sha256(data).hexdigest(),
        title_zh=yaml_quoted(title_zh), title_en=yaml_quoted(title_en),
    )
    docs_text, rules_text = docs_path.read_text(encoding="utf-8"), rules_path.read_text(encoding="utf-8")
    new_docs = docs_text + ("" if docs_text.endswith("\n") or not docs_text else "\n") + record
    new_rules = rules_text + ("" if rules_text.endswith("\n") or not rules_text else "\n") + f"\n{doc_id}:\n  layout: lines\n"
    # what is about to be written must read back as exactly what was meant
    added, _ = parse_yaml(new_docs, "corpus/documents.yaml")
    assert added[-1]["id"] == doc_id and added[-1]["title"] == {"zh": title_zh, "en": title_en} and added[-1]["file"] == raw.name
    assert parse_yaml(new_rules, "corpus/cleaning.yaml")[0][doc_id] == {"layout": "lines"}
    return {"raw": raw, "target": target, "data": data, docs_path: new_docs, rules_path: new_rules,
            "old": {docs_path: docs_text, rules_path: rules_text}}


def _replace_text(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` whole or not at all (temporary file, then rename)."""
    tmp = path.with_name(f".{path.name}.add.tmp")
    try:
        with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _cmd_add(args) -> int:
    root = Path(args.root) if args.root else default_root()
    try:
        plan = _plan_add(root, Path(args.file), args.id, args.title_zh, args.title_en)
    except DataError as exc:
        print(f"error: {exc}\nnothing was added", file=sys.stderr)
        return 1
    target: Path = plan["target"]
    copied = False
    done: list[Path] = []
    try:
        if not target.exists():
            tmp = target.with_name(f".{target.name}.add.tmp")
            tmp.write_bytes(plan["data"])
            try:
                os.link(tmp, target)  # fails if the name was taken meanwhile: never overwrites
            finally:
                tmp.unlink(missing_ok=True)
            copied = True
        for path in plan["old"]:
            _replace_text(path, plan[path])
            done.append(path)
    except OSError as exc:
        for path in done:  # put back what was changed, so the corpus is as it was
            _replace_text(path, plan["old"][path])
        if copied:
            target.unlink(missing_ok=True)
        print(f"error: {exc.__class__.__name__}: {exc}\nnothing was added", file=sys.stderr)
        return 1
    print(f"added {args.id}: fill in the TODO fields of corpus/documents.yaml, then run `mediation-lessons clean` and `mediation-lessons validate`")
    return 0


def _cmd_key(args) -> int:
    from mediation_lessons.teacher.answer_key import write_answer_keys

    return _write_and_list(lambda: write_answer_keys(args.banks, args.out, args.root))


def _cmd_export(args) -> int:
    from mediation_lessons.teacher.lms import export_banks

    if bool(args.banks) == args.all:
        print("error: name the quizzes to export, or give --all (not both)", file=sys.stderr)
        return 2
    try:
        paths, warnings = export_banks(args.banks or None, args.format, args.lang, args.out, args.root)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for path in paths:
        print(f"wrote {path}")
    return 0


def _cmd_results(args) -> int:
    from mediation_lessons.teacher.analysis import analyse, flags
    from mediation_lessons.teacher.results import csv_text, load_class, write_all

    try:
        results = load_class(args.files, args.root)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in results.warnings:
        print(warning, file=sys.stderr)
    learners, questions = results.learners(), results.questions()
    items, quiz_table = analyse(results)
    flagged = flags(items)
    print("\n\n".join(f"{title}\n" + (table.to_string(index=False, na_rep="-") if len(table) else "(none)")
                      for title, table in (("Learners", learners), ("Questions", questions), ("Quizzes", quiz_table),
                                           ("Flagged questions", flagged))))
    files = {}
    if args.out:
        attempts = results.attempts.drop(columns=["file", "answer_id"])
        for name, table in (("learners", learners), ("questions", questions), ("attempts", attempts),
                            ("items", items), ("quiz", quiz_table)):
            files[Path(f"{args.out}-{name}.csv")] = csv_text(table)
    if args.report:
        from mediation_lessons.teacher.report import report_html

        files[Path(args.report)] = report_html(results, items, quiz_table, flagged)
    try:
        written = write_all(files)
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}: nothing written", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path}")
    return 0


def _cmd_handout(args) -> int:
    from mediation_lessons.reader import write_handouts

    if bool(args.all) == bool(args.docs):
        print("error: name one or more documents, or give --all", file=sys.stderr)
        return 2
    return _write_and_list(lambda: write_handouts(None if args.all else args.docs, args.out, args.root))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="mediation-lessons", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("validate", help="check corpus, events and quiz banks; list every problem")
    p.add_argument("path", nargs="?", help="folder holding corpus/ and quizzes/ (default: this package's data)")
    p.set_defaults(func=_cmd_validate)
    p = sub.add_parser("clean", help="regenerate corpus/clean/ from corpus/raw/ and corpus/cleaning.yaml (and start the reader of a new text)")
    p.add_argument("path", nargs="?")
    p.set_defaults(func=_cmd_clean)
    p = sub.add_parser("add", help="add a new raw text to the corpus with a metadata record to fill in")
    p.add_argument("file", help="the UTF-8 text file to add")
    p.add_argument("--id", required=True, help="a short readable id, e.g. egypt-talks-2024")
    p.add_argument("--title-zh", required=True)
    p.add_argument("--title-en", required=True)
    p.add_argument("--root", help="folder holding corpus/ (default: this package's data)")
    p.set_defaults(func=_cmd_add)
    p = sub.add_parser("key", help="write the teacher's answer key of quiz banks as HTML pages")
    p.add_argument("banks", nargs="*", help="bank ids, e.g. 01_gaza_talks_2023_2024 (default: every bank)")
    p.add_argument("--out", default=".", help="folder to write answer-key-<bank>.html into (default: here)")
    p.add_argument("--root", help="folder holding corpus/ and quizzes/ (default: this package's data)")
    p.set_defaults(func=_cmd_key)
    from mediation_lessons.teacher.lms import FORMATS, LANGS

    p = sub.add_parser("export", help="export quiz banks for a learning management system (Moodle, Canvas, Blackboard)")
    p.add_argument("banks", nargs="*", help="bank ids, e.g. 01_gaza_talks_2023_2024")
    p.add_argument("--all", action="store_true", help="export every bank")
    p.add_argument("--format", required=True, choices=list(FORMATS),
                   help="gift (Moodle GIFT), moodle-xml (Moodle XML), canvas-qti (Canvas Classic QTI zip), blackboard (tab-separated upload)")
    p.add_argument("--lang", default="both", choices=LANGS, help="one language, or both joined 'en · zh' where they differ (default)")
    p.add_argument("--out", default=".", help="folder to write <bank>-<lang>.<format> files into (default: here)")
    p.add_argument("--root", help="folder holding corpus/ and quizzes/ (default: this package's data)")
    p.set_defaults(func=_cmd_export)
    p = sub.add_parser("results", help="merge and re-grade the results a class handed in; item analysis")
    p.add_argument("files", nargs="+", help="exported results-*.csv / .json files, folders holding them, "
                   "or a class folder of hand-ins (<user>/<quiz>.jsonl)")
    p.add_argument("--out", help="also write <OUT>-learners.csv, -questions.csv, -attempts.csv (every answer, "
                   "re-graded, with the chosen text), -items.csv (item analysis) and -quiz.csv")
    p.add_argument("--report", help="also write this self-contained HTML page: tables, flags and plots")
    p.add_argument("--root", help="folder holding corpus/ and quizzes/ (default: this package's data)")
    p.set_defaults(func=_cmd_results)
    p = sub.add_parser("handout", help="write the printable parallel reader (zh | en | notes) of texts as HTML pages")
    p.add_argument("docs", nargs="*", help="document ids, e.g. us-iran-oman-2026")
    p.add_argument("--all", action="store_true", help="every text in the corpus")
    p.add_argument("--out", default=".", help="folder to write <doc>.html into (default: here)")
    p.add_argument("--root", help="folder holding corpus/ (default: this package's data)")
    p.set_defaults(func=_cmd_handout)
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
