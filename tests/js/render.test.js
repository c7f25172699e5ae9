import assert from 'node:assert/strict';
import { test } from 'node:test';

import {
  byParagraph, englishText, esc, fill, isLow, keptLinks, safeHref, sentenceHtml, viewHtml, wordTools,
} from '../../translate/web/static/render.js';
import { fixtures, settings } from './fixtures.js';

const words = wordTools(settings.space);

test('words are cut as Python str.split() cuts them, odd spaces included', () => {
  for (const [text, split] of fixtures.splits) assert.deepEqual(words.list(text), split, JSON.stringify(text));
});

test('visible text is what has_visible_text calls visible', () => {
  for (const [text, visible] of fixtures.visible) assert.equal(words.visible(text), visible, JSON.stringify(text));
});

test('each word is a numbered span, the text between kept and everything escaped', () => {
  assert.equal(words.html('a <b>\u00a0c'), '<span class="w" data-w="0">a</span> <span class="w" data-w="1">&lt;b&gt;</span>' +
    '\u00a0<span class="w" data-w="2">c</span>');
  assert.equal(words.offset('one  two three', 2), 9);
  assert.equal(words.offset('one', 5), 3);
  assert.equal(esc('<img src=x onerror="a">\'&'), '&lt;img src=x onerror=&quot;a&quot;&gt;&#39;&amp;');
});

test('a wording fills its placeholders and leaves unknown ones', () => {
  assert.equal(fill('The number {number} is missing; {other}', { number: '2017' }), 'The number 2017 is missing; {other}');
});

test('the views hold every sentence once per language, in reading order', () => {
  const data = fixtures.view;
  const ids = (html, side) => [...html.matchAll(new RegExp('<p class="para[^"]*" data-p="\\d+">|<h2[^>]*>|' +
    'class="s[^"]*" data-idx="(\\d+)"', 'g'))].filter((m) => m[1] !== undefined).map((m) => +m[1]);
  const side = viewHtml(data, 'side', words);
  const n = data.pairs.length, order = [...Array(n).keys()];
  assert.deepEqual(ids(side), [...order, ...order]);  // the Arabic column, then the English one
  assert.match(side, /<div class="col ar" dir="rtl" lang="ar">/);
  const mixed = viewHtml(data, 'interleaved', words);
  assert.deepEqual(ids(mixed), order.flatMap((i) => [i, i]));  // each Arabic sentence with its English
  assert.deepEqual(ids(viewHtml(data, 'en', words)), order);
  assert.equal((viewHtml(data, 'side', words).match(/<h2 class="para heading"/g) || []).length,
    2 * data.paragraphs.filter((p) => p[0] === 'h').length);
  assert.deepEqual(byParagraph(data).flat(), order);
});

test('a doubtful or unsure translation is marked, a sure one is not', () => {
  assert.equal(isLow({ t: 'x', s: -0.2 }, -1.5), false);
  assert.equal(isLow({ t: 'x', s: -2 }, -1.5), true);
  assert.equal(isLow({ t: 'x', s: -0.2, f: ['numbers'] }, -1.5), true);
  assert.equal(isLow({ t: 'x' }, -1.5), false);  // passed through: no score
});

test('copying the English gives the document\'s English, laid out like the input', () => {
  assert.equal(englishText(fixtures.view), fixtures.english.trim() + '\n');
  assert.equal(englishText(null), '');
});

test('a sentence not translated yet is an ellipsis, and the reader\'s own is marked', () => {
  const data = { low: -1.5, paragraphs: [['p', '']], tail: '', pairs: [[0, 'قصف', null], [0, 'حلب', { t: 'Mine', o: 'yours' }]] };
  const html = viewHtml(data, 'en', words);
  assert.match(html, /class="s pending" data-idx="0"[^>]*aria-label="not translated yet">…</);
  assert.match(html, /class="s yours" data-idx="1" tabindex="-1" title="Your translation">/);
});

test('formatting nests around the words, escaped, links open in a new tab without the opener', () => {
  const html = words.html('the city of <Aleppo>', [[4, 8, 'bold'], [0, 20, 'link', 'https://e.org/?a=1&b="2"']]);
  assert.equal(html, '<a href="https://e.org/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer" target="_blank">' +
    '<span class="w" data-w="0">the</span> <b><span class="w" data-w="1">city</span></b> <span class="w" data-w="2">of' +
    '</span> <span class="w" data-w="3">&lt;Aleppo&gt;</span></a>');
  // A span that starts inside a word (a joined و) stays inside that word's span.
  assert.equal(words.html('وحلب قصف', [[1, 4, 'italic']]), '<span class="w" data-w="0">و<i>حلب</i></span> ' +
    '<span class="w" data-w="1">قصف</span>');
  // Overlapping spans are closed and opened again: every tag closes in order.
  const crossed = words.html('one two three', [[0, 7, 'bold'], [4, 13, 'italic']]);
  assert.equal(crossed.replace(/<span class="w" data-w="\d">|<\/span>/g, ''), '<b>one <i>two</i></b><i> three</i>');
});

test('unsafe link targets never reach an href', () => {
  for (const target of ['javascript:alert(1)', ' JAVASCRIPT:alert(1)', 'java\tscript:alert(1)', 'data:text/html,x',
    'vbscript:x', '']) {
    assert.equal(safeHref(target), null, target);
    assert.doesNotMatch(words.html('حلب', [[0, 3, 'link', target]]), /href/);
    assert.equal(keptLinks([target]), '');
  }
  assert.equal(safeHref('/news/1'), '/news/1');
  assert.equal(safeHref('mailto:desk@example.org'), 'mailto:desk@example.org');
});

test('a sentence shows its formatting on both sides, and links it could not place after it', () => {
  const data = { low: -1.5, paragraphs: [['p', '']], spans: { 0: [[4, 10, 'bold'], [14, 21, 'link', 'https://e.org/a']] },
    pairs: [[0, 'قال الرئيس إن المدينة سقطت', { t: 'The president said it fell', k: [[4, 13, 'bold']],
      l: ['https://e.org/a'], f: ['format:link'] }]] };
  const arabic = sentenceHtml(data, 'ar', 0, words), english = sentenceHtml(data, 'en', 0, words);
  assert.match(arabic, /<b><span class="w" data-w="1">الرئيس<\/span><\/b>/);
  assert.match(arabic, /<a href="https:\/\/e.org\/a" rel="noopener noreferrer" target="_blank"><span class="w" data-w="3">المدينة/);
  assert.match(english, /<b><span class="w" data-w="1">president<\/span><\/b>/);
  assert.match(english, /<a class="kept-link" href="https:\/\/e.org\/a" rel="noopener noreferrer" target="_blank"[^>]*>\[source\]<\/a><\/span>$/);
});
