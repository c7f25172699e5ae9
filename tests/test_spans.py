"""Formatting inside paragraphs: spans placed through the word alignment (pure), the
readers that keep them, and the writers that put them back on the English."""
from __future__ import annotations

import pytest
from formatted_documents import GOLD, LINKS, make_docx, make_epub, make_html
from hypothesis import given, settings
from hypothesis import strategies as st

from translate.readers import read_document
from translate.text.document import Block, segment_blocks
from translate.text.spans import (
    BOLD,
    ITALIC,
    LINK,
    MARKER,
    Span,
    clean,
    nest,
    place,
    safe_target,
    to_html,
    to_markdown,
)
from translate.translation import Translation

SOURCE = "قال الرئيس إن المدينة سقطت"
ENGLISH = "The president said the city fell"
ALIGNMENT = ((0, 2), (1, 1), (3, 3), (3, 4), (4, 5))  # إن has no English word


def on(text: str, word: str, kind: str = BOLD, target: str | None = None) -> Span:
    start = text.index(word)
    return Span(start, start + len(word), kind, target)


def shown(placement) -> list[tuple[str, str, str | None]]:
    return [(s.kind, placement.text[s.start:s.end], s.target) for s in placement.spans]


# -- placement (pure) ---------------------------------------------------------------


@pytest.mark.parametrize(("span", "english_words"), [
    (on(SOURCE, "الرئيس"), "president"),
    (on(SOURCE, "المدينة", LINK, "https://e.org/a"), "the city"),
    (on(SOURCE, "قال الرئيس"), "president said"),
    (on(SOURCE, "الرئيس إن"), "president"),
    (on(SOURCE, "سقطت", ITALIC), "fell"),
])
def test_a_span_goes_on_the_english_words_aligned_to_its_words(span, english_words):
    placement = place([span], SOURCE, ENGLISH, ALIGNMENT)
    assert shown(placement) == [(span.kind, english_words, span.target)]
    assert placement.text == ENGLISH and placement.flags == () and placement.placed == 1


def test_punctuation_after_the_words_stays_outside_the_span():
    placement = place([on("قال الرئيس.", "الرئيس")], "قال الرئيس.", "The president said.", ((0, 2), (1, 1)))
    assert shown(placement) == [(BOLD, "president", None)]
    said = place([on("قال الرئيس.", "قال")], "قال الرئيس.", "The president said.", ((0, 2), (1, 1)))
    assert shown(said) == [(BOLD, "said", None)]


def test_an_unaligned_link_is_kept_on_a_marker_and_bold_is_dropped_with_a_flag():
    link = on(SOURCE, "المدينة", LINK, "https://e.org/a")
    placement = place([on(SOURCE, "الرئيس"), link], SOURCE, ENGLISH, ())
    assert placement.text == ENGLISH + " " + MARKER
    assert shown(placement) == [(LINK, MARKER, "https://e.org/a")]
    assert placement.flags == ("format:link", "format:bold")
    assert (placement.placed, placement.kept, placement.dropped) == (0, 1, 1)


def test_a_span_whose_english_crosses_another_falls_back():
    # Both source words are aligned to "city": the second span cannot have it too.
    source = "الرئيس المدينة"
    first, second = on(source, "الرئيس"), on(source, "المدينة", LINK, "https://e.org/")
    placement = place([first, second], source, "the big city", ((0, 2), (1, 2)))
    assert shown(placement) == [(BOLD, "city", None), (LINK, MARKER, "https://e.org/")]
    assert placement.flags == ("format:link",)


def test_a_span_spread_far_wider_than_its_words_falls_back():
    source, english = "أ ب ج", "one two three four five six seven eight nine"
    placement = place([on(source, "ب")], source, english, ((1, 0), (1, 8)))
    assert placement.spans == () and placement.flags == ("format:bold",)


def test_a_span_over_the_whole_sentence_covers_the_whole_english_without_links():
    source = "قصف روسي على حلب."
    placement = place([Span(0, len(source), BOLD), on(source, "حلب", LINK, "https://e.org/")], source,
                      "Russian bombardment of Aleppo.", ())
    assert shown(placement) == [(BOLD, "Russian bombardment of Aleppo.", None), (LINK, MARKER, "https://e.org/")]


def test_the_same_text_keeps_its_spans_as_they_are():
    spans = (on("BBC News", "BBC", LINK, "https://bbc.co.uk"),)
    assert place(spans, "BBC News", "BBC News", ()).spans == spans


def test_nothing_to_place_costs_nothing():
    assert place((), SOURCE, ENGLISH, ALIGNMENT).text == ENGLISH


@pytest.mark.parametrize(("href", "kept"), [
    ("https://example.org/a?b=1&c=2", "https://example.org/a?b=1&c=2"), ("/news/1", "/news/1"),
    ("#note-1", "#note-1"), ("mailto:desk@example.org", "mailto:desk@example.org"),
    ("javascript:alert(1)", None), (" JavaScript:alert(1)", None), ("java\tscript:alert(1)", None),
    ("data:text/html,<script>", None), ("vbscript:x", None), ("file:///etc/passwd", None), ("", None),
])
def test_only_safe_targets_are_kept(href, kept):
    assert safe_target(href) == kept


def test_clean_trims_spaces_drops_unsafe_links_and_merges_touching_runs():
    text = "قال الرئيس الأسد"
    spans = [Span(3, 10, BOLD), Span(10, 16, BOLD), Span(0, 3, LINK, "javascript:x"), Span(5, 5, ITALIC)]
    assert clean(spans, text) == (Span(4, 16, BOLD),)


# -- rendering (pure) ---------------------------------------------------------------


def test_overlapping_spans_nest_properly_in_html():
    text = "one two three"
    spans = [Span(0, 7, BOLD), Span(4, 13, LINK, "https://e.org/?a=1&b=2")]
    assert to_html(text, spans, new_tab=True) == (
        '<b>one <a href="https://e.org/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank">two</a></b>'
        '<a href="https://e.org/?a=1&amp;b=2" rel="noopener noreferrer" target="_blank"> three</a>')


def test_html_escapes_text_and_targets():
    text = '<script>alert("x")</script>'
    out = to_html(text, [Span(0, len(text), LINK, 'https://e.org/"><script>')])
    assert "<script>" not in out and "&lt;script&gt;" in out and '&quot;&gt;&lt;script&gt;' in out


def test_markdown_has_bold_italics_and_links():
    text = "the city of Aleppo"
    out = to_markdown(text, [Span(4, 8, BOLD), Span(12, 18, ITALIC), Span(0, 18, LINK, "https://e.org/a b|c")],
                      escape=lambda piece: piece)
    assert out == "[the **city** of *Aleppo*](<https://e.org/a%20b%7Cc>)"


# -- properties ---------------------------------------------------------------------

_WORDS = st.lists(st.sampled_from(["حلب", "قصف", "روسي", "على", "مدينة،", "الفصائل."]), min_size=1, max_size=12)


@st.composite
def cases(draw):
    source = " ".join(draw(_WORDS))
    english = " ".join(draw(st.lists(st.sampled_from(["Aleppo", "the", "city,", "Russian", "raid."]),
                                     min_size=1, max_size=15)))
    n_source, n_english = len(source.split()), len(english.split())
    alignment = draw(st.lists(st.tuples(st.integers(-1, n_source), st.integers(-1, n_english)), max_size=20))
    spans = []
    for _ in range(draw(st.integers(0, 5))):
        start = draw(st.integers(0, len(source) - 1))
        end = draw(st.integers(start + 1, len(source)))
        kind = draw(st.sampled_from([BOLD, ITALIC, LINK]))
        spans.append(Span(start, end, kind, f"https://e.org/{len(spans)}" if kind == LINK else None))
    return source, english, tuple(alignment), clean(spans, source)


@settings(max_examples=300, deadline=None)
@given(cases())
def test_links_are_never_lost_targets_never_change_and_spans_stay_on_the_english(case):
    source, english, alignment, spans = case
    placement = place(spans, source, english, alignment)
    assert placement.text.startswith(english)
    links_in = sorted(s.target for s in spans if s.kind == LINK)
    assert sorted(s.target for s in placement.spans if s.kind == LINK) == links_in
    assert all(0 <= s.start < s.end <= len(placement.text) for s in placement.spans)
    assert placement.placed + placement.kept + placement.dropped == len(spans)
    assert len(placement.spans) == placement.placed + placement.kept
    # Placed spans lie on the English itself; only markers come after it.
    assert all(s.end <= len(english) or placement.text[s.start:s.end] == MARKER for s in placement.spans)
    events = nest(placement.text, placement.spans)
    assert "".join(v for e, v in events if e == "text") == placement.text
    depth = 0
    for event, _ in events:
        depth += {"open": 1, "close": -1}.get(event, 0)
        assert depth >= 0
    assert depth == 0


# -- the document: spans per sentence, placement per pair ---------------------------


def test_a_block_s_spans_are_cut_per_sentence():
    text = "قال الرئيس إن المدينة سقطت. وأكد المصدر ذلك."
    block = Block(text, spans=(on(text, "الرئيس"), on(text, "المدينة سقطت. وأكد", LINK, "https://e.org/")))
    first, second = segment_blocks([block]).sentences
    assert [(s.kind, first.source[s.start:s.end]) for s in first.spans] == [(BOLD, "الرئيس"), (LINK, "المدينة سقطت.")]
    assert [(s.kind, second.source[s.start:s.end], s.target) for s in second.spans] == [(LINK, "وأكد", "https://e.org/")]


def test_a_pair_s_flags_say_what_formatting_could_not_be_placed():
    text = "قال الرئيس إن المدينة سقطت"
    pair = segment_blocks([Block(text, spans=(on(text, "الرئيس"),))]).sentences[0]
    assert pair.filled(Translation(ENGLISH, alignment=ALIGNMENT)).flags == ()
    assert pair.filled(Translation(ENGLISH, flags=("length",))).flags == ("length", "format:bold")


# -- readers ------------------------------------------------------------------------


def _spans_read(document) -> set[tuple[str, str, str | None]]:
    return {(s.kind, pair.source[s.start:s.end], s.target) for pair in document.sentences for s in pair.spans
            if s.kind != "style"}


EXPECTED = {(kind, arabic, None) for _, _, spans in GOLD.values() for kind, arabic in spans if kind != LINK}
EXPECTED |= {("link", "حلب", LINKS[0]), ("link", "مدينة حلب", LINKS[1]), ("link", "تركيا", LINKS[2]),
             ("link", "الأكبر منذ سنوات", LINKS[3]), ("link", "إدلب", LINKS[4])}


@pytest.mark.parametrize(("name", "make"), [("a.docx", make_docx), ("a.epub", make_epub), ("a.html", make_html)])
def test_readers_keep_bold_italics_and_links_with_their_targets(name, make):
    assert _spans_read(read_document(make(), name)) == EXPECTED


def test_the_docx_reader_keeps_character_styles():
    document = read_document(make_docx(), "a.docx")
    styles = {(s.style, pair.source[s.start:s.end]) for pair in document.sentences for s in pair.spans
              if s.kind == "style"}
    assert ("Strong", "تركيا") in styles and len(styles) == 5


def test_the_html_reader_drops_unsafe_links_and_makes_relative_ones_absolute():
    from translate.readers.html import read_html

    page = ("<html><body><article><p>قال <a href='javascript:alert(1)'>المصدر</a> إن <a href='/news/1'>المدينة"
            "</a> سقطت اليوم في هجوم واسع شنته الفصائل على الأحياء الجنوبية من المدينة بعد معارك عنيفة.</p>"
            "<p>وأضاف أن القوات انسحبت من مواقعها في الريف الغربي بعد ساعات من القتال العنيف مع الفصائل.</p>"
            "</article></body></html>").encode()
    document = read_html(page, "page", url="https://news.example.org/world/aleppo")
    assert _spans_read(document) == {("link", "المدينة", "https://news.example.org/news/1")}


# -- the glossary and the reader's own translations -----------------------------------


def test_a_span_over_a_glossary_term_goes_on_the_term_s_rendering():
    from translate.glossary import Glossary

    source = "قصف روسي على حلب"
    span = on(source, "حلب", LINK, "https://e.org/aleppo")
    model = Translation("Russian shelling on Halab city", alignment=((0, 1), (1, 0), (2, 2), (3, 3), (3, 4)))
    enforced = Glossary.from_pairs([("حلب", "Aleppo")]).apply(source, model)
    assert enforced.text == "Russian shelling on Aleppo"
    placement = place([span], source, enforced.text, enforced.alignment)
    assert shown(placement) == [(LINK, "Aleppo", "https://e.org/aleppo")] and placement.flags == ()


def test_the_reader_s_own_translation_is_aligned_by_the_model_to_place_its_spans(tiny_model, tmp_path):
    from translate import Translator
    from translate.engines.alignment import check_links
    from translate.store.memory import TranslationMemory

    text, mine = "قال الرئيس إن المدينة سقطت.", "The president said the city had fallen."
    TranslationMemory(tmp_path / "cache").remember(text, mine)
    block = Block(text, spans=(on(text, "الرئيس"), on(text, "المدينة", LINK, "https://e.org/city")))
    for engine in ("transformers", "ctranslate2"):
        translator = Translator.from_options(str(tiny_model), cache_dir=str(tmp_path / "cache"), engine=engine,
                                             device="cpu", beams=1)
        (pair,) = translator.translate_documents([segment_blocks([block])])[0].sentences
        assert pair.origin == "yours" and pair.translation == mine
        # The model's alignment head, read over the reader's English: links for every English word.
        assert check_links(pair.alignment, text, mine) and {t for _, t in pair.alignment} == set(range(7)), engine
        assert [s.target for s in pair.placement.spans if s.kind == LINK] == ["https://e.org/city"]


def test_an_own_translation_without_word_links_keeps_its_links_and_flags_the_rest():
    text = "قال الرئيس إن المدينة سقطت."
    block = Block(text, spans=(on(text, "الرئيس"), on(text, "المدينة", LINK, "https://e.org/city")))
    (pair,) = segment_blocks([block]).sentences
    pair = pair.filled(Translation("The president said the city had fallen.", origin="yours"))
    assert shown(pair.placement) == [(LINK, MARKER, "https://e.org/city")]
    assert pair.flags == ("format:link", "format:bold")


# -- Markdown -----------------------------------------------------------------------

MARKDOWN = """# قصف **روسي** على حلب

تدور اشتباكات _عنيفة_ بين [فصائل المعارضة](https://e.org/a "the factions") و\\*قوات النظام\\* في `**حلب**`،
بعد دخول <https://e.org/b> المقاتلين.

```
code = "not prose"
```

- بند **أول** و[رابط](javascript:alert(1))
| a | b |
"""


def test_the_markdown_reader_keeps_blocks_and_their_spans_without_the_markup():
    document = read_document(MARKDOWN.encode(), "notes.md")
    assert document.format == "md"
    assert [(p.kind, document.text[p.start:p.end]) for p in document.paragraphs] == [
        ("heading", "قصف روسي على حلب"),
        ("paragraph", "تدور اشتباكات عنيفة بين فصائل المعارضة و*قوات النظام* في **حلب**، بعد دخول https://e.org/b "
                      "المقاتلين."),
        ("list_item", "بند أول ورابط")]
    assert _spans_read(document) == {("bold", "روسي", None), ("italic", "عنيفة", None),
                                     ("link", "فصائل المعارضة", "https://e.org/a"),
                                     ("link", "https://e.org/b", "https://e.org/b"), ("bold", "أول", None)}


@pytest.mark.parametrize(("markup", "text"), [
    ("", ""), ("**لم يغلق", "**لم يغلق"), ("a * b * c", "a * b * c"), ("snake_case_name", "snake_case_name"),
    ("[نص بلا رابط]", "[نص بلا رابط]"), ("[" * 50 + "x" + "]" * 50, "[" * 50 + "x" + "]" * 50),
])
def test_markdown_without_closers_stays_text(markup, text):
    from translate.readers.markdown import inline

    assert inline(markup)[0] == text


def test_a_markdown_file_comes_back_with_its_other_lines_and_the_spans_on_the_english():
    document = read_document(MARKDOWN.encode(), "notes.md")
    answers = {"قصف روسي على حلب": ("Russian bombardment of Aleppo", ((0, 1), (1, 0), (2, 2), (3, 3)))}
    done = document.with_translations({
        pair.index: pair.filled(Translation(answers.get(pair.source, ("1. An *odd* sentence", ()))[0],
                                            alignment=answers.get(pair.source, ("", ()))[1]))
        for pair in document.sentences})
    from translate.writers import write

    out = write(done, "same", original=MARKDOWN.encode()).decode()
    lines = out.split("\n")
    assert lines[0] == "# **Russian** bombardment of Aleppo"
    assert lines[2] == ("1\\. An \\*odd\\* sentence [\\[source\\]](<https://e.org/a>) "
                        "[\\[source\\]](<https://e.org/b>)")  # one sentence, its two lines as one
    assert lines[3:8] == ["", "```", 'code = "not prose"', "```", ""]
    assert lines[8] == "- 1\\. An \\*odd\\* sentence" and lines[9] == "| a | b |"  # the unsafe link was never read
    back = read_document(out.encode(), "notes.en.md")
    assert _spans_read(back) >= {("bold", "Russian", None), ("link", "[source]", "https://e.org/a")}


@settings(max_examples=200, deadline=None)
@given(cases())
def test_the_html_of_placed_spans_gives_back_the_english_and_the_links(case):
    from lxml import html as lxml_html

    source, english, alignment, spans = case
    placement = place(spans, source, english, alignment)
    tree = lxml_html.fragment_fromstring(to_html(placement.text, placement.spans, new_tab=True), create_parent="div")
    assert tree.text_content() == placement.text
    assert sorted(a.get("href") for a in tree.iter("a")) == sorted(s.target for s in placement.spans if s.kind == LINK)
    assert all(a.get("rel") == "noopener noreferrer" and a.get("target") == "_blank" for a in tree.iter("a"))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="حلب *_[]()<>`\\!#ab:/.-", max_size=60))
def test_markdown_inline_never_fails_and_its_spans_lie_on_its_text(markup):
    from translate.readers.markdown import inline

    text, found = inline(markup)
    assert len(text) <= len(markup)
    assert all(0 <= s.start <= s.end <= len(text) for s in found)


def test_the_docx_reader_finds_links_made_with_fields_too():
    import io

    import docx
    from docx.oxml import parse_xml

    word = docx.Document()
    paragraph = word.add_paragraph("قال ")
    namespace = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    for xml in (f'<w:r {namespace}><w:fldChar w:fldCharType="begin"/></w:r>',
                f'<w:r {namespace}><w:instrText xml:space="preserve"> HYPERLINK "https://e.org/a" </w:instrText></w:r>',
                f'<w:r {namespace}><w:fldChar w:fldCharType="separate"/></w:r>',
                f'<w:r {namespace}><w:t>المصدر</w:t></w:r>', f'<w:r {namespace}><w:fldChar w:fldCharType="end"/></w:r>',
                f'<w:r {namespace}><w:t xml:space="preserve"> إن </w:t></w:r>',
                f'<w:fldSimple {namespace} w:instr=\' HYPERLINK \\l "part-2" \'>'
                '<w:r><w:t>المدينة</w:t></w:r></w:fldSimple>',
                f'<w:fldSimple {namespace} w:instr=" PAGE "><w:r><w:t> سقطت</w:t></w:r></w:fldSimple>'):
        paragraph._p.append(parse_xml(xml))
    out = io.BytesIO()
    word.save(out)
    document = read_document(out.getvalue(), "fields.docx")
    assert document.text == "قال المصدر إن المدينة سقطت"
    assert _spans_read(document) == {("link", "المصدر", "https://e.org/a"), ("link", "المدينة", "#part-2")}
