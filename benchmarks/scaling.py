"""The Monte Carlo's cost per path, from 10,000 to 10,000,000 paths, kept or streamed.

Run from the repository root::

    python benchmarks/scaling.py                 # up to 1,000,000 paths
    python benchmarks/scaling.py --rounds 11
    python benchmarks/scaling.py --ten-million   # adds 10,000,000 streamed paths (minutes)

Target: the cost per path stays flat from 10,000 to 10,000,000 paths, streamed or kept.

Each run is the Qom baseline as users run it (``sc.qom_baseline()``, seed 0, the default
workers: one per core) in a fresh process that first runs 250 paths, so that the imports
and the weather years' physics are not counted, then times ``sc.monte_carlo`` for:

- kept (``keep_paths=True``): 10,000 and 30,000 paths;
- streamed (``keep_paths=False``): 10,000, 100,000 and 1,000,000 paths, and
  10,000,000 with ``--ten-million``.

The runs up to 100,000 paths are repeated in ``--rounds`` interleaved rounds (each round
runs every size once, so a change in the machine's load touches all alike) and their
medians printed; the larger ones run ``--large-rounds`` times (default once) after them.
For each it prints the wall time and the processor time (the process and its worker
processes, ``os.times`` once the workers are collected) per path [µs], each as a ratio to
kept 10,000 paths, the peak resident memory of the process and of its largest worker
(``ru_maxrss``: a worker's figure counts the pages it shares with its parent too) and
the load average (``os.getloadavg``, one minute) before the runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}

RUN = """import json, os, resource, time
import solarcoop as sc
scenario = sc.qom_baseline()
sc.monte_carlo(scenario, n_paths=250, seed=0, keep_paths={keep})  # warm: imports, weather years


def collect_workers():
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:
            return


collect_workers()
before, start = os.times(), time.perf_counter()
result = sc.monte_carlo(scenario, n_paths={n_paths}, seed=0, keep_paths={keep})
seconds = time.perf_counter() - start
collect_workers()
after = os.times()
print(json.dumps({{
    "seconds": seconds,
    "cpu_seconds": sum(after[:4]) - sum(before[:4]),
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
    "n_paths": result.n_paths,
    "kept": result.paths is not None,
}}))
"""

SMALL = (("kept", 10_000), ("kept", 30_000), ("streamed", 10_000), ("streamed", 100_000))
"""The runs repeated in interleaved rounds: (kept or streamed, paths)."""

LARGE = (("streamed", 1_000_000),)
TEN_MILLION = ("streamed", 10_000_000)


def run(how: str, n_paths: int) -> dict:
    """One timed Monte Carlo in a fresh process: what :data:`RUN` reports, with the load
    average before it."""
    load = os.getloadavg()[0]
    code = RUN.format(n_paths=n_paths, keep=how == "kept")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True)
    out = json.loads(done.stdout.strip().splitlines()[-1])
    if out["n_paths"] != n_paths or out["kept"] != (how == "kept"):
        raise SystemExit(f"asked for {n_paths:,} paths {how}, got {out['n_paths']:,} (kept: {out['kept']})")
    return {**out, "load": load}


def medians(runs: list[dict]) -> dict:
    """The median of each figure over ``runs``, with the load's range and the run count."""
    out = {key: statistics.median(r[key] for r in runs) for key in ("seconds", "cpu_seconds", "peak_mib", "worker_peak_mib", "load")}
    return {**out, "load_min": min(r["load"] for r in runs), "load_max": max(r["load"] for r in runs), "runs": len(runs)}


def table(figures: dict) -> list[str]:
    """One line per run: per-path wall and processor time [µs], their ratios to kept
    10,000 paths, peak memory [MiB], the load and the number of runs."""
    wall_0 = figures[("kept", 10_000)]["seconds"] / 10_000
    cpu_0 = figures[("kept", 10_000)]["cpu_seconds"] / 10_000
    lines = [
        "               paths   wall [s]  wall/path  ratio   cpu/path  ratio   peak    largest worker  load (1 min)  runs",
    ]
    for (how, n_paths), f in figures.items():
        wall, cpu = f["seconds"] / n_paths, f["cpu_seconds"] / n_paths
        lines.append(
            f"  {how:8s} {n_paths:>10,}  {f['seconds']:8.2f}  {wall * 1e6:6.1f} µs  {wall / wall_0:5.2f}  "
            f"{cpu * 1e6:6.1f} µs  {cpu / cpu_0:5.2f}  {f['peak_mib']:5.0f} MiB  {f['worker_peak_mib']:6.0f} MiB     "
            f"{f['load']:.2f} ({f['load_min']:.2f}-{f['load_max']:.2f})   {f['runs']}"
        )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds up to 100,000 paths (default: %(default)s)")
    parser.add_argument("--large-rounds", type=int, default=1, help="runs of 1,000,000 paths and more (default: %(default)s)")
    parser.add_argument("--ten-million", action="store_true", help="add 10,000,000 streamed paths (minutes)")
    args = parser.parse_args()
    print(f"{os.cpu_count()} cores; load average (1 min) before: {os.getloadavg()[0]:.2f}")
    runs = {size: [] for size in SMALL}
    for round_number in range(args.rounds):
        for size in SMALL:
            runs[size].append(run(*size))
        print(f"round {round_number + 1}/{args.rounds} done (load {os.getloadavg()[0]:.2f})", file=sys.stderr)
    for size in LARGE + ((TEN_MILLION,) if args.ten_million else ()):
        runs[size] = [run(*size) for _ in range(args.large_rounds)]
        print(f"{size[1]:,} paths {size[0]} done (load {os.getloadavg()[0]:.2f})", file=sys.stderr)
    print(f"medians of {args.rounds} interleaved rounds up to 100,000 paths, {args.large_rounds} run(s) above; "
          "per path [µs]; ratios to kept 10,000 paths (target: flat, about 1)")
    for line in table({size: medians(values) for size, values in runs.items()}):
        print(line)


if __name__ == "__main__":
    main()
