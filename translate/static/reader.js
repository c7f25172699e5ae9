// The reader's view, rendered in the browser from the data the server streams
// (translate.webapp.view_data): the sentence pairs, their scores, doubts and word
// links. Gradio sends each step as a diff of that data, and only the sentences
// that changed are redrawn. Hover, click and keys never scroll the page: only the
// reading columns move, and only when a sentence must be brought into view.
(function () {
  'use strict';
  if (window.translateReader) return;

  // Word = run of characters between whitespace, as Python's str.split() cuts it
  // (translate/alignment.py SPACE): word links count words this way.
  var SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
  var WORD = new RegExp('[^' + SPACE + ']+', 'g');
  var VISIBLE = /[^\s\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/;
  var SETTINGS_KEY = 'translate-reader.settings';
  var RECENT_KEY = 'translate-reader.recent';
  var RECENT_MAX = 30;
  var VIEWS = ['side', 'interleaved', 'en', 'ar'];
  var SCALES = [0.8, 0.9, 1, 1.1, 1.25, 1.4, 1.6];
  var NARROW = '(max-width: 760px)';
  var FLAG_WORDS = {
    repetition: 'The English repeats itself (a loop); it was retried with safer settings and is still doubtful.',
    length: 'The English is much longer or shorter than the Arabic warrants: something may be missing or invented.',
    numbers: 'A number of the Arabic is missing from the English.'
  };

  var R = {
    root: null, pane: null, props: null, data: null, run: null, filled: [], els: { ar: [], en: [] },
    links: [], view: 'side', scale: 1, current: -1, sourceText: null, stoppedRun: null, recorded: {},
    offset: 0, expect: { ar: null, en: null }, lastTop: { ar: 0, en: 0 }, wordHl: [], detailsFor: -1,
    textarea: null, limit: 100000, maxUpload: 0, useMemory: true, alts: {}
  };
  var ARABIC = /[\u0621-\u064A]/;

  // -- small helpers ---------------------------------------------------------------

  function esc(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }
  function words(text) {
    var out = '', last = 0, k = 0, m;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(text)) !== null) {
      out += esc(text.slice(last, m.index)) + '<span class="w" data-w="' + k++ + '">' + esc(m[0]) + '</span>';
      last = m.index + m[0].length;
    }
    return out + esc(text.slice(last));
  }
  function wordList(text) { return text.match(WORD) || []; }
  function count(n, word) { return n.toLocaleString('en-US') + ' ' + word + (n === 1 ? '' : 's'); }
  function $(selector) { return document.querySelector(selector); }
  function narrow() { return window.matchMedia(NARROW).matches; }
  function effectiveView() { return R.view === 'side' && narrow() ? 'interleaved' : R.view; }
  function hash(text) {  // FNV-1a: an id for a text in the Recent list
    var h = 0x811c9dc5;
    for (var i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
    return h.toString(16) + '-' + text.length.toString(16);
  }
  function store(key, value) {
    try { localStorage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
  }
  function load(key, fallback) {
    try { var v = JSON.parse(localStorage.getItem(key)); return v === null ? fallback : v; } catch (e) { return fallback; }
  }
  function result(i) { var p = R.data && R.data.pairs[i]; return p ? p[2] : null; }
  function isLow(res) {
    return !!res && ((res.f && res.f.length) || (typeof res.s === 'number' && res.s < R.data.low));
  }
  function parseLinks(res) {
    if (!res || !res.a) return [];
    return res.a.split(' ').map(function (pair) { return pair.split('-').map(Number); });
  }

  // -- rendering -------------------------------------------------------------------

  function sentence(side, i) {
    var pair = R.data.pairs[i], res = pair[2];
    if (side === 'ar') {
      return '<span class="s" data-idx="' + i + '" tabindex="-1">' + words(pair[1]) + '</span>';
    }
    if (!res) return '<span class="s pending" data-idx="' + i + '" tabindex="-1" aria-label="not translated yet">…</span>';
    var cls = 's' + (isLow(res) ? ' low' : '') + (res.c ? ' cached' : '') + (res.o === 'yours' ? ' yours' : '');
    return '<span class="' + cls + '" data-idx="' + i + '" tabindex="-1"' +
      (res.o === 'yours' ? ' title="Your translation"' : '') + '>' + words(res.t) + '</span>';
  }

  function byParagraph() {
    var groups = R.data.paragraphs.map(function () { return []; });
    R.data.pairs.forEach(function (pair, i) { if (groups[pair[0]]) groups[pair[0]].push(i); });
    return groups;
  }

  function column(side, groups) {
    var dir = side === 'ar' ? ' dir="rtl" lang="ar"' : ' dir="ltr" lang="en"';
    var out = '<div class="col ' + side + '"' + dir + '>';
    groups.forEach(function (idx, k) {
      var heading = R.data.paragraphs[k][0] === 'h';
      var tag = heading ? 'h2' : 'p';
      out += '<' + tag + ' class="para' + (heading ? ' heading' : '') + '" data-p="' + k + '">' +
        idx.map(function (i) { return sentence(side, i); }).join(' ') + '</' + tag + '>';
    });
    return out + '</div>';
  }

  function interleaved(groups) {
    var out = '<div class="col mix">';
    groups.forEach(function (idx, k) {
      var heading = R.data.paragraphs[k][0] === 'h';
      out += '<div class="para' + (heading ? ' heading' : '') + '" data-p="' + k + '">';
      idx.forEach(function (i) {
        out += '<div class="pair"><p class="ar" dir="rtl" lang="ar">' + sentence('ar', i) + '</p>' +
          '<p class="en" dir="ltr" lang="en">' + sentence('en', i) + '</p></div>';
      });
      out += '</div>';
    });
    return out + '</div>';
  }

  function renderAll() {
    if (!R.pane) return;
    var view = effectiveView();
    R.pane.dataset.layout = view;
    R.pane.style.setProperty('--reader-scale', R.scale);
    if (!R.data || !R.data.pairs.length) {
      R.pane.innerHTML = '<div class="intro"><p>The translation appears here, the Arabic and the English side ' +
        'by side, sentence by sentence. <span class="on-hover">Hover over</span><span class="on-touch">Tap</span> ' +
        'a sentence to see its counterpart, or a word to see the words it was translated from.</p></div>';
      R.els = { ar: [], en: [] };
      return;
    }
    var groups = byParagraph(), html;
    if (view === 'side') html = '<div class="cols side">' + column('ar', groups) + column('en', groups) + '</div>';
    else if (view === 'interleaved') html = '<div class="cols single">' + interleaved(groups) + '</div>';
    else html = '<div class="cols single">' + column(view, groups) + '</div>';
    R.pane.innerHTML = html;
    index();
    R.filled = R.data.pairs.map(function (pair) { return !!pair[2]; });
    R.links = R.data.pairs.map(function (pair) { return parseLinks(pair[2]); });
    hookColumns();
    if (R.current >= R.data.pairs.length) R.current = -1;
    mark(R.current, false);
    equalize();
  }

  function index() {
    R.els = { ar: [], en: [] };
    R.pane.querySelectorAll('.s[data-idx]').forEach(function (el) {
      var side = el.closest('.ar') ? 'ar' : 'en';
      R.els[side][+el.dataset.idx] = el;
    });
  }

  function fill(i) {
    var old = R.els.en[i];
    R.links[i] = parseLinks(result(i));
    R.filled[i] = true;
    if (!old) return;
    var holder = document.createElement('span');
    holder.innerHTML = sentence('en', i);
    var el = holder.firstChild;
    if (old.classList.contains('hl')) el.classList.add('hl');
    el.tabIndex = old.tabIndex;
    var focused = document.activeElement === old;
    old.replaceWith(el);
    R.els.en[i] = el;
    if (focused) el.focus({ preventScroll: true });
  }

  // -- side by side: equal paragraph heights, columns scrolled together ----------------

  function paragraphsOf(side) {
    var col = R.pane.querySelector('.cols.side .col.' + side);
    return col ? col.querySelectorAll('.para') : [];
  }

  function equalize(only) {
    if (!R.pane || effectiveView() !== 'side') return;
    var ar = paragraphsOf('ar'), en = paragraphsOf('en'), todo = [];
    for (var k = 0; k < ar.length; k++) if (!only || only.has(k)) todo.push(k);
    todo.forEach(function (k) { ar[k].style.minHeight = ''; en[k].style.minHeight = ''; });
    var heights = todo.map(function (k) {  // fractional: rounding would drift down the columns
      return Math.max(ar[k].getBoundingClientRect().height, en[k].getBoundingClientRect().height);
    });
    todo.forEach(function (k, n) { ar[k].style.minHeight = en[k].style.minHeight = heights[n] + 'px'; });
  }

  function columns() {
    return { ar: R.pane.querySelector('.cols.side .col.ar'), en: R.pane.querySelector('.cols.side .col.en') };
  }

  function scrollColumn(col, side, top) {  // a scroll we make: the other column does not follow it
    top = Math.max(0, Math.min(top, col.scrollHeight - col.clientHeight));
    if (Math.abs(col.scrollTop - top) < 1) return;
    R.expect[side] = Math.round(top);
    col.scrollTop = top;
  }

  function hookColumns() {
    var cols = columns();
    R.offset = 0;
    if (!cols.ar) return;
    ['ar', 'en'].forEach(function (side) {
      var col = cols[side], other = side === 'ar' ? 'en' : 'ar';
      R.lastTop[side] = col.scrollTop;
      col.addEventListener('scroll', function () {
        var top = col.scrollTop, moved = top - R.lastTop[side];
        R.lastTop[side] = top;
        if (R.expect[side] !== null && Math.abs(top - R.expect[side]) <= 1) { R.expect[side] = null; return; }
        // The reader scrolled this column: the other follows, and an offset left by
        // bringing a sentence into view fades as they read on.
        if (R.offset) R.offset = Math.sign(R.offset) * Math.max(0, Math.abs(R.offset) - Math.abs(moved));
        var offset = side === 'ar' ? R.offset : -R.offset;  // R.offset = en.scrollTop - ar.scrollTop
        var target = top + offset;
        R.lastTop[other] = target;
        scrollColumn(cols[other], other, target);
      }, { passive: true });
    });
  }

  // Brings the partner of `from` into view in its own column only (side by side).
  function alignPartner(i, fromSide) {
    var cols = columns();
    if (!cols.ar) return;
    var otherSide = fromSide === 'ar' ? 'en' : 'ar';
    var from = R.els[fromSide][i], partner = R.els[otherSide][i], col = cols[otherSide];
    if (!from || !partner) return;
    var box = col.getBoundingClientRect(), p = partner.getBoundingClientRect();
    if (p.top >= box.top && p.bottom <= box.bottom) return;  // already in view
    var delta = p.top - from.getBoundingClientRect().top;
    var before = col.scrollTop;
    scrollColumn(col, otherSide, before + delta);
    var moved = col.scrollTop - before;
    R.lastTop[otherSide] = col.scrollTop;
    R.offset += otherSide === 'en' ? moved : -moved;
  }

  // Scrolls the column holding `el` (never the page) so that `el` is in view.
  function reveal(el) {
    var col = el.closest('.col');
    if (!col) return;
    var box = col.getBoundingClientRect(), r = el.getBoundingClientRect(), margin = 24;
    var delta = 0;
    if (r.top < box.top + margin) delta = r.top - box.top - margin;
    else if (r.bottom > box.bottom - margin) delta = Math.min(r.bottom - box.bottom + margin, r.top - box.top - margin);
    if (delta) col.scrollTop += delta;  // a user-like scroll: the other column follows
  }

  // -- highlight, focus, words ------------------------------------------------------

  function mark(i, focus, side) {
    R.pane.querySelectorAll('.s.hl').forEach(function (el) { el.classList.remove('hl'); });
    R.pane.querySelectorAll('.s[tabindex="0"]').forEach(function (el) { el.tabIndex = -1; });
    if (i < 0 || !R.data || i >= R.data.pairs.length) {
      var first = R.els.en[0] || R.els.ar[0];
      if (first) first.tabIndex = 0;
      if (R.els.ar[0]) R.els.ar[0].tabIndex = 0;
      return;
    }
    ['ar', 'en'].forEach(function (s) {
      var el = R.els[s][i];
      if (el) { el.classList.add('hl'); el.tabIndex = 0; }
    });
    if (focus) {
      var target = R.els[side || primarySide()][i] || R.els.en[i] || R.els.ar[i];
      target.focus({ preventScroll: true });
      reveal(target);
      if (effectiveView() === 'side') alignPartner(i, target.closest('.ar') ? 'ar' : 'en');
    }
  }

  function primarySide() { return effectiveView() === 'ar' ? 'ar' : 'en'; }

  function select(i, el) {
    R.current = i;
    mark(i, false);
    if (el) el.focus({ preventScroll: true });
    if (el && effectiveView() === 'side') alignPartner(i, el.closest('.ar') ? 'ar' : 'en');
  }

  function clearWords() {
    R.wordHl.forEach(function (el) { el.classList.remove('wl', 'wh'); });
    R.wordHl = [];
  }

  function showWords(wordEl) {
    clearWords();
    var s = wordEl.closest('.s[data-idx]');
    if (!s) return;
    var i = +s.dataset.idx, k = +wordEl.dataset.w, side = s.closest('.ar') ? 'ar' : 'en';
    var other = side === 'ar' ? 'en' : 'ar', partner = R.els[other][i];
    wordEl.classList.add('wh');
    R.wordHl.push(wordEl);
    if (!partner) return;
    (R.links[i] || []).forEach(function (link) {
      var mine = side === 'ar' ? link[0] : link[1], theirs = side === 'ar' ? link[1] : link[0];
      if (mine !== k) return;
      var w = partner.querySelector('.w[data-w="' + theirs + '"]');
      if (w) { w.classList.add('wl'); R.wordHl.push(w); }
    });
  }

  // -- details panel -----------------------------------------------------------------

  function scoreWords(score) {
    if (typeof score !== 'number') return 'No score: the sentence has no Arabic words, so it was passed through as it is.';
    var level = score >= -0.5 ? 'high' : score >= R.data.low ? 'fair' : 'low';
    return 'Confidence ' + level + ': ' + score.toFixed(2).replace('-', '−') + ' (the model\'s mean log-probability ' +
      'per word piece: 0 is certain; below ' + String(R.data.low).replace('-', '−') + ' the sentence is marked as doubtful).';
  }

  function openDetails(i, focus) {
    var panel = R.root.querySelector('.details');
    if (!panel || !R.data || i < 0) return;
    var pair = R.data.pairs[i], res = pair[2], items = [], yours = !!res && res.o === 'yours';
    if (yours) {
      items.push('<li class="yours-fact"><span class="yours-mark" aria-hidden="true">✎</span> <strong>Yours</strong>: your own ' +
        'translation, from your translation memory. It is used wherever this sentence appears' +
        (R.hasMemory ? '; “Use the model\'s again” forgets it.' : '.') + '</li>');
    } else {
      items.push('<li>' + esc(scoreWords(res ? res.s : null)) + '</li>');
    }
    if (res) {
      (res.f || []).forEach(function (flag) {
        if (flag.indexOf('term:') === 0) {
          items.push('<li class="doubt">The term <bdi lang="ar" dir="rtl">' + esc(flag.slice(5)) + '</bdi> may be ' +
            'rendered differently: the glossary\'s rendering could not be placed in this sentence.</li>');
        } else if (flag === 'numbers' && res.m && res.m.length) {
          res.m.forEach(function (n) { items.push('<li class="doubt">The number ' + esc(n) + ' is missing from the English.</li>'); });
        } else {
          items.push('<li class="doubt">' + esc(FLAG_WORDS[flag] || flag) + '</li>');
        }
      });
      if (!(res.f && res.f.length) && isLow(res)) items.push('<li class="doubt">The model was unsure of this sentence: read it with care.</li>');
      if (!yours) items.push('<li>' + (res.c ? 'From the cache: translated earlier with the same model and settings.' : 'Translated just now.') + '</li>');
      if (R.links[i] && R.links[i].length) {
        items.push('<li><span class="on-hover">Hover over</span><span class="on-touch">Tap</span> a word to see the words it was translated from.</li>');
      }
    } else {
      items.push('<li>Not translated yet.</li>');
    }
    panel.innerHTML =
      '<div class="details-head"><h2 id="details-title" tabindex="-1">Sentence ' + (i + 1) + ' of ' + R.data.pairs.length + '</h2>' +
      '<button type="button" class="rbtn" data-action="copy-sentence">Copy English</button>' +
      '<button type="button" class="rbtn" data-action="close-details" aria-label="Close the details">Close</button></div>' +
      '<p class="ar" dir="rtl" lang="ar">' + esc(pair[1]) + '</p>' +
      '<p class="en" lang="en">' + (res ? words(res.t) : '…') +
      (yours ? ' <span class="yours-mark" role="img" aria-label="yours">✎</span>' : '') + '</p>' +
      '<ul class="facts">' + items.join('') + '</ul>' + correction(i, res);
    panel.hidden = false;
    R.detailsFor = i;
    R.root.classList.add('with-details');
    if (R.current !== i) { R.current = i; mark(i, false); }
    // Keep the sentence above the panel: its own column moves, never the page.
    ['ar', 'en'].forEach(function (side) {
      var el = R.els[side][i], col = el && el.closest('.col');
      if (!col) return;
      var over = el.getBoundingClientRect().bottom - panel.getBoundingClientRect().top + 16;
      if (over > 0) col.scrollTop += Math.min(over, el.getBoundingClientRect().top - col.getBoundingClientRect().top);
    });
    if (focus !== false) panel.querySelector('#details-title').focus({ preventScroll: true });
  }

  // -- the reader's own translation: alternatives, completion, next-word choices, saving ----

  function correctable(i) {
    var pair = R.data && R.data.pairs[i];
    return !!pair && !!pair[2] && ARABIC.test(pair[1]);
  }

  function correction(i, res) {
    if (!correctable(i)) return '';
    var save = R.hasMemory
      ? '<button type="button" class="rbtn primary" data-action="save">Save my translation</button>' +
        (res.o === 'yours' ? '<button type="button" class="rbtn" data-action="forget">Use the model\'s again</button>' : '')
      : '';
    var alts = R.alts[pairKey(i)];
    return '<section class="alternatives" aria-labelledby="alternatives-title">' +
      '<h3 id="alternatives-title">The model\'s alternatives</h3>' +
      (alts ? alternativesList(alts, res) :
        '<button type="button" class="rbtn" data-action="alternatives">Show the alternatives</button>') +
      '</section>' +
      '<section class="correct" aria-labelledby="correct-title">' +
      '<h3 id="correct-title">Correct it</h3>' +
      '<label for="details-edit" class="edit-label">Your English. Fix the beginning and press Complete: the model ' +
      'finishes the sentence from the cursor. ' + (R.hasMemory ? 'Or edit it all and save it. ' : '') +
      '<span class="on-hover">Click</span><span class="on-touch">Tap</span> a word of the English above for the ' +
      'model\'s choices there.</label>' +
      '<textarea id="details-edit" class="edit" rows="3" lang="en" dir="ltr" spellcheck="true">' + esc(res.t) + '</textarea>' +
      '<div class="edit-buttons">' +
      '<button type="button" class="rbtn" data-action="complete">Complete from the cursor</button>' +
      '<button type="button" class="rbtn" data-action="next-word">Choices for the next word</button>' + save +
      '</div><div class="word-choices" role="group" aria-label="Choices for the next word" hidden></div>' +
      '<div class="edit-status" role="status" aria-live="polite"></div>' +
      (R.hasMemory ? '' : '<p class="no-memory">This reader keeps no translation memory, so corrections cannot be saved.</p>') +
      '</section>';
  }

  function pairKey(i) { return R.data.pairs[i][1]; }

  function alternativesList(alts, res) {
    if (!alts.length) return '<p>The model has no other translation of this sentence.</p>';
    return '<ol class="alt-list">' + alts.map(function (alt, k) {
      var shown = res && alt.text === res.t;
      return '<li><span class="alt-text" lang="en">' + esc(alt.text) + '</span> <span class="alt-score" title="The model\'s ' +
        'mean log-probability per word piece (0 is certain)">score ' + esc(signed(alt.score)) + '</span>' +
        (shown ? ' <span class="alt-shown">(shown now)</span>' : '') +
        (R.hasMemory && !shown ? ' <button type="button" class="rbtn" data-action="pick" data-k="' + k +
          '" aria-label="Use alternative ' + (k + 1) + '">Use this</button>' : '') + '</li>';
    }).join('') + '</ol>';
  }

  function signed(score) { return typeof score === 'number' ? score.toFixed(2).replace('-', '−') : 'none'; }

  function editBox() { return R.root.querySelector('.details #details-edit'); }

  function say(message, alert) {  // in the panel, where the reader is looking; errors as the page's notices
    var box = R.root.querySelector('.details .edit-status');
    if (!box) return;
    box.innerHTML = alert ? '<div class="reader-notice" role="alert">' + esc(message) + '</div>' : esc(message);
  }

  // One call of the page's API (gradio_api/call/NAME): resolves with its answer, rejects
  // with the server's message.
  function api(name, args) {
    var root = ((window.gradio_config && window.gradio_config.root) || '').replace(/\/$/, '');
    var url = root + '/gradio_api/call/' + name;
    return fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ data: args }) })
      .then(function (r) {
        if (!r.ok) throw new Error('The server did not take the request (HTTP ' + r.status + '); try again.');
        return r.json();
      })
      .then(function (started) { return fetch(url + '/' + started.event_id); })
      .then(function (r) { return r.text(); })
      .then(function (stream) {
        var event = null, lines = stream.split('\n');
        for (var k = 0; k < lines.length; k++) {
          if (lines[k].indexOf('event: ') === 0) event = lines[k].slice(7).trim();
          else if (lines[k].indexOf('data: ') === 0 && (event === 'complete' || event === 'error')) {
            var data = null;
            try { data = JSON.parse(lines[k].slice(6)); } catch (e) { data = null; }
            if (event === 'complete') return Array.isArray(data) ? data[0] : data;
            var message = data && typeof data === 'object' ? data.error || data.message : data;
            throw new Error(typeof message === 'string' && message ? message :
              'The server could not answer; try again. If it happens again, the reader\'s server log has the details.');
          }
        }
        throw new Error('The server did not answer; try again.');
      });
  }

  // Runs an API call for the sentence whose details are open; `then` gets the answer only if
  // they are still open on the same sentence.
  function ask(button, name, args, busyWords, then) {
    var i = R.detailsFor, source = R.data.pairs[i][1];
    if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
    say(busyWords);
    return api(name, args).then(function (answer) {
      if (R.detailsFor !== i || R.data.pairs[i][1] !== source) return;
      then(answer, i);
    }, function (error) {
      if (R.detailsFor === i) say(error.message, true);
    }).then(function () {
      if (button && button.isConnected) { button.disabled = false; button.removeAttribute('aria-busy'); }
    });
  }

  function showAlternatives(button) {
    var i = R.detailsFor;
    ask(button, 'alternatives', [pairKey(i), R.altCount], 'Asking the model for its alternatives…', function (alts, i) {
      R.alts[pairKey(i)] = alts;
      var section = R.root.querySelector('.details .alternatives');
      section.innerHTML = '<h3 id="alternatives-title">The model\'s alternatives</h3>' + alternativesList(alts, result(i));
      say(count(alts.length, 'alternative') + ', best first.');
      var first = section.querySelector('[data-action=pick]');
      if (first) first.focus({ preventScroll: true });
    });
  }

  // The reader's beginning: the English up to the cursor, once they have been in the box
  // (before that, all of it).
  function prefixAtCursor() {
    var box = editBox();
    return box.dataset.touched ? box.value.slice(0, box.selectionEnd) : box.value;
  }

  function completeFrom(prefix, button, words) {
    ask(button, 'complete', [pairKey(R.detailsFor), prefix], words || 'The model is completing your beginning…',
      function (done) {
        var box = editBox();
        box.value = done.text;
        box.focus({ preventScroll: true });
        box.setSelectionRange(prefix.length, done.text.length);  // what the model wrote, selected
        hideChoices();
        say('Completed from your beginning' + (R.hasMemory ? ': press “Save my translation” to keep it.' : '.'));
      });
  }

  function nextWords(prefix, button) {
    R.choicePrefix = prefix;
    ask(button, 'word_alternatives', [pairKey(R.detailsFor), prefix, R.altCount], 'Asking the model for the next word…',
      function (found) {
        var box = R.root.querySelector('.details .word-choices');
        box.hidden = false;
        box.innerHTML = found.length ? found.map(function (w) {
          return '<button type="button" class="rbtn chip" data-action="word" data-word="' + esc(w) + '" lang="en">' + esc(w) + '</button>';
        }).join('') : '<span>The model has no other word here.</span>';
        say(found.length ? 'Choices for the word after “' + (prefix.trim().split(/\s+/).slice(-3).join(' ') || 'the start') +
          '”: pick one and the model completes the sentence after it.' : '');
        var first = box.querySelector('button');
        if (first) first.focus({ preventScroll: true });
      });
  }

  function hideChoices() {
    var box = R.root.querySelector('.details .word-choices');
    if (box) { box.hidden = true; box.innerHTML = ''; }
  }

  function pickWord(word, button) {
    var head = (R.choicePrefix || '').replace(/\s+$/, '');
    completeFrom((head ? head + ' ' : '') + word + ' ', button, 'The model is completing the sentence after “' + word + '”…');
  }

  // A word of the English in the details: the choices for that position.
  function wordClicked(w) {
    var i = R.detailsFor, res = result(i), box = editBox();
    if (!res || !box) return;
    var k = +w.dataset.w, m, n = 0, offset = res.t.length;
    WORD.lastIndex = 0;
    while ((m = WORD.exec(res.t)) !== null) { if (n++ === k) { offset = m.index; break; } }
    box.value = res.t;
    box.setSelectionRange(offset, offset);
    box.dataset.touched = '1';
    nextWords(res.t.slice(0, offset), null);
  }

  function save(text, button) {
    var i = R.detailsFor, res = result(i);
    if (!VISIBLE.test(text)) { say('Your translation is empty: type the English, or pick one of the alternatives.', true); return; }
    ask(button, 'remember', [pairKey(i), text, res ? res.t : null], 'Saving your translation…', function (saved, i) {
      setResult(saved.source, { t: saved.translation, o: saved.origin });
      openDetails(i, true);
      say('Saved as yours: it is used wherever this sentence appears.');
    });
  }

  function forgetYours(button) {
    ask(button, 'forget', [pairKey(R.detailsFor)], 'Asking the model for its translation…', function (pair, i) {
      var res = { t: pair.translation };
      if (typeof pair.score === 'number') res.s = pair.score;
      if (pair.cached) res.c = 1;
      if (pair.flags && pair.flags.length) res.f = pair.flags;
      if (pair.alignment && pair.alignment.length) res.a = pair.alignment.map(function (l) { return l[0] + '-' + l[1]; }).join(' ');
      setResult(pair.source, res);
      openDetails(i, true);
      say('Your translation is forgotten: this is the model\'s.');
    });
  }

  // Every sentence of the document with this source gets the new result, in place.
  function setResult(source, res) {
    var changed = new Set();
    R.data.pairs.forEach(function (pair, i) {
      if (pair[1] !== source || !pair[2]) return;
      pair[2] = res;
      fill(i);
      changed.add(pair[0]);
    });
    equalize(changed);
  }

  function closeDetails(returnFocus) {
    var panel = R.root && R.root.querySelector('.details');
    if (!panel || panel.hidden) return;
    panel.hidden = true;
    R.root.classList.remove('with-details');
    var i = R.detailsFor;
    R.detailsFor = -1;
    if (returnFocus && i >= 0) {
      var el = R.els[primarySide()][i] || R.els.ar[i];
      if (el) el.focus({ preventScroll: true });
    }
  }

  function toggleLegend(open, returnFocus) {
    var legend = R.root.querySelector('.legend'), button = $('#toolbar [data-action=legend]');
    legend.hidden = !open;
    if (button) button.setAttribute('aria-expanded', String(open));
    if (!open && returnFocus && button) button.focus({ preventScroll: true });
  }

  // -- copying -------------------------------------------------------------------------

  function englishText() {
    if (!R.data) return '';
    var groups = byParagraph(), out = '';
    R.data.paragraphs.forEach(function (p, k) {
      out += p[1] + groups[k].map(function (i) { var res = result(i); return res ? res.t : ''; }).join(' ');
    });
    return (out + R.data.tail).replace(/^\s+|\s+$/g, '') + '\n';
  }

  function copy(text, button) {
    function done(ok) {
      if (!button) return;
      var label = button.dataset.label || button.textContent;
      button.dataset.label = label;
      button.textContent = ok ? 'Copied' : 'Copy failed';
      setTimeout(function () { button.textContent = label; }, 1500);
    }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(function () { done(true); }, function () { done(fallbackCopy(text)); });
    } else {
      done(fallbackCopy(text));
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.style.position = 'fixed';
    area.style.opacity = '0';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    area.remove();
    return ok;
  }

  // -- the page around the view: toolbar, input panel, Recent -----------------------

  function title() {
    if (R.data && R.data.title) return R.data.title;
    if (!R.data || !R.data.pairs.length) return '';
    var first = result(0), text = first ? first.t : R.data.pairs[0][1];
    var ws = wordList(text), short = ws.slice(0, 6).join(' ');
    if (short.length > 48) short = Array.from(short).slice(0, 40).join('');
    return short.length < text.trim().length ? short + '…' : short;
  }

  function summary() {
    var bar = $('#toolbar');
    if (!bar || !R.data) return;
    bar.querySelector('.doc-title').textContent = title();
    bar.querySelector('.doc-count').textContent = ' · ' + count(R.data.pairs.length, 'sentence') + ' · ';
    bar.querySelectorAll('[data-view]').forEach(function (b) {
      b.setAttribute('aria-pressed', String(b.dataset.view === R.view));
    });
  }

  function textarea() {
    var area = $('#source textarea');
    if (area && area !== R.textarea) {
      R.textarea = area;
      area.setAttribute('lang', 'ar');
      area.setAttribute('dir', 'rtl');
      area.setAttribute('aria-describedby', 'char-count-text');
      // Gradio sets the box's value itself (a sample, an upload): watch those too.
      var proto = Object.getOwnPropertyDescriptor(HTMLTextAreaElement.prototype, 'value');
      Object.defineProperty(area, 'value', {
        configurable: true,
        get: function () { return proto.get.call(this); },
        set: function (v) { proto.set.call(this, v); clearBrowserNotes(); setTimeout(textChanged, 0); }
      });
      textChanged();
    }
    return area;
  }

  function textChanged() {
    var area = R.textarea;
    if (!area) return;
    var text = area.value, n = Array.from(text).length;
    var counter = $('#char-count .char-count');
    if (counter) {
      counter.id = 'char-count-text';
      var over = n - R.limit;
      counter.classList.toggle('near', n > 0.9 * R.limit && over <= 0);
      counter.classList.toggle('over', over > 0);
      counter.textContent = over > 0
        ? count(n, 'character') + ': ' + over.toLocaleString('en-US') + ' over the limit of ' +
          R.limit.toLocaleString('en-US') + '. Remove some text, or translate it in parts.'
        : n.toLocaleString('en-US') + ' of ' + R.limit.toLocaleString('en-US') + ' characters';
    }
    if (document.activeElement === area) {
      document.querySelectorAll('#notice .reader-notice, #notice .reader-loaded').forEach(function (n) { n.hidden = true; });
    }
    document.body.classList.toggle('reader-stale', R.sourceText !== null && text !== R.sourceText && !!R.data);
    var stale = $('#toolbar .doc-stale');
    if (stale) stale.hidden = !document.body.classList.contains('reader-stale');
  }

  function fold(on) {
    document.body.classList.toggle('reader-folded', on);
    fit();
  }

  function fit() {
    if (!R.pane) return;
    requestAnimationFrame(function () {
      var top = R.pane.getBoundingClientRect().top + window.scrollY;
      var height = Math.max(window.innerHeight - top - 8, Math.round(window.innerHeight * 0.6), 280);
      R.pane.style.height = height + 'px';
      equalize();
    });
  }

  function translateClicked() {
    var area = textarea();
    // While one runs, Gradio ignores the button (trigger_mode "once"): so do we.
    if (!area || document.body.classList.contains('reader-busy')) return;
    var text = area.value;
    if (!VISIBLE.test(text) || Array.from(text).length > R.limit) return;  // the server explains
    R.sourceText = text;
    R.pendingTitle = null;
    document.body.classList.add('reader-busy');
    document.body.classList.remove('reader-stopped', 'reader-stale', 'reader-done');
    var note = $('#status-row .stop-note');
    if (note) note.remove();
    fold(true);
  }

  function stopped() {
    if (!document.body.classList.contains('reader-busy')) return;
    R.stoppedRun = R.run;
    document.body.classList.remove('reader-busy');
    document.body.classList.add('reader-stopped');
    if (R.pane) R.pane.removeAttribute('aria-busy');
    var done = R.filled.filter(Boolean).length, total = R.data ? R.data.pairs.length : 0;
    var row = $('#status');
    if (row) {
      var note = document.createElement('div');
      note.className = 'stop-note';
      note.setAttribute('role', 'status');
      note.textContent = 'Stopped: ' + done.toLocaleString('en-US') + ' of ' + count(total, 'sentence') +
        ' translated; they are kept in the cache. Press Translate to finish the rest.';
      var old = document.querySelector('#status-row .stop-note');
      if (old) old.remove();
      row.parentNode.insertBefore(note, row);
    }
  }

  // A web article is in the box (its note came back): translate it, as the button would.
  function fetched(note) {
    clearBrowserNotes();
    if (typeof note !== 'string' || note.indexOf('data-loaded') < 0) return;
    requestAnimationFrame(function () { setTimeout(function () { var b = $('#translate'); if (b) b.click(); }, 0); });
  }

  // A file of a kind the page does not read, or over the server's limit, is refused
  // here with the page's notice before it is sent (Gradio would show a bare error).
  function checkUpload(event) {
    var input = event.target;
    if (!input || !input.matches || !input.matches('input[type=file]') || !input.parentElement ||
        !input.parentElement.querySelector(':scope > #upload')) return;  // the Upload button's own input
    var file = input.files && input.files[0];
    clearBrowserNotes();
    if (!file) return;
    var mb = function (n) { return (n / 1e6).toFixed(1) + ' MB'; };
    var dot = file.name.lastIndexOf('.'), suffix = dot > 0 ? file.name.slice(dot).toLowerCase() : '';
    var accepted = (input.getAttribute('accept') || '').split(',').map(function (s) { return s.trim().toLowerCase(); });
    var message = null;
    if (accepted[0] && accepted.indexOf(suffix) < 0) {
      message = file.name + ' is not a format the page reads. Upload a ' + R.uploadKinds + ' file, or paste the text ' +
        'into the box.';
    } else if (R.maxUpload && file.size > R.maxUpload) {
      message = file.name + ' is ' + mb(file.size) + '; the page takes files up to ' + mb(R.maxUpload) +
        '. Upload a smaller part of it.';
    }
    if (!message) return;
    event.stopImmediatePropagation();
    input.value = '';
    var box = $('#notice');
    if (!box) return;
    var note = document.createElement('div');
    note.className = 'reader-notice from-browser';
    note.setAttribute('role', 'alert');
    note.textContent = message;
    // Beside Gradio's own markup, not inside it: the next notice from the server replaces
    // Gradio's part, and clearBrowserNotes removes this one.
    box.querySelectorAll('.reader-notice, .reader-loaded').forEach(function (old) { old.hidden = true; });
    box.appendChild(note);
  }

  function clearBrowserNotes() {
    document.querySelectorAll('#notice .from-browser').forEach(function (note) { note.remove(); });
  }

  function recentList() { return load(RECENT_KEY, []).filter(function (e) { return e && e.id && e.text; }); }

  function remember() {
    if (!R.data || R.recorded[R.run] || R.sourceText === null) return;
    R.recorded[R.run] = true;
    var entry = { id: hash(R.sourceText), title: title(), date: new Date().toISOString(),
      sentences: R.data.pairs.length, text: R.sourceText };
    var list = recentList().filter(function (e) { return e.id !== entry.id; });
    list.unshift(entry);
    list = list.slice(0, RECENT_MAX);
    while (list.length && !store(RECENT_KEY, list)) list.pop();  // full: the oldest go first
    renderRecent();
  }

  function renderRecent() {
    var box = $('#recent .recent');  // its own js_on_load calls back once it is in the page (recentMounted)
    if (!box) return;
    var list = recentList();
    R.recentShown = true;
    box.hidden = !list.length;
    box.innerHTML = '<h2 class="recent-title">Recent</h2><ul>' + list.map(function (e) {
      var date = new Date(e.date);
      var when = isNaN(date) ? '' : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) +
        ' ' + date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
      return '<li><button type="button" class="recent-open" data-id="' + esc(e.id) + '">' +
        '<span class="recent-name">' + esc(e.title || 'Untitled') + '</span>' +
        '<span class="recent-meta">' + esc(when) + ' · ' + esc(count(e.sentences || 0, 'sentence')) + '</span></button>' +
        '<button type="button" class="recent-remove" data-id="' + esc(e.id) + '" aria-label="Remove ' +
        esc(e.title || 'Untitled') + ' from Recent">×</button></li>';
    }).join('') + '</ul>';
  }

  function reopen(id) {
    var entry = recentList().filter(function (e) { return e.id === id; })[0], area = textarea();
    if (!entry || !area) return;
    area.value = entry.text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    setTimeout(function () { var b = $('#translate'); if (b) b.click(); }, 0);
  }

  function forget(id) {
    store(RECENT_KEY, recentList().filter(function (e) { return e.id !== id; }));
    renderRecent();
  }

  function saveSettings() { store(SETTINGS_KEY, { view: R.view, scale: R.scale, memory: R.useMemory }); }

  function switchMounted() {
    var button = $('#memory-switch .switch');
    R.hasMemory = !!button;
    if (button) button.setAttribute('aria-checked', String(R.useMemory));
    if (button && !R.useMemory) sendMemory();  // a new session starts with the memory on
  }

  // Tells this session's server side the switch's position (a hidden button's event
  // reads useMemory()); the button may appear after this script.
  function sendMemory(tries) {
    var set = $('#memory-set');
    if (set) set.click();
    else if ((tries || 0) < 100) setTimeout(function () { sendMemory((tries || 0) + 1); }, 50);
  }

  function setMemory(on) {
    R.useMemory = on;
    saveSettings();
    switchMounted();
    sendMemory();
    var help = $('#memory-switch .switch-help');
    if (help) help.textContent = on ? 'Sentences you corrected are shown as you saved them, marked ✎.'
      : 'Off: the model\'s translations only. Press Translate to apply it.';
  }

  function useMemory() { return !!R.hasMemory && R.useMemory; }

  function setView(view) {
    if (VIEWS.indexOf(view) < 0) return;
    R.view = view;
    saveSettings();
    summary();
    var i = R.current;
    renderAll();
    fit();
    if (i >= 0) mark(i, false);
  }

  function setScale(step) {
    var n = SCALES.indexOf(R.scale);
    if (n < 0) n = SCALES.indexOf(1);
    R.scale = SCALES[Math.max(0, Math.min(SCALES.length - 1, n + step))];
    saveSettings();
    if (R.pane) R.pane.style.setProperty('--reader-scale', R.scale);
    equalize();
  }

  // -- data from the server --------------------------------------------------------------

  function update(data) {
    if (!data || !data.pairs) return;
    if (data.run === R.stoppedRun) return;  // a step that was on its way when Stop was pressed
    if (data.state === 'failed' && !data.pairs.length) {  // refused before it began: keep what is shown
      document.body.classList.remove('reader-busy');
      if (!R.data) fold(false);
      return;
    }
    var fresh = data.run !== R.run;
    R.data = data;
    if (fresh) {
      R.run = data.run;
      R.current = -1;
      closeDetails(false);
      document.body.classList.add('reader-has-doc');
      renderAll();
      fit();
    } else {
      var changed = new Set();
      data.pairs.forEach(function (pair, i) {
        if (pair[2] && !R.filled[i]) { fill(i); changed.add(pair[0]); }
      });
      if (changed.size) equalize(changed);
    }
    var working = data.state === 'working';
    document.body.classList.toggle('reader-busy', working);
    var done = data.state === 'done';
    if (document.body.classList.contains('reader-done') !== done) {
      document.body.classList.toggle('reader-done', done);
      fit();  // the download row came or went: the view takes what is left of the window
    }
    if (working) R.pane.setAttribute('aria-busy', 'true'); else R.pane.removeAttribute('aria-busy');
    summary();
    textChanged();
    if (data.state === 'done') remember();
  }

  // -- events ------------------------------------------------------------------------------

  function sentenceOf(target) { return target && target.closest ? target.closest('#reader .s[data-idx]') : null; }

  function onKey(event) {
    var s = sentenceOf(event.target);
    if (event.key === 'Escape' && event.target.closest && event.target.closest('#reader, #toolbar')) {
      var legend = R.root && R.root.querySelector('.legend');
      if (R.detailsFor >= 0) closeDetails(true);
      else if (legend && !legend.hidden) toggleLegend(false);
      else return;
      event.preventDefault();
      return;
    }
    if (!s || event.altKey || event.ctrlKey || event.metaKey) return;
    var i = +s.dataset.idx, n = R.data ? R.data.pairs.length : 0, next = null;
    if (event.key === 'ArrowDown' || event.key === 'j') next = Math.min(n - 1, i + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') next = Math.max(0, i - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = n - 1;
    else if (event.key === 'Enter' || event.key === ' ') { openDetails(i); event.preventDefault(); return; }
    if (next === null) return;
    event.preventDefault();
    R.current = next;
    mark(next, true, s.closest('.ar') ? 'ar' : 'en');
  }

  function onClick(event) {
    var t = event.target;
    var action = t.closest && t.closest('[data-action], [data-view], .recent-open, .recent-remove');
    if (action) {
      if (action.matches('.recent-open')) return reopen(action.dataset.id);
      if (action.matches('.recent-remove')) return forget(action.dataset.id);
      if (action.dataset.view) return setView(action.dataset.view);
      switch (action.dataset.action) {
        case 'edit': fold(false); var area = textarea(); if (area) { area.focus({ preventScroll: true }); area.scrollIntoView({ block: 'nearest' }); } return;
        case 'smaller': return setScale(-1);
        case 'larger': return setScale(1);
        case 'copy': return copy(englishText(), action);
        case 'copy-sentence': var res = result(R.detailsFor); return copy(res ? res.t : '', action);
        case 'close-details': return closeDetails(true);
        case 'legend': return toggleLegend(R.root.querySelector('.legend').hidden);
        case 'close-legend': return toggleLegend(false, true);
        case 'memory': return setMemory(action.getAttribute('aria-checked') !== 'true');
        case 'alternatives': return showAlternatives(action);
        case 'pick': var alt = (R.alts[pairKey(R.detailsFor)] || [])[+action.dataset.k]; return alt && save(alt.text, action);
        case 'complete': return completeFrom(prefixAtCursor(), action);
        case 'next-word': return nextWords(prefixAtCursor(), action);
        case 'word': return pickWord(action.dataset.word, action);
        case 'save': return save(editBox().value, action);
        case 'forget': return forgetYours(action);
      }
    }
    var detailWord = t.closest && t.closest('#reader .details p.en .w');
    if (detailWord) return wordClicked(detailWord);
    if (t.closest && t.closest('#translate')) return translateClicked();
    var s = sentenceOf(t);
    if (!s) return;
    var i = +s.dataset.idx, again = R.current === i;
    if (t.closest('.w')) showWords(t.closest('.w'));
    select(i, s);
    // A second click opens the details; once open, they follow the sentence clicked.
    if (again || R.detailsFor >= 0) openDetails(i, false);
  }

  function onOver(event) {
    var s = sentenceOf(event.target);
    if (!s || !R.pane) return;
    var i = +s.dataset.idx;
    if (!s.classList.contains('hl')) {
      R.pane.querySelectorAll('.s.hl').forEach(function (el) { if (+el.dataset.idx !== i) el.classList.remove('hl'); });
      ['ar', 'en'].forEach(function (side) { var el = R.els[side][i]; if (el) el.classList.add('hl'); });
    }
    var w = event.target.closest('.w');
    if (w) showWords(w);
  }

  function onOut(event) {
    // On a touch screen the words lit by a tap stay lit until the next tap: the mouse
    // events a browser makes up after a tap (or a layout change) are not a reader's.
    if (R.pointer === 'touch') return;
    var w = event.target.closest && event.target.closest('#reader .w');
    if (w && !(event.relatedTarget && w.contains(event.relatedTarget))) clearWords();
  }

  function onPointerDown(event) {
    R.pointer = event.pointerType;
    if (!R.pane || !R.pane.contains(event.target)) return;
    // A selection that starts in one language stays in it (no Arabic in copied English).
    var side = event.target.closest('.ar') ? 'ar' : event.target.closest('.en') ? 'en' : null;
    R.pane.classList.toggle('select-en', side === 'en');
    R.pane.classList.toggle('select-ar', side === 'ar');
  }

  var hooked = false;
  function hookDocument() {
    if (hooked) return;
    hooked = true;
    document.addEventListener('click', onClick);
    document.addEventListener('keydown', onKey);
    document.addEventListener('mouseover', onOver);
    document.addEventListener('mouseout', onOut);
    document.addEventListener('pointerdown', onPointerDown);
    document.addEventListener('change', checkUpload, true);
    document.addEventListener('focusin', function (event) {
      if (event.target.id === 'details-edit') event.target.dataset.touched = '1';
    });
    // Typing, from the first keystroke (the box may appear after this script).
    document.addEventListener('input', function (event) {
      if (event.target.matches && event.target.matches('#source textarea')) { textarea(); textChanged(); }
    }, true);
    window.addEventListener('resize', function () { renderIfViewChanged(); fit(); });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(function () { equalize(); });
  }

  var lastEffective = null;
  function renderIfViewChanged() {
    var view = effectiveView();
    if (view !== lastEffective) { lastEffective = view; if (R.data) { var i = R.current; renderAll(); mark(i, false); } }
  }

  function mount(element, props, watch) {
    R.root = element;
    R.props = props;
    R.limit = (props.settings && props.settings.maxChars) || R.limit;
    R.maxUpload = (props.settings && props.settings.maxUpload) || 0;
    R.uploadKinds = (props.settings && props.settings.uploadKinds) || 'text or document';
    R.altCount = (props.settings && props.settings.alternatives) || 5;
    var settings = load(SETTINGS_KEY, {});
    if (VIEWS.indexOf(settings.view) >= 0) R.view = settings.view;
    if (SCALES.indexOf(settings.scale) >= 0) R.scale = settings.scale;
    if (typeof settings.memory === 'boolean') R.useMemory = settings.memory;
    switchMounted();
    var mountPoint = element.querySelector('.reader-root') || element;
    mountPoint.innerHTML =
      '<div class="pane" role="region" aria-label="Translation" tabindex="-1"></div>' +
      '<section class="legend" id="reader-legend" hidden aria-labelledby="legend-title"><div class="details-head">' +
      '<h2 id="legend-title">What the marks mean</h2><button type="button" class="rbtn" data-action="close-legend">Close</button></div><ul>' +
      '<li><span class="sample hl">Highlighted</span>: the sentence you are on and its counterpart.</li>' +
      '<li><span class="sample low">Dotted underline</span>: a doubtful translation (low confidence, a repetition, ' +
      'an odd length or a missing number). Open its details to see why.</li>' +
      '<li><span class="sample"><span class="w wl">Word</span></span>: <span class="on-hover">hovering over</span>' +
      '<span class="on-touch">tapping</span> a word lights up the words it was translated from.</li>' +
      '<li><span class="sample pending">…</span>: still being translated.</li>' +
      '<li><span class="sample yours">Solid underline ✎</span>: your own translation, from your translation memory ' +
      '(saved from a sentence\'s details: an alternative, a completion or your own words).</li>' +
      '<li><span class="on-hover">Click a sentence twice</span><span class="on-touch">Tap a sentence twice</span>, or press ' +
      'Enter on it, for its details. ↑ ↓ (or j k) move between sentences; Esc closes the details.</li></ul></section>' +
      '<div class="details" role="dialog" hidden aria-labelledby="details-title"></div>';
    R.pane = mountPoint.querySelector('.pane');
    hookDocument();
    lastEffective = effectiveView();
    renderAll();
    renderRecent();
    textarea();
    summary();
    update(props.value);
    fit();
    watch('value', function () { update(props.value); });
    // The text box appears with the rest of the page; catch it once it is there.
    var tries = 0, timer = setInterval(function () { if (textarea() || ++tries > 50) clearInterval(timer); }, 100);
  }

  // The small components around the view call these from their js_on_load, once their
  // markup is in the page (this script may load after them: they wait for it).
  function recentMounted() { renderRecent(); }
  function counterMounted() { textarea(); textChanged(); }

  window.translateReader = {
    recentMounted: recentMounted, counterMounted: counterMounted, fetched: fetched, switchMounted: switchMounted,
    useMemory: useMemory,
    mount: mount, stopped: stopped, englishText: englishText, words: wordList,
    // True once the view, the text box and the Recent list are wired up (tests wait for it).
    ready: function () { return !!(R.pane && R.textarea && R.recentShown && $('#char-count .char-count')); },
    state: function () { return { view: R.view, effective: effectiveView(), scale: R.scale, current: R.current, run: R.run }; }
  };
})();
