"""Every widget label and feedback phrase, in Chinese and English."""

from __future__ import annotations

from html import escape

from mediation_lessons.quiz.model import Text

LABELS: dict[str, dict[str, str]] = {
    "correct": {"en": "Correct", "zh": "回答正确"},
    "wrong": {"en": "Not quite", "zh": "还不对"},
    "partial": {"en": "Partly right", "zh": "部分正确"},
    "empty": {"en": "Give an answer first, then press Check.", "zh": "请先作答，再点击“检查答案”。"},
    "incomplete": {"en": "Fill in every position first, then press Check.", "zh": "请先填好每一个位置，再点击“检查答案”。"},
    "duplicate": {"en": "Each item can be used only once: choose a different item for every position.", "zh": "每一项只能用一次：请为每个位置选择不同的项。"},
    "not_a_number": {"en": "Type a number (for example 12 or 3.5).", "zh": "请输入一个数字（例如 12 或 3.5）。"},
    "score_of": {"en": "score {pct}%", "zh": "得分 {pct}%"},
    "check": {"en": "Check", "zh": "检查答案"},
    "hint": {"en": "Hint", "zh": "提示"},
    "hide_hint": {"en": "Hide hint", "zh": "隐藏提示"},
    "retry": {"en": "Retry", "zh": "再试一次"},
    "source": {"en": "Show the source", "zh": "查看原文"},
    "hide_source": {"en": "Hide the source", "zh": "隐藏原文"},
    "hint_label": {"en": "Hint", "zh": "提示"},
    "explanation": {"en": "Explanation", "zh": "解析"},
    "attempts": {"en": "Attempts: {n}", "zh": "尝试次数：{n}"},
    "question_n": {"en": "Question {n} of {total}", "zh": "第 {n} 题（共 {total} 题）"},
    "true": {"en": "True", "zh": "正确"},
    "false": {"en": "False", "zh": "错误"},
    "choice_line": {"en": "Your choice “{option}”: {verdict}.", "zh": "你的选择“{option}”：{verdict}。"},
    "position_line": {"en": "Position {n}: {item}: {verdict}.", "zh": "第 {n} 位：{item}：{verdict}。"},
    "pair_line": {"en": "{left} → {right}: {verdict}.", "zh": "{left} → {right}：{verdict}。"},
    "is_right": {"en": "right", "zh": "正确"},
    "is_wrong": {"en": "not right", "zh": "不正确"},
    "missed": {"en": "You missed {n} right option(s).", "zh": "你漏选了 {n} 个正确选项。"},
    "position": {"en": "Position {n}", "zh": "第 {n} 位"},
    "right_place": {"en": "right place", "zh": "位置正确"},
    "wrong_place": {"en": "wrong place", "zh": "位置不对"},
    "pairs_right": {"en": "{k} of {n} right", "zh": "共 {n} 项，答对 {k} 项"},
    "too_low": {"en": "Your number is too low.", "zh": "你的数字偏小。"},
    "too_high": {"en": "Your number is too high.", "zh": "你的数字偏大。"},
    "your_answer": {"en": "Your answer", "zh": "你的答案"},
    "choose": {"en": "Choose…", "zh": "请选择…"},
    "paren": {"en": "({text})", "zh": "（{text}）"},
    "colon": {"en": "{text}:", "zh": "{text}："},
    "list_sep": {"en": ", ", "zh": "、"},
    "number_placeholder": {"en": "a number", "zh": "数字"},
    "text_placeholder": {"en": "your answer", "zh": "你的答案"},
    "passages": {"en": "The passages to choose from:", "zh": "可选的原文段落："},
    "language": {"en": "Language", "zh": "语言"},
    "learner": {"en": "Your name", "zh": "你的名字"},
    "score_summary": {
        "en": "Score: {points} of {total} ({pct}%). Answered {answered} of {total} questions. Pass mark {pass_pct}%: {verdict}.",
        "zh": "得分：{points} / {total}（{pct}%）。已回答 {answered} / {total} 题。及格线 {pass_pct}%：{verdict}。",
    },
    "passed": {"en": "passed", "zh": "已通过"},
    "not_passed": {"en": "not passed yet", "zh": "尚未通过"},
    "review_title": {"en": "To review", "zh": "需要复习"},
    "review_none": {"en": "Nothing to review: every answered question is fully right.", "zh": "没有需要复习的题目：已答的题目全部正确。"},
    "review_item": {"en": "Question {n} ({pct}%): {prompt}", "zh": "第 {n} 题（{pct}%）：{prompt}"},
    "unanswered": {"en": "Not answered yet: question(s) {numbers}.", "zh": "尚未回答的题号：{numbers}。"},
    "export": {"en": "Export my results", "zh": "导出我的成绩"},
    "exported": {
        "en": "Saved for your teacher: {learner}'s answers to {answered} of {total} questions ({attempts} attempts) in {files}",
        "zh": "已保存，可交给老师：{learner} 的 {answered} / {total} 题答案（共 {attempts} 次尝试），文件：{files}",
    },
    "export_empty": {
        "en": "Nothing exported: {learner} has no answers to this quiz yet. Answer a question (and check your name) first.",
        "zh": "未导出：{learner} 还没有回答本测验的任何题目。请先答题（并核对你的名字）。",
    },
    "export_failed": {"en": "Could not export: {error}", "zh": "无法导出：{error}"},
    "warn_damaged": {
        "en": "Warning: the progress file was damaged. It was kept as {detail} and a new one was started.",
        "zh": "警告：进度文件已损坏。原文件已保留为 {detail}，并已新建进度文件。",
    },
    "warn_set_aside": {
        "en": "Warning: the progress file was damaged in places. The damaged records were kept in {detail}; every other attempt is here.",
        "zh": "警告：进度文件已损坏（部分记录）。损坏的记录已保留在 {detail}；其他作答均已保留。",
    },
    "warn_unsaved": {
        "en": "Warning: progress cannot be saved ({detail}). The quiz works, but your answers will be lost when the kernel stops; export your results before closing.",
        "zh": "警告：无法保存进度（{detail}）。测验仍可使用，但内核停止后答案会丢失；关闭前请导出成绩。",
    },
    "static_note": {
        "en": "Run the notebook to take the quiz",
        "zh": "运行笔记本即可答题",
    },
    "static_numeric": {"en": "Answer: a number", "zh": "作答：填写数字"},
    "static_text": {"en": "Answer: a short text", "zh": "作答：简短文字"},
    "static_order": {"en": "Put in order:", "zh": "排序："},
    "static_match": {"en": "Match each with one of:", "zh": "请将每一项与下列选项之一配对："},
    "pass_mark": {"en": "{n} questions, pass mark {pct}%", "zh": "共 {n} 题，及格线 {pct}%"},
    "key_title": {"en": "Answer key", "zh": "答案"},
    "key_note": {
        "en": "For the teacher: this page gives the answers; keep it from the class until after the quiz. Numbers and letters follow the order the quiz shows; the id is the question's name in exported results.",
        "zh": "供教师使用：本页列出答案，测验结束前请勿分发给学生。题号和选项字母与测验中显示的顺序一致；id 是该题在导出成绩中的名称。",
    },
    "key_answer": {"en": "Answer", "zh": "答案"},
    "key_right": {"en": "right", "zh": "正确"},
    "key_accepted": {"en": "Accepted answers (case, spaces and punctuation do not matter)", "zh": "可接受的答案（不区分大小写，忽略空格和标点）"},
    "key_sources": {"en": "Sources", "zh": "出处"},
}

LEVEL_NAMES = {
    "recall": {"en": "recall", "zh": "识记"},
    "comprehension": {"en": "comprehension", "zh": "理解"},
    "application": {"en": "application", "zh": "应用"},
    "analysis": {"en": "analysis", "zh": "分析"},
}

def label(key: str, lang: str, **values) -> str:
    """The phrase ``key`` in ``lang`` with ``values`` filled in (not escaped: callers escape)."""
    text = LABELS[key][lang]
    return text.format(**values) if values else text


def both(texts) -> str:
    """English and Chinese side by side, "en · zh", from a Text or an {"en", "zh"} mapping (not escaped)."""
    if isinstance(texts, Text):
        return f"{texts.en} · {texts.zh}"
    return f"{texts['en']} · {texts['zh']}"


def label_both(key: str, **values) -> str:
    """The phrase ``key`` in English and Chinese, "en · zh" (not escaped)."""
    return both({lang: label(key, lang, **values) for lang in ("en", "zh")})


def label_html(key: str, lang: str, **html_values) -> str:
    """The phrase as HTML: the phrase is escaped, ``html_values`` are inserted as given
    (the caller has escaped them, or made them markup such as ``<b>...</b>``)."""
    return escape(LABELS[key][lang]).format(**html_values)
