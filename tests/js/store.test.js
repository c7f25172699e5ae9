import assert from 'node:assert/strict';
import { test } from 'node:test';

import { Choices, RecentList, textId } from '../../translate/web/static/store.js';
import { MemoryStorage } from './fixtures.js';

const VIEWS = ['side', 'interleaved', 'en', 'ar'];
const SCALES = [0.8, 1, 1.25];

test('the choices come back, and what is not a choice is ignored', () => {
  const storage = new MemoryStorage();
  const choices = new Choices(storage, 'k', { views: VIEWS, scales: SCALES });
  assert.deepEqual([choices.view, choices.scale, choices.memory], ['side', 1, true]);
  choices.view = 'ar';
  choices.memory = false;
  assert.equal(choices.step(1), 1.25);
  assert.equal(choices.step(1), 1.25);  // the largest stays the largest
  const again = new Choices(storage, 'k', { views: VIEWS, scales: SCALES });
  assert.deepEqual([again.view, again.scale, again.memory], ['ar', 1.25, false]);
  storage.setItem('k', JSON.stringify({ view: 'sideways', scale: 7, memory: 'no' }));
  const odd = new Choices(storage, 'k', { views: VIEWS, scales: SCALES });
  assert.deepEqual([odd.view, odd.scale, odd.memory], ['side', 1, true]);
  storage.setItem('k', '{not json');
  assert.equal(new Choices(storage, 'k', { views: VIEWS, scales: SCALES }).view, 'side');
});

const entry = (n, text = 'text ' + n) => ({ id: textId(text), kind: 'text', text, sentences: n });

test('Recent keeps the newest first, each document once, up to its size', () => {
  const recent = new RecentList(new MemoryStorage(), 'r', 3);
  [1, 2, 3].forEach((n) => recent.add(entry(n)));
  assert.deepEqual(recent.entries().map((e) => e.sentences), [3, 2, 1]);
  assert.deepEqual(recent.add(entry(1)), []);  // again: to the top, not twice
  assert.deepEqual(recent.entries().map((e) => e.sentences), [1, 3, 2]);
  assert.deepEqual(recent.add(entry(4)), [entry(2).id]);  // the oldest no longer fits
  recent.remove(entry(3).id);
  assert.deepEqual(recent.entries().map((e) => e.sentences), [4, 1]);
  assert.equal(recent.get(entry(4).id).text, 'text 4');
  assert.equal(recent.get('nothing'), null);
});

test('when the browser\'s storage is full, the oldest go first', () => {
  const recent = new RecentList(new MemoryStorage(400), 'r', 30);
  for (let n = 0; n < 10; n++) recent.add(entry(n, 'x'.repeat(80) + n));
  const kept = recent.entries();
  assert.ok(kept.length >= 1 && kept.length < 10);
  assert.equal(kept[0].sentences, 9);  // the newest is kept
});

test('a text\'s id is stable and tells texts apart', () => {
  assert.equal(textId('قصف روسي'), textId('قصف روسي'));
  assert.notEqual(textId('قصف روسي'), textId('قصف روسي.'));
  assert.match(textId(''), /^[0-9a-f]+-0$/);
});
