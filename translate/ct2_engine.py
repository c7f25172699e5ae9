"""The CTranslate2 engine: MarianMT converted once, then run without torch.

The first load of a model converts its transformers checkpoint with
CTranslate2's own converter (which imports torch and transformers, that one
time) into ``<cache>/models/<name>/``; every later load reads that folder and
never imports torch or transformers. Text is cut into pieces with SentencePiece
and the model's ``vocab.json`` exactly as transformers' ``MarianTokenizer``
does, so both engines feed the model the same tokens.
"""
from __future__ import annotations

import json
import logging
import os
import re
import shutil
import tempfile
import time
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from .engine import Engine, EnginePlan, GenerationSettings, Hypothesis
from .errors import ModelLoadError
from .model import LocalModel

log = logging.getLogger("translate")

#: Converted models live in this sub-folder of the cache folder.
MODELS_DIR = "models"
#: Conversions in progress are written under names starting with this, and
#: renamed into place only when complete; nothing ever loads such a folder.
PARTIAL_PREFIX = ".partial-"
_STALE_PARTIAL_SECONDS = 24 * 3600
_SPIECE_UNDERLINE = "▁"


# -- the converted model on disk ------------------------------------------------


def converted_name(model: LocalModel, plan: EnginePlan) -> str:
    """The converted folder's name: model, revision, CTranslate2 version, precision.

    Generation settings are not in it: one conversion serves them all.
    """
    base = re.sub(r"[^\w.-]+", "_", Path(model.name).name or "model").strip("._") or "model"
    return f"{base}@{model.revision}-ctranslate2-{plan.version}-{plan.precision}"


def converted_path(cache_dir: str | os.PathLike, model: LocalModel, plan: EnginePlan) -> Path:
    """Where ``model`` converted for ``plan`` lives (whether or not it exists yet)."""
    return Path(cache_dir) / MODELS_DIR / converted_name(model, plan)


def ensure_converted(model: LocalModel, plan: EnginePlan, cache_dir: str | os.PathLike) -> Path:
    """The converted model folder, converting it first if it does not exist.

    The conversion is written to a ``.partial-*`` folder beside the target and
    renamed into place when complete, so an interrupted conversion is never
    used; when two processes convert at once, the first rename wins.

    Raises:
        ModelLoadError: the checkpoint could not be converted, or the cache
            folder is not writable.
    """
    target = converted_path(cache_dir, model, plan)
    if target.is_dir():
        return target
    started = time.perf_counter()
    log.info("converting %s for CTranslate2 (%s), once, into %s", model.name, plan.precision, target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale_partials(target.parent)
        partial = Path(tempfile.mkdtemp(prefix=f"{PARTIAL_PREFIX}{target.name}-", dir=target.parent))
    except OSError as error:
        raise ModelLoadError(
            f"cannot write the converted model under {target.parent}: {error.strerror or error}; "
            f"pass a writable --cache-dir or use --engine transformers"
        ) from None
    try:
        _convert(model, plan, partial / "model")
        try:
            os.rename(partial / "model", target)
        except OSError:
            if not (target / "model.bin").is_file():  # not a lost race: a real failure
                raise
    except Exception as error:
        raise ModelLoadError(
            f"could not convert {model.name} ({model.path}) for CTranslate2: {error}; "
            f"use --engine transformers"
        ) from error
    finally:
        shutil.rmtree(partial, ignore_errors=True)
    log.info("converted %s in %.1f s", model.name, time.perf_counter() - started)
    return target


def _convert(model: LocalModel, plan: EnginePlan, output: Path) -> None:
    """Run CTranslate2's transformers converter (imports torch and transformers)."""
    import ctranslate2
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()
    converter = ctranslate2.converters.TransformersConverter(str(model.path))
    converter.convert(str(output), quantization=plan.precision)


def _remove_stale_partials(folder: Path) -> None:
    """Delete what long-dead conversions left behind (a crash or a kill -9)."""
    now = time.time()
    for path in folder.glob(f"{PARTIAL_PREFIX}*"):
        try:
            if now - path.stat().st_mtime > _STALE_PARTIAL_SECONDS:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            pass


# -- tokenization -----------------------------------------------------------------


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
        settings = _read_json(folder / "tokenizer_config.json")
        self.vocab: dict[str, int] = _read_json(folder / "vocab.json")
        target_vocab = (_read_json(folder / "target_vocab.json")
                        if settings.get("separate_vocabs") else self.vocab)
        self.id_to_piece = {i: piece for piece, i in target_vocab.items()}
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

    def _pieces(self, text: str) -> tuple[str, ...]:
        """The source tokens of ``text``, ``</s>`` included; unknown pieces are ``<unk>``."""
        pieces: list[str] = []
        for chunk in self._special_split.split(text):
            if not chunk:
                continue
            if chunk in self.special:
                pieces.append(chunk)
                continue
            if chunk.startswith(">>") and (end := chunk.find("<<")) != -1:  # a language code
                pieces.append(chunk[: end + 2])
                chunk = chunk[end + 2 :]
            pieces.extend(self.source.encode(chunk, out_type=str))
        vocab, unk = self.vocab, self.unk
        return tuple(p if p in vocab else unk for p in pieces) + (self.eos,)

    def encode(self, text: str) -> list[int]:
        """Token ids of ``text``, as ``MarianTokenizer(text)["input_ids"]``."""
        return [self.vocab[p] for p in self.pieces(text)]

    def decode_pieces(self, pieces: list[str]) -> str:
        """Target text from pieces, special tokens dropped."""
        text = self.target.decode_pieces([p for p in pieces if p not in self.special])
        text = text.replace(_SPIECE_UNDERLINE, " ").strip()
        return _clean_up(text) if self.clean_up_spaces else text

    def decode(self, ids: list[int]) -> str:
        """Text of target ids, as ``MarianTokenizer.decode(ids, skip_special_tokens=True)``."""
        return self.decode_pieces([self.id_to_piece.get(i) or self.target.id_to_piece(i) or self.unk
                                   for i in ids])


def _read_json(path: Path) -> dict:
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


# -- the engine -------------------------------------------------------------------


def available_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


class CTranslate2Engine(Engine):
    """MarianMT through CTranslate2: int8 on the CPU, float16 on CUDA.

    Each sentence gets the output budget of its own length, whatever its batch
    (``budget_per_sentence``), so the pipeline can fill batches across lengths.

    Args:
        model: the local model folder (from :func:`translate.model.locate_model`).
        plan: the planned device and precision; when CUDA turns out to be
            unusable it falls back to int8 on the CPU (``self.plan`` then says so).
        cache_dir: the cache folder; converted models go in its ``models/``.
        threads: CPU cores to use (default: every core this process may use). Each
            batch is cut in that many parts decoded in parallel, one thread each:
            on a small machine that beats threads sharing one batch, and it does
            not collapse when another process takes a core (no OpenMP barriers).

    Attributes:
        decode_options: extra keyword arguments for ``translate_batch`` (the
            benchmark forces output lengths with them); empty in normal use.

    Raises:
        ModelLoadError: the model could not be converted or loaded.
    """

    budget_per_sentence = True

    def __init__(self, model: LocalModel, plan: EnginePlan, cache_dir: str | os.PathLike,
                 *, threads: int | None = None):
        import ctranslate2

        if plan.device == "cuda" and ctranslate2.get_cuda_device_count() == 0:
            log.warning("CUDA is not usable here; translating on the CPU")
            plan = replace(plan, device="cpu", precision="int8")
        self.model, self.plan = model, plan
        self.parallel = 1 if plan.device == "cuda" else (threads or available_cores())
        self.decode_options: dict = {}
        try:
            self.tokenizer = MarianPieces(model.path)
        except (OSError, ValueError, KeyError, RuntimeError) as error:
            raise ModelLoadError(f"could not load the vocabulary of {model.name} from {model.path}: {error}") from error
        self._forced_end = _forced_end(model.path)
        try:
            self.translator = self._load(ensure_converted(model, self.plan, cache_dir))
        except RuntimeError as error:
            if self.plan.device != "cuda":
                raise
            log.warning("CUDA failed (%s); translating on the CPU", error)
            self.plan = replace(self.plan, device="cpu", precision="int8")
            self.parallel = threads or available_cores()
            self.translator = self._load(ensure_converted(model, self.plan, cache_dir))

    def _load(self, folder: Path):
        import ctranslate2

        try:
            return ctranslate2.Translator(str(folder), device=self.plan.device,
                                          compute_type=self.plan.precision,
                                          intra_threads=1, inter_threads=self.parallel)
        except RuntimeError as error:
            if self.plan.device == "cuda":
                raise
            raise ModelLoadError(
                f"could not load the converted model {folder}: {error}; delete that folder "
                f"and it will be converted again"
            ) from error

    def count_tokens(self, sentences: list[str]) -> list[int]:
        return [len(self.tokenizer.pieces(s)) for s in sentences]

    def translate_batch(self, sentences: list[str], settings: GenerationSettings) -> list[Hypothesis]:
        if not sentences:
            return []
        tokens = [list(self.tokenizer.pieces(s)) for s in sentences]
        # Each sentence's own budget (transformers spends the last step of it on
        # the forced </s>). The batch decodes up to the largest; a sentence with a
        # smaller budget that ended two steps or more before it got exactly what it
        # would get alone, and the rare one that ran that long is decoded again
        # with its own budget. So a translation never depends on its batch.
        caps = [max(1, settings.max_new_tokens(len(t)) - self._forced_end) for t in tokens]
        results = self._decode(tokens, settings, max(caps))
        again: dict[int, list[int]] = {}
        for index, (result, cap) in enumerate(zip(results, caps)):
            if cap < max(caps) and len(result.hypotheses[0]) >= cap - 1:
                again.setdefault(cap, []).append(index)
        for cap, indexes in again.items():
            for index, result in zip(indexes, self._decode([tokens[i] for i in indexes], settings, cap)):
                results[index] = result
        return [Hypothesis(self.tokenizer.decode_pieces(r.hypotheses[0]), float(r.scores[0]))
                for r in results]

    def _decode(self, tokens: list[list[str]], settings: GenerationSettings, cap: int) -> list:
        options = dict(
            beam_size=settings.beams,
            no_repeat_ngram_size=settings.no_repeat_ngram_size,
            max_decoding_length=cap,
            min_decoding_length=0,
            max_input_length=0,  # never truncate silently (the pipeline splits long sentences)
            return_scores=True,  # with length_penalty=1: mean log-probability per token
            max_batch_size=-(-len(tokens) // self.parallel),  # one part per thread
        )
        options.update(self.decode_options)
        return self.translator.translate_batch(tokens, **options)


def _forced_end(folder: Path) -> int:
    """1 when transformers would force ``</s>`` as the last token of the budget, else 0."""
    generation = _read_json(folder / "generation_config.json")
    forced = generation.get("forced_eos_token_id", _read_json(folder / "config.json").get("forced_eos_token_id"))
    return 0 if forced is None else 1
