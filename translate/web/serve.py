"""Starting the reader: :func:`serve` (the page with its safety settings), the theme,
and ``python app.py``'s options (:func:`main`)."""
from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from pathlib import Path

import gradio as gr
from starlette.middleware import Middleware

from .. import config
from ..errors import TranslateError, UsageError, crash_report
from ..options import add_model_options, library_from_args, port_number, translator_from_args
from ..pipeline import Translator
from ..store.library import Library
from ..store.memory import TranslationMemory
from ..store.users import UserStore
from .accounts import NOBODY, Accounts
from .guard import Guard, HostRule
from .layout import build_app
from .libretranslate import LibreTranslateAPI
from .libretranslate import add_options as add_api_options
from .service import SAMPLES_DIR


def serve(translator: Translator, *, host: str = config.DEFAULT_HOST, port: int | None = config.DEFAULT_PORT,
          share: bool = False, prevent_thread_lock: bool = False, quiet: bool = False,
          samples_dir: str | Path | None = SAMPLES_DIR,
          queue_size: int = config.QUEUE_MAX_SIZE, max_chars: int = config.MAX_PAGE_CHARS,
          allow_private_urls: bool = False, api: LibreTranslateAPI | None | bool = None,
          accounts: Accounts | None = None, team_memory: TranslationMemory | None = None,
          allowed_hosts: tuple[str, ...] = (), library: Library | bool | None = True) -> tuple[gr.Blocks, str]:
    """Build the page and serve it with the safety settings; returns (app, local URL).

    With ``accounts.users`` every browser signs in (Gradio's own ``auth``) and each
    user's memory, glossary, library and downloads are theirs; ``accounts.user_header``
    trusts a reverse proxy to name the user instead. :class:`~translate.web.guard.Guard`
    stands before every handler: only the page's own host names (and
    ``allowed_hosts``) are answered, calls that change something come only from the
    page itself, and bodies and uploads are bounded.

    LibreTranslate's API is served beside the page (``api``; False: not served; default: keys
    required from ``accounts.users`` when there are accounts, not served behind a trusted
    header without them (its users have no keys here), else keys not required,
    no rate limit, the page's character limit; :mod:`translate.web.libretranslate`).
    What the page translates is recorded in ``library`` (True: the translator's cache
    folder's; None: nowhere), which its Library view lists, searches and reopens.

    The queue is bounded, uploads are capped (at the readers' input limit), the
    monitoring endpoint is off, the address box fetches only public addresses unless
    ``allow_private_urls``, and the translation cache is a blocked path (no handler
    may ever serve a file from it; downloads are written to a temporary folder).
    """
    accounts = accounts or Accounts()
    app = build_app(translator, samples_dir=samples_dir, max_chars=max_chars, allow_private_urls=allow_private_urls,
                    accounts=accounts, team_memory=team_memory, library=library)
    app.queue(max_size=queue_size, default_concurrency_limit=1)
    guard = Middleware(Guard, hosts=HostRule(host, allowed_hosts), max_upload=app.reader.max_upload,
                       downloads=app.reader_page.downloads, accounts=accounts,
                       upload_folder=lambda: Path(app.GRADIO_CACHE))
    auth = accounts.users.check if accounts.users is not None and not accounts.user_header else None
    _, url, _ = app.launch(
        auth=auth, auth_message="Sign in with the name and password the reader's owner gave you.",
        app_kwargs={"middleware": [guard]},
        server_name=host, server_port=port, share=share, prevent_thread_lock=prevent_thread_lock, quiet=quiet,
        max_file_size=app.reader.max_upload, enable_monitoring=False,
        blocked_paths=[str(translator.cache.folder)] if translator.cache else None,
        # Every handler words its own failures (gr.Error); this shows Gradio's own
        # refusals too (a file that was never uploaded) instead of an empty error.
        show_error=True,
        ssr_mode=False, mcp_server=False, pwa=False, footer_links=["api"],
        theme=reader_theme(),
    )
    if api is None and (accounts.users is not None or not accounts.on):
        api = LibreTranslateAPI(None, keys=accounts.users, char_limit=max_chars)
    if api:
        # The API's users (by their keys) translate with their own memory, as on the page.
        if api.translator_for is None:
            api.translator_for = lambda user: app.reader.translator_for(user=user or NOBODY)
        api.mount(app.app)
    # Gradio adds its CORS middleware around the app's own; the guard goes outermost, so a
    # request it refuses is answered by it alone (no CORS header on a refusal).
    middleware = app.app.user_middleware
    middleware.insert(0, middleware.pop(middleware.index(guard)))
    app.app.middleware_stack = None  # Starlette builds the stack again on the next request
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


def accounts_from_args(args: argparse.Namespace) -> Accounts:
    """Who may use the reader, from ``python app.py``'s options; warns of what is open to others.

    Raises:
        UsageError: other machines (``--host`` not loopback, or ``--share``) could reach a
            reader without sign-in, and ``--no-auth`` does not say that is meant.
    """
    if args.users and not Path(args.users).is_file():
        raise UsageError(f"there is no accounts file {args.users}: make it with `translate users add NAME "
                         f"--users {args.users}`", reason="no-users-file")
    if args.team_memory and not args.users and not args.trust_user_header:
        raise UsageError("--team-memory needs --users (its editors are the accounts marked --editor)",
                         reason="team-memory-without-users")
    accounts = Accounts(UserStore(args.users) if args.users else None, args.trust_user_header or None)
    open_to_others = not is_local(args.host) or args.share
    if open_to_others and not accounts.on:
        if not args.no_auth:
            where = "a public gradio.live link" if args.share else f"--host {args.host}"
            raise UsageError(f"{where} lets other machines reach the reader, and it has no sign-in: pass "
                             "--users FILE (see `translate users add`), or --no-auth if everyone who can reach "
                             "it may share one memory and library", reason="open-without-auth")
        print(f"warning: --no-auth: anyone who can reach {args.host}:{args.port} uses this reader, its memory and "
              "its library, with no sign-in", file=sys.stderr)
    if args.trust_user_header:
        print(f"warning: --trust-user-header {args.trust_user_header}: whoever sets that header is that user; "
              "let nothing but your proxy reach the reader", file=sys.stderr)
    if args.share:
        print("warning: --share publishes the reader on a public gradio.live address", file=sys.stderr)
    return accounts


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
    team = parser.add_argument_group("sharing the reader (see the README's 'Running the reader for others')")
    team.add_argument("--users", metavar="FILE",
                      help="ask every browser to sign in with an account of FILE (made with `translate users add`); "
                           "each user's memory, glossary, library and downloads are their own")
    team.add_argument("--trust-user-header", metavar="HEADER",
                      help="take the user's name from this header, set by a reverse proxy that signs users in "
                           "(for example X-Forwarded-User). Only safe when nothing but that proxy can reach "
                           "the reader, and it strips the header from what clients send")
    team.add_argument("--team-memory", metavar="FILE",
                      help="a translation memory everyone's translations come from after their own; only the "
                           "editors of --users (`translate users add --editor`) write it")
    team.add_argument("--allowed-hosts", metavar="NAMES", default="",
                      help="more host names the page answers to, comma separated (default: its addresses and "
                           "localhost; a name a browser uses through a proxy must be listed)")
    team.add_argument("--no-auth", action="store_true",
                      help="serve other machines without sign-in (with a --host that is not loopback): anyone who "
                           "reaches the port uses one memory and library")
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
    try:
        accounts = accounts_from_args(args)
        translator = translator_from_args(args)
        cache = translator.cache.folder if translator.cache else "off"
        print(f"reader: model {translator.model_name}, cache folder {cache}; the model loads on the "
              "first sentence that is not in the cache", file=sys.stderr)
        # With accounts, the API takes keys of the same accounts: it never bypasses the sign-in.
        keys_file = args.api_keys_file or args.users
        keys = UserStore(keys_file) if keys_file else None
        api = False
        if keys is not None or not accounts.on:
            api = LibreTranslateAPI(None, keys=keys, req_limit=args.req_limit, char_limit=args.char_limit)
        else:
            print("reader: the LibreTranslate API is off: behind --trust-user-header it needs --api-keys-file",
                  file=sys.stderr)
        team_memory = TranslationMemory.at(args.team_memory) if args.team_memory else None
        app, url = serve(translator, host=args.host, port=args.port, share=args.share, samples_dir=args.samples,
                         prevent_thread_lock=True, quiet=True, allow_private_urls=args.allow_private_urls, api=api,
                         accounts=accounts, team_memory=team_memory, library=_page_library(args, translator),
                         allowed_hosts=tuple(name.strip() for name in args.allowed_hosts.split(",") if name.strip()))
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
