"""The glossary: matching (tables of real Arabic), enforcement on hand-made
alignments (exact), loading and its bad inputs, the signature, and the tiny
model through the Translator and the CLI (random weights: what the alignment
places is random, so those tests check that every occurrence is either rendered
or flagged, and use hand-made cache entries where exactness matters)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from spies import spy_translator

from translate import Translator
from translate.cli import main
from translate.errors import InputError
from translate.glossary import FLAGGED, PLACED, PRESENT, Glossary, load
from translate.store.cache import TranslationCache
from translate.translation import Translation

ROOT = Path(__file__).resolve().parent.parent
SEED_GLOSSARY = ROOT / "benchmarks" / "seed_glossary.tsv"

GLOSSARY = Glossary.from_pairs([
    ("حلب", "Aleppo"),
    ("إدلب", "Idlib"),
    ("الرقة", "Raqqa"),
    ("معارضة", "opposition"),
    ("هيئة تحرير الشام", "Hayat Tahrir al-Sham"),
    ("تحرير", "liberation"),
    ("لبنان", "Lebanon"),
    ("بشار الأسد", "Bashar al-Assad"),
])


def found(source: str, glossary: Glossary = GLOSSARY) -> list[tuple[str, int, int, str]]:
    return [(m.entry.term, m.start, m.end, m.clitics) for m in glossary.find(source)]


# -- matching --------------------------------------------------------------------------

@pytest.mark.parametrize("source, expected", [
    ("قصف روسي على حلب", [("حلب", 3, 4, "")]),
    ("وحلب بحلب لحلب فحلب كحلب وبحلب", [("حلب", i, i + 1, c) for i, c in enumerate(["و", "ب", "ل", "ف", "ك", "وب"])]),
    ("حَلَبُ وَبِحَلَبَ حلـــب", [("حلب", 0, 1, ""), ("حلب", 1, 2, "وب"), ("حلب", 2, 3, "")]),  # harakat, tatweel
    ("«حلب»، (حلب). “حلب”", [("حلب", i, i + 1, "") for i in range(3)]),  # punctuation around the word
    ("بـ”حلب”", [("حلب", 0, 1, "ب")]),  # a clitic, tatweel and a quote before the name
    ("الرقة والرقة للرقة بالرقة", [("الرقة", 0, 1, "ال"), ("الرقة", 1, 2, "وال"), ("الرقة", 2, 3, "لال"),
                                  ("الرقة", 3, 4, "بال")]),
    ("رقة", []),  # a term given with the article needs it
    ("المعارضة ومعارضة", [("معارضة", 0, 1, "ال"), ("معارضة", 1, 2, "و")]),  # one without it takes it
    ("ادلب وإدلب وأدلب", [("إدلب", i, i + 1, c) for i, c in enumerate(["", "و", "و"])]),  # forms of alef
    ("وهيئة تحرير الشام، تحرير", [("هيئة تحرير الشام", 0, 3, "و"), ("تحرير", 3, 4, "")]),  # longest first
    ("تحرير الشام", [("تحرير", 0, 1, "")]),
    ("هيئة تحرير", [("تحرير", 1, 2, "")]),  # a multi-word term only as a whole
    ("لبنان ولبنان", [("لبنان", 0, 1, ""), ("لبنان", 1, 2, "و")]),  # a name starting with a clitic letter
    ("الرئيس بشار الأسد", [("بشار الأسد", 1, 3, "")]),
    ("حلبي الحلبية حلبان", []),  # other words sharing the letters
    ("", []),
    ("Aleppo حلب2", []),
])
def test_terms_are_found_with_their_clitics_harakat_and_punctuation(source, expected):
    assert found(source) == expected


def test_matches_never_overlap_and_the_longer_term_wins_wherever_it_starts():
    glossary = Glossary.from_pairs([("مدينة حلب", "the city of Aleppo"), ("حلب الشهباء", "Aleppo the Grey"),
                                    ("الشهباء", "al-Shahba")])
    # "حلب" belongs to both two-word terms: the first of equal length wins, the other word stays free
    assert found("مدينة حلب الشهباء", glossary) == [("مدينة حلب", 0, 2, ""), ("الشهباء", 2, 3, "ال")]
    assert found("في حلب الشهباء", glossary) == [("حلب الشهباء", 1, 3, "")]


# -- enforcement on hand-made alignments -------------------------------------------------

def test_the_rendering_replaces_the_aligned_span_and_the_links_follow():
    source = "قصف روسي على حلب."  # words: قصف روسي على حلب.
    enforced = GLOSSARY.enforce(source, "Russian shelling on Halab city.", [(0, 1), (1, 0), (2, 2), (3, 3), (3, 4)])
    assert enforced.text == "Russian shelling on Aleppo."
    assert enforced.alignment == ((0, 1), (1, 0), (2, 2), (3, 3))
    assert [o.status for o in enforced.outcomes] == [PLACED] and enforced.flags == ()


def test_a_longer_rendering_shifts_the_words_after_it():
    source = "هاجمت هيئة تحرير الشام المدينة"
    enforced = GLOSSARY.enforce(source, "HTS attacked the city", [(0, 1), (1, 0), (2, 0), (3, 0), (4, 2), (4, 3)])
    assert enforced.text == "Hayat Tahrir al-Sham attacked the city"
    links = set(enforced.alignment)
    assert links == {(s, t) for s in (1, 2, 3) for t in range(3)} | {(0, 3), (4, 4), (4, 5)}


def test_each_occurrence_gets_the_rendering_once_and_clitic_words_stay():
    source = "حلب وحلب وبحلب"
    translation = "Halab and Halab and in Halab"
    enforced = GLOSSARY.enforce(source, translation, [(0, 0), (1, 1), (1, 2), (2, 3), (2, 4), (2, 5)])
    assert enforced.text == "Aleppo and Aleppo and in Aleppo"
    assert enforced.text.count("Aleppo") == 3
    assert [o.status for o in enforced.outcomes] == [PLACED] * 3


def test_punctuation_and_possessives_around_the_span_stay():
    enforced = GLOSSARY.enforce("سكان حلب قالوا", "“Halab's people” said", [(0, 1), (1, 0), (2, 2)])
    assert enforced.text == "“Aleppo's people” said"


def test_a_name_the_model_left_out_goes_after_its_preposition():
    enforced = GLOSSARY.enforce("قتال بحلب", "fighting in", [(0, 0), (1, 1)])
    assert enforced.text == "fighting in Aleppo"
    assert set(enforced.alignment) == {(0, 0), (1, 1), (1, 2)}


def test_a_rendering_already_there_is_left_alone():
    enforced = GLOSSARY.enforce("قصف على حلب", "Shelling on Aleppo", [(0, 0), (1, 1)])  # no links needed
    assert enforced.text == "Shelling on Aleppo" and [o.status for o in enforced.outcomes] == [PRESENT]
    assert enforced.flags == ()


@pytest.mark.parametrize("translation, alignment, reason", [
    ("Shelling on Halab", [(0, 0), (1, 1)], "no-links"),  # nothing aligned to حلب
    ("Halab is a city where the shelling went on and on", [(0, 7), (2, 0), (2, 9)], "too-long"),
])
def test_a_weak_alignment_is_flagged_not_forced(translation, alignment, reason):
    enforced = GLOSSARY.enforce("قصف على حلب", translation, alignment)
    assert enforced.text == translation
    assert enforced.alignment == tuple(sorted(alignment))
    assert enforced.flags == ("term:حلب",)
    assert [(o.status, o.reason) for o in enforced.outcomes] == [(FLAGGED, reason)]


def test_terms_aligned_to_the_same_words_are_both_flagged():
    enforced = GLOSSARY.enforce("حلب وإدلب", "the two cities", [(0, 2), (1, 2)])
    assert enforced.text == "the two cities"
    assert enforced.flags == ("term:حلب", "term:إدلب")
    assert {o.reason for o in enforced.outcomes} == {"overlap"}


def test_a_sentence_without_terms_is_returned_as_it_is():
    enforced = GLOSSARY.enforce("قصف روسي", "Russian shelling", [(0, 1), (1, 0)])
    assert (enforced.text, enforced.alignment, enforced.flags, enforced.outcomes) == (
        "Russian shelling", ((0, 1), (1, 0)), (), ())


# -- loading -----------------------------------------------------------------------------

def write(tmp_path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("name, content", [
    ("g.tsv", "حلب\tAleppo\nإدلب\tIdlib\n"),
    ("g.tsv", "term\trendering\n\n# places\nحلب\tAleppo\r\nإدلب\t Idlib \tnotes\n"),  # header, comment, CRLF
    ("g.tsv", "\ufeffحلب\tAleppo\nإدلب\tIdlib"),  # byte-order mark, no final newline
    ("g.tsv", "حلب\tAleppo\nحَلَب\tAleppo\nإدلب\tIdlib\n"),  # the same term twice, same rendering
    ("g.csv", "arabic,english\nحلب,Aleppo\n\"إدلب\",\"Idlib\"\n"),
    ("g.txt", "حلب\tAleppo\nإدلب\tIdlib\n"),
])
def test_a_glossary_file_loads(tmp_path, name, content):
    glossary = Glossary.load(write(tmp_path, name, content))
    assert [(e.term, e.rendering) for e in glossary] == [("حلب", "Aleppo"), ("إدلب", "Idlib")]
    assert glossary.name == name


def test_utf16_with_a_byte_order_mark_loads(tmp_path):
    glossary = Glossary.load(write(tmp_path, "g.tsv", "حلب\tAleppo\n".encode("utf-16")))
    assert [(e.term, e.rendering) for e in glossary] == [("حلب", "Aleppo")]


def test_csv_renderings_may_hold_commas(tmp_path):
    glossary = Glossary.load(write(tmp_path, "g.csv", 'هيئة تحرير الشام,"Hayat Tahrir al-Sham, HTS"\n'))
    assert [e.rendering for e in glossary] == ["Hayat Tahrir al-Sham, HTS"]


@pytest.mark.parametrize("name, content, reason, words", [
    ("absent.tsv", None, "glossary-missing", ["does not exist"]),
    ("empty.tsv", "", "glossary-empty", ["holds no terms"]),
    ("header.tsv", "term\trendering\n\n", "glossary-empty", ["holds no terms"]),
    ("notab.tsv", "حلب\tAleppo\nإدلب Idlib\n", "glossary-line", ["line 2", "no tab", "إدلب"]),
    ("nocomma.csv", "حلب,Aleppo\nإدلب\n", "glossary-line", ["line 2", "no comma"]),
    ("punct.tsv", "حلب\tAleppo\n،،\tcommas\n", "glossary-term", ["line 2", "no Arabic letters"]),
    ("latin.tsv", "حلب\tAleppo\nISIS\tDaesh\n", "glossary-term", ["line 2", "'ISIS'"]),
    ("norender.tsv", "حلب\tAleppo\nإدلب\t  \n", "glossary-rendering", ["line 2", "no English rendering"]),
    ("dup.tsv", "حلب\tAleppo\nإدلب\tIdlib\nحَلَب\tHalab\n", "glossary-duplicate", ["lines 1 and 3", "Aleppo", "Halab"]),
    ("binary.tsv", b"PK\x03\x04\x14\x00\x00\x00\x08\x00", "glossary-binary", ["binary"]),
    ("cp1256.tsv", "حلب\tAleppo\n".encode() + "إدلب\tIdlib\n".encode("cp1256"), "glossary-encoding",
     ["not UTF-8", "line 2"]),
])
def test_a_bad_glossary_gets_one_clear_message(tmp_path, name, content, reason, words):
    path = tmp_path / name if content is None else write(tmp_path, name, content)
    with pytest.raises(InputError) as caught:
        Glossary.load(path)
    assert caught.value.reason == reason
    for word in words:
        assert word in str(caught.value)


def test_a_folder_is_not_a_glossary(tmp_path):
    with pytest.raises(InputError, match="is a folder"):
        Glossary.load(tmp_path)


def test_pairs_are_checked_like_lines():
    with pytest.raises(InputError, match="line 2: the term '...' has no Arabic letters"):
        Glossary.from_pairs([("حلب", "Aleppo"), ("...", "dots")])
    assert load(None) is None and load(GLOSSARY) is GLOSSARY


# -- the signature and the pipeline with the tiny model ---------------------------------------

@pytest.fixture
def translator(tiny_model, tmp_path):
    return Translator.from_options(str(tiny_model), engine="transformers", device="cpu",
                                   cache_dir=str(tmp_path / "cache"))


def with_glossary(translator: Translator, glossary: Glossary | None) -> Translator:
    return Translator(translator.engine, translator.cache, settings=translator.settings,
                      quality=translator.quality, batch_size=translator.batch_size, glossary=glossary)


def test_the_signature_names_the_glossary_and_the_cache_key_does_not(translator):
    plain = translator.signature
    one = with_glossary(translator, GLOSSARY).signature
    other = with_glossary(translator, Glossary.from_pairs([("حلب", "Halab")])).signature
    same = with_glossary(translator, Glossary.from_pairs(  # other order, harakat: the same glossary
        [(e.term.replace("حلب", "حَلَب"), e.rendering) for e in reversed(list(GLOSSARY))])).signature
    assert f"|glossary:{GLOSSARY.digest}" in str(one) and "glossary" not in str(plain)
    assert len({plain.key, one.key, other.key}) == 3 and same == one
    assert with_glossary(translator, GLOSSARY).raw_signature == plain


SENTENCE = "قصف روسي على حلب"


def test_a_cached_sentence_gets_the_current_glossary_and_the_model_is_not_run(translator):
    cache = translator.cache
    cache.keep(translator.signature.key, str(translator.signature), {
        SENTENCE: Translation("Russian shelling on Halab", -0.5, (), ((0, 1), (1, 0), (2, 2), (3, 3)))})
    for glossary, expected in [(GLOSSARY, "Russian shelling on Aleppo"),
                               (Glossary.from_pairs([("حلب", "Haleb")]), "Russian shelling on Haleb"),
                               (None, "Russian shelling on Halab")]:
        spied, spy = spy_translator(translator, glossary=glossary)
        pair = spied.translate(SENTENCE).sentences[0]
        assert (pair.translation, pair.cached, spy.batches) == (expected, True, [])
    assert TranslationCache(cache.folder).find(translator.signature.key, [SENTENCE])[SENTENCE].text \
        == "Russian shelling on Halab"  # the cache keeps the model's own output


def rendered_or_flagged(pair, glossary: Glossary) -> None:
    """Every occurrence of a term is in the translation, or its term is flagged."""
    for term, matches in _grouped(glossary.find(pair.source)).items():
        rendering = matches[0].entry.rendering
        assert pair.translation.count(rendering) >= len(matches) or f"term:{term}" in pair.flags, (
            pair.source, pair.translation, pair.flags)


def _grouped(matches):
    groups = {}
    for match in matches:
        groups.setdefault(match.entry.term, []).append(match)
    return groups


def test_the_tiny_model_translation_has_every_term_rendered_or_flagged(translator, seed_text):
    glossary = Glossary.load(SEED_GLOSSARY)
    text = "\n".join(seed_text.splitlines()[:4])
    document = with_glossary(translator, glossary).translate(text)
    assert document.signature.endswith(f"|glossary:{glossary.digest}")
    assert sum(len(glossary.find(p.source)) for p in document.sentences) >= 10
    for pair in document.sentences:
        rendered_or_flagged(pair, glossary)
        assert all(0 <= t < len(pair.translation.split()) for _, t in pair.alignment)
    raw = translator.translate(text)  # the same sentences, from the cache, without the glossary
    assert [p.cached for p in raw.sentences] == [True] * len(raw.sentences)
    assert not any(f.startswith("term:") for p in raw.sentences for f in p.flags)


# -- the CLI -------------------------------------------------------------------------------

def test_cli_glossary_end_to_end(capsys, tmp_path, tiny_model, seed_text):
    source = write(tmp_path, "article.ar.txt", "\n".join(seed_text.splitlines()[:3]) + "\n")
    out = tmp_path / "out"
    args = ["--model", str(tiny_model), "--engine", "transformers", "--quiet", "--glossary", str(SEED_GLOSSARY)]
    code = main([str(source), "--out", str(out), "--format", "jsonl", *args])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    header, *records = [json.loads(line) for line in (out / "article.en.jsonl").read_text("utf-8").splitlines()]
    glossary = Glossary.load(SEED_GLOSSARY)
    assert header["signature"].endswith(f"|glossary:{glossary.digest}")
    for record in records:
        rendered_or_flagged(type("Pair", (), {"source": record["source"], "translation": record["translation"],
                                              "flags": record["flags"]}), glossary)

    # Another glossary: the outputs are no longer up to date; they are re-made from the cache, the model unused
    other = write(tmp_path, "other.tsv", "حلب\tHaleb\n")
    code = main([str(source), "--out", str(out), "--format", "jsonl", *args[:-1], str(other), "--verbose"])
    err = capsys.readouterr().err
    assert code == 0 and "loaded" not in err
    assert err.strip().splitlines()[-1].startswith(f"translated {len(records)} sentences ({len(records)} from cache)")
    header = json.loads((out / "article.en.jsonl").read_text("utf-8").splitlines()[0])
    assert header["signature"].endswith(f"|glossary:{Glossary.load(other).digest}")

    assert main(["info", *[a for a in args if a != "--quiet"]]) == 0
    info = capsys.readouterr().out
    assert f"glossary: seed_glossary.tsv ({len(glossary)} terms, {glossary.digest})" in info


@pytest.mark.parametrize("content, hint", [
    ("حلب\tAleppo\nإدلب Idlib\n", "write one term per line: the Arabic term, a tab, its English rendering"),
    ("حلب\tAleppo\nحلب\tHalab\n", "keep one of the two lines"),
    (b"\x00\x01\x02", "pass a .tsv or .csv text file to --glossary"),
])
def test_cli_bad_glossary_is_one_line_with_advice(capsys, tmp_path, tiny_model, content, hint):
    glossary = write(tmp_path, "g.tsv", content)
    source = write(tmp_path, "a.ar.txt", SENTENCE + "\n")
    code = main([str(source), "--model", str(tiny_model), "--engine", "transformers", "--quiet",
                 "--glossary", str(glossary)])
    err = capsys.readouterr().err
    assert code == 1
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "error" in line]
    assert line.startswith("translate: error: ") and hint in line


def test_the_cli_applies_a_glossary_to_datasets_too(capsys, tmp_path, tiny_model):
    """A dataset job runs the same pipeline as a folder: its rows get the glossary."""
    dataset = write(tmp_path, "rows.jsonl", json.dumps({"id": 1, "text": SENTENCE}) + "\n")
    glossary = write(tmp_path, "names.tsv", "حلب\tALEPPO-TERM\n")
    code = main([str(dataset), "--out", str(tmp_path / "out"), "--glossary", str(glossary), "--model", str(tiny_model),
                 "--engine", "transformers", "--quiet"])
    assert code == 0, capsys.readouterr().err
    [row] = [json.loads(line) for line in (tmp_path / "out" / "part-00000.jsonl").open(encoding="utf-8")]
    assert "|glossary:" in row["signature"]
    assert "ALEPPO-TERM" in row["translation"] or any(f.startswith("term:") for f in row["flags"])
