"""Tooling for tests and benchmarks: random-weight Marian models with real
vocabularies, and a free localhost port.

The real opus-mt weights cannot be downloaded on every machine, so tests build a
*tiny* model and benchmarks a *full-size twin* of opus-mt-ar-en (same
architecture, random weights). Both are saved with ``save_pretrained`` and load
through exactly the same code path as the real model.

It ships with the package so that the tests, the benchmarks and the CI script
share one copy, but it is not the library's public face.
"""
from __future__ import annotations

import io
import json
import socket
from pathlib import Path

# Helsinki-NLP/opus-mt-ar-en's config.json, minus its weights.
OPUS_MT_AR_EN = {
    "vocab_size": 62834, "d_model": 512, "encoder_layers": 6, "decoder_layers": 6,
    "encoder_attention_heads": 8, "decoder_attention_heads": 8,
    "encoder_ffn_dim": 2048, "decoder_ffn_dim": 2048, "activation_function": "swish",
    "max_position_embeddings": 512, "pad_token_id": 62833, "decoder_start_token_id": 62833,
    "eos_token_id": 0, "forced_eos_token_id": 0, "scale_embedding": True,
    "share_encoder_decoder_embeddings": True, "static_position_embeddings": True,
}
TINY = {
    "d_model": 32, "encoder_layers": 2, "decoder_layers": 2, "encoder_attention_heads": 2,
    "decoder_attention_heads": 2, "encoder_ffn_dim": 64, "decoder_ffn_dim": 64,
    "activation_function": "swish", "max_position_embeddings": 512, "scale_embedding": True,
    "share_encoder_decoder_embeddings": True,
    # A large init makes outputs depend visibly on the input (std 0.02 gives the
    # same few tokens for every sentence).
    "init_std": 0.5,
}
# A little English, so the shared vocabulary has English pieces as Marian's does.
_ENGLISH = [
    "Violent clashes are taking place between Syrian opposition factions and regime forces in Aleppo.",
    "Turkey called on Friday for an end to the attacks on the city of Idlib.",
    "The Russian army said its air force was striking the opposition factions.",
    "The ministry said it was very important to avoid a new phase of instability.",
]


def _train_vocabulary(lines: list[str], vocab_size: int) -> bytes:
    import sentencepiece as spm

    model = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(lines), model_writer=model, vocab_size=vocab_size,
        model_type="unigram", character_coverage=1.0, hard_vocab_limit=False,
        bos_id=-1, eos_id=0, unk_id=1, pad_id=-1,  # Marian: </s>=0, <unk>=1, <pad>=last
        minloglevel=2,
    )
    return model.getvalue()


def build_random_marian(folder: str | Path, corpus: list[str], *, full_size: bool = False,
                        vocab_size: int = 400, seed: int = 0, max_positions: int = 512) -> Path:
    """Build and ``save_pretrained`` a random Marian model with a SentencePiece
    vocabulary trained on ``corpus`` (lines of Arabic).

    Args:
        folder: where to save; created if needed.
        corpus: training lines for the vocabulary (e.g. the seed articles).
        full_size: the opus-mt-ar-en architecture (62834-entry vocabulary,
            padded with unused entries) instead of the tiny one.
        vocab_size: SentencePiece pieces to train (at most; small corpora give fewer).
        seed: torch's random seed, so a build is reproducible.
        max_positions: the model's positions (``max_position_embeddings``).

    Returns:
        The folder, ready for ``--model``.
    """
    import sentencepiece as spm
    import torch
    from transformers import MarianConfig, MarianMTModel, MarianTokenizer

    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    pieces = _train_vocabulary([line for line in corpus if line.strip()] + _ENGLISH, vocab_size)
    for name in ("source.spm", "target.spm"):
        (folder / name).write_bytes(pieces)
    processor = spm.SentencePieceProcessor(model_proto=pieces)
    vocab = {processor.id_to_piece(i): i for i in range(processor.get_piece_size())}
    settings = dict(OPUS_MT_AR_EN if full_size else TINY)
    if full_size:  # pad to the real vocabulary size with entries no input produces
        while len(vocab) < settings["vocab_size"] - 1:
            vocab[f"<unused{len(vocab)}>"] = len(vocab)
    vocab["<pad>"] = len(vocab)
    (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    settings.update(vocab_size=len(vocab), pad_token_id=len(vocab) - 1, max_position_embeddings=max_positions,
                    decoder_start_token_id=len(vocab) - 1, eos_token_id=0, forced_eos_token_id=0)
    MarianTokenizer(str(folder / "source.spm"), str(folder / "target.spm"), str(folder / "vocab.json"),
                    source_lang="ar", target_lang="en").save_pretrained(folder)
    torch.manual_seed(seed)
    model = MarianMTModel(MarianConfig(**settings)).eval()
    model.generation_config.max_length = max_positions
    model.generation_config.num_beams = 4
    model.save_pretrained(folder)
    return folder


def seed_corpus(seeds_dir: str | Path) -> list[str]:
    """The lines of every ``*.txt`` article under ``seeds_dir``."""
    return [line for path in sorted(Path(seeds_dir).glob("*.txt"))
            for line in path.read_text(encoding="utf-8").splitlines()]


def install_in_hub_cache(model: Path, repo_id: str, hub_cache: Path, commit: str = "a" * 40) -> Path:
    """Lay a model folder out exactly as huggingface_hub's cache does, under ``repo_id``:
    the README's commands then find it under the real model's name, offline."""
    import shutil

    root = Path(hub_cache) / f"models--{repo_id.replace('/', '--')}"
    snapshot = root / "snapshots" / commit
    if not snapshot.exists():
        shutil.copytree(model, snapshot)
        (root / "refs").mkdir(parents=True, exist_ok=True)
        (root / "refs" / "main").write_text(commit)
    return snapshot


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now (the system picks it), for a server a
    test or a benchmark starts. Another process may take it before it is bound
    again; on one machine that race is rare enough for tests."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]
