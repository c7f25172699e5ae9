"""Test documents in every input format, made with the same libraries real files come
from (python-docx, fpdf2, srt, ebooklib), each with the blocks a reader must find.

Shared by test_readers.py and test_writers.py. Text comes from the seed article.
"""
from __future__ import annotations

import io
import shutil
import subprocess
from datetime import timedelta
from pathlib import Path

import pytest

from translate.text.document import CUE, HEADING, LIST_ITEM, PARAGRAPH, TABLE_CELL, TITLE, Block

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEED_LINES = (ROOT / "seeds" / "aleppo-offensive.ar.txt").read_text(encoding="utf-8").splitlines()
HEADING_LINES = {2, 6, 10}  # "قصف روسي على حلب", "تركيا تطالب...", "“قصف مناطق آمنة”"
SAVED_PAGES = {
    "news-araby.ar.html": "فصائل المعارضة السورية تسيطر على أجزاء واسعة من مدينة حلب",
    "news-portal.ar.html": "حلب: اشتباكات عنيفة وقصف روسي وتركيا تطالب بوقف الهجمات",
}
# Boilerplate sentences written into the saved pages: menus, share buttons, comments,
# related and most-read lists, polls, footers. None may reach the document.
BOILERPLATE = {
    "news-araby.ar.html": [
        "يستخدم هذا الموقع ملفات تعريف الارتباط لتحسين تجربتك في التصفح.", "الرئيسية", "البث المباشر",
        "عاجل:", "انقطاع التيار الكهربائي عن عدة مناطق في العاصمة بسبب العاصفة",
        "المصدر: التلفزيون العربي – وكالات", "شارك", "نسخ الرابط", "دخان يتصاعد فوق أحياء حلب الغربية (أرشيف)",
        "مقتل مدنيين في غارات روسية على ريف إدلب الجنوبي", "وسوم:",
        "اشترك في النشرة البريدية ليصلك كل جديد من أخبارنا.", "التعليقات (3)",
        "نتمنى أن تنتهي هذه الحرب قريبًا ويعود الأمان إلى كل المدن السورية.",
        "الله يحمي أهلنا في حلب من القصف والتهجير.", "تغطية ممتازة كالعادة، شكرًا لفريق المراسلين على جهودهم.",
        "أخبار ذات صلة", "الأمم المتحدة تحذر من كارثة إنسانية في شمال سوريا",
        "موسكو ترسل تعزيزات عسكرية إلى قاعدة حميميم", "آلاف النازحين يتجهون نحو الحدود التركية هربًا من المعارك",
        "أسعار المواد الغذائية ترتفع في أسواق دمشق", "الأكثر قراءة",
        "منتخب المغرب يتأهل إلى نهائيات كأس أمم أفريقيا", "ارتفاع أسعار الذهب إلى مستوى قياسي جديد",
        "عاصفة ثلجية تضرب جبال لبنان وتقطع الطرقات", "جميع الحقوق محفوظة © 2024 التلفزيون العربي.",
        "سياسة الخصوصية", "تابعونا على",
    ],
    "news-portal.ar.html": [
        "الصفحة الرئيسية", "الوطن العربي", "السبت 30 نوفمبر 2024 - آخر تحديث: 10:42 بتوقيت مكة المكرمة",
        "تابعوا تغطيتنا المستمرة للأحداث على مدار الساعة عبر تطبيق الهاتف المحمول", "أقسام الموقع",
        "استطلاع الرأي", "هل تتوقع توسع المعارك إلى مدن أخرى؟", "بقلم: قسم الأخبار", "طباعة", "أرسل لصديق",
        "إعلان", "شارك على فيسبوك", "اقرأ أيضًا في نفس القسم",
        "وزير الخارجية الأردني يستقبل نظيره العراقي في عمان",
        "انطلاق فعاليات معرض الكتاب الدولي في الشارقة بمشاركة واسعة",
        "مباحثات مصرية قطرية حول جهود التهدئة في المنطقة", "تعليقات القراء",
        "الحرية لكل الشعب السوري والرحمة للشهداء.", "ما يحدث في حلب يحتاج إلى موقف عربي موحد وعاجل.",
        "التعليقات المنشورة لا تعبر بالضرورة عن رأي الموقع.", "الأكثر مشاهدة",
        "شاهد: لحظة انهيار مبنى سكني في القاهرة", "يمنع نسخ أو إعادة نشر المواد دون إذن مسبق من إدارة الموقع.",
    ],
}


def seed_blocks(indices=None) -> list[Block]:
    """The seed article's lines (all, or those in ``indices``) as blocks: headings where
    the article has them."""
    indices = range(len(SEED_LINES)) if indices is None else indices
    return [Block(SEED_LINES[i], HEADING if i in HEADING_LINES else PARAGRAPH) for i in indices]


def saved_page(name: str) -> bytes:
    return (DATA / name).read_bytes()


# -- Word ---------------------------------------------------------------------------

DOCX_TITLE = "تقرير: المعارك في مدينة حلب"
DOCX_ITEMS = ["سيطرة الفصائل على مقر قيادة الشرطة", "حظر للتجوال في حلب من الساعة 11:30 مساءً",
              "غارات روسية على إدلب ومحيطها"]
DOCX_TABLE = [["المدينة", "الوضع"], ["حلب", "اشتباكات عنيفة"]]


def make_docx() -> tuple[bytes, list[Block]]:
    """A right-to-left Word document: a title, headings, paragraphs, a bulleted list
    and a table, with an empty paragraph between (it is not a block)."""
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement

    def rtl(paragraph):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        properties = paragraph._p.get_or_add_pPr()
        properties.insert(0, OxmlElement("w:bidi"))
        for run in paragraph.runs:
            run._r.get_or_add_rPr().append(OxmlElement("w:rtl"))
        return paragraph

    document = docx.Document()
    rtl(document.add_paragraph(DOCX_TITLE, style="Title"))
    rtl(document.add_paragraph(SEED_LINES[0]))
    document.add_paragraph("")
    rtl(document.add_heading(SEED_LINES[2], level=1))
    paragraph = rtl(document.add_paragraph(SEED_LINES[3][:40]))
    paragraph.add_run(SEED_LINES[3][40:]).bold = True  # one paragraph, two runs
    for item in DOCX_ITEMS:
        rtl(document.add_paragraph(item, style="List Bullet"))
    rtl(document.add_heading(SEED_LINES[6], level=2))
    table = document.add_table(rows=2, cols=2)
    table.style = "Table Grid"
    table._tbl.tblPr.append(OxmlElement("w:bidiVisual"))
    for r, row in enumerate(DOCX_TABLE):
        for c, text in enumerate(row):
            rtl(table.cell(r, c).paragraphs[0]).add_run(text)
    rtl(document.add_paragraph(SEED_LINES[7]))
    out = io.BytesIO()
    document.save(out)
    expected = [Block(DOCX_TITLE, TITLE), Block(SEED_LINES[0], PARAGRAPH), Block(SEED_LINES[2], HEADING),
                Block(SEED_LINES[3], PARAGRAPH), *[Block(item, LIST_ITEM) for item in DOCX_ITEMS],
                Block(SEED_LINES[6], HEADING), *[Block(text, TABLE_CELL) for row in DOCX_TABLE for text in row],
                Block(SEED_LINES[7], PARAGRAPH)]
    return out.getvalue(), expected


# -- PDF ----------------------------------------------------------------------------

PDF_MIXED = "وقال المتحدث عبر منصة X إن الوضع في Aleppo خطير جدًا، وإن 3 أحياء سقطت."


def arabic_font() -> Path:
    """A TrueType font with Arabic letters, Latin and typographic quotes (DejaVu Sans)."""
    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", "/usr/share/fonts/dejavu/DejaVuSans.ttf",
                      "/usr/share/fonts/TTF/DejaVuSans.ttf", "/usr/local/share/fonts/DejaVuSans.ttf"):
        if Path(candidate).is_file():
            return Path(candidate)
    if shutil.which("fc-match"):
        found = subprocess.run(["fc-match", "-f", "%{file}", "DejaVu Sans:lang=ar"], capture_output=True,
                               text=True).stdout.strip()
        if found.endswith("DejaVuSans.ttf") and Path(found).is_file():
            return Path(found)
    pytest.fail("the PDF tests write Arabic with DejaVu Sans: install it (Debian: apt-get install fonts-dejavu-core)")


def make_pdf() -> tuple[bytes, list[Block]]:
    """A two-page Arabic PDF as a word processor would write it: shaped right-to-left
    text, larger headings, page numbers in the footer, a paragraph that runs on to
    the next page, and a line mixing Arabic, Latin and digits."""
    from fpdf import FPDF

    class Report(FPDF):
        def footer(self):
            self.set_y(-15)
            self.set_font("arabic", size=9)
            self.cell(0, 10, str(self.page_no()), align="C")

    pdf = Report()
    pdf.add_font("arabic", fname=str(arabic_font()))
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ar")
    pdf.add_page()
    lines = list(range(0, 11))
    for i in lines:
        pdf.set_font("arabic", size=16 if i in HEADING_LINES else 12)
        if i == 9:  # start this paragraph near the foot of the page: it runs on to page 2
            pdf.set_y(pdf.h - pdf.b_margin - 12)
        pdf.multi_cell(0, 8, SEED_LINES[i], align="R")
        pdf.ln(4)
    pdf.set_font("arabic", size=12)
    pdf.multi_cell(0, 8, PDF_MIXED, align="R")
    return bytes(pdf.output()), [*seed_blocks(lines), Block(PDF_MIXED, PARAGRAPH)]


def make_scanned_pdf() -> bytes:
    """A PDF page holding only a picture of text, as a scanner makes it."""
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (400, 200), "white")
    ImageDraw.Draw(image).rectangle((40, 40, 360, 60), fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=150)
    return bytes(pdf.output())


def make_encrypted_pdf(user_password: str = "secret") -> bytes:
    """The PDF of :func:`make_pdf`, encrypted; with an empty user password anyone may
    open it (only the owner's rights, such as printing, are restricted)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=io.BytesIO(make_pdf()[0]))
    writer.encrypt(user_password, owner_password="owner", algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# -- Subtitles ----------------------------------------------------------------------

# (start s, end s, text): cue 2-3 carry one sentence, cues 5-7 another; cue 4 is a
# sentence of its own; cue 8 opens a new speaker's line; cue 9 comes after a pause.
SRT_CUES = [
    (1.0, 3.5, "قصف روسي على حلب."),
    (4.0, 6.0, "تدور اشتباكات عنيفة بين فصائل المعارضة"),
    (6.1, 8.5, "وقوات النظام في مدينة حلب."),
    (9.0, 11.0, "وتُعد هذه المعارك من بين الأكبر منذ سنوات."),
    (11.2, 13.0, "وأعلنت فصائل المعارضة السيطرة\nعلى مبنى القصر البلدي"),
    (13.1, 15.0, "وسط مدينة حلب، فيما أفادت إدارة العمليات"),
    (15.1, 17.5, "بأنها فرضت حظرًا للتجوال في حلب."),
    (18.0, 19.0, "- هل انتهت المعارك"),
    (25.0, 27.0, "لا، ما زالت مستمرة"),
]
SRT_BLOCKS = [[0], [1, 2], [3], [4, 5, 6], [7], [8]]


def make_srt() -> tuple[bytes, list[Block]]:
    import srt

    subtitles = [srt.Subtitle(n + 1, timedelta(seconds=a), timedelta(seconds=b), text)
                 for n, (a, b, text) in enumerate(SRT_CUES)]
    expected = [Block(" ".join(" ".join(SRT_CUES[n][2].split()) for n in group), CUE) for group in SRT_BLOCKS]
    return srt.compose(subtitles).encode("utf-8"), expected


# -- EPUB ---------------------------------------------------------------------------

EPUB_TITLE = "معركة حلب"


def make_epub(spine_reversed: bool = True, with_chapters: bool = True) -> tuple[bytes, list[Block]]:
    """A two-chapter book whose spine lists the second file first; the second
    chapter has a list and a <div> with text around a paragraph."""
    from ebooklib import epub

    book = epub.EpubBook()
    book.set_identifier("test-aleppo")
    book.set_title(EPUB_TITLE)
    book.set_language("ar")
    one = epub.EpubHtml(title=SEED_LINES[2], file_name="one.xhtml", lang="ar")
    one.content = (f'<html><body dir="rtl"><h1>{SEED_LINES[2]}</h1><p>{SEED_LINES[3]}</p>'
                   f"<p>{SEED_LINES[4][:30]}<b>{SEED_LINES[4][30:60]}</b>{SEED_LINES[4][60:]}</p></body></html>")
    two = epub.EpubHtml(title=SEED_LINES[6], file_name="two.xhtml", lang="ar")
    two.content = (f'<html><body dir="rtl"><h2>{SEED_LINES[6]}</h2><ul><li>{DOCX_ITEMS[0]}</li>'
                   f"<li>{DOCX_ITEMS[1]}</li></ul><div>{SEED_LINES[7]}<p>{SEED_LINES[8]}</p>{SEED_LINES[9]}</div>"
                   "</body></html>")
    book.add_item(one)
    book.add_item(two)
    book.toc = [two, one] if spine_reversed else [one, two]
    book.add_item(epub.EpubNcx())
    book.add_item(epub.EpubNav())
    chapters = [two, one] if spine_reversed else [one, two]
    book.spine = ["nav", *chapters] if with_chapters else ["nav"]
    out = io.BytesIO()
    epub.write_epub(out, book)
    first = [Block(SEED_LINES[6], HEADING), Block(DOCX_ITEMS[0], LIST_ITEM), Block(DOCX_ITEMS[1], LIST_ITEM),
             Block(SEED_LINES[7], PARAGRAPH), Block(SEED_LINES[8], PARAGRAPH), Block(SEED_LINES[9], PARAGRAPH)]
    second = [Block(SEED_LINES[2], HEADING), Block(SEED_LINES[3], PARAGRAPH), Block(SEED_LINES[4], PARAGRAPH)]
    chapters_blocks = first + second if spine_reversed else second + first
    return out.getvalue(), [Block(EPUB_TITLE, TITLE), *chapters_blocks]


def blocks_of(document) -> list[Block]:
    """A document's paragraphs as blocks (text and kind), for comparing with the expected."""
    return [Block(document.text[p.start:p.end], p.kind) for p in document.paragraphs]
