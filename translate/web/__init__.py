"""The bilingual reader page (``python app.py``): a Gradio page over
:class:`~translate.Translator`.

- :mod:`.service`: the page's handlers as plain Python (documents in, data out,
  the library's errors raised), usable and testable without Gradio;
- :mod:`.validate`: what the page's API accepts;
- :mod:`.messages`: the page's words for what went wrong;
- :mod:`.view`: the data the browser renders, the status line and the notes;
- :mod:`.components`: one part of the page each, which ``render()`` s itself and
  ``listen()`` s to its events; :mod:`.layout` composes them;
- :mod:`.serve`: start-up, the theme and the command-line options.

The browser side is ``static/``: ES modules that read their element ids, word
pattern and wording from the settings Python sends (:mod:`.settings`).
Only the components, the layout and serve import Gradio.
"""
