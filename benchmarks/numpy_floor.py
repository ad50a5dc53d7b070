"""The plain-numpy floor of the Monte Carlo: the same rules, written as one function.

``solarcoop.monte_carlo`` books each chunk of paths through the library's stages
(pricing, payment, costs, reserves, tax, distribution, each family's loan), each a pure
function that validates its inputs and returns every line of the ledger. This file
writes the same rules for the same scenario once more, as a person would who wanted
nothing but the kept columns as fast as plain numpy allows: no specs, no checks, only
the lines the kept columns need, in-place arithmetic, closed forms for the yearly
indices. It is the yardstick of ``benchmarks/speed.py`` ("within 1.5x of the numpy
floor"), so it must compute the same numbers: :func:`check` compares it with the
library path by path (the same draws: both take them from ``studies._draw_block``).

It covers the rules the Qom baseline uses (a guaranteed-purchase contract indexed to CPI
and the euro, read one way or the other per path, then a CPI-indexed market price; bills
every ``billing_months`` paid ``delay + drawn extra`` months later, all in cash; costs
following CPI; an inverter-replacement reserve; tax, reserves and fee on profit; a
smoothed distribution with working cash kept back; each class's loan instalment with
arrears) and refuses scenarios outside them.

Run ``python benchmarks/numpy_floor.py`` to check it against the library and time both
once; ``benchmarks/speed.py`` times them interleaved.
"""

from __future__ import annotations

import dataclasses
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solarcoop as sc  # noqa: E402
from solarcoop import economy, studies  # noqa: E402
from solarcoop.calendar import accounting_months  # noqa: E402
from solarcoop.cooperative import resolve_member_classes  # noqa: E402
from solarcoop.finance import loan_schedule  # noqa: E402

KEPT = studies.KEPT_COLUMNS


@dataclasses.dataclass
class Constants:
    """Everything that does not depend on the path, computed once per run."""

    n_years: int
    n_months: int
    year_of_month: np.ndarray  # (n,) 0-based
    month_in_year: np.ndarray  # (12,)
    energy_table: np.ndarray  # (weather years, n)
    contract_months: int
    cost_rial_per_month: float  # before the cost index
    depreciation_rial: np.ndarray  # (n,)
    debt_service_rial: np.ndarray  # (n,)
    debt_interest_rial: np.ndarray  # (n,)
    replacement_month: int  # n when there is none
    replacement_cost_rial: float
    taxed: np.ndarray  # (n,) bool
    instalments_rial: np.ndarray  # (classes, n)
    families: np.ndarray
    shares: np.ndarray
    bill_months: np.ndarray
    euro_before_operation: np.ndarray  # (12,)


def constants(scenario) -> Constants:
    tariff, payment, costs, coop = scenario.tariff, scenario.payment, scenario.costs, scenario.cooperative
    after = tariff.after_term
    supported = (
        isinstance(tariff, sc.GuaranteedPurchaseTariff)
        and tariff.step_downs == ()
        and tariff.escalation_per_year == 0
        and tariff.time_of_use is None
        and isinstance(after, sc.MarketTariff)
        and after.indexation == "cpi"
        and after.escalation_per_year == 0
        and after.monthly_price_rial_per_kwh is None
        and payment.cash_share == 1.0
        and costs.escalation_per_year is None
        and costs.grid_fees_rial_per_kwh == 0
        and coop.end_of_life_reserves == "kept"
        and scenario.economy.euro_rate_before_operation_rial_per_eur is None
        and costs.decommissioning_share_of_capital == costs.salvage_share_of_capital
    )
    if not supported:
        raise ValueError("the numpy floor covers the Qom baseline's rules only")
    n_years = scenario.lifetime_years
    n = 12 * n_years
    months = accounting_months(scenario.start_date, n, scenario.calendar)
    energy_table, _, _ = studies.energy_tables(scenario, months)
    capacity = scenario.plant.capacity_kwp
    capital = costs.capital_cost_rial_per_kwp * capacity
    yearly = (
        costs.om_rial_per_kwp_year * capacity
        + costs.insurance_share_of_capital_per_year * capital
        + costs.land_lease_rial_per_year
        + costs.management_rial_per_year
    )
    debt = loan_schedule(scenario.debt.loan(capital), n)
    classes = resolve_member_classes(scenario.member_classes, coop.families, scenario.loan)
    year_of_month = np.arange(n) // 12
    replacement_month = 12 * (costs.inverter_replacement_year - 1)
    return Constants(
        n_years=n_years,
        n_months=n,
        year_of_month=year_of_month,
        month_in_year=np.arange(12),
        energy_table=energy_table,
        contract_months=min(n, 12 * tariff.term_years),
        cost_rial_per_month=yearly / 12,
        depreciation_rial=np.where(
            np.arange(n) < 12 * costs.depreciation_years, capital / (12 * costs.depreciation_years), 0.0
        ),
        debt_service_rial=debt["instalment_rial"].to_numpy(),
        debt_interest_rial=debt["interest_rial"].to_numpy(),
        replacement_month=replacement_month if replacement_month < n else n,
        replacement_cost_rial=costs.inverter_replacement_share_of_capital * capital,
        taxed=year_of_month + 1 > coop.tax_exempt_years,
        instalments_rial=np.stack([loan_schedule(c.loan, n)["instalment_rial"].to_numpy() for c in classes]),
        families=np.array([c.families for c in classes], float),
        shares=np.array([c.shares_per_family for c in classes], float),
        euro_before_operation=economy.fx_index_before_operation(scenario.economy),
        bill_months=np.minimum(np.arange(1, -(-n // payment.billing_months) + 1) * payment.billing_months - 1, n - 1),
    )


def _yearly_index(rates: np.ndarray, c: Constants) -> tuple[np.ndarray, np.ndarray]:
    """Monthly index from yearly rates in closed form: exp(L_y + k g_y); also exp(L_y)."""
    growth = np.log1p(rates) / 12  # (p, years)
    start = np.cumsum(12 * growth, axis=1) - 12 * growth
    log_index = start[:, :, None] + growth[:, :, None] * c.month_in_year
    return np.exp(log_index.reshape(len(rates), c.n_months)), np.exp(start)


def _running_max0(values: np.ndarray) -> np.ndarray:
    np.maximum(values, 0.0, out=values)
    return np.maximum.accumulate(values, axis=1, out=values)


def _diff(values: np.ndarray) -> np.ndarray:
    out = np.empty_like(values)
    out[:, 0] = values[:, 0]
    np.subtract(values[:, 1:], values[:, :-1], out=out[:, 1:])
    return out


def floor_paths(scenario, c: Constants, draws: dict) -> dict:
    """The kept columns of one chunk of paths, from its draws; shape (paths, months)."""
    tariff, coop = scenario.tariff, scenario.cooperative
    p, n = len(draws["yearly_factor"]), c.n_months
    year = c.year_of_month

    energy = c.energy_table[draws["weather_index"][:, year], np.arange(n)]
    energy *= draws["yearly_factor"][:, year]
    cpi, cpi_at_year_start = _yearly_index(draws["inflation"], c)
    fx, _ = _yearly_index(draws["fx_change"], c)

    # price: contract months indexed by CPI and the euro, then the CPI-indexed market price
    m = c.contract_months
    weight = np.where(draws["other_reading"], 1 - tariff.cpi_weight, tariff.cpi_weight)[:, None]
    extended = np.empty((p, 13 + m))
    extended[:, 0] = 0.0
    extended[:, 1:13] = c.euro_before_operation  # the same past on every path
    extended[:, 13:] = fx[:, :m]
    np.cumsum(extended, axis=1, out=extended)
    euro_term = extended[:, 13:] - extended[:, 1 : m + 1]
    euro_term /= extended[:, 12:13]
    euro_term *= 1 - weight
    price = np.empty((p, n))
    contract = price[:, :m]
    np.multiply(weight, cpi_at_year_start[:, year[:m]], out=contract)
    contract += euro_term
    np.round(contract, 5, out=contract)
    contract *= tariff.base_price_rial_per_kwh * tariff.local_content_multiplier
    np.multiply(cpi[:, m:], tariff.after_term.base_price_rial_per_kwh, out=price[:, m:])

    # bills every billing period, paid after the base delay plus each path's drawn extra
    billed = energy * price
    period = scenario.payment.billing_months
    bills = billed.reshape(p, -1, period).sum(axis=2)
    paid_month = c.bill_months + scenario.payment.delay_months + draws["extra_delay"][:, None]
    collected = np.zeros((p, n))
    rows, columns = np.nonzero(paid_month < n)
    collected[rows, paid_month[rows, columns]] = bills[rows, columns]

    # the ledger
    costs = cpi * c.cost_rial_per_month
    profit = collected - costs
    profit -= c.depreciation_rial + c.debt_interest_rial
    rate = coop.income_tax_rate * (1 - coop.tax_discount)
    tax = _diff(rate * _running_max0(np.cumsum(np.where(c.taxed, profit, 0.0), axis=1)))
    profit -= tax
    appropriable = _running_max0(np.cumsum(profit, axis=1))
    cap = coop.legal_reserve_cap_share_of_capital * float(np.sum(c.families * c.shares)) * coop.share_price_rial
    legal = _diff(np.minimum(coop.legal_reserve_share * appropriable, cap))
    after_tax = _diff(appropriable)
    net = collected - costs
    net -= c.debt_service_rial
    net -= tax
    net -= legal
    net -= (coop.precautionary_reserve_share + coop.education_fee_share) * after_tax
    s = c.replacement_month
    if s < n:  # the replacement reserve's deposits, its draw and the spending
        current = cpi[:, : s + 1] * c.replacement_cost_rial
        balance = current[:, :s] * ((np.arange(s) + 1) / s)
        net[:, :s] -= _diff(balance)
        net[:, s] -= current[:, s] - balance[:, -1]
    cumulative_net = np.cumsum(net, axis=1)
    cumulative_net += coop.starting_cash_rial
    window = coop.smoothing_months or period
    padded = np.zeros((p, n + window))
    padded[:, window:] = cumulative_net
    np.cumsum(padded, axis=1, out=padded)
    target = padded[:, window:] - padded[:, :-window]
    target /= window
    target -= coop.working_cash_months * costs
    target[:, -1] = cumulative_net[:, -1]
    distributed = _diff(_running_max0(target))

    # each family: its share of the distribution, less its instalment, arrears first
    per_share = distributed / np.sum(c.families * c.shares)
    payout = np.zeros((p, n))
    for families, shares, instalment in zip(c.families, c.shares, c.instalments_rial, strict=True):
        shortfall = np.cumsum(instalment - per_share * shares, axis=1)
        arrears = shortfall - np.minimum(np.minimum.accumulate(shortfall, axis=1), 0.0)
        paid = per_share * shares - instalment + _diff(arrears)
        payout += paid * (families / c.families.sum())
    return {
        "energy_kwh": energy,
        "price_rial_per_kwh": price,
        "revenue_collected_rial": collected,
        "distribution_per_family_rial": distributed / c.families.sum(),
        "payout_per_family_rial": payout,
        "payout_per_family_real_rial": payout / cpi,
    }


def floor_monte_carlo(scenario, n_paths: int = 10_000, seed: int = 0, chunk_paths: int = studies.CHUNK_PATHS):
    """The floor's Monte Carlo: the library's draws, the floor's arithmetic, one thread."""
    c = constants(scenario)
    months = accounting_months(scenario.start_date, c.n_months, scenario.calendar)
    tables = studies.energy_tables(scenario, months)
    sizes = [min(studies.SEED_BLOCK_PATHS, n_paths - a) for a in range(0, n_paths, studies.SEED_BLOCK_PATHS)]
    blocks = list(zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes, strict=True))
    per_chunk = chunk_paths // studies.SEED_BLOCK_PATHS
    paths = {column: np.empty((n_paths, c.n_months)) for column in KEPT}
    start = 0
    for i in range(0, len(blocks), per_chunk):
        parts = [studies._draw_block(scenario, tables, seed, size) for seed, size in blocks[i : i + per_chunk]]
        draws = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
        lines = floor_paths(scenario, c, draws)
        stop = start + len(draws["yearly_factor"])
        for column in KEPT:
            paths[column][start:stop] = lines[column]
        start = stop
    return paths


def check(scenario=None, n_paths: int = 2_000, seed: int = 0) -> float:
    """Largest relative difference between the floor and the library over the kept columns."""
    scenario = sc.qom_baseline() if scenario is None else scenario
    floor = floor_monte_carlo(scenario, n_paths, seed)
    library = sc.monte_carlo(scenario, n_paths=n_paths, seed=seed).paths
    worst = 0.0
    for column in KEPT:
        scale = np.abs(library[column]).max()
        worst = max(worst, float(np.abs(floor[column] - library[column]).max() / scale))
    return worst


def main() -> None:
    scenario = sc.qom_baseline()
    difference = check(scenario)
    print(f"floor against the library, 2,000 paths: largest difference {difference:.1e} of each column's scale")
    if difference > 1e-9:
        raise SystemExit("the floor does not compute the library's numbers")
    for name, run in (
        ("numpy floor", lambda: floor_monte_carlo(scenario)),
        ("solarcoop, 1 thread", lambda: sc.monte_carlo(scenario, n_paths=10_000, workers=1)),
    ):
        start = time.perf_counter()
        run()
        print(f"{name:22s} 10,000 paths x 300 months: {time.perf_counter() - start:.3f} s")


if __name__ == "__main__":
    main()
