"""What the browser is sent: the reading view as plain data (:func:`view_data`), the
status line, the notes beside the controls, and the wording the browser's modules
use for doubts and confidence (:data:`FLAG_WORDS`, :data:`CONFIDENCE_WORDS`), so no
wording is copied into JavaScript.

Pure functions: documents and steps in, data and HTML strings out; every text of a
document is escaped here.
"""
from __future__ import annotations

import html
import time
from typing import Any

from ..glossary import Glossary
from ..quality import LENGTH, NUMBERS, REPETITION, QualityPolicy, missing_numbers
from ..store.library import Entry, Found
from ..text.document import Document, SentencePair
from ..text.spans import LINK, STYLE
from ..translation import PASSED, TEAM, YOURS, alignment_text
from ..writers.bilingual import names
from .messages import plural
from .service import FROM_LIBRARY, LIBRARY_MARK, Loaded, PageStep

#: From this score up the details call a translation's confidence high (the low
#: mark is the quality policy's own, :attr:`QualityPolicy.low_score`).
HIGH_SCORE = -0.5

#: What the details say about each doubt (``flags``); ``{number}`` and ``{term}``
#: are filled in by the browser.
FLAG_WORDS = {
    REPETITION: "The English repeats itself (a loop); it was retried with safer settings and is still doubtful.",
    LENGTH: "The English is much longer or shorter than the Arabic warrants: something may be missing or invented.",
    NUMBERS: "A number of the Arabic is missing from the English.",
    "number": "The number {number} is missing from the English.",
    "term": "The term {term} may be rendered differently: the glossary's rendering could not be placed in "
            "this sentence.",
    "format": "The Arabic's {kind} could not be placed on the English words (the word links do not say where it "
              "goes): a link is kept after the sentence as [source], other formatting is left out.",
}
#: What the details say about a score: what to do first, and the number behind a "Why?".
CONFIDENCE_WORDS = {
    "high": "Confidence: high. Nothing to check here.",
    "fair": "Confidence: fair. Worth a second look if this sentence matters.",
    "low": "Confidence: low. Check this sentence against the Arabic.",
    "none": "No score: the sentence has no Arabic words, so it was passed through as it is.",
    "why": "The model's score for this sentence is {score}: the mean log-probability of its word pieces, "
           "where 0 is certain. From {high} up the page calls it high; below {low} it marks the sentence "
           "with a dotted underline, to check.",
}
#: What each input format is called in the notes.
FORMAT_NAMES = {"txt": "text file", "docx": "Word document", "pdf": "PDF", "html": "web page",
                "srt": "subtitle file", "epub": "EPUB book", "md": "Markdown file"}


# -- the reading view ---------------------------------------------------------------


def view_data(document: Document, run: str, *, title: str | None = None, state: str = "working",
              source: dict | None = None, message: str | None = None,
              quality: QualityPolicy = QualityPolicy()) -> dict:
    """The reading view as plain data, for the browser.

    Args:
        document: the (partial) document.
        run: an id for this translation; a new id tells the browser a new text began.
        title: what the text is called (a loaded document's title), if known.
        state: ``working``, ``done`` or ``failed``.
        source: where a loaded document came from (:meth:`Loaded.source`), for Recent.
        message: why it failed (``failed``).
        quality: the translator's quality policy (its ``low_score`` marks doubtful sentences).

    Returns:
        ``{"run", "state", "title", "names", "source", "message", "low", "paragraphs",
        "pairs", "tail"}``: ``names`` is ``{"ar", "en"}``, what the page and the
        Recent list call the document in each language (:func:`translate.writers.bilingual.names`);
        ``paragraphs`` holds ``[kind, gap]`` (``"h"`` headline or ``"p"``, and the text
        between it and the previous one, so the English can be copied laid out like
        the input); ``pairs`` holds ``[paragraph, source, result]`` where ``result``
        is None until translated, then ``{"t": English, "s": score, "c": 1 if cached,
        "f": [flags], "m": [missing numbers], "a": "0-0 1-2" word links
        (source-target), "o": "yours" from the reader's translation memory, "team" from
        a team memory, "passed-through" for a sentence without Arabic, "k": the
        formatting on the English, "l": [the targets of links kept after it]}`` (empty
        keys left out); ``spans`` holds, by pair index (as text), the formatting of
        the pairs that have some. A span is ``[start, end, kind]`` (``[…, target]``
        for a link), in UTF-16 code units as the browser counts them; Word character
        styles are not sent.
    """
    paragraphs, position = [], 0
    for paragraph in document.paragraphs:
        paragraphs.append(["h" if paragraph.is_heading else "p", document.text[position : paragraph.start]])
        position = paragraph.end
    return {
        "run": run,
        "state": state,
        "title": title,
        "names": names(document, title),
        "source": source,
        "message": message,
        "low": quality.low_score,
        "paragraphs": paragraphs,
        "pairs": [[pair.paragraph, pair.source, _result(pair)] for pair in document.sentences],
        "spans": {str(pair.index): _spans(pair.source, pair.spans) for pair in document.sentences
                  if any(span.kind != STYLE for span in pair.spans)},
        "tail": document.text[position:],
    }


def step_view(step: PageStep) -> dict:
    """:func:`view_data` of one step of :meth:`ReaderService.translate_page`."""
    return view_data(step.document, step.run, title=step.title, state=step.state, source=step.source,
                     message=step.message if step.state == "failed" else None, quality=step.quality)


def _result(pair: SentencePair) -> dict | None:
    if not pair.done:
        return None
    result: dict[str, Any] = {"t": pair.translation}
    if pair.score is not None:
        result["s"] = round(pair.score, 3)
    if pair.cached:
        result["c"] = 1
    if pair.flags:
        result["f"] = list(pair.flags)
    if NUMBERS in pair.flags:
        result["m"] = missing_numbers(pair.source, pair.translation or "")
    if pair.alignment:
        result["a"] = alignment_text(pair.alignment)
    if pair.origin in (YOURS, TEAM, PASSED):  # the model's need no mark
        result["o"] = pair.origin
    if pair.spans:
        placement = pair.placement
        english = len(pair.translation or "")
        on_words = [span for span in placement.spans if span.end <= english and span.kind != STYLE]
        if on_words:
            result["k"] = _spans(pair.translation or "", on_words)
        kept = [span.target for span in placement.spans if span.start > english]
        if kept:
            result["l"] = kept
    return result


def _spans(text: str, spans) -> list[list]:
    """Spans as the browser takes them: ``[start, end, kind]`` or ``[start, end, "link", target]``,
    offsets in UTF-16 code units (a character outside the BMP is two)."""
    def units(offset: int) -> int:
        return len(text[:offset].encode("utf-16-le")) // 2

    return [[units(span.start), units(span.end), span.kind, *([span.target] if span.kind == LINK else [])]
            for span in spans if span.kind != STYLE]


# -- the status line ------------------------------------------------------------------


def status_html(step: PageStep) -> str:
    """The status line of one step: progress, the final counts, or why it failed."""
    document = step.document
    if step.state == "failed":
        kept = ""
        if document.done_count:
            kept = (f" {document.done_count:,} of {plural(len(document.sentences), 'sentence')} were translated "
                    "and are kept.")
        return (f'<div class="reader-status failed" role="alert">{_escape(step.message or "")}'
                f"{_escape(kept)}</div>")
    if step.state == "done":
        note = f" {_escape(step.message)}" if step.message else ""
        if step.source and step.source.get("kind") == FROM_LIBRARY:
            return (f'<div class="reader-status done from-library" role="status">'
                    f'{plural(len(document.sentences), "sentence")}, opened from the library{note}</div>')
        return (f'<div class="reader-status done" role="status">{plural(len(document.sentences), "sentence")}, '
                f"{document.cached_count:,} from cache, {step.seconds:.1f} s{note}</div>")
    total, done = len(document.sentences), document.done_count
    what = ("Loading the model (first use since the reader started)…" if step.loading
            else f"Translating… {done:,} of {plural(total, 'sentence')}")
    return (f'<div class="reader-status busy" role="status"><progress max="{total}" value="{done}" '
            f'aria-label="Sentences translated">{done} / {total}</progress><span>{what}</span></div>')


# -- the notes beside the controls -------------------------------------------------------
# Data, drawn by the note's own template (components.NOTE): a message about what a
# control could not do, or what it put in the box. The time makes each note new to
# the page, even when its words repeat.


def notice(message: str) -> dict:
    """What a control could not do, in the page's words."""
    return {"error": message, "at": time.time_ns()}


def loaded_note(loaded: Loaded | None) -> dict | None:
    """What a control put in the box: what it is, its title, and how much of it there is."""
    if loaded is None:
        return None
    document = loaded.document
    what = "sample article" if loaded.kind == "sample" else FORMAT_NAMES.get(document.format, "document")
    size = (f" · {plural(len(document.paragraphs), 'block')}, {plural(len(document.sentences), 'sentence')}"
            if document is not None else "")
    return {"loaded": True, "kind": loaded.kind, "name": loaded.name, "what": what[:1].upper() + what[1:],
            "title": loaded.title or loaded.name, "size": size, "at": time.time_ns()}


def glossary_note(glossary: Glossary | None) -> dict | None:
    """The glossary in use (what the page's note shows, and what ``/load_glossary`` answers)."""
    if glossary is None:
        return None
    return {"name": glossary.name, "terms": len(glossary), "digest": glossary.digest,
            "size": plural(len(glossary), "term")}


def _escape(text: str) -> str:
    return html.escape(text, quote=False)


# -- the Library view -----------------------------------------------------------------------
# Data, drawn by the browser (static/library.js), which escapes every text: titles, sources
# and sentences are whatever was translated.


def library_data(entries: list[Entry], found: list[Found] | None = None, *, query: str = "",
                 message: str | None = None, titles: dict[int, dict] | None = None) -> dict:
    """The Library view: the newest documents (``entries``), or a search's results.

    Returns:
        ``{"query", "message", "entries": [entry], "found": [entry + {"hits": [hit]}] or
        None}``; an entry is ``{"id", "title", "names", "kind", "source", "translated" (ms
        since the epoch), "sentences", "everyone" (recorded for every user)}``, ``names``
        being ``titles[id]`` (``{"ar", "en"}``, as Recent names a document) or None; a hit is
        ``{"index", "ar", "en"}``, each a list of ``[text, marked]`` runs (marked: 1 for a hit).
    """
    return {"query": query, "message": message, "at": time.time_ns(),
            "entries": [_entry(entry, titles) for entry in entries],
            "found": None if found is None else [
                _entry(result.entry, titles) | {"hits": [{"index": hit.index, "ar": marked_runs(hit.marked_source),
                                                   "en": marked_runs(hit.marked_translation)}
                                                  for hit in result.hits]}
                for result in found]}


def _entry(entry: Entry, titles: dict[int, dict] | None) -> dict:
    return {"id": entry.id, "title": entry.title, "names": (titles or {}).get(entry.id), "kind": entry.kind, "source": entry.source,
            "translated": round(entry.translated * 1000), "sentences": entry.sentences, "everyone": entry.owner == ""}


def marked_runs(text: str, mark: tuple[str, str] = LIBRARY_MARK) -> list[list]:
    """A text with hits between ``mark`` as runs: ``[[text, 0], [hit, 1], …]`` (empty runs left out)."""
    runs, marked = [], 0
    for piece in text.replace(mark[1], mark[0]).split(mark[0]):
        if piece:
            runs.append([piece, marked])
        marked ^= 1
    return runs
