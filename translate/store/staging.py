"""A dataset job's documents on their way into the library: plain files, indexed later.

Stemming a document and adding it to the library's full-text index costs several
times what a dataset job spends on a row it finds in the cache, and even a copy of
each document into SQLite costs a job about a quarter of its time. So a job only
appends each document to a file of its own, ``<cache>/library-staged/``: one JSON
line a document: what the job's output row lacks (the text between the sentences,
the blocks, each sentence's origin and word links), and the row itself (each
sentence's text, offsets, translation, score and flags): with JSONL parts, the
line the job writes into its part, reused as it is, even its UTF-8; with Parquet
parts, where it is (the part and the row's place), read from there when indexed
(a part removed before that leaves its documents out, with a warning). A block's
lines are written and flushed together.
``benchmarks/library_job_cost.py`` measures what this costs a job.

The file's name says where it stands:

* ``job-<time>-<pid>.jsonl.writing``: a job is writing it (or was, if that process is gone);
* ``job-<time>-<pid>.jsonl``: complete, waiting to be indexed;
* ``job-<time>-<pid>.jsonl.indexing-<pid>``: an indexer took it (renaming is the claim,
  so two indexers never take the same file; a file whose indexer is gone is taken again,
  and a document indexed twice is the same entry).

:meth:`translate.store.library.Library.index` reads them, oldest first, and removes
each once its documents are in the library.
"""
from __future__ import annotations

import json
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from ..text.document import Document
from ..translation import alignment_text

FOLDER = "library-staged"
_WRITING, _READY, _INDEXING = ".jsonl.writing", ".jsonl", ".jsonl.indexing-"


@dataclass(frozen=True)
class Staged:
    """One staged document, as the library writes it."""

    key: str
    owner: str
    kind: str
    source: str
    translated: float
    plain: dict  # as translate.store.library._plain gives it


class StageFile:
    """The file one job appends its documents to (created at the first :meth:`flush`).

    Args:
        folder: the library's staging folder.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self.path = folder / f"job-{time.time_ns():020d}-{os.getpid()}{_WRITING}"
        self._lines: list[bytes] = []
        self._stream = None

    def add(self, key: str, owner: str, kind: str, source: str, document: Document, *,
            row_line: bytes | None = None, part: tuple[Path, int, object] | None = None) -> None:
        """Stage one translated document, with its output row: ``row_line``, the row as the
        job writes it into a JSONL part (one JSON line in UTF-8), reused; or ``part``, where
        the job writes it into a Parquet part (the part's path, the row's place in it, its id),
        read from there when it is indexed."""
        text, pairs = document.text, document.sentences
        head = {"key": key, "owner": owner, "kind": kind, "source": source, "translated": time.time(),
                "title": document.title, "format": document.format, "name": document.name,
                "paragraphs": [[p.kind, p.start, p.end] for p in document.paragraphs],
                "origins": [p.origin for p in pairs], "links": [alignment_text(p.alignment) for p in pairs]}
        if (row_line is None) == (part is None):
            raise ValueError("give the document's row_line or its part")
        gaps, at = [], 0
        for pair in pairs:  # the row has each sentence's text: keep what lies between them
            gaps.append(text[at:pair.start])
            at = pair.end
        gaps.append(text[at:])
        head.update(text=None if all(text[p.start:p.end] == p.source for p in pairs) else text, gaps=gaps)
        if part is not None:
            head["part"] = [str(part[0]), part[1], part[2]]
            self._lines.append(_json(head).encode("utf-8", "surrogatepass") + b"\n")
            return
        self._lines.append(b"".join((_json(head)[:-1].encode("utf-8", "surrogatepass"), b',"row":',
                                     row_line.rstrip(), b"}\n")))

    def flush(self) -> None:
        """Write what was added since the last flush (raises OSError)."""
        if not self._lines:
            return
        if self._stream is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._stream = open(self.path, "ab")
        self._stream.write(b"".join(self._lines))
        self._stream.flush()
        self._lines = []

    def close(self) -> None:
        """Close the file and make it ready to index (what was not flushed is dropped)."""
        self._lines = []
        if self._stream is not None:
            self._stream.close()
            self._stream = None
            os.replace(self.path, self.path.with_name(self.path.name[:-len(".writing")]))


def waiting(folder: Path) -> bool:
    """Whether some staged file waits for an indexer (ready, or left by a process that is gone)."""
    return any(_claimable(path) for path in _files(folder))


def documents_waiting(folder: Path) -> int:
    """How many staged documents wait (lines of the files :func:`waiting` counts)."""
    count = 0
    for path in _files(folder):
        if _claimable(path):
            try:
                with open(path, "rb") as stream:
                    last = b"\n"
                    for chunk in iter(lambda: stream.read(1 << 20), b""):
                        count, last = count + chunk.count(b"\n"), chunk[-1:]
                    count += last != b"\n"  # a last line cut short
            except OSError:
                continue
    return count


def claim(folder: Path) -> Path | None:
    """Take the oldest waiting file for this process (None: none waits)."""
    for path in _files(folder):
        if not _claimable(path):
            continue
        stem = path.name[:path.name.index(".jsonl")]
        claimed = path.with_name(f"{stem}{_INDEXING}{os.getpid()}")
        try:
            os.rename(path, claimed)  # another indexer may have renamed it first
        except OSError:
            continue
        return claimed
    return None


def release(claimed: Path) -> None:
    """Give a claimed file back (its indexing failed): the next indexer takes it."""
    stem = claimed.name[:claimed.name.index(".jsonl")]
    try:
        os.rename(claimed, claimed.with_name(f"{stem}{_READY}"))
    except OSError:
        pass


def read(claimed: Path) -> Iterator[Staged | str]:
    """The documents of a claimed file, or for a line that cannot be read, why (a job
    stopped while writing leaves a last line cut short; a Parquet part may be gone)."""
    parts = _PartRows()
    with open(claimed, "rb") as stream:
        for number, line in enumerate(stream, 1):
            try:
                item = json.loads(line)
                text, row = item["text"], item.get("row")
                if "part" in item:
                    row = parts.row(*item["part"])
                    if row is None:
                        yield f"{claimed.name} line {number} (its row is not in {item['part'][0]} any more)"
                        continue
                signature, sentences = row["signature"], row["sentences"]
                pairs = [[s["index"], s["paragraph"], s["start"], s["end"], s["translation"] or "", s["score"],
                          ",".join(s["flags"]), origin, links]
                         for s, origin, links in zip(sentences, item["origins"], item["links"], strict=True)]
                if text is None:  # the sentences, and what lies between them
                    gaps = item["gaps"]
                    text = "".join(piece for gap, s in zip(gaps, sentences) for piece in (gap, s["source"]))
                    text += gaps[len(sentences)]
                plain = {"title": item["title"], "format": item["format"], "signature": signature,
                         "name": item["name"], "text": text, "paragraphs": item["paragraphs"], "pairs": pairs}
                yield Staged(item["key"], item["owner"], item["kind"], item["source"], item["translated"], plain)
            except (ValueError, KeyError, IndexError, TypeError):
                yield f"{claimed.name} line {number}"


class _PartRows:
    """The rows of the Parquet part read last (a job's rows come part after part)."""

    def __init__(self):
        self.path, self.rows = None, []

    def row(self, path: str, place: int, key) -> dict | None:
        if path != self.path:
            self.path, self.rows = path, []
            try:
                import pyarrow.parquet

                self.rows = pyarrow.parquet.read_table(path, columns=["id", "sentences", "signature"]).to_pylist()
            except Exception:  # noqa: BLE001 - gone, damaged, or no pyarrow: its documents are left out
                pass
        row = self.rows[place] if 0 <= place < len(self.rows) else None
        return row if row is not None and row.get("id") == key else None


def _json(value: dict) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _files(folder: Path) -> list[Path]:
    try:
        return sorted((path for path in folder.iterdir() if path.name.startswith("job-")), key=lambda p: p.name)
    except OSError:
        return []


def _claimable(path: Path) -> bool:
    name = path.name
    try:
        if name.endswith(_READY):
            return True
        if name.endswith(_WRITING):
            return not _alive(int(name[:-len(_WRITING)].rsplit("-", 1)[1]))
        if _INDEXING in name:
            return not _alive(int(name.rsplit("-", 1)[1]))
    except (ValueError, IndexError):  # not a name this module gave
        pass
    return False


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's process, or a system that cannot tell: let it be
    return True
