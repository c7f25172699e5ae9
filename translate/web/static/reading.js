// The reading surface: the text in one of four views, the sentence you are on and
// its counterpart lit, the words a word was translated from, the keyboard, and the
// details of a sentence. Hover, click and keys never scroll the page: only the
// reading columns move, and only when a sentence must be brought into view.

import { Columns, linkedWords, parseLinks, reveal, scrollNeeded } from './alignment.js';
import { Details } from './details.js';
import { count, englishText, sentenceHtml, viewHtml } from './render.js';

export const VIEWS = ['side', 'interleaved', 'en', 'ar'];
export const SCALES = [0.8, 0.9, 1, 1.1, 1.25, 1.4, 1.6];

function legendHtml() {
  return '<div class="details-head"><h2 id="legend-title">What the marks mean</h2>' +
    '<button type="button" class="rbtn" data-action="close-legend">Close</button></div><ul>' +
    '<li><span class="sample hl">Highlighted</span>: the sentence you are on and its counterpart.</li>' +
    '<li><span class="sample low">Dotted underline</span>: a translation to check (the model was unsure, or it ' +
    'repeats itself, has an odd length or misses a number). Its details say why.</li>' +
    '<li><span class="sample"><span class="w wl">Word</span></span>: <span class="on-hover">hovering over</span>' +
    '<span class="on-touch">tapping</span> a word lights up the words it was translated from.</li>' +
    '<li><span class="sample pending">…</span>: still being translated.</li>' +
    '<li><span class="sample yours">Solid underline ✎</span>: your own translation, from your translation memory ' +
    '(saved from a sentence\'s details: an alternative, a completion or your own words).</li>' +
    '<li><span class="on-hover">Click a sentence</span><span class="on-touch">Tap a sentence</span>, or press Enter on it, ' +
    'for its details. ↑ ↓ (or j k) move between sentences; Esc closes the details.</li></ul>';
}

export class Reading {
  constructor(root, settings, words, choices) {
    this.settings = settings; this.words = words; this.choices = choices;
    this.data = null; this.run = null; this.stoppedRun = null;
    this.els = { ar: [], en: [] }; this.links = []; this.filled = [];
    this.current = -1; this.wordHl = []; this.pointer = null;
    this.narrowQuery = window.matchMedia(settings.narrow);
    root.innerHTML = '<div class="surface"><div class="pane" role="region" aria-label="Translation" tabindex="-1"></div>' +
      '<section class="details" dir="ltr" lang="en" hidden aria-labelledby="details-title"></section></div>' +
      '<section class="legend" id="reader-legend" hidden aria-labelledby="legend-title">' + legendHtml() + '</section>';
    this.root = root;
    this.surface = root.querySelector('.surface');
    this.pane = root.querySelector('.pane');
    this.legend = root.querySelector('.legend');
    this.columns = new Columns(this.pane);
    this.details = new Details(this, root.querySelector('.details'), settings);
    this.shownView = this.effectiveView();
  }

  narrow() { return this.narrowQuery.matches; }

  // On a narrow screen side by side is the same as interleaved: only the views that differ are offered.
  effectiveView() { return this.choices.view === 'side' && this.narrow() ? 'interleaved' : this.choices.view; }

  primarySide() { return this.effectiveView() === 'ar' ? 'ar' : 'en'; }

  result(i) { const pair = this.data && this.data.pairs[i]; return pair ? pair[2] : null; }

  // -- rendering ---------------------------------------------------------------------

  render() {
    const view = this.effectiveView();
    this.shownView = view;
    this.pane.dataset.layout = view;
    this.pane.style.setProperty('--reader-scale', this.choices.scale);
    if (!this.data || !this.data.pairs.length) {
      this.pane.innerHTML = '<div class="intro"><p>The translation appears here, the Arabic and the English side ' +
        'by side, sentence by sentence. <span class="on-hover">Hover over</span><span class="on-touch">Tap</span> ' +
        'a sentence to see its counterpart, or a word to see the words it was translated from.</p></div>';
      this.els = { ar: [], en: [] };
      return;
    }
    this.pane.innerHTML = viewHtml(this.data, view, this.words);
    this.els = { ar: [], en: [] };
    this.pane.querySelectorAll('.s[data-idx]').forEach((el) => {
      this.els[el.closest('.ar') ? 'ar' : 'en'][+el.dataset.idx] = el;
    });
    this.filled = this.data.pairs.map((pair) => !!pair[2]);
    this.links = this.data.pairs.map((pair) => parseLinks(pair[2]));
    this.columns.hook();
    if (this.current >= this.data.pairs.length) this.current = -1;
    this.mark(this.current, false);
    if (this.details.open) this.details.place(); else this.equalize();
  }

  equalize(only) { if (this.effectiveView() === 'side') this.columns.equalize(only); }

  // One sentence's English arrived (or changed): only it is drawn again.
  fill(i) {
    const old = this.els.en[i];
    this.links[i] = parseLinks(this.result(i));
    this.filled[i] = true;
    if (!old) return;
    const holder = document.createElement('span');
    holder.innerHTML = sentenceHtml(this.data, 'en', i, this.words);
    const el = holder.firstChild;
    if (old.classList.contains('hl')) el.classList.add('hl');
    el.tabIndex = old.tabIndex;
    const focused = document.activeElement === old;
    old.replaceWith(el);
    this.els.en[i] = el;
    if (focused) el.focus({ preventScroll: true });
  }

  // New view data from the server: a new run draws everything, a later step of the
  // same run only the sentences it finished.
  update(data) {
    const fresh = data.run !== this.run;
    this.data = data;
    if (fresh) {
      this.run = data.run;
      this.current = -1;
      this.details.close(false);
      this.render();
    } else {
      const changed = new Set();
      data.pairs.forEach((pair, i) => { if (pair[2] && !this.filled[i]) { this.fill(i); changed.add(pair[0]); } });
      if (changed.size) this.equalize(changed);
      if (this.details.open && changed.size) this.details.show(this.details.index, false);
    }
    if (data.state === 'working') this.pane.setAttribute('aria-busy', 'true'); else this.pane.removeAttribute('aria-busy');
    return fresh;
  }

  // Every sentence with this Arabic gets the new result, in place (a saved correction).
  setResult(source, res) {
    const changed = new Set();
    this.data.pairs.forEach((pair, i) => {
      if (pair[1] !== source || !pair[2]) return;
      pair[2] = res;
      this.fill(i);
      changed.add(pair[0]);
    });
    this.equalize(changed);
  }

  setView(view) {
    const i = this.current;
    this.choices.view = view;
    this.choices.save();
    this.render();
    if (i >= 0) this.mark(i, false);
  }

  setScale(step) {
    this.pane.style.setProperty('--reader-scale', this.choices.step(step));
    this.equalize();
    if (this.details.open) this.keepInView(this.details.index);
  }

  // A resize may change the view (side by side is interleaved on a narrow screen) or
  // where the details stand.
  resized() {
    if (this.effectiveView() !== this.shownView && this.data) { const i = this.current; this.render(); this.mark(i, false); }
    else if (this.details.open) this.details.place();
    else this.equalize();
  }

  // -- the sentence you are on -----------------------------------------------------------

  mark(i, focus, side) {
    this.pane.querySelectorAll('.s.hl').forEach((el) => el.classList.remove('hl'));
    this.pane.querySelectorAll('.s[tabindex="0"]').forEach((el) => { el.tabIndex = -1; });
    if (i < 0 || !this.data || i >= this.data.pairs.length) {
      const first = this.els.en[0] || this.els.ar[0];
      if (first) first.tabIndex = 0;
      if (this.els.ar[0]) this.els.ar[0].tabIndex = 0;
      return;
    }
    ['ar', 'en'].forEach((s) => { const el = this.els[s][i]; if (el) { el.classList.add('hl'); el.tabIndex = 0; } });
    if (focus) {
      const target = this.els[side || this.primarySide()][i] || this.els.en[i] || this.els.ar[i];
      target.focus({ preventScroll: true });
      reveal(target);
      this.alignPartner(i, target);
    }
  }

  alignPartner(i, from) {
    if (this.effectiveView() !== 'side' || !from) return;
    const other = from.closest('.ar') ? 'en' : 'ar';
    this.columns.alignPartner(from, this.els[other][i], other);
  }

  select(i, el) {
    this.current = i;
    this.mark(i, false);
    if (el) { el.focus({ preventScroll: true }); this.alignPartner(i, el); }
  }

  // The sentence whose details are open, back in view after the layout moved: in its
  // own column, with room for the details under it on a narrow screen.
  keepInView(i) {
    const el = this.els[this.primarySide()][i] || this.els.ar[i];
    if (!el) return;
    const col = el.closest('.col');
    if (!col) return;
    const box = col.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (this.narrow()) {  // the sentence near the top, its details under it
      const block = el.closest('.pair') || el.closest('.para') || el;
      const top = block.getBoundingClientRect().top;
      if (top < box.top + 8 || this.details.panel.getBoundingClientRect().top > box.top + box.height * 0.6) {
        col.scrollTop += top - box.top - 8;
      }
      return;
    }
    // Its first line in view is enough: a click on a sentence never moves what was read.
    if (r.top < box.top || r.top > box.bottom - 48) col.scrollTop += scrollNeeded(box, r, 24);
    const other = el.closest('.ar') ? 'en' : 'ar';
    if (this.effectiveView() === 'side') this.columns.alignPartner(el, this.els[other][i], other);
  }

  openDetails(i, focus) {
    if (!this.data || i < 0) return;
    if (this.current !== i) { this.current = i; this.mark(i, false); }
    this.details.show(i, focus);
  }

  // -- words -------------------------------------------------------------------------------

  clearWords() {
    this.wordHl.forEach((el) => el.classList.remove('wl', 'wh'));
    this.wordHl = [];
  }

  showWords(wordEl) {
    this.clearWords();
    const s = wordEl.closest('.s[data-idx]');
    if (!s) return;
    const i = +s.dataset.idx, side = s.closest('.ar') ? 'ar' : 'en', partner = this.els[side === 'ar' ? 'en' : 'ar'][i];
    wordEl.classList.add('wh');
    this.wordHl.push(wordEl);
    if (!partner) return;
    linkedWords(this.links[i] || [], side, +wordEl.dataset.w).forEach((k) => {
      const w = partner.querySelector('.w[data-w="' + k + '"]');
      if (w) { w.classList.add('wl'); this.wordHl.push(w); }
    });
  }

  // -- events (the page hands them over) ---------------------------------------------------

  sentenceOf(target) { return target && target.closest ? target.closest('.pane .s[data-idx]') : null; }

  onKey(event) {
    const s = this.sentenceOf(event.target);
    if (event.key === 'Escape') {
      if (this.details.open) this.details.close(true);
      else if (!this.legend.hidden) this.toggleLegend(false, true);
      else return false;
      return true;
    }
    if (!s || event.altKey || event.ctrlKey || event.metaKey) return false;
    const i = +s.dataset.idx, n = this.data ? this.data.pairs.length : 0;
    let next = null;
    if (event.key === 'ArrowDown' || event.key === 'j') next = Math.min(n - 1, i + 1);
    else if (event.key === 'ArrowUp' || event.key === 'k') next = Math.max(0, i - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = n - 1;
    else if (event.key === 'Enter' || event.key === ' ') { this.openDetails(i); return true; }
    if (next === null) return false;
    this.current = next;
    this.mark(next, true, s.closest('.ar') ? 'ar' : 'en');
    if (this.details.open) this.details.show(next, false);
    return true;
  }

  // A click on a sentence lights it and its counterpart and opens its details.
  onClick(t) {
    const detailWord = t.closest('.details p.en .w');
    if (detailWord) { this.details.wordClicked(detailWord); return true; }
    const s = this.sentenceOf(t);
    if (!s) return false;
    const i = +s.dataset.idx;
    if (t.closest('.w')) this.showWords(t.closest('.w'));
    this.select(i, s);
    if (this.details.index !== i) this.openDetails(i, false);
    return true;
  }

  onOver(target) {
    const s = this.sentenceOf(target);
    if (!s) return;
    const i = +s.dataset.idx;
    if (!s.classList.contains('hl')) {
      this.pane.querySelectorAll('.s.hl').forEach((el) => { if (+el.dataset.idx !== i) el.classList.remove('hl'); });
      ['ar', 'en'].forEach((side) => { const el = this.els[side][i]; if (el) el.classList.add('hl'); });
    }
    const w = target.closest('.w');
    if (w) this.showWords(w);
  }

  onOut(event) {
    // On a touch screen the words lit by a tap stay lit until the next tap: the mouse
    // events a browser makes up after a tap (or a layout change) are not a reader's.
    if (this.pointer === 'touch') return;
    const w = event.target.closest && event.target.closest('.pane .w');
    if (w && !(event.relatedTarget && w.contains(event.relatedTarget))) this.clearWords();
  }

  onPointerDown(event) {
    this.pointer = event.pointerType;
    if (!this.pane.contains(event.target)) return;
    // A selection that starts in one language stays in it (no Arabic in copied English).
    const side = event.target.closest('.ar') ? 'ar' : event.target.closest('.en') ? 'en' : null;
    this.pane.classList.toggle('select-en', side === 'en');
    this.pane.classList.toggle('select-ar', side === 'ar');
  }

  toggleLegend(open, returnFocus, button) {
    this.legend.hidden = !open;
    if (button) button.setAttribute('aria-expanded', String(open));
    if (!open && returnFocus && button) button.focus({ preventScroll: true });
  }

  english() { return englishText(this.data); }

  doneCount() { return this.filled.filter(Boolean).length; }

  summary() { return this.data ? count(this.data.pairs.length, 'sentence') : ''; }

  names() { return (this.data && this.data.names) || { ar: '', en: null }; }
}
