"""The Monte Carlo's workers: several runs at once from several threads of one process,
and a cap on how many workers a run may ask for."""

from __future__ import annotations

import concurrent.futures
import os

import numpy as np
import pytest

import solarcoop as sc
from solarcoop._validation import InputError
from solarcoop.studies import workers

forks = pytest.mark.skipif(
    not workers.CAN_FORK, reason="forked workers exist only where the system forks (Linux)"
)


def _square_with_pid(value: int) -> tuple[int, int]:
    return value * value, os.getpid()


@forks
def test_runs_from_many_threads_at_once_keep_their_own_children():
    """Forty runs of three forked shares each from eight threads: every run gets its own
    answers, in order, from children other than this process, and every child is reaped."""

    def one_run(start: int) -> list[tuple[int, int]]:
        return workers.run_shares(_square_with_pid, [start, start + 1, start + 2])

    with concurrent.futures.ThreadPoolExecutor(max_workers=8) as pool:
        runs = list(pool.map(one_run, range(0, 400, 10)))
    for start, run in zip(range(0, 400, 10), runs, strict=True):
        assert [square for square, _ in run] == [start**2, (start + 1) ** 2, (start + 2) ** 2]
        assert all(pid != os.getpid() for _, pid in run)
    workers._reap(block=True)
    assert not workers._EXITING


@forks
def test_monte_carlos_from_threads_at_once_equal_one_alone():
    """Four forked Monte Carlos of two workers each, started at once from four threads, give
    the paths of the same run made alone, to the bit."""
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 3})
    kept = ("payout_per_family_rial",)
    alone = sc.monte_carlo(scenario, n_paths=2_500, seed=6, workers=2, kept=kept).paths[kept[0]]
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        futures = [
            pool.submit(sc.monte_carlo, scenario, n_paths=2_500, seed=6, workers=2, kept=kept)
            for _ in range(4)
        ]
        together = [future.result().paths[kept[0]] for future in futures]
    for paths in together:
        np.testing.assert_array_equal(paths, alone)


def test_workers_are_capped_with_a_clear_error():
    cap = workers.max_workers()
    assert cap == max(4, 2 * workers.available_cores())
    with pytest.raises(InputError, match=r"workers = 1,000,000 .*allowed 1 to \d+"):
        sc.monte_carlo(sc.qom_baseline(), n_paths=100, workers=10**6)
    with pytest.raises(InputError, match=f"workers = {cap + 1} "):
        sc.monte_carlo(sc.qom_baseline(), n_paths=100, workers=cap + 1)


def test_the_cap_itself_is_allowed():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 2})
    at_cap = sc.monte_carlo(scenario, n_paths=100, seed=1, workers=workers.max_workers())
    one = sc.monte_carlo(scenario, n_paths=100, seed=1, workers=1)
    np.testing.assert_array_equal(
        at_cap.paths["family_cash_flow_rial"], one.paths["family_cash_flow_rial"]
    )
