"""Every default in one place; the CLI, the app and the library all read these.

Environment variables override the defaults; nothing here touches the disk at
import time.
"""
from __future__ import annotations

import os
from pathlib import Path

#: This package's version (pyproject.toml reads it from here).
VERSION = "0.2.0"

DEFAULT_MODEL = "Helsinki-NLP/opus-mt-ar-en"

#: The cache folder's name in a source checkout (the repository's ``cache/``).
DEFAULT_CACHE_DIR = "cache"
CACHE_DIR_ENV = "TRANSLATE_CACHE_DIR"
#: The per-user cache folder's name (``platformdirs.user_cache_dir``) for an installed tool.
CACHE_APP_NAME = "translate-ar-en"
#: Converted CTranslate2 models live in this sub-folder of the cache folder, one folder each.
MODELS_DIR = "models"
MODEL_ENV = "TRANSLATE_MODEL"

DEFAULT_BEAMS = 4  # as on the opus-mt model card
DEFAULT_BATCH_SIZE = 16
#: In reading order (the page), the first batch is this small, so the top shows first:
#: one sentence per core of a 2-core laptop (benchmarks/reader.py: the first sentence
#: after about a sixth of the article's time, against a quarter with 4).
FIRST_BATCH_SIZE = 2
#: The model step's work unit: unique sentences translated together, here or by one
#: actor of a cluster (translate.pipeline.model_step). Both cut the same units, so
#: they give the same batches, and the same translations.
UNIT_SENTENCES = 512
DEFAULT_DEVICE = "auto"
DEFAULT_ENGINE = "auto"
DEFAULT_FORMAT = "txt"
ENGINES = ("auto", "ctranslate2", "transformers")
DEVICES = ("auto", "cpu", "cuda")

#: Sentences above this many source pieces are cut at clause marks and translated
#: in parts, well before quality collapses (and never above half the model's own
#: positions, read from its config: translate.engines.model_files.ModelLimits).
MAX_SENTENCE_PIECES = 200

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
QUEUE_MAX_SIZE = 16  # requests waiting for the model; more are turned away
PAGE_WORKERS = 4  # translations in progress at once; they take turns at the model, batch by batch
#: Web pages the page fetches at once: a fetch mostly waits on the network (20 s at most),
#: and reading what came is bounded apart (read_workers), so slow servers never hold them all.
PAGE_FETCHES = 16


#: The log level of the lines a user sees without --verbose that are not warnings:
#: what a job started ("started a local Ray: 2 translating actors").
NOTICE = 25


def cache_dir(explicit: str | os.PathLike | None = None) -> Path:
    """The cache folder, as an absolute path; nothing is created.

    The first of: ``explicit`` (``--cache-dir``), ``$TRANSLATE_CACHE_DIR``, the
    source checkout's ``cache/`` when this package runs from one (whatever the
    working directory), else the per-user cache folder (``platformdirs``, e.g.
    ``~/.cache/translate-ar-en`` on Linux) for an installed tool.

    Args:
        explicit: a folder chosen by the caller; relative to the working directory.

    Returns:
        the folder (which may not exist yet).
    """
    chosen = explicit or os.environ.get(CACHE_DIR_ENV)
    if chosen:
        return Path(chosen).expanduser().absolute()
    checkout = _source_checkout()
    if checkout is not None:
        return checkout / DEFAULT_CACHE_DIR
    import platformdirs  # only here: most runs name their folder

    return Path(platformdirs.user_cache_dir(CACHE_APP_NAME, appauthor=False)).absolute()


def _source_checkout() -> Path | None:
    """The repository this package runs from, if it is one (``pyproject.toml`` and
    ``cache/`` beside the package), rather than an installed copy."""
    root = Path(__file__).resolve().parent.parent
    if (root / "pyproject.toml").is_file() and (root / DEFAULT_CACHE_DIR).is_dir():
        return root
    return None


def default_model() -> str:
    return os.environ.get(MODEL_ENV) or DEFAULT_MODEL


def max_input_bytes() -> int:
    value = os.environ.get(MAX_INPUT_BYTES_ENV)
    return int(value) if value and value.isdigit() else DEFAULT_MAX_INPUT_BYTES


def fetch_timeout_s() -> float:
    """Seconds for a whole fetch (``$TRANSLATE_FETCH_TIMEOUT_S``, else :data:`FETCH_TIMEOUT_S`)."""
    return _positive(FETCH_TIMEOUT_ENV, FETCH_TIMEOUT_S)


def read_timeout_s() -> float:
    """Seconds one bounded reading may take (``$TRANSLATE_READ_TIMEOUT_S``, default 30)."""
    return _positive(READ_TIMEOUT_ENV, DEFAULT_READ_TIMEOUT_S)


def read_memory_bytes() -> int:
    """The address space one bounded reading may use (``$TRANSLATE_READ_MEMORY_MB``, default 1024 MB)."""
    return int(_positive(READ_MEMORY_ENV, DEFAULT_READ_MEMORY_MB) * 2**20)


def read_workers() -> int:
    """How many bounded readings run at once (``$TRANSLATE_READ_WORKERS``, default 2)."""
    return max(1, int(_positive(READ_WORKERS_ENV, DEFAULT_READ_WORKERS)))


def _positive(name: str, default: float) -> float:
    """A positive number from the environment variable ``name``, else ``default``."""
    try:
        value = float(os.environ.get(name, ""))
    except ValueError:
        return default
    return value if 0 < value < float("inf") else default


def offline_by_env() -> bool:
    """True when the Hugging Face offline switches are set."""
    return any(
        os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")
        for name in ("HF_HUB_OFFLINE", "TRANSFORMERS_OFFLINE")
    )

#: Fetching a web article (the CLI's URL arguments, the page's URL box): the most
#: bytes read (after decompression), the most seconds for the whole fetch (connection,
#: headers, body and redirects: one wall-clock deadline), and the most redirects
#: followed. Private addresses are refused unless explicitly allowed.
FETCH_MAX_BYTES = 5_000_000
FETCH_TIMEOUT_S = 20.0
FETCH_TIMEOUT_ENV = "TRANSLATE_FETCH_TIMEOUT_S"
FETCH_MAX_REDIRECTS = 5

#: Reading an upload on the page (``read_document(..., bounded=True)``): in one of a few
#: worker processes (translate.sandbox), each with a deadline and a memory ceiling; a
#: document over either is "too complex to read here", and its worker is killed.
DEFAULT_READ_TIMEOUT_S = 30.0
READ_TIMEOUT_ENV = "TRANSLATE_READ_TIMEOUT_S"
DEFAULT_READ_MEMORY_MB = 1024
READ_MEMORY_ENV = "TRANSLATE_READ_MEMORY_MB"
DEFAULT_READ_WORKERS = 2
READ_WORKERS_ENV = "TRANSLATE_READ_WORKERS"

#: A .docx or .epub is a zip: refuse one that unpacks to more than this (a zip bomb).
MAX_UNZIPPED_BYTES = 200_000_000

#: A reading with a budget of characters (the page's: MAX_PAGE_CHARS) stops once it has
#: more text than that, and may unpack, or parse as markup (XML, PDF drawing operators),
#: at most this many bytes: 200 for each of the page's 100,000 characters, several times
#: what Word's most verbose documents need.
MAX_MARKUP_BYTES = 20_000_000

#: What one client may send the page (translate.web.guard), each overridable by its
#: environment variable: the largest request body that is not an upload (a whole
#: page of Arabic is 200 KB as JSON, escaped at most 6 bytes a character); the bytes
#: of uploads one client (a signed-in user, else an address) may send in a window of
#: minutes; and the uploads all clients together may keep on disk until Gradio deletes them.
MAX_BODY_BYTES = 2_000_000
MAX_BODY_ENV = "TRANSLATE_MAX_BODY_BYTES"
UPLOAD_WINDOW_S = 600.0
UPLOAD_BUDGET_BYTES = 50_000_000  # per client per window: ten uploads at the largest
UPLOAD_BUDGET_ENV = "TRANSLATE_UPLOAD_BUDGET_BYTES"
UPLOAD_DISK_BYTES = 1_000_000_000
UPLOAD_DISK_ENV = "TRANSLATE_UPLOAD_DISK_BYTES"
#: Uploads are kept this long (seconds) before Gradio deletes them; downloads as long.
UPLOADS_KEPT_S = 3600
#: A glossary uploaded on the page: its largest file, how long a browser session keeps it
#: (seconds since it was loaded), and the most bytes of glossary files all sessions may hold.
MAX_PAGE_GLOSSARY_BYTES = 1_000_000
PAGE_GLOSSARY_ENV = "TRANSLATE_PAGE_GLOSSARY_BYTES"
PAGE_GLOSSARY_KEPT_S = 4 * 3600
PAGE_GLOSSARIES_BYTES = 16_000_000  # a loaded glossary takes about 15 times its file in memory (benchmarks/shared_page.py)
PAGE_GLOSSARIES_ENV = "TRANSLATE_PAGE_GLOSSARIES_BYTES"


def max_body_bytes() -> int:
    return int(_positive(MAX_BODY_ENV, MAX_BODY_BYTES))


def upload_budget_bytes() -> int:
    return int(_positive(UPLOAD_BUDGET_ENV, UPLOAD_BUDGET_BYTES))


def upload_disk_bytes() -> int:
    return int(_positive(UPLOAD_DISK_ENV, UPLOAD_DISK_BYTES))


def page_glossary_bytes() -> int:
    return int(_positive(PAGE_GLOSSARY_ENV, MAX_PAGE_GLOSSARY_BYTES))


def page_glossaries_bytes() -> int:
    return int(_positive(PAGE_GLOSSARIES_ENV, PAGE_GLOSSARIES_BYTES))
