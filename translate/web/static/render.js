// The reading view as HTML, from the view data the server streams
// (translate.web.view.view_data). Pure functions: data in, strings out; every text
// of a document is escaped here, in one place.

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function esc(text) {
  return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

// Words as Python's str.split() cuts them (the word links count words this way):
// `space` is the server's class of whitespace characters (translate.alignment.SPACE).
export function wordTools(space) {
  const pattern = () => new RegExp('[^' + space + ']+', 'g');
  const visible = new RegExp('[^' + space + '\\p{Cf}]', 'u');  // inputs.has_visible_text
  return {
    list: (text) => String(text).match(pattern()) || [],
    // Each word in a <span class="w" data-w="k">, the text between them kept; with
    // `spans` (the server's [start, end, kind, target?]), its formatting around them.
    html(text, spans) {
      let out = '', last = 0, k = 0, m;
      const word = pattern();
      text = String(text);
      if (spans && spans.length) {
        const all = spans.map(([start, end, kind, target]) => ({ start, end, kind, target }));
        while ((m = word.exec(text)) !== null) all.push({ start: m.index, end: m.index + m[0].length, kind: 'word', k: k++ });
        return nestedHtml(text, all);
      }
      while ((m = word.exec(text)) !== null) {
        out += esc(text.slice(last, m.index)) + '<span class="w" data-w="' + k++ + '">' + esc(m[0]) + '</span>';
        last = m.index + m[0].length;
      }
      return out + esc(text.slice(last));
    },
    // The character offset at which word k starts (the text's length past the last one).
    offset(text, k) {
      const word = pattern();
      let m, n = 0;
      while ((m = word.exec(text)) !== null) { if (n++ === k) return m.index; }
      return text.length;
    },
    visible: (text) => visible.test(text),
  };
}

// Formatting inside a sentence (translate.text.spans), outermost first when spans nest.
const TAGS = { bold: 'b', italic: 'i', underline: 'u', superscript: 'sup', subscript: 'sub', link: 'a' };
const RANK = { link: 0, bold: 2, italic: 3, underline: 4, superscript: 5, subscript: 6, word: 9 };
const SAFE_SCHEMES = ['http', 'https', 'mailto', 'tel', 'ftp'];

// A link's address when a link may point there (the server drops the others already:
// translate.text.spans.safe_target), else null.
export function safeHref(target) {
  const href = String(target == null ? '' : target).trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(href.replace(/[\u0000-\u0020\u007f]/g, ''));
  return !href || (scheme && !SAFE_SCHEMES.includes(scheme[1].toLowerCase())) ? null : href;
}

function openTag(span) {
  if (span.kind === 'word') return '<span class="w" data-w="' + span.k + '">';
  if (span.kind !== 'link') return TAGS[span.kind] ? '<' + TAGS[span.kind] + '>' : '';
  const href = safeHref(span.target);
  return href === null ? '<a>' : '<a href="' + esc(href) + '" rel="noopener noreferrer" target="_blank">';
}

function closeTag(span) {
  if (span.kind === 'word') return '</span>';
  return TAGS[span.kind] ? '</' + TAGS[span.kind] + '>' : '';
}

// Text and possibly overlapping spans as properly nested, escaped HTML: a span that
// overlaps another without holding it is closed and opened again around it.
export function nestedHtml(text, spans) {
  text = String(text);
  spans = spans.filter((s) => s.start >= 0 && s.start < s.end && s.end <= text.length);
  const cuts = [...new Set([0, text.length, ...spans.flatMap((s) => [s.start, s.end])])].sort((a, b) => a - b);
  const order = (a, b) => a.start - b.start || b.end - a.end || RANK[a.kind] - RANK[b.kind];
  let out = '', stack = [];
  for (let n = 0; n + 1 < cuts.length; n++) {
    const from = cuts[n], to = cuts[n + 1];
    const active = spans.filter((s) => s.start <= from && s.end >= to).sort(order);
    let keep = 0;
    while (keep < stack.length && keep < active.length && stack[keep] === active[keep]) keep++;
    for (let j = stack.length - 1; j >= keep; j--) out += closeTag(stack[j]);
    for (let j = keep; j < active.length; j++) out += openTag(active[j]);
    stack = active;
    out += esc(text.slice(from, to));
  }
  for (let j = stack.length - 1; j >= 0; j--) out += closeTag(stack[j]);
  return out;
}

// The links the word links could not place, after their sentence.
export function keptLinks(targets) {
  return (targets || []).map((target) => {
    const href = safeHref(target);
    return href === null ? '' : ' <a class="kept-link" href="' + esc(href) + '" rel="noopener noreferrer" ' +
      'target="_blank" title="A link of the Arabic sentence: the word links do not say which words it is on">[source]</a>';
  }).join('');
}

// A wording from the server with its {placeholders} filled in.
export function fill(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => (key in values ? values[key] : '{' + key + '}'));
}

export function count(n, word) {
  return n.toLocaleString('en-US') + ' ' + word + (n === 1 ? '' : 's');
}

// A translation to check: a doubt was found, or the model's score is below the mark.
export function isLow(res, low) {
  return !!res && ((res.f && res.f.length > 0) || (typeof res.s === 'number' && res.s < low));
}

// The sentence indices of each paragraph, in order.
export function byParagraph(data) {
  const groups = data.paragraphs.map(() => []);
  data.pairs.forEach((pair, i) => { if (groups[pair[0]]) groups[pair[0]].push(i); });
  return groups;
}

// One sentence in one language: Arabic always; English once translated ("…" until then).
export function sentenceHtml(data, side, i, words) {
  const pair = data.pairs[i], res = pair[2];
  if (side === 'ar') {
    return '<span class="s" data-idx="' + i + '" tabindex="-1">' + words.html(pair[1], data.spans && data.spans[i]) +
      '</span>';
  }
  if (!res) return '<span class="s pending" data-idx="' + i + '" tabindex="-1" aria-label="not translated yet">…</span>';
  const yours = res.o === 'yours';
  const cls = 's' + (isLow(res, data.low) ? ' low' : '') + (res.c ? ' cached' : '') + (yours ? ' yours' : '');
  return '<span class="' + cls + '" data-idx="' + i + '" tabindex="-1"' + (yours ? ' title="Your translation"' : '') +
    '>' + words.html(res.t, res.k) + keptLinks(res.l) + '</span>';
}

function column(data, side, groups, words) {
  const dir = side === 'ar' ? ' dir="rtl" lang="ar"' : ' dir="ltr" lang="en"';
  return '<div class="col ' + side + '"' + dir + '>' + groups.map((idx, k) => {
    const tag = data.paragraphs[k][0] === 'h' ? 'h2' : 'p';
    return '<' + tag + ' class="para' + (tag === 'h2' ? ' heading' : '') + '" data-p="' + k + '">' +
      idx.map((i) => sentenceHtml(data, side, i, words)).join(' ') + '</' + tag + '>';
  }).join('') + '</div>';
}

function interleaved(data, groups, words) {
  return '<div class="col mix">' + groups.map((idx, k) => {
    const heading = data.paragraphs[k][0] === 'h';
    return '<div class="para' + (heading ? ' heading' : '') + '" data-p="' + k + '">' + idx.map((i) =>
      '<div class="pair" data-idx="' + i + '"><p class="ar" dir="rtl" lang="ar">' + sentenceHtml(data, 'ar', i, words) +
      '</p><p class="en" dir="ltr" lang="en">' + sentenceHtml(data, 'en', i, words) + '</p></div>').join('') + '</div>';
  }).join('') + '</div>';
}

// The whole view: 'side' (two columns), 'interleaved' (each Arabic sentence with its
// English under it), 'en' or 'ar' (one language).
export function viewHtml(data, view, words) {
  const groups = byParagraph(data);
  if (view === 'side') return '<div class="cols side">' + column(data, 'ar', groups, words) + column(data, 'en', groups, words) + '</div>';
  if (view === 'interleaved') return '<div class="cols single">' + interleaved(data, groups, words) + '</div>';
  return '<div class="cols single">' + column(data, view, groups, words) + '</div>';
}

// The English laid out like the input: paragraphs and the text between them kept.
export function englishText(data) {
  if (!data) return '';
  const groups = byParagraph(data);
  let out = '';
  data.paragraphs.forEach((p, k) => {
    out += p[1] + groups[k].map((i) => (data.pairs[i][2] ? data.pairs[i][2].t : '')).join(' ');
  });
  return (out + data.tail).replace(/^\s+|\s+$/g, '') + '\n';
}
