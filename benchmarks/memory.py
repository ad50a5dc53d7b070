"""Peak memory of a large Monte Carlo: streamed, it does not grow with the paths.

Run from the repository root::

    python benchmarks/memory.py                   # 1,000,000 paths
    python benchmarks/memory.py --paths 100000

Each run happens in a fresh process; the script prints its peak resident memory (the
operating system's high-water mark, ``ru_maxrss``: everything the process held, Python,
pandas and pvlib included), that of the largest of its Monte Carlo worker processes (on
Linux the paths are booked in forked workers, one per core; a worker's figure counts the
pages it shares with the caller too, so caller + workers x worker is an upper bound of
the whole) and its wall time, for a few sizes up to ``--paths``, so the growth with the
number of paths can be read off. It then asks to keep every path of a
10,000,000-path run, which must be refused before any computing with an ``InputError``
that says how much memory it would need.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENV = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}

RUN = """import json, resource, sys, time
import solarcoop as sc
scenario = sc.qom_baseline()
start = time.perf_counter()
result = sc.monte_carlo(scenario, n_paths={n_paths}, seed=0, keep_paths=False)
seconds = time.perf_counter() - start
p90 = result.exceedance("family_cash_flow_rial_mean_year5", 0.9)
print(json.dumps({{"peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "worker_peak_mib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024,
                  "seconds": seconds, "p90_year5": p90, "n_paths": result.n_paths}}))
"""

REFUSE = """import solarcoop as sc
try:
    sc.monte_carlo(sc.qom_baseline(), n_paths=10_000_000, keep_paths=True)
except sc.InputError as error:
    print(error)
"""


def run(n_paths: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", RUN.format(n_paths=n_paths)], capture_output=True, text=True, env=ENV, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", type=int, default=1_000_000, help="largest run (default: %(default)s)")
    args = parser.parse_args()
    print(f"load average before: {os.getloadavg()[0]:.2f} (1 min) on {os.cpu_count()} cores")
    print("paths        caller peak   largest worker   wall time   P90 of year-5 mean monthly payout per family")
    for n_paths in sorted({10_000, 100_000, args.paths}):
        if n_paths > args.paths:
            continue
        out = run(n_paths)
        print(f"{out['n_paths']:>9,}   {out['peak_mib']:8.0f} MiB   {out['worker_peak_mib']:11.0f} MiB   "
              f"{out['seconds']:7.1f} s   "
              f"{out['p90_year5'] / 1e6:,.1f} million rial")
    refused = subprocess.run([sys.executable, "-c", REFUSE], capture_output=True, text=True, env=ENV, check=True)
    print(f"keep_paths=True for 10,000,000 paths: {refused.stdout.strip() or 'NOT REFUSED'}")


if __name__ == "__main__":
    main()
