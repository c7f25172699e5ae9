"""Test documents with formatting inside their paragraphs: bold, italics, a Word
character style and hyperlinks, in .docx (python-docx), .epub (ebooklib) and HTML.

Their sentences come from the seed article, so the reference engine
(tests/reference_engine.py) answers them with their reference English. For those
sentences :data:`GOLD` holds a hand-made word alignment and, for each span, the
English words it belongs on: placement can then be judged, not only counted.
Shared by test_spans.py and benchmarks/span_placement.py.
"""
from __future__ import annotations

import html
import io

# A piece of a paragraph: its text and its formatting, () for plain text;
# ("link", address) for a link, ("style", name) for a Word character style.
BOLD, ITALIC = ("bold",), ("italic",)


def link(address: str) -> tuple[str, str]:
    return ("link", address)


LINKS = ("https://www.alaraby.co.uk/politics/aleppo", "https://example.org/reports/aleppo?id=1&lang=ar",
         "https://www.mfa.gov.tr/statement", "https://example.org/battles#largest", "https://example.org/idlib")

#: (block kind, pieces) per paragraph.
PARAGRAPHS = [
    ("heading", [("قصف روسي", BOLD), (" على ", ()), ("حلب", link(LINKS[0]))]),
    ("paragraph", [("تدور اشتباكات عنيفة بين ", ()), ("فصائل المعارضة السورية", BOLD), (" وقوات النظام في ", ()),
                   ("مدينة حلب", link(LINKS[1])), ("، بعد دخول المقاتلين وفرض سيطرتهم على ", ()),
                   ("أجزاء واسعة", ITALIC), (" من المدينة.", ())]),
    ("heading", [("تركيا", link(LINKS[2])), (" تطالب بوقف ", ()), ("الهجمات", BOLD), (" على ", ()),
                 ("إدلب", link(LINKS[4]))]),
    ("paragraph", [("ووصل مقاتلون سوريون معارضون إلى ثاني أكبر مدينة في سوريا، الجمعة، في سياق هجوم واسع ضد "
                    "قوات النظام المدعومة من إيران وروسيا. وتُعد هذه ", ()), ("المعارك", ITALIC), (" من بين ", ()),
                   ("الأكبر منذ سنوات", link(LINKS[3])), (".", ())]),
]

#: For each formatted seed sentence: its reference English, a hand-made word alignment,
#: and for each span (kind, Arabic text) the English words it belongs on.
GOLD = {
    "قصف روسي على حلب": (
        "Russian bombardment of Aleppo", ((0, 1), (1, 0), (2, 2), (3, 3)),
        {("bold", "قصف روسي"): "Russian bombardment", ("link", "حلب"): "Aleppo"}),
    "تدور اشتباكات عنيفة بين فصائل المعارضة السورية وقوات النظام في مدينة حلب، بعد دخول المقاتلين وفرض "
    "سيطرتهم على أجزاء واسعة من المدينة.": (
        "Violent clashes are raging between Syrian opposition factions and regime forces in the city of Aleppo, "
        "after the fighters entered and took control of large parts of the city.",
        ((0, 2), (0, 3), (1, 1), (2, 0), (3, 4), (4, 7), (5, 6), (6, 5), (7, 8), (7, 10), (8, 9), (9, 11),
         (10, 12), (10, 13), (10, 14), (11, 15), (12, 16), (13, 19), (14, 17), (14, 18), (15, 20), (15, 21),
         (16, 22), (17, 23), (18, 25), (19, 24), (20, 26), (21, 27), (21, 28)),
        {("bold", "فصائل المعارضة السورية"): "Syrian opposition factions", ("link", "مدينة حلب"): "the city of Aleppo",
         ("italic", "أجزاء واسعة"): "large parts"}),
    "تركيا تطالب بوقف الهجمات على إدلب": (
        "Turkey demands a halt to the attacks on Idlib",
        ((0, 0), (1, 1), (2, 2), (2, 3), (2, 4), (3, 5), (3, 6), (4, 7), (5, 8)),
        {("link", "تركيا"): "Turkey", ("bold", "الهجمات"): "the attacks", ("link", "إدلب"): "Idlib"}),
    "وتُعد هذه المعارك من بين الأكبر منذ سنوات.": (
        "These battles are among the largest in years.",
        ((0, 2), (1, 0), (2, 1), (3, 3), (4, 3), (5, 4), (5, 5), (6, 6), (7, 7)),
        {("italic", "المعارك"): "battles", ("link", "الأكبر منذ سنوات"): "the largest in years"}),
}


def spans_in() -> dict[str, int]:
    """How many spans of each kind the documents hold."""
    counts: dict[str, int] = {}
    for _, pieces in PARAGRAPHS:
        for _, formatting in pieces:
            if formatting:
                counts[formatting[0]] = counts.get(formatting[0], 0) + 1
    return counts


def make_docx(style: bool = True) -> bytes:
    """The paragraphs as a Word document: headings, bold and italic runs, hyperlinks
    (each run inside with the "Hyperlink"-like character style "Strong" when ``style``)."""
    import docx
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    word = docx.Document()
    for kind, pieces in PARAGRAPHS:
        paragraph = word.add_heading("", level=2) if kind == "heading" else word.add_paragraph()
        for text, formatting in pieces:
            if formatting and formatting[0] == "link":
                relation = paragraph.part.relate_to(
                    formatting[1], "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink",
                    is_external=True)
                hyperlink = OxmlElement("w:hyperlink")
                hyperlink.set(qn("r:id"), relation)
                run = OxmlElement("w:r")
                if style:
                    properties = OxmlElement("w:rPr")
                    run_style = OxmlElement("w:rStyle")
                    run_style.set(qn("w:val"), "Strong")
                    properties.append(run_style)
                    run.append(properties)
                t = OxmlElement("w:t")
                t.text = text
                run.append(t)
                hyperlink.append(run)
                paragraph._p.append(hyperlink)
                continue
            run = paragraph.add_run(text)
            run.bold = formatting == BOLD or None
            run.italic = formatting == ITALIC or None
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def inline_html(pieces) -> str:
    """The pieces as inline HTML: <b>, <i>, <a href>."""
    out = []
    for text, formatting in pieces:
        text = html.escape(text)
        if formatting == BOLD:
            text = f"<b>{text}</b>"
        elif formatting == ITALIC:
            text = f"<i>{text}</i>"
        elif formatting and formatting[0] == "link":
            text = f'<a href="{html.escape(formatting[1])}">{text}</a>'
        out.append(text)
    return "".join(out)


def body_html(extra: str = "") -> str:
    return "".join(f"<h2>{inline_html(pieces)}</h2>" if kind == "heading" else f"<p>{inline_html(pieces)}</p>"
                   for kind, pieces in PARAGRAPHS) + extra


def make_html() -> bytes:
    """The paragraphs as a news article page, with a menu and a footer around it."""
    from sample_documents import SEED_LINES

    more = "".join(f"<p>{html.escape(line)}</p>" for line in SEED_LINES[11:16])
    return ("<!doctype html><html lang='ar' dir='rtl'><head><meta charset='utf-8'><title>قصف روسي على حلب"
            "</title></head><body><nav><a href='/'>الرئيسية</a> <a href='/world'>العالم</a></nav>"
            f"<article><h1>معارك حلب</h1>{body_html(more)}</article><footer>جميع الحقوق محفوظة</footer>"
            "</body></html>").encode()


def make_epub() -> bytes:
    """The paragraphs as a one-chapter EPUB book."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("test-formatted")
    book.set_title("معارك حلب")
    book.set_language("ar")
    chapter = epub.EpubHtml(title="حلب", file_name="one.xhtml", lang="ar")
    chapter.content = f'<html><body dir="rtl">{body_html()}</body></html>'
    book.add_item(chapter)
    book.toc = [chapter]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    book.spine = ["nav", chapter]
    out = io.BytesIO()
    epub.write_epub(out, book)
    return out.getvalue()


def gold_translator(tiny_model, cache_dir, **options):
    """A translator on the tiny model whose engine answers the seed sentences with their
    reference English (tests/reference_engine.py) and, for those of :data:`GOLD`, with
    its hand-made alignment: the one engine here whose placements can be judged."""
    from dataclasses import replace

    from reference_engine import ReferenceEngine, reference_translator

    from translate import Translator
    from translate.engines.base import EnginePlan

    class GoldEngine(ReferenceEngine):
        def __init__(self, engine):
            super().__init__(engine)
            self.plan = EnginePlan(self.plan.name, self.plan.device, self.plan.precision, self.plan.version + "+gold")

        def _reference(self, source, hypothesis):
            found = super()._reference(source, hypothesis)
            return replace(found, alignment=GOLD[source][1]) if source in GOLD else found

    base = reference_translator(tiny_model, cache_dir, **options)
    return Translator(GoldEngine(base.engine.engine), base.cache, settings=base.settings, quality=base.quality,
                      batch_size=base.batch_size, memory=base.memory, glossary=base.glossary)
