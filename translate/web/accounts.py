"""Who is reading: the signed-in user of a shared reader, or nobody in particular.

Without accounts (the single-user reader on this machine) every request is the
page owner's, :data:`NOBODY` (``""``), and what is kept is kept as it always was.
With ``python app.py --users FILE`` Gradio's own sign-in names the user of each
request; with ``--trust-user-header NAME`` a reverse proxy in front of the page
names them in that header (the proxy must set it on every request and strip it
from the client's). Everything per user (memory, glossary, library, downloads) is
looked up by :meth:`Accounts.user`.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import InputError, UsageError
from ..store.users import UserStore, check_name

#: The user of a reader without accounts.
NOBODY = ""


@dataclass(frozen=True)
class Accounts:
    """How the page knows who is reading.

    Attributes:
        users: the accounts file (``--users``); None: no sign-in.
        user_header: the reverse proxy's header that names the user (``--trust-user-header``).
    """

    users: UserStore | None = None
    user_header: str | None = None

    @property
    def on(self) -> bool:
        """True when requests belong to named users."""
        return self.users is not None or bool(self.user_header)

    def user(self, request: Any) -> str:
        """The name of the user who sent ``request`` (a ``gr.Request``), :data:`NOBODY`
        without accounts.

        Raises:
            InputError: accounts are on and the request names nobody valid (Gradio's
                sign-in and the proxy both stand before every handler, so this is a
                request that got round them).
        """
        if not self.on:
            return NOBODY
        name = None
        if self.user_header and request is not None:
            name = (request.headers or {}).get(self.user_header.lower())
        if name is None and request is not None:
            name = getattr(request, "username", None)
        if not name:
            raise InputError("Sign in to use this reader: open its page and sign in with your name and password.",
                             reason="page")
        try:
            return check_name(name)
        except UsageError:
            raise InputError("Sign in to use this reader: the name this request came with is not a user's name.",
                             reason="page") from None
