"""Cluster benchmark: the local pipeline against the same pipeline with its model step on Ray, same dataset, one run.

Translates a dataset of ``--sentences`` unique sentences (rows of four, built
from the seed article) three ways, each with an empty translation cache:

* ``local``: :func:`translate.cluster.translate_dataset` with no cluster (the
  plain pipeline, CTranslate2 on every core of this process);
* ``ray 1×N``: on a local Ray, one actor with all N cores;
* ``ray N×1``: on a local Ray, N actors of one thread each.

The last column says whether a run wrote the local run's bytes. CTranslate2Engine
cuts each batch into one sub-batch per thread, and an int8 score can differ in
its last digits with the sub-batch: runs whose actors have as many threads as
the local translator write the same bytes; others the same texts, with a few
scores 1e-4 apart.

The model is the full-size twin of opus-mt-ar-en (random weights, built once
into ``benchmarks/.models/`` by ``harness.twin``), so every output is
forced to ``--new-tokens`` decoder steps through the public settings
(``GenerationSettings(min_new_tokens=…)``) and the quality retries are off
(``QualityPolicy(retry=False)``): the workers get the same settings in their
:class:`~translate.cluster.WorkerSpec`, nothing is patched. Ray is started
before the timing (a cluster is already running when a job starts); each Ray
row's time includes starting its actors and loading the model in each.

Usage (from the repository root, with ``pip install -e ".[cluster]"``)::

    python benchmarks/cluster.py                    # 2,000 sentences, about 10 minutes on 2 cores
    python benchmarks/cluster.py --sentences 400    # a quick look
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import harness

os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")


def build_dataset(folder: Path, sentences: int) -> Path:
    """``sentences`` unique sentences from the seed article, four to a row."""
    from translate import split_sentences

    seed = split_sentences(harness.SEED_ARTICLE.read_text(encoding="utf-8"))
    made = [f"{seed[i % len(seed)].rstrip('.')} ({i // len(seed) + 1})." for i in range(sentences)]
    path = folder / "bench.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        for row, start in enumerate(range(0, sentences, 4)):
            out.write(json.dumps({"id": row, "text": " ".join(made[start:start + 4])}, ensure_ascii=False) + "\n")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=2000)
    parser.add_argument("--new-tokens", type=int, default=24, help="decoder steps per sentence (forced)")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--model", default=None, help="a model folder (default: build the full-size twin)")
    parser.add_argument("--json", default=None, help="also save the figures here")
    args = parser.parse_args()

    import ray

    from translate import Translator
    from translate.cluster import RayCluster, translate_dataset
    from translate.engines.base import GenerationSettings
    from translate.engines.ctranslate2 import available_cores
    from translate.engines.factory import LazyEngine
    from translate.quality import QualityPolicy
    from translate.store.cache import TranslationCache

    if args.model:
        model = Path(args.model)
    else:
        model, how = harness.twin()
        print(f"model: the full-size twin ({how})", flush=True)
    cores = available_cores()
    work = Path(tempfile.mkdtemp(prefix="translate-cluster-bench-"))
    data = build_dataset(work, args.sentences)
    settings = GenerationSettings(beams=args.beams, max_length_ratio=0.0, max_length_slack=args.new_tokens,
                                  min_new_tokens=args.new_tokens)

    def translator(name: str) -> Translator:
        engine = LazyEngine(str(model), engine="ctranslate2", device="cpu", offline=True, models_dir=work / "models")
        return Translator(engine, TranslationCache(work / f"cache-{name}"), settings=settings,
                          quality=QualityPolicy(retry=False))

    # Convert the model once, outside the timings.
    translator("warm-up").translate("قصف روسي على حلب.")
    started = time.perf_counter()
    ray.init(num_cpus=cores, include_dashboard=False, log_to_driver=False,
             _temp_dir=tempfile.mkdtemp(prefix="ray-"))
    ray_start = time.perf_counter() - started
    runs = [("local", None), (f"ray 1×{cores}", RayCluster(actors=1, threads=cores))]
    if cores > 1:
        runs.append((f"ray {cores}×1", RayCluster(actors=cores, threads=1)))
    results = []
    for name, cluster in runs:
        load = os.getloadavg()[0]
        began = time.perf_counter()
        report = translate_dataset(data, work / f"out-{name}", translator=translator(name), cluster=cluster)
        seconds = time.perf_counter() - began
        results.append({"run": name, "sentences": report.sentences, "translated": report.translated,
                        "seconds": round(seconds, 1), "rate": round(report.sentences / seconds, 2),
                        "load": round(load, 1)})
        print(f"  {name}: {report.summary()}", file=sys.stderr, flush=True)
    ray.shutdown()
    reference = _outputs(work / "out-local")
    for row, (name, _) in zip(results, runs, strict=True):
        row["same_bytes"] = _outputs(work / f"out-{name}") == reference

    local = results[0]["seconds"]
    print(f"\nmachine: {cores} cores; model {model.name}, beam {args.beams}, {args.new_tokens} tokens per "
          f"sentence, {args.sentences:,} unique sentences in {args.sentences // 4:,} rows; Ray started in "
          f"{ray_start:.1f} s (not counted)\n")
    print("| run | sentences | seconds | sentences/s | time vs local | outputs = local's bytes | load at start |")
    print("| --- | ---: | ---: | ---: | ---: | --- | ---: |")
    for row in results:
        print(f"| {row['run']} | {row['sentences']:,} | {row['seconds']} | {row['rate']} | "
              f"{row['seconds'] / local:.2f}× | {'yes' if row['same_bytes'] else 'no'} | {row['load']} |")
    if args.json:
        Path(args.json).write_text(json.dumps({"results": results, "ray_start": ray_start}, indent=1))


def _outputs(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.glob("part-*"))}


if __name__ == "__main__":
    main()
