"""A small bank with every question type (and hostile text), and helpers to load it."""

from __future__ import annotations

from pathlib import Path

from mediation_lessons.corpus import load_corpus
from mediation_lessons.quiz.bank import parse_bank
from mediation_lessons.quiz.progress import ProgressStore
from mediation_lessons.quiz.widgets import Quiz

SHOWN = "quizzes/99_test.yaml"

# Line numbers matter to the validation tests: they find lines by the text on them.
BANK = '''\
id: 99_test
title: {en: "Test <quiz> & 'friends'", zh: "测试：“引号”与《书名》"}
pass_mark: 0.6
questions:
  - id: single
    type: single_choice
    level: recall
    prompt: {en: "Who passed messages? <script>alert('x')</script> & \\"more\\"", zh: "谁传话？<b>粗体</b>，‘单引号’。"}
    explanation: {en: "Oman's foreign minister did.", zh: "阿曼外交大臣。"}
    hint: {en: "Look at paragraph 15.", zh: "看第15段。"}
    sources:
      - {doc: us-iran-oman-2026, quote: "阿曼外交大臣巴德尔往返传递双方立场诉求"}
    options:
      - text: {en: "Oman", zh: "阿曼"}
        correct: true
        feedback: {en: "Yes, Oman.", zh: "对，阿曼。"}
      - text: {en: "Qatar <i>&amp;</i>", zh: "卡塔尔"}
        feedback: {en: "Qatar was not in these talks.", zh: "卡塔尔没有参与这次谈判。"}
      - text: {en: "Turkey", zh: "土耳其"}
  - id: multi
    type: multiple_choice
    level: comprehension
    prompt: {en: "Which are true?", zh: "哪些正确？"}
    explanation: {en: "A and C.", zh: "A 和 C。"}
    sources:
      - {doc: gaza-ceasefire-talks-2024, quote: "2023年11月24日，以色列与哈马斯达成短暂停火协议"}
    options:
      - {text: {en: "A", zh: "甲"}, correct: true}
      - {text: {en: "B", zh: "乙"}, feedback: {en: "B is wrong.", zh: "乙错。"}}
      - {text: {en: "C", zh: "丙"}, correct: true}
      - {text: {en: "D", zh: "丁"}}
  - id: tf
    type: true_false
    level: recall
    prompt: {en: "The page date is the date of the events.", zh: "网页日期就是事件日期。"}
    answer: false
    explanation: {en: "No: it was republished.", zh: "不是：那是转载日期。"}
    sources:
      - {doc: us-qatar-revisit-2023, quote: "布林肯10月13日在卡塔尔举行的新闻发布会上表示"}
  - id: order-it
    type: order
    level: recall
    prompt: {en: "Put in order.", zh: "排序。"}
    items:
      - {en: "First", zh: "第一"}
      - {en: "Second", zh: "第二"}
      - {en: "Third", zh: "第三"}
      - {en: "Fourth", zh: "第四"}
    explanation: {en: "Chronological.", zh: "按时间。"}
    sources:
      - {doc: gaza-ceasefire-talks-2024, quote: "哈马斯释放了100名人质"}
  - id: match-it
    type: match
    level: comprehension
    prompt: {en: "Match.", zh: "配对。"}
    pairs:
      - {left: {en: "Oman", zh: "阿曼"}, right: {en: "messenger", zh: "传话人"}}
      - {left: {en: "Qatar", zh: "卡塔尔"}, right: {en: "host of Hamas office", zh: "哈马斯办事处所在地"}}
      - {left: {en: "UNSC", zh: "安理会"}, right: {en: "resolution 2735", zh: "第2735号决议"}}
      - {left: {en: "CIA", zh: "中情局"}, right: {en: "Paris meeting", zh: "巴黎会谈"}}
    explanation: {en: "As the texts say.", zh: "如文本所述。"}
    sources:
      - {doc: qatar-indispensable-2023, quote: "2012年，它允许伊朗支持的哈马斯在多哈设立一个政治办事处"}
  - id: votes
    type: numeric
    level: recall
    prompt: {en: "How many votes for 2735?", zh: "多少票赞成？"}
    answer: 14
    unit: {en: "votes", zh: "票"}
    explanation: {en: "14 for, 1 abstention.", zh: "14票赞成，1票弃权。"}
    sources:
      - {doc: gaza-ceasefire-talks-2024, quote: "6月10日，联合国安理会以14票赞成、1票弃权（俄罗斯）的表决结果通过了美方提交的决议"}
  - id: hostages
    type: numeric
    level: comprehension
    prompt: {en: "About how many hostages?", zh: "大约多少人质？"}
    range: [100, 110]
    explanation: {en: "About 105.", zh: "约105名。"}
    sources:
      - {doc: gaza-ceasefire-talks-2024, quote: "哈马斯释放了100名人质"}
  - id: host
    type: short_text
    level: recall
    prompt: {en: "Which country hosted the talks?", zh: "谈判在哪国举行？"}
    accept: ["Oman", "阿曼", "Sultanate of Oman"]
    explanation: {en: "Oman.", zh: "阿曼。"}
    sources:
      - {doc: us-iran-oman-2026, quote: "同意将谈判地点改为阿曼"}
  - id: evidence-it
    type: evidence
    level: analysis
    prompt: {en: "Claim: Oman carried messages. Which passage supports it?", zh: "说法：阿曼传话。哪段支持？"}
    options:
      - source: {doc: us-iran-oman-2026, quote: "谈判以“同楼不同室”的方式间接展开"}
        correct: true
      - source: {doc: us-iran-oman-2026, quote: "两国高层首次面对面会谈"}
        feedback: {en: "That says the opposite.", zh: "这段说的恰恰相反。"}
      - source: {doc: us-iran-oman-2026, quote: "起初,美伊双方将谈判地点设在土耳其伊斯坦布尔"}
    explanation: {en: "Same building, different rooms.", zh: "同楼不同室。"}
    sources:
      - {doc: us-iran-oman-2026, quote: "阿曼外交大臣巴德尔往返传递双方立场诉求"}
'''


def line_with(text: str, needle: str, occurrence: int = 1) -> int:
    """1-based number of the line holding the ``occurrence``-th ``needle``."""
    found = 0
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            found += 1
            if found == occurrence:
                return number
    raise AssertionError(f"{needle!r} not in the bank text")


def load_test_bank(text: str = BANK):
    return parse_bank(text, SHOWN, load_corpus(), expected_id="99_test")


def make_quiz(data_dir: Path, text: str = BANK, learner: str | None = None, lang: str = "en") -> Quiz:
    return Quiz(load_test_bank(text), load_corpus(), ProgressStore(data_dir), learner=learner, lang=lang)
