"""Where outputs go, how they are written, and which ones are up to date.

An output folder holds a small manifest (``.translate-outputs.json``) naming,
for each file the batch job wrote, a digest of the input it was made from, the
signature of the translator that made it, and a digest of what was written. So
a rerun can skip what is up to date, redo what changed, and still never
overwrite a file that someone edited by hand, or that it did not write.
"""
from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path

log = logging.getLogger("translate")

MANIFEST = ".translate-outputs.json"
_LOCK = ".translate-outputs.lock"


def output_path(relative: Path | None, out_dir: Path, suffix: str) -> Path:
    """``out/<relative folder>/<name>.en<suffix>``: ``x.ar.docx`` with ``.txt`` becomes ``x.en.txt``.

    Args:
        relative: the input's path relative to the folder it was found in (None:
            standard input, named ``stdin``).
        out_dir: the output folder.
        suffix: the output's file ending, dot included (``.txt``, ``.page.html``);
            a bare format name gets a dot.
    """
    relative = relative or Path("stdin.txt")
    name = relative.name
    if Path(name).suffix:
        name = name[: -len(Path(name).suffix)]
    if name.lower().endswith(".ar"):
        name = name[:-3]
    return out_dir / relative.parent / f"{name}.en{suffix if suffix.startswith('.') else '.' + suffix}"


def write_atomically(path: Path, data: bytes | str) -> None:
    """Write via a temporary file and rename, so no half-written output is ever left.

    Raises:
        OSError: the folder or the file cannot be written.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(temporary, path)
    finally:
        if temporary.exists():
            temporary.unlink()


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class OutputState(Enum):
    """What a rerun may do with an output file."""

    ABSENT = "absent"  # not there: write it
    UP_TO_DATE = "up to date"  # made from the same input with the same translator, unchanged since
    STALE = "stale"  # ours and unchanged, but the input or the translator changed: redo it
    EDITED = "edited"  # ours, but changed since it was written: never overwrite without force
    FOREIGN = "foreign"  # not written by this tool: never overwrite without force


@dataclass(frozen=True)
class OutputRecord:
    """What the manifest remembers of one output file (digests are SHA-256, hex)."""

    input: str
    signature: str
    output: str


class OutputManifest:
    """The record of what the batch job wrote into one output folder.

    Args:
        out_dir: the output folder (the manifest is its ``.translate-outputs.json``).
    """

    def __init__(self, out_dir: str | os.PathLike):
        self.out_dir = Path(out_dir)
        self.path = self.out_dir / MANIFEST
        self._records = self._load()

    def _load(self) -> dict[str, OutputRecord]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            return {name: OutputRecord(**record) for name, record in raw["outputs"].items()}
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, KeyError, TypeError) as error:
            log.warning("output record %s is unreadable (%s); existing outputs count as not ours", self.path, error)
            return {}

    def _name(self, target: Path) -> str:
        return Path(os.path.relpath(target, self.out_dir)).as_posix()

    def is_output(self, path: Path) -> bool:
        """True when ``path`` is a file this manifest records as written here."""
        try:
            return self._name(path) in self._records
        except ValueError:  # another drive (Windows)
            return False

    def state(self, target: Path, input_digest: str, signature_key: str) -> OutputState:
        """What may be done with ``target`` for this input and translator."""
        if not target.exists():
            return OutputState.ABSENT
        record = self._records.get(self._name(target))
        if record is None:
            return OutputState.FOREIGN
        try:
            current = digest(target.read_bytes())
        except OSError:
            return OutputState.FOREIGN
        if current != record.output:
            return OutputState.EDITED
        if record.input == input_digest and record.signature == signature_key:
            return OutputState.UP_TO_DATE
        return OutputState.STALE

    def record(self, written: dict[Path, tuple[str, str, bytes]]) -> None:
        """Remember outputs just written: target → (input digest, signature key, data).

        Merged with what other processes recorded meanwhile; a failure only costs
        a re-translation (from the cache) next time, so it is logged, not raised.
        """
        if not written:
            return
        try:
            with _locked(self.out_dir / _LOCK):
                self._records = self._load()
                for target, (input_digest, key, data) in written.items():
                    self._records[self._name(target)] = OutputRecord(input_digest, key, digest(data))
                body = {"outputs": {name: asdict(record) for name, record in sorted(self._records.items())}}
                write_atomically(self.path, json.dumps(body, ensure_ascii=False, indent=1) + "\n")
        except OSError as error:
            log.warning("could not update the output record %s (%s)", self.path, error)


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on ``path`` between processes, where the system has one."""
    try:
        import fcntl
    except ImportError:  # Windows: concurrent runs into one folder are on their own
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
