// The page around the reading surface. Two screens: the start screen (the text box
// with Translate, the ways to open a document, Recent or the Library, your translations) and, once
// Translate is pressed, the reading screen (one slim bar over the text, which gets
// the window). Every message appears beside the control that caused it, and is
// brought into view.
//
// Gradio draws the text box, the buttons and the uploads; the few places this
// module reaches into Gradio's markup are in gradio() below, found by the element ids
// the server sends (settings.ids).

import { libraryHtml } from './library.js';
import { Reading, SCALES, VIEWS } from './reading.js';
import { count, esc, fill, wordTools } from './render.js';
import { Choices, FileStore, RecentList, textId } from './store.js';

const KIND_WORDS = { text: 'Pasted text', sample: 'Sample article', url: 'Web article', file: 'Document' };

function gradio(ids) {
  const byId = (id) => document.getElementById(id);
  return {
    textarea: () => { const box = byId(ids.source); return box && box.querySelector('textarea'); },
    translate: () => byId(ids.translate),
    // An upload button's own file input: Gradio puts it just before the button.
    uploadInput: (id = ids.upload) => {
      const input = byId(id) && byId(id).previousElementSibling;
      return input && input.matches('input[type=file]') ? input : null;
    },
    buttonOf: (input) => (input.nextElementSibling && input.nextElementSibling.matches('button') ? input.nextElementSibling : null),
  };
}

// Scrolls the page (not a column) just enough for `el` to be in view; CSS
// scroll-margin keeps it clear of the bars fixed to the screen's edges.
export function bringIntoView(el) {
  if (!el || !el.getBoundingClientRect) return;
  const r = el.getBoundingClientRect();
  if (r.height && (r.top < 0 || r.bottom > window.innerHeight)) el.scrollIntoView({ block: 'nearest' });
}

export class ReaderPage {
  constructor() {
    this.parts = {};
    this.ready = new Promise((resolve) => { this.started = resolve; });
    this.sourceText = null;  // the text of the translation shown
    this.pending = null;  // a Recent entry being reopened: Translate once its text is in the box
    this.lastFile = null;  // the file last chosen with Upload
    this.loadedFile = null;  // {name, file}: the one the server read (kept for Recent once translated)
  }

  // -- mounting: each part of the page calls in once its markup is there -----------------

  async mount(part, element, props, trigger, watch) {
    if (part === 'reader') this.start(props.settings);
    const settings = await this.ready;  // the other parts wait for the reader's settings
    if (part !== 'note') this.parts[part] = { element, props, trigger };  // the notes only speak
    const mounts = {
      reader: () => this.mountReader(element, props, watch),
      bar: () => { this.renderBar(); this.measureBar(); },
      tools: () => this.renderBar(),
      status: () => {},
      notes: () => this.textChanged(),
      note: () => watch('value', () => this.noted(element)),
      recent: () => { this.renderRecent(); watch('value', () => this.recentAnswered()); },
      library: () => { this.renderLibrary(); watch('value', () => this.renderLibrary()); },
      memory: () => this.mountMemory(),
    };
    mounts[part]();
    return settings;
  }

  start(settings) {
    if (this.settings) return;
    // The page's API is called relative to the page (it may be served under a path).
    this.settings = { ...settings, root: new URL('.', document.baseURI).href };
    settings = this.settings;
    this.gradio = gradio(settings.ids);
    this.words = wordTools(settings.space);
    this.choices = new Choices(window.localStorage, settings.storage.choices, { views: VIEWS, scales: SCALES });
    this.recent = new RecentList(window.localStorage, settings.storage.recent, settings.storage.max);
    this.files = new FileStore(settings.storage.files);
    this.hookDocument();
    this.started(settings);
  }

  mountReader(element, props, watch) {
    this.reading = new Reading(element.querySelector('.reader-root') || element, this.settings, this.words, this.choices);
    this.reading.render();
    this.update(props.value);
    watch('value', () => this.update(props.value));
  }

  // True once the reading surface, the text box and the Recent list are wired up (tests wait for it);
  // With a library, once its first list is there too (it is drawn above the controls).
  isReady() {
    return !!(this.reading && this.gradio.textarea() && this.parts.recent && this.parts.notes &&
      (!this.settings.library || (this.parts.library && this.parts.library.props.value)));
  }

  // -- the two screens ----------------------------------------------------------------------

  setReading(on) {
    document.body.classList.toggle('reader-reading', on);
    this.closeMenus();
    if (on) window.scrollTo(0, 0);
    if (this.reading) requestAnimationFrame(() => this.reading.resized());
  }

  newDocument() {
    this.setReading(false);
    const area = this.gradio.textarea();
    if (area) { area.focus({ preventScroll: true }); area.select(); }
    window.scrollTo(0, 0);
  }

  // -- data from the server ---------------------------------------------------------------------

  update(data) {
    if (!data || !data.pairs || !this.reading) return;
    const body = document.body.classList;
    if (data.run === this.reading.stoppedRun) return;  // a step that was on its way when Stop was pressed
    this.opening = false;
    if (data.state === 'failed' && !data.pairs.length) {  // refused before it began: said beside Translate
      body.remove('reader-busy');
      this.setReading(false);
      this.sayBesideTranslate(data.message);
      return;
    }
    if (this.reading.update(data)) {
      body.add('reader-has-doc');
      this.sayBesideTranslate(null);
    }
    body.toggle('reader-busy', data.state === 'working');
    body.toggle('reader-done', data.state === 'done');
    this.renderBar();
    this.textChanged();
    if (data.state === 'done') this.remember(data);
  }

  // Translate was pressed (before Gradio sends it): the reading screen, at once.
  translateClicked() {
    const area = this.gradio.textarea(), body = document.body.classList;
    // While one runs, Gradio ignores the button (trigger_mode "once"): so do we.
    if (!area || body.contains('reader-busy')) return;
    const text = area.value;
    if (!this.words.visible(text) || Array.from(text).length > this.settings.limits.chars) return;  // the server says why
    this.sourceText = text;
    body.add('reader-busy');
    body.remove('reader-stopped', 'reader-stale', 'reader-done');
    this.sayBesideTranslate(null);
    this.setReading(true);
  }

  pressTranslate() { const button = this.gradio.translate(); if (button) button.click(); }

  // Stop was pressed: the status line says what is kept, and offers to go on.
  stopped() {
    const body = document.body.classList;
    if (!body.contains('reader-busy') || !this.reading) return;
    this.reading.stoppedRun = this.reading.run;
    body.remove('reader-busy');
    body.add('reader-stopped');
    this.reading.pane.removeAttribute('aria-busy');
    const total = this.reading.data ? this.reading.data.pairs.length : 0;
    const status = this.parts.status;
    if (status) {
      status.props.value = '<div class="reader-status stopped" role="status"><span class="stop-note">Stopped: ' +
        this.reading.doneCount().toLocaleString('en-US') + ' of ' + count(total, 'sentence') + ' translated; they are ' +
        'kept in the cache.</span> <button type="button" class="rbtn" data-action="go-on">Go on</button></div>';
    }
  }

  // -- the bar over the text --------------------------------------------------------------------

  renderBar() {
    const bar = this.parts.bar, tools = this.parts.tools;
    if (bar && this.reading && this.reading.data) {
      const names = this.reading.names();
      const title = bar.element.querySelector('.doc-title');
      title.textContent = names.ar;
      title.title = names.en || '';
      bar.element.querySelector('.doc-count').textContent = ' · ' + this.reading.summary();
    }
    if (tools && this.reading) {
      const shown = this.reading.effectiveView();
      tools.element.querySelectorAll('[data-view]').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.view === shown)));
      const done = document.body.classList.contains('reader-done');
      const downloads = tools.element.querySelector('[data-action=downloads]');
      downloads.disabled = !done;
      downloads.title = done ? '' : 'The downloads are ready once the translation is done';
    }
  }

  // The reading surface starts under the bar, however tall the bar is on this screen.
  measureBar() {
    const row = document.getElementById(this.settings.ids.bar);
    if (!row || typeof ResizeObserver !== 'function') return;
    new ResizeObserver(() => {
      if (row.offsetHeight) document.body.style.setProperty('--bar-h', row.offsetHeight + 'px');
    }).observe(row);
  }

  toggleMenu(name, button) {
    const open = !document.body.classList.contains('menu-' + name);
    this.closeMenus();
    if (!open) return;
    document.body.classList.add('menu-' + name);
    if (button) button.setAttribute('aria-expanded', 'true');
  }

  closeMenus() {
    document.body.classList.remove('menu-downloads', 'menu-view');
    document.querySelectorAll('[data-action=downloads], [data-action=menu]').forEach((b) => b.setAttribute('aria-expanded', 'false'));
  }

  // -- the text box, what is said beside Translate, and the notes beside the other controls ---------

  textChanged() {
    const area = this.gradio && this.gradio.textarea(), notes = this.parts.notes;
    if (!area || !notes) return;
    const text = area.value, n = Array.from(text).length, limit = this.settings.limits.chars;
    const counter = notes.element.querySelector('.char-count'), over = n - limit;
    area.setAttribute('aria-describedby', counter.id);
    counter.classList.toggle('near', n > 0.9 * limit && over <= 0);
    counter.classList.toggle('over', over > 0);
    counter.textContent = over > 0
      ? count(n, 'character') + ': ' + over.toLocaleString('en-US') + ' over the limit of ' +
        limit.toLocaleString('en-US') + '. Remove some text, or translate it in parts.'
      : n.toLocaleString('en-US') + ' of ' + limit.toLocaleString('en-US') + ' characters';
    const stale = this.sourceText !== null && text !== this.sourceText && !!(this.reading && this.reading.data);
    document.body.classList.toggle('reader-stale', stale);
    notes.element.querySelector('.doc-stale').hidden = !stale;
  }

  sayBesideTranslate(message) {
    const notes = this.parts.notes;
    if (!notes) return;
    const note = notes.element.querySelector('.translate-note');
    note.hidden = !message;
    note.innerHTML = message ? '<div class="reader-status failed" role="alert">' + esc(message) + '</div>' : '';
    if (message) bringIntoView(notes.element);
  }

  typed() {
    // Typing puts the notes about what was loaded (or refused) out of date.
    document.querySelectorAll('.reader-note .reader-notice, .reader-note .reader-loaded').forEach((n) => { n.hidden = true; });
    this.sayBesideTranslate(null);
    this.textChanged();
  }

  // A note came back from the server beside its control.
  noted(element) {
    bringIntoView(element);
    requestAnimationFrame(() => {
      bringIntoView(element);  // once drawn (it has no height before), wherever the parts above left it
      this.textChanged();
      const loaded = element.querySelector('.reader-loaded[data-loaded]');
      if (!loaded) { if (element.querySelector('.reader-notice')) this.pending = null; return; }
      if (loaded.dataset.kind === 'file') this.loadedFile = { name: loaded.dataset.loaded, file: this.lastFile };
      // A web article is translated as soon as it is in the box; a reopened document too.
      const reopened = this.pending && this.pending.source && this.pending.source.name === loaded.dataset.loaded;
      if (loaded.dataset.kind === 'url' || reopened) { this.pending = null; this.pressTranslate(); }
    });
  }

  // A file an upload button does not take, or one over the server's limit, is refused
  // here, beside the button, before it is sent (Gradio would show a bare error); a
  // document that is sent is kept, for Recent to reopen it.
  checkUpload(event) {
    const input = event.target;
    if (!input.matches || !input.matches('input[type=file]')) return;
    const button = this.gradio.buttonOf(input), rules = button && this.settings.uploads[button.id];
    if (!rules) return;
    const file = input.files && input.files[0];
    const note = document.getElementById(rules.note);
    note.querySelectorAll('.from-browser').forEach((n) => n.remove());
    if (!file) return;
    const mb = (n) => (n / 1e6).toFixed(1);
    const dot = file.name.lastIndexOf('.'), suffix = dot > 0 ? file.name.slice(dot).toLowerCase() : '';
    const limit = this.settings.limits.upload;
    let message = null;
    if (!rules.suffixes.includes(suffix)) message = fill(rules.refusal, { name: file.name });
    else if (file.size > limit) message = fill(this.settings.tooBig, { name: file.name, size: mb(file.size), limit: mb(limit) });
    if (!message) {
      if (button.id === this.settings.ids.upload) this.lastFile = file;
      return;
    }
    event.stopImmediatePropagation();
    input.value = '';
    note.querySelectorAll('.reader-notice, .reader-loaded').forEach((old) => { old.hidden = true; });
    const div = document.createElement('div');
    div.className = 'reader-notice from-browser';
    div.setAttribute('role', 'alert');
    div.textContent = message;
    note.appendChild(div);
    bringIntoView(note);
  }

  // -- Recent ---------------------------------------------------------------------------------------

  remember(data) {
    // With a library the server keeps Recent (the Library view): nothing is kept here.
    if (this.settings.library || this.sourceText === null || this.remembered === data.run) return;
    this.remembered = data.run;
    const source = data.source || { kind: 'text' };
    const id = textId(this.sourceText);
    const dropped = this.recent.add({ id, kind: source.kind, source, text: this.sourceText, names: data.names,
      title: data.title, date: new Date().toISOString(), sentences: data.pairs.length });
    dropped.forEach((gone) => this.files.delete(gone));
    const file = this.loadedFile;
    if (source.kind === 'file' && file && file.file && file.name === source.name) this.files.put(id, file.file);
    this.renderRecent();
  }

  renderRecent() {
    const part = this.parts.recent;
    if (!part) return;
    const box = part.element.querySelector('.recent'), list = this.settings.library ? [] : this.recent.entries();
    box.hidden = !list.length;
    const item = (e) => {
      const date = new Date(e.date), names = e.names || { ar: e.title || 'Untitled', en: null };
      const when = isNaN(date) ? '' : date.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric' }) +
        ' ' + date.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
      const what = (e.source && e.source.kind === 'file' && e.source.name) ? e.source.name : KIND_WORDS[e.kind] || KIND_WORDS.text;
      return '<li data-id="' + esc(e.id) + '"><button type="button" class="recent-open" data-id="' + esc(e.id) + '">' +
        '<bdi class="recent-name" lang="ar" dir="rtl">' + esc(names.ar || 'Untitled') + '</bdi>' +
        (names.en ? '<span class="recent-english" lang="en">' + esc(names.en) + '</span>' : '') +
        '<span class="recent-meta">' + esc(what) + ' · ' + esc(when) + ' · ' + esc(count(e.sentences || 0, 'sentence')) +
        '</span></button><button type="button" class="recent-remove" data-id="' + esc(e.id) + '" aria-label="Remove ' +
        esc(names.ar || 'Untitled') + ' from Recent">×</button></li>';
    };
    box.innerHTML = '<h2 class="recent-title">Recent</h2><div class="recent-note"></div><ul>' + list.map(item).join('') + '</ul>';
  }

  // Reopens a Recent document the way it came: typed text straight into the box; a
  // sample or a web article from the server; an uploaded file uploaded again from
  // this browser's copy. Translate is pressed once its text is in the box.
  async reopen(id) {
    const entry = this.recent.get(id);
    if (!entry) return;
    this.pending = entry;
    if (entry.kind === 'file') {
      const file = await this.files.get(id);
      const input = this.gradio.uploadInput();
      if (file && input && typeof DataTransfer === 'function') {
        const chosen = new DataTransfer();
        chosen.items.add(file);
        input.files = chosen.files;
        input.dispatchEvent(new Event('change', { bubbles: true }));
        return;
      }
      // Said beside Recent, the text in the box: the reader presses Translate knowing it.
      this.putText(entry.text);
      this.pending = null;
      this.sayInRecent('The original file is not kept in this browser: its text is in the box, and its downloads ' +
        'will be English text. Press Translate to read it.', false);
      return;
    } else if (entry.kind === 'sample' || entry.kind === 'url') {
      this.parts.recent.trigger('click', { kind: entry.kind, name: entry.source.name, url: entry.source.url || null,
        text: entry.text });
      return;
    }
    this.openAsText(entry.text);
  }

  openAsText(text) {
    if (!this.putText(text)) return;
    this.pending = null;
    setTimeout(() => this.pressTranslate(), 0);  // after Gradio has taken the new value
  }

  // Text into the box as if typed (Gradio takes the value from the input event).
  putText(text) {
    const area = this.gradio.textarea();
    if (!area) return false;
    area.value = text;
    area.dispatchEvent(new Event('input', { bubbles: true }));
    return true;
  }

  // The server answered a reopen (a sample, a web article): opened as it came, its
  // note beside its control presses Translate (noted); opened as the text kept in this
  // browser, or not at all, the Recent list says so, and the reader decides.
  recentAnswered() {
    const answer = this.parts.recent.props.value;
    this.renderRecent();  // the component drew its template again
    if (!answer) return;
    if (answer.message) this.sayInRecent(answer.message, !answer.opened);
    if (!answer.opened || answer.as_text) this.pending = null;
  }

  sayInRecent(message, alert) {
    const note = this.parts.recent.element.querySelector('.recent-note');
    if (!note) return;
    note.innerHTML = '<div class="' + (alert ? 'reader-notice" role="alert"' : 'reader-loaded" role="status"') + '>' +
      esc(message) + '</div>';
    bringIntoView(note);
  }

  forget(id) {
    this.recent.remove(id);
    this.files.delete(id);
    this.renderRecent();
  }

  // -- the Library: the server's list of documents, searched as you type ---------------------------

  renderLibrary() {
    const part = this.parts.library;
    if (!part) return;
    const box = part.element.querySelector('.library') || part.element;
    const data = part.props.value;
    box.innerHTML = libraryHtml(data);
    // Nothing translated yet: the part waits, as Recent did, out of the way of the controls.
    const empty = !!data && !(data.entries || []).length && !data.found && !data.message && !(data.query || '').trim();
    const column = document.getElementById('library-part');
    if (column) column.classList.toggle('library-empty', empty);
    // The search box runs in the direction of what is typed in it (Arabic right to left).
    const query = document.getElementById(this.settings.ids.libraryQuery);
    const input = query && query.querySelector('input');
    if (input) input.dir = 'auto';
    // A document that could not be opened: back to the start screen, where the list says why.
    if (data && data.failed && this.opening) {
      this.opening = false;
      document.body.classList.remove('reader-busy');
      this.setReading(false);
      bringIntoView(box);
    }
  }

  // Opens a document of the library in the reading view: the server sends its view data
  // as a finished translation (nothing is translated again).
  openFromLibrary(id) {
    const part = this.parts.library, number = Number(id);
    if (!part || !Number.isInteger(number)) return;
    this.sourceText = null;  // not the text in the box: the box keeps what it holds
    this.opening = true;
    document.body.classList.add('reader-busy');
    document.body.classList.remove('reader-stopped', 'reader-stale', 'reader-done');
    this.setReading(true);
    part.trigger('click', { id: number });
  }

  // -- your translations: the memory switch ---------------------------------------------------------------

  mountMemory() {
    const part = this.parts.memory;
    // A new session starts with the memory on: the browser's choice is sent at once.
    if (part.props.value !== this.choices.memory) this.setMemory(this.choices.memory);
  }

  setMemory(on) {
    const part = this.parts.memory;
    this.choices.memory = on;
    this.choices.save();
    part.props.value = on;
    part.trigger('change');
  }

  // -- copying ------------------------------------------------------------------------------------

  copy(text, button) {
    const done = (ok) => {
      if (!button) return;
      const label = button.dataset.label || button.textContent;
      button.dataset.label = label;
      button.textContent = ok ? 'Copied' : 'Copy failed';
      setTimeout(() => { button.textContent = label; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(() => done(true), () => done(fallbackCopy(text)));
    } else {
      done(fallbackCopy(text));
    }
  }

  // -- events ------------------------------------------------------------------------------------

  hookDocument() {
    document.addEventListener('click', (event) => this.onClick(event));
    document.addEventListener('keydown', (event) => this.onKey(event));
    document.addEventListener('mouseover', (event) => { if (this.reading) this.reading.onOver(event.target); });
    document.addEventListener('mouseout', (event) => { if (this.reading) this.reading.onOut(event); });
    document.addEventListener('pointerdown', (event) => { if (this.reading) this.reading.onPointerDown(event); });
    document.addEventListener('change', (event) => this.checkUpload(event), true);
    document.addEventListener('focusin', (event) => { if (event.target.id === 'details-edit') event.target.dataset.touched = '1'; });
    document.addEventListener('input', (event) => { if (event.target === this.gradio.textarea()) this.typed(); }, true);
    window.matchMedia(this.settings.narrow).addEventListener('change', () => { if (this.reading) this.reading.resized(); this.renderBar(); });
    let resizing = false;  // once a frame, however many resize events come
    window.addEventListener('resize', () => {
      if (resizing || !this.reading) return;
      resizing = true;
      requestAnimationFrame(() => { resizing = false; this.reading.resized(); });
    });
    if (document.fonts && document.fonts.ready) document.fonts.ready.then(() => { if (this.reading) this.reading.equalize(); });
  }

  onKey(event) {
    if (event.key === 'Escape' && document.body.matches('.menu-downloads, .menu-view')) {
      this.closeMenus();
      event.preventDefault();
      return;
    }
    const inReader = event.target.closest && event.target.closest('#' + this.settings.ids.reader + ', #' + this.settings.ids.tools);
    if (this.reading && inReader && this.reading.onKey(event)) event.preventDefault();
  }

  onClick(event) {
    const t = event.target, ids = this.settings.ids;
    if (!t.closest) return;
    if (t.closest('#' + ids.translate)) { this.translateClicked(); return; }
    // A menu closes on a click outside it, and once something in it is chosen (the text
    // size steps stay open, to be pressed again).
    if (!t.closest('[data-action=downloads], [data-action=menu], #' + ids.downloads + ', .bar-menu')) this.closeMenus();
    else if (t.closest('#' + ids.downloads + ' button, .bar-menu [data-view], .bar-menu [data-action=copy], ' +
      '.bar-menu [data-action=legend]')) setTimeout(() => this.closeMenus(), 0);
    const action = t.closest('[data-action], [data-view], .recent-open, .recent-remove, .library-open');
    if (action) { this.act(action); return; }
    if (this.reading) this.reading.onClick(t);
  }

  act(el) {
    const reading = this.reading, details = reading && reading.details;
    if (el.matches('.recent-open')) return this.reopen(el.dataset.id);
    if (el.matches('.recent-remove')) return this.forget(el.dataset.id);
    if (el.matches('.library-open')) return this.openFromLibrary(el.dataset.id);
    if (el.dataset.view) { reading.setView(el.dataset.view); this.renderBar(); return; }
    switch (el.dataset.action) {
      case 'new': return this.newDocument();
      case 'back': return this.setReading(true);
      case 'go-on': return this.pressTranslate();
      case 'menu': return this.toggleMenu('view', el);
      case 'downloads': return this.toggleMenu('downloads', el);
      case 'smaller': return reading.setScale(-1);
      case 'larger': return reading.setScale(1);
      case 'copy': return this.copy(reading.english(), el);
      case 'legend': return reading.toggleLegend(reading.legend.hidden, false, el);
      case 'close-legend': return reading.toggleLegend(false, true, this.parts.tools.element.querySelector('[data-action=legend]'));
      case 'memory': return this.setMemory(el.getAttribute('aria-checked') !== 'true');
      case 'copy-sentence': { const res = reading.result(details.index); return this.copy(res ? res.t : '', el); }
      case 'close-details': return details.close(true);
      case 'alternatives': return details.showAlternatives(el);
      case 'pick': return details.pick(+el.dataset.k, el);
      case 'complete': return details.complete(details.prefixAtCursor(), el);
      case 'next-word': return details.nextWords(details.prefixAtCursor(), el);
      case 'word': return details.pickWord(el.dataset.word, el);
      case 'save': return details.save(details.editBox().value, el);
      case 'forget': return details.forget(el);
    }
    return undefined;
  }

  // The state tests and the benchmark read.
  state() {
    const r = this.reading;
    return r ? { view: this.choices.view, effective: r.effectiveView(), scale: this.choices.scale, current: r.current,
      run: r.run, details: r.details.index } : {};
  }
}

function fallbackCopy(text) {
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  let ok = false;
  try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
  area.remove();
  return ok;
}
