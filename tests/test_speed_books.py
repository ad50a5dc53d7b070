"""The Monte Carlo books all groups of drawn readings in one pass, to the bit.

Paths that drew different readings of the books (who paid the plant, the loans' grace,
the tax) were booked group by group, each group with its own month loop. They are now
booked in one pass, each path with its group's parts of the ledger spread to it
(``engine.path_parts``). A path's books do not depend on the paths
booked with it, so every number must equal the group-by-group books exactly
(``assert_array_equal``, not a tolerance).
"""

import dataclasses

import numpy as np
import pytest

import solarcoop as sc
from solarcoop import engine
from solarcoop.calendar import accounting_months
from solarcoop.studies import montecarlo


@pytest.fixture(scope="module")
def drawn():
    """500 drawn paths of the Qom baseline: the scenario, months, draws and revenue."""
    scenario = sc.qom_baseline()
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = montecarlo.energy_tables(scenario, months)
    seeds = np.random.SeedSequence(5).spawn(2)
    parts = [montecarlo.draw_block(scenario, tables, seed, 250) for seed in seeds]
    draws = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    return scenario, months, tables, draws


def every_line(scenario, months, revenue) -> tuple[str, ...]:
    """Every monthly line of the books (all paths, months)."""
    lines = engine.book_revenue(scenario, months, {name: values[:2] for name, values in revenue.items()})
    return tuple(name for name, values in lines.items() if np.ndim(values) == 2)


def group_by_group(scenario, months, draws, revenue, kept) -> dict:
    """The books of each group of drawn readings of the books, booked on its own."""
    n_paths, n_months = revenue["energy_kwh"].shape
    result = {column: np.full((n_paths, n_months), np.nan) for column in kept}
    names = montecarlo._drawn(draws, scenario, "books")
    for row, members in montecarlo._groups(montecarlo._codes(draws, names)):
        variant = montecarlo._variant(scenario, names, row)
        lines = engine.book_revenue(
            variant, months, {name: values[members] for name, values in revenue.items()}, lines=kept
        )
        for column in kept:
            result[column][members] = lines[column]
    return result


def with_reserve_uses(scenario):
    cooperative = dataclasses.replace(
        scenario.cooperative, reserve_uses=("inverter_replacement", "instalment_shortfall")
    )
    return dataclasses.replace(scenario, cooperative=cooperative)


@pytest.mark.parametrize("change", [None, with_reserve_uses], ids=["baseline", "reserve_uses"])
def test_one_pass_of_the_books_equals_the_books_of_each_group(drawn, change):
    scenario, months, tables, draws = drawn
    assert "reading_payout" in draws  # paths paid in different months (a per-path payout_month)
    scenario = scenario if change is None else change(scenario)
    revenue = montecarlo._revenue_paths(scenario, months, tables, draws)
    kept = every_line(scenario, months, revenue)
    groups = list(montecarlo._book_groups(scenario, draws))
    assert len(groups) > 4  # who paid the plant, the grace and the tax drawn: many groups
    one_pass = {column: np.full(revenue["energy_kwh"].shape, np.nan) for column in kept}
    assert montecarlo._book_in_one_pass(scenario, months, groups, revenue, kept, one_pass)
    expected = group_by_group(scenario, months, draws, revenue, kept)
    for column in kept:
        np.testing.assert_array_equal(one_pass[column], expected[column], err_msg=column)
    assert np.isfinite(one_pass["distributed_rial"]).all()


def test_groups_that_differ_by_more_than_per_path_inputs_are_booked_group_by_group(drawn, monkeypatch):
    scenario, months, tables, draws = drawn
    revenue = montecarlo._revenue_paths(scenario, months, tables, draws)
    original = montecarlo._applied

    def other_working_cash(scenario_, names, row):
        variant = original(scenario_, names, row)
        if row[0] == 1:  # a rule of the books no per-path input carries
            variant = dataclasses.replace(
                variant, cooperative=dataclasses.replace(variant.cooperative, smoothing_months=6)
            )
        return variant

    monkeypatch.setattr(montecarlo, "_applied", other_working_cash)
    montecarlo._VARIANTS.clear()
    try:
        kept = ("distributed_rial", "family_cash_flow_rial")
        groups = list(montecarlo._book_groups(scenario, draws))
        unused = {column: np.full(revenue["energy_kwh"].shape, np.nan) for column in kept}
        assert not montecarlo._book_in_one_pass(scenario, months, groups, revenue, kept, unused)
        assert np.isnan(unused["distributed_rial"]).all()  # nothing written
        booked = montecarlo._book_drawn(scenario, months, draws, revenue, kept)
        expected = group_by_group(scenario, months, draws, revenue, kept)
        for column in kept:
            np.testing.assert_array_equal(booked[column], expected[column], err_msg=column)
    finally:
        montecarlo._VARIANTS.clear()


def test_each_groups_parts_are_spread_to_its_paths_with_one_index():
    group_of_path = np.array([0, 1, 0, 1])
    lines = [np.array([1.0, 2.0, 3.0]), np.array([10.0, 20.0, 30.0])]
    spread = engine.spread(lines, group_of_path)
    np.testing.assert_array_equal(spread, [[1, 2, 3], [10, 20, 30], [1, 2, 3], [10, 20, 30]])
    assert spread.T.flags.c_contiguous  # month-major underneath, as the books read it
    np.testing.assert_array_equal(engine.spread([5.0, 7.0], group_of_path), [5, 7, 5, 7])
    by_class = [np.ones((2, 3)), np.zeros((2, 3))]
    assert engine.spread(by_class, group_of_path).shape == (4, 2, 3)
    same = np.arange(3.0)
    assert engine.spread([same, same.copy()], group_of_path) is same  # shared: not spread over the paths
    np.testing.assert_array_equal(engine.spread([0.0, -0.0], group_of_path), [0.0, -0.0, 0.0, -0.0])  # to the bit
    assert not engine._same_value([np.array([0.0, 1.0]), np.array([-0.0, 1.0])])
    assert engine._same_value([None, None]) and not engine._same_value([None, 0.0])


def test_parts_of_groups_that_differ_by_more_than_per_path_inputs_are_not_spread(drawn):
    scenario, months, _, _ = drawn
    group_of_path = np.array([0, 1, 1])
    other_grace = scenario.with_changes({"loan.grace_months": 12})
    parts = engine.path_parts([scenario, other_grace], group_of_path, months)
    assert parts["instalments"].shape == (3, 1, len(months))
    assert parts["capital_rial"] is engine.ledger_scenario_parts(scenario, months)["capital_rial"]
    other_rule = scenario.with_changes({"cooperative.smoothing_months": 6})
    assert engine.path_parts([scenario, other_rule], group_of_path, months) is None
    other_fees = scenario.with_changes({"costs.grid_fees_rial_per_kwh": 1.0})
    assert engine.path_parts([scenario, other_fees], group_of_path, months) is None


def test_the_scenarios_parts_of_the_ledger_are_worked_out_once_and_read_only(drawn):
    scenario, months, _, _ = drawn
    parts = engine.ledger_scenario_parts(scenario, months)
    assert engine.ledger_scenario_parts(scenario, months) is parts
    with pytest.raises(ValueError, match="read-only"):
        parts["instalments"][0, 0] = 1.0
    other_price = scenario.with_changes({"tariff.base_price_rial_per_kwh": 123_456.0})  # the ledger's parts do not read it
    assert engine.ledger_scenario_parts(other_price, months) is parts
    other_grace = scenario.with_changes({"loan.grace_months": 12})
    assert other_grace.loan != scenario.loan
    assert engine.ledger_scenario_parts(other_grace, months) is not parts


@pytest.fixture()
def two_years():
    """The Qom baseline with two weather years (cheap physics), its months, and no tables in memory."""
    scenario = sc.qom_baseline().with_changes({"uncertainty.weather_years": 2})
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    montecarlo._WEATHER_TABLES.clear()
    yield scenario, months
    montecarlo._WEATHER_TABLES.clear()


def test_the_weather_years_tables_are_kept_on_disk_and_read_back_to_the_bit(two_years, tmp_path, monkeypatch):
    scenario, months = two_years
    monkeypatch.setenv(montecarlo.CACHE_DIRECTORY_VARIABLE, str(tmp_path))
    energy, priced, soiling = montecarlo.energy_tables(scenario, months)
    assert len(list(tmp_path.glob("weather-tables-*.npz"))) == 1
    montecarlo._WEATHER_TABLES.clear()
    monkeypatch.setattr(montecarlo, "_weather_years", lambda scenario: pytest.fail("the physics ran again"))
    again = montecarlo.energy_tables(scenario, months)
    np.testing.assert_array_equal(again[0], energy)
    assert again[1] is again[0] and priced is energy  # no time of use: the priced energy is the energy
    assert again[2] == soiling
    montecarlo._WEATHER_TABLES.clear()  # another plant is another file
    other = scenario.with_changes({"plant.capacity_kwp": 2000})
    monkeypatch.undo()
    monkeypatch.setenv(montecarlo.CACHE_DIRECTORY_VARIABLE, str(tmp_path))
    assert montecarlo.energy_tables(other, months)[0][0, 0] != energy[0, 0]
    assert len(list(tmp_path.glob("weather-tables-*.npz"))) == 2


def test_an_unreadable_table_on_disk_is_made_again_and_an_empty_folder_name_keeps_nothing(two_years, tmp_path, monkeypatch):
    scenario, months = two_years
    monkeypatch.setenv(montecarlo.CACHE_DIRECTORY_VARIABLE, str(tmp_path))
    energy = montecarlo.energy_tables(scenario, months)[0]
    (kept,) = tmp_path.glob("weather-tables-*.npz")
    kept.write_bytes(b"cut short")
    montecarlo._WEATHER_TABLES.clear()
    np.testing.assert_array_equal(montecarlo.energy_tables(scenario, months)[0], energy)
    monkeypatch.setenv(montecarlo.CACHE_DIRECTORY_VARIABLE, "")
    assert montecarlo._tables_file(("any key",)) is None


def test_loan_practices_that_differ_by_path_give_each_path_its_own_practices_lines():
    from solarcoop.books.members import class_payouts

    distributed = np.array([[300.0, 0.0, 900.0], [300.0, 0.0, 900.0]])  # two paths, three months
    instalments = np.array([[[2.0, 2.0, 2.0]], [[2.0, 2.0, 2.0]]])  # (paths, classes, months)
    practices = np.array([["debited"], ["arrears"]])  # (paths, classes)
    mixed = class_payouts(distributed, [100], [1.0], instalments, practices)
    assert sorted(mixed) == sorted(class_payouts(distributed, [100], [1.0], instalments[0]))
    for path, practice in enumerate(["debited", "arrears"]):
        alone = class_payouts(distributed[path], [100], [1.0], instalments[path], [practice])
        for line in alone:
            np.testing.assert_array_equal(mixed[line][path], alone[line], err_msg=line)
    np.testing.assert_array_equal(mixed["arrears_rial"][:, 0], [[0.0, 0.0, 0.0], [0.0, 2.0, 0.0]])
    np.testing.assert_array_equal(mixed["paid_from_pocket_rial"][:, 0], [[0.0, 2.0, 0.0], [0.0, 0.0, 0.0]])


@pytest.mark.parametrize("period", range(1, 13))
def test_bills_of_a_period_are_its_months_summed_as_numpy_sums_them(period):
    from solarcoop.payment import bills_by_period

    rng = np.random.default_rng(period)
    billed = rng.standard_normal((40, 37)) * 10.0 ** rng.integers(-5, 12, (40, 37))
    billed[rng.random(billed.shape) < 0.2] = -0.0
    billed[0, :3] = [np.inf, -np.inf, np.nan]
    n_periods = -(-37 // period)
    padded = np.pad(billed, [(0, 0), (0, n_periods * period - 37)])
    with np.errstate(invalid="ignore"):  # inf - inf: NaN on both sides
        expected = padded.reshape(40, n_periods, period).sum(-1)
        bills, bill_month = bills_by_period(billed, period)
    np.testing.assert_array_equal(bills.view(np.int64), expected.view(np.int64))  # to the bit, signed zeros too
    assert bill_month[-1] == 36
