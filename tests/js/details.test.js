import assert from 'node:assert/strict';
import { test } from 'node:test';

import { alternativesHtml, confidence, detailsHtml, facts } from '../../translate/web/static/details.js';
import { wordTools } from '../../translate/web/static/render.js';
import { fixtures, settings } from './fixtures.js';

const words = settings.words;
const context = { low: fixtures.view.low, high: settings.high, texts: words, hasMemory: true };

test('a score is said as what to do, and its number is kept behind a why', () => {
  const low = confidence(-1.58, { low: -1.5, high: settings.high, words: words.confidence });
  assert.equal(low.level, 'low');
  assert.equal(low.text, words.confidence.low);
  assert.match(low.text, /[Cc]heck this sentence/);
  assert.doesNotMatch(low.text, /log-probability|−1\.58/);
  assert.match(low.why, /−1\.58/);
  assert.match(low.why, /−1\.50/);
  assert.equal(confidence(-0.2, { low: -1.5, high: settings.high, words: words.confidence }).level, 'high');
  assert.equal(confidence(settings.high, { low: -1.5, high: settings.high, words: words.confidence }).level, 'high');
  assert.equal(confidence(-1.0, { low: -1.5, high: settings.high, words: words.confidence }).level, 'fair');
  assert.deepEqual(confidence(undefined, { low: -1.5, high: settings.high, words: words.confidence }),
    { level: 'none', text: words.confidence.none, why: null });
});

test('each doubt is said in the server\'s words', () => {
  const items = facts({ t: 'x', s: -0.3, f: ['numbers', 'term:حلب', 'repetition'], m: ['2017', '11:30'] }, context).join('\n');
  assert.ok(items.includes('The number 2017 is missing from the English.'));
  assert.ok(items.includes('The number 11:30 is missing from the English.'));
  assert.ok(items.includes(words.flags.repetition));
  assert.match(items, /The term <bdi lang="ar" dir="rtl">حلب<\/bdi> may be rendered differently/);
  assert.match(facts({ t: 'x', s: -2 }, context).join(''), /Confidence: low\. Check this sentence/);
  assert.ok(facts({ t: 'x', s: -2, c: 1 }, context).join('').includes('From the cache'));
});

test('the reader\'s own translation says so, with no score', () => {
  const items = facts({ t: 'Mine', o: 'yours' }, context).join('');
  assert.match(items, /<strong>Yours<\/strong>: your own translation/);
  assert.ok(!items.includes('Confidence'));
});

test('the panel escapes the sentence and offers the tools only where there is something to correct', () => {
  const data = { low: -1.5, paragraphs: [['p', '']], tail: '',
    pairs: [[0, 'قصف <b>', { t: 'Shelling <i>', s: -0.4 }], [0, 'Hello.', { t: 'Hello.' }]] };
  const ctx = (i) => ({ ...context, words: wordTools(settings.space), correctable: i === 0 });
  const first = detailsHtml(data, 0, ctx(0));
  assert.match(first, /Sentence 1 of 2/);
  assert.ok(first.includes('قصف &lt;b&gt;') && first.includes('&lt;i&gt;') && !first.includes('<i>'));
  assert.match(first, /data-action="alternatives"/);
  assert.match(first, /id="details-edit"/);
  assert.doesNotMatch(detailsHtml(data, 1, ctx(1)), /details-edit/);
});

test('alternatives are listed best first, with a button for each but the one shown', () => {
  const html = alternativesHtml([{ text: 'A <x>', score: -0.5 }, { text: 'B', score: -0.9 }], { t: 'A <x>' }, true);
  assert.match(html, /A &lt;x&gt;<\/span> <span class="alt-score"[^>]*>score −0\.50<\/span> <span class="alt-shown">\(shown now\)/);
  assert.equal((html.match(/data-action="pick"/g) || []).length, 1);
  assert.doesNotMatch(alternativesHtml([{ text: 'B', score: -0.9 }], null, false), /data-action="pick"/);
  assert.match(alternativesHtml([], null, true), /no other translation/);
});
