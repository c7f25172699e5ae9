import assert from 'node:assert/strict';
import { test } from 'node:test';

import { call, parseEvents } from '../../translate/web/static/api.js';

test('an event stream gives the answer or the server\'s message', () => {
  assert.deepEqual(parseEvents('event: generating\ndata: null\n\nevent: complete\ndata: [{"text": "x"}]\n'),
    { ok: true, data: { text: 'x' } });
  assert.deepEqual(parseEvents('event: error\ndata: {"error": "Your translation is empty"}\n'),
    { ok: false, message: 'Your translation is empty' });
  assert.match(parseEvents('event: error\ndata: null\n').message, /could not answer/);
  assert.equal(parseEvents('event: heartbeat\ndata: null\n'), null);
});

function fakeFetch(answers) {
  const asked = [];
  const fetch = async (url, options) => {
    asked.push([url, options && JSON.parse(options.body)]);
    const [status, body] = answers.shift();
    return { ok: status === 200, status, json: async () => JSON.parse(body), text: async () => body };
  };
  return { fetch, asked };
}

test('a call posts the arguments, then reads the answer of its event', async () => {
  const { fetch, asked } = fakeFetch([[200, '{"event_id": "e1"}'], [200, 'event: complete\ndata: [[{"text": "A", "score": -0.5}]]\n']]);
  const answer = await call('alternatives', ['قصف', 5], { root: 'http://page/', fetch });
  assert.deepEqual(answer, [{ text: 'A', score: -0.5 }]);
  assert.deepEqual(asked, [['http://page/gradio_api/call/alternatives', { data: ['قصف', 5] }],
    ['http://page/gradio_api/call/alternatives/e1', undefined]]);
});

test('a refused call rejects with the server\'s words', async () => {
  const refused = fakeFetch([[200, '{"event_id": "e2"}'], [200, 'event: error\ndata: {"error": "No sentence given"}\n']]);
  await assert.rejects(call('complete', ['', ''], refused), /No sentence given/);
  const down = fakeFetch([[503, '{}']]);
  await assert.rejects(call('complete', ['', ''], down), /HTTP 503/);
});
