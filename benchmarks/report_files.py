"""The writing of the report's files alone, this tree against another, in one machine state.

Run from the repository root::

    python benchmarks/report_files.py                  # this tree only
    python benchmarks/report_files.py --other PATH     # and another checkout of solarcoop

Each round computes the headline (2,000 paths, the command line's default) and the
sensitivity once per tree and language in a fresh process, then times
``write_report`` twice (the second, warm, is kept); the trees alternate within a round so
that the machine's load touches both alike. Prints the median of the rounds, each tree's
time and the ratio of the other to this.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CODE = """
import sys, tempfile, time
import solarcoop as sc
from solarcoop.present import report
from solarcoop.studies.sweeps import sensitivity
scenario = sc.qom_baseline()
metric = "family_cash_flow_rial_mean_year1"
drivers = sensitivity(scenario, metric=metric)
drivers.attrs["metric"] = metric
lead = sc.headline(scenario, n_paths=2000, seed=0)
with tempfile.TemporaryDirectory() as folder:
    for round_ in range(2):
        start = time.perf_counter()
        report.write_report(lead.single_run, folder + f"/out{round_}", lang=sys.argv[1],
                            monte_carlo=lead.monte_carlo, sensitivity=drivers, headline=lead)
        seconds = time.perf_counter() - start
print(seconds)
"""


def files_seconds(tree: Path, lang: str) -> float:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, "-c", CODE, lang], env=env, capture_output=True, text=True, check=True, cwd=tree)
    return float(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--other", type=Path, default=None, help="another checkout of solarcoop")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"other": args.other.resolve()} if args.other else {})
    times: dict[tuple[str, str], list[float]] = {}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}/{args.rounds}, load {os.getloadavg()[0]:.2f}", flush=True)
        for lang in ("en", "fa"):
            for name, tree in trees.items():
                times.setdefault((name, lang), []).append(files_seconds(tree, lang))
    for lang in ("en", "fa"):
        this = statistics.median(times[("this", lang)])
        line = f"report {lang} files: this tree {this:.2f} s"
        if args.other:
            other = statistics.median(times[("other", lang)])
            line += f", other {other:.2f} s, other / this = {other / this:.2f}"
        print(line)


if __name__ == "__main__":
    main()
