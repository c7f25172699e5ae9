"""The bilingual reader: a Gradio page over :class:`Translator`, Arabic and
English side by side, sentence by sentence.

``python app.py`` serves it on http://127.0.0.1:7860. :func:`build_app` makes the
page without serving it; :func:`serve` serves it with the safety settings (local
address, upload and queue limits, no monitoring endpoint). This is the only module
that imports Gradio: the CLI and the library never load it.

The page shares its translation cache with the CLI, and the model loads once per
process, on the first sentence that is not in the cache.
"""
from __future__ import annotations

import argparse
import hashlib
import ipaddress
import logging
import re
import shutil
import sys
import tempfile
import time
import weakref
from pathlib import Path
from typing import Iterator

import gradio as gr

from . import config
from .document import Document, check_text
from .errors import InputError, TranslateError
from .formats import asset, bilingual_view, pair_record, render
from .inputs import decode, has_visible_text, read_text
from .options import add_model_options, translator_from_args
from .outputs import output_path
from .pipeline import Translator

log = logging.getLogger("translate")

#: The sample articles offered in the page's list (the repository's seeds/).
SAMPLES_DIR = Path(__file__).resolve().parent.parent / "seeds"
DOWNLOAD_FORMATS = ("txt", "html", "jsonl")
Loaded = tuple[str, str]  # (file name, digest of the text loaded from it)
_DOWNLOADS_KEPT_S = 3600  # per-request download folders older than this are removed

EMPTY_VIEW = ('<div class="bilingual empty"><p>The translation appears here, the Arabic and the English '
              "side by side. Hover over a sentence to see its counterpart.</p></div>")

class Reader:
    """The page's handlers, apart from its layout, so tests can call them directly.

    Args:
        translator: the translator (and with it, the cache) the page uses.
        samples_dir: folder of sample ``.txt``/``.md`` articles offered in a list.
        max_chars: the longest text one request may translate.
    """

    def __init__(self, translator: Translator, *, samples_dir: str | Path | None = SAMPLES_DIR,
                 max_chars: int = config.MAX_PAGE_CHARS):
        self.translator = translator
        self.max_chars = max_chars
        folder = Path(samples_dir) if samples_dir else None
        self.samples: dict[str, Path] = {}
        if folder is not None and folder.is_dir():
            for path in sorted(folder.iterdir()):
                if path.is_file() and path.suffix.lower() in config.TEXT_SUFFIXES:
                    self.samples[path.name] = path
        # Downloads go to a private temporary folder, never next to the cache.
        self.downloads = Path(tempfile.mkdtemp(prefix="translate-reader-"))
        weakref.finalize(self, shutil.rmtree, self.downloads, ignore_errors=True)

    # -- inputs -------------------------------------------------------------------

    def check(self, text: str | None) -> str:
        """The text to translate, or a ``gr.Error`` saying why there is none."""
        if text is not None:
            with _user_errors():
                check_text(text, "The text")
        if text is None or not has_visible_text(text):
            raise _error("Nothing to translate: paste Arabic text, upload a .txt or .md file, "
                         "or pick a sample article.")
        if len(text) > self.max_chars:
            raise _error(f"The text has {len(text):,} characters, above the page's limit of "
                         f"{self.max_chars:,}. Translate it in parts, or translate the file with "
                         "the `translate` command, which has no such limit.")
        return text

    def load_sample(self, name: str | None) -> tuple[str, Loaded | None]:
        """The text of a sample article (by its file name), and what was loaded."""
        if not name:
            return "", None
        if name not in self.samples:
            raise _error(f"No sample article called {name!r}.")
        with _user_errors():
            text = read_text(self.samples[name]).replace("\r\n", "\n")
        return text, _loaded(name, text)

    def load_upload(self, path: str | None) -> tuple[str, Loaded | None]:
        """The text of an uploaded file (UTF-8 ``.txt``/``.md``), and what was loaded."""
        if not path:
            return "", None
        upload = Path(path)
        name = _safe_name(upload.name)
        if upload.suffix.lower() not in config.TEXT_SUFFIXES:
            raise _error(f"{name}: not a .txt or .md file; save the text as UTF-8 plain text first.")
        size = upload.stat().st_size
        if size > config.MAX_UPLOAD_BYTES:  # Gradio refuses these first; this guards direct callers
            raise _error(f"{name}: {size / 1e6:.1f} MB is above the {config.MAX_UPLOAD_BYTES / 1e6:.1f} MB "
                         "upload limit; translate it with the `translate` command.")
        with _user_errors():
            text = _decode_upload(upload.read_bytes(), name).replace("\r\n", "\n")  # as the text box will hold it
        self.check(text)
        return text, _loaded(name, text)

    # -- translation --------------------------------------------------------------

    def stream(self, text: str | None, name: str | None = None) -> Iterator[tuple[Document, str]]:
        """Yield (partial document, status HTML): cached sentences first, then one
        step per model batch; the last one is complete.

        Raises:
            gr.Error: empty or over-long input, or a translation error (what was
                already shown stays on the page and in the cache).
        """
        text = self.check(text)
        started = time.perf_counter()
        with _user_errors():
            for document in self.translator.translate_stream(text, name=name):
                if document.done:
                    yield document, _final_status(document, time.perf_counter() - started)
                    return
                loading = not self.translator.engine_loaded
                yield document, _progress_status(document, loading)

    def translate_page(self, text: str | None, loaded: Loaded | None = None):
        """The Translate button: yields (view HTML, status HTML, 3 downloads).

        ``loaded`` names the file or sample last put in the text box; the downloads
        take its name while the text is still the one loaded.
        """
        hidden = [gr.DownloadButton(visible=False)] * len(DOWNLOAD_FORMATS)
        name = loaded[0] if loaded and text is not None and _loaded(loaded[0], text) == tuple(loaded) else None
        for document, status in self.stream(text, name):
            if not document.done:
                yield bilingual_view(document), status, *hidden
                continue
            files = self.write_downloads(document)
            yield bilingual_view(document), status, *(
                gr.DownloadButton(value=str(path), visible=True) for path in files
            )

    def translate(self, text: str | None) -> dict:
        """The API endpoint: the whole translation as plain data (no HTML)."""
        for document, _ in self.stream(text):
            pass
        return {
            "sentences": len(document.sentences),
            "cached": document.cached_count,
            "seconds": round(document.seconds, 3),
            "english": document.translation_text(),
            # The same records as the .jsonl download, one per sentence pair.
            "pairs": [pair_record(document, pair) for pair in document.sentences],
        }

    def write_downloads(self, document: Document) -> list[Path]:
        """The .txt, .html and .jsonl files, in a fresh folder of their own."""
        self._remove_old_downloads()
        folder = Path(tempfile.mkdtemp(dir=self.downloads))
        relative = Path(_safe_name(document.name or "translation.txt"))
        paths = []
        for fmt in DOWNLOAD_FORMATS:
            path = output_path(relative, folder, fmt)
            path.write_text(render(document, fmt), encoding="utf-8")
            paths.append(path)
        return paths

    def _remove_old_downloads(self) -> None:
        # Gradio copies returned files into its own cache, so old folders can go.
        limit = time.time() - _DOWNLOADS_KEPT_S
        for folder in self.downloads.iterdir():
            if folder.stat().st_mtime < limit:
                shutil.rmtree(folder, ignore_errors=True)


class _user_errors:
    """Turns the library's errors (whose messages say what to do) into ``gr.Error``."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        if isinstance(error, TranslateError):
            raise _error(str(error)) from None
        if isinstance(error, Exception) and not isinstance(error, gr.Error):
            log.error("reader: unexpected error", exc_info=(kind, error, traceback))
            raise _error(f"Unexpected error ({type(error).__name__}: {error}); the server log has "
                         "the details.") from None
        return False


def _decode_upload(data: bytes, name: str) -> str:
    """An upload's text. The page has no encoding option, so a file recognised as
    another encoding (old Windows Arabic) is simply read in it."""
    try:
        return decode(data, name)
    except InputError as error:
        if error.reason == "wrong-encoding" and error.details.get("encoding"):
            return decode(data, name, error.details["encoding"])
        raise


def _loaded(name: str, text: str) -> Loaded:
    return name, hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def _error(message: str) -> gr.Error:
    """A message for the page; no traceback in the server log (it is the user's to fix)."""
    return gr.Error(message, print_exception=False)


def _safe_name(name: str) -> str:
    """A file name fit for a download (no folders, no odd characters)."""
    cleaned = re.sub(r"[^\w.\-]+", "-", Path(name).name).strip(".-")
    return cleaned or "translation.txt"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _final_status(document: Document, seconds: float) -> str:
    return (f'<div class="reader-status done" role="status">{_plural(len(document.sentences), "sentence")}, '
            f"{document.cached_count:,} from cache, {seconds:.1f} s</div>")


def _progress_status(document: Document, loading: bool) -> str:
    total = len(document.sentences)
    done = document.done_count
    what = ("Loading the model (first use in this session)…" if loading
            else f"Translating… {done:,} of {_plural(total, 'sentence')}")
    return (f'<div class="reader-status busy" role="status"><progress max="{total}" value="{done}">'
            f"{done} / {total}</progress><span>{what}</span></div>")


def build_app(translator: Translator, *, samples_dir: str | Path | None = SAMPLES_DIR,
              max_chars: int = config.MAX_PAGE_CHARS) -> gr.Blocks:
    """The reader page (not launched). Its API endpoints:

    - ``/translate`` (text → dict): counts, the English text, and the sentence pairs
      as plain data;
    - ``/translate_page`` (undocumented): what the Translate button streams, the
      escaped bilingual HTML, the status line and the three downloads.
    """
    reader = Reader(translator, samples_dir=samples_dir, max_chars=max_chars)
    # Several translations run at once, taking turns at the model batch by batch
    # (Translator's fair lock), so a short text never waits for a long one to end.
    queue = dict(concurrency_limit=config.PAGE_WORKERS, concurrency_id="model")
    with gr.Blocks(title="Arabic → English reader", analytics_enabled=False,
                   delete_cache=(_DOWNLOADS_KEPT_S, _DOWNLOADS_KEPT_S)) as app:
        app.reader = reader  # for tests and embedding
        loaded = gr.State(None)  # the sample or upload in the text box: names the downloads
        gr.HTML('<div class="reader-title"><h1>Arabic → English reader</h1>'
                "<p>Paste Arabic text, upload a .txt or .md file, or pick a sample article; the translation "
                "appears sentence by sentence beside the original.</p></div>", js_on_load=None)
        with gr.Row(equal_height=False):
            with gr.Column(scale=3):
                text = gr.Textbox(label="Arabic text", lines=5, max_lines=10, rtl=True, elem_id="source",
                                  placeholder="الصق النص العربي هنا", autoscroll=False)
            with gr.Column(scale=1, min_width=240):
                sample = gr.Dropdown(choices=list(reader.samples), value=None, label="Sample article",
                                     visible=bool(reader.samples), elem_id="sample")
                upload = gr.UploadButton("Upload a .txt or .md file", file_types=list(config.TEXT_SUFFIXES),
                                         type="filepath", size="md", elem_id="upload")
                button = gr.Button("Translate", variant="primary", elem_id="translate")
        with gr.Row(equal_height=False):
            status = gr.HTML('<div class="reader-status"></div>', elem_id="status", js_on_load=None)
            downloads = [
                gr.DownloadButton(label, visible=False, size="sm", scale=0, min_width=150, elem_id=f"download-{fmt}")
                for fmt, label in zip(DOWNLOAD_FORMATS, ("English .txt", "Bilingual .html", "Pairs .jsonl"))
            ]
        view = gr.HTML(EMPTY_VIEW, elem_id="reader", js_on_load=None, apply_default_css=False,
                       head=f"<style>{asset('bilingual.css')}{asset('reader.css')}</style>"
                            f"<script>{asset('bilingual.js')}</script>")

        sample.input(reader.load_sample, sample, [text, loaded], api_name="load_sample",
                     api_visibility="undocumented")
        upload.upload(reader.load_upload, upload, [text, loaded], api_name="load_file",
                      api_visibility="undocumented")
        button.click(reader.translate_page, [text, loaded], [view, status, *downloads], api_name="translate_page",
                     api_visibility="undocumented", show_progress="minimal", show_progress_on=status, **queue)

        def translate(text: str) -> dict:
            """Translate Arabic text. Returns {"sentences", "cached", "seconds", "english", "pairs"}; each
            pair has index, paragraph, source, translation, score, cached and flags."""
            return reader.translate(text)

        gr.api(translate, api_name="translate", **queue)
    return app


def serve(translator: Translator, *, host: str = config.DEFAULT_HOST, port: int | None = config.DEFAULT_PORT,
          share: bool = False, prevent_thread_lock: bool = False, quiet: bool = False,
          samples_dir: str | Path | None = SAMPLES_DIR,
          queue_size: int = config.QUEUE_MAX_SIZE) -> tuple[gr.Blocks, str]:
    """Build the page and serve it with the safety settings; returns (app, local URL).

    The queue is bounded, uploads are capped, the monitoring endpoint is off, and
    the translation cache is a blocked path (no handler may ever serve a file from it).
    """
    app = build_app(translator, samples_dir=samples_dir)
    app.queue(max_size=queue_size, default_concurrency_limit=1)
    _, url, _ = app.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=prevent_thread_lock, quiet=quiet,
        max_file_size=config.MAX_UPLOAD_BYTES, enable_monitoring=False, blocked_paths=[str(translator.cache.folder)] if translator.cache else None,
        ssr_mode=False, mcp_server=False, pwa=False, footer_links=["api"],
        theme=gr.themes.Default(font=["system-ui", "Segoe UI", "Roboto", "sans-serif"],
                                font_mono=["ui-monospace", "monospace"]),
    )
    return app, url


def is_local(host: str) -> bool:
    """True when ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port(text: str) -> int:
    """An argparse type: a TCP port number."""
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (1-65535)")
    return port


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="The bilingual reader: Arabic and English side by side, in the browser. "
                    "`python app.py --batch FILE...` runs the batch translator instead.",
    )
    parser.add_argument("--host", default=config.DEFAULT_HOST,
                        help="address to listen on (default: %(default)s, this machine only)")
    parser.add_argument("--port", type=_port, default=config.DEFAULT_PORT, help="port, 1-65535 (default: %(default)s)")
    parser.add_argument("--share", action="store_true",
                        help="also publish a public gradio.live link (off by default)")
    parser.add_argument("--samples", default=str(SAMPLES_DIR), metavar="DIR",
                        help="folder of sample .txt/.md articles to offer (default: the repository's seeds/)")
    add_model_options(parser)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Serve the reader until interrupted; returns the exit code."""
    args = build_parser().parse_args(argv)
    if not is_local(args.host):
        print(f"warning: --host {args.host} lets other machines reach the reader; it has no login, "
              "so do this only on a network you trust", file=sys.stderr)
    if args.share:
        print("warning: --share publishes the reader on a public gradio.live address", file=sys.stderr)
    try:
        translator = translator_from_args(args)
        cache = translator.cache.folder if translator.cache else "off"
        print(f"reader: model {translator.model_name}, cache folder {cache}; the model loads on the "
              "first sentence that is not in the cache", file=sys.stderr)
        app, url = serve(translator, host=args.host, port=args.port, share=args.share, samples_dir=args.samples,
                         prevent_thread_lock=True, quiet=True)
        print(f"reader: open {url} (Ctrl+C stops it)", file=sys.stderr)
        if app.share_url:
            print(f"reader: public link {app.share_url}", file=sys.stderr)
        app.block_thread()
    except TranslateError as error:
        print(f"translate: error: {error}", file=sys.stderr)
        return error.exit_code
    except OSError as error:  # typically: the port is taken
        print(f"translate: error: cannot serve on {args.host}:{args.port}: {error}; "
              "pass another --port", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    return 0
