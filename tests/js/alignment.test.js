import assert from 'node:assert/strict';
import { test } from 'node:test';

import { linkedWords, parseLinks, scrollNeeded } from '../../translate/web/static/alignment.js';
import { fixtures } from './fixtures.js';

test('word links come as the server writes them', () => {
  assert.deepEqual(parseLinks({ a: '0-0 1-2 3-2' }), [[0, 0], [1, 2], [3, 2]]);
  assert.deepEqual(parseLinks({ t: 'x' }), []);
  assert.deepEqual(parseLinks(null), []);
  for (const [result, links] of fixtures.links) assert.deepEqual(parseLinks(result), links);
});

test('a word lights the words of the other language it is linked to', () => {
  const links = [[0, 0], [1, 2], [3, 2], [2, 1]];
  assert.deepEqual(linkedWords(links, 'en', 2), [1, 3]);  // English word 2 came from Arabic words 1 and 3
  assert.deepEqual(linkedWords(links, 'ar', 2), [1]);
  assert.deepEqual(linkedWords(links, 'ar', 9), []);
});

test('a column scrolls only as far as it must to show a sentence', () => {
  const box = { top: 100, bottom: 600 };
  assert.equal(scrollNeeded(box, { top: 200, bottom: 260 }, 24), 0);  // in view
  assert.equal(scrollNeeded(box, { top: 90, bottom: 150 }, 24), -34);  // above: up by what is hidden and the margin
  assert.equal(scrollNeeded(box, { top: 580, bottom: 640 }, 24), 64);  // below
  assert.equal(scrollNeeded(box, { top: 500, bottom: 1200 }, 24), 376);  // taller than the column: its top shows
});
