"""How long the proposal's files take: the report and the family's statement, in English
and Persian, against one run of NREL PySAM's PVWatts v8 + Grid + Community Solar chain.

Run from the repository root::

    python benchmarks/report_speed.py                      # 7 rounds, this tree
    python benchmarks/report_speed.py --rounds 9
    python benchmarks/report_speed.py --other CHECKOUT     # and another checkout, interleaved
    python benchmarks/report_speed.py --no-stages          # the whole commands only
    python benchmarks/report_speed.py --profile FOLDER     # and cProfile files of one run each
    python benchmarks/report_speed.py --save-text FILE     # the Qom report's words, en and fa
    python benchmarks/report_speed.py --compare-text FILE  # the same words now? (exit 1 if not)

Measured in every round, one after the other (interleaved, so that the machine's load
touches all alike), each in a fresh process at the default paths:

- ``cold``: the whole ``solarcoop report`` (and ``solarcoop statement``) command
  (imports, the headline's Monte Carlo, the sensitivity and the files);
- ``warm``: the same command run a second time in one process
  (:func:`solarcoop.cli.main`), and ``files``: the writing alone
  (``write_report`` / ``write_statement``) of that second run.

- ``stages`` (the report only, of this tree): in a fresh process, where the report's time goes, in the
  order the command spends it, twice (``cold``: the first report of the process;
  ``warm``: the second): the imports, the headline's Monte Carlo, the tornado's runs, the
  disputed facts' effects, the files as the command writes them (charts and workbook at
  once on the cores, then the PDF), the PDF's typesetting alone (Typst), and then, one
  after the other in this process, each chart and the workbook.

Printed: the load average at the start of each round, then for each the median of the
rounds in seconds, as a ratio to the PySAM chain (run in every round too), and the
processor time [s] it took (this process and its worker processes): the wall time on a
busy machine grows with the others' load; the processor time much less.

With ``--profile FOLDER``, one cold and one warm report per language are run under
cProfile first, into ``report_<lang>_<cold|warm>.prof`` (read with ``python -m pstats``).

``--save-text FILE`` and ``--compare-text FILE`` guard a change made for speed: the text
of every page of the Qom report at the default paths, in English and Persian (the date
in the running header left out), saved before the change and compared after it, page
by page; nothing is timed then.
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


STAGES = """
import json, resource, sys, tempfile, time

start = time.perf_counter()
import solarcoop as sc
from solarcoop import cli  # noqa: F401  (what the command imports first)
from solarcoop.present import pages, report
from solarcoop.studies import headline as headline_study, sweeps, workers

lang = sys.argv[1]
seconds = {"imports": time.perf_counter() - start}
spent = {}


def timed(owner, name, stage):
    original = getattr(owner, name)

    def run(*args, **kwargs):
        begin = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            spent[stage] = spent.get(stage, 0.0) + time.perf_counter() - begin

    setattr(owner, name, run)
    return original


timed(sweeps, "sensitivity", "tornado")
timed(headline_study, "reading_effects_of", "readings")
timed(headline_study, "reading_effects", "readings")
timed(pages.Document, "pdf", "typst")
at_once = report.made_at_once
cores = workers.available_cores


def one_by_one(jobs, weights=None):
    def timed_job(name, job):
        def run():
            begin = time.perf_counter()
            try:
                return job()
            finally:
                label = "workbook" if name.endswith(".xlsx") else "chart " + name.removesuffix(".png")
                spent[label] = time.perf_counter() - begin
        return run

    workers.available_cores = lambda: 1
    try:
        return at_once({name: timed_job(name, job) for name, job in jobs.items()}, weights)
    finally:
        workers.available_cores = cores


def processor():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def stage(name, function):
    begin, cpu = time.perf_counter(), processor()
    out = function()
    seconds[name] = time.perf_counter() - begin
    seconds[name + " cpu"] = processor() - cpu
    return out


out = {}
with tempfile.TemporaryDirectory() as folder:
    for round_ in ("cold", "warm"):
        spent.clear()
        scenario = sc.qom_baseline()
        lead = stage("headline", lambda: sc.headline(scenario, n_paths=2_000, seed=0))
        drivers, effects = stage("what moves it", lambda: report.what_moves_it(
            scenario, 2_000, 0, monte_carlo=lead.monte_carlo))
        seconds["tornado"], seconds["readings"] = spent.pop("tornado"), spent.pop("readings", 0.0)
        del seconds["what moves it"], seconds["what moves it cpu"]

        def write(name, made_at_once):
            report.made_at_once = made_at_once
            try:
                return report.write_report(
                    lead.single_run, f"{folder}/{round_}-{name}", lang=lang, monte_carlo=lead.monte_carlo,
                    sensitivity=drivers, headline=lead, reading_effects=effects)
            finally:
                report.made_at_once = at_once

        stage("files", lambda: write("at-once", at_once))
        seconds["typst"] = spent.pop("typst")
        stage("files one by one", lambda: write("serial", one_by_one))
        spent.pop("typst")
        seconds |= dict(sorted(spent.items()))
        out[round_] = dict(seconds)
        seconds.clear()
print(json.dumps(out))
"""


def stages(tree: Path, lang: str) -> dict:
    """``{(round, stage): seconds}`` of one report in a fresh process (see ``STAGES``)."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run(
        [sys.executable, "-c", STAGES, lang], env=env, check=True, capture_output=True, text=True, cwd=tree
    )  # fmt: skip
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return {(round_, name): value for round_, parts in measured.items() for name, value in parts.items()}


PROFILE_WARM = """
import cProfile, io, os, sys, tempfile
from solarcoop import cli

lang, path = sys.argv[1:3]
with tempfile.TemporaryDirectory() as folder:
    sys.stdout = io.StringIO()
    cli.main(["report", "--lang", lang, "--out", os.path.join(folder, "first")])
    cProfile.run(f"cli.main(['report', '--lang', {lang!r}, '--out', {os.path.join(folder, 'second')!r}])", path)
"""


def profile(tree: Path, folder: Path) -> None:
    """cProfile files of one cold and one warm report per language, into ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, "PYTHONPATH": str(tree)}
    for lang in LANGS:
        with tempfile.TemporaryDirectory() as out:
            cold_file = folder / f"report_{lang}_cold.prof"
            subprocess.run(
                [sys.executable, "-m", "cProfile", "-o", str(cold_file), "-m", "solarcoop.cli", "report",
                 "--lang", lang, "--out", str(Path(out) / "out")],
                env=env, check=True, capture_output=True, cwd=tree,
            )  # fmt: skip
        warm_file = folder / f"report_{lang}_warm.prof"
        subprocess.run(
            [sys.executable, "-c", PROFILE_WARM, lang, str(warm_file)], env=env, check=True, capture_output=True, cwd=tree
        )  # fmt: skip
        print(f"wrote {cold_file} and {warm_file}", flush=True)


def report_text(tree: Path) -> dict[str, list[str]]:
    """``{lang: [text of each page]}`` of the Qom report at the default paths, written by
    the command in a fresh process; the date in the running header is left out."""
    import datetime

    from pypdf import PdfReader

    from solarcoop.present.text import date_text

    env = {**os.environ, "PYTHONPATH": str(tree)}
    texts = {}
    for lang in LANGS:
        with tempfile.TemporaryDirectory() as folder:
            out = Path(folder) / "out"
            subprocess.run(
                [sys.executable, "-m", "solarcoop.cli", "report", "--lang", lang, "--out", str(out)],
                env=env, check=True, capture_output=True, cwd=tree,
            )  # fmt: skip
            today = date_text(datetime.date.today(), lang)
            pages = PdfReader(out / f"report_{lang}.pdf").pages
            texts[lang] = [page.extract_text().replace(today, "<date>") for page in pages]
    return texts


def compare_text(saved: dict, now: dict) -> list[str]:
    """Where the pages' words differ: one line per page (or page count) that differs."""
    differ = []
    for lang in LANGS:
        before, after = saved[lang], now[lang]
        if len(before) != len(after):
            differ.append(f"{lang}: {len(before)} pages before, {len(after)} now")
        differ += [
            f"{lang}: page {number} differs" for number, (a, b) in enumerate(zip(before, after, strict=False), start=1) if a != b
        ]
    return differ


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
    parser.add_argument("--no-stages", action="store_true", help="time the whole commands only")
    parser.add_argument("--commands", nargs="+", choices=COMMANDS, default=COMMANDS, help="the commands timed (default: both)")
    parser.add_argument("--profile", type=Path, default=None, help="first write cProfile files of one report each here")
    parser.add_argument("--save-text", type=Path, default=None, help="save the Qom report's page texts (JSON) and stop")
    parser.add_argument("--compare-text", type=Path, default=None, help="compare the page texts with a saved file and stop")
    args = parser.parse_args()
    if args.save_text is not None:
        texts = report_text(ROOT)
        args.save_text.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
        print(f"saved the text of {', '.join(f'{len(pages)} {lang} pages' for lang, pages in texts.items())}")
        return
    if args.compare_text is not None:
        differ = compare_text(json.loads(args.compare_text.read_text(encoding="utf-8")), report_text(ROOT))
        print("\n".join(differ) or "the same words on every page, en and fa (the date left out)")
        raise SystemExit(1 if differ else 0)
    trees = {"this": ROOT} | ({"other": args.other.resolve()} if args.other else {})
    if args.profile is not None:
        profile(ROOT, args.profile)
    times: dict[tuple, list[float]] = {}
    loads = []
    for round_ in range(args.rounds):
        loads.append(os.getloadavg()[0])
        print(f"round {round_ + 1}/{args.rounds}, load {loads[-1]:.2f}", flush=True)
        times.setdefault(("pysam",), []).append(pysam_seconds())
        for command in args.commands:
            for lang in LANGS:
                for tree_name, tree in trees.items():
                    for name, value in (cold(tree, command, lang) | warm(tree, command, lang)).items():
                        times.setdefault((tree_name, command, lang, name), []).append(value)
                    if command == "report" and not args.no_stages and tree_name == "this":  # this tree's breakdown
                        for key, value in stages(tree, lang).items():
                            times.setdefault((tree_name, "stages", lang, *key), []).append(value)
        report(times, loads, trees, round_ + 1, args.commands)  # after every round: a long run can be read as it goes


def report(times: dict, loads: list, trees: dict, rounds: int, commands=COMMANDS) -> None:
    """Print the medians of the rounds run so far."""
    pysam = statistics.median(times[("pysam",)])
    print(f"\nload average at the rounds' starts: median {statistics.median(loads):.2f}, {min(loads):.2f}-{max(loads):.2f}")
    print(f"PySAM PVWatts v8 + Grid + Community Solar chain: {pysam:.3f} s (the unit)")
    print(f"medians of {rounds} round{'s' if rounds > 1 else ''}:")
    for tree_name in trees:
        for command in commands:
            for lang in LANGS:
                for kind in ("cold", "warm", "files"):
                    seconds = statistics.median(times[(tree_name, command, lang, kind)])
                    cpu = times.get((tree_name, command, lang, f"{kind} cpu"))
                    processor = f"   processor {statistics.median(cpu):6.2f} s" if cpu else ""
                    label = f"{tree_name + ' ' if len(trees) > 1 else ''}{command} {lang} {kind}"
                    print(f"{label:28s} {seconds:7.2f} s {seconds / pysam:8.0f} x PySAM{processor}", flush=True)
    print_stages(times, trees, pysam)


def print_stages(times: dict, trees: dict, pysam: float) -> None:
    """The medians of each stage of the report, cold and warm, side by side."""
    for tree_name in trees:
        for lang in LANGS:
            names = list(dict.fromkeys(key[4] for key in times if key[:3] == (tree_name, "stages", lang)))
            if not names:
                continue
            heading = f"{tree_name + ' ' if len(trees) > 1 else ''}report {lang}, where the time goes [s]"
            print(f"\n{heading:40s} {'cold':>7s} {'(cpu)':>7s} {'warm':>7s} {'(cpu)':>7s} {'warm x PySAM':>13s}")
            for name in names:
                if name.endswith(" cpu"):
                    continue
                texts = []
                for round_ in ("cold", "warm"):
                    for key in (name, name + " cpu"):
                        values = times.get((tree_name, "stages", lang, round_, key))
                        texts.append(f"{statistics.median(values):7.2f}" if values else f"{'':7s}")
                warm_ = times.get((tree_name, "stages", lang, "warm", name))
                ratio = f"{statistics.median(warm_) / pysam:13.1f}" if warm_ else ""
                print(f"  {name:38s} {' '.join(texts)} {ratio}", flush=True)
            print("  (cpu: processor time of this process and its worker processes, where measured)")

if __name__ == "__main__":
    main()
