"""Command line: ``mediation-lessons validate|clean|add|key|export|results|handout``."""

from __future__ import annotations

import argparse
import hashlib
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
    zh: "{title_zh}"
    en: "{title_en}"
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


def _cmd_add(args) -> int:
    root = Path(args.root) if args.root else default_root()
    raw = Path(args.file)
    target = root / "corpus" / "raw" / raw.name
    if raw.resolve() != target.resolve():
        if target.exists():
            print(f"error: {target} already exists", file=sys.stderr)
            return 1
        target.write_bytes(raw.read_bytes())
    data = target.read_bytes()
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        print(f"error: {target}: not UTF-8 text (byte {exc.start})", file=sys.stderr)
        return 1
    record = RECORD_TEMPLATE.format(
        id=args.id, file=raw.name, sha256=hashlib.sha256(data).hexdigest(),
        title_zh=args.title_zh.replace('"', "'"), title_en=args.title_en.replace('"', "'"),
    )
    with open(root / "corpus" / "documents.yaml", "a", encoding="utf-8") as fh:
        fh.write(record)
    with open(root / "corpus" / "cleaning.yaml", "a", encoding="utf-8") as fh:
        fh.write(f"\n{args.id}:\n  layout: lines\n")
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
    from mediation_lessons.quiz.results import class_tables, read_results

    try:
        learners, questions, warnings = class_tables(read_results(args.files), args.root)
    except DataError as exc:
        print(exc, file=sys.stderr)
        return 1
    for warning in warnings:
        print(warning, file=sys.stderr)
    print("Learners\n" + learners.to_string(index=False) + "\n\nQuestions\n" + questions.to_string(index=False, na_rep="-"))
    if args.out:
        for name, table in (("learners", learners), ("questions", questions)):
            path = Path(f"{args.out}-{name}.csv")
            path.parent.mkdir(parents=True, exist_ok=True)
            table.to_csv(path, index=False, encoding="utf-8-sig")  # BOM: Excel reads the Chinese
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
    p = sub.add_parser("results", help="merge the results students exported into a class table")
    p.add_argument("files", nargs="+", help="exported results-*.csv / .json files, or folders holding them")
    p.add_argument("--out", help="also write <OUT>-learners.csv and <OUT>-questions.csv")
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
