"""Tests for translate.text.long_sentences: cutting sentences too long for the model."""

from __future__ import annotations

import pytest

from translate.text.long_sentences import MAX_MARKS_PER_LETTER, split_long


def _too_long(piece: str) -> bool:
    return len(piece) > 40


def _parts(sentence: str, too_long=_too_long) -> list[str]:
    return [sentence[s:e] for s, e in split_long(sentence, too_long)]


SPLIT_LONG_CASES = [
    ("fits", "وصل الوفد إلى جنيف.", ["وصل الوفد إلى جنيف."]),
    ("fits-stripped", "  وصل الوفد إلى جنيف.  ", ["وصل الوفد إلى جنيف."]),
    # ؛ is preferred to ، even when commas come first.
    ("arabic-semicolon", "أكد الوزير، أمس، أن الهدنة صامدة؛ إلا أن خروقات عدة سجلت في الريف.",
     ["أكد الوزير، أمس، أن الهدنة صامدة؛", "إلا أن خروقات عدة سجلت في الريف."]),
    ("latin-semicolon", "الهدنة صامدة; لكن الخروقات مستمرة في ريف إدلب.",
     ["الهدنة صامدة;", "لكن الخروقات مستمرة في ريف إدلب."]),
    # Commas, with neighbouring clauses packed back together while they fit.
    ("arabic-commas", "وأضاف المصدر، الذي طلب عدم الكشف عن هويته، أن الاجتماع فشل، وأن جولة جديدة ستعقد.",
     ["وأضاف المصدر،", "الذي طلب عدم الكشف عن هويته،", "أن الاجتماع فشل، وأن جولة جديدة ستعقد."]),
    ("latin-comma", "وصل الوفد, وبدأت المحادثات فورًا في القصر الرئاسي.",
     ["وصل الوفد,", "وبدأت المحادثات فورًا في القصر الرئاسي."]),
    # No clause mark: a space before a word opening with the conjunction و.
    ("waw", "استمرت الاشتباكات حتى ساعات الصباح وقال شهود إن الانفجارات سمعت بوضوح",
     ["استمرت الاشتباكات حتى ساعات الصباح", "وقال شهود إن الانفجارات سمعت بوضوح"]),
    # No و either: any space, packing greedily.
    ("spaces", "استمرت الاشتباكات العنيفة حتى ساعات الصباح الأولى في الأحياء الجنوبية للمدينة",
     ["استمرت الاشتباكات العنيفة حتى ساعات", "الصباح الأولى في الأحياء الجنوبية", "للمدينة"]),
    # The comma in 3,000 is not a clause mark; the tail of a cut clause
    # ("خلال ثمانية") joins the next piece.
    ("thousands", "نزح أكثر من 3,000 شخص من القرى الحدودية خلال ثمانية وأربعين ساعة، بحسب الأمم المتحدة.",
     ["نزح أكثر من 3,000 شخص من القرى الحدودية", "خلال ثمانية وأربعين ساعة،", "بحسب الأمم المتحدة."]),
    # Nothing to cut at: hard cuts, nothing lost.
    ("hard-cut", "https://example.com/" + "a" * 70,
     ["https://example.com/" + "a" * 20, "a" * 40, "a" * 10]),
]


@pytest.mark.parametrize("sentence, expected", [c[1:] for c in SPLIT_LONG_CASES],
                         ids=[c[0] for c in SPLIT_LONG_CASES])
def test_split_long(sentence, expected):
    parts = _parts(sentence)
    assert parts == expected
    assert all(not _too_long(p) for p in parts)


def test_split_long_keeps_harakat_with_their_letter():
    word = "بَ" * 30
    parts = _parts(word)
    assert "".join(parts) == word
    assert all(p[0] == "ب" for p in parts)


def test_split_long_when_even_one_character_is_too_long():
    # A pathological measure must not loop or drop text.
    assert split_long("أب جد", lambda piece: True) == [(0, 1), (1, 2), (3, 4), (4, 5)]


@pytest.mark.parametrize("text", ["", " ", "\n", "\n\n  \n", "\t \u00a0\r\n", "\u2028\u2029"])
def test_blank_input(text):
    assert split_long(text, _too_long) == []


# --- degenerate sentences: parts are bounded below as well as above ------------

HARAKAT = "\u064e\u0651\u0650\u064f\u0652"

LONG_RUNS = [
    ("harakat", HARAKAT * 4_000),
    ("ligatures", "ﷺ" * 20_000),
    ("no-spaces", "ابتثجحخدذرزسشصضطظعغفقكلمنهوي" * 700),
    ("letters-and-harakat", "بَّ" * 7_000),
    ("digits", "1234567890" * 2_000),
]


@pytest.mark.timeout(30)
@pytest.mark.parametrize("sentence", [c[1] for c in LONG_RUNS], ids=[c[0] for c in LONG_RUNS])
def test_a_long_run_is_cut_in_parts_as_long_as_fit(sentence):
    # 20,000 characters with nothing to cut at: not 20,000 one-character parts.
    limit = 200
    parts = _parts(sentence, lambda piece: len(piece) > limit)
    assert "".join(parts) == sentence
    assert all(len(p) <= limit for p in parts)
    assert all(len(p) >= limit - MAX_MARKS_PER_LETTER for p in parts[:-1])
    assert len(parts) <= len(sentence) // (limit - MAX_MARKS_PER_LETTER) + 1


def test_marks_stay_with_their_letter_up_to_a_few():
    # A letter with three marks is not split from them; twenty marks are no letter's.
    word = "بَّْ" * 30
    parts = _parts(word, lambda piece: len(piece) > 41)
    assert all(p[0] == "ب" for p in parts)
    heavy = "ب" + HARAKAT * 4 + "ت"
    parts = _parts(heavy, lambda piece: len(piece) > 15)
    assert parts == [heavy[:15], heavy[15:]]


@pytest.mark.timeout(60)
def test_cost_with_a_real_token_counter(tiny_model):
    """A 20,000-character sentence is cut asking the SentencePiece counter about
    pieces of about one part each, never about the rest of the sentence."""
    from translate.engines.ctranslate2 import MarianPieces

    tokenizer = MarianPieces(tiny_model)
    asked = []

    def too_long(piece):
        asked.append(len(piece))
        return len(tokenizer.pieces(piece)) > 200

    for sentence in ["\u064e\u0651\u0650" * 6_667, "بَّ" * 6_667, "ﷺ" * 20_000, "ابتث" * 5_000]:
        asked.clear()
        spans = split_long(sentence, too_long)
        parts = [sentence[a:b] for a, b in spans]
        assert "".join(parts) == sentence
        assert all(len(tokenizer.pieces(p)) <= 200 for p in parts)
        # the first question is the whole sentence; the rest read about 4 sentences' worth
        assert asked[0] == len(sentence) and sum(asked[1:]) <= 4 * len(sentence)
        assert len(asked) <= 12 * len(parts)
        longest = max(len(p) for p in parts)
        assert all(len(p) >= longest // 2 for p in parts[:-1])
