"""The speed benchmarks' arithmetic: the ratios they print are the ones the README quotes.

The benchmarks time things (no test does); what they compute from their timings is
checked here on hand-made figures.
"""

import pytest
from repository_scripts import load_script


def load(name: str):
    return load_script("benchmarks", name)


@pytest.fixture(scope="module")
def scaling():
    return load("scaling")


@pytest.fixture(scope="module")
def two_processes():
    return load("workers")


def figures(seconds: float, cpu_seconds: float) -> dict:
    return {
        "seconds": seconds, "cpu_seconds": cpu_seconds, "peak_mib": 300.0, "worker_peak_mib": 400.0,
        "load": 1.0, "load_min": 0.5, "load_max": 1.5, "runs": 7,
    }  # fmt: skip


def test_cost_per_path_is_a_ratio_to_kept_ten_thousand(scaling):
    lines = scaling.table(
        {("kept", 10_000): figures(1.0, 2.0), ("streamed", 100_000): figures(11.0, 18.0)}
    )
    # 100 µs a path kept; 110 µs streamed: 1.10 of it; processor time 200 and 180 µs: 0.90
    assert "100.0 µs   1.00" in lines[1] and "200.0 µs   1.00" in lines[1]
    assert "110.0 µs   1.10" in lines[2] and "180.0 µs   0.90" in lines[2]


def test_medians_take_the_middle_run_and_the_load_range(scaling):
    runs = [figures(s, 2 * s) | {"load": load} for s, load in ((3.0, 0.2), (1.0, 2.0), (2.0, 1.0))]
    out = scaling.medians(runs)
    assert (out["seconds"], out["cpu_seconds"], out["load"]) == (2.0, 4.0, 1.0)
    assert (out["load_min"], out["load_max"], out["runs"]) == (0.2, 2.0, 3)


def test_the_largest_runs_stream_and_ten_million_waits_for_its_flag(scaling):
    assert ("kept", 10_000) in scaling.SMALL and ("kept", 30_000) in scaling.SMALL
    assert all(how == "streamed" for how, _ in scaling.LARGE)
    assert scaling.TEN_MILLION not in scaling.LARGE


def test_each_ceiling_is_one_process_over_two(two_processes):
    median = {"numpy_rows_1": 1.0, "numpy_rows_2": 0.5, "compute_1": 0.9, "compute_2": 0.5, "memory_1": 1.0, "memory_2": 1.0}
    lines = two_processes.ceiling_lines(median)
    assert [line.split()[4] for line in lines] == ["numpy_rows", "compute", "memory"]
    assert [line.split()[5] for line in lines] == ["2.00x", "1.80x", "1.00x"]
    assert set(two_processes.ceiling_measurements()) == {f"{name}_{n}" for name in two_processes.CEILINGS for n in (1, 2)}


def test_the_ceilings_work_counts_its_steps(two_processes):
    # each step adds the same to the first value: the work grows with the steps alone
    assert two_processes.numpy_steps(10) == pytest.approx(10 * 0.5001)
    assert two_processes.memory_steps(2) == (1.0 + 1e-9) + 1e-9


def test_the_chunk_cost_benchmark_books_a_chunk_as_the_monte_carlo_does():
    """chunk_cost.py times montecarlo's own chunk: the columns it books are the Monte
    Carlo's paths (a renamed or removed name breaks the benchmark here, not silently)."""
    import numpy as np

    import solarcoop as sc

    chunk_cost = load("chunk_cost")
    inputs = chunk_cost.chunk_inputs(sc.qom_baseline(), 250)
    assert chunk_cost.chunk_seconds(inputs, 1) > 0
    booked = chunk_cost.montecarlo._book_chunk(*inputs)
    whole = sc.monte_carlo(sc.qom_baseline(), n_paths=250, seed=0, keep_paths=True)
    for column, values in whole.paths.items():
        np.testing.assert_array_equal(booked[column], values)
