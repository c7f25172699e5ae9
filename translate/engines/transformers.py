"""The Hugging Face transformers engine: MarianMT in PyTorch."""
from __future__ import annotations

import logging
from dataclasses import replace

from ..errors import ModelLoadError
from ..translation import Translation
from .alignment import links_from_attention, target_words, word_at, word_spans
from .base import Continuation, Engine, EnginePlan, GenerationSettings, check_source_lengths
from .model_files import LocalModel
from .tokenizer import MarianPieces

log = logging.getLogger("translate")


class TransformersEngine(Engine):
    """MarianMT through ``transformers``; fp16 on CUDA, fp32 on the CPU.

    Args:
        model: the local model folder (from :func:`translate.engines.model_files.locate_model`).
        plan: the planned device and precision; falls back to the CPU when CUDA
            turns out to be unusable (``self.plan`` then says so).

    Raises:
        ModelLoadError: the folder's files could not be loaded.
    """

    #: compute word links (False: translations only, a little faster)
    align = True

    def __init__(self, model: LocalModel, plan: EnginePlan):
        import torch
        from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
        from transformers.utils import logging as transformers_logging

        transformers_logging.disable_progress_bar()  # our own bar is the one on stderr

        if plan.device == "cuda" and not torch.cuda.is_available():
            log.warning("CUDA is not usable here; translating on the CPU")
            plan = replace(plan, device="cpu", precision="float32")
        self.plan, self.model = plan, model
        self.limits = model.limits
        self._torch = torch
        try:
            self.tokenizer = AutoTokenizer.from_pretrained(model.path, local_files_only=True)
            dtype = torch.float16 if plan.precision == "float16" else torch.float32
            network = AutoModelForSeq2SeqLM.from_pretrained(
                model.path, local_files_only=True, dtype=dtype
            )
        except Exception as error:  # transformers raises many kinds; all mean "cannot load"
            raise ModelLoadError(
                f"could not load model {model.name} from {model.path}: {error}", reason="model-broken",
            ) from error
        self.network = network.to(plan.device).eval()
        # The source pieces' places in the text, for word alignment (the same
        # pieces as the tokenizer's: translate.engines.tokenizer).
        self._pieces = MarianPieces(model.path)

    def count_tokens(self, sentences: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(sentences)["input_ids"]]

    def translate_batch(
        self, sentences: list[str], settings: GenerationSettings
    ) -> list[Translation]:
        if not sentences:
            return []
        torch = self._torch
        batch = self.tokenizer(sentences, return_tensors="pt", padding=True).to(self.plan.device)
        lengths = batch["attention_mask"].sum(dim=1)
        check_source_lengths([int(n) for n in lengths], self.limits)
        longest = int(lengths.max())
        budget = settings.max_new_tokens(longest, self.limits)
        with torch.inference_mode():
            output = self.network.generate(
                **batch,
                num_beams=settings.beams,
                do_sample=False,
                max_new_tokens=budget,
                min_new_tokens=min(settings.min_new_tokens, budget) or None,
                max_length=None,  # the model's own max_length would clash with max_new_tokens
                no_repeat_ngram_size=settings.no_repeat_ngram_size,
                output_scores=True,
                return_dict_in_generate=True,
            )
        texts = self.tokenizer.batch_decode(output.sequences, skip_special_tokens=True)
        links = (self._alignments(sentences, batch, output.sequences, texts) if self.align
                 else [()] * len(texts))
        return [Translation(text, score, alignment=alignment)
                for text, score, alignment in zip(texts, self._scores(output, settings), links)]

    # -- the interactive side (translate.interactive) ------------------------------

    def n_best(self, sentence: str, settings: GenerationSettings, n: int) -> list[Translation]:
        batch, budget = self._source(sentence, settings)
        beams = max(settings.beams, n)
        output = self._generate(batch, settings, budget, num_beams=beams, num_return_sequences=n)
        texts = self.tokenizer.batch_decode(output.sequences, skip_special_tokens=True)
        return [Translation(text, score) for text, score in
                zip(texts, self._scores(output, GenerationSettings(beams=beams)))]

    def continue_prefix(self, sentence: str, prefix: list[str], settings: GenerationSettings,
                        n: int = 1) -> list[Continuation]:
        torch = self._torch
        batch, budget = self._source(sentence, settings)
        budget = max(1, min(budget, self.limits.max_new_tokens - len(prefix)))  # all within the positions
        start = self.network.config.decoder_start_token_id
        forced = [start, *self.tokenizer.convert_tokens_to_ids(list(prefix))]
        if n == 1:
            output = self._generate(batch, settings, budget, num_beams=settings.beams,
                                    decoder_input_ids=torch.tensor([forced], device=self.plan.device))
            return [Continuation(self._continuation(output.sequences[0, len(forced):]), score)
                    for score in self._scores(output, settings)]
        # The n likeliest pieces after the prefix (never padding), each continued greedily.
        with torch.inference_mode():
            logits = self.network(**batch, decoder_input_ids=torch.tensor([forced], device=self.plan.device)).logits
        steps = torch.log_softmax(logits[0, -1].float(), dim=-1)
        steps[self.tokenizer.pad_token_id] = float("-inf")
        firsts = torch.topk(steps, min(n, steps.shape[0] - 1)).indices.tolist()
        rows = torch.tensor([forced + [first] for first in firsts], device=self.plan.device)
        repeated = {key: value.repeat(len(firsts), 1) for key, value in batch.items()}
        output = self._generate(repeated, settings, max(1, budget - 1), num_beams=1, decoder_input_ids=rows)
        return [Continuation(self._continuation(output.sequences[row, len(forced):]), float(steps[first]))
                for row, first in enumerate(firsts)]

    def target_pieces(self, text: str) -> list[str]:
        return self._pieces.target_pieces(text)

    def links_for(self, pairs: list[tuple[str, str]]) -> list[tuple[tuple[int, int], ...]]:
        if not pairs:
            return []
        torch = self._torch
        sentences = [sentence for sentence, _ in pairs]
        batch = self.tokenizer(sentences, return_tensors="pt", padding=True).to(self.plan.device)
        check_source_lengths([int(n) for n in batch["attention_mask"].sum(dim=1)], self.limits)
        start, pad = self.network.config.decoder_start_token_id, self.tokenizer.pad_token_id
        rows = [[start, *self.tokenizer.convert_tokens_to_ids(self._pieces.target_pieces(english))]
                for _, english in pairs]
        width = max(map(len, rows))
        sequences = torch.tensor([row + [pad] * (width - len(row)) for row in rows], device=self.plan.device)
        return self._alignments(sentences, batch, sequences, [english for _, english in pairs])

    def _source(self, sentence: str, settings: GenerationSettings):
        """The tokenized sentence on the device, and its output budget."""
        batch = self.tokenizer([sentence], return_tensors="pt").to(self.plan.device)
        length = int(batch["attention_mask"].sum())
        check_source_lengths([length], self.limits)
        return batch, settings.max_new_tokens(length, self.limits)

    def _generate(self, batch, settings: GenerationSettings, budget: int, **options):
        with self._torch.inference_mode():
            return self.network.generate(
                **batch, do_sample=False, max_new_tokens=budget, max_length=None,
                min_new_tokens=min(settings.min_new_tokens, budget) or None,
                no_repeat_ngram_size=settings.no_repeat_ngram_size, output_scores=True,
                return_dict_in_generate=True, **options)

    def _kept(self, ids) -> list[int]:
        """Generated ids up to the end of the sentence (padding and ``</s>`` left out)."""
        kept = []
        for token in ids.tolist():
            if token == self.tokenizer.eos_token_id:
                break
            if token != self.tokenizer.pad_token_id:
                kept.append(token)
        return kept

    def _continuation(self, ids) -> str:
        return self._pieces.decode_continuation(self.tokenizer.convert_ids_to_tokens(self._kept(ids)))

    def _alignments(self, sentences: list[str], batch, sequences, texts: list[str]) -> list[tuple]:
        """Word links from the alignment head (the last decoder layer's first head,
        as CTranslate2 uses), read in one teacher-forced pass over the outputs.

        Generation runs with the fast attention kernels, which do not return
        attention; this pass alone runs with the plain ones."""
        torch = self._torch
        # The network without its output layer: the attention is all we need, and the
        # vocabulary projection would cost as much as the rest of the pass.
        body = getattr(self.network, "model", self.network)
        previous = self.network.config._attn_implementation
        try:
            self.network.set_attn_implementation("eager")
            with torch.inference_mode():
                forward = body(**batch, decoder_input_ids=sequences, output_attentions=True)
        finally:
            self.network.set_attn_implementation(previous)
        # Row t is the attention while predicting output token t + 1 (the first is the start token).
        head = forward.cross_attentions[-1][:, 0].float().cpu()
        special = set(self.tokenizer.all_special_tokens)
        result = []
        for number, (sentence, text) in enumerate(zip(sentences, texts)):
            source_ids = batch["input_ids"][number][batch["attention_mask"][number].bool()].tolist()
            spans = self._pieces.piece_spans(sentence)
            generated = sequences[number, 1:].tolist()
            pieces = self.tokenizer.convert_ids_to_tokens(generated)
            targets = target_words(pieces, text, special)
            if targets is None or len(spans) != len(source_ids):
                result.append(())
                continue
            attention = head[number, : len(generated), : len(source_ids)].tolist()
            result.append(links_from_attention(attention, word_at(word_spans(sentence), spans), targets))
        return result

    def _scores(self, output, settings: GenerationSettings) -> list[float]:
        """Mean log-probability per generated token (beam search already reports it)."""
        if settings.beams > 1 and getattr(output, "sequences_scores", None) is not None:
            return [float(s) for s in output.sequences_scores]
        steps = self.network.compute_transition_scores(
            output.sequences, output.scores, normalize_logits=True
        )
        # Positions after a sequence's end-of-sentence hold padding: leave them out.
        generated = output.sequences[:, -steps.shape[1]:]
        pad = self.tokenizer.pad_token_id
        keep = (generated != pad) & self._torch.isfinite(steps)
        totals = (steps.masked_fill(~keep, 0.0)).sum(dim=1)
        counts = keep.sum(dim=1).clamp(min=1)
        return [float(t / c) for t, c in zip(totals, counts)]
