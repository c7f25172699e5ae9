"""The translated document as a web page (format ``page``): English only, left to right.

Not to be confused with ``html``, the bilingual side-by-side page of
:mod:`translate.writers.bilingual`. Headings keep their level, list items become a list,
table cells a table, and a web article links back to its address. Bold, italics and
links inside a paragraph are put on the English words aligned to them
(:func:`translate.text.document.paragraph_formatted`).
"""
from __future__ import annotations

import html
from itertools import groupby

from ..text.document import HEADING, LIST_ITEM, TABLE_CELL, TITLE, Document, paragraph_formatted
from ..text.spans import to_html
from .base import english, require_translated

_STYLE = ("body{max-width:42rem;margin:2rem auto;padding:0 1rem;font-family:Georgia,'Noto Serif','DejaVu Serif',"
          "serif;line-height:1.6;color:#1f1f1f;background:#fdfcf9}"
          "@media (prefers-color-scheme:dark){body{color:#e6e4df;background:#1b1b1d}}"
          "h1,h2,h3,h4,h5,h6{font-family:system-ui,sans-serif;line-height:1.25}"
          "table{border-collapse:collapse}td,th{border:1px solid #9995;padding:.3rem .6rem}"
          ".source{font-family:system-ui,sans-serif;font-size:.85rem;opacity:.7}")


def write(document: Document, original: bytes | None = None, signature: str | None = None) -> bytes:
    """A standalone English page (no external resources).

    Raises:
        OutputError: the document is not fully translated.
    """
    require_translated(document, "page")
    title_paragraph = next((p for p in document.paragraphs if p.kind == TITLE), None)
    title = english(title_paragraph) if title_paragraph else (document.name or "Translation")
    url = title_paragraph.meta.get("url") if title_paragraph else None
    body = [body_html(document.paragraphs)]
    if url:
        body.append(f'<p class="source">Translated from Arabic: <a href="{html.escape(url)}">'
                    f"{html.escape(url)}</a></p>")
    generator = f'<meta name="generator" content="{html.escape(signature)}">' if signature else ""
    return (
        "<!doctype html>\n"
        f'<html lang="en" dir="ltr"><head><meta charset="utf-8"><title>{_escape(title)}</title>'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">{generator}'
        f"<style>{_STYLE}</style></head>\n<body>\n" + "\n".join(body) + "\n</body></html>\n"
    ).encode("utf-8")


def body_html(paragraphs) -> str:
    """The paragraphs' English as HTML blocks: headings, paragraphs, lists, tables."""
    body: list[str] = []
    groups = groupby(paragraphs, key=lambda p: (p.kind, p.meta.get("table")) if p.kind in
                     (LIST_ITEM, TABLE_CELL) else (p.kind, p.index))
    for (kind, _), members in groups:
        members = list(members)
        if kind == LIST_ITEM:
            body.append("<ul>" + "".join(f"<li>{_formatted(p)}</li>" for p in members) + "</ul>")
        elif kind == TABLE_CELL:
            body.append(_table(members))
        elif kind == TITLE:
            body.append(f"<h1>{_formatted(members[0])}</h1>")
        elif kind == HEADING:
            level = min(max(int(members[0].meta.get("level", 2)), 2), 6)
            body.append(f"<h{level}>{_formatted(members[0])}</h{level}>")
        else:
            body.append(f"<p>{_formatted(members[0])}</p>")
    return "\n".join(body)


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _formatted(paragraph) -> str:
    """A paragraph's English as HTML, escaped, with its bold, italics and links."""
    return to_html(*paragraph_formatted(paragraph), escape=_escape)


def _table(cells) -> str:
    """A table from cell paragraphs; paragraphs of one cell (same row and column) share it."""
    grid: dict[int, dict[int, list]] = {}
    for n, paragraph in enumerate(cells):
        row = grid.setdefault(paragraph.meta.get("row", n), {})
        row.setdefault(paragraph.meta.get("col", len(row)), []).append(paragraph)
    out = []
    for _, row in sorted(grid.items()):
        tds = []
        for _, members in sorted(row.items()):
            tag = "th" if members[0].meta.get("header") else "td"
            tds.append(f"<{tag}>" + "<br>".join(_formatted(p) for p in members) + f"</{tag}>")
        out.append("<tr>" + "".join(tds) + "</tr>")
    return "<table>" + "".join(out) + "</table>"
