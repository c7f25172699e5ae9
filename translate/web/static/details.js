// A sentence's details: what to make of it (confidence in words, each doubt, where it
// came from), and the tools to correct it (the model's alternatives, a completion
// from the reader's beginning, choices for the next word, saving it as theirs).
// On a wide screen the panel stands beside the text; on a narrow one it opens under
// the sentence, in the column: it never covers the sentence it explains.

import { call } from './api.js';
import { count, esc, fill } from './render.js';

function signed(score) { return typeof score === 'number' ? score.toFixed(2).replace('-', '−') : 'none'; }

// What a score means, in words ({level, text}), and the number behind it (why).
export function confidence(score, { low, high, words }) {
  if (typeof score !== 'number') return { level: 'none', text: words.none, why: null };
  const level = score >= high ? 'high' : score >= low ? 'fair' : 'low';
  return { level, text: words[level], why: fill(words.why, { score: signed(score), low: signed(low), high: signed(high) }) };
}

// The facts of one translated sentence, as <li> items.
export function facts(res, { low, high, texts, hasMemory }) {
  const items = [];
  if (!res) return ['<li>Not translated yet.</li>'];
  if (res.o === 'yours') {
    items.push('<li class="yours-fact"><span class="yours-mark" aria-hidden="true">✎</span> <strong>Yours</strong>: your own ' +
      'translation, from your translation memory. It is used wherever this sentence appears' +
      (hasMemory ? '; “Use the model\'s again” forgets it.' : '.') + '</li>');
  } else {
    const said = confidence(res.s, { low, high, words: texts.confidence });
    items.push('<li class="confidence ' + said.level + '">' + esc(said.text) + (said.why
      ? ' <details class="why"><summary>Why?</summary><p>' + esc(said.why) + '</p></details>' : '') + '</li>');
  }
  const flags = texts.flags;
  (res.f || []).forEach((flag) => {
    if (flag.startsWith('term:')) {
      items.push('<li class="doubt">' + esc(flags.term).replace('{term}', '<bdi lang="ar" dir="rtl">' +
        esc(flag.slice(5)) + '</bdi>') + '</li>');
    } else if (flag.startsWith('format:')) {
      items.push('<li class="doubt">' + esc(fill(flags.format, { kind: flag.slice(7) })) + '</li>');
    } else if (flag === 'numbers' && res.m && res.m.length) {
      res.m.forEach((n) => items.push('<li class="doubt">' + esc(fill(flags.number, { number: n })) + '</li>'));
    } else {
      items.push('<li class="doubt">' + esc(flags[flag] || flag) + '</li>');
    }
  });
  if (res.o !== 'yours') {
    items.push('<li>' + (res.c ? 'From the cache: translated earlier with the same model and settings.'
      : 'Translated just now.') + '</li>');
  }
  return items;
}

export function alternativesHtml(alts, res, hasMemory) {
  if (!alts.length) return '<p>The model has no other translation of this sentence.</p>';
  return '<ol class="alt-list">' + alts.map((alt, k) => {
    const shown = res && alt.text === res.t;
    return '<li><span class="alt-text" lang="en">' + esc(alt.text) + '</span> <span class="alt-score" title="The model\'s ' +
      'mean log-probability per word piece (0 is certain)">score ' + esc(signed(alt.score)) + '</span>' +
      (shown ? ' <span class="alt-shown">(shown now)</span>' : '') +
      (hasMemory && !shown ? ' <button type="button" class="rbtn" data-action="pick" data-k="' + k +
        '" aria-label="Use alternative ' + (k + 1) + '">Use this</button>' : '') + '</li>';
  }).join('') + '</ol>';
}

function correctionHtml(res, alts, hasMemory) {
  const save = hasMemory
    ? '<button type="button" class="rbtn primary" data-action="save">Save my translation</button>' +
      (res.o === 'yours' ? '<button type="button" class="rbtn" data-action="forget">Use the model\'s again</button>' : '')
    : '';
  return '<section class="correct" aria-labelledby="correct-title"><h3 id="correct-title">Correct it</h3>' +
    '<label for="details-edit" class="edit-label">Your English: fix the beginning and press Complete, and the model ' +
    'finishes the sentence from the cursor' + (hasMemory ? '; or edit it all and save it' : '') + '. ' +
    '<span class="wide-only"><span class="on-hover">Click</span><span class="on-touch">Tap</span> a word above for the ' +
    'model\'s choices there.</span></label>' +
    '<textarea id="details-edit" class="edit" rows="2" lang="en" dir="ltr" spellcheck="true">' + esc(res.t) + '</textarea>' +
    '<div class="edit-buttons"><button type="button" class="rbtn" data-action="complete">Complete from the cursor</button>' +
    '<button type="button" class="rbtn" data-action="next-word">Choices for the next word</button>' + save + '</div>' +
    '<div class="word-choices" role="group" aria-label="Choices for the next word" hidden></div>' +
    '<div class="edit-status" role="status" aria-live="polite"></div>' +
    (hasMemory ? '' : '<p class="no-memory">This reader keeps no translation memory, so corrections cannot be saved.</p>') +
    '</section><section class="alternatives" aria-labelledby="alternatives-title">' +
    '<h3 id="alternatives-title">The model\'s alternatives</h3>' + (alts ? alternativesHtml(alts, res, hasMemory)
    : '<button type="button" class="rbtn" data-action="alternatives">Show the alternatives</button>') + '</section>';
}

// The panel of sentence i of the view data.
export function detailsHtml(data, i, ctx) {
  const pair = data.pairs[i], res = pair[2], yours = !!res && res.o === 'yours';
  return '<div class="details-head"><h2 id="details-title" tabindex="-1">Sentence ' + (i + 1) + ' of ' + data.pairs.length +
    '</h2><button type="button" class="rbtn" data-action="copy-sentence">Copy English</button>' +
    '<button type="button" class="rbtn" data-action="close-details" aria-label="Close the details">Close</button></div>' +
    '<p class="ar" dir="rtl" lang="ar">' + esc(pair[1]) + '</p>' +
    '<p class="en" lang="en">' + (res ? ctx.words.html(res.t) : '…') +
    (yours ? ' <span class="yours-mark" role="img" aria-label="yours">✎</span>' : '') + '</p>' +
    '<ul class="facts">' + facts(res, ctx).join('') + '</ul>' +
    (res && ctx.correctable ? correctionHtml(res, ctx.alts, ctx.hasMemory) : '');
}

// The panel itself, for one reading view (`reader`: the view's state and elements).
export class Details {
  constructor(reader, panel, settings) {
    this.reader = reader; this.panel = panel; this.settings = settings;
    this.index = -1;
    this.alts = {};  // the model's alternatives, by Arabic sentence
    this.choicePrefix = '';
  }

  get open() { return this.index >= 0; }

  context(i) {
    const r = this.reader, s = this.settings, pair = r.data.pairs[i];
    return { low: r.data.low, high: s.high, texts: s.words, hasMemory: s.hasMemory, words: r.words,
      alts: this.alts[pair[1]],
      // Text without an Arabic word is passed through as it is (no score): nothing to correct.
      correctable: !!pair[2] && (typeof pair[2].s === 'number' || pair[2].o === 'yours') };
  }

  show(i, focus) {
    const r = this.reader;
    if (!r.data || i < 0 || i >= r.data.pairs.length) return;
    this.index = i;
    this.panel.innerHTML = detailsHtml(r.data, i, this.context(i));
    this.panel.hidden = false;
    this.place();
    if (focus !== false) this.panel.querySelector('#details-title').focus({ preventScroll: true });
  }

  // Beside the text (wide), or under the sentence in its column (narrow); then the
  // sentence is brought into view in its own column, never the page.
  place() {
    if (!this.open) return;
    const r = this.reader, narrow = r.narrow();
    r.surface.classList.toggle('with-details', !narrow);
    if (narrow) {
      const el = r.els[r.primarySide()][this.index] || r.els.ar[this.index] || r.els.en[this.index];
      const block = el && (el.closest('.pair') || el.closest('.para'));
      if (block && block.nextSibling !== this.panel) block.after(this.panel);
    } else if (this.panel.parentNode !== r.surface) {
      r.surface.appendChild(this.panel);
    }
    r.equalize();
    r.keepInView(this.index);
  }

  close(returnFocus) {
    if (!this.open) return;
    const i = this.index, r = this.reader;
    this.index = -1;
    this.panel.hidden = true;
    r.surface.classList.remove('with-details');
    r.surface.appendChild(this.panel);  // out of the column it may stand in
    r.equalize();
    if (returnFocus) {
      const el = r.els[r.primarySide()][i] || r.els.ar[i];
      if (el) el.focus({ preventScroll: true });
    }
  }

  // -- correcting: each answer is used only if the same sentence is still open --------

  editBox() { return this.panel.querySelector('#details-edit'); }

  say(message, alert) {
    const box = this.panel.querySelector('.edit-status');
    if (box) box.innerHTML = alert ? '<div class="reader-notice" role="alert">' + esc(message) + '</div>' : esc(message);
  }

  ask(button, name, args, busy, then) {
    const i = this.index, source = this.reader.data.pairs[i][1];
    if (button) { button.disabled = true; button.setAttribute('aria-busy', 'true'); }
    this.say(busy);
    return call(name, args, { root: this.settings.root }).then((answer) => {
      if (this.index === i && this.reader.data.pairs[i][1] === source) then(answer, i);
    }, (error) => {
      if (this.index === i) this.say(error.message, true);
    }).then(() => {
      if (button && button.isConnected) { button.disabled = false; button.removeAttribute('aria-busy'); }
    });
  }

  source() { return this.reader.data.pairs[this.index][1]; }

  result() { return this.reader.data.pairs[this.index][2]; }

  showAlternatives(button) {
    this.ask(button, 'alternatives', [this.source(), this.settings.alternatives], 'Asking the model for its alternatives…',
      (alts, i) => {
        this.alts[this.reader.data.pairs[i][1]] = alts;
        const section = this.panel.querySelector('.alternatives');
        section.innerHTML = '<h3 id="alternatives-title">The model\'s alternatives</h3>' +
          alternativesHtml(alts, this.result(), this.settings.hasMemory);
        this.say(count(alts.length, 'alternative') + ', best first.');
        const first = section.querySelector('[data-action=pick]');
        if (first) first.focus({ preventScroll: true });
      });
  }

  pick(k, button) {
    const alt = (this.alts[this.source()] || [])[k];
    if (alt) this.save(alt.text, button);
  }

  // The reader's beginning: the English up to the cursor once they have been in the
  // box (before that, all of it).
  prefixAtCursor() {
    const box = this.editBox();
    return box.dataset.touched ? box.value.slice(0, box.selectionEnd) : box.value;
  }

  complete(prefix, button, busy) {
    this.ask(button, 'complete', [this.source(), prefix], busy || 'The model is completing your beginning…', (done) => {
      const box = this.editBox();
      box.value = done.text;
      box.focus({ preventScroll: true });
      box.setSelectionRange(prefix.length, done.text.length);  // what the model wrote, selected
      this.hideChoices();
      this.say('Completed from your beginning' + (this.settings.hasMemory ? ': press “Save my translation” to keep it.' : '.'));
    });
  }

  nextWords(prefix, button) {
    this.choicePrefix = prefix;
    this.ask(button, 'word_alternatives', [this.source(), prefix, this.settings.alternatives],
      'Asking the model for the next word…', (found) => {
        const box = this.panel.querySelector('.word-choices');
        box.hidden = false;
        box.innerHTML = found.length ? found.map((w) => '<button type="button" class="rbtn chip" data-action="word" data-word="' +
          esc(w) + '" lang="en">' + esc(w) + '</button>').join('') : '<span>The model has no other word here.</span>';
        this.say(found.length ? 'Choices for the word after “' + (prefix.trim().split(/\s+/).slice(-3).join(' ') || 'the start') +
          '”: pick one and the model completes the sentence after it.' : '');
        const first = box.querySelector('button');
        if (first) first.focus({ preventScroll: true });
      });
  }

  hideChoices() {
    const box = this.panel.querySelector('.word-choices');
    if (box) { box.hidden = true; box.innerHTML = ''; }
  }

  pickWord(word, button) {
    const head = this.choicePrefix.replace(/\s+$/, '');
    this.complete((head ? head + ' ' : '') + word + ' ', button, 'The model is completing the sentence after “' + word + '”…');
  }

  // A word of the English in the panel: the choices for that position.
  wordClicked(w) {
    const res = this.result(), box = this.editBox();
    if (!res || !box) return;
    const offset = this.reader.words.offset(res.t, +w.dataset.w);
    box.value = res.t;
    box.setSelectionRange(offset, offset);
    box.dataset.touched = '1';
    this.nextWords(res.t.slice(0, offset), null);
  }

  save(text, button) {
    const res = this.result();
    if (!this.reader.words.visible(text)) {
      this.say('Your translation is empty: type the English, or pick one of the alternatives.', true);
      return;
    }
    this.ask(button, 'remember', [this.source(), text, res ? res.t : null], 'Saving your translation…', (saved, i) => {
      this.reader.setResult(saved.source, { t: saved.translation, o: saved.origin });
      this.show(i, true);
      this.say('Saved as yours: it is used wherever this sentence appears.');
    });
  }

  forget(button) {
    this.ask(button, 'forget', [this.source()], 'Asking the model for its translation…', (pair, i) => {
      const res = { t: pair.translation };
      if (typeof pair.score === 'number') res.s = pair.score;
      if (pair.cached) res.c = 1;
      if (pair.flags && pair.flags.length) res.f = pair.flags;
      if (pair.alignment && pair.alignment.length) res.a = pair.alignment.map((l) => l[0] + '-' + l[1]).join(' ');
      this.reader.setResult(pair.source, res);
      this.show(i, true);
      this.say('Your translation is forgotten: this is the model\'s.');
    });
  }
}
