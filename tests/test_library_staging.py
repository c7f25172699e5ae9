"""A dataset job's documents reach the library by way of staged files: the job
appends them, a process of its own indexes them after it; the documents come back
whole (text, blocks, translations, origins, word links), a job killed mid-write
loses only its cut line, and an older staged file never overwrites a newer entry."""
from __future__ import annotations

import json
import logging
import os
import subprocess
import sys

import pytest
from conftest import ROOT, wait_until

from translate.cli import main
from translate.cluster import translate_dataset
from translate.store import staging
from translate.store.library import DATASET, Library
from translate.text.document import segment_document
from translate.translation import Translation, parse_alignment

ROWS = [{"id": "a1", "text": "قصف روسي على حلب.\n\nوأعلنت تركيا وقف الهجمات على إدلب.  ودعت إلى محادثات أستانا."},
        {"id": "b", "text": "اجتماع في جنيف.\nناقش الوزراء الوضع في الرقة."}]


@pytest.fixture
def dataset(tmp_path):
    path = tmp_path / "rows.jsonl"
    path.write_text("".join(json.dumps(row, ensure_ascii=False) + "\n" for row in ROWS), encoding="utf-8")
    return path


def staged_files(library: Library) -> list[str]:
    return sorted(p.name for p in library.staged_folder.iterdir()) if library.staged_folder.exists() else []


@pytest.mark.parametrize("parts", ["jsonl", "parquet"])  # staged from the part's line, or from the document
def test_a_job_stages_its_rows_and_they_come_back_whole_once_indexed(parts, translator, dataset, tmp_path,
                                                                     monkeypatch):
    if parts == "parquet":
        pytest.importorskip("pyarrow")
    library = Library(tmp_path / "cache")
    monkeypatch.setattr(Library, "index_in_background", lambda self: False)  # indexed here, below
    report = translate_dataset(dataset, tmp_path / "out", translator=translator, library=library,
                               output_format=parts)
    assert report.rows == 2 and len(library) == 0 and library.pending() == 2
    assert [name.endswith(".jsonl") for name in staged_files(library)] == [True]

    assert library.index() == 2 and library.pending() == 0 and staged_files(library) == []
    assert library.index() == 0
    entries = library.entries()
    assert sorted(e.source.rsplit("#", 1)[1] for e in entries) == ['"a1"', '"b"'] and {e.kind for e in entries} == {DATASET}
    for row in ROWS:
        original = translator.translate_documents([segment_document(row["text"], name=str(row["id"]))])[0]
        number = library.entries(source=f"#{json.dumps(row['id'])}")[0].id
        _, rebuilt = library.document(number)
        assert rebuilt.text == original.text and rebuilt.name == original.name
        assert [(p.kind, p.start, p.end) for p in rebuilt.paragraphs] == [
            (p.kind, p.start, p.end) for p in original.paragraphs]
        assert [(p.source, p.translation, p.alignment, p.flags) for p in rebuilt.sentences] == [
            (p.source, p.translation, p.alignment, p.flags) for p in original.sentences]
        assert {p.origin for p in rebuilt.sentences} == {"model"}  # as the job had them (the first run)
    assert library.search("الرقة")[0].entry.source.endswith('#"b"')


def test_the_process_a_job_starts_indexes_its_rows_without_being_asked(translator, dataset, tmp_path):
    library = Library(tmp_path / "cache")
    translate_dataset(dataset, tmp_path / "out", translator=translator, library=library)
    wait_until(lambda: len(library) == 2 and not staged_files(library),
               message=lambda: f"indexed {len(library)} of 2; staged: {staged_files(library)}")
    assert library.search("جنيف")


def test_a_file_a_killed_job_left_is_indexed_up_to_its_cut_line(tmp_path, caplog):
    library = Library(tmp_path / "cache")
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stage = staging.StageFile(library.staged_folder)
    document = segment_document("اجتماع في جنيف.", name="7")
    document = document.with_translations({0: document.sentences[0].filled(
        Translation("A meeting in Geneva.", -0.3, (), parse_alignment("0-1 1-3")))})
    stage.add("k7", "", DATASET, "rows#7", document, row_line=json.dumps({
        "id": 7, "translation": "A meeting in Geneva.", "signature": "s", "sentences": [
            {"paragraph": 0, "index": 0, "start": 0, "end": 15, "source": "اجتماع في جنيف.",
             "translation": "A meeting in Geneva.", "score": -0.3, "flags": []}]}, ensure_ascii=False).encode())
    stage.flush()
    with open(stage.path, "a", encoding="utf-8") as cut:  # the next line, cut short by the kill
        cut.write('{"key":"k8","owner":"","kind":"dataset","sou')
    left = stage.path.with_name(stage.path.name.replace(f"-{os.getpid()}.", f"-{gone.stdout.strip()}."))
    os.rename(stage.path, left)
    assert library.pending() == 2  # lines, the cut one too

    with caplog.at_level(logging.WARNING, logger="translate"):
        assert library.index() == 1
    assert "cannot be read" in caplog.text and staged_files(library) == []
    entry, rebuilt = library.document(library.entries()[0].id)
    assert entry.source == "rows#7" and rebuilt.sentences[0].alignment == ((0, 1), (1, 3))


def test_a_file_still_being_written_waits_and_an_older_one_never_overwrites(tmp_path):
    library = Library(tmp_path / "cache")

    def staged(words: str) -> staging.StageFile:
        stage = staging.StageFile(library.staged_folder)
        document = segment_document("قصف على حلب.", name="1")
        document = document.with_translations({0: document.sentences[0].filled(Translation(words, -0.2))})
        stage.add("k1", "", DATASET, "rows#1", document, row_line=json.dumps({
            "id": 1, "translation": words, "signature": "s", "sentences": [
                {"paragraph": 0, "index": 0, "start": 0, "end": 12, "source": "قصف على حلب.",
                 "translation": words, "score": -0.2, "flags": []}]}, ensure_ascii=False).encode())
        stage.flush()
        return stage

    old, new = staged("Shelling on Aleppo (old)."), staged("Shelling on Aleppo (new).")
    assert library.index() == 0 and len(staged_files(library)) == 2  # ours, still being written
    new.close()
    assert library.index() == 1
    old.close()
    assert library.index() == 1  # the older staging, indexed after the newer one: kept out
    assert library.document(library.entries()[0].id)[1].sentences[0].translation == "Shelling on Aleppo (new)."


def test_the_cli_indexes_what_jobs_staged_before_it_lists_and_says_so(tiny_model, dataset, tmp_path, capsys,
                                                                        monkeypatch):
    monkeypatch.setattr(Library, "index_in_background", lambda self: False)  # the CLI's own index, below
    model = ["--model", str(tiny_model), "--engine", "transformers", "--quiet"]
    assert main([str(dataset), "--out", str(tmp_path / "out"), *model]) == 0
    capsys.readouterr()
    assert main(["library", "index"]) == 0
    said = capsys.readouterr().err
    assert "indexing 2 documents" in said and "indexed 2 documents" in said
    assert main(["library", "index"]) == 0 and "nothing to index" in capsys.readouterr().err
    assert main(["library", "list"]) == 0 and len(capsys.readouterr().out.splitlines()) == 2


def test_a_staging_folder_that_cannot_be_written_warns_once_and_the_job_goes_on(translator, dataset, tmp_path,
                                                                                caplog):
    folder = tmp_path / "cache"
    folder.mkdir()
    (folder / staging.FOLDER).write_text("a file where the folder should be", encoding="utf-8")
    library = Library(folder)
    with caplog.at_level(logging.WARNING, logger="translate"):
        report = translate_dataset(dataset, tmp_path / "out", translator=translator, library=library)
    assert report.rows == 2 and report.failed == 0
    assert len([r for r in caplog.records if "library" in r.getMessage()]) == 1


def test_the_background_indexer_is_the_command_a_user_can_run(tmp_path):
    """What a job starts is `translate library index`, which runs from a plain checkout."""
    done = subprocess.run([sys.executable, "-m", "translate", "library", "index", "--cache-dir", str(tmp_path)],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0 and "nothing to index" in done.stderr


def test_rows_whose_parquet_part_is_gone_before_indexing_are_left_out_with_a_warning(translator, dataset, tmp_path,
                                                                                     monkeypatch, caplog):
    pytest.importorskip("pyarrow")
    library = Library(tmp_path / "cache")
    monkeypatch.setattr(Library, "index_in_background", lambda self: False)
    translate_dataset(dataset, tmp_path / "out", translator=translator, library=library, output_format="parquet")
    for part in (tmp_path / "out").glob("part-*.parquet"):
        part.unlink()
    with caplog.at_level(logging.WARNING, logger="translate"):
        assert library.index() == 0
    assert "is not in" in caplog.text and len(library) == 0 and library.pending() == 0


def test_the_page_indexes_rows_a_job_left_staged_and_lists_them(translator, dataset, tmp_path, monkeypatch):
    from translate.web.service import ReaderService

    library = Library(tmp_path / "cache")
    with monkeypatch.context() as patched:  # a job whose indexer never ran (its machine stopped, say)
        patched.setattr(Library, "index_in_background", lambda self: False)
        translate_dataset(dataset, tmp_path / "out", translator=translator, library=library)
    service = ReaderService(translator, samples_dir=tmp_path / "samples", library=Library(tmp_path / "cache"))
    assert library.pending() == 2 and service.library_entries() == []  # listed as it is; indexing starts
    wait_until(lambda: len(service.library_entries()) == 2, message=lambda: f"staged: {staged_files(library)}")
