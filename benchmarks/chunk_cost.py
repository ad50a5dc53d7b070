"""The Monte Carlo's cost per path: one chunk of paths drawn, priced, collected and booked.

Times ``montecarlo._book_chunk`` (what every worker runs for each chunk of paths) on
chunks of 250, 2,500 (the default ``montecarlo.CHUNK_PATHS``) and 10,000 paths, all the
kept columns, in one process set up as a worker is (it keeps the memory numpy frees for
the next chunk, ``studies.workers``), on processor time (``time.process_time``, steadier
than wall time on a shared machine), the least of ``--rounds`` runs, and prints
microseconds a path for the Qom baseline (``sc.qom_baseline()``).

``--profile N`` prints a cProfile of one ``N``-path chunk of the Qom baseline instead.

Run: ``python benchmarks/chunk_cost.py [--rounds 5] [--profile 10000]``.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))


import solarcoop as sc  # noqa: E402
from solarcoop.calendar import accounting_months  # noqa: E402
from solarcoop.studies import montecarlo, workers  # noqa: E402

CHUNKS = (250, 2_500, 10_000)
"""Paths in the chunks timed."""


def chunk_inputs(scenario, n_paths: int, seed: int = 0):
    """What ``montecarlo._book_chunk`` takes for one chunk of ``n_paths`` paths."""
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = montecarlo.energy_tables(scenario, months)
    blocks = montecarlo._seed_blocks(n_paths, seed)
    return scenario, months, tables, blocks, montecarlo.KEPT_COLUMNS


def chunk_seconds(inputs, rounds: int) -> float:
    """The least processor time of ``rounds`` runs of one chunk [s] (after one warm-up run)."""
    montecarlo._book_chunk(*inputs)
    times = []
    for _ in range(rounds):
        start = time.process_time()
        montecarlo._book_chunk(*inputs)
        times.append(time.process_time() - start)
    return min(times)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, default=0, help="profile one chunk of this many paths")
    args = parser.parse_args(argv)
    workers._keep_freed_memory()  # as in every worker process
    if args.profile:
        inputs = chunk_inputs(sc.qom_baseline(), args.profile)
        for _ in range(3):  # warm: the weather tables made, the memory of a chunk's arrays held
            montecarlo._book_chunk(*inputs)
        profile = cProfile.Profile()
        profile.enable()
        montecarlo._book_chunk(*inputs)
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)
        return
    scenarios = {"qom_baseline": sc.qom_baseline()}
    print(f"process time, least of {args.rounds}; one process")
    print(f"{'scenario':18s} {'paths':>7s} {'s':>7s} {'us/path':>8s}")
    for name, scenario in scenarios.items():
        for n_paths in CHUNKS:
            seconds = chunk_seconds(chunk_inputs(scenario, n_paths), args.rounds)
            print(f"{name:18s} {n_paths:7,d} {seconds:7.3f} {1e6 * seconds / n_paths:8.1f}")


if __name__ == "__main__":
    main()
