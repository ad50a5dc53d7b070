"""How fast solarcoop is, against PySAM and against a plain-numpy floor.

Run from the repository root::

    python benchmarks/speed.py               # 7 interleaved rounds
    python benchmarks/speed.py --rounds 11

Each round runs every measurement once, one after the other, so that a change in the
machine's load touches all of them alike; the script prints the median of the rounds,
the ratios the README quotes, and the load average (``os.getloadavg``) before each
round. The unit is one run of NREL PySAM's PVWatts v8 + Grid + Community Solar chain
(its financial model for subscriber-owned plants) on the same weather and plant.

Measured:

- ``import solarcoop`` in a fresh interpreter (timed inside it; public names load when
  first read), the same followed by ``sc.qom_baseline()`` (which loads numpy and
  pandas), and the whole ``solarcoop --help`` command (wall time of the process);
- the first run for a new site: ``simulate`` for a site whose solar geometry has not
  been computed (each round moves the site a little), after the library is imported;
  and the same from a fresh process (imports included) beside PySAM from a fresh process;
- a warm 10,000-path x 300-month Monte Carlo of the Qom baseline as users run it
  (``sc.qom_baseline()``, its disputed facts drawn, the payout practice among them) with
  one worker and with two (forked processes on Linux), and the plain-numpy floor of the
  same rules (``numpy_floor.py``), written independently of the library, on one core: in
  a worker process set up as the library's (the ratio the README quotes), and in this
  process;
- what two processes give over one on this machine at the time, for each kind of work
  (``workers.py``'s ceilings): small numpy steps on rows of 5,000 (the books' kind),
  cache-resident arithmetic (compute-bound: the cores share nothing) and large arrays
  (memory-bound: the cores share memory's bandwidth), so the two workers' speedup is
  judged against what the machine gives;
- the machine's own floor for the same work (:func:`machine_floor`): its arithmetic
  (:data:`OPERATIONS_PER_PATH_MONTH` operations on every path and month, at the rate
  this machine adds two cache-resident arrays) plus its memory traffic
  (:data:`BYTES_PER_PATH_MONTH` bytes each path and month, at the rate it copies a large
  array); the Monte Carlo's ratio to it is printed beside its ratio to the numpy floor.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(HERE))

import numpy_floor  # noqa: E402
import workers as two_processes  # noqa: E402  (benchmarks/workers.py: the ceilings)
from simulate_vs_pysam import pysam_chain, run_chain  # noqa: E402

import solarcoop as sc  # noqa: E402
from solarcoop.studies import workers  # noqa: E402

OPERATIONS_PER_PATH_MONTH = 50
"""Arithmetic of one path and month of the Monte Carlo, about: its draws spread over the
months, energy, price, bill and collection (about 15 operations) and the books (about 35:
interest, profit, tax, reserves, fee, distribution, working cash)."""

BYTES_PER_PATH_MONTH = 8 * (6 + 10)
"""Memory traffic of one path and month [bytes]: the six kept columns written once, and
about ten lines made and read once (energy, priced energy, indices, price, bill,
collection, costs, the replacement), 8 bytes each."""

ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
N_PATHS = 10_000
N_MONTHS = 300


def in_fresh_process(code: str) -> float:
    """Seconds ``code`` reports (it prints a time as its last line) in a new interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=ENV, check=True)
    return float(done.stdout.strip().splitlines()[-1])


def process_wall_time(arguments: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(arguments, capture_output=True, env=ENV, check=True)
    return time.perf_counter() - start


IMPORT = "import time\nstart = time.perf_counter()\nimport solarcoop\nprint(time.perf_counter() - start)"
IMPORT_AND_SCENARIO = (
    "import time\nstart = time.perf_counter()\nimport solarcoop as sc\nsc.qom_baseline()\n"
    "print(time.perf_counter() - start)"
)
COLD_SIMULATE = """import time
start = time.perf_counter()
import solarcoop as sc
site = sc.Site(latitude=34.9, longitude=50.6, altitude_m=1000, timezone="Asia/Tehran", name="new")
sc.simulate(sc.qom_baseline().with_changes({"site": site}))
print(time.perf_counter() - start)"""
COLD_PYSAM = f"""import sys, time
start = time.perf_counter()
sys.path[:0] = [{str(HERE)!r}, {str(ROOT)!r}]
from simulate_vs_pysam import pysam_chain, run_chain
import solarcoop as sc
weather = sc.weather.qom_typical_year()
run_chain(pysam_chain(weather))
print(time.perf_counter() - start)"""
COLD_PYSAM_NOTE = "(the PySAM process reads its weather through solarcoop, so it imports pandas and pvlib too)"


def machine_floor(n_paths: int, n_months: int, repeats: int = 5) -> dict[str, float]:
    """The seconds this machine needs at least for ``n_paths`` x ``n_months`` of the Monte
    Carlo's work: ``arithmetic`` (:data:`OPERATIONS_PER_PATH_MONTH` element operations at
    the rate numpy adds two arrays of 65,536 numbers held in the cache, where the call's
    overhead is spread thin), ``memory`` (:data:`BYTES_PER_PATH_MONTH` bytes at the rate
    it copies 64 MiB, reading and writing) and their sum, ``floor``. The best of
    ``repeats`` runs of each probe."""
    import numpy as np

    a, b = np.random.default_rng(0).random((2, 65_536))
    out = np.empty_like(a)
    calls = 200
    best_op = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(calls):
            np.add(a, b, out=out)
        best_op = min(best_op, (time.perf_counter() - start) / (calls * a.size))
    source = np.ones(8 * 2**20)
    target = np.empty_like(source)
    best_copy = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        np.copyto(target, source)
        best_copy = min(best_copy, time.perf_counter() - start)
    bytes_per_second = 2 * source.nbytes / best_copy
    path_months = n_paths * n_months
    arithmetic = OPERATIONS_PER_PATH_MONTH * path_months * best_op
    memory = BYTES_PER_PATH_MONTH * path_months / bytes_per_second
    return {
        "seconds_per_operation": best_op,
        "bytes_per_second": bytes_per_second,
        "arithmetic": arithmetic,
        "memory": memory,
        "floor": arithmetic + memory,
    }


def collect_finished_workers() -> None:
    """Wait for this process's children (forked workers that have reported and are
    exiting), so that their processor time is added to this process's children's times
    (``os.times``) now."""
    while True:
        try:
            os.waitpid(-1, 0)
        except ChildProcessError:  # none left
            return


def floor_in_worker(scenario) -> None:
    """The numpy floor run as the library runs a Monte Carlo: in a forked worker process
    that keeps the memory numpy frees (its columns stay there: only its time counts)."""
    numpy_floor.floor_monte_carlo(scenario, N_PATHS, seed=0)


def measurements(scenario, weather) -> dict:
    """name -> function returning the seconds of one run."""
    counter = iter(range(10**6))

    def timed(function):
        def run():
            start, cpu = time.perf_counter(), os.times()
            function()
            wall = time.perf_counter() - start
            collect_finished_workers()  # so their processor time counts here, not in the next run
            after = os.times()
            return wall, sum(after[:4]) - sum(cpu[:4])  # processor time: this process and its workers

        return run

    def first_run_new_site():
        site = sc.Site(
            latitude=30 + next(counter) * 1e-3, longitude=51.0, altitude_m=1000, timezone="Asia/Tehran", name="new"
        )
        new = scenario.with_changes({"site": site})
        start = time.perf_counter()
        sc.simulate(new)
        return time.perf_counter() - start

    return {
        "pysam_chain": lambda: run_chain(pysam_chain(weather)),
        "import": lambda: in_fresh_process(IMPORT),
        "import_and_baseline": lambda: in_fresh_process(IMPORT_AND_SCENARIO),
        "help": lambda: process_wall_time([sys.executable, "-m", "solarcoop.cli", "--help"]),
        "first_run_new_site": first_run_new_site,
        "cold_process_simulate": lambda: in_fresh_process(COLD_SIMULATE),
        "cold_process_pysam": lambda: in_fresh_process(COLD_PYSAM),
        "monte_carlo_1_worker": timed(lambda: sc.monte_carlo(scenario, n_paths=N_PATHS, seed=0, workers=1)),
        "monte_carlo_2_workers": timed(lambda: sc.monte_carlo(scenario, n_paths=N_PATHS, seed=0, workers=2)),
        "numpy_floor": timed(lambda: numpy_floor.floor_monte_carlo(scenario, N_PATHS, seed=0)),
        "numpy_floor_in_a_worker": timed(lambda: workers.run_shares(floor_in_worker, [scenario])),
        "machine_floor": lambda: machine_floor(N_PATHS, N_MONTHS)["floor"],
        **{f"ceiling_{name}": run for name, run in two_processes.ceiling_measurements().items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="interleaved rounds (default: %(default)s)")
    args = parser.parse_args()

    scenario = sc.qom_baseline()  # as users run it: the payout practice drawn with the rest
    print("scenario: the Qom baseline (sc.qom_baseline()), its disputed facts drawn")
    weather = sc.weather.qom_typical_year()
    difference = numpy_floor.check(scenario)
    print(f"numpy floor against the library, 2,000 paths: largest difference {difference:.1e} of each column's scale")
    if difference > 1e-12:
        raise SystemExit(f"the numpy floor differs from the library by {difference:.1e}: fix it first")
    sc.simulate(scenario)  # warm: imports, the embedded year, the Monte Carlo's weather years
    sc.monte_carlo(scenario, n_paths=250, seed=0)
    runs = measurements(scenario, weather)
    times = {name: [] for name in runs}
    loads = []
    for round_number in range(args.rounds):
        loads.append(os.getloadavg()[0])
        for name, run in runs.items():
            measured = run()
            if isinstance(measured, tuple):  # (wall, processor) time
                measured, cpu = measured
                times.setdefault(f"{name}_cpu", []).append(cpu)
            times[name].append(measured)
        print(f"round {round_number + 1}/{args.rounds} done (load {loads[-1]:.2f})", file=sys.stderr)
    median = {name: statistics.median(values) for name, values in times.items()}
    median["machine_floor"] = min(times["machine_floor"])  # a floor: the best round
    unit = median["pysam_chain"]

    print(f"{args.rounds} interleaved rounds on {os.cpu_count()} cores; load average (1 min) before the rounds: "
          f"median {statistics.median(loads):.2f}, range {min(loads):.2f}-{max(loads):.2f}")
    print("medians [s]; ranges in brackets")
    for name, values in times.items():
        print(f"  {name:24s} {median[name]:8.3f}  [{min(values):.3f}-{max(values):.3f}]")
    mc1, mc2 = median["monte_carlo_1_worker"], median["monte_carlo_2_workers"]
    floor, floor_worker = median["numpy_floor"], median["numpy_floor_in_a_worker"]
    best = min(mc1, mc2)
    print("targets")
    print(f"  import solarcoop                         {median['import']:6.3f} s    (target <= 0.4 s)")
    print(f"    then sc.qom_baseline() (numpy, pandas) {median['import_and_baseline']:6.3f} s in all")
    print(f"  solarcoop --help                         {median['help']:6.3f} s    (target <= 0.6 s)")
    print(f"  first run for a new site / PySAM chain   {median['first_run_new_site'] / unit:6.2f}      (target <= 1)")
    print(f"    from a fresh process, imports included {median['cold_process_simulate']:6.3f} s against PySAM's "
          f"{median['cold_process_pysam']:.3f} s {COLD_PYSAM_NOTE}")
    print(f"  Monte Carlo {N_PATHS:,} paths, in PySAM chain runs {best / unit:6.2f}      (target <= 2.5; "
          f"{N_PATHS / best * unit:,.0f}x PySAM's throughput)")
    print(f"  Monte Carlo / numpy floor, one core      {mc1 / floor_worker:6.2f}      (target <= 1.5; "
          "both in a worker process)")
    print(f"    the floor in this process instead      {mc1 / floor:6.2f}")
    probe = machine_floor(N_PATHS, N_MONTHS)
    print(f"  Monte Carlo / the machine's floor, one core {mc1 / median['machine_floor']:6.1f}  (the machine's floor, best round, "
          f"{median['machine_floor']:.3f} s: {OPERATIONS_PER_PATH_MONTH} operations at {probe['seconds_per_operation'] * 1e9:.2f} ns "
          f"and {BYTES_PER_PATH_MONTH} bytes at {probe['bytes_per_second'] / 1e9:.1f} GB/s a path-month)")
    print(f"    the numpy floor / the machine's floor  {floor_worker / median['machine_floor']:6.1f}")
    print(f"  two workers / one worker                 {mc2 / mc1:6.2f}      (target <= 0.56: a speedup "
          f"{mc1 / mc2:.2f}x, target >= 1.8x)")
    ceilings = {name.removeprefix("ceiling_"): value for name, value in median.items() if name.startswith("ceiling_")}
    for line in two_processes.ceiling_lines(ceilings):
        print(f"    {line}")
    print(f"  processor time [s] (this process and its workers; a busy machine inflates it less): "
          f"Monte Carlo one worker {median['monte_carlo_1_worker_cpu']:.3f}, two workers "
          f"{median['monte_carlo_2_workers_cpu']:.3f}, numpy floor {median['numpy_floor_cpu']:.3f}; "
          f"Monte Carlo / the machine's floor {median['monte_carlo_1_worker_cpu'] / median['machine_floor']:.1f}")


if __name__ == "__main__":
    main()
