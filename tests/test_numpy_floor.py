"""The plain-numpy floor of the benchmarks recomputes the Monte Carlo's kept columns.

``benchmarks/numpy_floor.py`` writes the Monte Carlo's rules once more in plain numpy,
sharing only the random draws and the weather tables with the library. It is the
yardstick of the speed benchmark, and an independent recomputation: the library's paths
must equal its own to rounding.
"""

import pytest
from repository_scripts import load_script

import solarcoop as sc


@pytest.fixture(scope="module")
def numpy_floor():
    return load_script("benchmarks", "numpy_floor")


PRACTICES = {
    alternative.name: {
        "uncertainty.readings": tuple(name for name in sc.disputed.READING_NAMES if name != "payout"),
        "cooperative.payout_cadence": alternative.change.cadence,
        "cooperative.first_payout_month_index": alternative.change.first_payout_month_index,
        "loan.shortfall": alternative.change.shortfall,
    }
    for alternative in sc.disputed.reading("payout").alternatives
}
"""Each payout practice stated (not drawn) on every path."""


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"tariff.euro_window_end": "energy_month"},
        {"uncertainty.readings": ()},
        {"funding.gap_filled_by": "debt"},
        *PRACTICES.values(),
    ],
    ids=["baseline", "euro_window_at_energy_month", "no_readings", "gap_filled_by_debt", *PRACTICES],
)
def test_the_library_equals_the_independent_numpy_floor(numpy_floor, changes):
    # the baseline draws the payout practice: each path paid in its own months, its
    # instalments withheld as arrears or debited from the family's account
    scenario = sc.qom_baseline().with_changes(changes)
    assert numpy_floor.check(scenario, n_paths=500, seed=5) < 1e-12


def test_the_baseline_draws_every_payout_practice(numpy_floor):
    # so the floor's agreement with the library covers every practice booked together
    scenario = sc.qom_baseline()
    months = numpy_floor.accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = numpy_floor.montecarlo.energy_tables(scenario, months)
    draws = numpy_floor.montecarlo.draw_block(scenario, tables, numpy_floor.np.random.SeedSequence(5), 250)
    assert sorted(set(draws["reading_payout"].tolist())) == [0, 1, 2]


def test_payout_months_every_third_from_the_fourth_and_the_last(numpy_floor):
    np = numpy_floor.np
    terms = {"period_months": np.array([1, 3]), "first_month": np.array([0, 3])}
    flags = numpy_floor.payout_flags(terms, 8)
    # month 0-2: only the monthly path; 3: both; 4, 5: monthly; 6: both; 7 (last): both
    assert [f if isinstance(f, bool) else f.tolist() for f in flags] == [
        [True, False], [True, False], [True, False], True, [True, False], [True, False], True, True,
    ]  # fmt: skip


def test_withheld_instalments_are_recovered_from_later_payouts(numpy_floor):
    np = numpy_floor.np
    distribution = np.array([[10.0, 10.0], [0.0, 0.0], [30.0, 30.0], [70.0, 70.0]])
    withheld = np.array([True, False])
    cash_flow = numpy_floor.family_cash_flow(distribution, 20.0, withheld)
    # withheld: arrears 10, 30, 20, 0 -> payouts 0, 0, 0, 70 - 20 - 20 = 30
    assert cash_flow[:, 0].tolist() == [0.0, 0.0, 0.0, 30.0]
    # debited: the family's pocket pays each shortfall
    assert cash_flow[:, 1].tolist() == [-10.0, -20.0, 10.0, 50.0]


def test_the_floor_refuses_what_it_does_not_cover(numpy_floor):
    with pytest.raises(ValueError):
        numpy_floor.floor_monte_carlo(sc.qom_baseline().with_changes({"tariff": sc.FlatTariff(40_000)}), 250)
