"""The floor of the Monte Carlo: the same rules, computing only what is kept.

``solarcoop.monte_carlo`` books each chunk of paths through :func:`solarcoop.engine.book_paths`,
which returns every line of the ledger (about forty: debt-service cover, reserves
balances, arrears, each family's lender and pocket lines ...) and keeps six. This file
computes the same six columns for the same paths doing nothing else: the same draws
(``studies._draw_block``), the same revenue under each path's drawn readings
(``studies._revenue_paths``: prices and collections are one numpy expression over
(paths, months) per reading), then, per drawn tax reading, the operating costs, the
replacement reserve and the deposit rate as single expressions, the month-by-month
books (:func:`solarcoop.cooperative.book_months`, itself a loop over months of in-place
numpy operations on all paths, the least a recursion with interest on last month's
holdings allows), and the families' lines for one member class. It is the yardstick of
``benchmarks/speed.py`` ("within 1.5x of the numpy floor"): :func:`check` shows that it
computes the library's numbers.

Run ``python benchmarks/numpy_floor.py`` to check it and time both once;
``benchmarks/speed.py`` times them interleaved.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solarcoop as sc  # noqa: E402
from solarcoop import cooperative, economy, engine, studies  # noqa: E402
from solarcoop.calendar import accounting_months  # noqa: E402
from solarcoop.finance import loan_schedule  # noqa: E402

KEPT = studies.KEPT_COLUMNS


def floor_books(scenario, months, energy, cpi, collected) -> dict:
    """Distribution and payout per family of one group of paths sharing their books' rules."""
    costs_spec, coop = scenario.costs, scenario.cooperative
    classes = cooperative.resolve_member_classes(scenario.member_classes, coop.families, scenario.loan)
    if len(classes) != 1 or coop.end_of_life_settlement == "owed_collected_and_distributed":
        raise ValueError("the floor covers one member class and the baseline's settlement")
    if costs_spec.escalation_per_year is not None:
        raise ValueError("the floor covers costs that follow consumer prices")
    n = cpi.shape[-1]
    sources = engine.funding(scenario)
    capital = sources["capital_cost_rial"]
    costs = cooperative.operating_costs_rial(costs_spec, scenario.plant.capacity_kwp, energy, cpi)
    reserve = cooperative.replacement_reserve(
        costs_spec.inverter_replacement_share_of_capital * capital,
        engine._replacement_month(months, costs_spec.inverter_replacement_year),
        cpi,
    )
    if "inverter_replacement" in coop.reserve_uses:
        reserve["replacement_reserve_rial"] = 0.0
    debt_loan = scenario.debt.loan(capital, sources["debt_rial"] - scenario.debt.principal_for(capital))
    debt = loan_schedule(debt_loan, n)
    loan = loan_schedule(classes[0].loan, n)["instalment_rial"].to_numpy()
    families = float(classes[0].families)
    family_share = 1.0 - sources["sponsor_share_of_distributions"]
    books = cooperative.book_months(
        collected_rial=collected,
        operating_costs_rial=costs,
        depreciation_rial=np.where(
            np.arange(n) < 12 * costs_spec.depreciation_years, capital / (12 * costs_spec.depreciation_years), 0.0
        ),
        operating_year=months["operating_year"].to_numpy(),
        cooperative=coop,
        share_capital_rial=sources["family_shares_rial"] + sources["sponsor_equity_rial"],
        smoothing_months=coop.smoothing_months or scenario.payment.billing_months,
        debt_service_rial=debt["instalment_rial"].to_numpy(),
        debt_interest_rial=debt["interest_rial"].to_numpy(),
        replacement_reserve_rial=reserve["replacement_reserve_rial"],
        replacement_spent_rial=reserve["replacement_spent_rial"],
        end_of_life_rial=(costs_spec.decommissioning_share_of_capital - costs_spec.salvage_share_of_capital)
        * capital * cpi[..., -1],
        initial_cash_rial=coop.starting_cash_rial,
        deposit_rate_per_month=economy.deposit_rate_per_month(scenario.economy, months, cpi),
        instalments_due_rial=families * loan,
        families_share_of_distribution=family_share,
    )
    to_families = books["distributed_rial"] * family_share + books["reserve_paid_for_instalments_rial"]
    per_family = to_families / families
    distribution = to_families / (families * classes[0].shares_per_family) * classes[0].shares_per_family
    if classes[0].loan.shortfall == "debited":
        payout = distribution - loan + np.maximum(loan - distribution, 0.0)
    else:
        owed = np.cumsum(loan - distribution, axis=-1)
        arrears = owed - np.minimum(np.minimum.accumulate(owed, axis=-1), 0.0)
        payout = distribution - loan + arrears
        payout[..., 1:] -= arrears[..., :-1]
    payout = payout * 1.0 + 0.0  # the family-weighted mean of one class (weight 1), as the library forms it
    return {
        "distribution_per_family_rial": per_family,
        "payout_per_family_rial": payout,
        "payout_per_family_real_rial": payout * (1 / cpi),
    }


def floor_chunk(scenario, months, tables, blocks) -> dict:
    """The kept columns of one chunk of seed blocks, shape (paths, months)."""
    parts = [studies._draw_block(scenario, tables, seed, size) for seed, size in blocks]
    draws = {name: np.concatenate([part[name] for part in parts]) for name in parts[0]}
    revenue = studies._revenue_paths(scenario, months, tables, draws)
    n_paths = len(revenue["energy_kwh"])
    out = {
        "energy_kwh": revenue["energy_kwh"],
        "price_rial_per_kwh": revenue["price_rial_per_kwh"],
        "revenue_collected_rial": revenue["collected_rial"],
    }
    for column in ("distribution_per_family_rial", "payout_per_family_rial", "payout_per_family_real_rial"):
        out[column] = np.empty((n_paths, len(months)))
    for variant, members in studies._book_groups(scenario, draws):
        lines = floor_books(
            variant, months, revenue["energy_kwh"][members], revenue["cpi_index"][members],
            revenue["collected_rial"][members],
        )  # fmt: skip
        for column, values in lines.items():
            out[column][members] = values
    return out


def floor_monte_carlo(scenario, n_paths: int = 10_000, seed: int = 0, chunk_paths: int = studies.CHUNK_PATHS):
    """The floor's Monte Carlo on one thread, paths kept."""
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = studies.energy_tables(scenario, months)
    sizes = [min(studies.SEED_BLOCK_PATHS, n_paths - a) for a in range(0, n_paths, studies.SEED_BLOCK_PATHS)]
    blocks = list(zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes, strict=True))
    per_chunk = chunk_paths // studies.SEED_BLOCK_PATHS
    paths = {column: np.empty((n_paths, len(months))) for column in KEPT}
    start = 0
    for i in range(0, len(blocks), per_chunk):
        lines = floor_chunk(scenario, months, tables, blocks[i : i + per_chunk])
        stop = start + len(lines["energy_kwh"])
        for column in KEPT:
            paths[column][start:stop] = lines[column]
        start = stop
    return paths


def check(scenario=None, n_paths: int = 2_000, seed: int = 0) -> float:
    """Largest relative difference between the floor and the library over the kept columns."""
    scenario = sc.qom_baseline() if scenario is None else scenario
    floor = floor_monte_carlo(scenario, n_paths, seed)
    library = sc.monte_carlo(scenario, n_paths=n_paths, seed=seed, keep_paths=True).paths
    worst = 0.0
    for column in KEPT:
        scale = max(float(np.abs(library[column]).max()), 1.0)
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
