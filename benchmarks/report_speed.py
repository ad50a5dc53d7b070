"""How long the proposal's files take: the report and the family's statement, in English
and Persian, against one run of NREL PySAM's PVWatts v8 + Grid + Community Solar chain.

Run from the repository root::

    python benchmarks/report_speed.py                      # 7 rounds, this tree
    python benchmarks/report_speed.py --rounds 9
    python benchmarks/report_speed.py --other CHECKOUT     # and another checkout, interleaved

Measured in every round, one after the other (interleaved, so that the machine's load
touches all alike), each in a fresh process at the default paths:

- ``cold``: the whole ``solarcoop report`` (and ``solarcoop statement``) command
  (imports, the headline's Monte Carlo, the sensitivity and the files);
- ``warm``: the same command run a second time in one process
  (:func:`solarcoop.cli.main`), and ``files``: the writing alone
  (``write_report`` / ``write_statement``) of that second run.

Printed: the load average at the start of each round, then for each the median of the
rounds in seconds, as a ratio to the PySAM chain (run in every round too), and the
processor time [s] it took (this process and its worker processes): the wall time on a
busy machine grows with the others' load; the processor time much less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

from simulate_vs_pysam import pysam_chain, run_chain  # noqa: E402

import solarcoop as sc  # noqa: E402

COMMANDS = ("report", "statement")
LANGS = ("en", "fa")

WARM = """
import io, json, os, resource, sys, tempfile, time
from solarcoop import cli
from solarcoop.present import report, statement

command, lang = sys.argv[1:3]
module, name = {"report": (report, "write_report"), "statement": (statement, "write_statement")}[command]
original, spent = getattr(module, name), []

def timed(*args, **kwargs):
    start = time.perf_counter()
    try:
        return original(*args, **kwargs)
    finally:
        spent.append(time.perf_counter() - start)

def processor():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

setattr(module, name, timed)
with tempfile.TemporaryDirectory() as folder:
    for round_ in range(2):
        start, cpu = time.perf_counter(), processor()
        stdout, stderr = sys.stdout, sys.stderr
        sys.stdout = sys.stderr = io.StringIO()
        try:
            cli.main([command, "--lang", lang, "--out", os.path.join(folder, f"out{round_}")])
        finally:
            sys.stdout, sys.stderr = stdout, stderr
        whole, cpu = time.perf_counter() - start, processor() - cpu
print(json.dumps({"warm": whole, "warm cpu": cpu, "files": spent[-1]}))
"""


def pysam_seconds() -> float:
    from solarcoop.weather import resolve

    scenario = sc.qom_baseline()
    models = pysam_chain(resolve(None, scenario.site))
    run_chain(models)  # load once
    return run_chain(models)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def cold(tree: Path, command: str, lang: str) -> dict:
    """Wall and processor time [s] of the command in a fresh process."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    with tempfile.TemporaryDirectory() as folder:
        start, cpu = time.perf_counter(), _children_cpu()
        subprocess.run(
            [sys.executable, "-m", "solarcoop.cli", command, "--lang", lang, "--out", str(Path(folder) / "out")],
            env=env, check=True, capture_output=True, cwd=tree,
        )  # fmt: skip
        return {"cold": time.perf_counter() - start, "cold cpu": _children_cpu() - cpu}


def warm(tree: Path, command: str, lang: str) -> dict:
    """Wall and processor time [s] of the command's second run in one process, and the
    writing of its files alone."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", WARM, command, lang], env=env, check=True, capture_output=True, text=True, cwd=tree
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--other", type=Path, default=None, help="another checkout of solarcoop, timed beside this one")
    args = parser.parse_args()
    trees = {"this": ROOT} | ({"other": args.other.resolve()} if args.other else {})
    times: dict[tuple, list[float]] = {}
    loads = []
    for round_ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        print(f"round {round_ + 1}/{args.rounds}, load {loads[-1]:.2f}", flush=True)
        times.setdefault(("pysam",), []).append(pysam_seconds())
        for command in COMMANDS:
            for lang in LANGS:
                for tree_name, tree in trees.items():
                    for name, value in (cold(tree, command, lang) | warm(tree, command, lang)).items():
                        times.setdefault((tree_name, command, lang, name), []).append(value)
        report(times, loads, trees, round_ + 1)  # after every round: a long run can be read as it goes


def report(times: dict, loads: list, trees: dict, rounds: int) -> None:
    """Print the medians of the rounds run so far."""
    pysam = statistics.median(times[("pysam",)])
    print(f"\nload average at the rounds' starts: median {statistics.median(loads):.2f}, {min(loads):.2f}-{max(loads):.2f}")
    print(f"PySAM PVWatts v8 + Grid + Community Solar chain: {pysam:.3f} s (the unit)")
    print(f"medians of {rounds} round{'s' if rounds > 1 else ''}:")
    for tree_name in trees:
        for command in COMMANDS:
            for lang in LANGS:
                for kind in ("cold", "warm", "files"):
                    seconds = statistics.median(times[(tree_name, command, lang, kind)])
                    cpu = times.get((tree_name, command, lang, f"{kind} cpu"))
                    processor = f"   processor {statistics.median(cpu):6.2f} s" if cpu else ""
                    label = f"{tree_name + ' ' if len(trees) > 1 else ''}{command} {lang} {kind}"
                    print(f"{label:28s} {seconds:7.2f} s {seconds / pysam:8.0f} x PySAM{processor}", flush=True)

if __name__ == "__main__":
    main()
