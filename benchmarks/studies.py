"""How long the single-run studies take: sensitivity (the tornado's rows), a sweep, and a
goal seek on the single run, warm in the library.

Run from the repository root::

    python benchmarks/studies.py                          # this checkout, 7 rounds
    python benchmarks/studies.py --compare ../other-checkout --rounds 9

Each round runs every study once for each checkout in turn, each in a new interpreter
that first runs the study once to warm up (imports, the embedded year's solar geometry),
then times it again: wall time and processor time (user and system), which a busy
machine inflates less. It prints the medians, the load average (``os.getloadavg``)
before each round, and checks that the checkouts' answers are the same.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

STUDIES = {
    "sensitivity": "sc.sensitivity(scenario)",
    "sweep_3x3": (
        "sc.sweep(scenario, {'tariff.base_price_rial_per_kwh': [40_000, 46_000, 52_000], "
        "'loan.annual_rate': [0.04, 0.06, 0.08]})"
    ),
    "goal_seek_single_run": (
        "sc.goal_seek(scenario, 'tariff.base_price_rial_per_kwh', "
        "('payout_per_family_rial_mean_year1', 50e6)).value"
    ),
}

TIMED = """
import hashlib, os, pickle, time
import solarcoop as sc
scenario = sc.qom_baseline()
study = lambda: {study}
study()
start, cpu = time.perf_counter(), os.times()
answer = study()
wall, after = time.perf_counter() - start, os.times()
print(hashlib.sha256(pickle.dumps(answer)).hexdigest()[:16])
print(wall, sum(after[:4]) - sum(cpu[:4]))
"""


def timed(checkout: Path, study: str) -> tuple[float, float, str]:
    done = subprocess.run(
        [sys.executable, "-c", TIMED.format(study=study)], capture_output=True, text=True,
        check=True, env={**os.environ, "PYTHONPATH": str(checkout)}, cwd=checkout,
    )  # fmt: skip
    answer, times = done.stdout.strip().splitlines()[-2:]
    wall, cpu = (float(value) for value in times.split())
    return wall, cpu, answer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default: %(default)s)")
    parser.add_argument("--compare", type=Path, action="append", default=[],
                        help="another checkout of solarcoop to measure alike (repeatable)")  # fmt: skip
    args = parser.parse_args()
    checkouts = {"this": ROOT, **{str(path): path.resolve() for path in args.compare}}
    times = {(name, study, kind): [] for name in checkouts for study in STUDIES for kind in ("wall", "cpu")}
    answers = {study: set() for study in STUDIES}
    loads = []
    for round_number in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for study, code in STUDIES.items():
            for name, checkout in checkouts.items():
                wall, cpu, answer = timed(checkout, code)
                times[name, study, "wall"].append(wall)
                times[name, study, "cpu"].append(cpu)
                answers[study].add(answer)
        print(f"round {round_number + 1}/{args.rounds} done (load {loads[-1]:.2f})", file=sys.stderr)
    print(
        f"{args.rounds} interleaved rounds on {os.cpu_count()} cores; load average (1 min) before the "
        f"rounds: median {statistics.median(loads):.2f}, range {min(loads):.2f}-{max(loads):.2f}"
    )
    print("medians [s]; ranges in brackets")
    for (name, study, kind), values in times.items():
        print(f"  {name:12s} {study:22s} {kind:5s} {statistics.median(values):7.3f}  "
              f"[{min(values):.3f}-{max(values):.3f}]")  # fmt: skip
    for study, seen in answers.items():
        print(f"  {study}: {'the same answer in every run' if len(seen) == 1 else 'ANSWERS DIFFER'}")


if __name__ == "__main__":
    main()
