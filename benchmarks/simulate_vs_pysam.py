"""Speed of solarcoop against NREL's PySAM on the Qom baseline.

Measures, in one run:

1. ``solarcoop.simulate(qom_baseline())``, first run (cold caches) and a re-run, against
   one run of PySAM's PVWatts v8 + Grid + Community Solar chain (its financial model for
   subscriber-owned plants) on the same embedded Qom weather and the same plant;
2. ``solarcoop.monte_carlo`` with 10,000 paths over 25 years against PySAM's chain in a
   loop (a few runs timed and scaled), as scenarios per second;
3. the Monte Carlo's peak memory (tracemalloc; numpy reports its buffers to it).

Run: ``python benchmarks/simulate_vs_pysam.py``. Timings vary with the machine's load;
the script prints the median of several repeats.
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from plant_vs_pysam import pysam_model  # noqa: E402

import solarcoop as sc  # noqa: E402
from solarcoop import engine  # noqa: E402
from solarcoop.studies import montecarlo  # noqa: E402


def pysam_chain(weather):
    """PVWatts v8 -> Grid -> Community Solar with SAM's community-solar defaults."""
    import PySAM.Communitysolar as community
    import PySAM.Grid as grid

    scenario = sc.qom_baseline()
    pv = pysam_model(scenario.plant, weather, scenario.site, system_losses=0.14)
    grid_model = grid.from_existing(pv)
    grid_model.assign(grid.default("PVWattsCommunitySolar").export())
    finance = community.from_existing(pv)
    finance.assign(community.default("PVWattsCommunitySolar").export())
    finance.value("analysis_period", scenario.lifetime_years)
    return pv, grid_model, finance


def run_chain(models) -> float:
    start = time.perf_counter()
    for model in models:
        model.execute(0)
    return time.perf_counter() - start


def median_time(function, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    scenario = sc.qom_baseline()
    start = time.perf_counter()
    result = sc.simulate(scenario)  # builds the embedded weather year, then the solar geometry
    simulate_cold = time.perf_counter() - start
    weather = sc.weather.qom_typical_year()
    given = scenario.with_changes({"weather": weather.copy()})
    sc.sun._position_cached.cache_clear()  # as for a new site: geometry not yet computed
    start = time.perf_counter()
    sc.simulate(given)
    simulate_first = time.perf_counter() - start
    simulate_warm = median_time(lambda: sc.simulate(scenario), 5)

    models = pysam_chain(weather)
    pysam_first = run_chain(models)
    pysam_runs = [run_chain(pysam_chain(weather)) for _ in range(5)]
    pysam_one = statistics.median(pysam_runs)
    energy_ratio = result.summary["energy_kwh_year1"] / models[0].Outputs.annual_energy

    print("one run of the Qom baseline (25 years, monthly ledger)")
    print(f"  solarcoop simulate, cold start     {simulate_cold * 1e3:8.1f} ms (builds the embedded weather year too)")
    print(f"  solarcoop simulate, first run      {simulate_first * 1e3:8.1f} ms (weather given, as PySAM has it)")
    print(f"  solarcoop simulate, re-run         {simulate_warm * 1e3:8.1f} ms")
    print(f"  PySAM PVWatts v8+Grid+CommunitySolar {pysam_one * 1e3:6.1f} ms (first {pysam_first * 1e3:.1f} ms)")
    print(f"  ratio simulate / PySAM: first {simulate_first / pysam_one:.2f}, re-run {simulate_warm / pysam_one:.2f}")
    print(f"  year-1 energy solarcoop / PySAM (PySAM at PVWatts' 14 % losses): {energy_ratio:.4f}")

    n_paths = 10_000
    montecarlo.monte_carlo(scenario, n_paths=100, seed=0)  # weather years' physics, once
    monte_carlo_time = median_time(lambda: montecarlo.monte_carlo(scenario, n_paths=n_paths, seed=0), 3)
    tracemalloc.start()
    montecarlo.monte_carlo(scenario, n_paths=n_paths, seed=0)
    _, peak_bytes = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    ours_per_second = n_paths / monte_carlo_time
    pysam_per_second = 1 / pysam_one
    kept_bytes = len(sc.lines.MONTE_CARLO_KEPT) * n_paths * 12 * scenario.lifetime_years * 8
    print(f"\nMonte Carlo, {n_paths:,} paths x {12 * scenario.lifetime_years} months")
    print(f"  solarcoop monte_carlo              {monte_carlo_time:8.3f} s  ({ours_per_second:,.0f} scenarios/s)")
    print(f"  PySAM chain in a loop (scaled)     {n_paths * pysam_one:8.1f} s  ({pysam_per_second:,.1f} scenarios/s)")
    print(f"  throughput ratio                   {ours_per_second / pysam_per_second:8.0f} x")
    print(f"  peak memory (tracemalloc)          {peak_bytes / 2**20:8.0f} MiB, of which kept paths {kept_bytes / 2**20:.0f} MiB")
    print(f"  (physics: {engine.DAYS_PER_TYPICAL_YEAR}-day profiles of {scenario.uncertainty.weather_years} weather years, computed once)")


if __name__ == "__main__":
    main()
