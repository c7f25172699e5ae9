// What the browser remembers between visits: the reader's choices (view, text size,
// the memory switch) and the Recent list, in localStorage; the original files of
// uploaded documents, in IndexedDB, so a Word report reopens as Word. Storage is
// passed in, so the lists can be tested without a browser.

// An id for a text in the Recent list (FNV-1a of the text, and its length).
export function textId(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) { h ^= text.charCodeAt(i); h = Math.imul(h, 0x01000193) >>> 0; }
  return h.toString(16) + '-' + text.length.toString(16);
}

function read(storage, key, fallback) {
  try {
    const value = JSON.parse(storage.getItem(key));
    return value === null ? fallback : value;
  } catch (e) {
    return fallback;
  }
}

function write(storage, key, value) {
  try { storage.setItem(key, JSON.stringify(value)); return true; } catch (e) { return false; }
}

// The reader's choices; anything stored that is not one of the choices is ignored.
export class Choices {
  constructor(storage, key, { views, scales }) {
    this.storage = storage; this.key = key; this.views = views; this.scales = scales;
    this.view = views[0]; this.scale = 1; this.memory = true;
    const saved = read(storage, key, {});
    if (views.includes(saved.view)) this.view = saved.view;
    if (scales.includes(saved.scale)) this.scale = saved.scale;
    if (typeof saved.memory === 'boolean') this.memory = saved.memory;
  }

  save() { write(this.storage, this.key, { view: this.view, scale: this.scale, memory: this.memory }); }

  // One step larger (+1) or smaller (-1) text, within the scales.
  step(by) {
    let n = this.scales.indexOf(this.scale);
    if (n < 0) n = this.scales.indexOf(1);
    this.scale = this.scales[Math.max(0, Math.min(this.scales.length - 1, n + by))];
    this.save();
    return this.scale;
  }
}

// The documents translated here, newest first: {id, kind, text, names, title, source,
// date, sentences}. When storage is full, the oldest go first.
export class RecentList {
  constructor(storage, key, max) { this.storage = storage; this.key = key; this.max = max; }

  entries() { return read(this.storage, this.key, []).filter((e) => e && e.id && typeof e.text === 'string'); }

  get(id) { return this.entries().find((e) => e.id === id) || null; }

  // Adds (or moves to the top) an entry; returns the ids that no longer fit.
  add(entry) {
    const kept = [entry, ...this.entries().filter((e) => e.id !== entry.id)];
    const dropped = kept.splice(this.max).map((e) => e.id);
    while (kept.length && !write(this.storage, this.key, kept)) dropped.push(kept.pop().id);
    return dropped;
  }

  remove(id) { write(this.storage, this.key, this.entries().filter((e) => e.id !== id)); }
}

// The original files of Recent documents, by entry id (IndexedDB; nothing when the
// browser keeps none, as in some private windows: those reopen as text).
export class FileStore {
  constructor(name, indexedDB = globalThis.indexedDB) { this.name = name; this.idb = indexedDB; this.db = null; }

  open() {
    if (!this.idb) return Promise.resolve(null);
    if (!this.db) {
      this.db = new Promise((resolve) => {
        let request;
        try { request = this.idb.open(this.name, 1); } catch (e) { resolve(null); return; }
        request.onupgradeneeded = () => request.result.createObjectStore('files');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => resolve(null);
      });
    }
    return this.db;
  }

  async run(mode, act) {
    const db = await this.open();
    if (!db) return null;
    return new Promise((resolve) => {
      const store = db.transaction('files', mode).objectStore('files');
      const request = act(store);
      request.onsuccess = () => resolve(request.result === undefined ? null : request.result);
      request.onerror = () => resolve(null);
    });
  }

  put(id, file) { return this.run('readwrite', (s) => s.put({ name: file.name, type: file.type, data: file }, id)); }

  async get(id) {
    const found = await this.run('readonly', (s) => s.get(id));
    return found ? new File([found.data], found.name, { type: found.type }) : null;
  }

  delete(id) { return this.run('readwrite', (s) => s.delete(id)); }
}
