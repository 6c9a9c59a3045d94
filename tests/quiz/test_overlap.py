"""mediation_lessons.quiz.overlap: which pairs of items count as the same point."""

from __future__ import annotations

from mediation_lessons.quiz.overlap import THRESHOLD, key_quotes, key_text, overlaps, points, tokens


def choice(qid, prompt, key, wrong="Something else entirely", concepts=(), quote="甲乙丙丁", doc="d"):
    return {
        "id": qid, "type": "single_choice", "prompt": {"en": prompt, "zh": "问"},
        "options": [{"text": {"en": key, "zh": "对"}, "correct": True}, {"text": {"en": wrong, "zh": "错"}}],
        "sources": [{"doc": doc, "quote": quote}], "concepts": list(concepts),
    }


FILLER = [
    choice("venue", "Where were the February 2026 talks held in the end?", "Oman, after Iran asked to move them", quote="阿曼"),
    choice("truce-days", "How many days did the November 2023 truce last with its extensions?", "Seven days", quote="停火"),
    choice("office", "When did Hamas open its political office in Doha?", "2012", quote="多哈"),
    choice("red-line", "Which issue did Iran call non-negotiable?", "Its ballistic missile programme", quote="红线"),
    choice("vote", "How did Russia vote on resolution 2735?", "It abstained", quote="弃权"),
]


def pairs(found):
    return {frozenset((o.a, o.b)) for o in found}


def test_tokens_stem_and_split_chinese():
    assert tokens("Carrying messages; carries the message!") == ["carry", "message", "carry", "message"]
    assert tokens("传话人") == ["传话", "话人"]


def test_identical_items_in_two_banks_are_flagged():
    a = choice("page-date", "Why is the page date of text 004 misleading?", "The events are from October 2023, the page says June 2024")
    b = dict(a, id="misleading-page-date")
    found = overlaps({"02_x": [a] + FILLER, "05_y": [b]})
    assert frozenset(("02_x/page-date", "05_y/misleading-page-date")) in pairs(found)
    assert all(o.similarity >= THRESHOLD for o in found)


def test_reworded_repeat_of_a_point_is_flagged():
    a = choice("oman-role", "In Touval and Zartman's terms, which role does the text describe for Oman?",
               "Communicator: carrying messages between parties who do not meet")
    b = choice("communicator-role", "Qatar passed messages between Hamas's leaders and Israel. Which of Touval and Zartman's roles is this?",
               "Communicator")
    found = overlaps({"04": [a] + FILLER, "02": [b]})
    assert frozenset(("04/oman-role", "02/communicator-role")) in pairs(found)


def test_one_pair_of_a_match_can_repeat_a_question():
    match = {
        "id": "roles-match", "type": "match", "prompt": {"en": "Match each action to the role it shows.", "zh": "配对"},
        "pairs": [
            {"left": {"en": "Oman's foreign minister carries positions between the delegations", "zh": "甲"},
             "right": {"en": "Communicator", "zh": "沟通者"}},
            {"left": {"en": "A three-phase ceasefire plan", "zh": "乙"}, "right": {"en": "Formulator", "zh": "方案制定者"}},
            {"left": {"en": "Deadlines and threats", "zh": "丙"}, "right": {"en": "Manipulator", "zh": "操控者"}},
        ],
        "sources": [{"doc": "d", "quote": "q"}],
    }
    single = choice("oman-role", "Which role did Oman's foreign minister play, carrying positions between the delegations?", "Communicator")
    assert len(points(match)) == 4
    found = overlaps({"05": [match] + FILLER, "04": [single]})
    assert frozenset(("05/roles-match", "04/oman-role")) in pairs(found)


def test_distinct_points_are_not_flagged():
    assert overlaps({"01": FILLER}) == []


def test_shared_key_quote_and_concept_is_flagged_even_when_worded_apart():
    a = choice("why-not-ripe", "Why did the five rounds bring no lasting ceasefire?", "Neither side felt a hurting stalemate",
               concepts=["ripeness"], quote="当事双方都希望通过停火谈判来“算总账”", doc="gaza")
    b = choice("hamas-welcome", "Hamas welcomed the June resolution. What does that show?", "Only one side was hurting",
               concepts=["ripeness", "leverage"], quote="都希望通过停火谈判来“算总账”", doc="gaza")
    c = dict(b, id="other-concept", concepts=["leverage"])
    found = {frozenset((o.a, o.b)): o for o in overlaps({"01": [a] + FILLER, "05": [b, c]})}
    hit = found[frozenset(("01/why-not-ripe", "05/hamas-welcome"))]
    assert hit.shared_concepts == ("ripeness",) and hit.shared_quotes
    assert "same key quote" in str(hit)
    assert frozenset(("01/why-not-ripe", "05/other-concept")) not in found  # a quote alone is not enough


def test_keys_of_every_type():
    assert key_text({"type": "true_false", "answer": False}) == "false"
    assert key_text({"type": "order", "items": [{"en": "a"}, {"en": "b"}]}) == "a b"
    assert key_text({"type": "numeric", "answer": 7}) == "7"
    assert key_text({"type": "short_text", "accept": ["Oman", "阿曼"]}) == "Oman 阿曼"
    ev = {"type": "evidence", "sources": [{"doc": "d", "quote": "x"}],
          "options": [{"source": {"doc": "d", "quote": "y"}, "correct": True}, {"source": {"doc": "d", "quote": "z"}}]}
    assert key_text(ev) == "y" and key_quotes(ev) == {("d", "x"), ("d", "y")}
