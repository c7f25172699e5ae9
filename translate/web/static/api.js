// The page's own API, called as any script calls it (Gradio's documented HTTP API:
// POST gradio_api/call/NAME, then read the event stream of the answer).

const NO_ANSWER = 'The server could not answer; try again. If it happens again, the reader\'s server log has the details.';

// The answer in an event stream: {ok: true, data} for "complete", {ok: false,
// message} for "error" (the server's message), null when neither came.
export function parseEvents(stream) {
  let event = null;
  for (const line of String(stream).split('\n')) {
    if (line.startsWith('event: ')) { event = line.slice(7).trim(); continue; }
    if (!line.startsWith('data: ') || (event !== 'complete' && event !== 'error')) continue;
    let data = null;
    try { data = JSON.parse(line.slice(6)); } catch (e) { data = null; }
    if (event === 'complete') return { ok: true, data: Array.isArray(data) ? data[0] : data };
    const message = data && typeof data === 'object' ? data.error || data.message : data;
    return { ok: false, message: typeof message === 'string' && message ? message : NO_ANSWER };
  }
  return null;
}

// Calls endpoint `name` with `args`; resolves with its answer, rejects with an Error
// whose message is the server's (in the page's words) or says it could not answer.
export async function call(name, args, { root = '', fetch = globalThis.fetch } = {}) {
  const url = root.replace(/\/$/, '') + '/gradio_api/call/' + name;
  const started = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ data: args }) });
  if (!started.ok) throw new Error('The server did not take the request (HTTP ' + started.status + '); try again.');
  const { event_id: id } = await started.json();
  const answer = parseEvents(await (await fetch(url + '/' + id)).text());
  if (!answer) throw new Error('The server did not answer; try again.');
  if (!answer.ok) throw new Error(answer.message);
  return answer.data;
}
