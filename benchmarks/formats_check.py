"""The document formats, checked end to end: the figures for the closing note.

1. Extraction on the two saved Arabic news pages (tests/data/news-*.ar.html): how
   many article sentences the HTML reader keeps, how many boilerplate sentences
   (menus, share buttons, comments, related lists, footers) it drops; beside it,
   all the visible text of the page, as a reader without extraction would take.
2. Each input format (the test documents of tests/sample_documents.py): blocks
   read equal to the expected blocks, then translated with a tiny random model
   and written in the input's own format and the bilingual views.
3. TMX and XLIFF for every input: units written, read back identical with lxml,
   valid against the TMX 1.4b DTD and the OASIS XLIFF 2.0 core schema.

Usage (from the repository root; builds a tiny model first, about a minute)::

    python benchmarks/formats_check.py

The test documents come from ``tests/sample_documents.py``, imported from its file
(``harness.tests_module``): it is a test helper that reads ``tests/data/``, not part
of the installed package, and ``tests/`` stays off the path.
"""
from __future__ import annotations

import os
import tempfile

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import harness  # noqa: E402
from harness import SEED_ARTICLE  # noqa: E402
from lxml import etree  # noqa: E402
from lxml import html as lxml_html  # noqa: E402

from translate import Translator  # noqa: E402
from translate.readers import read_document  # noqa: E402
from translate.text.document import TITLE, Block  # noqa: E402
from translate.text.segment import split_sentences  # noqa: E402
from translate.writers import resolve, write  # noqa: E402

samples = harness.tests_module("sample_documents")
XLIFF = "{urn:oasis:names:tc:xliff:document:2.0}"


def extraction() -> None:
    article = [s for line in samples.SEED_LINES for s in split_sentences(line)]
    print("Extraction on the saved pages")
    print(f"{'page':22} {'article kept':>13} {'boilerplate dropped':>20} {'raw text: boilerplate kept':>27}")
    for page, boilerplate in samples.BOILERPLATE.items():
        document = read_document(samples.saved_page(page), page)
        read = {pair.source for pair in document.sentences}
        kept = sum(s in read for s in article)
        dropped = sum(b not in document.text for b in boilerplate)
        raw = " ".join(lxml_html.fromstring(samples.saved_page(page)).body.text_content().split())
        raw_kept = sum(" ".join(b.split()) in raw for b in boilerplate)
        print(f"{page:22} {kept:>6}/{len(article):<6} {dropped:>10}/{len(boilerplate):<9} "
              f"{raw_kept:>17}/{len(boilerplate)}")
    print()


def formats(translator: Translator) -> None:
    inputs = {
        "docx": (samples.make_docx(), "report.docx"), "pdf": (samples.make_pdf(), "report.pdf"),
        "srt": (samples.make_srt(), "film.srt"), "epub": (samples.make_epub(), "book.epub"),
        "html": ((samples.saved_page("news-araby.ar.html"),
                  [Block(samples.SAVED_PAGES["news-araby.ar.html"], TITLE), *samples.seed_blocks()]), "news.html"),
        "txt": ((SEED_ARTICLE.read_bytes(), samples.seed_blocks()), "a.ar.txt"),
    }
    dtd = etree.DTD(str(samples.DATA / "tmx14.dtd"))
    import xmlschema

    schema = xmlschema.XMLSchema(str(samples.DATA / "xliff-2.0" / "xliff_core_2.0.xsd"))
    signature = str(translator.signature)
    print(f"{'input':6} {'blocks':>6} {'as expected':>11} {'sentences':>9}  {'same →':8} {'bytes':>7}  "
          f"{'tmx units':>9} {'identical':>9} {'DTD':>5}  {'xliff units':>11} {'identical':>9} {'XSD':>5}")
    for fmt, ((data, expected), name) in inputs.items():
        document = read_document(data, name)
        blocks_ok = "yes" if samples.blocks_of(document) == expected else "NO"
        document = translator.translate_documents([document])[0]
        pairs = [(p.source, p.translation) for p in document.sentences]
        same = write(document, "same", original=data, signature=signature)
        for bilingual in ("html", "md", "jsonl"):
            write(document, bilingual)
        tmx = write(document, "tmx", signature=signature)
        tmx_tree = etree.fromstring(tmx)
        tmx_pairs = [tuple(t.findtext("seg") for t in tu.iter("tuv")) for tu in tmx_tree.iter("tu")]
        xliff = write(document, "xliff", signature=signature)
        xliff_pairs = [(s.findtext(f"{XLIFF}source"), s.findtext(f"{XLIFF}target"))
                       for s in etree.fromstring(xliff).iter(f"{XLIFF}segment")]
        print(f"{fmt:6} {len(document.paragraphs):>6} {blocks_ok:>11} {len(pairs):>9}  "
              f"{resolve('same', document):8} {len(same):>7}  "
              f"{len(tmx_pairs):>9} {sum(a == b for a, b in zip(tmx_pairs, pairs, strict=False)):>9} "
              f"{'valid' if dtd.validate(tmx_tree) else 'NO':>5}  "
              f"{len(xliff_pairs):>11} {sum(a == b for a, b in zip(xliff_pairs, pairs, strict=False)):>9} "
              f"{'valid' if schema.is_valid(xliff.decode()) else 'NO':>5}")


def main() -> None:
    extraction()
    with tempfile.TemporaryDirectory() as folder:
        model = harness.tiny_model(folder)
        formats(Translator.from_options(str(model), cache_dir=model.parent / "cache", engine="transformers",
                                        device="cpu"))


if __name__ == "__main__":
    main()
