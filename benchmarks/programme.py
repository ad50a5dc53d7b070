"""Time and peak memory of a whole programme on a Dask LocalCluster, 1 and 2 workers.

Run from the repository root::

    python benchmarks/programme.py                            # 50,000 plants x 500 paths
    python benchmarks/programme.py --plants 5000 --paths 500  # a smaller programme
    python benchmarks/programme.py --units-only               # count the work, run nothing

The table is the synthetic programme table (:func:`solarcoop.programme.synthetic.synthetic_table`:
home plants by province and start month, the named aggregated plants) when the library
has it, else a table of the same shape built here (home plants of 5 kW in the 31
provinces, started 1397 to 1405, each start year's loan). For each worker count the
script starts a ``LocalCluster`` (one thread a worker, processes), runs
:func:`solarcoop.programme` on it, writes the result to Parquet (partitioned by province)
and prints the wall time and the peak resident memory of this process and the cluster's
processes together (sampled every 0.2 s) and their CPU time (which, unlike the wall
time, does not depend on what else the machine runs), as JSON.

The work grows with units x paths (a unit: plants identical but for their id, booked
once; units that differ only by site are booked together). A smaller programme's time per
unit-path times the large table's units x paths is the extrapolation the script prints
when ``--plants`` is smaller than ``--target-plants``.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solarcoop as sc  # noqa: E402
from solarcoop.programme import run as programme_run  # noqa: E402
from solarcoop.programme.table import read_table  # noqa: E402
from solarcoop.site import province_centres  # noqa: E402


def built_table(n_plants: int, seed: int = 0) -> pd.DataFrame:
    """Home plants of 5 kW in the 31 provinces, started 1397-01 to 1405-06, with the loan
    of their start year (1.5e9 rial from 1403, 25 % less for each year before)."""
    rng = np.random.default_rng(seed)
    provinces = [centre.province_en for centre in province_centres()]
    years = rng.integers(1397, 1406, n_plants)
    months = np.where(years == 1405, rng.integers(1, 7, n_plants), rng.integers(1, 13, n_plants))
    contract = np.select([years >= 1402, years >= 1398], [np.minimum(years, 1404), np.minimum(years, 1399)], years)
    return pd.DataFrame(
        {
            "plant_id": [f"P{i:06d}" for i in range(n_plants)],
            "kind": "home",
            "province": rng.choice(provinces, n_plants),
            "capacity_kwp": 5.0,
            "start_month": [f"{y}-{m:02d}" for y, m in zip(years, months, strict=True)],
            "contract_year": contract,
            "families": 1,
            "loan_principal_rial": np.round(1.5e9 / 1.25 ** np.clip(1403 - years, 0, None), -6),
        }
    )


def programme_table(n_plants: int) -> tuple[pd.DataFrame, str]:
    try:
        from solarcoop.programme.synthetic import synthetic_table
    except ImportError:
        return built_table(n_plants), "built here"
    return synthetic_table(n_plants, seed=0, with_1404_target=True), "synthetic_table"


class PeakMemory:
    """The peak resident memory of this process and its children [MiB], sampled."""

    def __init__(self, every_s: float = 0.2):
        import psutil

        self.process, self.every_s, self.peak, self._stop = psutil.Process(), every_s, 0.0, threading.Event()

    def _sample(self) -> float:
        total = 0
        for process in [self.process, *self.process.children(recursive=True)]:
            try:
                total += process.memory_info().rss
                times = process.cpu_times()
                self.cpu[process.pid] = times.user + times.system
            except Exception:  # a process that just ended
                pass
        return total / 2**20

    @property
    def cpu_seconds(self) -> float:
        """CPU time of this process and its children while sampled [s] (load-independent)."""
        return sum(self.cpu.values()) - self.cpu_before

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self._sample())
            time.sleep(self.every_s)

    def __enter__(self):
        self.cpu = {}
        self.peak = self._sample()
        self.cpu_before = sum(self.cpu.values())
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_):
        self._stop.set()
        self._thread.join()


def run(table: pd.DataFrame, n_paths: int, workers: int, folder: str) -> dict:
    from distributed import Client, LocalCluster

    with PeakMemory() as memory:
        with LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                          memory_limit=0) as cluster, Client(cluster) as client:  # fmt: skip
            start = time.perf_counter()
            result = sc.programme(table, n_paths=n_paths, seed=0, client=client)
            seconds = time.perf_counter() - start
        start = time.perf_counter()
        written = result.to_parquet(folder)
        parquet_seconds = time.perf_counter() - start
    size = sum(f.stat().st_size for f in Path(folder).rglob("*") if f.is_file())
    year = result.totals[result.totals["label"].str.startswith("1405")]
    return {
        "workers": workers,
        "seconds": round(seconds, 1),
        "parquet_seconds": round(parquet_seconds, 1),
        "peak_mib": round(memory.peak),
        "cpu_seconds": round(memory.cpu_seconds, 1),
        "parquet_mib": round(size / 2**20, 1),
        "parquet_tables": sorted(written),
        "provinces_written": len(list((Path(folder) / "plants").iterdir())),
        "plant_rows": len(result.plants),
        "paid_1405_p50_rial": float(year["paid_to_families_rial_p50"].sum()),
        "paid_1405_p90_rial": float(year["paid_to_families_rial_p90"].sum()),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plants", type=int, default=50_000)
    parser.add_argument("--paths", type=int, default=500)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--target-plants", type=int, default=50_000, help="the programme to extrapolate to")
    parser.add_argument("--target-paths", type=int, default=500)
    parser.add_argument("--units-only", action="store_true", help="count cells and units, run nothing")
    parser.add_argument(
        "--start-months", type=int, default=None,
        help="run only the plants of this many start months (drawn), and extrapolate to the whole table",
    )  # fmt: skip
    args = parser.parse_args()

    table, origin = programme_table(args.plants)
    whole = table
    if args.start_months is not None:  # the same structure (provinces x start months), fewer months
        months = np.random.default_rng(1).choice(sorted(table["start_month"].unique()), args.start_months, replace=False)
        table = table[table["start_month"].isin(months)].reset_index(drop=True)
    plants, units = programme_run.units_of(read_table(table))
    target_table = whole if args.target_plants == args.plants else programme_table(args.target_plants)[0]
    target_units = len(units) if target_table is table else len(programme_run.units_of(read_table(target_table))[1])
    facts = {
        "table": origin, "plants": len(plants), "families": int(plants["families"].sum()),
        "cells": int(plants["cell"].nunique()), "units": len(units), "paths": args.paths,
        "target_plants": args.target_plants, "target_units": target_units, "target_paths": args.target_paths,
        "cores": os.cpu_count(), "load_average_1min": os.getloadavg()[0],
    }  # fmt: skip
    print(json.dumps(facts), flush=True)
    if args.units_only:
        return
    for workers in args.workers:
        with tempfile.TemporaryDirectory() as folder:
            measured = run(table, args.paths, workers, folder)
        scale = (target_units * args.target_paths) / (len(units) * args.paths)
        measured["seconds_per_unit_path_ms"] = round(1e3 * measured["seconds"] / (len(units) * args.paths), 3)
        measured["extrapolated_target_seconds"] = round(measured["seconds"] * scale)
        # on an idle machine the wall time is about the CPU time over the workers
        measured["extrapolated_target_cpu_seconds"] = round(measured["cpu_seconds"] * scale)
        measured["load_average_1min"] = os.getloadavg()[0]
        print(json.dumps(measured), flush=True)


if __name__ == "__main__":
    main()
