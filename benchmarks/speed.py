"""Speed benchmark: transformers vs CTranslate2, raw and through the pipeline.

Builds a full-size twin of opus-mt-ar-en (its real architecture, random
weights; kept under ``benchmarks/.models/``, never committed) and translates
the seed article with beam search, every output forced to the same number of
tokens (min = max new tokens) so that every engine does the same work:

* transformers, one sentence at a time (the naive baseline), and batched;
* raw ``ctranslate2.Translator.translate_batch`` on the same token lists, plus
  variants of it (batch shapes, ``batch_type="tokens"``, threads);
* the project's pipeline with each engine;
* whole processes: the first conversion, a cold CLI run (conversion done), a
  fully cached CLI run and ``app.py --batch``, with peak RSS.

Each measurement runs in its own process (so one library's threads or imports
never slow another's) and reports the best of ``--repeat`` runs after a
warm-up. Ratios are computed within the run. The machine is shared, so the
load average is printed before and after.

Usage (from the repository root)::

    python benchmarks/speed.py                  # 5-10 minutes on 2 cores
    python benchmarks/speed.py --quick          # fewer repeats and variants
    python benchmarks/speed.py --json out.json  # also save every figure
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MODELS = ROOT / "benchmarks" / ".models"
TWIN = MODELS / "opus-mt-ar-en-twin"
SEED = ROOT / "seeds" / "aleppo-offensive.ar.txt"
RESULT = "RESULT "


# -- helpers shared by workers --------------------------------------------------


def seed_sentences() -> list[str]:
    sys.path.insert(0, str(ROOT))
    from translate import split_sentences

    return split_sentences(SEED.read_text(encoding="utf-8"))


def build_twin() -> Path:
    """The full-size twin, built once (atomically) and reused."""
    if (TWIN / "config.json").is_file() and (TWIN / "model.safetensors").is_file():
        return TWIN
    from translate.random_model import build_random_marian, seed_corpus

    MODELS.mkdir(parents=True, exist_ok=True)
    partial = Path(tempfile.mkdtemp(prefix=".partial-twin-", dir=MODELS))
    build_random_marian(partial, seed_corpus(ROOT / "seeds"), full_size=True)
    os.rename(partial, TWIN)
    return TWIN


def install_forced_lengths(new_tokens: int, retries: bool) -> None:
    """Benchmark only: make every Translator force outputs of exactly
    ``new_tokens`` decoder steps, and (unless ``retries``) skip the quality
    retries, which on a random model flag most outputs and double the work."""
    from translate import pipeline, quality
    from translate.engine import GenerationSettings

    init, engine = pipeline.Translator.__init__, pipeline.Translator.engine

    def forced_init(self, *args, **kwargs):
        init(self, *args, **kwargs)
        self.settings = GenerationSettings(beams=self.settings.beams, max_length_ratio=0.0,
                                           max_length_slack=new_tokens)

    def forced_engine(self):
        loaded = engine(self)
        force_engine_lengths(loaded, new_tokens)
        return loaded

    pipeline.Translator.__init__, pipeline.Translator.engine = forced_init, forced_engine
    if not retries:
        quality.problems = lambda source, translation: ()


def force_engine_lengths(engine, new_tokens: int) -> None:
    if engine.plan.name == "ctranslate2":
        engine.decode_options = dict(min_decoding_length=new_tokens, max_decoding_length=new_tokens)
    else:  # max_new_tokens comes from the settings; the last step is the forced </s>
        engine.network.generation_config.min_new_tokens = new_tokens


def timed_runs(run, repeat: int, warm_up=None) -> list[float]:
    """Wall seconds of each run (the CPU seconds go to CPU_SECONDS)."""
    (warm_up or run)()  # first-call allocations, thread pools
    times = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        run()
        times.append(time.perf_counter() - started)
        CPU_SECONDS.append(time.process_time() - cpu)
    return times


CPU_SECONDS: list[float] = []


# -- workers (each runs in its own process) ---------------------------------------


def worker_hf(spec: dict) -> dict:
    import torch
    from transformers import AutoModelForSeq2SeqLM, AutoTokenizer
    from transformers.utils import logging as transformers_logging

    transformers_logging.set_verbosity_error()
    if spec.get("threads"):
        torch.set_num_threads(spec["threads"])
    device = spec["device"]
    tokenizer = AutoTokenizer.from_pretrained(spec["model"])
    dtype = torch.float16 if device == "cuda" else torch.float32
    network = AutoModelForSeq2SeqLM.from_pretrained(spec["model"], dtype=dtype).to(device).eval()
    sentences, n = seed_sentences(), spec["new_tokens"]
    if spec["kind"] == "hf-single":
        batches = [[s] for s in sentences]
    else:
        ordered = sorted(sentences, key=lambda s: len(tokenizer(s)["input_ids"]))
        batches = [ordered[i : i + spec["batch_size"]] for i in range(0, len(ordered), spec["batch_size"])]
    lengths = []

    def run():
        lengths.clear()
        with torch.inference_mode():
            for batch in batches:
                inputs = tokenizer(batch, return_tensors="pt", padding=True).to(device)
                out = network.generate(**inputs, num_beams=spec["beams"], do_sample=False,
                                       min_new_tokens=n, max_new_tokens=n, max_length=None)
                lengths.extend([out.shape[1] - 1] * len(batch))  # less the start token

    def warm_up():
        with torch.inference_mode():
            network.generate(**tokenizer(sentences[:2], return_tensors="pt", padding=True).to(device),
                             num_beams=spec["beams"], max_new_tokens=4, max_length=None)

    return dict(seconds=timed_runs(run, spec["repeat"], warm_up), steps=sorted(set(lengths)))


def worker_ct2(spec: dict) -> dict:
    """Raw CTranslate2 on the token lists the pipeline would send."""
    if spec.get("omp_passive"):
        os.environ["OMP_WAIT_POLICY"] = "PASSIVE"  # read when the OpenMP runtime loads
    import ctranslate2

    from translate.ct2_engine import MarianPieces
    from translate.engine import length_bucket

    tokenizer = MarianPieces(spec["model"])
    sentences, n = seed_sentences(), spec["new_tokens"]
    if spec.get("duplicates"):
        sentences = sentences + sentences
    tokens = [list(tokenizer.pieces(s)) for s in sentences]
    translator = ctranslate2.Translator(spec["converted"], device=spec["device"],
                                        compute_type=spec.get("compute_type", spec["precision"]),
                                        intra_threads=spec.get("intra", 0) or os.cpu_count(),
                                        inter_threads=spec.get("inter", 1))
    options = dict(beam_size=spec["beams"], min_decoding_length=n, max_decoding_length=n,
                   max_input_length=0, return_scores=True)
    shape, inter = spec.get("shape", "one call"), spec.get("inter", 1)
    ordered = sorted(tokens, key=len)
    if shape == "buckets":  # the pipeline's batches before: length-sorted, length buckets apart
        calls, batch = [], []
        for t in ordered:
            if batch and (len(batch) == spec["batch_size"] or length_bucket(len(t)) != length_bucket(len(batch[0]))):
                calls.append(batch)
                batch = []
            batch.append(t)
        calls.append(batch)
    elif shape == "chunks":  # the pipeline's batches now: length-sorted chunks
        calls = [ordered[i : i + spec["batch_size"]] for i in range(0, len(ordered), spec["batch_size"])]
    else:
        calls = [tokens]

    def call_options(call):
        if spec.get("split"):  # cut each call in one part per thread, as the engine does
            return dict(max_batch_size=-(-len(call) // inter))
        return dict(max_batch_size=spec.get("max_batch_size", 0 if shape != "one call" else spec["batch_size"]),
                    batch_type=spec.get("batch_type", "examples"))

    steps = set()

    def run():
        steps.clear()
        for call in calls:
            for result in translator.translate_batch(call, **options, **call_options(call)):
                steps.add(len(result.hypotheses[0]))

    def warm_up():
        translator.translate_batch(tokens[:2], **dict(options, min_decoding_length=4, max_decoding_length=4))

    return dict(seconds=timed_runs(run, spec["repeat"], warm_up), steps=sorted(steps),
                sentences=len(sentences))


def worker_pipeline(spec: dict) -> dict:
    install_forced_lengths(spec["new_tokens"], spec.get("retries", False))
    from translate import Translator

    translator = Translator(spec["model"], cache_dir=spec["cache"], use_cache=False,
                            engine=spec["engine"], device=spec["device"], beams=spec["beams"],
                            batch_size=spec["batch_size"])
    engine = translator.engine()
    steps = set()
    if engine.plan.name == "ctranslate2":  # record the decoder steps actually taken
        raw = engine.translator.translate_batch

        def recording(*args, **kwargs):
            results = raw(*args, **kwargs)
            steps.update(len(r.hypotheses[0]) for r in results)
            return results

        engine.translator = _Proxy(engine.translator, translate_batch=recording)
    else:
        generate = engine.network.generate

        def recording(*args, **kwargs):
            out = generate(*args, **kwargs)
            steps.add(out.sequences.shape[1] - 1)
            return out

        engine.network.generate = recording
    text = SEED.read_text(encoding="utf-8")

    def warm_up():
        translator.translate("قصف روسي على حلب")

    if spec.get("stream"):  # what the reader sees: the time to its first translated sentence
        from translate.pipeline import needs_translation

        firsts = []

        def run():
            started, first = time.perf_counter(), None
            for document in translator.translate_stream(text):
                if first is None and any(p.done and needs_translation(p.source) for p in document.sentences):
                    first = time.perf_counter() - started
            firsts.append(first)

        seconds = timed_runs(run, spec["repeat"], warm_up)
        return dict(seconds=seconds, first_sentence=min(firsts), steps=sorted(steps))
    return dict(seconds=timed_runs(lambda: translator.translate(text), spec["repeat"], warm_up),
                steps=sorted(steps), plan=engine.plan.describe())


class _Proxy:
    def __init__(self, target, **overrides):
        self._target, self.__dict__ = target, {"_target": target, **overrides}

    def __getattr__(self, name):
        return getattr(self._target, name)


def worker_cli(spec: dict) -> dict:
    """The real CLI (or app.py --batch), with the forced lengths installed."""
    install_forced_lengths(spec["new_tokens"], spec.get("retries", False))
    if spec.get("app"):
        sys.path.insert(0, str(ROOT))
        import app

        code = app.main(["--batch", *spec["args"]])
    else:
        from translate.cli import main

        code = main(spec["args"])
    heavy = [m for m in ("torch", "transformers", "ctranslate2", "gradio") if m in sys.modules]
    return dict(code=code, imported=heavy)


WORKERS = {"hf-single": worker_hf, "hf-batched": worker_hf, "ct2": worker_ct2,
           "pipeline": worker_pipeline, "cli": worker_cli}


# -- the parent: run workers, time whole processes, print the table ------------------


def run_measured(argv: list[str], env: dict | None = None) -> tuple[float, float, str, str, int]:
    """Run a process; returns (wall seconds, its own peak RSS in MB, stdout, stderr, exit code)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=err, cwd=ROOT,
                                   env=dict(os.environ, **(env or {})))
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return (wall, usage.ru_maxrss / 1024, out.read().decode("utf-8", "replace"),
                err.read().decode("utf-8", "replace"), process.returncode)


def measure(spec: dict, env: dict | None = None) -> dict:
    wall, rss, out, err, code = run_measured(
        [sys.executable, str(Path(__file__).resolve()), "--worker", json.dumps(spec)], env)
    lines = [line for line in out.splitlines() if line.startswith(RESULT)]
    if code != 0 or not lines:
        raise SystemExit(f"worker {spec['kind']} failed ({code}):\n{err[-3000:]}")
    result = json.loads(lines[-1][len(RESULT):])
    result.update(wall=wall, rss_mb=rss, load=os.getloadavg()[0])
    return result


def machine_line() -> str:
    flags, model = set(), platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name") and model in ("", platform.processor()):
                model = line.split(":", 1)[1].strip()
            if line.startswith("flags"):
                flags.update(line.split(":", 1)[1].split())
    except OSError:
        pass
    wanted = ["avx", "avx2", "fma", "f16c", "avx512f", "avx512bw", "avx512_vnni", "avx_vnni",
              "avx512_bf16", "amx_tile", "amx_int8"]
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (f"machine: {model}; {cores} cores usable ({os.cpu_count()} online); "
            f"flags: {' '.join(f for f in wanted if f in flags) or 'none of note'}")


def versions() -> str:
    import importlib.metadata as md

    names = ["torch", "transformers", "ctranslate2", "sentencepiece"]
    return "versions: python " + platform.python_version() + ", " + ", ".join(
        f"{n} {md.version(n)}" for n in names)


def load() -> str:
    return "load average %.2f %.2f %.2f" % os.getloadavg()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--new-tokens", type=int, default=40,
                        help="decoder steps forced for every sentence (default: %(default)s)")
    parser.add_argument("--beams", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per row; the best is shown")
    parser.add_argument("--device", default="auto", choices=("auto", "cpu", "cuda"))
    parser.add_argument("--quick", action="store_true", help="one timed run per row, fewer variants")
    parser.add_argument("--json", default=None, metavar="PATH", help="also write every figure here")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        sys.path.insert(0, str(ROOT))
        spec = json.loads(args.worker)
        result = WORKERS[spec["kind"]](spec)
        print(RESULT + json.dumps(dict(result, cpu=CPU_SECONDS)), flush=True)
        return 0

    sys.path.insert(0, str(ROOT))
    from translate.engine import plan_engine

    repeat = 1 if args.quick else args.repeat
    command = "python benchmarks/speed.py " + " ".join(shlex.quote(a) for a in (argv or sys.argv[1:]))
    print(f"command: {command.strip()}")
    print(machine_line())
    print(versions())
    print(load(), "(start)")
    if os.getloadavg()[0] > 0.5 * (os.cpu_count() or 1):
        print("warning: the machine is busy; rows with several threads suffer most (see the load "
              "and cpu s columns)")
    started = time.perf_counter()

    model = build_twin()
    plan = plan_engine("ctranslate2", args.device)
    work = Path(tempfile.mkdtemp(prefix="translate-speed-"))
    try:
        return _run(args, model, plan, work, repeat, command, started)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _run(args, model: Path, plan, work: Path, repeat: int, command: str, started: float) -> int:
    from translate.ct2_engine import converted_path
    from translate.model import locate_model

    device = plan.device
    cache = work / "cache"
    n = len(seed_sentences())
    base = dict(model=str(model), new_tokens=args.new_tokens, beams=args.beams,
                batch_size=args.batch_size, repeat=repeat, device=device)
    print(f"work: seed article, {n} sentences, beam {args.beams}, every output forced to "
          f"{args.new_tokens} decoder steps, batches of {args.batch_size}, best of {repeat}")

    rows: list[tuple[str, dict]] = []
    extra: dict[str, dict] = {}

    def row(name: str, result: dict) -> dict:
        rows.append((name, result))
        print(f"  .. {name}: {min(result['seconds']):.2f} s", file=sys.stderr, flush=True)
        return result


    # The first use converts (and the cold CLI later reuses this conversion).
    wall, rss, _, err, code = run_measured(
        [sys.executable, "-c",
         "import sys; from translate.ct2_engine import CTranslate2Engine; "
         "from translate.engine import plan_engine; from translate.model import locate_model; "
         f"CTranslate2Engine(locate_model({str(model)!r}), plan_engine('ctranslate2', {device!r}), {str(cache)!r})"])
    if code:
        raise SystemExit(f"conversion failed:\n{err[-3000:]}")
    extra["first use: convert to CTranslate2 " + plan.precision] = dict(wall=wall, rss_mb=rss)
    converted = str(converted_path(cache, locate_model(str(model)), plan))
    ct2 = dict(base, kind="ct2", converted=converted, precision=plan.precision)

    # transformers: slow, so each row is one process with its repeats in a row.
    naive = row("transformers, one sentence at a time", measure(dict(base, kind="hf-single",
                                                                     repeat=1)))
    row(f"transformers, length-sorted batches of {args.batch_size}", measure(dict(base, kind="hf-batched")))
    if not args.quick:
        row(f"transformers, batches of {args.batch_size}, torch.set_num_threads(1)",
            measure(dict(base, kind="hf-batched", threads=1)))
    row("pipeline, --engine transformers", measure(dict(base, kind="pipeline", engine="transformers",
                                                       cache=str(cache))))

    # CTranslate2: the rows are close, so they run in rounds (one timed run of
    # each per round, the best round kept): a busy spell hits them all alike.
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    pipe = dict(base, kind="pipeline", engine="ctranslate2", cache=str(cache))
    group = [
        (f"raw CTranslate2 {plan.precision}, translate_batch(max_batch_size={args.batch_size})", ct2),
        (f"pipeline, --engine ctranslate2 ({plan.precision})", pipe),
        ("pipeline, ctranslate2, streamed (time to first sentence below)", dict(pipe, stream=True)),
        ("pipeline, ctranslate2, +quality retries (random twin: most flagged)", dict(pipe, retries=True)),
        # What beats raw CTranslate2 on this work.
        ("ct2: the pipeline's old batches (length buckets apart)", dict(ct2, shape="buckets")),
        ("ct2: one batch of all sentences", dict(ct2, max_batch_size=0)),
        ("ct2: batch_type=tokens, 1024 tokens", dict(ct2, batch_type="tokens", max_batch_size=1024)),
        ("ct2: batch_type=tokens, 2048 tokens", dict(ct2, batch_type="tokens", max_batch_size=2048)),
        ("ct2: batches of 8", dict(ct2, max_batch_size=8)),
        ("ct2: intra_threads=1 (one core)", dict(ct2, intra=1)),
        ("ct2: OMP_WAIT_POLICY=PASSIVE", dict(ct2, omp_passive=True)),
        (f"ct2: inter_threads={cores}, intra_threads=1, batches of 8", dict(ct2, inter=cores, intra=1, max_batch_size=8)),
        (f"ct2: inter_threads={cores}, intra_threads=1, one call cut in {cores}", dict(ct2, inter=cores, intra=1, split=True)),
        (f"ct2: inter {cores}/intra 1, batches of {args.batch_size} each cut in {cores} (= engine)",
         dict(ct2, inter=cores, intra=1, split=True, shape="chunks")),
        ("ct2: compute_type=float32 (same weights, no int8)",
         dict(ct2, compute_type="float32" if device == "cpu" else "float16")),
        ("ct2: article twice, raw (no de-duplication)", dict(ct2, duplicates=True)),
    ]
    if args.quick:
        group = group[:6]
    results: dict[str, dict] = {}
    for round_ in range(repeat):
        for name, spec in group:
            result = measure(dict(spec, repeat=1))
            print(f"  .. round {round_ + 1}: {name}: {result['seconds'][0]:.2f} s", file=sys.stderr, flush=True)
            if name in results:
                kept = results[name]
                for key in ("seconds", "cpu", "first_sentence"):
                    if key in result:
                        kept[key] = kept[key] + result[key] if key != "first_sentence" else min(kept[key], result[key])
                kept["load"] = max(kept["load"], result["load"])
                kept["rss_mb"] = max(kept["rss_mb"], result["rss_mb"])
            else:
                results[name] = result
    for name, _ in group:
        rows.append((name, results[name]))
    raw, ours = results[group[0][0]], results[group[1][0]]
    streamed = results[group[2][0]]

    # Whole processes: cold CLI (conversion done), fully cached CLI, app.py --batch.
    seed_rel = str(SEED.relative_to(ROOT))
    for engine in ("ctranslate2", "transformers"):
        cli_cache = work / f"cli-{engine}"
        if engine == "ctranslate2":
            os.makedirs(cli_cache, exist_ok=True)
            os.symlink(cache / "models", cli_cache / "models")
        cli_args = [seed_rel, "--model", str(model), "--cache-dir", str(cli_cache), "--quiet",
                    "--engine", engine, "--device", device, "--beams", str(args.beams)]
        spec = dict(base, kind="cli", args=cli_args)
        extra[f"cold CLI process, --engine {engine}"] = measure(spec)
        if engine == "ctranslate2":
            extra["fully cached CLI process"] = measure(spec)
            extra["fully cached `python app.py --batch`"] = measure(dict(spec, app=True))
    for name, code in (("`import torch, transformers`", "import torch, transformers"),
                       ("`import ctranslate2, sentencepiece`", "import ctranslate2, sentencepiece"),
                       ("`import translate` (the library)", "import translate")):
        wall, rss, *_ = run_measured([sys.executable, "-c", code])
        extra[f"process that only does {name}"] = dict(wall=wall, rss_mb=rss)

    # -- the tables ------------------------------------------------------------
    naive_s, raw_s = min(naive["seconds"]), min(raw["seconds"])
    print()
    print(f"{'translation (seed article)':<68} {'seconds':>8} {'cpu s':>6} {'sent/s':>7} {'vs naive':>9} "
          f"{'vs raw ct2':>10} {'steps':>6} {'RSS MB':>7} {'load':>5}")
    for name, result in rows:
        best = min(result["seconds"])
        cpu = result["cpu"][result["seconds"].index(best)]
        count = result.get("sentences", n)
        steps = ",".join(map(str, result.get("steps", []))) or "-"
        print(f"{name:<68} {best:>8.2f} {cpu:>6.2f} {count / best:>7.1f} {naive_s / best:>8.2f}x "
              f"{best / raw_s:>9.2f}x {steps:>6} {result['rss_mb']:>7.0f} {result['load']:>5.1f}")
    print(f"\nreader proxy: pipeline (ctranslate2, model loaded) streams its first translated "
          f"sentence after {streamed['first_sentence']:.2f} s; the whole article after "
          f"{min(streamed['seconds']):.2f} s")
    print(f"\n{'whole process':<68} {'seconds':>8} {'peak RSS MB':>12}  imported")
    for name, result in extra.items():
        imported = ",".join(result.get("imported", [])) if "imported" in result else ""
        if "imported" in result and not imported:
            imported = "none of torch/transformers/ctranslate2/gradio"
        print(f"{name:<68} {result['wall']:>8.2f} {result['rss_mb']:>12.0f}  {imported}")

    ours_s = min(ours["seconds"])
    cold = extra["cold CLI process, --engine ctranslate2"]
    cached = extra["fully cached CLI process"]
    targets = [
        (f"pipeline ct2 <= 1.05x raw ct2: {ours_s / raw_s:.2f}x", ours_s / raw_s <= 1.05),
        (f"pipeline ct2 >= 4x faster than naive: {naive_s / ours_s:.2f}x", naive_s / ours_s >= 4),
        (f"cold CLI <= 4.5 s: {cold['wall']:.2f} s", cold["wall"] <= 4.5),
        (f"fully cached CLI <= 0.5 s: {cached['wall']:.2f} s", cached["wall"] <= 0.5),
        (f"peak RSS on the ct2 path <= 400 MB: {cold['rss_mb']:.0f} MB", cold["rss_mb"] <= 400),
        (f"first sentence streamed <= 2 s: {streamed['first_sentence']:.2f} s", streamed["first_sentence"] <= 2),
    ]
    print("\ntargets:")
    for text, ok in targets:
        print(f"  {'met ' if ok else 'MISS'}  {text}")
    print(f"\n{load()} (end); benchmark took {time.perf_counter() - started:.0f} s")
    if args.json:
        Path(args.json).write_text(json.dumps(dict(command=command, machine=machine_line(), rows=rows,
                                                   whole_process=extra, stream=streamed), indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
