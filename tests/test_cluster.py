"""The cluster job on a real Ray: the same bytes as the local run, the cache round
trip, a killed actor, bad rows, a rerun after an interruption, and the CLI
joining a head started with ``ray start``.

One local Ray (``ray.init(num_cpus=2)``) serves the module; the datasets are a
few hundred short rows made from the seed article, on the tiny model.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ray = pytest.importorskip("ray")
pytest.importorskip("pyarrow")
pytest.importorskip("ctranslate2")

from conftest import free_port, wait_until  # noqa: E402

from translate import Translator, split_sentences  # noqa: E402
from translate.batch import translate_files  # noqa: E402
from translate.cluster import RayCluster, translate_dataset  # noqa: E402
from translate.cluster.ray_executor import RayExecutor  # noqa: E402
from translate.engines.factory import LazyEngine  # noqa: E402
from translate.store.cache import TranslationCache  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
ROWS = 240
PART = 100  # rows per output part
BLOCK = 16  # rows per block, the same in every run compared
LIMIT = 2_000  # bytes per row, for the over-the-limit row
#: The bad rows, by id, and what their error says.
BAD = {"binary": "binary", "empty": "empty", "blank": "whitespace", "huge": "input limit"}
#: A test cluster on this machine: no token written into the user's ~/.ray, no usage report.
RAY_ENV = {"RAY_AUTH_MODE": "disabled", "RAY_USAGE_STATS_ENABLED": "0"}


@pytest.fixture(scope="module")
def local_ray():
    """One local Ray for the module (its sessions in a temporary folder, not /tmp/ray)."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in RAY_ENV.items():
            patch.setenv(name, value)
        ray.init(num_cpus=2, include_dashboard=False, log_to_driver=False,
                 _temp_dir=tempfile.mkdtemp(prefix="ray-"))
        yield ray
        ray.shutdown()


@pytest.fixture(scope="module")
def models(tmp_path_factory) -> Path:
    """One folder of converted models for the module, the driver's and the workers'."""
    return tmp_path_factory.mktemp("models")


def make_translator(model: Path, models: Path, cache: Path) -> Translator:
    engine = LazyEngine(str(model), engine="ctranslate2", device="cpu", offline=True, models_dir=models)
    return Translator(engine, TranslationCache(cache))


@pytest.fixture(scope="module")
def dataset(tmp_path_factory, seed_text) -> Path:
    """Short rows built from the seed's sentences (many repeat, some unique), then bad rows."""
    units = [" ".join(s.split()[:6]).rstrip(".،") + "." for s in split_sentences(seed_text)]
    lines = []
    for i in range(ROWS):
        text = f"{units[i % len(units)]} {units[(i * 5 + 3) % len(units)]}"
        if i % 10 == 0:
            text += f"\nالعدد {i} من الأخبار."
        lines.append({"id": i, "text": text})
    lines += [{"id": "binary", "text": "\x00\x01\x02\x03" * 30}, {"id": "empty", "text": ""},
              {"id": "blank", "text": " \n\u200f "}, {"id": "huge", "text": "قصف روسي على حلب. " * 200},
              {"id": 7, "text": "صف مكرر."}, {"text": "بلا رقم."}]
    path = tmp_path_factory.mktemp("dataset") / "archive.jsonl"
    text = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    path.write_text(text[:-1] + "\nnot json\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def local_run(tiny_model, models, dataset, tmp_path_factory):
    """The reference: the same job with no cluster."""
    out = tmp_path_factory.mktemp("local") / "out"
    report = translate_dataset(dataset, out, translator=make_translator(tiny_model, models, out.parent / "cache"),
                               rows_per_part=PART, block_rows=BLOCK, max_row_bytes=LIMIT)
    return out, report


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


def records(folder: Path) -> list[dict]:
    return [json.loads(line) for part in sorted(folder.glob("part-*.jsonl")) for line in part.open(encoding="utf-8")]


def test_local_run_records_every_row_and_each_bad_row_with_its_error(local_run):
    out, report = local_run
    rows = records(out)
    assert [r["id"] for r in rows[:ROWS]] == list(range(ROWS))
    assert len(rows) == ROWS + 7 and report.rows == ROWS + 7 and report.failed == 7
    errors = {r["id"]: r["error"] for r in rows if r["error"]}
    for key, words in BAD.items():
        assert words in errors[key]
    assert "more than once" in errors[7] and rows[7]["error"] is None
    nameless = [r["error"] for r in rows if r["id"] is None]
    assert len(nameless) == 2 and "no 'id' column" in nameless[0] and "line 247: not a JSON object" in nameless[1]
    good = rows[10]
    assert good["translation"] and len(good["sentences"]) >= 3 and good["signature"] == report.signature
    assert good["translation"].count("\n") == 1  # laid out like the article
    assert sorted(p.name for p in out.iterdir()) == ["part-00000.jsonl", "part-00001.jsonl", "part-00002.jsonl",
                                                     "translate-dataset.json"]


def test_ray_run_gives_the_local_bytes_and_a_second_run_sends_nothing(local_ray, local_run, tiny_model, models,
                                                                       dataset, tmp_path):
    out, local = local_run
    translator = make_translator(tiny_model, models, tmp_path / "cache")
    first = translate_dataset(dataset, tmp_path / "ray", translator=translator, cluster=RayCluster(actors=2),
                              rows_per_part=PART, block_rows=BLOCK, max_row_bytes=LIMIT)
    assert files(tmp_path / "ray") == files(out)
    assert first.translated > 0 and (first.rows, first.failed) == (local.rows, local.failed)

    # Everything is in the driver's cache now: nothing goes to the translators,
    # and the outputs are the same bytes again.
    second = translate_dataset(dataset, tmp_path / "again", translator=translator, cluster=RayCluster(actors=2),
                               rows_per_part=PART, block_rows=BLOCK, max_row_bytes=LIMIT)
    assert second.translated == 0 and second.cached == second.sentences > 0
    assert files(tmp_path / "again") == files(out)


def _descendants(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_text()
            except OSError:
                continue
            children.setdefault(int(stat.rsplit(")", 1)[1].split()[1]), []).append(int(entry))
    found, todo = [], list(children.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(children.get(child, []))
    return found


def _translating_actors() -> list[int]:
    """This test's own Ray workers that hold a translating actor."""
    pids = []
    for pid in _descendants(os.getpid()):
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            continue
        if command.startswith(b"ray::ModelWorker"):
            pids.append(pid)
    return pids


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="finds the actor's process in /proc")
def test_an_actor_killed_mid_job_is_restarted_and_nothing_is_lost_or_doubled(local_ray, local_run, tiny_model,
                                                                              models, dataset, tmp_path):
    out, local = local_run
    killed = []

    def kill_one(progress):
        if not killed and progress.rows < ROWS // 2:  # early: most blocks are still queued or running
            actors = _translating_actors()
            assert actors, "no translating actor found"
            os.kill(actors[0], signal.SIGKILL)
            killed.append(actors[0])

    translator = make_translator(tiny_model, models, tmp_path / "c")
    report = translate_dataset(dataset, tmp_path / "ray", translator=translator,
                               cluster=RayCluster(actors=2), rows_per_part=PART, block_rows=BLOCK,
                               max_row_bytes=LIMIT, progress=kill_one)
    assert len(killed) == 1
    rows = records(tmp_path / "ray")
    ids = [r["id"] for r in rows if r["id"] is not None]
    assert len(ids) == len(set(ids)) + 1  # only the duplicate row of the input itself
    assert report.rows == local.rows
    assert files(tmp_path / "ray") == files(out)


def test_an_interrupted_job_reruns_only_the_rows_not_written(local_ray, local_run, tiny_model, models, dataset,
                                                             tmp_path):
    out, local = local_run
    target = tmp_path / "ray"

    def stop_after_a_part(progress):
        if list(target.glob("part-*")):
            raise KeyboardInterrupt

    translator = make_translator(tiny_model, models, tmp_path / "cache")
    options = dict(translator=translator, cluster=RayCluster(actors=2), rows_per_part=PART, block_rows=BLOCK,
                   max_row_bytes=LIMIT)
    with pytest.raises(KeyboardInterrupt) as stopped:
        translate_dataset(dataset, target, progress=stop_after_a_part, **options)
    written = len(records(target))
    assert 0 < written < local.rows and stopped.value.partial_report.parts

    # Rows are skipped by id: the input's later duplicate of row 7 goes too (it
    # was written as an error by the uninterrupted run).
    rerun = translate_dataset(dataset, target, **options)
    assert rerun.skipped == written and rerun.rows == local.rows - written - 1
    assert records(target) == [r for r in records(out) if not (r["id"] == 7 and r["error"])]
    assert (target / "part-00000.jsonl").read_bytes() == (out / "part-00000.jsonl").read_bytes()


def test_a_folder_on_ray_gives_the_files_of_a_local_run(local_ray, tiny_model, models, seed_text, tmp_path):
    folder = tmp_path / "articles"
    (folder / "more").mkdir(parents=True)
    (folder / "aleppo.ar.txt").write_text(seed_text, encoding="utf-8")
    (folder / "more" / "short.txt").write_text("قصف روسي على حلب.\nوأعلنت تركيا وقف الهجمات.\n", encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    local = translate_files([folder], tmp_path / "local", formats="txt,jsonl,html",
                            translator=make_translator(tiny_model, models, tmp_path / "c1"))
    executor = RayExecutor(RayCluster(actors=2))
    on_ray = make_translator(tiny_model, models, tmp_path / "c2").variant(executor=executor)
    remote = translate_files([folder], tmp_path / "ray", formats="txt,jsonl,html", translator=on_ray)
    assert len(remote.errors) == len(local.errors) == 1, (remote.errors, local.errors)
    assert executor.translated > 0
    for name in ("aleppo.en.txt", "aleppo.en.jsonl", "aleppo.en.html", "more/short.en.html"):
        assert (tmp_path / "ray" / name).read_bytes() == (tmp_path / "local" / name).read_bytes(), name


@pytest.fixture
def ray_head(tmp_path):
    """A Ray head started with ``ray start --head``, in its own process group, stopped after the test."""
    port, log = free_port(), tmp_path / "head.log"
    head = subprocess.Popen(
        [sys.executable, "-m", "ray.scripts.scripts", "start", "--head", "--block", f"--port={port}", "--num-cpus=2",
         "--include-dashboard=false", "--disable-usage-stats", f"--temp-dir={tempfile.mkdtemp(prefix='ray-')}"],
        stdout=log.open("w"), stderr=subprocess.STDOUT, start_new_session=True, env=dict(os.environ, **RAY_ENV))
    try:
        def started() -> bool:
            assert head.poll() is None, log.read_text(errors="replace")
            return "Ray runtime started" in log.read_text(errors="replace")

        wait_until(started, 180, lambda: log.read_text(errors="replace"))
        yield f"127.0.0.1:{port}"
    finally:
        head.terminate()  # `ray start --block` stops its own processes on SIGTERM
        try:
            head.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass  # it drains for up to 30 s: no need to wait for that
        finally:
            try:
                os.killpg(head.pid, signal.SIGKILL)  # whatever of its group is left; nothing else
            except ProcessLookupError:
                pass


def test_the_cli_joins_a_ray_head_and_writes_the_local_bytes(ray_head, local_run, tiny_model, models, dataset,
                                                             tmp_path):
    out, local = local_run
    command = [sys.executable, "-m", "translate", "batch", str(dataset), "--out", str(tmp_path / "out"),
               "--ray-address", ray_head, "--actors", "2", "--rows-per-part", str(PART), "--block-rows", str(BLOCK),
               "--model", str(tiny_model), "--engine", "ctranslate2", "--device", "cpu", "--offline",
               "--cache-dir", str(tmp_path / "cache"), "--worker-cache-dir", str(models)]
    env = dict(os.environ, TRANSLATE_MAX_INPUT_BYTES=str(LIMIT), PYTHONPATH=str(ROOT), **RAY_ENV)
    done = subprocess.run(command, capture_output=True, text=True, timeout=400, env=env)
    assert done.returncode == 1, done.stderr  # 1: some rows were bad
    assert files(tmp_path / "out") == files(out)
    lines = done.stderr.strip().splitlines()
    assert lines[-1].startswith(f"translated {local.rows - local.failed:,} rows") and "7 rows failed" in lines[-1]
    assert sum(line.startswith("translate: error: id 'binary'") for line in lines) == 1


@pytest.mark.parametrize("on_ray", [False, True], ids=["local", "ray"])
def test_the_readers_own_translation_never_enters_the_model_cache(local_ray, tiny_model, models, seed_text,
                                                                  tmp_path, on_ray):
    """A sentence from the memory ("yours") is used in the output, and kept out of the
    cache: a later --no-memory run gets the model's translation, not the reader's."""
    from translate.store.memory import TranslationMemory

    folder, cache = tmp_path / "articles", tmp_path / "cache"
    folder.mkdir()
    (folder / "aleppo.ar.txt").write_text(seed_text, encoding="utf-8")
    mine = split_sentences(seed_text)[1]
    TranslationMemory(cache).remember(mine, "MY OWN WORDING")
    translator = make_translator(tiny_model, models, cache)
    translator.memory = TranslationMemory(cache)
    runner = translator.variant(executor=RayExecutor(RayCluster(actors=1))) if on_ray else translator
    translate_files([folder], tmp_path / "o", translator=runner)
    assert "MY OWN WORDING" in (tmp_path / "o" / "aleppo.en.txt").read_text(encoding="utf-8")
    assert not translator.cache.find(translator.raw_signature.key, [mine])

    without = make_translator(tiny_model, models, cache)  # no memory: --no-memory
    translate_files([folder], tmp_path / "o2", translator=without)
    assert "MY OWN WORDING" not in (tmp_path / "o2" / "aleppo.en.txt").read_text(encoding="utf-8")


def test_the_cli_on_a_local_ray_says_one_line_of_its_own_and_an_all_cached_job_starts_none(
        local_run, tiny_model, models, dataset, tmp_path):
    """Ray's own logs, warnings and notices stay out of the terminal (with Ray's default
    token authentication on, in a private home); a rerun into a new folder, all in the
    cache, never starts Ray."""
    def run(out: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "translate", "batch", str(dataset), "--out", str(tmp_path / out),
                   "--cluster", "ray", "--actors", "2", "--rows-per-part", str(PART), "--block-rows", str(BLOCK),
                   "--model", str(tiny_model), "--engine", "ctranslate2", "--device", "cpu", "--offline",
                   "--cache-dir", str(tmp_path / "cache"), "--worker-cache-dir", str(models)]
        env = {name: value for name, value in os.environ.items() if not name.startswith("RAY_")}
        env.update(TRANSLATE_MAX_INPUT_BYTES=str(LIMIT), PYTHONPATH=str(ROOT), HOME=str(tmp_path / "home"),
                   RAY_USAGE_STATS_ENABLED="0")
        return subprocess.run(command, capture_output=True, text=True, timeout=400, env=env)

    out, local = local_run
    first = run("first")
    assert first.returncode == 1, first.stderr  # 1: some rows were bad
    assert files(tmp_path / "first") == files(out)
    ours = [line for line in first.stderr.splitlines() if not line.startswith("translate: error: ")]
    assert ours[0] == "translate: started a local Ray: 2 translating actors (1 CPU thread each)", first.stderr
    assert len(ours) == 2 and ours[1].startswith("translated "), first.stderr

    again = run("again")
    assert files(tmp_path / "again") == files(out)
    ours = [line for line in again.stderr.splitlines() if not line.startswith("translate: error: ")]
    assert len(ours) == 1 and ours[0].startswith(f"translated {local.rows - local.failed:,} rows"), again.stderr
    assert "Ray" not in again.stderr


def test_the_memory_and_the_glossary_apply_on_the_cluster_and_give_the_local_bytes(local_ray, tiny_model, models,
                                                                                   dataset, seed_text, tmp_path):
    """One pipeline: the driver's memory and glossary apply to rows whose model step ran
    on Ray actors, and the outputs are the local run's, byte for byte (datasets and folders)."""
    from translate.glossary import Glossary
    from translate.store.memory import TranslationMemory

    glossary = Glossary.from_pairs([("حلب", "Aleppo"), ("تركيا", "Türkiye")])
    units = [" ".join(s.split()[:6]).rstrip(".،") + "." for s in split_sentences(seed_text)]
    mine = units[0]

    def translator(cache: Path) -> Translator:
        made = make_translator(tiny_model, models, cache)
        TranslationMemory(cache).remember(mine, "MY OWN WORDING")
        return made.variant(glossary=glossary, memory=TranslationMemory(cache))

    options = dict(rows_per_part=PART, block_rows=BLOCK, max_row_bytes=LIMIT)
    here = translate_dataset(dataset, tmp_path / "local", translator=translator(tmp_path / "c1"), **options)
    there = translate_dataset(dataset, tmp_path / "ray", translator=translator(tmp_path / "c2"),
                              cluster=RayCluster(actors=2), **options)
    assert files(tmp_path / "ray") == files(tmp_path / "local")
    assert there.translated > 0 and "|glossary:" in here.signature == there.signature
    rows = [r for r in records(tmp_path / "ray") if r["error"] is None]
    assert any(s["source"] == mine and s["translation"] == "MY OWN WORDING" for r in rows for s in r["sentences"])
    assert any("Aleppo" in r["translation"] or "term:حلب" in r["flags"] for r in rows if "حلب" in str(r))

    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "aleppo.ar.txt").write_text(seed_text + mine + "\n", encoding="utf-8")
    translate_files([folder], tmp_path / "folder-local", formats="txt,jsonl", translator=translator(tmp_path / "c3"))
    on_ray = translator(tmp_path / "c4").variant(executor=RayExecutor(RayCluster(actors=2)))
    translate_files([folder], tmp_path / "folder-ray", formats="txt,jsonl", translator=on_ray)
    for name in ("aleppo.en.txt", "aleppo.en.jsonl"):
        local_bytes = (tmp_path / "folder-local" / name).read_bytes()
        assert (tmp_path / "folder-ray" / name).read_bytes() == local_bytes, name
    assert b"MY OWN WORDING" in (tmp_path / "folder-ray" / "aleppo.en.txt").read_bytes()


# -- rows that must not stop a job, ids that keep their type ---------------------------------

ARTICLE = "قصف روسي على حلب."
HUGE_ID = 2 ** 70


@pytest.fixture(scope="module")
def odd_rows(tmp_path_factory) -> Path:
    """An id 1 and an id "1", an id beyond 64 bits, and a line of 100,000 nested brackets."""
    path = tmp_path_factory.mktemp("odd") / "odd.jsonl"
    lines = [json.dumps({"id": 1, "text": ARTICLE}), "[" * 100_000, json.dumps({"id": "1", "text": ARTICLE}),
             json.dumps({"id": HUGE_ID, "text": ARTICLE}), json.dumps({"id": 3, "text": ARTICLE})]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def parquet_records(folder: Path) -> list[dict]:
    import pyarrow.parquet as parquet

    return [row for part in sorted(folder.glob("part-*.parquet")) for row in parquet.read_table(part).to_pylist()]


def _cluster(on_ray: bool):
    return RayCluster(actors=1) if on_ray else None


@pytest.mark.parametrize("fmt, on_ray", [("jsonl", False), ("parquet", False), ("parquet", True)],
                         ids=["jsonl-local", "parquet-local", "parquet-ray"])
def test_odd_rows_are_rows_with_errors_and_ids_keep_their_type(request, odd_rows, tiny_model, models, tmp_path,
                                                               fmt, on_ray):
    if on_ray:
        request.getfixturevalue("local_ray")
    translator = make_translator(tiny_model, models, tmp_path / "cache")
    # One row per block: on Ray, the rows after the first are read and parsed by Ray's workers.
    options = dict(translator=translator, cluster=_cluster(on_ray), output_format=fmt, block_rows=1)
    report = translate_dataset(odd_rows, tmp_path / "out", **options)
    written = records(tmp_path / "out") if fmt == "jsonl" else parquet_records(tmp_path / "out")
    errors = [row["error"] for row in written]
    assert len(written) == report.rows == 5
    assert "odd.jsonl line 2: not a JSON object (its values are nested too deeply)" == errors[1]
    if fmt == "jsonl":  # JSON keeps every id as it is
        assert [row["id"] for row in written] == [1, None, "1", HUGE_ID, 3]
        assert [type(row["id"]) for row in written] == [int, type(None), str, int, int]
        assert report.failed == 1 and all(written[i]["translation"] for i in (0, 2, 3, 4))
    else:  # one type per column, 64 bits: the first id decides, the others are refused, never turned
        assert [row["id"] for row in written] == [1, None, None, None, 3]
        assert errors[2].startswith("id '1' is a string, but this dataset's ids are integers")
        assert errors[3].startswith(f"id {HUGE_ID} is beyond the 64-bit integers of a Parquet column")
        assert report.failed == 3 and written[0]["translation"] and written[4]["translation"]

    # A rerun writes nothing again: not id 1, not the bad rows.
    before = files(tmp_path / "out")
    again = translate_dataset(odd_rows, tmp_path / "out", **options)
    assert (again.rows, again.skipped) == (0, 5) and files(tmp_path / "out") == before


@pytest.mark.parametrize("on_ray", [False, True], ids=["local", "ray"])
def test_a_damaged_parquet_file_is_one_bad_row_and_the_other_files_are_translated(request, tiny_model, models,
                                                                                  tmp_path, on_ray):
    import pyarrow as pa
    import pyarrow.parquet as parquet

    if on_ray:
        request.getfixturevalue("local_ray")
    folder = tmp_path / "archive"
    folder.mkdir()
    parquet.write_table(pa.table({"id": [1, 2, 3], "text": [ARTICLE, "وأعلنت تركيا وقف الهجمات.", ARTICLE]}),
                        folder / "a.parquet")
    good = (folder / "a.parquet").read_bytes()
    (folder / "b.parquet").write_bytes(good[: len(good) // 2])  # cut off, footer and all
    report = translate_dataset(folder, tmp_path / "out", cluster=_cluster(on_ray), block_rows=1,
                               translator=make_translator(tiny_model, models, tmp_path / "cache"))
    written = records(tmp_path / "out")
    assert [row["id"] for row in written] == [1, 2, 3, None] and all(row["translation"] for row in written[:3])
    assert written[3]["error"].startswith("b.parquet: not a readable Parquet file (")
    assert report.errors == [written[3]["error"]] and "Arrow" not in written[3]["error"]


def test_the_cli_says_a_damaged_parquet_file_in_one_line(tiny_model, tmp_path, capsys):
    from translate.cli import main

    (tmp_path / "b.parquet").write_bytes(b"PAR1 not really")
    code = main(["batch", str(tmp_path / "b.parquet"), "--out", str(tmp_path / "out"), "--model", str(tiny_model),
                 "--engine", "transformers", "--quiet"])
    stderr = capsys.readouterr().err
    errors = [line for line in stderr.splitlines() if line.startswith("translate: error:")]
    assert code == 1 and "Traceback" not in stderr and "Arrow" not in stderr, stderr
    assert len(errors) == 1 and errors[0].startswith("translate: error: b.parquet: not a readable Parquet file")
