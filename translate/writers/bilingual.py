"""Output formats: pure functions from a :class:`Document` to text.

``txt`` is the English alone, laid out like the input; ``md`` and ``html`` put
Arabic and English side by side; ``jsonl`` has one object per sentence pair. In
``md`` and ``html`` the formatting inside a sentence (bold, italics, links) shows on
both sides: the Arabic's as read, the English's as placed through the word
alignment (:mod:`translate.text.spans`).
"""
from __future__ import annotations

import html
import json
import re
from importlib import resources

from ..quality import QualityPolicy
from ..text import spans as formatting
from ..text.document import Document, SentencePair
from ..text.spans import BOLD, Placement


def render(document: Document, fmt: str, quality: QualityPolicy = QualityPolicy()) -> str:
    """The document in ``fmt`` (one of :data:`FORMATS`); ``quality``: what the html view marks as doubtful."""
    if fmt == "html":
        return to_html(document, quality)
    return RENDERERS[fmt](document)


def to_text(document: Document) -> str:
    text = document.translation_text()
    return text if text.endswith("\n") else text + "\n"


def pair_record(document: Document, pair: SentencePair) -> dict:
    """One sentence pair as plain data (a ``.jsonl`` line, an item of the page's API)."""
    return {
        "document": document.name,
        "paragraph": pair.paragraph,
        "index": pair.index,
        "source": pair.source,
        "translation": pair.translation,
        "score": None if pair.score is None else round(pair.score, 4),
        "cached": pair.cached,
        "flags": list(pair.flags),
        "alignment": [list(link) for link in pair.alignment],
        "origin": pair.origin,
    }


def to_jsonl(document: Document) -> str:
    """A header line (the document and the signature that translated it), then one
    object per sentence pair (:func:`pair_record`)."""
    header = {"document": document.name, "sentences": len(document.sentences), "signature": document.signature}
    lines = [json.dumps(header, ensure_ascii=False)]
    lines += [json.dumps(pair_record(document, pair), ensure_ascii=False) for pair in document.sentences]
    return "".join(line + "\n" for line in lines)


# Every ASCII punctuation mark may be escaped with a backslash in Markdown, and so
# each one is: no emphasis, link, image, HTML tag, entity or table cell can form.
_MD_SPECIAL = re.compile(r"([!-/:-@\[-`{-~])")


def _md_cell(text: str | None) -> str:
    return _MD_SPECIAL.sub(r"\\\1", " ".join((text or "").split()))


def _md_piece(text: str) -> str:
    """A piece of a cell: escaped as a cell is, its spaces kept (one) at its ends."""
    return _MD_SPECIAL.sub(r"\\\1", re.sub(r"\s+", " ", text))


def _md_formatted(text: str | None, spans) -> str:
    if not spans:
        return _md_cell(text)
    return re.sub(" {2,}", " ", formatting.to_markdown(text or "", spans, _md_piece)).strip()


def english_placement(pair: SentencePair) -> Placement:
    """The pair's English with its formatting (the plain English while it has none)."""
    return pair.placement or Placement(pair.translation or "")


def to_markdown(document: Document) -> str:
    """A two-column table, a row per sentence; headline rows in bold."""
    rows = ["| العربية | English |", "| --- | --- |"]
    for paragraph in document.paragraphs:
        for pair in paragraph.sentences:
            placement = english_placement(pair)
            source_spans, target_spans = pair.spans, placement.spans
            if paragraph.is_heading:  # the row is bold already: ** inside ** would not nest
                source_spans = tuple(s for s in source_spans if s.kind != BOLD)
                target_spans = tuple(s for s in target_spans if s.kind != BOLD)
            source = _md_formatted(pair.source, source_spans)
            target = _md_formatted(placement.text, target_spans) if pair.translation is not None else ""

            if paragraph.is_heading:
                source, target = f"**{source}**", f"**{target}**"
            rows.append(f"| {source} | {target} |")
    title = f"# {_md_cell(document.name)}\n\n" if document.name else ""
    signature = f"\nTranslated with {_md_cell(document.signature)}\n" if document.signature else ""
    return title + "\n".join(rows) + "\n" + signature


def score_title(score: float | None, flags: tuple[str, ...] = ()) -> str:
    """The tooltip of a doubtful sentence: its score, and any doubts the retry left."""
    parts = [] if score is None else [f"confidence {score:.2f} (mean log-probability per token)"]
    if flags:
        parts.append("doubts: " + ", ".join(flags))
    return "; ".join(parts)


def bilingual_rows(document: Document, quality: QualityPolicy = QualityPolicy()) -> str:
    """The aligned body: one row per paragraph, a ``<span data-idx>`` per sentence.

    The same ``data-idx`` (the pair's index) marks a sentence in both columns; a
    sentence still being translated shows as a grey ellipsis. Every source and
    translation string is HTML-escaped here, in one place.
    """
    rows = []
    for paragraph in document.paragraphs:
        tag = "h2" if paragraph.is_heading else "p"
        arabic, english = [], []
        for pair in paragraph.sentences:
            source = formatting.to_html(pair.source, pair.spans, new_tab=True)
            arabic.append(f'<span class="s" data-idx="{pair.index}">{source}</span>')
            if pair.translation is None:
                english.append(f'<span class="s pending" data-idx="{pair.index}">…</span>')
                continue
            doubtful = quality.is_doubtful(pair.score, pair.flags)
            attributes = f' title="{html.escape(score_title(pair.score, pair.flags))}"' if doubtful else ""
            placement = english_placement(pair)
            english.append(f'<span class="{"s low" if doubtful else "s"}" data-idx="{pair.index}"{attributes}>'
                           f"{formatting.to_html(placement.text, placement.spans, new_tab=True)}</span>")
        kind = "row heading" if paragraph.is_heading else "row"
        rows.append(
            f'<div class="{kind}"><{tag} class="ar" dir="rtl" lang="ar">{" ".join(arabic)}</{tag}>'
            f'<{tag} class="en" dir="ltr" lang="en">{" ".join(english)}</{tag}></div>'
        )
    return "\n".join(rows)


#: Column labels above the two columns (not sentences: they carry no data-idx).
COLUMN_HEADS = ('<div class="row heads" aria-hidden="true"><div class="ar" dir="rtl" lang="ar">العربية</div>'
                '<div class="en" lang="en">English</div></div>')


def bilingual_view(document: Document, quality: QualityPolicy = QualityPolicy()) -> str:
    """The two aligned columns with their labels, ready to drop into a page."""
    return f'<div class="bilingual">\n{COLUMN_HEADS}\n{bilingual_rows(document, quality)}\n</div>'


#: How many words of a document's first sentence name it when it has no title.
NAME_WORDS = 10


def names(document: Document, title: str | None = None) -> dict:
    """What a document is called, in Arabic and in English, the same way whatever it was
    read from: its own title (or ``title``) and the English of it when the title is its
    first block, else the first words of its first sentence and of their English.

    Returns:
        ``{"ar": ..., "en": ...}``; ``en`` is None until that English is there.
    """
    first = next((p for p in document.paragraphs if p.sentences), None)
    if first is None:
        return {"ar": title or document.title or "", "en": None}
    heading = document.title or title
    if heading and " ".join(heading.split()) == " ".join(document.text[first.start:first.end].split()):
        english = [pair.translation for pair in first.sentences]
        return {"ar": heading, "en": " ".join(english) if all(english) else None}
    pair = first.sentences[0]
    return {"ar": _first_words(pair.source), "en": _first_words(pair.translation) if pair.translation else None}


def _first_words(text: str) -> str:
    words = text.split()
    return " ".join(words[:NAME_WORDS]) + ("…" if len(words) > NAME_WORDS else "")


def asset(name: str) -> str:
    """A file of ``translate/static`` (the page's CSS and JavaScript), as text."""
    return resources.files("translate").joinpath("static", name).read_text(encoding="utf-8")


def to_html(document: Document, quality: QualityPolicy = QualityPolicy()) -> str:
    """A standalone bilingual page that opens offline (no external resources), headed by
    the document's title in Arabic and in English (:func:`names`), its file named under it."""
    named = names(document)
    arabic, english = named["ar"] or document.name or "Translation", named["en"]
    title = html.escape(english or arabic)
    subtitle = f'<p class="page-english" lang="en">{html.escape(english)}</p>' if english else ""
    source = f"{html.escape(document.name)} · " if document.name else ""
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="translate-signature" content="{html.escape(document.signature or "")}">'
        "<style>body { margin: 2rem 1.2rem; color: #1f1f1f; background: #fdfcf9; }"
        "@media (prefers-color-scheme: dark) { body { color: #e6e4df; background: #1b1b1d; } }"
        ".page-head { max-width: 76rem; margin: 0 auto 2rem; font-family: system-ui, sans-serif; }"
        ".page-head h1 { font-size: 1.4rem; margin: 0 0 0.2rem; font-family: \"Noto Naskh Arabic\", \"Amiri\", serif; }"
        ".page-head p { margin: 0; } .page-head .page-english { font-size: 1.1rem; margin-bottom: 0.3rem; }"
        ".on-touch { display: none; } "
        "@media (hover: none) { .on-hover { display: none; } .on-touch { display: inline; } }"
        f"{asset('bilingual.css')}</style></head>\n"
        f'<body><header class="page-head"><h1 lang="ar" dir="rtl">{html.escape(arabic)}</h1>{subtitle}'
        f'<p>{source}Arabic → English, sentence by sentence. <span class="on-hover">Hover over</span>'
        '<span class="on-touch">Tap</span> a sentence to see its counterpart.</p></header>'
        f"<main>\n{bilingual_view(document, quality)}\n</main>"
        f"<script>{asset('bilingual.js')}</script></body></html>\n"
    )


RENDERERS = {"txt": to_text, "md": to_markdown, "html": to_html, "jsonl": to_jsonl}
#: The output formats, by name.
FORMATS = tuple(RENDERERS)
