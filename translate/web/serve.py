"""Starting the reader: :func:`serve` (the page with its safety settings), the theme,
and ``python app.py``'s options (:func:`main`)."""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

import gradio as gr

from .. import config
from ..errors import TranslateError, crash_report
from ..options import add_model_options, library_from_args, port_number, translator_from_args
from ..pipeline import Translator
from ..store.library import Library
from ..store.users import UserStore
from .layout import build_app
from .libretranslate import LibreTranslateAPI
from .libretranslate import add_options as add_api_options
from .service import SAMPLES_DIR


def serve(translator: Translator, *, host: str = config.DEFAULT_HOST, port: int | None = config.DEFAULT_PORT,
          share: bool = False, prevent_thread_lock: bool = False, quiet: bool = False,
          samples_dir: str | Path | None = SAMPLES_DIR,
          queue_size: int = config.QUEUE_MAX_SIZE, max_chars: int = config.MAX_PAGE_CHARS,
          allow_private_urls: bool = False, api: LibreTranslateAPI | None = None,
          library: Library | bool | None = True) -> tuple[gr.Blocks, str]:
    """Build the page and serve it with the safety settings; returns (app, local URL).

    LibreTranslate's API is served beside the page (``api``; default: keys not required,
    no rate limit, the page's character limit; :mod:`translate.web.libretranslate`).
    What the page translates is recorded in ``library`` (True: the translator's cache
    folder's; None: nowhere), which its Library view lists, searches and reopens.

    The queue is bounded, uploads are capped (at the readers' input limit), the
    monitoring endpoint is off, the address box fetches only public addresses unless
    ``allow_private_urls``, and the translation cache is a blocked path (no handler
    may ever serve a file from it; downloads are written to a temporary folder).
    """
    app = build_app(translator, samples_dir=samples_dir, max_chars=max_chars, allow_private_urls=allow_private_urls,
                    library=library)
    app.queue(max_size=queue_size, default_concurrency_limit=1)
    _, url, _ = app.launch(
        server_name=host, server_port=port, share=share, prevent_thread_lock=prevent_thread_lock, quiet=quiet,
        max_file_size=app.reader.max_upload, enable_monitoring=False,
        blocked_paths=[str(translator.cache.folder)] if translator.cache else None,
        ssr_mode=False, mcp_server=False, pwa=False, footer_links=["api"],
        theme=reader_theme(),
    )
    (api or LibreTranslateAPI(lambda user: translator, char_limit=max_chars)).mount(app.app)
    return app, url


def reader_theme() -> gr.themes.Base:
    """Gradio's default theme with system fonts and colours that pass WCAG AA
    contrast (4.5:1 for text) in the light and the dark scheme."""
    return gr.themes.Default(
        primary_hue=gr.themes.colors.orange, font=["system-ui", "Segoe UI", "Roboto", "sans-serif"],
        font_mono=["ui-monospace", "monospace"],
    ).set(
        button_primary_background_fill="#b43c08", button_primary_background_fill_hover="#9a3412",
        button_primary_background_fill_dark="#b43c08", button_primary_background_fill_hover_dark="#9a3412",
        button_primary_text_color="#ffffff", button_primary_text_color_dark="#ffffff",
        block_label_text_color="#3f3f46", block_label_text_color_dark="#d4d4d8",
        block_info_text_color="#52525b", block_info_text_color_dark="#c4c4cc",
        body_text_color_subdued="#52525b", body_text_color_subdued_dark="#c4c4cc",
        link_text_color="#1d4ed8", link_text_color_dark="#93c5fd",
    )


def is_local(host: str) -> bool:
    """True when ``host`` is reachable only from this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python app.py",
        description="The bilingual reader: Arabic and English side by side, in the browser. "
                    "`python app.py --batch FILE...` runs the batch translator instead.",
    )
    parser.add_argument("--host", default=config.DEFAULT_HOST,
                        help="address to listen on (default: %(default)s, this machine only)")
    # GRADIO_SERVER_PORT is Gradio's own setting; honour it as the default.
    parser.add_argument("--port", type=port_number, default=os.environ.get("GRADIO_SERVER_PORT", config.DEFAULT_PORT),
                        help=f"port, 1-65535 (default: $GRADIO_SERVER_PORT or {config.DEFAULT_PORT})")
    parser.add_argument("--share", action="store_true",
                        help="also publish a public gradio.live link (off by default)")
    parser.add_argument("--samples", default=str(SAMPLES_DIR), metavar="DIR",
                        help="folder of sample .txt/.md articles to offer (default: the repository's seeds/)")
    parser.add_argument("--allow-private-urls", action="store_true",
                        help="let the page's address box fetch loopback and private-network addresses (off by "
                             "default: an address typed into the page must not reach this machine's own network)")
    add_model_options(parser)
    add_api_options(parser)
    return parser


def _page_library(args: argparse.Namespace, translator: Translator) -> Library | None:
    """The CLI's library (:func:`library_from_args`), if the page keeps a cache folder."""
    return library_from_args(args) if translator.cache is not None else None


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
        keys = UserStore(args.api_keys_file) if args.api_keys_file else None
        api = LibreTranslateAPI(lambda user: translator, keys=keys, req_limit=args.req_limit,
                                char_limit=args.char_limit)
        app, url = serve(translator, host=args.host, port=args.port, share=args.share, samples_dir=args.samples,
                         prevent_thread_lock=True, quiet=True, allow_private_urls=args.allow_private_urls, api=api,
                         library=_page_library(args, translator))
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
    except Exception as error:  # never a traceback: one line, the traceback in a file
        print(f"translate: error: {crash_report(error, 'starting the reader')}", file=sys.stderr)
        return 1
    return 0
