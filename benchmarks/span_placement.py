"""Formatting through translation: how many spans (bold, italics, links, Word character
styles) each format's reader finds, how many the word alignment places, how many
land on the right English words, how many fall back, and how many links are lost
once the English file is written and read again (must be 0; for html, the links
of the English page).

The test documents are tests/formatted_documents.py's: four seed sentences with
bold, italics and five hyperlinks, written with python-docx, ebooklib and as an
HTML article. Three engines translate them:

* ``tiny``: the tests' tiny random model. Its alignment is noise; "right" is not
  judged (its English is not English).
* ``reference``: the reference engine (tests/reference_engine.py): the seed
  sentences' reference English, with the tiny model's links cut to its words, so
  still noise, on real English: "right" is judged against the hand-made answers.
* ``hand-made``: the reference English with a hand-made word alignment
  (formatted_documents.GOLD): "right" checks the placement itself.

"right" counts placed spans whose English is exactly the hand-made answer (a Word
character style on a link is judged as the link). Then the cost of placing a
sentence's spans (:func:`translate.text.spans.place`), one run.

Usage (from the repository root; builds the tiny model first)::

    python benchmarks/span_placement.py [--out benchmarks/span-placement-results.json]
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("OMP_NUM_THREADS", "1")

import harness  # noqa: E402

from translate import Translator  # noqa: E402
from translate.readers import read_document  # noqa: E402
from translate.text.spans import LINK, MARKER, STYLE, place  # noqa: E402
from translate.writers import write  # noqa: E402

harness.tests_module("sample_documents")
references = harness.tests_module("reference_engine")
formatted = harness.tests_module("formatted_documents")

FORMATS = {"docx": (formatted.make_docx, "report.docx"), "epub": (formatted.make_epub, "book.epub"),
           "html": (formatted.make_html, "article.html")}
JUDGED = ("reference", "hand-made")


def translators(model: Path, folder: Path) -> dict[str, Translator]:
    return {
        "tiny": Translator.from_options(str(model), engine="ctranslate2", device="cpu", beams=1,
                                        cache_dir=str(folder / "tiny")),
        "reference": references.reference_translator(model, folder / "reference"),
        "hand-made": formatted.gold_translator(model, folder / "hand-made"),
    }


def expected(source: str, kind: str, arabic: str) -> str | None:
    answers = formatted.GOLD[source][2]
    return answers.get((kind, arabic)) or (answers.get((LINK, arabic)) if kind == STYLE else None)


def judge(document, engine: str) -> dict:
    """The counts for one translated document."""
    row = Counter()
    for pair in document.sentences:
        if not pair.spans:
            continue
        placement = pair.placement
        row["spans in"] += len(pair.spans)
        row["links in"] += sum(s.kind == LINK for s in pair.spans)
        row["placed"] += placement.placed
        row["kept (link on marker)"] += placement.kept
        row["dropped (flagged)"] += placement.dropped
        if engine in JUDGED and pair.source in formatted.GOLD:
            english = {(s.kind, placement.text[s.start:s.end]) for s in placement.spans
                       if placement.text[s.start:s.end] != MARKER}
            for span in pair.spans:
                answer = expected(pair.source, span.kind, pair.source[span.start:span.end])
                row["right"] += answer is not None and (span.kind, answer) in english
    return dict(row)


def links_lost(document, data: bytes, fmt: str, name: str) -> int:
    """Link targets of the input missing from the English file: read back by the same
    reader (docx, epub), or every ``<a href>`` of the English page (html: the article
    reader would judge the page's extraction, not its links)."""
    from lxml import html

    out = write(document, "same", original=data)
    if fmt == "html":
        found = Counter(a.get("href") for a in html.fromstring(out).iter("a"))
    else:
        back = read_document(out, name.replace(".", ".en.", 1))
        found = Counter(s.target for pair in back.sentences for s in pair.spans if s.kind == LINK)
    wanted = Counter(s.target for pair in document.sentences for s in pair.spans if s.kind == LINK)
    return sum((wanted - found).values())


def placement_cost(documents) -> dict:
    """Microseconds to place one sentence's spans (sentences with spans), best of 5 rounds."""
    cases = [(p.spans, p.source, p.translation, p.alignment) for d in documents for p in d.sentences if p.spans]
    rounds = []
    for _ in range(5):
        started = time.perf_counter()
        for _ in range(200):
            for spans, source, english, alignment in cases:
                place(spans, source, english, alignment)
        rounds.append((time.perf_counter() - started) / (200 * len(cases)) * 1e6)
    return {"sentences": len(cases), "spans per sentence": round(sum(len(c[0]) for c in cases) / len(cases), 2),
            "us per sentence (best of 5)": round(min(rounds), 1), "us per sentence (median)":
            round(sorted(rounds)[2], 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(harness.BENCH / "span-placement-results.json"))
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="span-placement-"))
    model = harness.tiny_model(folder)
    rows, translated = [], []
    for engine, translator in translators(model, folder).items():
        for fmt, (make, name) in FORMATS.items():
            data = make()
            document = translator.translate_documents([read_document(data, name)])[0]
            translated.append(document)
            counts = judge(document, engine)
            rows.append({"format": fmt, "engine": engine, **counts,
                         "right": counts.get("right", 0) if engine in JUDGED else None,
                         "links lost (written, read back)": links_lost(document, data, fmt, name)})
    columns = ["format", "engine", "spans in", "links in", "placed", "right", "kept (link on marker)",
               "dropped (flagged)", "links lost (written, read back)"]
    table = harness.markdown_table(columns, [[("-" if row.get(c) is None else str(row.get(c, 0))) for c in columns]
                                             for row in rows])
    cost = placement_cost(translated)
    print(table)
    print(f"\nspan placement: {cost['us per sentence (best of 5)']} µs per sentence (best of 5; median "
          f"{cost['us per sentence (median)']}), {cost['sentences']} sentences with "
          f"{cost['spans per sentence']} spans each; {harness.load_line()}")
    Path(args.out).write_text(json.dumps({"rows": rows, "table": table, "cost": cost, "load": harness.load_line(),
                                          "command": "python benchmarks/span_placement.py"},
                                         ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
