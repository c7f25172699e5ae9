import assert from 'node:assert/strict';
import { test } from 'node:test';

import { libraryHtml, runsHtml } from '../../translate/web/static/library.js';

const entry = (id, more = {}) => ({ id, title: 'تقرير ' + id, kind: 'file', source: '/news/' + id + '.txt',
  translated: Date.UTC(2026, 11, 2, 11, 5), sentences: 3, everyone: true, ...more });

test('the hits are marked in both languages, and every text is escaped', () => {
  assert.equal(runsHtml([['a <b>', 0], ['hit', 1], ['&', 0]]), 'a &lt;b&gt;<mark>hit</mark>&amp;');
  assert.equal(runsHtml(undefined), '');
  const html = libraryHtml({ query: '<img src=x onerror=alert(1)>', entries: [],
    found: [entry(1, { title: '<script>alert(1)</script>', source: '"><img>',
      hits: [{ index: 0, ar: [['و', 0], ['إدلب', 1]], en: [['the ', 0], ['<attacks>', 1]] }] })] });
  assert.ok(!html.includes('<script>') && !html.includes('<img'));
  assert.ok(html.includes('<mark>إدلب</mark>') && html.includes('<mark>&lt;attacks&gt;</mark>'));
  assert.match(html, /<p class="hit-ar" lang="ar" dir="rtl">/);
  assert.match(html, /1 document with <q>&lt;img/);
});

test('the newest documents come as they are sent, with their source, date and sentences', () => {
  const html = libraryHtml({ query: '', entries: [entry(2), entry(1, { everyone: false, sentences: 1 })], found: null });
  assert.ok(html.indexOf('data-id="2"') < html.indexOf('data-id="1"'));
  assert.match(html, /File · <span class="library-source" dir="auto">\/news\/2\.txt<\/span> · 2 Dec 2026 \d\d:\d\d · 3 sentences/);
  assert.match(html, /1 sentence · yours/);
  assert.match(libraryHtml({ query: '', entries: [], found: null }), /Nothing translated yet/);
  assert.match(libraryHtml({ query: 'x', entries: [], found: [] }), /No document holds <q>x<\/q>/);
  assert.match(libraryHtml({ query: '', entries: [], found: null, message: 'The search <b>' }), /role="alert">The search &lt;b&gt;/);
  assert.equal(libraryHtml(null), '');
});
