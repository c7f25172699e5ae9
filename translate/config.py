"""Every default in one place; the CLI, the app and the library all read these.

Environment variables override the defaults; nothing here touches the disk at
import time.
"""
from __future__ import annotations

import os
from pathlib import Path

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"
#: Models we know to work; any local folder holding a Marian model works too.
KNOWN_MODELS = ("Helsinki-NLP/opus-mt-ar-en", "Helsinki-NLP/opus-mt-tc-big-ar-en")

DEFAULT_CACHE_DIR = "cache"
CACHE_DIR_ENV = "TRANSLATE_CACHE_DIR"
MODEL_ENV = "TRANSLATE_MODEL"

DEFAULT_BEAMS = 4  # as on the opus-mt model card
DEFAULT_BATCH_SIZE = 16
DEFAULT_DEVICE = "auto"
DEFAULT_ENGINE = "auto"
DEFAULT_FORMAT = "txt"
FORMATS = ("txt", "md", "html", "jsonl")
ENGINES = ("auto", "ctranslate2", "transformers")
DEVICES = ("auto", "cpu", "cuda")

#: Marian models have 512 positions; sentences above this many source pieces are
#: cut at clause marks and translated in parts, well before quality collapses.
MAX_SENTENCE_PIECES = 200
MODEL_MAX_POSITIONS = 512

#: Input files above this size are refused (bytes); override with the env var.
DEFAULT_MAX_INPUT_BYTES = 5_000_000
MAX_INPUT_BYTES_ENV = "TRANSLATE_MAX_INPUT_BYTES"

#: One sentence longer than this (characters) is refused rather than translated in
#: hundreds of parts: a line this long without punctuation is rarely prose.
MAX_SENTENCE_CHARS = 20_000

TEXT_SUFFIXES = (".txt", ".md")

#: The reader (``python app.py``): where it listens, and its server-side limits.
#: A longer text gets a clear error, never a truncation: the ``translate`` command
#: handles whole files of any size.
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7860
MAX_PAGE_CHARS = 100_000  # characters of Arabic per translation on the page (~15,000 words)
MAX_UPLOAD_BYTES = 1_000_000  # an uploaded .txt/.md file; UTF-8 Arabic is 2 bytes a letter
QUEUE_MAX_SIZE = 16  # requests waiting for the model; more are turned away


def cache_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The cache folder: the explicit argument, else $TRANSLATE_CACHE_DIR, else ./cache."""
    return Path(explicit or os.environ.get(CACHE_DIR_ENV) or DEFAULT_CACHE_DIR)


def default_model() -> str:
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def max_input_bytes() -> int:
    value = os.environ.get(MAX_INPUT_BYTES_ENV)
    return int(value) if value and value.isdigit() else DEFAULT_MAX_INPUT_BYTES


def offline_by_env() -> bool:
    """True when the Hugging Face offline switches are set."""
    return any(
        os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )

#: Fetching a web article (the CLI's URL arguments, the page's URL box): the most
#: bytes read (after decompression), the most seconds for the whole fetch, and the
#: most redirects followed. Private addresses are refused unless explicitly allowed.
FETCH_MAX_BYTES = 5_000_000
FETCH_TIMEOUT_S = 20.0
FETCH_MAX_REDIRECTS = 5

#: A .docx or .epub is a zip: refuse one that unpacks to more than this (a zip bomb).
MAX_UNZIPPED_BYTES = 200_000_000
