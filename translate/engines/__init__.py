"""The engines: a loaded model that translates batches of sentences.

``base`` is the interface (and the plan made before loading anything);
``factory`` builds engines, lazily; ``ctranslate2`` and ``transformers`` are the
two engines, ``conversion`` turns a checkpoint into CTranslate2's format once;
``model_files`` finds a model on disk and reads its limits; ``tokenizer`` is
Marian's tokenizer without transformers; ``alignment`` turns attention into
word links.
"""
