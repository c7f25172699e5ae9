// The reader page's browser side, as ES modules:
//   render.js     the reading view as HTML, from the view data (pure)
//   alignment.js  word links, and the two columns kept level (side by side)
//   details.js    a sentence's details and the tools to correct it
//   reading.js    the reading surface: views, the sentence you are on, keys
//   store.js      what the browser remembers: choices, Recent, original files
//   library.js    the Library view (the server's documents, a search's hits) as HTML (pure)
//   api.js        the page's own API, as scripts call it
//   page.js       the two screens, the bar, the notes beside the controls
// This module is what the page's components load (their js_on_load imports it):
// each part of the page mounts itself here once its markup is there.

import { ReaderPage } from './page.js';

const page = new ReaderPage();

export function mount(part, element, props, trigger, watch) {
  return page.mount(part, element, props, trigger, watch);
}

// Stop's own script (the server cancels the translation).
export function stopped() { page.stopped(); }

// For tests and the benchmark: what the page is showing.
window.translateReader = {
  ready: () => page.isReady(),
  state: () => page.state(),
  words: (text) => page.words.list(text),
  englishText: () => (page.reading ? page.reading.english() : ''),
};
