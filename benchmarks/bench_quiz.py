"""Quiz engine timings: validate a generated 1,000-question bank with citations (target
< 1 s), build a 50-question quiz with its widgets (target < 0.5 s), and ``show_quiz`` of
a 15-question bank inside a real IPython kernel, where every widget opens a comm
(target < 0.1 s).

    .venv/bin/python benchmarks/bench_quiz.py [--repeat N]

The bank cycles through every question type, each with citations into the real corpus,
so validation covers the schema, the meaning checks and citation resolution. The corpus
is loaded (and cached) before timing starts, as it is in a notebook that quotes it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import yaml

from mediation_lessons import cache
from mediation_lessons.corpus import load_corpus
from mediation_lessons.paths import default_root
from mediation_lessons.quiz.bank import parse_bank
from mediation_lessons.quiz.progress import ProgressStore
from mediation_lessons.quiz.widgets import Quiz

SOURCES = [
    {"doc": "us-iran-oman-2026", "quote": "阿曼外交大臣巴德尔往返传递双方立场诉求"},  # glosses come from the parallel reader
    {"doc": "gaza-ceasefire-talks-2024", "quote": "2023年11月24日，以色列与哈马斯达成短暂停火协议"},
    {"doc": "qatar-indispensable-2023", "quote": "2012年，它允许伊朗支持的哈马斯在多哈设立一个政治办事处"},
]


def _t(en: str, zh: str) -> dict:
    return {"en": en, "zh": zh}


def question(i: int) -> dict:
    """Question ``i``: the type cycles so every type is in the bank."""
    kind = ["single_choice", "multiple_choice", "true_false", "order", "match", "numeric", "short_text", "evidence"][i % 8]
    q = {
        "id": f"q-{i}", "type": kind, "level": "recall",
        "prompt": _t(f"Question {i}: what does the text say?", f"第{i}题：文本怎么说？"),
        "explanation": _t("Because the passage says so.", "因为原文这样说。"),
        "hint": _t("Read the passage.", "读一读原文。"),
        "sources": [SOURCES[i % 3], SOURCES[(i + 1) % 3]],
    }
    if kind in ("single_choice", "multiple_choice"):
        q["options"] = [
            {"text": _t(f"Option {k}", f"选项{k}"), "correct": k == 0 or (kind == "multiple_choice" and k == 2),
             "feedback": _t("Feedback.", "反馈。")}
            for k in range(4)
        ]
    elif kind == "evidence":
        q["options"] = [{"source": s, "correct": k == 0} for k, s in enumerate(SOURCES)]
    elif kind == "true_false":
        q["answer"] = i % 2 == 0
    elif kind == "order":
        q["items"] = [_t(f"Step {k}", f"第{k}步") for k in range(5)]
    elif kind == "match":
        q["pairs"] = [{"left": _t(f"Actor {k}", f"行为体{k}"), "right": _t(f"Role {k}", f"角色{k}")} for k in range(4)]
    elif kind == "numeric":
        q["answer"], q["tolerance"] = 14, 0.5
    else:
        q["accept"] = ["Oman", "阿曼"]
    return q


def bank_text(n: int, bank_id: str = "bench") -> str:
    data = {"id": bank_id, "title": _t("Benchmark", "基准"), "pass_mark": 0.7, "questions": [question(i) for i in range(n)]}
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def timed(fn, repeat: int) -> str:
    """Median and best wall time, and median CPU time (steadier when other jobs share the cores)."""
    wall, cpu = [], []
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return f"median {statistics.median(wall):.3f} s, best {min(wall):.3f} s, CPU {statistics.median(cpu):.3f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    corpus = load_corpus()
    big = bank_text(1000)
    print(f"generated bank: 1,000 questions, {len(big.splitlines()):,} YAML lines, "
          f"{sum(len(question(i)['sources']) + (3 if i % 8 == 7 else 0) for i in range(1000)):,} citations")
    user_cache = os.environ.get(cache.CACHE_ENV)
    with tempfile.TemporaryDirectory() as tmp:
        # an empty content-keyed cache for each run: the bank is parsed and checked in full
        runs = iter(range(args.repeat))

        def first_time():
            os.environ[cache.CACHE_ENV] = str(Path(tmp) / str(next(runs)))
            parse_bank(big, "quizzes/bench.yaml", corpus, "bench")

        print(f"validate 1,000-question bank, nothing cached: {timed(first_time, args.repeat)} (target < 1 s)")
        figures = timed(lambda: parse_bank(big, "quizzes/bench.yaml", corpus, "bench"), args.repeat)
        print(f"validate it again (parsed text and schema check remembered): {figures}")
    if user_cache is None:
        del os.environ[cache.CACHE_ENV]
    else:
        os.environ[cache.CACHE_ENV] = user_cache

    small = parse_bank(bank_text(50), "quizzes/bench.yaml", corpus, "bench")
    with tempfile.TemporaryDirectory() as tmp:
        store = ProgressStore(Path(tmp))
        Quiz(small, corpus, store)  # warm-up: first widget creation imports and registers classes
        figures = timed(lambda: Quiz(small, corpus, store), args.repeat)
    print(f"build 50-question quiz (widgets, restore, labels): {figures} (target < 0.5 s)")
    print(f"show_quiz of a 15-question bank in an IPython kernel: {show_quiz_in_kernel(15, args.repeat)} (target < 0.1 s)")


KERNEL_CODE = """
import json, statistics, time
from mediation_lessons.quiz import show_quiz
show_quiz("bench", root={root!r}, data_dir={data!r})  # warm-up: imports, corpus and bank caches
wall, cpu = [], []
for _ in range({repeat}):
    start, start_cpu = time.perf_counter(), time.process_time()
    quiz = show_quiz("bench", root={root!r}, data_dir={data!r})
    wall.append(time.perf_counter() - start)
    cpu.append(time.process_time() - start_cpu)
    quiz.widget.close()  # as a re-run cell replaces its output
print(json.dumps([statistics.median(wall), min(wall), statistics.median(cpu)]))
"""


def show_quiz_in_kernel(n: int, repeat: int) -> str:
    """``show_quiz`` of an ``n``-question bank timed inside an IPython kernel (comms open)."""
    from jupyter_client.manager import start_new_kernel

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "corpus").symlink_to(default_root() / "corpus", target_is_directory=True)
        (root / "quizzes").mkdir()
        (root / "quizzes" / "bench.yaml").write_text(bank_text(n), encoding="utf-8")
        manager, client = start_new_kernel(kernel_name="python3")
        try:
            out: list[str] = []
            code = KERNEL_CODE.format(root=str(root), data=str(root / "progress"), repeat=repeat)
            reply = client.execute_interactive(
                code, timeout=120,
                output_hook=lambda msg: out.append(msg["content"].get("text", "")) if msg["msg_type"] == "stream" else None,
            )
            if reply["content"]["status"] != "ok":
                raise RuntimeError(f"the kernel failed: {reply['content'].get('evalue')}")
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    median, best, cpu = json.loads("".join(out).strip().splitlines()[-1])
    return f"median {median:.3f} s, best {best:.3f} s, CPU {cpu:.3f} s"


if __name__ == "__main__":
    main()
