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
    // Each word in a <span class="w" data-w="k">, the text between them kept.
    html(text) {
      let out = '', last = 0, k = 0, m;
      const word = pattern();
      text = String(text);
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
  if (side === 'ar') return '<span class="s" data-idx="' + i + '" tabindex="-1">' + words.html(pair[1]) + '</span>';
  if (!res) return '<span class="s pending" data-idx="' + i + '" tabindex="-1" aria-label="not translated yet">…</span>';
  const yours = res.o === 'yours';
  const cls = 's' + (isLow(res, data.low) ? ' low' : '') + (res.c ? ' cached' : '') + (yours ? ' yours' : '');
  return '<span class="' + cls + '" data-idx="' + i + '" tabindex="-1"' + (yours ? ' title="Your translation"' : '') +
    '>' + words.html(res.t) + '</span>';
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
