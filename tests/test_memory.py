"""The translation memory on real SQLite files and the tiny model: the reader's
own translations outrank the cache and the model everywhere (translate,
translate_files, the CLI), --no-memory turns them off, TMX export is valid TMX
1.4 and imports back, and every bad input gets one clear message."""
from __future__ import annotations

import json
import logging
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from sample_documents import DATA
from spies import spy_translator
from test_cache import read_only

from translate import CacheError, InputError, OutputError, TranslationMemory, Translator, translate_files
from translate.cli import main
from translate.store.memory import MEMORY_FILE, YOURS, MemoryEntry, read_tmx_pairs
from translate.writers import write

TMX_DTD = DATA / "tmx14.dtd"
FIRST, SECOND = "قصف روسي على حلب.", "تركيا تطالب بوقف الهجمات على إدلب."
TEXT = f"{FIRST} {SECOND}\n"
MINE = "Russian shelling of Aleppo."


@pytest.fixture(scope="module")
def engine(tiny_model, tmp_path_factory):
    """The tiny model, loaded once for the module (transformers)."""
    return Translator.from_options(str(tiny_model), engine="transformers", device="cpu", use_cache=False,
                                   cache_dir=tmp_path_factory.mktemp("unused")).engine.load()


@pytest.fixture
def folder(tmp_path):
    return tmp_path / "cache"


def translator_for(engine, folder, *, memory=True, cache=True) -> Translator:
    from translate import TranslationCache

    return Translator(engine, TranslationCache(folder) if cache else None,
                      memory=TranslationMemory(folder) if memory else None)


def dtd_valid(data: bytes) -> etree._Element:
    tree = etree.fromstring(data)
    dtd = etree.DTD(str(TMX_DTD))
    assert dtd.validate(tree), dtd.error_log.filter_from_errors()
    return tree


# -- the memory outranks the cache and the model ------------------------------------------------


def test_memory_outranks_the_cache_and_the_model(engine, folder):
    translator, spy = spy_translator(translator_for(engine, folder))
    first = translator.translate(TEXT)
    model_first = first.sentences[0].translation
    assert [p.origin for p in first.sentences] == ["model", "model"]
    asked = list(spy.sentences)

    TranslationMemory(folder).remember(FIRST, MINE)
    again = translator.translate(TEXT)
    pairs = again.sentences
    assert (pairs[0].translation, pairs[0].origin, pairs[0].cached) == (MINE, YOURS, False)
    assert (pairs[1].origin, pairs[1].cached) == ("cache", True)
    assert spy.sentences == asked  # the second run asked the model nothing
    # The cache still has the model's own translation; the memory's never goes in.
    cached = translator.cache.find(translator.signature.key, [FIRST])
    assert cached[FIRST].text == model_first != MINE


def test_memory_hits_never_reach_the_cache_or_the_model(engine, folder):
    TranslationMemory(folder).remember(FIRST, MINE)
    translator, spy = spy_translator(translator_for(engine, folder))
    document = translator.translate(TEXT)
    assert document.sentences[0].translation == MINE
    assert FIRST not in spy.sentences and SECOND in spy.sentences
    assert translator.cache.find(translator.signature.key, [FIRST, SECOND]).keys() == {SECOND}


def test_the_glossary_leaves_your_translations_alone(engine, folder):
    from translate.glossary import Glossary

    glossary = Glossary.from_pairs([("حلب", "ALEPPO-TERM"), ("إدلب", "IDLIB-TERM")])
    TranslationMemory(folder).remember(FIRST, "Shelling of the city.")
    translator = Translator(engine, None, glossary=glossary, memory=TranslationMemory(folder))
    first, second = translator.translate(TEXT).sentences
    assert (first.translation, first.origin, first.flags) == ("Shelling of the city.", YOURS, ())
    assert "IDLIB-TERM" in second.translation or second.flags  # the model's own: the glossary applies


def test_without_memory_the_model_translates(engine, folder):
    TranslationMemory(folder).remember(FIRST, MINE)
    document = translator_for(engine, folder, memory=False).translate(TEXT)
    assert document.sentences[0].translation != MINE and document.sentences[0].origin == "model"
    assert Translator.from_options("unused-model", cache_dir=folder, use_memory=False).memory is None
    assert Translator.from_options("unused-model", cache_dir=folder, use_cache=False).memory.path == \
        folder / MEMORY_FILE


def test_translate_files_uses_the_memory_and_remakes_outputs_when_it_changes(engine, folder, tmp_path):
    source = tmp_path / "in" / "a.ar.txt"
    source.parent.mkdir()
    source.write_text(TEXT, encoding="utf-8")
    out = tmp_path / "out"
    translator = translator_for(engine, folder)
    translator.memory.remember(FIRST, MINE)

    report = translate_files([source], out, translator=translator, formats="jsonl,tmx")
    assert report.ok and report.files[0].status == "translated"
    rows = [json.loads(line) for line in (out / "a.en.jsonl").read_text(encoding="utf-8").splitlines()[1:]]
    assert [(r["translation"] == MINE, r["origin"]) for r in rows] == [(True, YOURS), (False, "model")]
    tree = dtd_valid((out / "a.en.tmx").read_bytes())
    assert [unit.findtext("prop[@type='x-origin']") for unit in tree.iter("tu")] == [YOURS, None]

    assert translate_files([source], out, translator=translator, formats="jsonl,tmx").files[0].status == "up to date"
    translator.memory.remember(FIRST, "Aleppo was shelled.")
    redone = translate_files([source], out, translator=translator, formats="jsonl,tmx")
    assert redone.files[0].status == "translated"
    assert "Aleppo was shelled." in (out / "a.en.jsonl").read_text(encoding="utf-8")


# -- remember, remove, list -------------------------------------------------------------------


def test_remember_keeps_what_it_replaced_and_remove_forgets(folder):
    memory = TranslationMemory(folder)
    assert memory.lookup([FIRST]) == {} and not memory.path.exists()  # nothing created by reading
    memory.remember(FIRST, "Draft one.", replaced="The model's text.")
    memory.remember(FIRST, "  Draft two.  ")
    entry = memory.lookup([FIRST, SECOND])[FIRST]
    assert (entry.translation, entry.replaced, entry.origin) == ("Draft two.", "Draft one.", YOURS)
    assert time.time() - entry.saved < 60
    assert [e.source for e in memory.entries()] == [FIRST] and len(memory) == 1
    assert memory.remove(FIRST) and not memory.remove(FIRST)
    assert memory.lookup([FIRST]) == {}


@pytest.mark.parametrize("source, translation, message", [
    ("", "x", "source sentence is empty"), (FIRST, "  ", "translation is empty"),
    (None, "x", "expected text"), (FIRST, "bad \ud800", "lone surrogate"),
])
def test_remember_refuses_bad_input(folder, source, translation, message):
    with pytest.raises(InputError, match=message):
        TranslationMemory(folder).remember(source, translation)


# -- TMX export and import ----------------------------------------------------------------------


def test_export_is_valid_tmx_and_imports_back_the_same_pairs(folder, tmp_path):
    memory = TranslationMemory(folder)
    memory.remember(FIRST, MINE, replaced="wwتص")
    memory.remember(SECOND, 'Turkey calls for an end to the attacks <on> "Idlib" & more.')
    exported = tmp_path / "memory.tmx"
    assert memory.export_tmx(exported) == 2
    tree = dtd_valid(exported.read_bytes())
    assert [unit.findtext("prop[@type='x-origin']") for unit in tree.iter("tu")] == [YOURS, YOURS]
    assert tree.find("body/tu").findtext("prop[@type='x-replaced']") == "wwتص"

    other = TranslationMemory(tmp_path / "elsewhere")
    report = other.import_tmx(exported)
    assert (report.added, report.updated, report.unchanged, report.skipped) == (2, 0, 0, 0)
    pairs = lambda m: sorted((e.source, e.translation, e.replaced, int(e.saved)) for e in m.entries())
    assert pairs(other) == pairs(memory)
    assert other.import_tmx(exported).unchanged == 2

    with pytest.raises(OutputError, match="exists; not overwriting"):
        memory.export_tmx(exported)
    assert memory.export_tmx(exported, force=True) == 2


def test_a_tmx_from_the_writer_imports_as_your_translations(engine, folder, tmp_path):
    document = translator_for(engine, tmp_path / "model-cache", memory=False).translate(TEXT)
    path = tmp_path / "a.en.tmx"
    path.write_bytes(write(document, "tmx", signature="sig"))
    memory = TranslationMemory(folder)
    assert memory.import_tmx(path).added == 2
    assert {e.source: e.translation for e in memory.entries()} == {p.source: p.translation for p in document.sentences}
    again = translator_for(engine, folder).translate(TEXT)
    assert [p.origin for p in again.sentences] == [YOURS, YOURS]


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(pairs=st.dictionaries(
    st.text(st.sampled_from("قصفروسيعلىحلب <&>\"'."), min_size=1, max_size=30).filter(str.strip),
    st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=30)
    .filter(str.strip), max_size=5))
def test_any_memory_survives_export_and_import(tmp_path_factory, pairs):
    folder = tmp_path_factory.mktemp("memory")
    memory = TranslationMemory(folder / "a")
    for source, translation in pairs.items():
        memory.remember(source, translation)
    memory.export_tmx(folder / "m.tmx")
    dtd_valid((folder / "m.tmx").read_bytes())
    if not pairs:
        return
    other = TranslationMemory(folder / "b")
    other.import_tmx(folder / "m.tmx")
    expected = {source.strip(): translation.strip() for source, translation in pairs.items()}
    assert {e.source: e.translation for e in other.entries()} == expected


TU = '<tu><tuv xml:lang="{a}"><seg>{x}</seg></tuv><tuv xml:lang="{b}"><seg>{y}</seg></tuv></tu>'


def tmx_file(body: str) -> bytes:
    return (f'<?xml version="1.0"?><tmx version="1.4"><header creationtool="x" creationtoolversion="1" '
            f'segtype="sentence" o-tmf="x" adminlang="en" srclang="ar" datatype="plaintext"/>'
            f"<body>{body}</body></tmx>").encode()


@pytest.mark.parametrize("content, message", [
    (None, "no such file"),
    (b"", "not well-formed XML"),
    (b"<tmx><body><tu>", "not well-formed XML"),
    (b"<xliff version='2.0'/>", "not a TMX file"),
    (tmx_file(""), "no translation units"),
    (tmx_file(TU.format(a="fr", b="de", x="Bonjour", y="Hallo")), "no Arabic→English pairs .*de, fr"),
    (tmx_file(TU.format(a="ar", b="en", x="", y="Hello")), "no Arabic→English pairs"),
    (b'<!DOCTYPE tmx [<!ENTITY x SYSTEM "file:///etc/passwd">]><tmx><body><tu><tuv xml:lang="ar"><seg>&x;</seg>'
     b'</tuv></tu></body></tmx>', "no Arabic→English pairs"),
])
def test_bad_tmx_files_get_one_clear_error(folder, tmp_path, content, message):
    path = tmp_path / "in.tmx"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message):
        TranslationMemory(folder).import_tmx(path)
    assert not (folder / MEMORY_FILE).exists()


def test_import_reads_other_tools_tmx(folder, tmp_path):
    units = (TU.format(a="AR-SY", b="en-GB", x="حلب", y="Aleppo <ph>&lt;b&gt;</ph>city")
             + '<tu creationdate="20200102T030405Z"><tuv lang="ar"><seg>إدلب</seg></tuv>'
               '<tuv lang="EN"><seg>Idlib</seg></tuv></tu>'
             + TU.format(a="ar", b="fr", x="تركيا", y="Turquie"))
    path = tmp_path / "other.tmx"
    path.write_bytes(tmx_file(units))
    memory = TranslationMemory(folder)
    report = memory.import_tmx(path)
    assert (report.added, report.skipped) == (2, 1)
    found = memory.lookup(["حلب", "إدلب"])
    assert found["حلب"].translation == "Aleppo city"
    assert time.gmtime(found["إدلب"].saved)[:6] == (2020, 1, 2, 3, 4, 5)


# -- a damaged or read-only memory ---------------------------------------------------------------


def test_a_damaged_memory_warns_once_and_translation_goes_on(engine, folder, caplog):
    folder.mkdir(parents=True)
    (folder / MEMORY_FILE).write_bytes(b"this is not a database" * 100)
    translator = translator_for(engine, folder)
    with caplog.at_level(logging.WARNING, logger="translate"):
        first, second = translator.translate(TEXT), translator.translate(TEXT)
    assert first.done and second.done and all(p.origin in ("model", "cache") for p in second.sentences)
    warnings = [r.getMessage() for r in caplog.records if "translation memory" in r.getMessage()]
    assert len(warnings) == 1 and "translating without it" in warnings[0]
    with pytest.raises(CacheError, match="damaged"):
        translator.memory.entries()
    with pytest.raises(CacheError, match="damaged"):
        translator.memory.remember(FIRST, MINE)


def test_a_read_only_memory_serves_its_translations_and_refuses_changes(engine, folder):
    TranslationMemory(folder).remember(FIRST, MINE)
    with read_only(folder / MEMORY_FILE):
        memory = TranslationMemory(folder)
        assert memory.lookup([FIRST])[FIRST].translation == MINE
        assert translator_for(engine, folder).translate(TEXT).sentences[0].origin == YOURS
        with pytest.raises(CacheError, match="read-only"):
            memory.remember(SECOND, "x")


# -- the CLI -------------------------------------------------------------------------------------


def run(capsys, *args) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_memory_commands(capsys, folder, tmp_path):
    TranslationMemory(folder).remember(FIRST, MINE)
    code, out, err = run(capsys, "memory", "list", "--cache-dir", folder)
    assert code == 0 and out.endswith(f"\t{FIRST}\t{MINE}\n") and "1 translation in" in err
    exported = tmp_path / "m.tmx"
    assert run(capsys, "memory", "export", exported, "--cache-dir", folder)[:2] == \
        (0, f"exported 1 translation to {exported}\n")
    code, out, _ = run(capsys, "memory", "import", exported, "--cache-dir", tmp_path / "other")
    assert code == 0 and "1 added" in out
    assert run(capsys, "memory", "remove", FIRST, "--cache-dir", folder)[0] == 0
    code, out, err = run(capsys, "memory", "list", "--cache-dir", folder)
    assert (code, out) == (0, "") and "empty" in err


@pytest.mark.parametrize("args, message, exit_code", [
    (["memory", "import", "missing.tmx"], "no such file", 1),
    (["memory", "import", "bad.tmx"], "not well-formed XML", 1),
    (["memory", "import", "empty.tmx"], "no translation units", 1),
    (["memory", "import", "french.tmx"], "no Arabic→English pairs", 1),
    (["memory", "export", "bad.tmx"], "exists; not overwriting it; pass --force", 1),
    (["memory", "remove", "ليس هنا"], "no entry for that sentence", 1),
    (["memory", "remove"], "needs the Arabic sentence", 2),
    (["memory", "export"], "needs the .tmx file", 2),
])
def test_cli_memory_bad_input_is_one_line_and_an_exit_code(capsys, folder, tmp_path, monkeypatch, args, message,
                                                            exit_code):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "bad.tmx").write_text("<tmx><body>", encoding="utf-8")
    (tmp_path / "empty.tmx").write_bytes(tmx_file(""))
    (tmp_path / "french.tmx").write_bytes(tmx_file(TU.format(a="fr", b="en", x="Bonjour", y="Hello")))
    code, _, err = run(capsys, *args, "--cache-dir", folder)
    assert code == exit_code
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("translate: error:") and message in lines[0]
    assert "Traceback" not in err


def test_cli_memory_on_a_damaged_file_says_so(capsys, folder):
    folder.mkdir(parents=True)
    (folder / MEMORY_FILE).write_bytes(b"garbage" * 1000)
    code, _, err = run(capsys, "memory", "list", "--cache-dir", folder)
    assert code == 1 and "is damaged" in err and len(err.strip().splitlines()) == 1


def test_cache_clear_keeps_the_memory_and_says_so(capsys, folder):
    TranslationMemory(folder).remember(FIRST, MINE)
    code, out, _ = run(capsys, "cache", "clear", "--cache-dir", folder)
    assert code == 0 and "kept your translation memory (1 translation" in out
    assert TranslationMemory(folder).lookup([FIRST])[FIRST].translation == MINE


def test_cli_batch_uses_the_memory_unless_no_memory(capsys, folder, tmp_path, tiny_model):
    TranslationMemory(folder).remember(FIRST, MINE)
    source = tmp_path / "a.ar.txt"
    source.write_text(TEXT, encoding="utf-8")
    common = [source, "--format", "jsonl", "--model", tiny_model, "--engine", "transformers", "--quiet",
              "--cache-dir", folder]
    code, out, _ = run(capsys, *common)
    rows = [json.loads(line) for line in out.splitlines()[1:]]
    assert code == 0 and (rows[0]["translation"], rows[0]["origin"]) == (MINE, YOURS)
    code, out, _ = run(capsys, *common, "--no-memory")
    rows = [json.loads(line) for line in out.splitlines()[1:]]
    assert code == 0 and rows[0]["translation"] != MINE and rows[0]["origin"] in ("model", "cache")


def test_read_tmx_pairs_keeps_the_last_unit_of_a_source():
    body = TU.format(a="ar", b="en", x="حلب", y="one") + TU.format(a="ar", b="en", x=" حلب ", y="two")
    assert read_tmx_pairs(tmx_file(body)) == ([MemoryEntry("حلب", "two", None, 0.0)], 0)



def test_an_import_killed_mid_way_adds_nothing_and_leaves_the_memory_usable(folder, tmp_path, caplog):
    """kill -9 during `translate memory import` leaves a hot journal: the next lookup rolls
    it back (it opens a writable file read-write) instead of turning the memory off, the
    import added nothing (one transaction), and `memory list` gives no wrong advice."""
    import os
    import signal
    import subprocess
    import sys

    from conftest import ROOT, wait_until

    TranslationMemory(folder).remember(FIRST, MINE)
    units = "".join(f'<tu><tuv xml:lang="ar"><seg>جملة رقم {i} عن حلب.</seg></tuv>'
                    f'<tuv xml:lang="en"><seg>Sentence {i} about Aleppo.</seg></tuv></tu>' for i in range(300_000))
    big = tmp_path / "big.tmx"
    big.write_text(f'<?xml version="1.0" encoding="UTF-8"?><tmx version="1.4"><header srclang="ar"/>'
                   f"<body>{units}</body></tmx>", encoding="utf-8")
    journal = folder / f"{MEMORY_FILE}-journal"
    importing = subprocess.Popen([sys.executable, "-m", "translate", "memory", "import", str(big),
                                  "--cache-dir", str(folder)], env={**os.environ, "PYTHONPATH": str(ROOT)},
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Killed once the transaction has written pages into the file: its journal is then hot.
        database = folder / MEMORY_FILE
        wait_until(lambda: journal.exists() and database.stat().st_size > 2_000_000 or importing.poll() is not None,
                   300)
        os.kill(importing.pid, signal.SIGKILL)
    finally:
        importing.wait()
    assert importing.returncode == -signal.SIGKILL, "the import ended before it could be killed"
    assert journal.exists()  # the hot journal of the killed transaction

    memory = TranslationMemory(folder)
    with caplog.at_level(logging.WARNING, logger="translate"):
        assert memory.lookup([FIRST, "جملة رقم 5 عن حلب."]) == {FIRST: memory.lookup([FIRST])[FIRST]}
    assert memory.disabled_reason is None and not caplog.records
    assert [entry.source for entry in memory.entries()] == [FIRST]  # all or nothing: nothing


def test_a_team_memory_is_asked_after_yours_and_before_the_cache(engine, folder, tmp_path):
    from translate.pipeline.chain import TeamMemoryLayer

    team = TranslationMemory.at(tmp_path / "team" / "newsroom.sqlite3")
    team.remember(FIRST, "The team's wording.")
    team.remember(SECOND, "The team's second.")
    TranslationMemory(folder).remember(SECOND, MINE)
    translator = translator_for(engine, folder).variant(layers=[TeamMemoryLayer(team)])
    pairs = translator.translate(TEXT).sentences
    assert [(p.translation, p.origin) for p in pairs] == [("The team's wording.", "team"), (MINE, YOURS)]
    assert not translator.cache.find(translator.raw_signature.key, [FIRST, SECOND])  # neither is the model's
