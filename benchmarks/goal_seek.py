"""How long a goal seek on a probability takes: warm in the library, and from the command line.

Run from the repository root::

    python benchmarks/goal_seek.py                          # this checkout, 7 rounds
    python benchmarks/goal_seek.py --compare ../other-checkout --rounds 9 --target 25e6

Each round runs, for each checkout in turn (so that a change in the machine's load
touches them alike):

- ``library``: in a new interpreter, ``sc.goal_seek`` of the Qom baseline's tariff for a
  P90 of the year-1 mean payout of ``--target`` rial (default 15 M, which the baseline
  reaches under the central payout practice: 9 trials; at 20 M before that practice, 7
  trials, 24 before the search took its points on the line through the
  bracket's ends; 2,000 paths, seed 0, as the CLI) once to warm up (the first time:
  ``library_first``), then again, timed (``library``);
- ``cli``: the wall time of ``solarcoop goal-seek --probability 0.9 --target TARGET`` in
  a new process (the same seek on the family's money after its instalment);
- ``cli_defaults``: ``solarcoop goal-seek --probability 0.9`` with the CLI's default
  target of 50 M rial, which the baseline's P90 cannot reach (two trials, at the bounds);
- ``library_cpu``, ``cli_cpu`` and ``cli_defaults_cpu``: the processor time of the same
  (this process's and its children's, user and system), which a busy machine inflates
  less than the wall time.

It prints the medians, the load average (``os.getloadavg``) before each round, and the
answer each checkout gave (they must agree).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KINDS = ("library_first", "library", "library_cpu", "cli", "cli_cpu", "cli_defaults", "cli_defaults_cpu")

LIBRARY = """
import os, sys, time
import solarcoop as sc
arguments = dict(path="tariff.base_price_rial_per_kwh", target=("payout_per_family_rial_mean_year1", float(sys.argv[1])),
                 probability_of_exceedance=0.9, n_paths=2_000, seed=0)
start = time.perf_counter()
sc.goal_seek(sc.qom_baseline(), **arguments)
first = time.perf_counter() - start
start, cpu = time.perf_counter(), os.times()
found = sc.goal_seek(sc.qom_baseline(), **arguments)
wall, after = time.perf_counter() - start, os.times()
print(found.message, f"({getattr(found, 'trials', '?')} trials)")
print(first, wall, sum(after[:4]) - sum(cpu[:4]))
"""


def environment(checkout: Path) -> dict:
    return {**os.environ, "PYTHONPATH": str(checkout)}


def library(checkout: Path, target: float) -> tuple[float, float, float, str]:
    done = subprocess.run(
        [sys.executable, "-c", LIBRARY, str(target)], capture_output=True, text=True, check=True,
        env=environment(checkout), cwd=checkout,
    )  # fmt: skip
    message, times = done.stdout.strip().splitlines()[-2:]
    first, warm, cpu = (float(value) for value in times.split())
    return first, warm, cpu, message


def cli(checkout: Path, extra: list[str]) -> tuple[float, float, str]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "solarcoop.cli", "goal-seek", "--probability", "0.9", *extra],
        capture_output=True, text=True, env=environment(checkout), cwd=checkout,
    )  # fmt: skip
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    if done.returncode not in (0, 1):  # 1: the target cannot be reached (still an answer)
        raise SystemExit(done.stderr)
    return elapsed, cpu, done.stdout.strip().splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default: %(default)s)")
    parser.add_argument("--target", type=float, default=15e6, help="P90 to reach [rial] (default: %(default)s)")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout of solarcoop to measure alike (repeatable)")  # fmt: skip
    args = parser.parse_args()
    checkouts = {"this": ROOT, **{str(path): path.resolve() for path in args.compare}}
    times = {(name, kind): [] for name in checkouts for kind in KINDS}
    answers = {}
    loads = []
    for round_number in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for name, checkout in checkouts.items():
            first, warm, warm_cpu, message = library(checkout, args.target)
            elapsed, cpu, line = cli(checkout, ["--target", str(args.target)])
            default_elapsed, default_cpu, default_line = cli(checkout, [])
            values = (first, warm, warm_cpu, elapsed, cpu, default_elapsed, default_cpu)
            for kind, value in zip(KINDS, values, strict=True):
                times[name, kind].append(value)
            answers[name] = (message, line, default_line)
        print(f"round {round_number + 1}/{args.rounds} done (load {loads[-1]:.2f})", file=sys.stderr)
    print(
        f"{args.rounds} interleaved rounds on {os.cpu_count()} cores; load average (1 min) before the "
        f"rounds: median {statistics.median(loads):.2f}, range {min(loads):.2f}-{max(loads):.2f}"
    )
    print("medians [s]; ranges in brackets (targets: library <= 1.5 s warm, cli <= 3 s)")
    for (name, kind), values in times.items():
        print(f"  {name:12s} {kind:14s} {statistics.median(values):7.2f}  [{min(values):.2f}-{max(values):.2f}]")
    for name, (message, line, default_line) in answers.items():
        print(f"  {name}: {message}\n  {' ' * len(name)}  cli: {line}\n  {' ' * len(name)}  cli, defaults: {default_line}")


if __name__ == "__main__":
    main()
