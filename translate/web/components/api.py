"""The endpoints for scripts (``gradio_client``; the README shows them). Their names
and parameters are the page's API, kept from one version to the next.

Most are ``gr.api`` functions. The three that put something into the browser session
for a later ``/translate_page`` (``/load_file``, ``/load_url``, ``/load_glossary``)
must write its state, which ``gr.api`` cannot: they are events of the visible
controls' own values with no trigger (``gr.on([])``), which only a script fires.
"""
from __future__ import annotations

import gradio as gr

from ... import config
from ..service import PAGE_ALTERNATIVES, Loaded
from ..view import glossary_note
from . import Page, for_scripts


def render(page: Page) -> None:
    """The endpoints draw nothing."""


def listen(page: Page) -> None:
    service = page.service
    # Whole translations take turns at the model (the translator's fair lock).
    queue = {"concurrency_limit": config.PAGE_WORKERS, "concurrency_id": "model"}
    # The details' model calls: their own queue, never behind whole translations.
    turns = {"concurrency_limit": config.PAGE_WORKERS, "concurrency_id": "interactive"}

    def translate(text: str, request: gr.Request) -> dict:
        """Translate Arabic text. Returns {"sentences", "cached", "seconds", "english", "pairs"}; each
        pair has index, paragraph, source, translation, score, cached, flags, alignment (word links
        [source word, English word], words split at whitespace) and origin ("yours" for your own)."""
        return service.translate(text, user=page.user(request))

    def load_sample(name: str) -> str:
        """The text of a sample article, by its file name."""
        return service.load_sample(name).text

    def alternatives(sentence: str, n: int = PAGE_ALTERNATIVES) -> list[dict]:
        """The model's n best translations of one Arabic sentence (1-16), best first: [{text, score}]."""
        return service.alternatives(sentence, n)

    def complete(sentence: str, prefix: str) -> dict:
        """The translation of one Arabic sentence that starts with the given English beginning
        (kept exactly), finished by the model: {text, score}."""
        return service.complete(sentence, prefix)

    def word_alternatives(sentence: str, prefix: str, n: int = PAGE_ALTERNATIVES) -> list[str]:
        """The model's choices for the English word after the given beginning, likeliest first."""
        return service.word_alternatives(sentence, prefix, n)

    def remember(sentence: str, translation: str, replaced: str | None = None, request: gr.Request = None) -> dict:
        """Save your English for one Arabic sentence in your translation memory: it is used wherever the
        sentence comes again, marked "yours". Returns {source, translation, replaced, origin}."""
        return service.remember(sentence, translation, replaced, user=page.user(request))

    def forget(sentence: str, request: gr.Request = None) -> dict:
        """Forget your English for one Arabic sentence; returns the model's translation as a pair record,
        and whether there was one to forget ("forgotten")."""
        return service.forget(sentence, user=page.user(request))

    def remember_team(sentence: str, translation: str, replaced: str | None = None,
                      request: gr.Request = None) -> dict:
        """For an editor of the team memory (--team-memory): save the team's English for one Arabic
        sentence, used for everyone after their own, marked "team". Returns {source, translation,
        replaced, origin}."""
        return service.remember(sentence, translation, replaced, user=page.user(request), team=True)

    def forget_team(sentence: str, request: gr.Request = None) -> dict:
        """For an editor of the team memory: forget the team's English for one Arabic sentence; returns
        the model's translation as a pair record, and whether there was one ("forgotten")."""
        return service.forget(sentence, user=page.user(request), team=True)

    gr.api(for_scripts(translate), api_name="translate", **queue)
    gr.api(for_scripts(load_sample), api_name="load_sample", api_visibility="undocumented")
    for endpoint in (alternatives, complete, word_alternatives, remember, forget, remember_team, forget_team):
        gr.api(for_scripts(endpoint), api_name=endpoint.__name__, **turns)

    def loaded(load):
        def put_in_session(value) -> tuple[str, Loaded]:
            found = load(value)
            return found.text, found
        return for_scripts(put_in_session)

    script = {"api_visibility": "undocumented", "show_progress": "hidden"}
    gr.on([], loaded(service.load_upload), page["upload"], [page["text"], page.loaded], api_name="load_file",
          concurrency_limit=config.PAGE_WORKERS, **script)
    gr.on([], loaded(service.load_url), page["address"], [page["text"], page.loaded], api_name="load_url",
          concurrency_limit=config.PAGE_FETCHES, **script)

    def load_glossary(path) -> tuple:
        found = service.load_glossary(path)
        return found, glossary_note(found)

    gr.on([], for_scripts(load_glossary), page["glossary_button"], [page.glossary, page["glossary_note"]],
          api_name="load_glossary", **script)
