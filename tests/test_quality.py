"""Degenerate-output detectors: pure functions, tested on hand-written outputs."""
from __future__ import annotations

import pytest

from translate.quality import QualityPolicy, has_odd_length, has_repetition, missing_numbers, numbers_in, problems


@pytest.mark.parametrize(
    "translation, loops",
    [
        ("I'm sorry I'm sorry I'm sorry I'm sorry", True),
        ("no, no, no, no", True),
        ("The the the the army advanced.", True),
        ("in the city in the city in the city of Aleppo", True),
        ("يةيةيةيةيةيةيةية", True),
        ("lalalalalalalala", True),
        ("no, no, no", False),  # a real quote can say it three times
        ("very very good", False),
        ("The fighters entered the city of Aleppo on Friday.", False),
        ("Turkey, Russia and Iran met in Astana; Turkey and Russia agreed.", False),
        ("", False),
    ],
)
def test_repetition(translation, loops):
    assert has_repetition(translation) is loops


@pytest.mark.parametrize(
    "source, translation, odd",
    [
        ("تدور اشتباكات عنيفة بين فصائل المعارضة السورية وقوات النظام في مدينة حلب.",
         "Violent clashes are taking place between Syrian opposition factions and regime forces in Aleppo.", False),
        ("تدور اشتباكات عنيفة بين فصائل المعارضة السورية وقوات النظام في مدينة حلب.", "Violent.", True),
        ("تدور اشتباكات عنيفة بين فصائل المعارضة السورية.", "Violent clashes " * 20, True),
        ("قصف روسي", "Russian bombing", False),
        ("قصف روسي", "", True),
    ],
)
def test_odd_length(source, translation, odd):
    assert has_odd_length(source, translation) is odd


@pytest.mark.parametrize(
    "text, numbers",
    [
        ("أكثر من ١٠ أحياء و200 عنصر", ["10", "200"]),
        ("الساعة 11:30 مساءً", ["11:30"]),
        ("نسبة ١٢٫٥ بالمئة", ["12.5"]),
        ("ثلاثة ملايين: ٣٬٠٠٠٬٠٠٠ و3,000", ["3000000", "3000"]),
        ("بلا أرقام", []),
    ],
)
def test_numbers_are_normalised(text, numbers):
    assert numbers_in(text) == numbers


@pytest.mark.parametrize(
    "source, translation, missing",
    [
        ("أكثر من 10 أحياء", "more than 10 neighbourhoods", []),
        ("أكثر من ١٠ أحياء", "more than 10 neighbourhoods", []),
        ("أكثر من 10 أحياء", "more than ten neighbourhoods", ["10"]),
        ("اتفاقيات أستانا لعام 2017", "the Astana agreements", ["2017"]),
        ("بتاريخ 12/9/2024", "on 9 December 2024", []),  # a reworded date keeps most parts
        ("من الساعة 11:30 مساءً", "from 11:30 p.m.", []),
        ("٣٬٠٠٠ لاجئ", "3,000 refugees", []),
    ],
)
def test_missing_numbers(source, translation, missing):
    assert missing_numbers(source, translation) == missing


def test_problems_collects_every_flag():
    assert problems("وقعت الاتفاقية عام 2017 في أستانا بحضور الدول الثلاث.", "no no no no") == (
        "repetition", "length", "numbers")
    assert problems("قصف روسي على حلب", "Russian bombing of Aleppo") == ()


@pytest.mark.parametrize("change", [dict(min_length_ratio=0.1), dict(retry=False), dict(retry_beams=2),
                                    dict(max_length_ratio=5.0), dict(retry_no_repeat_ngram_size=4)])
def test_a_changed_threshold_is_a_new_cache_key(change):
    # Before, the policy was missing from the key: a changed threshold served stale results.
    from translate.engines.base import GenerationSettings
    from translate.signature import Signature

    def key(policy):
        return Signature("m", "r", "ctranslate2", "4", "int8", GenerationSettings(), policy, 256).key

    assert key(QualityPolicy(**change)) != key(QualityPolicy())
