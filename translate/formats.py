"""Output formats: pure functions from a :class:`Document` to text.

``txt`` is the English alone, laid out like the input; ``md`` and ``html`` put
Arabic and English side by side; ``jsonl`` has one object per sentence pair.
"""
from __future__ import annotations

import html
import json

from .document import Document

# Readable Arabic needs a font that has it; these cover Linux, macOS and Windows.
ARABIC_FONTS = '"Noto Naskh Arabic", "Amiri", "Scheherazade New", "Geeza Pro", "Traditional Arabic", "Arial", serif'
LOW_SCORE = -1.5  # mean log-probability per token below which a sentence is marked doubtful


def render(document: Document, fmt: str) -> str:
    """The document in ``fmt`` (txt, md, html or jsonl)."""
    return {"txt": to_text, "md": to_markdown, "html": to_html, "jsonl": to_jsonl}[fmt](document)


def to_text(document: Document) -> str:
    text = document.translation_text()
    return text if text.endswith("\n") else text + "\n"


def to_jsonl(document: Document) -> str:
    lines = [
        json.dumps(
            {
                "document": document.name,
                "paragraph": pair.paragraph,
                "index": pair.index,
                "source": pair.source,
                "translation": pair.translation,
                "score": None if pair.score is None else round(pair.score, 4),
                "cached": pair.cached,
                "flags": list(pair.flags),
            },
            ensure_ascii=False,
        )
        for pair in document.sentences
    ]
    return "".join(line + "\n" for line in lines)


def _md_cell(text: str | None) -> str:
    return (text or "").replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")


def to_markdown(document: Document) -> str:
    """A two-column table, a row per sentence; headline rows in bold."""
    rows = ["| العربية | English |", "| --- | --- |"]
    for paragraph in document.paragraphs:
        for pair in paragraph.sentences:
            source, target = _md_cell(pair.source), _md_cell(pair.translation)
            if paragraph.is_heading:
                source, target = f"**{source}**", f"**{target}**"
            rows.append(f"| {source} | {target} |")
    title = f"# {_md_cell(document.name)}\n\n" if document.name else ""
    return title + "\n".join(rows) + "\n"


def score_title(score: float | None, flags: tuple[str, ...] = ()) -> str:
    """The tooltip of a doubtful sentence: its score, and any doubts the retry left."""
    parts = [] if score is None else [f"confidence {score:.2f} (mean log-probability per token)"]
    if flags:
        parts.append("doubts: " + ", ".join(flags))
    return "; ".join(parts)


def bilingual_rows(document: Document) -> str:
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
            arabic.append(f'<span class="s" data-idx="{pair.index}">{html.escape(pair.source)}</span>')
            if pair.translation is None:
                english.append(f'<span class="s pending" data-idx="{pair.index}">…</span>')
                continue
            doubtful = (pair.score is not None and pair.score < LOW_SCORE) or bool(pair.flags)
            attributes = f' title="{html.escape(score_title(pair.score, pair.flags))}"' if doubtful else ""
            english.append(f'<span class="{"s low" if doubtful else "s"}" data-idx="{pair.index}"{attributes}>'
                           f"{html.escape(pair.translation)}</span>")
        kind = "row heading" if paragraph.is_heading else "row"
        rows.append(
            f'<div class="{kind}"><{tag} class="ar" dir="rtl" lang="ar">{" ".join(arabic)}</{tag}>'
            f'<{tag} class="en" dir="ltr" lang="en">{" ".join(english)}</{tag}></div>'
        )
    return "\n".join(rows)


#: Column labels above the two columns (not sentences: they carry no data-idx).
COLUMN_HEADS = ('<div class="row heads" aria-hidden="true"><div class="ar" dir="rtl" lang="ar">العربية</div>'
                '<div class="en" lang="en">English</div></div>')


def bilingual_view(document: Document) -> str:
    """The two aligned columns with their labels, ready to drop into a page."""
    return f'<div class="bilingual">\n{COLUMN_HEADS}\n{bilingual_rows(document)}\n</div>'


# Scoped under .bilingual so the same rules serve the standalone page and the app.
# The highlight is translucent so that it reads on light and dark backgrounds alike.
PAGE_CSS = f"""
.bilingual {{ max-width: 76rem; margin: 0 auto; }}
.bilingual .row {{ display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); column-gap: 3rem; align-items: start; }}
.bilingual .row > * {{ margin: 0 0 1.1rem; }}
.bilingual .ar {{ font-family: {ARABIC_FONTS}; font-size: 1.3rem; line-height: 1.9; text-align: right; }}
.bilingual .en {{ font-family: Charter, "Iowan Old Style", Georgia, "Noto Serif", "DejaVu Serif", serif; font-size: 1.08rem; line-height: 1.75; }}
.bilingual .heads > * {{ font-family: system-ui, sans-serif; font-size: 0.78rem; font-weight: 600; letter-spacing: 0.06em;
  text-transform: uppercase; opacity: 0.55; border-bottom: 1px solid rgba(128, 128, 128, 0.3); padding-bottom: 0.3rem; margin-bottom: 1.2rem; }}
.bilingual .heading > * {{ font-weight: 700; margin: 1.6rem 0 0.6rem; }}
.bilingual .heading .ar {{ font-size: 1.55rem; line-height: 1.6; }}
.bilingual .heading .en {{ font-family: system-ui, "Segoe UI", "Helvetica Neue", Arial, sans-serif; font-size: 1.3rem; line-height: 1.35; }}
.bilingual .s {{ border-radius: 4px; padding: 0.05em 0.1em; margin: 0 -0.1em; cursor: pointer;
  transition: background-color 0.12s; -webkit-box-decoration-break: clone; box-decoration-break: clone; }}
.bilingual .s.low {{ text-decoration: underline dotted rgba(176, 137, 0, 0.8); text-decoration-thickness: 1.5px; text-underline-offset: 0.3em; }}
.bilingual .s.pending {{ opacity: 0.4; cursor: progress; }}
.bilingual .s.hl {{ background-color: rgba(255, 208, 0, 0.32); }}
@media (max-width: 760px) {{
  .bilingual .row {{ grid-template-columns: minmax(0, 1fr); }}
  .bilingual .row > .ar {{ margin-bottom: 0.3rem; }}
  .bilingual .row > .en {{ padding-bottom: 1.1rem; border-bottom: 1px solid rgba(128, 128, 128, 0.15); }}
  .bilingual .heads {{ display: none; }}
}}
"""

# Hovering (or tapping) a sentence highlights it and its counterpart, and brings the
# counterpart into view when it is off screen. One listener on the document, so it
# keeps working when the app replaces the columns during a translation.
PAGE_SCRIPT = """
(function () {
  if (window.bilingualReader) return;
  window.bilingualReader = true;
  var lastScroll = 0;
  function sentence(target) {
    return target && target.closest ? target.closest('.bilingual .s[data-idx]') : null;
  }
  function highlight(s, scroll) {
    document.querySelectorAll('.bilingual .s.hl').forEach(function (e) { e.classList.remove('hl'); });
    if (!s) return;
    document.querySelectorAll('.bilingual .s[data-idx="' + s.dataset.idx + '"]').forEach(function (e) {
      e.classList.add('hl');
      if (e === s) return;
      var box = e.getBoundingClientRect();
      var hidden = box.bottom < 0 || box.top > window.innerHeight;
      if (hidden && (scroll || Date.now() - lastScroll > 800)) {
        lastScroll = Date.now();
        e.scrollIntoView({ block: scroll ? 'center' : 'nearest', behavior: 'smooth' });
      }
    });
  }
  document.addEventListener('mouseover', function (event) { highlight(sentence(event.target), false); });
  document.addEventListener('click', function (event) {
    var s = sentence(event.target);
    if (s) highlight(s, true);
  });
})();
"""


def to_html(document: Document) -> str:
    """A standalone bilingual page that opens offline (no external resources)."""
    title = html.escape(document.name or "Translation")
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        "<style>body { margin: 2rem 1.2rem; color: #1f1f1f; background: #fdfcf9; }"
        "@media (prefers-color-scheme: dark) { body { color: #e6e4df; background: #1b1b1d; } }"
        ".page-head { max-width: 76rem; margin: 0 auto 2rem; font-family: system-ui, sans-serif; }"
        ".page-head h1 { font-size: 1.4rem; margin: 0 0 0.2rem; } .page-head p { margin: 0; opacity: 0.6; }"
        f"{PAGE_CSS}</style></head>\n"
        f'<body><header class="page-head"><h1>{title}</h1><p>Arabic → English, sentence by sentence. '
        "Hover over a sentence to see its counterpart.</p></header>"
        f"<main>\n{bilingual_view(document)}\n</main>"
        f"<script>{PAGE_SCRIPT}</script></body></html>\n"
    )
