"""What a user reads when an input is refused: a size that reads apart from its limit,
file names and addresses in their own case, and no Python exception class."""
from __future__ import annotations

import io
import re
import zipfile

import pytest
from sample_documents import make_docx, make_epub, make_pdf

from translate import InputError
from translate.cluster.rows import prepare
from translate.inputs import Source
from translate.readers import read_document
from translate.sizes import megabytes

#: How a Python exception class looks in a message: "PdfStreamError", "KeyError", "BadZipFile".
EXCEPTION_CLASS = re.compile(r"\b[A-Z][A-Za-z]*(Error|Exception|Warning)\b|\bBadZipFile\b")


@pytest.mark.parametrize("size, limit, expected", [
    (5_000_001, 5_000_000, ("5.000001", "5.0")),
    (5_040_000, 5_000_000, ("5.04", "5.0")),
    (50_000_000, 5_000_000, ("50.0", "5.0")),
    (5_099_999, 5_000_000, ("5.09", "5.0")),  # rounded down: never more than it is
    (200_000_001, 200_000_000, ("200.000001", "200.0")),
    (1_260_000, 1_250_001, ("1.26", "1.2")),  # the limit rounded down too, so the size reads above it
    (105, 50, ("0.0001", "0.0")),
    (12_345_678_901, 5_000_000, ("12,345.6", "5.0")),
])
def test_a_size_reads_above_its_limit(size, limit, expected):
    assert megabytes(size, limit) == expected


# -- every place a size meets its limit -----------------------------------------------------


def test_reader_input_limit():
    with pytest.raises(InputError, match=r"big\.txt: 0\.0001 MB is above the 0\.0 MB input limit"):
        read_document(b"x" * 101, "big.txt", max_bytes=100)
    with pytest.raises(InputError, match=r": 5\.000001 MB is above the 5\.0 MB input limit"):
        read_document(b"x" * 5_000_001, "big.txt", max_bytes=5_000_000)


def test_file_input_limit(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5_000_001)
    with pytest.raises(InputError, match=r"5\.000001 MB is above the 5\.0 MB input limit"):
        Source(str(path), path, None).read_bytes(max_bytes=5_000_000)


def test_dataset_row_limit():
    item = prepare({"id": 1, "text": "ب" * 2_500_001}, where="x line 1", id_column="id", text_column="text",
                   max_bytes=5_000_000)
    assert "5.000002 MB is above the 5.0 MB input limit" in item.error


def test_unzipped_limit(monkeypatch):
    data = make_docx()[0]
    unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
    monkeypatch.setattr("translate.config.MAX_UNZIPPED_BYTES", unpacked - 1)
    shown, limit = megabytes(unpacked, unpacked - 1)
    assert shown != limit
    with pytest.raises(InputError, match=rf"unpacks to {re.escape(shown)} MB, above the {re.escape(limit)} MB limit"):
        read_document(data, "report.docx")


def test_glossary_limit(tmp_path, monkeypatch):
    path = tmp_path / "names.tsv"
    path.write_text("حلب\tAleppo\n" * 10, encoding="utf-8")
    monkeypatch.setattr("translate.glossary.MAX_BYTES", path.stat().st_size - 1)
    from translate.glossary import Glossary

    with pytest.raises(InputError, match=r"is 0\.0001 MB, above the 0\.0 MB limit"):
        Glossary.load(path)


def test_page_upload_limit(translator, tmp_path):
    from translate.web.service import ReaderService

    reader = ReaderService(translator, samples_dir=None)
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 5_000_001)
    reader.max_upload = 5_000_000
    with pytest.raises(Exception, match=r"big\.txt is 5\.000001 MB; the page takes files up to 5\.0 MB"):
        reader.load_upload(str(path))


# -- names keep their case; no exception classes ---------------------------------------------


DAMAGED = {
    "truncated PDF": (lambda: make_pdf()[0][:3000], "Report300.pdf"),
    "PDF header only": (lambda: b"%PDF-1.7\n" + b"\0" * 50, "Report.pdf"),
    "truncated docx": (lambda: make_docx()[0][:3000], "Bomb300.docx"),
    "zip without a Word document": (lambda: _zip({"readme.txt": "x"}), "Notes.docx"),
    "truncated EPUB": (lambda: make_epub()[0][:1500], "Book.epub"),
}


def _zip(members: dict[str, str]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for member, text in members.items():
            archive.writestr(member, text)
    return out.getvalue()


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_a_damaged_document_is_told_without_exception_classes(case):
    make, name = DAMAGED[case]
    with pytest.raises(InputError) as raised:
        read_document(make(), name)
    message = str(raised.value)
    assert message.startswith(f"{name}: ") and not EXCEPTION_CLASS.search(message), message


@pytest.mark.parametrize("case", sorted(DAMAGED))
def test_the_page_keeps_a_file_name_in_its_own_case(translator, tmp_path, case):
    from translate.web.messages import message_for
    from translate.web.service import ReaderService

    make, name = DAMAGED[case]
    path = tmp_path / name.lower()  # bomb300.docx: the page must not make it Bomb300.docx
    path.write_bytes(make())
    with pytest.raises(InputError) as raised:
        ReaderService(translator, samples_dir=None).load_upload(str(path))
    message = message_for(raised.value)  # what the page shows beside the Upload button
    assert message.startswith(f"{name.lower()}: ") and not EXCEPTION_CLASS.search(message), message


@pytest.mark.parametrize("message, shown", [
    ("bomb300.docx: a damaged Word document", "bomb300.docx: a damaged Word document"),
    ("http://127.0.0.1:1/: the server does not answer", "http://127.0.0.1:1/: the server does not answer"),
    ("notes: is empty", "notes: is empty"),
    ("تقرير.docx: is empty", "تقرير.docx: is empty"),
    ("the sentence is empty; give one Arabic sentence", "The sentence is empty; give one Arabic sentence"),
    ("glossary names.tsv does not exist", "Glossary names.tsv does not exist"),
])
def test_page_messages_start_with_a_capital_only_when_they_start_with_a_word(message, shown):
    from translate.web.messages import page_message

    assert page_message(InputError(message)) == shown
