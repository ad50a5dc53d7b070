"""How much a second worker gives the Monte Carlo, beside how much this machine can give.

Run from the repository root::

    python benchmarks/workers.py               # 7 interleaved rounds
    python benchmarks/workers.py --rounds 11

Each round measures, one after the other (so that a change in the machine's load touches
all of them alike):

- ``mc_1`` and ``mc_2``: a warm 10,000-path x 300-month Monte Carlo of the Qom baseline
  with one worker and with two (forked processes on Linux);
- ``ceiling_1`` and ``ceiling_2``: the same fixed amount of plain numpy work (the kind of
  small steps on rows of 5,000 paths the books take), in one forked process, then split
  in halves over two forked processes at once (:func:`solarcoop.studies.workers.run_shares`).
  ``ceiling_1 / ceiling_2`` is the most any two-process program gets from this machine's
  two cores at the time: shared with other work, it is below 2;
- ``fork``: starting and collecting two forked processes that do nothing (the cost that
  does not shrink with a second worker).

It prints the medians, the load average (``os.getloadavg``) before each round, the
Monte Carlo's speedup ``mc_1 / mc_2`` (target >= 1.8), and the machine's ceiling beside it.
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
CEILING_STEPS = 15_000
"""Numpy steps of the ceiling's work, on rows of 5,000 paths (about a second on one quiet core)."""


def numpy_steps(steps: int) -> float:
    """``steps`` small numpy steps on a row of 5,000 values, as the books take month by month."""
    row = np.linspace(1.0, 2.0, 5_000)
    total = np.zeros_like(row)
    for _ in range(steps):
        total += np.maximum(row * 1.0001 - 0.5, 0.0)
    return float(total[0])


def nothing(_) -> None:
    return None


def timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def measurements(scenario) -> dict:
    return {
        "mc_1": lambda: timed(lambda: sc.monte_carlo(scenario, n_paths=N_PATHS, seed=0, workers=1)),
        "mc_2": lambda: timed(lambda: sc.monte_carlo(scenario, n_paths=N_PATHS, seed=0, workers=2)),
        "ceiling_1": lambda: timed(lambda: workers.run_shares(numpy_steps, [CEILING_STEPS])),
        "ceiling_2": lambda: timed(
            lambda: workers.run_shares(numpy_steps, [CEILING_STEPS // 2, CEILING_STEPS // 2])
        ),
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
    ceiling = median["ceiling_1"] / median["ceiling_2"]
    per_round = [a / b for a, b in zip(times["mc_1"], times["mc_2"], strict=True)]
    print(f"two workers / one, Monte Carlo      {speedup:5.2f}x  (target >= 1.8; rounds "
          f"{min(per_round):.2f}-{max(per_round):.2f})")
    print(f"two processes / one, plain numpy   {ceiling:5.2f}x  (this machine's ceiling at the time)")
    print(f"Monte Carlo's share of the ceiling {(speedup - 1) / max(ceiling - 1, 1e-9):5.0%}")


if __name__ == "__main__":
    main()
