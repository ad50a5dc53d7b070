"""The Monte Carlo's fast paths give the straightforward paths' numbers, to the bit.

Each path of a Monte Carlo is priced, collected and booked under its own drawn readings.
The fast way does all paths at once (per-path parameters as arrays, forked worker
processes); the straightforward way prices and books each group of paths that share
their readings with the scalar functions. Both run here on the same draws and must agree
exactly (``assert_array_equal``, not a tolerance).
"""

import dataclasses
import itertools
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop import InputError, _running, disputed, tariff
from solarcoop.books.ledger import BOOK_LINES, book_months
from solarcoop.books.specs import Cooperative
from solarcoop.calendar import accounting_months
from solarcoop.payment import Payment, _add_in_order, months_to_payment
from solarcoop.studies import montecarlo, workers


@pytest.fixture(scope="module")
def drawn():
    """1,000 drawn paths of the Qom baseline: the scenario, months, draws and revenue."""
    scenario = sc.qom_baseline()
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = montecarlo.energy_tables(scenario, months)
    seeds = np.random.SeedSequence(11).spawn(4)
    parts = [montecarlo.draw_block(scenario, tables, seed, 250) for seed in seeds]
    draws = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    return scenario, months, tables, draws


def test_every_path_priced_at_once_equals_pricing_each_group_of_readings(drawn):
    scenario, months, tables, draws = drawn
    revenue = montecarlo._revenue_paths(scenario, months, tables, draws)
    names = montecarlo._drawn(draws, scenario, "price")
    delay = np.maximum(scenario.payment.delay_months + draws["extra_delay"], 0)
    history = sc.economy.fx_index_before_operation(scenario.economy)
    fx = sc.economy.index_from_yearly_rates(draws["fx_change"], months)
    grouped = montecarlo._price_in_groups(scenario, months, names, draws, delay, revenue["cpi_index"], fx, history)
    np.testing.assert_array_equal(revenue["price_rial_per_kwh"], grouped)
    # nearly every one of the 72 combinations of the tariff's readings was drawn among the
    # 1,000 paths (the rarest has a chance of 0.25 x 0.20 x 0.25 x 0.40 x 0.40 = 0.002)
    assert len(np.unique(montecarlo._codes(draws, names), axis=0)) >= 70


AFTER_TERMS = [
    tariff.MarketTariff(60_000, 0.05, indexation="fx"),
    tariff.MarketTariff(60_000, indexation="none"),
    tariff.MarketTariff(60_000, monthly_price_rial_per_kwh=tuple(range(50_000, 50_300))),
    tariff.FlatTariff(40_000, 0.1),
    None,
]


@pytest.mark.parametrize("after_term", AFTER_TERMS)
def test_what_follows_the_contract_is_priced_as_for_that_contract_alone(after_term):
    months = accounting_months("2026-03-21", 300)
    rng = np.random.default_rng(6)
    cpi = np.cumprod(1 + rng.uniform(0.01, 0.04, (3, 300)), axis=1)
    fx = np.cumprod(1 + rng.uniform(-0.02, 0.06, (3, 300)), axis=1)
    contract = tariff.GuaranteedPurchaseTariff(38_000, euro_window_end="energy_month", after_term=after_term)
    at_once = tariff.guaranteed_price_by_path([contract], [0, 0, 0], months, cpi, fx)
    for path in range(3):
        np.testing.assert_array_equal(at_once[path], tariff.price_rial_per_kwh(contract, months, cpi[path], fx[path]))


@pytest.mark.parametrize("window", ["energy_month", "payment_month"])
def test_a_contract_per_path_equals_that_contract_alone(window):
    months = accounting_months("2026-03-21", 300)
    rng = np.random.default_rng(5)
    cpi = np.cumprod(1 + rng.uniform(0.01, 0.04, (6, 300)), axis=1)
    fx = np.cumprod(1 + rng.uniform(-0.02, 0.06, (6, 300)), axis=1)
    contracts = [
        tariff.GuaranteedPurchaseTariff(38_000, cpi_weight=0.15, euro_window_end=window),
        tariff.GuaranteedPurchaseTariff(
            45_800, cpi_weight=0.85, step_downs=((8, 0.6),), escalation_per_year=0.02,
            local_content_multiplier=1.2, euro_window_end="energy_month",
        ),
    ]  # fmt: skip
    which = np.array([0, 1, 1, 0, 0, 1])
    lag = np.stack([months_to_payment(Payment(2, d), 300) for d in (0, 2, 4, 4, 2, 0)])
    at_once = tariff.guaranteed_price_by_path(contracts, which, months, cpi, fx, None, lag)
    for path, index in enumerate(which):
        alone = tariff.price_rial_per_kwh(
            contracts[index], months, cpi[path], fx[path], None, months_to_payment=lag[path]
        )
        np.testing.assert_array_equal(at_once[path], alone)


def test_contracts_of_different_terms_are_priced_group_by_group():
    contracts = [tariff.GuaranteedPurchaseTariff(38_000), tariff.GuaranteedPurchaseTariff(38_000, term_years=15)]
    assert not tariff.contracts_priced_by_path(contracts)
    with pytest.raises(InputError, match="share their term"):
        tariff.guaranteed_price_by_path(contracts, [0, 1], accounting_months("2026-03-21", 12), np.ones((2, 12)), np.ones((2, 12)))


def test_a_flat_tariff_with_drawn_readings_is_priced_group_by_group(drawn):
    scenario, months, tables, draws = drawn
    flat = scenario.with_changes({"tariff": sc.FlatTariff(40_000, 0.2)})
    revenue = montecarlo._revenue_paths(flat, months, tables, draws)
    level = draws["reading_tariff_level"]
    expected = np.array([disputed.TARIFF_LEVELS_RIAL_PER_KWH[a.name] for a in disputed.reading("tariff_level").alternatives])
    expected = 40_000 * expected / disputed.TARIFF_LEVELS_RIAL_PER_KWH[disputed.reading("tariff_level").central]
    np.testing.assert_allclose(revenue["price_rial_per_kwh"][:, 0], expected[level], rtol=1e-12)


def only_tax_of_the_books(draws: dict) -> dict:
    """The draws with the tax as the only reading of the books drawn."""
    return {
        key: value for key, value in draws.items() if key not in ("reading_funding_gap", "reading_loan_grace", "reading_payout")
    }


def test_books_with_each_paths_tax_terms_equal_the_books_of_each_tax_reading(drawn):
    scenario, months, tables, draws = drawn
    assert montecarlo._tax_terms_by_path(scenario, draws) is None  # who paid the plant, the grace, the payout change more
    draws = only_tax_of_the_books(draws)
    revenue = montecarlo._revenue_paths(scenario, months, tables, draws)
    terms = montecarlo._tax_terms_by_path(scenario, draws)
    lines = sc.engine.book_paths(
        scenario, months, energy_kwh=revenue["energy_kwh"], priced_energy_kwh=revenue["priced_energy_kwh"],
        cpi_index=revenue["cpi_index"], price_rial_per_kwh=revenue["price_rial_per_kwh"],
        billed_rial=revenue["revenue_billed_rial"], collected_rial=revenue["revenue_collected_rial"],
        owed_at_end_rial=revenue["revenue_owed_at_end_rial"], billing_months=2, **terms,
    )  # fmt: skip
    codes = draws["reading_tax"]
    for index, alternative in enumerate(disputed.reading("tax").alternatives):
        members = codes == index
        variant = disputed.apply(scenario, "tax", alternative.name)
        alone = sc.engine.book_paths(
            variant, months, energy_kwh=revenue["energy_kwh"][members],
            priced_energy_kwh=revenue["priced_energy_kwh"][members], cpi_index=revenue["cpi_index"][members],
            price_rial_per_kwh=revenue["price_rial_per_kwh"][members], billed_rial=revenue["revenue_billed_rial"][members],
            collected_rial=revenue["revenue_collected_rial"][members],
            owed_at_end_rial=revenue["revenue_owed_at_end_rial"][members],
            billing_months=2,
        )  # fmt: skip
        for name in ("tax_rial", "distributed_rial", "cash_balance_rial", "payout_per_family_rial"):
            np.testing.assert_array_equal(lines[name][members], alone[name], err_msg=f"{alternative.name}: {name}")


def test_a_books_reading_that_changes_more_than_tax_is_booked_group_by_group(drawn, monkeypatch):
    scenario, _, _, draws = drawn
    draws = only_tax_of_the_books(draws)
    original = montecarlo._applied

    def also_reserve(scenario_, names, row):
        variant = original(scenario_, names, row)
        if list(names) == ["tax"] and row[0] == 2:
            variant = dataclasses.replace(
                variant, cooperative=dataclasses.replace(variant.cooperative, working_cash_months=4.0)
            )
        return variant

    monkeypatch.setattr(montecarlo, "_applied", also_reserve)
    montecarlo._VARIANTS.clear()
    assert montecarlo._tax_terms_by_path(scenario, draws) is None
    assert len(list(montecarlo._book_groups(scenario, draws))) == 3
    montecarlo._VARIANTS.clear()


def test_book_months_per_path_tax_equals_one_booking_per_path():
    rng = np.random.default_rng(2)
    collected = rng.uniform(-1e6, 5e6, (3, 36))
    rates = np.array([0.1875, 0.0, 0.25])
    exempt = np.array([0, 2, 1])
    at_once = book_months(
        collected_rial=collected, operating_costs_rial=1e6, depreciation_rial=5e5, operating_year=np.repeat(np.arange(1, 4), 12),
        cooperative=Cooperative(), share_capital_rial=1e8, smoothing_months=2, deposit_rate_per_month=0.01,
        tax_rate_by_path=rates, tax_exempt_years_by_path=exempt,
    )  # fmt: skip
    for path in range(3):
        alone = book_months(
            collected_rial=collected[path], operating_costs_rial=1e6, depreciation_rial=5e5,
            operating_year=np.repeat(np.arange(1, 4), 12),
            cooperative=Cooperative(income_tax_rate=rates[path], tax_discount=0.0, tax_exempt_years=int(exempt[path])),
            share_capital_rial=1e8, smoothing_months=2, deposit_rate_per_month=0.01,
        )  # fmt: skip
        for name, values in alone.items():
            np.testing.assert_array_equal(at_once[name][path], values, err_msg=name)
    assert at_once["tax_rial"][1, :24].sum() == 0.0 and at_once["tax_rial"][2, :12].sum() == 0.0


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(0, 7), min_size=0, max_size=30), st.integers(0, 2**32 - 1))
def test_adding_in_order_equals_numpy_add_at(months, seed):
    months = np.array(months, dtype=int)
    values = np.random.default_rng(seed).normal(size=(3, months.size)) * 10.0 ** np.random.default_rng(seed).integers(-3, 9, months.size)
    expected = np.random.default_rng(seed + 1).normal(size=(3, 8))
    line = expected.copy()
    np.add.at(np.moveaxis(expected, -1, 0), months, np.moveaxis(values, -1, 0))
    _add_in_order(line, months, values)
    np.testing.assert_array_equal(line, expected)


def test_processes_and_threads_give_the_same_paths(monkeypatch):
    scenario = sc.qom_baseline()
    kept = ("payout_per_family_rial", "family_cash_flow_rial", "tax_rial")
    forked = sc.monte_carlo(scenario, n_paths=1_250, seed=9, workers=3, chunk_paths=500, kept=kept)
    monkeypatch.setattr(workers, "CAN_FORK", False)
    threaded = sc.monte_carlo(scenario, n_paths=1_250, seed=9, workers=2, kept=kept)
    one = sc.monte_carlo(scenario, n_paths=1_250, seed=9, workers=1, kept=kept)
    for column in kept:
        np.testing.assert_array_equal(forked.paths[column], one.paths[column])
        np.testing.assert_array_equal(threaded.paths[column], one.paths[column])


def test_streamed_counts_from_processes_equal_one_process():
    scenario = sc.qom_baseline()
    forked = sc.monte_carlo(scenario, n_paths=1_000, seed=2, workers=2, keep_paths=False)
    one = sc.monte_carlo(scenario, n_paths=1_000, seed=2, workers=1, keep_paths=False)
    for column in forked.columns:
        for kind in ("monthly", "yearly"):
            np.testing.assert_array_equal(forked._stream(column, kind).counts, one._stream(column, kind).counts)
    assert forked._stream("family_cash_flow_rial", "monthly").n_values == 1_000


def _fails_in_second_share(share):
    if share == 2:
        raise InputError("share 2 refused: a field, its value and what is allowed")
    return share * 10


@pytest.mark.skipif(not workers.CAN_FORK, reason="forked workers exist only where the system forks (Linux)")
def test_an_error_in_a_worker_process_is_raised_in_the_caller_and_no_child_is_left():
    assert workers.run_shares(_fails_in_second_share, [1, 3, 4]) == [10, 30, 40]
    with pytest.raises(InputError, match="share 2 refused"):
        workers.run_shares(_fails_in_second_share, [1, 2, 3])
    workers._reap(block=True)  # children still exiting are reaped here (or at exit)
    with pytest.raises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)  # no child was lost track of


def test_shares_split_the_blocks_evenly_and_in_order():
    blocks = [(i, 250) for i in range(40)]
    shares = montecarlo._shares(blocks, 2, 2_000)
    assert [[len(chunk) for chunk in share] for share in shares] == [[7, 6, 7], [7, 6, 7]]
    assert [[len(chunk) for chunk in share] for share in montecarlo._shares(blocks, 2, 2_500)] == [[10, 10], [10, 10]]
    assert [block for share in shares for chunk in share for block in chunk] == blocks
    assert montecarlo._shares(blocks[:1], 4, 2_000) == [[blocks[:1]]]
    three = montecarlo._shares(blocks, 3, 500)
    assert [sum(len(chunk) for chunk in share) for share in three] == [13, 14, 13]
    assert max(len(chunk) for chunk in itertools.chain.from_iterable(three)) == 2


@settings(max_examples=80, deadline=None)
@given(st.integers(1, 60), st.integers(1, 5), st.integers(0, 2**32 - 1))
def test_unique_rows_equal_numpy_unique_along_rows(n_rows, n_columns, seed):
    codes = np.random.default_rng(seed).integers(-2, 6, size=(n_rows, n_columns))
    unique, inverse = montecarlo._unique_rows(codes)
    expected, expected_inverse = np.unique(codes, axis=0, return_inverse=True)
    np.testing.assert_array_equal(unique, expected)
    np.testing.assert_array_equal(inverse, expected_inverse.reshape(-1))


@pytest.mark.skipif(not workers.CAN_FORK, reason="forked workers exist only where the system forks (Linux)")
def test_when_no_process_can_be_started_the_shares_run_on_threads(monkeypatch):
    def no_fork():
        raise OSError(12, "Cannot allocate memory")

    monkeypatch.setattr(os, "fork", no_fork)
    assert workers.run_shares(_fails_in_second_share, [1, 3, 4]) == [10, 30, 40]
    paths = sc.monte_carlo(sc.qom_baseline(), n_paths=2_000, seed=4, workers=2, kept=("payout_per_family_rial",)).paths
    monkeypatch.undo()
    again = sc.monte_carlo(sc.qom_baseline(), n_paths=2_000, seed=4, workers=2, kept=("payout_per_family_rial",)).paths
    np.testing.assert_array_equal(paths["payout_per_family_rial"], again["payout_per_family_rial"])


def test_collecting_without_discount_and_penalty_lines_gives_the_same_cash():
    terms = Payment(2, 1, cash_share=0.5, deferred_delay_months=0, settlement_every_months=6,
                    settled_in="bonds", bond_discount=0.2, late_penalty_per_year=0.18)  # fmt: skip
    billed = np.random.default_rng(3).uniform(0, 1e9, (4, 30))
    full = sc.payment.collect_lines(billed, terms)
    cash_only = sc.payment.collect_lines(billed, terms, discount_and_penalty=False)
    assert set(cash_only) == {"collected_rial", "owed_at_end_rial"}
    np.testing.assert_array_equal(cash_only["collected_rial"], full["collected_rial"])
    np.testing.assert_array_equal(cash_only["owed_at_end_rial"], full["owed_at_end_rial"])
    assert full["late_penalty_rial"].sum() > 0 and full["bond_discount_rial"].sum() > 0


def test_books_of_some_lines_equal_those_lines_of_all_books():
    rng = np.random.default_rng(8)
    arguments = dict(
        collected_rial=rng.uniform(-1e6, 5e6, (4, 48)), operating_costs_rial=1e6, depreciation_rial=5e5,
        operating_year=np.repeat(np.arange(1, 5), 12), cooperative=Cooperative(reserve_uses=("instalment_shortfall",)),
        share_capital_rial=1e8, smoothing_months=3, deposit_rate_per_month=0.01, instalments_due_rial=2e6,
        replacement_reserve_rial=rng.uniform(0, 1e5, (4, 48)),
    )  # fmt: skip
    every = book_months(**arguments)
    assert tuple(every) == BOOK_LINES
    some = book_months(**arguments, lines=("distributed_rial", "reserves_rial", "replacement_reserve_rial"))
    assert list(some) == ["distributed_rial", "reserves_rial", "replacement_reserve_rial"]
    for name, values in some.items():
        np.testing.assert_array_equal(values, every[name], err_msg=name)
    with pytest.raises(InputError, match="lines = 'payout_rial' is not a line of the books"):
        book_months(**arguments, lines=("payout_rial",))


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.integers(1, 130), st.sampled_from([0, 1, -1]), st.booleans(), st.integers(0, 2**32 - 1))
def test_running_sums_and_minima_equal_numpy_accumulate(n_months, n_paths, axis, month_major, seed):
    values = np.random.default_rng(seed).normal(size=(n_months, n_paths)) * 1e9
    values = values if month_major else np.ascontiguousarray(values.T)  # months first or last in memory
    for ufunc in (np.add, np.minimum):
        np.testing.assert_array_equal(_running.running(ufunc, values, axis=axis), ufunc.accumulate(values, axis=axis))


def _irr_by_200_bisections(cashflows_rial, low=-0.99, high=100.0):
    """The internal rate of return as first written: always 200 bisection steps."""
    lo, hi = np.full(cashflows_rial.shape[:-1], low), np.full(cashflows_rial.shape[:-1], high)
    npv_lo = sc.finance.npv_rial(lo, cashflows_rial)
    has_root = np.sign(npv_lo) != np.sign(sc.finance.npv_rial(hi, cashflows_rial))
    for _ in range(200):
        mid = (lo + hi) / 2
        npv_mid = sc.finance.npv_rial(mid, cashflows_rial)
        same = np.sign(npv_mid) == np.sign(npv_lo)
        lo, npv_lo, hi = np.where(same, mid, lo), np.where(same, npv_mid, npv_lo), np.where(same, hi, mid)
    return np.where(has_root, (lo + hi) / 2, np.nan)


@settings(max_examples=60, deadline=None)
@given(st.integers(2, 300), st.integers(1, 4), st.integers(0, 2**32 - 1))
def test_irr_stopping_when_the_bracket_stops_shrinking_equals_200_bisections(n_months, n_paths, seed):
    rng = np.random.default_rng(seed)
    flows = rng.normal(size=(n_paths, n_months)) * 1e9
    flows[:, 0] = -np.abs(flows[:, 0]) * rng.uniform(1, 50)
    np.testing.assert_array_equal(sc.finance.irr_per_year(flows), _irr_by_200_bisections(flows))


@pytest.mark.parametrize("term_years", [1, 7, 25, 30])
def test_a_contract_of_any_term_is_priced_by_path_as_alone(term_years):
    months = accounting_months("2026-03-21", 300)
    rng = np.random.default_rng(term_years)
    cpi = np.cumprod(1 + rng.uniform(0.01, 0.04, (2, 300)), axis=1)
    fx = np.cumprod(1 + rng.uniform(-0.02, 0.06, (2, 300)), axis=1)
    lag = np.stack([months_to_payment(Payment(2, d), 300) for d in (0, 4)])
    contract = tariff.GuaranteedPurchaseTariff(38_000, term_years=term_years)
    at_once = tariff.guaranteed_price_by_path([contract], [0, 0], months, cpi, fx, None, lag)
    for path in range(2):
        alone = tariff.price_rial_per_kwh(contract, months, cpi[path], fx[path], None, months_to_payment=lag[path])
        np.testing.assert_array_equal(at_once[path], alone)
