"""The Hugging Face transformers engine: MarianMT in PyTorch."""
from __future__ import annotations

import logging
from dataclasses import replace

from .alignment import links_from_attention, target_words, word_at, word_spans
from .engine import Engine, EnginePlan, GenerationSettings, Hypothesis, check_source_lengths
from .errors import ModelLoadError
from .marian_tokenizer import MarianPieces
from .model import LocalModel

log = logging.getLogger("translate")


class TransformersEngine(Engine):
    """MarianMT through ``transformers``; fp16 on CUDA, fp32 on the CPU.

    Args:
        model: the local model folder (from :func:`translate.model.locate_model`).
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
        # pieces as the tokenizer's: translate.marian_tokenizer).
        self._pieces = MarianPieces(model.path)

    def count_tokens(self, sentences: list[str]) -> list[int]:
        return [len(ids) for ids in self.tokenizer(sentences)["input_ids"]]

    def translate_batch(
        self, sentences: list[str], settings: GenerationSettings
    ) -> list[Hypothesis]:
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
        return [Hypothesis(text, score, alignment=alignment)
                for text, score, alignment in zip(texts, self._scores(output, settings), links)]

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
