"""Benchmark: warm ask/check/quote latency on the dev sets, and a scale run of the dense index.

    python bench/bench_search.py [--out bench/results/search.json] [--skip-scale]

Latency: the real index (built if missing) and the real embedder; every dev question, claim and quote once
as warm-up, then timed. Stress: the timings that unit tests must not assert (they flake on a shared
machine): sentence splitting at two text sizes (linear: the ratio stays near the size ratio), a quote of
four whole pages twice, random cuts of report pages as quotes, repairing the whole report, and a speech at
the 100-claim limit. Scale: the report's passage and sentence vectors replicated 10x and 100x with
independent noise (so that no two vectors are equal, as with altered text), BM25 over the replicated texts
with a replica-specific word changed, flat vs HNSW FAISS: build time, memory, query p95 of the whole
retrieval path (query embedding + FAISS + sentence scoring + BM25 + fusion), and HNSW recall@10 against flat.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from rekenqa import lexical  # noqa: E402
from rekenqa.index import make_dense, sentence_lines  # noqa: E402
from rekenqa.pipeline import Engine, sentence_texts  # noqa: E402
from rekenqa.retrieve import Retriever, rrf  # noqa: E402
from rekenqa.settings import Settings  # noqa: E402


def load_index_chunks(path: Path) -> list:
    from rekenqa.index import load_index

    return list(load_index(path).chunks)


def pct(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q)) if values else 0.0


def timed(fn, items: list[str]) -> dict[str, float]:
    for item in items[:5]:
        fn(item)
    times = []
    for item in items:
        started = time.perf_counter()
        fn(item)
        times.append((time.perf_counter() - started) * 1000)
    return {
        "n": len(times),
        "p50_ms": round(pct(times, 50), 1),
        "p95_ms": round(pct(times, 95), 1),
        "max_ms": round(max(times), 1),
    }


def read(path: Path, key: str) -> list[str]:
    return [json.loads(line)[key] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def latency(engine: Engine) -> dict[str, dict[str, float]]:
    data = ROOT / "tests" / "data"
    return {
        "ask": timed(engine.ask, read(data / "qa_dev.jsonl", "question") + read(data / "qa_council.jsonl", "question")),
        "check": timed(engine.check_claim, read(data / "claims_dev.jsonl", "claim")),
        "quote": timed(engine.check_quote, read(data / "quotes_dev.jsonl", "quote")),
    }


def _best_ms(fn, repeats: int = 5) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return round(min(times), 1)


def stress(engine: Engine) -> dict[str, float]:
    """Inputs at the limits, timed (the unit tests check what these inputs give, not how fast)."""
    import random

    from rekenqa import load, repair
    from rekenqa.sentences import split_sentences

    def speech_text(n: int) -> str:
        return " ".join(f"In {2000 + k % 25} woonden er {1000 + 7 * k} migranten in Haarlemmermeer." for k in range(n))

    small, large = speech_text(600)[:40_000], speech_text(4800)[:320_000]
    doc = engine.index.report.id
    pages = [engine.index.pages[(doc, n)] for n in engine.index.page_numbers(doc)]
    whole = " ".join(" ".join(engine.index.pages[(doc, n)].text.split()) for n in (17, 18, 19, 20)) * 2
    rng = random.Random(11)
    cuts = []
    for _ in range(150):
        words = rng.choice(pages).text.split()
        if len(words) >= 12:
            a = rng.randrange(0, len(words) - 8)
            cuts.append(" ".join(words[a : min(len(words), a + rng.randint(8, 60))]))
    entry = next(e for e in load.discover(engine.settings.corpus_dir) if e.info.kind == "report")
    raw = load.load_document(entry)
    vocab = repair.build_vocabulary(raw)
    split_small, split_large = _best_ms(lambda: split_sentences(small)), _best_ms(lambda: split_sentences(large))
    return {
        "split_sentences_40k_ms": split_small,
        "split_sentences_320k_ms": split_large,
        "split_sentences_ratio_for_8x_text": round(split_large / max(split_small, 0.1), 1),
        "quote_4_pages_twice_ms": _best_ms(lambda: engine.check_quote(whole[:20_000]), repeats=3),
        "quote_random_cuts_p95_ms": timed(engine.check_quote, cuts)["p95_ms"],
        "repair_report_ms": _best_ms(lambda: repair.repair_pages(raw, vocab), repeats=3),
        "speech_100_claims_ms": _best_ms(lambda: engine.check_speech(speech_text(100)), repeats=1),
    }


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scale(engine: Engine, factor: int, questions: list[str], rng: np.random.Generator) -> dict[str, object]:
    index = engine.index
    base = index.dense.reconstruct_n(0, index.dense.ntotal)
    sent = index.sentence_vectors.astype(np.float32)
    noise = 0.06
    vecs, svecs, texts, chunks = [], [], [], []
    for r in range(factor):
        v = base + rng.normal(0, noise, base.shape).astype(np.float32) if r else base
        vecs.append(v / np.linalg.norm(v, axis=1, keepdims=True))
        s = sent + rng.normal(0, noise, sent.shape).astype(np.float32) if r else sent
        svecs.append((s / np.linalg.norm(s, axis=1, keepdims=True)).astype(np.float16))
        for c in index.chunks:
            texts.append(f"{c.section} {c.text} replica{r}")
        chunks.extend(index.chunks)
    vectors = np.concatenate(vecs)
    sentence_vectors = np.concatenate(svecs)
    counts = [len(sentence_lines(c)) for c in chunks]
    offsets = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(np.int64)
    started = time.perf_counter()
    bm25 = lexical.BM25.build(texts, index.bm25.analyzer)
    bm25_s = time.perf_counter() - started
    qvecs = engine.embedder.embed_queries(questions)
    out: dict[str, object] = {
        "passages": len(chunks),
        "sentences": int(sentence_vectors.shape[0]),
        "bm25_build_s": round(bm25_s, 1),
    }
    results = {}
    for kind in ("flat", "hnsw"):
        rss_before = rss_mb()
        started = time.perf_counter()
        dense = make_dense(vectors, kind)
        build_s = time.perf_counter() - started
        import faiss

        size_mb = len(faiss.serialize_index(dense)) / 1e6
        retriever = Retriever(chunks, dense, bm25, sentence_vectors, offsets, rrf())
        _, ids = dense.search(qvecs.astype(np.float32), 10)
        results[kind] = ids
        times = []
        for q in questions:
            started = time.perf_counter()
            qv = engine.embedder.embed_queries([q])[0]
            retriever.search(qv, q, k=10)
            times.append((time.perf_counter() - started) * 1000)
        out[kind] = {
            "build_s": round(build_s, 2),
            "index_mb": round(size_mb, 1),
            "rss_growth_mb": round(rss_mb() - rss_before, 1),
            "query_p50_ms": round(pct(times, 50), 1),
            "query_p95_ms": round(pct(times, 95), 1),
        }
    recall = [len(set(a) & set(b)) / 10 for a, b in zip(results["flat"], results["hnsw"], strict=True)]
    out["hnsw_recall_at_10"] = round(statistics.mean(recall), 4)
    out["vectors_mb"] = round(vectors.nbytes / 1e6 + sentence_vectors.nbytes / 1e6, 1)
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "search.json")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--factors", default="10,100")
    parser.add_argument("--build", action="store_true", help="also time a full index build (warm model cache)")
    args = parser.parse_args()
    report: dict[str, object] = {
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.processor() or platform.platform()}",
    }
    if args.build:
        import tempfile

        from rekenqa.pipeline import build_index, load_embedder

        settings = Settings.from_env()
        embedder = load_embedder(settings)
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            result = build_index(settings.replace(index_dir=Path(tmp) / "index"), embedder=embedder)
            built = load_index_chunks(Path(tmp) / "index")
            report["build"] = {
                "seconds": round(time.perf_counter() - started, 1),
                "chunks": result.chunks,
                "facts": result.facts,
                "sentences": int(sum(len(sentence_lines(c)) for c in built)),
                # What the embedder ran on: identical lines (passage overlaps) are embedded once.
                "distinct_lines_embedded": len(
                    {line for c in built for line in sentence_texts(c)}
                ),
            }
        print("build", report["build"])
    started = time.perf_counter()
    engine = Engine.open(Settings.from_env())
    report["engine_open_s"] = round(time.perf_counter() - started, 2)
    report["latency"] = latency(engine)
    print(json.dumps(report["latency"], indent=2))
    report["stress"] = stress(engine)
    print("stress", json.dumps(report["stress"]))
    if not args.skip_scale:
        questions = read(ROOT / "tests" / "data" / "qa_dev.jsonl", "question")
        rng = np.random.default_rng(7)
        report["scale"] = {}
        for factor in (int(f) for f in args.factors.split(",")):
            result = scale(engine, factor, questions, rng)
            report["scale"][f"{factor}x"] = result  # type: ignore[index]
            print(f"{factor}x", json.dumps(result))
    report["peak_rss_mb"] = round(rss_mb(), 1)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2), encoding="utf-8")
    print(f"written {args.out}")


if __name__ == "__main__":
    main()
