"""Benchmark: adding and removing a cited source with the incremental index build.

    python bench/bench_add.py [--out bench/results/add.json] [--pages 20] [--runs 3]

On a copy of the real corpus in a temporary folder (corpus/ and index/ of the project are never touched):

1. full build: a fresh ``rekenqa index`` process (wall time, process start included);
2. add: a fresh ``rekenqa add`` process with a generated ``--pages``-page source PDF (about 330 words and 19
   sentences a page, Dutch text with numbers), wall time including process start — target ≤ 15 s on a
   2-core machine;
3. remove: a fresh ``rekenqa remove`` process for that source;

add and remove ``--runs`` times. Each run also gives the time at which every progress line appeared, so the
phases (start-up, reading, BM25, waiting for the model and embedding, writing) can be told apart. Separately:
the start-up of the CLI (import) and the time to load the embedder in a fresh process. The machine's load
average is recorded with every run: on a shared machine the figures vary with it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from pdfgen import write_pdf  # noqa: E402

TARGET_S = 15.0
TOPICS = ("arbeidsmigranten", "statushouders", "studiemigranten", "gezinsmigranten", "Oekraïense ontheemden")
PLACES = ("Hoofddorp", "Nieuw-Vennep", "Badhoevedorp", "Zwanenburg", "Haarlem", "Amstelveen")


def source_pages(n: int) -> list[str]:
    """``n`` pages of Dutch text with numbers; no line repeats (repeated lines would be taken for headers)."""
    pages = []
    for p in range(n):
        lines = [f"Hoofdstuk {p + 1}: ontwikkelingen in {PLACES[p % len(PLACES)]}"]
        for i in range(18):
            k = p * 31 + i * 7
            lines.append(
                f"In {2015 + k % 10} woonden er {1000 + k * 17} {TOPICS[k % len(TOPICS)]} in "
                f"{PLACES[(k // 3) % len(PLACES)]}, een stijging van {k % 40} procent ten opzichte van het jaar ervoor."
            )
        pages.append("\n".join(lines))
    return pages


def rekenqa(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    """Run ``rekenqa ARGS`` in a fresh process: wall time, exit code, and when each progress line appeared."""
    load = os.getloadavg()[0]
    started = time.perf_counter()
    proc = subprocess.Popen(  # noqa: S603 - our own CLI, fixed arguments
        [str(ROOT / ".venv" / "bin" / "rekenqa"), *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stderr is not None and proc.stdout is not None
    events: list[tuple[float, str]] = []
    buffer = b""
    while chunk := proc.stderr.read1(4096):  # type: ignore[attr-defined]
        buffer += chunk
        *lines, buffer = re.split(rb"[\r\n]", buffer)
        for line in lines:
            text = line.decode("utf-8", "replace").strip()
            if text.startswith("[") and "%]" in text:
                events.append((round(time.perf_counter() - started, 2), text.split("] ", 1)[1]))
    out = proc.stdout.read().decode("utf-8", "replace")
    proc.wait()
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        raise SystemExit(f"rekenqa {' '.join(args)} failed ({proc.returncode}):\n{out}\n{buffer.decode(errors='replace')}")
    return {"wall_s": round(wall, 2), "load_avg_1m_before": round(load, 2), "progress_at_s": events, "output": out.strip()}


def python_time(code: str) -> float:
    started = time.perf_counter()
    subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-c", code], check=True)  # noqa: S603
    return round(time.perf_counter() - started, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "add.json")
    parser.add_argument("--pages", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="rekenqa-bench-add-") as tmp:
        base = Path(tmp)
        shutil.copytree(ROOT / "corpus", base / "corpus")
        env = {
            **os.environ,
            "REKENQA_CORPUS_DIR": str(base / "corpus"),
            "REKENQA_INDEX_DIR": str(base / "index"),
            "HF_HUB_OFFLINE": "1",
            "TRANSFORMERS_OFFLINE": "1",
        }
        pdf = write_pdf(base / f"cbs-bron-{args.pages}p.pdf", source_pages(args.pages))

        full = rekenqa(["index"], env)
        print("full build", full["wall_s"], "s", file=sys.stderr)
        adds, removes = [], []
        for run in range(args.runs):
            added = rekenqa(
                ["add", str(pdf), "--title", "Bevolking naar migratieachtergrond", "--publisher", "CBS",
                 "--year", "2024", "--id", "cbs-bron", "--url", "https://www.cbs.nl/bench-bron"],
                env,
            )
            print(f"add {run + 1}", added["wall_s"], "s", file=sys.stderr)
            removed = rekenqa(["remove", "cbs-bron"], env)
            print(f"remove {run + 1}", removed["wall_s"], "s", file=sys.stderr)
            adds.append(added)
            removes.append(removed)

        startup = python_time("import rekenqa.cli, rekenqa.pipeline")
        model = python_time(
            "from rekenqa.settings import Settings\nfrom rekenqa import embed\ns = Settings.from_env()\n"
            "embed.load_embedder(s.engine, s.cache_dir, s.model_path)"
        )

    add_walls = [a["wall_s"] for a in adds]
    report = {
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "source": {"pages": args.pages, "sentences_a_page": 19, "words_a_page": 330},
        "full_build": full,
        "add": {
            "runs": adds,
            "wall_s_median": statistics.median(add_walls),
            "wall_s_min": min(add_walls),
            "target_s": TARGET_S,
            "meets_target": statistics.median(add_walls) <= TARGET_S,
        },
        "remove": {"runs": removes, "wall_s_median": statistics.median(r["wall_s"] for r in removes)},
        "fresh_process": {"import_cli_s": startup, "import_and_load_embedder_s": model},
    }
    summary = {
        "full_build_s": full["wall_s"],
        "add_s_median": report["add"]["wall_s_median"],
        "add_s_runs": add_walls,
        "remove_s_median": report["remove"]["wall_s_median"],
        "import_cli_s": startup,
        "import_and_load_embedder_s": model,
        "meets_target": report["add"]["meets_target"],
    }
    print(json.dumps(summary, indent=2))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    main()
