"""Monte Carlos of one scenario with one input changed, reusing what the change cannot
reach (:class:`solarcoop.studies.montecarlo.SamePaths`): each run equals a whole Monte
Carlo of the changed scenario, to the bit."""

from __future__ import annotations

import numpy as np
import pytest

import solarcoop as sc
from solarcoop.studies import montecarlo
from solarcoop.studies import workers as worker_processes
from solarcoop.studies.montecarlo import SamePaths

KEPT = ("payout_per_family_rial", "family_cash_flow_rial")


@pytest.fixture(scope="module")
def five_years():
    return sc.qom_baseline().with_changes({"lifetime_years": 5})


@pytest.mark.parametrize(
    ("path", "values", "reused"),
    [
        ("loan.annual_rate", (0.0, 0.11), "revenue"),
        ("costs.om_rial_per_kwp_year", (400_000.0, 2_000_000.0), "revenue"),
        ("tariff.base_price_rial_per_kwh", (30_000.0, 61_234.5), "draws"),
        ("payment.delay_months", (0, 7), "draws"),
        ("plant.degradation_per_year", (0.004, 0.011), None),
    ],
)
def test_each_run_equals_a_whole_monte_carlo_to_the_bit(five_years, path, values, reused):
    runs = SamePaths(five_years, path, n_paths=750, seed=5, kept=KEPT, chunk_paths=500)
    assert (runs.draws is not None) == (reused is not None)
    assert (runs.revenue is not None) == (reused == "revenue")
    for value in values:
        again = runs.run(value)
        whole = sc.monte_carlo(
            five_years.with_changes({path: value}), n_paths=750, seed=5, kept=KEPT, workers=1
        )
        section, field = path.split(".")
        assert getattr(getattr(again.scenario, section), field) == value
        for column in KEPT:
            np.testing.assert_array_equal(again.paths[column], whole.paths[column])
        assert again.exceedance("payout_per_family_rial_mean_year2", 0.9) == whole.exceedance(
            "payout_per_family_rial_mean_year2", 0.9
        )


def test_the_runs_differ_where_the_input_reaches(five_years):
    runs = SamePaths(five_years, "tariff.base_price_rial_per_kwh", n_paths=250, seed=1, kept=KEPT)
    low, high = runs.run(20_000.0), runs.run(80_000.0)
    # by every month each path's family has received at least as much in all (on accrual books
    # the larger tax of the higher tariff is paid after the year, which moves money between months)
    received_low = low.paths["family_cash_flow_rial"].cumsum(axis=1)
    received_high = high.paths["family_cash_flow_rial"].cumsum(axis=1)
    assert (received_high >= received_low - 1.0 - 1e-9 * np.abs(received_low)).all()
    assert (high.paths["family_cash_flow_rial"] > low.paths["family_cash_flow_rial"]).any()


@pytest.mark.parametrize("workers", [2, 3])
def test_runs_booked_in_worker_shares_equal_a_whole_monte_carlo(five_years, workers):
    path = "tariff.base_price_rial_per_kwh"
    runs = SamePaths(five_years, path, n_paths=2_250, seed=4, kept=KEPT, chunk_paths=500, workers=workers)
    assert len(runs.shares) == (workers if worker_processes.CAN_FORK else 1)  # else booked here
    again = runs.run(45_000.0)
    whole = sc.monte_carlo(five_years.with_changes({path: 45_000.0}), n_paths=2_250, seed=4, kept=KEPT)
    for column in KEPT:
        np.testing.assert_array_equal(again.paths[column], whole.paths[column])


def test_runs_that_would_stream_are_whole_monte_carlos(five_years, monkeypatch):
    monkeypatch.setattr(montecarlo, "KEEP_PATHS_AUTO_BYTES", 1)
    runs = SamePaths(five_years, "loan.annual_rate", n_paths=250, seed=1, kept=KEPT)
    assert runs.draws is None
    assert runs.run(0.05).paths is None  # streamed, as monte_carlo would


def test_a_goal_seek_on_a_probability_gives_what_whole_monte_carlos_give(five_years, monkeypatch):
    """The goal seek's trials through SamePaths, and through whole Monte Carlos (SamePaths
    made to reuse nothing), reach the same value and figure."""
    arguments = dict(
        path="tariff.base_price_rial_per_kwh",
        target=("family_cash_flow_rial_mean_year2", 0.0),
        bounds=(10_000.0, 200_000.0),
        probability_of_exceedance=0.9,
        n_paths=500,
        seed=2,
        tolerance=1e-4,
    )
    reused = sc.goal_seek(five_years, **arguments)
    monkeypatch.setattr(montecarlo, "DRAWS_KEPT_UNDER", ())
    whole = sc.goal_seek(five_years, **arguments)
    assert reused.reached and whole.reached
    assert (reused.value, reused.achieved) == (whole.value, whole.achieved)
