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


def score_title(score: float | None) -> str:
    return "" if score is None else f"confidence {score:.2f} (mean log-probability per token)"


def bilingual_rows(document: Document) -> str:
    """The aligned body: one row per paragraph, a ``<span data-idx>`` per sentence.

    Every source and translation string is HTML-escaped here, in one place.
    """
    rows = []
    for paragraph in document.paragraphs:
        tag = "h2" if paragraph.is_heading else "p"
        arabic, english = [], []
        for pair in paragraph.sentences:
            low = pair.score is not None and pair.score < LOW_SCORE
            classes = "s low" if low else "s"
            title = f' title="{html.escape(score_title(pair.score))}"' if low else ""
            arabic.append(f'<span class="s" data-idx="{pair.index}">{html.escape(pair.source)}</span>')
            if pair.translation is None:
                english.append(f'<span class="s pending" data-idx="{pair.index}">…</span>')
            else:
                english.append(
                    f'<span class="{classes}" data-idx="{pair.index}"{title}>{html.escape(pair.translation)}</span>'
                )
        rows.append(
            f'<div class="row"><{tag} class="ar" dir="rtl" lang="ar">{" ".join(arabic)}</{tag}>'
            f'<{tag} class="en" dir="ltr" lang="en">{" ".join(english)}</{tag}></div>'
        )
    return "\n".join(rows)


PAGE_CSS = f"""
.bilingual {{ max-width: 72rem; margin: 0 auto; }}
.bilingual .row {{ display: grid; grid-template-columns: 1fr 1fr; gap: 2.5rem; align-items: start; }}
.bilingual .ar {{ font-family: {ARABIC_FONTS}; font-size: 1.2rem; line-height: 1.9; text-align: right; }}
.bilingual .en {{ font-family: Georgia, "Noto Serif", "Times New Roman", serif; font-size: 1.05rem; line-height: 1.7; }}
.bilingual h2 {{ font-size: 1.35rem; font-weight: 700; margin: 1.4rem 0 0.4rem; }}
.bilingual p {{ margin: 0 0 1rem; }}
.bilingual .s {{ border-radius: 3px; transition: background-color 0.15s; }}
.bilingual .s.low {{ text-decoration: underline dotted #b08900; text-underline-offset: 0.25em; }}
.bilingual .s.pending {{ color: #999; }}
.bilingual .s.hl {{ background-color: #fff2a8; }}
@media (max-width: 760px) {{ .bilingual .row {{ grid-template-columns: 1fr; gap: 0.2rem; }} }}
"""

PAGE_SCRIPT = """
document.addEventListener('mouseover', function (event) {
  var s = event.target.closest && event.target.closest('.bilingual .s');
  document.querySelectorAll('.bilingual .s.hl').forEach(function (e) { e.classList.remove('hl'); });
  if (!s) return;
  document.querySelectorAll('.bilingual .s[data-idx="' + s.dataset.idx + '"]').forEach(function (e) { e.classList.add('hl'); });
});
"""


def to_html(document: Document) -> str:
    """A standalone bilingual page that opens offline (no external resources)."""
    title = html.escape(document.name or "Translation")
    return (
        "<!doctype html>\n"
        f'<html lang="en"><head><meta charset="utf-8"><title>{title}</title>'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<style>body {{ margin: 2rem; color: #222; background: #fdfcf9; }}{PAGE_CSS}</style></head>\n"
        f'<body><main class="bilingual">\n{bilingual_rows(document)}\n</main>'
        f"<script>{PAGE_SCRIPT}</script></body></html>\n"
    )
