// Sentence to sentence and word to word: the word links of a sentence, and the two
// columns of the side-by-side view, kept level with each other. Only the reading
// columns ever scroll, and only when a sentence must be brought into view.

// "0-0 1-2" (source word - English word) as [[0, 0], [1, 2]].
export function parseLinks(res) {
  if (!res || !res.a) return [];
  return res.a.split(' ').map((pair) => pair.split('-').map(Number));
}

// The words of the other language linked to word k of `side` ('ar' or 'en').
export function linkedWords(links, side, k) {
  const mine = side === 'ar' ? 0 : 1, theirs = 1 - mine;
  return links.filter((link) => link[mine] === k).map((link) => link[theirs]);
}

// How far to scroll a column (box: its rectangle) so that a rectangle r is in view
// with `margin` to spare; 0 when it already is.
export function scrollNeeded(box, r, margin) {
  if (r.top < box.top + margin) return r.top - box.top - margin;
  if (r.bottom > box.bottom - margin) return Math.min(r.bottom - box.bottom + margin, r.top - box.top - margin);
  return 0;
}

// The two columns of the side-by-side view: paragraphs of equal height, scrolled
// together; a sentence brought into view moves only the other column.
export class Columns {
  constructor(pane) {
    this.pane = pane;
    this.offset = 0;  // en.scrollTop - ar.scrollTop, left by bringing a partner into view
    this.expect = { ar: null, en: null };  // scrolls we make, which the other column must not follow
    this.lastTop = { ar: 0, en: 0 };
  }

  get cols() {
    return { ar: this.pane.querySelector('.cols.side .col.ar'), en: this.pane.querySelector('.cols.side .col.en') };
  }

  // Each paragraph as tall as its translation (fractional: rounding would drift down the columns).
  equalize(only) {
    const cols = this.cols;
    if (!cols.ar) return;
    const ar = cols.ar.querySelectorAll('.para'), en = cols.en.querySelectorAll('.para'), todo = [];
    for (let k = 0; k < ar.length; k++) if (!only || only.has(k)) todo.push(k);
    todo.forEach((k) => { ar[k].style.minHeight = ''; en[k].style.minHeight = ''; });
    const heights = todo.map((k) => Math.max(ar[k].getBoundingClientRect().height, en[k].getBoundingClientRect().height));
    todo.forEach((k, n) => { ar[k].style.minHeight = en[k].style.minHeight = heights[n] + 'px'; });
  }

  scroll(side, top) {
    const col = this.cols[side];
    top = Math.max(0, Math.min(top, col.scrollHeight - col.clientHeight));
    if (Math.abs(col.scrollTop - top) < 1) return;
    this.expect[side] = Math.round(top);
    col.scrollTop = top;
  }

  // After each render: a column the reader scrolls takes the other with it, and an
  // offset left by bringing a sentence into view fades as they read on.
  hook() {
    const cols = this.cols;
    this.offset = 0;
    if (!cols.ar) return;
    ['ar', 'en'].forEach((side) => {
      const col = cols[side], other = side === 'ar' ? 'en' : 'ar';
      this.lastTop[side] = col.scrollTop;
      col.addEventListener('scroll', () => {
        const top = col.scrollTop, moved = top - this.lastTop[side];
        this.lastTop[side] = top;
        if (this.expect[side] !== null && Math.abs(top - this.expect[side]) <= 1) { this.expect[side] = null; return; }
        if (this.offset) this.offset = Math.sign(this.offset) * Math.max(0, Math.abs(this.offset) - Math.abs(moved));
        const target = top + (side === 'ar' ? this.offset : -this.offset);
        this.lastTop[other] = target;
        this.scroll(other, target);
      }, { passive: true });
    });
  }

  // Brings the partner of `from` into view, level with it, moving its own column only.
  alignPartner(from, partner, otherSide) {
    const col = this.cols[otherSide];
    if (!col || !from || !partner) return;
    const box = col.getBoundingClientRect(), p = partner.getBoundingClientRect();
    if (p.top >= box.top && p.bottom <= box.bottom) return;
    const before = col.scrollTop;
    this.scroll(otherSide, before + p.top - from.getBoundingClientRect().top);
    const moved = col.scrollTop - before;
    this.lastTop[otherSide] = col.scrollTop;
    this.offset += otherSide === 'en' ? moved : -moved;
  }
}

// Scrolls the column holding `el` (never the page) so that `el` is in view; in the
// side-by-side view the other column follows, as when the reader scrolls.
export function reveal(el, margin = 24) {
  const col = el && el.closest('.col');
  if (!col) return;
  const delta = scrollNeeded(col.getBoundingClientRect(), el.getBoundingClientRect(), margin);
  if (delta) col.scrollTop += delta;
}
