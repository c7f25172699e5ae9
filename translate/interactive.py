"""Alternatives and interactive correction: the model's other translations of a
sentence, a translation finished from a beginning the reader typed, and the
choices for the next word.

The functions here take a loaded engine (:class:`translate.engines.base.Engine`);
:class:`translate.pipeline.translator.Translator` offers them as ``alternatives``,
``complete`` and ``word_alternatives``. A beginning is English text: it is cut
into the model's target pieces, the model is made to start with them, and its
continuation is glued back onto the text exactly as typed, so a completion
always starts with the reader's own characters.

>>> translator.complete("قصف روسي على حلب", "Russian shel")      # doctest: +SKIP
Alternative(text='Russian shelling of Aleppo', score=-0.41)
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from .engines.base import Engine, GenerationSettings
from .errors import InputError, UsageError
from .text import arabic
from .text.document import check_text

log = logging.getLogger("translate")

#: More alternatives than this are not asked of the model (beam search grows with them).
MAX_ALTERNATIVES = 16
#: How many pieces are looked at to find the one that finishes a half-typed word.
_WORD_CANDIDATES = 16


@dataclass(frozen=True)
class Alternative:
    """One translation of a sentence.

    Attributes:
        text: the English.
        score: the model's mean log-probability per token (≤ 0; higher is likelier).
    """

    text: str
    score: float | None


def alternatives(engine: Engine, sentence: str, settings: GenerationSettings, n: int = 5) -> list[Alternative]:
    """The model's ``n`` best translations of ``sentence``: distinct texts, best first.

    Fewer come back when the model has fewer different ones (texts that differ
    only in their pieces count once).

    Raises:
        InputError: not one translatable sentence (empty, no Arabic, too long).
        UsageError: ``n`` below 1.
    """
    n = _check_count(n)
    check_sentence(engine, sentence)
    seen: dict[str, Alternative] = {}
    # Asking for a few more than n leaves room for texts that repeat.
    for hypothesis in engine.n_best(sentence, settings, min(MAX_ALTERNATIVES, 2 * n)):
        text = hypothesis.text.strip()
        if text and text not in seen:
            seen[text] = Alternative(text, hypothesis.score)
    return sorted(seen.values(), key=_rank)[:n]


def complete(engine: Engine, sentence: str, prefix: str, settings: GenerationSettings) -> Alternative:
    """The translation of ``sentence`` that starts with ``prefix``, finished by the model.

    The result's text always starts with ``prefix`` exactly as given. A prefix
    that ends inside a word (``"Russian shel"``) has that word finished by the
    likeliest piece of the model that fits it (``"shelling"``); when none fits,
    the word is kept as typed and the model carries on after it. End the prefix
    with a space to have its last word taken as it stands.

    Raises:
        InputError: not one translatable sentence, a prefix that is not text, or
            one longer than the model can write.
    """
    check_sentence(engine, sentence)
    head = _check_prefix(engine, prefix, settings)
    done, partial = split_partial_word(head)
    if partial:
        word = _finish_word(engine, sentence, done, partial, settings)
        if word is not None:
            head = done + word  # the half-typed word, as the model would finish it
    pieces = engine.target_pieces(head) if head.strip() else []
    best = engine.continue_prefix(sentence, pieces, settings, 1)[0]
    return Alternative(glue(head, best.text), best.score)


def word_alternatives(engine: Engine, sentence: str, prefix: str, settings: GenerationSettings,
                      n: int = 5) -> list[str]:
    """The choices for the word after ``prefix``, likeliest first: whole words,
    distinct, each a word the model would write there.

    ``prefix`` is taken as whole words (a last word without a space after it is
    complete too). Fewer than ``n`` come back when the model's likeliest pieces
    there carry on the prefix's last word rather than start a new one.

    Raises:
        InputError: not one translatable sentence, or a prefix the model cannot take.
        UsageError: ``n`` below 1.
    """
    n = _check_count(n)
    check_sentence(engine, sentence)
    head = _check_prefix(engine, prefix, settings).rstrip()
    pieces = engine.target_pieces(head) if head else []
    words: list[str] = []
    for continuation in engine.continue_prefix(sentence, pieces, settings, min(MAX_ALTERNATIVES, 3 * n)):
        if head and not continuation.text.startswith(" "):
            continue  # it carries on the last word of the prefix: not a next word
        word = next(iter(continuation.text.split()), "")
        if word and word not in words:
            words.append(word)
    return words[:n]


# -- checks and text -------------------------------------------------------------------


def check_sentence(engine: Engine, sentence: str) -> None:
    """Refuse what cannot be translated as one sentence.

    Raises:
        InputError: not text, empty, without an Arabic word, or more pieces than
            the model takes in one sentence.
    """
    check_text(sentence, "sentence")
    if not sentence.strip():
        raise InputError("the sentence is empty; give one Arabic sentence", reason="empty")
    if not arabic.has_word(sentence):
        raise InputError("the sentence has no Arabic word; alternatives and completions are for Arabic "
                         "sentences (other text is passed through as it is)", reason="not-arabic")
    count = engine.count_tokens([sentence])[0]
    limit = engine.limits.max_source_pieces
    if count > limit:
        raise InputError(f"the sentence has {count} pieces, above the {limit} the model takes at once; "
                         "ask for one sentence at a time, or a shorter part of it",
                         reason="sentence-too-long-for-model")


def split_partial_word(prefix: str) -> tuple[str, str]:
    """``"The Russian ar"`` → ``("The Russian ", "ar")``: the prefix up to its last
    word, and that word when nothing follows it (``""`` after a space)."""
    index = len(prefix)
    while index > 0 and not prefix[index - 1].isspace():
        index -= 1
    return prefix[:index], prefix[index:]


def glue(head: str, continuation: str) -> str:
    """``head`` followed by a continuation (:attr:`Continuation.text`): a new
    word after a space, or the rest of ``head``'s last word."""
    if continuation.startswith(" ") and (not head or head[-1].isspace()):
        return head + continuation[1:]
    return head + continuation


def _finish_word(engine: Engine, sentence: str, done: str, partial: str,
                 settings: GenerationSettings) -> str | None:
    """The likeliest whole word the model writes after ``done`` that starts with
    ``partial``, or None when none of its likeliest pieces leads to one."""
    pieces = engine.target_pieces(done) if done.strip() else []
    for continuation in engine.continue_prefix(sentence, pieces, settings, _WORD_CANDIDATES):
        word = next(iter(glue(done, continuation.text)[len(done):].split()), "")
        if word.startswith(partial):
            return word
    return None


def _check_prefix(engine: Engine, prefix: str, settings: GenerationSettings) -> str:
    check_text(prefix, "beginning of the translation")
    pieces = len(engine.target_pieces(prefix)) if prefix.strip() else 0
    room = engine.limits.max_new_tokens
    if pieces >= room:
        raise InputError(f"the beginning has {pieces} pieces; the model writes at most {room} in a sentence, "
                         "so give a shorter beginning", reason="prefix-too-long")
    return prefix


def _check_count(n: int) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise UsageError(f"the number of alternatives must be a whole number of at least 1, not {n!r}",
                         reason="bad-number")
    if n > MAX_ALTERNATIVES:
        log.warning("%d alternatives asked for; giving at most %d", n, MAX_ALTERNATIVES)
        return MAX_ALTERNATIVES
    return n


def _rank(alternative: Alternative) -> float:
    return -(alternative.score if alternative.score is not None else float("-inf"))
