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
        ("tariff.cpi_weight", (0.1, 0.85), "draws"),  # booked under the scenario's own readings of the books
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
        # above 0: a family paid net of withheld instalments has a year-2 money of exactly 0
        # over a range of tariffs, where the crossing is not one number
        target=("family_cash_flow_rial_mean_year2", 2.0e6),
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
    # the later trials take the revenue on a line through the first two (within 1e-12 of
    # scale of a whole run), so the two searches may part in the last digits only
    assert reused.value == pytest.approx(whole.value, rel=1e-4 / 2)
    assert reused.achieved == pytest.approx(whole.achieved, rel=1e-9, abs=1.0)


@pytest.mark.parametrize(
    ("changes", "references", "values"),
    [
        ({}, (0.0, 380_000.0), (45_000.0, 245_885.26, 12_345.6, 1.0e6)),
        ({}, (61_234.5, 30_000.0), (0.0, 150_000.0)),
        ({"uncertainty": sc.NO_UNCERTAINTY}, (10_000.0, 90_000.0), (37_000.0,)),
        ({"tariff": sc.FlatTariff(base_price_rial_per_kwh=40_000.0)}, (0.0, 100_000.0), (55_555.5,)),
    ],
)
def test_runs_on_the_line_of_the_base_price_equal_whole_monte_carlos_within_1e_12_of_scale(
    five_years, changes, references, values, monkeypatch
):
    """After two runs of the tariff's base price, a run takes its revenue on the straight
    line through theirs (it prices and collects nothing, and books under the scenario's own
    readings of the books): its columns equal a whole Monte Carlo's within 1e-12 of each
    column's largest value (not to the bit: the order of the operations differs)."""
    scenario = five_years.with_changes(changes)
    path = "tariff.base_price_rial_per_kwh"
    wholes = {
        value: sc.monte_carlo(scenario.with_changes({path: value}), n_paths=750, seed=5, kept=KEPT, workers=1)
        for value in (*references, *values)
    }
    runs = SamePaths(scenario, path, n_paths=750, seed=5, kept=KEPT, chunk_paths=500)
    assert runs.references == {} and runs.line is None
    for value in references:  # the first two runs are whole runs, to the bit
        again = runs.run(value)
        for column in KEPT:
            np.testing.assert_array_equal(again.paths[column], wholes[value].paths[column])
    assert runs.line is None and len(runs.references) == 2  # the line is drawn when a third run needs it

    def no_pricing(*args, **kwargs):
        raise AssertionError("a run on the line priced its paths again")

    def no_variants(*args, **kwargs):
        raise AssertionError("a run on the line built its scenarios under the drawn readings again")

    monkeypatch.setattr(montecarlo, "_revenue_paths", no_pricing)
    monkeypatch.setattr(montecarlo, "_applied", no_variants)  # the books' are the scenario's own, kept
    for value in values:
        again, whole = runs.run(value), wholes[value]
        assert again.scenario.tariff.base_price_rial_per_kwh == value
        for column in KEPT:
            error = np.abs(again.paths[column] - whole.paths[column]).max()
            assert error <= 1e-12 * np.abs(whole.paths[column]).max()
        scale = np.abs(whole.paths["payout_per_family_rial"]).max()  # the P90 may be 0 give or take noise
        assert again.exceedance("payout_per_family_rial_mean_year2", 0.9) == pytest.approx(
            whole.exceedance("payout_per_family_rial_mean_year2", 0.9), rel=1e-12, abs=1e-12 * scale
        )


def test_only_the_base_price_of_a_plain_tariff_is_taken_on_a_line(five_years):
    assert SamePaths(five_years, "payment.delay_months", n_paths=250, seed=1, kept=KEPT).references is None
    assert SamePaths(five_years, "tariff.cpi_weight", n_paths=250, seed=1, kept=KEPT).references is None
    runs = SamePaths(five_years, "tariff.base_price_rial_per_kwh", n_paths=250, seed=1, kept=KEPT)
    for value in (20_000.0, 20_000.0):  # one value twice is one reference
        runs.run(value)
    assert runs.line is None and list(runs.references) == [20_000.0]
