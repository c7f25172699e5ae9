"""Marian's tokenizer without transformers: SentencePiece pieces and the model's vocabulary.

Gives exactly the token ids of transformers' ``MarianTokenizer``, so the
CTranslate2 engine can run without importing torch or transformers.
"""
from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from pathlib import Path

_SPIECE_UNDERLINE = "▁"


class MarianPieces:
    """Source pieces and target text for a Marian model folder, as transformers'
    ``MarianTokenizer`` makes them, without importing transformers.

    Like ``MarianTokenizer``: special tokens written in the text (``</s>``) are
    kept whole; a leading language code (``>>fra<<``) is one token; the rest is
    encoded with ``source.spm``; pieces missing from ``vocab.json`` become
    ``<unk>``; ``</s>`` ends every sentence. (``MarianTokenizer`` sets up a Moses
    punctuation normaliser but never calls it when encoding, so neither do we.)
    Decoding drops special tokens and joins the pieces with ``target.spm``
    (transformers 5 uses ``source.spm`` when the vocabulary is shared; the text
    is the same, since SentencePiece passes pieces it does not know through).

    Args:
        folder: the model folder (``source.spm``, ``target.spm``, ``vocab.json``,
            and optionally ``tokenizer_config.json``).
    """

    def __init__(self, folder: str | os.PathLike):
        import sentencepiece

        folder = Path(folder)
        settings = read_json(folder / "tokenizer_config.json")
        self.vocab: dict[str, int] = read_json(folder / "vocab.json")
        target_vocab = (read_json(folder / "target_vocab.json")
                        if settings.get("separate_vocabs") else self.vocab)
        self.id_to_piece = {i: piece for piece, i in target_vocab.items()}
        self.target_vocab: dict[str, int] = target_vocab
        self.eos, self.unk, self.pad = (_content(settings.get(name), default) for name, default in
                                        (("eos_token", "</s>"), ("unk_token", "<unk>"), ("pad_token", "<pad>")))
        added = [_content(token, "") for token in settings.get("added_tokens_decoder", {}).values()]
        extra = [_content(token, "") for token in settings.get("additional_special_tokens") or []]
        self.special = {t for t in [self.eos, self.unk, self.pad, *added, *extra] if t}
        # Longest first, as transformers' trie matches the longest added token.
        self._special_split = re.compile(
            "(" + "|".join(re.escape(t) for t in sorted(self.special, key=len, reverse=True)) + ")")
        self.eos_id, self.unk_id = self.vocab[self.eos], self.vocab[self.unk]
        self.source = sentencepiece.SentencePieceProcessor(model_file=str(folder / "source.spm"))
        self.target = sentencepiece.SentencePieceProcessor(model_file=str(folder / "target.spm"))
        self.clean_up_spaces = bool(settings.get("clean_up_tokenization_spaces", False))
        self.pieces = lru_cache(maxsize=8192)(self._pieces)

    def _chunks(self, text: str):
        """Yield (chunk, offset, whole): the parts of ``text`` that are one token
        as they stand (special tokens, a leading language code; ``whole`` True)
        and those that SentencePiece encodes, each with its character offset."""
        offset = 0
        for chunk in self._special_split.split(text):
            start, offset = offset, offset + len(chunk)
            if not chunk:
                continue
            if chunk in self.special:
                yield chunk, start, True
                continue
            if chunk.startswith(">>") and (end := chunk.find("<<")) != -1:  # a language code
                yield chunk[: end + 2], start, True
                chunk, start = chunk[end + 2 :], start + end + 2
            if chunk:
                yield chunk, start, False

    def _pieces(self, text: str) -> tuple[str, ...]:
        """The source tokens of ``text``, ``</s>`` included; unknown pieces are ``<unk>``."""
        pieces: list[str] = []
        for chunk, _, whole in self._chunks(text):
            if whole:
                pieces.append(chunk)
            else:
                pieces.extend(self.source.encode(chunk, out_type=str))
        vocab, unk = self.vocab, self.unk
        return tuple(p if p in vocab else unk for p in pieces) + (self.eos,)

    def piece_spans(self, text: str) -> list[tuple[int, int] | None]:
        """The character span of ``text`` each of :meth:`pieces` comes from (None
        for the closing ``</s>``), as SentencePiece reports it: the same pieces,
        with their offsets (a piece's span may be empty, e.g. a lone word mark)."""
        from .alignment import byte_to_char_offsets

        spans: list[tuple[int, int] | None] = []
        for chunk, start, whole in self._chunks(text):
            if whole:
                spans.append((start, start + len(chunk)))
                continue
            chars = byte_to_char_offsets(chunk)
            for piece in self.source.encode(chunk, out_type="proto").pieces:
                spans.append((start + chars.get(piece.begin, 0), start + chars.get(piece.end, 0)))
        return spans + [None]

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``, as ``MarianTokenizer(text)["input_ids"]``."""
        return [self.vocab[p] for p in self.pieces(text)]

    def decode_pieces(self, pieces: list[str]) -> str:
        """Target text from pieces, special tokens dropped."""
        text = self.target.decode_pieces([p for p in pieces if p not in self.special])
        text = text.replace(_SPIECE_UNDERLINE, " ").strip()
        return _clean_up(text) if self.clean_up_spaces else text

    def target_pieces(self, text: str) -> list[str]:
        """English text as target pieces (``target.spm``); pieces missing from the
        vocabulary become ``<unk>``. No ``</s>``: a beginning, not a whole sentence."""
        vocab, unk = self.target_vocab, self.unk
        return [p if p in vocab else unk for p in self.target.encode(text, out_type=str)]

    def decode_continuation(self, pieces: list[str]) -> str:
        """The text of pieces that follow other pieces: with a leading space when
        the first piece begins a word (SentencePiece's ``▁``), none when it
        carries on the previous word."""
        kept = [p for p in pieces if p not in self.special]
        text = self.decode_pieces(kept)
        return " " + text if text and kept[0].startswith(_SPIECE_UNDERLINE) else text

    def decode(self, ids: list[int]) -> str:
        """Text of target ids, as ``MarianTokenizer.decode(ids, skip_special_tokens=True)``."""
        return self.decode_pieces([self.id_to_piece.get(i) or self.target.id_to_piece(i) or self.unk
                                   for i in ids])


def read_json(path: Path) -> dict:
    if not path.is_file():
        return {}
    with open(path, encoding="utf-8") as file:
        return json.load(file)


def _content(token, default: str) -> str:
    """A token as tokenizer_config.json writes it: a string or an AddedToken dict."""
    if isinstance(token, dict):
        return token.get("content") or default
    return token or default


def _clean_up(text: str) -> str:
    """transformers' ``clean_up_tokenization`` (used only when the tokenizer asks for it)."""
    for before, after in ((" .", "."), (" ?", "?"), (" !", "!"), (" ,", ","), (" ' ", "'"),
                          (" n't", "n't"), (" 'm", "'m"), (" 's", "'s"), (" 've", "'ve"), (" 're", "'re")):
        text = text.replace(before, after)
    return text
