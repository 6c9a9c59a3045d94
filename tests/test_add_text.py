"""README "Add your own text", followed step by step on a temporary copy."""

import re
import subprocess
import sys

import pandas as pd
import pytest

from helpers import REPO, copy_data
from mediation_lessons import load_corpus

SIXTH = """埃及斡旋的新一轮谈判
2024-08-16

8月15日，新一轮加沙停火谈判在卡塔尔首都多哈举行，埃及、卡塔尔和美国共同斡旋。
图片说明：谈判会场。
各方同意次周在开罗继续磋商。
"""


def cli(*args):
    result = subprocess.run([sys.executable, "-m", "mediation_lessons.cli", *args], capture_output=True, text=True, encoding="utf-8")
    assert result.returncode == 0, result.stderr + result.stdout
    return result


def readme_steps():
    text = (REPO / "README.md").read_text(encoding="utf-8")
    section = text.split("## Add your own text", 1)[1].split("\n## ", 1)[0]
    return section


def test_readme_documents_the_steps_this_test_follows():
    steps = readme_steps()
    for command in ("mediation-lessons add", "mediation-lessons clean", "mediation-lessons validate"):
        assert command in steps
    for field in ("drop_lines", "kinds", "known_issues"):
        assert field in steps


def test_a_sixth_text_is_loaded_cleaned_searchable_and_citable(tmp_path):
    root = copy_data(tmp_path / "data")
    source = tmp_path / "egypt_talks.txt"
    source.write_text(SIXTH, encoding="utf-8")

    # 1. add: copies the raw text, records its checksum, appends records to fill in
    cli("add", str(source), "--id", "doha-talks-2024", "--title-zh", "埃及斡旋的新一轮谈判",
        "--title-en", "A new round of talks mediated by Egypt", "--root", str(root))
    assert (root / "corpus" / "raw" / "egypt_talks.txt").read_bytes() == source.read_bytes()

    # 2. a record with TODOs does not validate yet, and says where
    result = subprocess.run([sys.executable, "-m", "mediation_lessons.cli", "validate", str(root)], capture_output=True, text=True)
    assert result.returncode == 1 and "doha-talks-2024" in result.stderr

    # 3. the teacher fills in the metadata and the cleaning rules
    docs = root / "corpus" / "documents.yaml"
    text = docs.read_text(encoding="utf-8")
    text = text.replace("title_source: TODO where the title comes from", "title_source: the first line")
    text = re.sub(r"content_period: \{start: TODO, end: TODO, precision: day\}",
                  "content_period: {start: 2024-08-15, end: 2024-08-16, precision: day}", text)
    text = text.replace("dating_note: TODO how you know when it was written and what period it covers", "dating_note: page date and the date in the text")
    text = text.replace("outlet: TODO as named in the text", "outlet: a class exercise")
    text = text.replace("rights: TODO who holds the rights and why you may use it", "rights: written for this test")
    text = text.replace("  page_date: null\n  content_period: {start: 2024-08-15", "  page_date: 2024-08-16\n  content_period: {start: 2024-08-15")
    docs.write_text(text, encoding="utf-8")
    rules = root / "corpus" / "cleaning.yaml"
    rules.write_text(
        rules.read_text(encoding="utf-8").replace(
            "doha-talks-2024:\n  layout: lines\n",
            "doha-talks-2024:\n  layout: lines\n  drop_lines:\n"
            "    - {lines: [\"2024-08-16\"], kind: chrome, note: page date}\n"
            "    - {lines: [\"图片说明：谈判会场。\"], kind: caption, note: photo caption}\n"
            "  kinds:\n    \"埃及斡旋的新一轮谈判\": title\n",
        ),
        encoding="utf-8",
    )

    # 4. clean, then validate
    cli("clean", str(root))
    assert (root / "corpus" / "clean" / "doha-talks-2024.txt").is_file()
    # clean also starts the parallel reader of the new text; translate every sentence
    reader = root / "corpus" / "reader" / "doha-talks-2024.yaml"
    assert reader.read_text(encoding="utf-8").count('en: "TODO"') >= 3
    reader.write_text(reader.read_text(encoding="utf-8").replace('en: "TODO"', 'en: "An English sentence."'), encoding="utf-8")
    cli("validate", str(root))

    corpus = load_corpus(root)
    assert "doha-talks-2024" in corpus.ids
    paras = corpus.paragraphs("doha-talks-2024")
    assert list(paras["kind"]) == ["title", "body", "body"]
    assert "图片说明" not in corpus.text("doha-talks-2024")
    # searched beside the five texts (gaza-ceasefire-talks-2024 mentions Cairo too), and on its own
    hits = corpus.search("开罗")
    new = hits[hits["doc"] == "doha-talks-2024"].reset_index(drop=True)
    assert list(new["paragraph"]) == [2] and new["right"][0].startswith("继续磋商")
    assert len(hits) > len(new)
    pd.testing.assert_frame_equal(corpus.search("开罗", docs=["doha-talks-2024"]), new)
    c = corpus.resolve("doha-talks-2024", "埃及、卡塔尔和美国共同斡旋")
    assert c.paragraph == 1
    assert "共同斡旋" in repr(corpus.passage("doha-talks-2024", "埃及、卡塔尔和美国共同斡旋", "Egypt, Qatar and the US mediated together"))
    assert corpus.documents().set_index("id").loc["doha-talks-2024", "page_date"].year == 2024


def test_add_refuses_a_file_that_is_not_utf8(tmp_path):
    root = copy_data(tmp_path / "data")
    bad = tmp_path / "gbk.txt"
    bad.write_bytes("斡旋".encode("gbk"))
    result = subprocess.run(
        [sys.executable, "-m", "mediation_lessons.cli", "add", str(bad), "--id", "x", "--title-zh", "x", "--title-en", "x", "--root", str(root)],
        capture_output=True, text=True,
    )
    assert result.returncode == 1 and "not UTF-8" in result.stderr


def run_add(root, source, doc_id, title_zh="标题", title_en="A title"):
    return subprocess.run(
        [sys.executable, "-m", "mediation_lessons.cli", "add", str(source), f"--id={doc_id}",
         "--title-zh", title_zh, "--title-en", title_en, "--root", str(root)],
        capture_output=True, text=True, encoding="utf-8",
    )


def snapshot(root):
    return {p.relative_to(root): p.read_bytes() for p in (root / "corpus").rglob("*") if p.is_file()}


@pytest.mark.parametrize("title_en", [
    r"C:\new\text", 'He said "no": a \\ b', "x: y # not a comment", "- a list?", "&anchor *alias !tag", "{a: 1}", "line\nbreak",
])
def test_add_writes_any_title_so_it_reads_back_exactly(tmp_path, title_en):
    root = copy_data(tmp_path / "data")
    source = tmp_path / "t.txt"
    source.write_text(SIXTH, encoding="utf-8")
    result = run_add(root, source, "new-text", title_zh="标题：\\「引号」\"", title_en=title_en)
    assert result.returncode == 0, result.stderr
    from mediation_lessons.yamlio import load_yaml

    docs, _ = load_yaml(root / "corpus" / "documents.yaml")
    assert docs[-1]["title"] == {"zh": "标题：\\「引号」\"", "en": title_en}
    assert docs[-1]["file"] == "t.txt"


@pytest.mark.parametrize("doc_id", ["x: y", "Upper", "-lead", "a b", "a\nb: c", "ab\n", ""])
def test_add_refuses_a_bad_id_before_writing_anything(tmp_path, doc_id):
    root = copy_data(tmp_path / "data")
    source = tmp_path / "t.txt"
    source.write_text(SIXTH, encoding="utf-8")
    before = snapshot(root)
    result = run_add(root, source, doc_id)
    assert result.returncode == 1 and "not a valid id" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(root) == before


def test_a_rejected_file_leaves_nothing_behind_and_the_retry_works(tmp_path):
    root = copy_data(tmp_path / "data")
    source = tmp_path / "t.txt"
    source.write_bytes("斡旋".encode("gbk"))
    before = snapshot(root)
    result = run_add(root, source, "new-text")
    assert result.returncode == 1 and "not UTF-8" in result.stderr and "nothing was added" in result.stderr
    assert snapshot(root) == before  # nothing copied into corpus/raw/
    source.write_text(SIXTH, encoding="utf-8")
    result = run_add(root, source, "new-text")
    assert result.returncode == 0, result.stderr


def test_add_refuses_an_id_already_used(tmp_path):
    root = copy_data(tmp_path / "data")
    source = tmp_path / "t.txt"
    source.write_text(SIXTH, encoding="utf-8")
    before = snapshot(root)
    result = run_add(root, source, "us-iran-oman-2026")
    assert result.returncode == 1 and "already used" in result.stderr
    assert snapshot(root) == before
