"""How long the proposal's files take: the report and the family's statement, in English
and Persian, against one run of NREL PySAM's PVWatts v8 + Grid + Community Solar chain.

Run from the repository root::

    python benchmarks/report_speed.py            # 3 rounds
    python benchmarks/report_speed.py --rounds 5

Measured, each the median of the rounds (the PySAM chain is run in every round, beside
the others, so that the machine's load touches all alike):

- ``cold``: the whole ``solarcoop report`` (and ``solarcoop statement``) command at its
  default paths, in a fresh process (imports, the headline's Monte Carlo, the
  sensitivity and the files);
- ``warm``: the same command run a second time in one process (:func:`solarcoop.cli.main`);
- ``files``: only the writing (``write_report`` / ``write_statement``) of the second run,
  the part this benchmark watches.

Each time is printed in seconds and as a ratio to the PySAM chain.
"""

from __future__ import annotations

import argparse
import os
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

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
COMMANDS = ("report", "statement")
LANGS = ("en", "fa")


def pysam_seconds() -> float:
    from solarcoop.weather import resolve

    scenario = sc.qom_baseline()
    models = pysam_chain(resolve(None, scenario.site))
    run_chain(models)  # load once
    return run_chain(models)


def cold_seconds(command: str, lang: str) -> float:
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "solarcoop.cli", command, "--lang", lang, "--out", str(Path(folder) / "out")],
            env=ENV, check=True, capture_output=True,
        )  # fmt: skip
        return time.perf_counter() - start


def warm_seconds(command: str, lang: str) -> tuple[float, float]:
    """(whole command, writing only) [s] of a second run in this process."""
    from solarcoop import cli
    from solarcoop.present import report, statement

    writer = {"report": (report, "write_report"), "statement": (statement, "write_statement")}[command]
    original = getattr(*writer)
    spent = []

    def timed(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent.append(time.perf_counter() - start)

    setattr(writer[0], writer[1], timed)
    try:
        with tempfile.TemporaryDirectory() as folder:
            for round_ in range(2):
                out = str(Path(folder) / f"out{round_}")
                start = time.perf_counter()
                with open(os.devnull, "w") as quiet:
                    stdout, stderr = sys.stdout, sys.stderr
                    sys.stdout = sys.stderr = quiet
                    try:
                        cli.main([command, "--lang", lang, "--out", out])
                    finally:
                        sys.stdout, sys.stderr = stdout, stderr
                whole = time.perf_counter() - start
    finally:
        setattr(writer[0], writer[1], original)
    return whole, spent[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    times: dict[str, list[float]] = {}
    for round_ in range(args.rounds):
        print(f"round {round_ + 1}/{args.rounds}, load {os.getloadavg()[0]:.2f}", flush=True)
        times.setdefault("pysam", []).append(pysam_seconds())
        for command in COMMANDS:
            for lang in LANGS:
                times.setdefault(f"{command} {lang} cold", []).append(cold_seconds(command, lang))
                whole, files = warm_seconds(command, lang)
                times.setdefault(f"{command} {lang} warm", []).append(whole)
                times.setdefault(f"{command} {lang} files", []).append(files)
    pysam = statistics.median(times.pop("pysam"))
    print(f"\nPySAM PVWatts v8 + Grid + Community Solar chain: {pysam:.3f} s (the unit)")
    for name, values in times.items():
        seconds = statistics.median(values)
        print(f"{name:24s} {seconds:7.2f} s   {seconds / pysam:8.0f} x PySAM")


if __name__ == "__main__":
    main()
