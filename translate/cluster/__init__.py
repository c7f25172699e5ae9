"""Archive scale: a dataset of articles translated here or on a Ray cluster, with
the same results and the same cache.

>>> from translate import Translator
>>> from translate.cluster import RayCluster, translate_dataset
>>> translator = Translator.from_options("Helsinki-NLP/opus-mt-ar-en")        # doctest: +SKIP
>>> translate_dataset("archive.jsonl", "out/", translator=translator)         # here   # doctest: +SKIP
>>> translate_dataset("archive.jsonl", "out/", translator=translator,
...                   cluster=RayCluster(address="auto"))                     # on Ray # doctest: +SKIP

Ray and pyarrow come with the ``cluster`` extra and are imported only when a
job uses them.
"""
from .job import DatasetProgress, DatasetReport, RayCluster, translate_dataset
from .parts import dataset_kind
from .workers import WorkerSpec

__all__ = ["DatasetProgress", "DatasetReport", "RayCluster", "WorkerSpec", "dataset_kind", "translate_dataset"]
