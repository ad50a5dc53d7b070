"""How much a second worker gives the Monte Carlo, beside how much this machine can give.

Run from the repository root::

    python benchmarks/workers.py               # 7 interleaved rounds
    python benchmarks/workers.py --rounds 11

Each round measures, one after the other (so that a change in the machine's load touches
all of them alike):

- ``mc_1`` and ``mc_2``: a warm 10,000-path x 300-month Monte Carlo of the Qom baseline
  with one worker and with two (forked processes on Linux);
- three ceilings (:data:`CEILINGS`), each a fixed amount of work in one forked process,
  then split in halves over two forked processes at once
  (:func:`solarcoop.studies.workers.run_shares`): ``numpy_rows`` (the kind of small
  numpy steps on rows of 5,000 paths the books take), ``compute`` (cache-resident
  arithmetic: a loop over an array of 512 numbers, held in each core's own cache, so
  nothing is shared between the cores but the processor time), and ``memory`` (adding
  arrays of 4 million numbers, 32 MiB each: the traffic to memory, which two cores
  share). ``ceiling_1 / ceiling_2`` is the most a two-process program of that kind of
  work gets from this machine's two cores at the time: shared with other work, it is
  below 2;
- ``fork``: starting and collecting two forked processes that do nothing (the cost that
  does not shrink with a second worker).

It prints the medians, the load average (``os.getloadavg``) before each round, the
Monte Carlo's speedup ``mc_1 / mc_2`` (target >= 1.8), and each ceiling beside it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

import solarcoop as sc  # noqa: E402
from solarcoop.studies import workers  # noqa: E402

N_PATHS = 10_000


def numpy_steps(steps: int) -> float:
    """``steps`` small numpy steps on a row of 5,000 values, as the books take month by month."""
    row = np.linspace(1.0, 2.0, 5_000)
    total = np.zeros_like(row)
    for _ in range(steps):
        total += np.maximum(row * 1.0001 - 0.5, 0.0)
    return float(total[0])


def compute_steps(steps: int) -> float:
    """``steps`` passes of arithmetic over 512 numbers (4 KiB, held in the core's own
    cache): processor work that two cores do without sharing anything."""
    values = np.linspace(1.0, 2.0, 512)
    for _ in range(steps):
        np.multiply(values, 0.999999, out=values)
        np.add(values, 1e-6, out=values)
        np.sqrt(values, out=values)
        np.multiply(values, values, out=values)
    return float(values[0])


def memory_steps(steps: int) -> float:
    """``steps`` additions of two arrays of 4 million numbers (32 MiB each, far beyond the
    cache): traffic to memory, which the cores share."""
    a, b = np.ones(4 * 2**20), np.full(4 * 2**20, 1e-9)
    for _ in range(steps):
        np.add(a, b, out=a)
    return float(a[0])


CEILINGS = {"numpy_rows": (numpy_steps, 80_000), "compute": (compute_steps, 150_000), "memory": (memory_steps, 250)}
"""Each ceiling's work and its steps on one process (each about half a second to a second
on one quiet core); two processes take half the steps each."""


def nothing(_) -> None:
    return None


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def ceiling_measurements() -> dict:
    """name -> function returning the seconds of one run: for each of :data:`CEILINGS`,
    ``<name>_1`` (all its steps in one forked process) and ``<name>_2`` (half the steps in
    each of two forked processes at once)."""
    runs = {}
    for name, (work, steps) in CEILINGS.items():
        runs[f"{name}_1"] = lambda work=work, steps=steps: timed(lambda: workers.run_shares(work, [steps]))
        runs[f"{name}_2"] = lambda work=work, steps=steps: timed(
            lambda: workers.run_shares(work, [steps // 2, steps - steps // 2])
        )
    return runs


def ceiling_lines(median: dict) -> list[str]:
    """What each ceiling gives two processes over one, from the medians of
    :func:`ceiling_measurements`, one line each."""
    notes = {
        "numpy_rows": "small numpy steps on rows of 5,000, as the books",
        "compute": "cache-resident arithmetic: the cores share nothing",
        "memory": "arrays of 32 MiB: the cores share memory's bandwidth",
    }
    return [
        f"two processes / one, {name:10s} {median[f'{name}_1'] / median[f'{name}_2']:5.2f}x  ({notes[name]})"
        for name in CEILINGS
    ]


def measurements(scenario) -> dict:
    return {
        "mc_1": lambda: timed(lambda: sc.monte_carlo(scenario, n_paths=N_PATHS, seed=0, workers=1)),
        "mc_2": lambda: timed(lambda: sc.monte_carlo(scenario, n_paths=N_PATHS, seed=0, workers=2)),
        **ceiling_measurements(),
        "fork": lambda: timed(lambda: workers.run_shares(nothing, [0, 1])),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default: %(default)s)")
    args = parser.parse_args()
    if not workers.CAN_FORK:
        raise SystemExit("workers are forked processes only where the system forks (Linux)")
    scenario = sc.qom_baseline()
    sc.monte_carlo(scenario, n_paths=N_PATHS, seed=0, workers=2)  # warm: weather years, imports
    runs = measurements(scenario)
    times = {name: [] for name in runs}
    loads = []
    for round_number in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for name, run in runs.items():
            times[name].append(run())
        print(f"round {round_number + 1}/{args.rounds} done (load {loads[-1]:.2f})", file=sys.stderr)
    median = {name: statistics.median(values) for name, values in times.items()}
    print(
        f"{args.rounds} interleaved rounds; {workers.available_cores()} cores; load average (1 min) "
        f"before the rounds: median {statistics.median(loads):.2f}, range {min(loads):.2f}-{max(loads):.2f}"
    )
    print("medians [s]; ranges in brackets")
    for name, values in times.items():
        print(f"  {name:10s} {median[name]:8.3f}  [{min(values):.3f}-{max(values):.3f}]")
    speedup = median["mc_1"] / median["mc_2"]
    per_round = [a / b for a, b in zip(times["mc_1"], times["mc_2"], strict=True)]
    print(f"two workers / one, Monte Carlo      {speedup:5.2f}x  (target >= 1.8; rounds "
          f"{min(per_round):.2f}-{max(per_round):.2f})")
    for line in ceiling_lines(median):
        print(line)
    ceiling = median["numpy_rows_1"] / median["numpy_rows_2"]
    print(f"Monte Carlo's share of the numpy-rows ceiling {(speedup - 1) / max(ceiling - 1, 1e-9):5.0%}")

if __name__ == "__main__":
    main()
