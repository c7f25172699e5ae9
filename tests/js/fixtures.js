// What the tests compare the modules with, written by tests/test_reader_modules.py
// from the Python side: the settings the page sends, and results Python computed
// (so nothing the server decides is copied here).
import { readFileSync } from 'node:fs';

const path = process.env.READER_FIXTURES;
if (!path) {
  throw new Error('READER_FIXTURES is not set: run these tests through pytest tests/test_reader_modules.py');
}
export const fixtures = JSON.parse(readFileSync(path, 'utf8'));
export const settings = fixtures.settings;

// A Storage as the browser's localStorage behaves, with a size limit.
export class MemoryStorage {
  constructor(limit = Infinity) { this.items = new Map(); this.limit = limit; }
  getItem(key) { return this.items.has(key) ? this.items.get(key) : null; }
  setItem(key, value) {
    if (String(value).length > this.limit) throw new Error('QuotaExceededError');
    this.items.set(key, String(value));
  }
  removeItem(key) { this.items.delete(key); }
}
