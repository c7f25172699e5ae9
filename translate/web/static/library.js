// The Library view as HTML, from the data the server sends (translate.web.view.library_data):
// the newest documents, or a search's results with their matching sentence pairs, the
// hits marked in both languages. Pure functions: data in, strings out; every title,
// source and sentence is escaped here (they are whatever was translated).

import { count, esc } from './render.js';

const KIND_WORDS = { page: 'On the page', file: 'File', url: 'Web article', dataset: 'Dataset row' };

export function when(ms, locale = 'en-GB') {
  const date = new Date(ms);
  if (isNaN(date)) return '';
  return date.toLocaleDateString(locale, { day: 'numeric', month: 'short', year: 'numeric' }) + ' ' +
    date.toLocaleTimeString(locale, { hour: '2-digit', minute: '2-digit' });
}

// A text given as runs [[text, marked], …]: the marked ones in <mark>.
export function runsHtml(runs) {
  return (runs || []).map(([text, marked]) => (marked ? '<mark>' + esc(text) + '</mark>' : esc(text))).join('');
}

function entryHtml(e, hits) {
  const names = e.names || { ar: e.title || e.source || 'Untitled', en: null };
  const title = names.ar || e.title || 'Untitled';
  const what = KIND_WORDS[e.kind] || e.kind;
  const source = e.kind === 'page' && !e.title ? '' : ' · <span class="library-source" dir="auto">' + esc(e.source) + '</span>';
  const pairs = hits && hits.length
    ? '<ol class="library-hits">' + hits.map((h) =>
      '<li><p class="hit-ar" lang="ar" dir="rtl">' + runsHtml(h.ar) + '</p>' +
      '<p class="hit-en" lang="en" dir="ltr">' + runsHtml(h.en) + '</p></li>').join('') + '</ol>'
    : '';
  return '<li class="library-entry" data-id="' + esc(e.id) + '"><button type="button" class="library-open" data-id="' +
    esc(e.id) + '" aria-label="Open ' + esc(title) + '"><bdi class="library-name" dir="auto">' + esc(title) + '</bdi>' +
    (names.en ? '<span class="library-english" lang="en">' + esc(names.en) + '</span>' : '') +
    '<span class="library-meta">' + esc(what) + source + ' · ' + esc(when(e.translated)) + ' · ' +
    esc(count(e.sentences, 'sentence')) + (e.everyone ? '' : ' · yours') + '</span></button>' + pairs + '</li>';
}

// The whole part: a note (a refusal), a line that says what is shown, the list.
export function libraryHtml(data) {
  if (!data) return '';
  const note = data.message ? '<div class="reader-notice" role="alert">' + esc(data.message) + '</div>' : '';
  const searching = Array.isArray(data.found);
  const list = searching ? data.found : (data.entries || []);
  let said;
  if (searching) {
    said = list.length ? count(list.length, 'document') + ' with ' + '<q>' + esc(data.query.trim()) + '</q>'
      : 'No document holds <q>' + esc(data.query.trim()) + '</q>. Try fewer words, or another form of one.';
  } else {
    said = list.length ? 'Newest first' : 'Nothing translated yet: what you translate is kept here, to read and search again.';
  }
  return note + '<p class="library-said" role="status">' + said + '</p>' +
    (list.length ? '<ul class="library-list' + (searching ? ' found' : '') + '">' + list.map((e) => entryHtml(e, searching ? e.hits : null)).join('') + '</ul>' : '');
}
