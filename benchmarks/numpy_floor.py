"""The plain-numpy floor of solarcoop's Monte Carlo: the same rules, written out once.

``benchmarks/speed.py`` holds the library to "within 1.5x of the plain-numpy floor of the
same rules". This module is that floor. For the Qom baseline (``sc.qom_baseline()``) and
small variations of it, it computes the six columns a Monte Carlo keeps
(``solarcoop.lines.MONTE_CARLO_KEPT``) for every path and month, with every rule written here in
numpy over month-major arrays of shape (months, paths): each path's drawn readings are
per-path arrays, so no path is grouped with others by reading and no Python loop runs over
paths. The one loop runs over months, for the books' recursion (interest on last month's
holdings), on rows of shape (paths,): the paths under every alternative, payout practices
included, are booked together in that one loop, as the library books them.

How it is independent
---------------------
From the library it takes only what is not a rule of the money:

- the random draws, ``montecarlo.draw_block``, on the same seed blocks as the library
  (``montecarlo.SEED_BLOCK_PATHS`` paths per child of ``numpy.random.SeedSequence(seed)``);
- the monthly energy of each weather year, ``montecarlo.energy_tables`` (the physics);
- the accounting months, ``calendar.accounting_months``, and ``calendar.month_number`` to count months;
- numbers: the scenario's fields, the alternatives of each disputed reading
  (``disputed.TARIFF_LEVELS_RIAL_PER_KWH``, ``STEP_DOWNS``, ``PAYMENT_TERMS``,
  ``TAX_TERMS``, the payout practices' cadence, first month and shortfall rule, and which
  alternative is central), the euro index of the twelve months
  before operation (``economy.fx_index_before_operation``) and the default deposit rate's
  ratio to inflation (``economy.DEFAULT_DEPOSIT_RATE_PER_YEAR``,
  ``economy.DEFAULT_INFLATION_PER_YEAR``).

Written here: the consumer-price and euro indices from the drawn yearly rates; each path's
contract price under its drawn tariff level, step-downs, indexation weight, euro window and indexation base
(ending at the energy month or at the month the bill is paid, with the path's drawn delay),
and the market price after the term; the collection of each bill under the path's drawn
payment reading and delay (cash share, deferred rest in yearly lumps, bonds sold at a
discount); the operating costs, the inverter replacement reserve, depreciation, the
cooperative's debt if any and the funding gap under the path's drawn reading of who pays
the rest of the plant (none, the shares paying it all, or at the market cost a grant,
sponsor equity that takes its share of every distribution, or debt); the month-by-month
books on accrual (profit on the bills as issued, with penalties less what bonds lost when
settled, the inverter replacement capitalised and written off over the months left, the
end of life in the last month's profit; deposit interest on last month's reserve funds and,
at a share of the rate, on its working cash; tax accrued with losses carried forward under
the drawn tax reading and paid in the fourth month after each fiscal year, all of it in the
last month, the owners paid from the cash after the tax as it accrues; the legal and
precautionary reserves and the education fee of the Cooperative Sector Law, a smoothed
distribution limited by profit, working cash kept back, the end-of-life settlement, which
keeps the legal reserve), paid only in each path's payout months under its drawn payout
practice (every month from the first, or every third from the fourth; what another month
would pay waits for the next payout; the last month pays); and the family's loan
instalment under the path's drawn grace and its money after it (its cash flow), nominal
and real: under the path's practice the instalment is taken from the family's own account
when the distribution falls short, or withheld from the payouts, a shortfall carried as
arrears and recovered from later payouts (each payout ``max(0, d - i - a_prev)``). Every alternative of a choice reading,
the central one included, sets its value whatever the scenario holds; the tariff level
scales the scenario's price and the indexation weight keeps or swaps it, as the library's
readings do.

The books are written as running highs of cumulative sums (tax paid so far is the rate
times the highest cumulative taxable profit; the legal reserve is its share of the highest
cumulative profit after tax, up to its cap; distributions so far never fall), so each month
updates a handful of (paths,) rows. The indexation coefficient is rounded to 5 decimals as
the contract says, so the indices and the euro's moving average are formed in the same
order of operations as in the library: a last-bit difference there could move a rounded
coefficient by 1e-5.

It raises ``ValueError`` for what it does not cover: tariffs other than the
guaranteed-purchase contract, more than one member class, reserve uses, the end-of-life
settlement that collects the bills still owed, the cash basis, tax paid monthly, and a
grant booked as deferred income (a grant
that reduces the cost is covered: only the rest is written off).

:func:`check` compares it with ``sc.monte_carlo(..., keep_paths=True)``. Run
``python benchmarks/numpy_floor.py`` to check it and time both once;
``benchmarks/speed.py`` times them interleaved.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solarcoop as sc  # noqa: E402
from solarcoop import disputed, economy  # noqa: E402
from solarcoop.calendar import accounting_months, month_number  # noqa: E402
from solarcoop.studies import montecarlo  # noqa: E402

KEPT = sc.lines.MONTE_CARLO_KEPT
CHUNK_PATHS = 5_000
"""Paths booked at once by default: measured fastest for 10,000 paths on one thread, and
steadiest when timed between runs of the library (one pass over all paths was as fast
alone, but slowed two- to three-fold between them: its larger arrays are mapped afresh)."""


# --------------------------------------------------------------------------- readings


def per_path(draws: dict, name: str, value_of: dict, own_value, n_paths: int) -> np.ndarray:
    """Each path's value under its drawn alternative of reading ``name``, shape (paths, ...).

    ``value_of`` maps every alternative's name to its value, the central one's included
    (a choice sets its value on each path whatever the scenario holds; a level is given
    relative to the scenario's own value). Without a draw of the reading every path keeps
    the scenario's ``own_value``.
    """
    reading = disputed.reading(name)
    own_value = np.asarray(own_value, float)
    if f"reading_{name}" not in draws:
        return np.broadcast_to(own_value, (n_paths, *own_value.shape))
    values = [value_of[alternative.name] for alternative in reading.alternatives]
    return np.asarray(values, float)[draws[f"reading_{name}"]]


MARKET_CAPITAL_COST_RIAL_PER_KWP = 3.0e8
"""The plant's cost when a source other than the shares fills a gap [rial/kWp]."""

GRACE_MONTHS = {"none": 0, "six_months": 6, "twelve_months": 12}
"""The family loan's months of interest only under each reading of ``loan_grace``."""


def under_book_readings(scenario, funding_gap: str | None, loan_grace: str | None):
    """The scenario under one alternative of who pays the rest of the plant and of the
    family loan's grace (``None``: the scenario's own)."""
    if funding_gap is not None:
        paid_per_kwp = paid_rial(scenario) / scenario.plant.capacity_kwp
        if funding_gap == "shares_cover_the_cost":
            changes = {"costs.capital_cost_rial_per_kwp": None}
        else:
            changes = {
                "costs.capital_cost_rial_per_kwp": max(MARKET_CAPITAL_COST_RIAL_PER_KWP, paid_per_kwp),
                "funding.gap_filled_by": funding_gap,
            }
            months_left = 12 * scenario.lifetime_years - scenario.debt.first_month_index
            if funding_gap == "debt" and scenario.debt.term_months > months_left > 0:
                changes |= {
                    "debt.term_months": months_left,
                    "debt.grace_months": min(scenario.debt.grace_months, months_left - 1),
                }
        scenario = scenario.with_changes(changes)
    if loan_grace is not None:
        months = GRACE_MONTHS[loan_grace]
        scenario = scenario.with_changes({"loan.grace_months": min(months, scenario.loan.term_months - 1)})
        if scenario.member_classes and scenario.member_classes[0].loan is not None:
            loan = scenario.member_classes[0].loan
            scenario = scenario.with_changes({"member_classes.0.loan.grace_months": min(months, loan.term_months - 1)})
    return scenario


BOOK_READINGS = ("funding_gap", "loan_grace")
"""Readings of the books whose terms (:func:`book_terms`) the floor works out once for each
combination drawn and spreads over the paths that drew it."""


def book_terms(scenario, months, draws: dict) -> dict:
    """Each path's terms of the books under its drawn readings of :data:`BOOK_READINGS`:
    the plant's cost [rial], the families' share of distributions and the legal reserve's
    cap [rial], shape (paths,); the cooperative's debt service and its
    interest, the plant's depreciation and the family loan's instalment [rial], shape
    (months, paths). Each combination of alternatives is worked out once and spread over
    the paths that drew it, so all paths are booked in one pass of the month loop."""
    n_paths, n_months = len(draws["extra_delay"]), len(months)
    drawn = [name for name in BOOK_READINGS if f"reading_{name}" in draws]
    codes = np.stack([draws[f"reading_{name}"] for name in drawn], axis=1) if drawn else np.zeros((n_paths, 0), int)
    rows, combination = np.unique(codes, axis=0, return_inverse=True)
    terms = []
    for row in rows:
        names = dict.fromkeys(BOOK_READINGS)
        for name, index in zip(drawn, row, strict=True):
            names[name] = disputed.reading(name).alternatives[int(index)].name
        terms.append(scenario_book_terms(under_book_readings(scenario, names["funding_gap"], names["loan_grace"]), n_months))
    combination = combination.reshape(n_paths)
    return {
        name: np.asarray([term[name] for term in terms]).T[..., combination] if np.ndim(terms[0][name]) else
        np.asarray([term[name] for term in terms])[combination]
        for name in terms[0]
    }  # fmt: skip


def scenario_book_terms(scenario, n_months: int) -> dict:
    """The terms of :func:`book_terms` of one scenario: numbers, and lines (months,)."""
    costs, cooperative = scenario.costs, scenario.cooperative
    member_class = scenario.member_classes[0] if scenario.member_classes else None
    families = cooperative.families
    shares_per_family = member_class.shares_per_family if member_class else 1.0
    family_loan = member_class.loan if member_class and member_class.loan else scenario.loan
    if member_class and member_class.families != families:
        raise ValueError("member_classes must hold cooperative.families")
    sources = funding_rial(scenario, families, shares_per_family)
    capital_rial = sources["capital"]
    owners_capital_rial = sources["family_shares"] + sources["sponsor_equity"]
    debt = scenario.debt
    debt_service_rial, debt_interest_rial = loan_lines(
        sources["debt"], debt.annual_rate, debt.term_months, debt.grace_months, debt.first_month_index, n_months
    )
    month = np.arange(n_months)
    instalment_rial, _ = loan_lines(
        family_loan.principal_rial, family_loan.annual_rate, family_loan.term_months, family_loan.grace_months,
        family_loan.first_month_index, n_months,
    )  # fmt: skip
    return {
        "capital_rial": capital_rial,
        "families_share": 1.0 - (sources["sponsor_equity"] / owners_capital_rial if owners_capital_rial > 0 else 0.0),
        "legal_cap_rial": cooperative.legal_reserve_cap_share_of_capital * owners_capital_rial,
        "debt_service_rial": debt_service_rial,
        "debt_interest_rial": debt_interest_rial,
        # a grant reduces the cost written off (and is never the owners' capital)
        "depreciation_rial": np.where(
            month < 12 * costs.depreciation_years,
            (capital_rial - sources["grant"]) / (12 * costs.depreciation_years),
            0.0,
        ),
        "instalment_rial": instalment_rial,
    }


def step_factor_by_year(step_downs, n_years: int) -> np.ndarray:
    """The contract's step-down factor in each operating year (1 before the first step)."""
    factor = np.ones(n_years)
    for year, step in step_downs:
        factor[year - 1 :] = step
    return factor


PAYOUT_PERIOD_MONTHS = {"monthly": 1, "quarterly": 3}
"""Months from one payout to the next under each ``cooperative.payout_cadence``."""


def payout_terms(scenario, draws: dict, n_paths: int) -> dict:
    """Each path's payout practice under its drawn alternative of ``payout`` (else the
    scenario's own): months between payouts and the first payout's month [-], and whether
    an instalment the distribution does not cover is withheld as arrears (else taken from
    the family's own account) [bool], each shape (paths,)."""
    family_loan = (
        scenario.member_classes[0].loan
        if scenario.member_classes and scenario.member_classes[0].loan
        else scenario.loan
    )
    cooperative = scenario.cooperative
    practice = {a.name: a.change for a in disputed.reading("payout").alternatives}
    return {
        "period_months": per_path(
            draws, "payout", {name: PAYOUT_PERIOD_MONTHS[p.cadence] for name, p in practice.items()},
            PAYOUT_PERIOD_MONTHS[cooperative.payout_cadence], n_paths,
        ).astype(int),
        "first_month": per_path(
            draws, "payout", {name: p.first_payout_month_index for name, p in practice.items()},
            cooperative.first_payout_month_index, n_paths,
        ).astype(int),
        "arrears": per_path(
            draws, "payout", {name: float(p.shortfall == "arrears") for name, p in practice.items()},
            float(family_loan.shortfall == "arrears"), n_paths,
        ).astype(bool),
    }  # fmt: skip


def payout_flags(terms: dict, n_months: int) -> list:
    """Which paths are paid in each month: ``True`` (all), ``False`` (none), or a row of
    flags (paths,); the last month pays every path."""
    since_first = np.arange(n_months)[:, None] - terms["first_month"]
    pays = (since_first >= 0) & (since_first % terms["period_months"] == 0)
    pays[-1] = True
    return [bool(row[0]) if row.all() or not row.any() else row for row in pays]


def check_covered(scenario) -> None:
    """Refuse, naming the field, what the floor does not write out."""
    tariff, cooperative = scenario.tariff, scenario.cooperative
    if type(tariff).__name__ != "GuaranteedPurchaseTariff":
        raise ValueError(
            f"tariff is a {type(tariff).__name__}: the floor covers the guaranteed-purchase contract"
        )
    if tariff.after_term is not None and type(tariff.after_term).__name__ not in (
        "MarketTariff",
        "FlatTariff",
    ):
        raise ValueError(f"tariff.after_term = {tariff.after_term!r} is not covered")
    if len(scenario.member_classes) > 1:
        raise ValueError("the floor covers one member class")
    if cooperative.reserve_uses:
        raise ValueError(
            f"cooperative.reserve_uses = {cooperative.reserve_uses!r}: the floor covers none"
        )
    if cooperative.end_of_life_settlement not in ("kept", "distributed"):
        raise ValueError(
            f"cooperative.end_of_life_settlement = {cooperative.end_of_life_settlement!r} is not covered"
        )
    if cooperative.books_basis != "accrual" or cooperative.tax_paid != "after_fiscal_year":
        raise ValueError("the floor covers accrual books with the tax paid after the fiscal year")
    if cooperative.payout_cadence not in PAYOUT_PERIOD_MONTHS:
        raise ValueError(
            f"cooperative.payout_cadence = {cooperative.payout_cadence!r}: the floor covers "
            f"{sorted(PAYOUT_PERIOD_MONTHS)}"
        )
    if cooperative.grant_rule != "reduces_cost":
        raise ValueError("the floor covers a grant that reduces the plant's depreciated cost")
    if (
        scenario.economy.cpi_monthly is not None
        or scenario.economy.euro_rate_monthly_rial_per_eur is not None
    ):
        raise ValueError("the floor draws around yearly rates, not monthly series")


# --------------------------------------------------------------------------- indices


def index_from_yearly_rates(rates_per_year: np.ndarray, year_row: np.ndarray) -> np.ndarray:
    """Monthly index (months, paths), 1 in the first month, growing (1 + r) ** (1/12) a month
    within each operating year, from yearly rates (paths, years)."""
    monthly_log_growth = np.log1p(rates_per_year.T)[year_row] / 12.0
    index = np.cumsum(monthly_log_growth, axis=0)
    index -= monthly_log_growth
    return np.exp(index, out=index)


# --------------------------------------------------------------------------- money


def loan_lines(principal_rial, annual_rate, term_months, grace_months, first_month_index, n_months):
    """An amortising loan's instalment and interest each month [rial], shape (months,) each.

    Interest only during grace, then a level annuity over the rest of the term.
    """
    rate = annual_rate / 12
    month = np.arange(n_months) - first_month_index  # 0 = first payment
    annuity_months = term_months - grace_months
    paid = np.clip(month - grace_months + 1, 0, annuity_months)  # annuity payments made
    if rate == 0:
        level_rial = principal_rial / annuity_months
        balance_rial = principal_rial - level_rial * paid
    else:
        growth = (1 + rate) ** annuity_months
        level_rial = principal_rial * rate * growth / (growth - 1)
        grown = (1 + rate) ** paid
        balance_rial = principal_rial * grown - level_rial * (grown - 1) / rate
    balance_rial = np.where(paid >= annuity_months, 0.0, balance_rial)
    balance_before_rial = np.concatenate([[principal_rial], balance_rial[:-1]])
    active = (month >= 0) & (month < term_months)
    interest_rial = np.where(active, balance_before_rial * rate, 0.0)
    instalment_rial = np.where(
        active & (month < grace_months), interest_rial, np.where(active, level_rial, 0.0)
    )
    return instalment_rial, interest_rial


def paid_rial(scenario) -> float:
    """What the families' shares and the stated grant, sponsor equity and debt pay [rial]."""
    share_price_rial = scenario.cooperative.share_price_rial
    share_price_rial = scenario.loan.principal_rial if share_price_rial is None else share_price_rial
    member_class = scenario.member_classes[0] if scenario.member_classes else None
    shares = scenario.cooperative.families * (member_class.shares_per_family if member_class else 1.0)
    debt = scenario.debt
    fixed_rial = debt.principal_rial if debt.principal_rial is not None else 0.0
    share_of_cost = 0.0 if debt.principal_rial is not None else debt.share_of_capital_cost
    return (
        shares * share_price_rial + scenario.funding.grant_rial + scenario.funding.sponsor_equity_rial + fixed_rial
    ) / (1 - share_of_cost)


def plant_cost_rial(scenario) -> float:
    """The capital cost [rial]: per kWp times the size, or (None) what the sources paid."""
    per_kwp = scenario.costs.capital_cost_rial_per_kwp
    return paid_rial(scenario) if per_kwp is None else per_kwp * scenario.plant.capacity_kwp


def funding_rial(scenario, families: float, shares_per_family: float) -> dict:
    """Capital cost and its sources [rial]; the gap goes to ``funding.gap_filled_by``."""
    capital_rial = plant_cost_rial(scenario)
    share_price_rial = scenario.cooperative.share_price_rial
    share_price_rial = (
        scenario.loan.principal_rial if share_price_rial is None else share_price_rial
    )
    debt = scenario.debt
    sources = {
        "family_shares": families * shares_per_family * share_price_rial,
        "grant": scenario.funding.grant_rial,
        "sponsor_equity": scenario.funding.sponsor_equity_rial,
        "debt": debt.principal_rial
        if debt.principal_rial is not None
        else debt.share_of_capital_cost * capital_rial,
    }
    gap_rial = capital_rial - sum(sources.values())
    tolerance_rial = 1e-9 * max(capital_rial, 1.0)
    if gap_rial < -tolerance_rial:
        raise ValueError("the funding sources exceed the capital cost")
    if gap_rial > tolerance_rial:
        if scenario.funding.gap_filled_by is None:
            raise ValueError("the funding leaves a gap that no source fills")
        sources[scenario.funding.gap_filled_by] += gap_rial
    return {"capital": capital_rial, **sources}


def floor_block(scenario, months, tables, draws: dict, out: dict) -> None:
    """Write the kept columns of the drawn paths into ``out``, each (months, paths)."""
    energy_table, priced_table, _ = tables
    tariff, payment, costs, cooperative = (
        scenario.tariff,
        scenario.payment,
        scenario.costs,
        scenario.cooperative,
    )
    operating_year = months["operating_year"].to_numpy()
    year_row = operating_year - 1
    n_months, n_years = len(months), scenario.lifetime_years
    n_paths = len(draws["extra_delay"])
    month = np.arange(n_months)

    # energy: each path's weather year, availability, soiling and degradation
    weather = draws["weather_index"].T[year_row]
    yearly_factor = draws["yearly_factor"].T[year_row]
    energy_kwh = np.multiply(
        energy_table[weather, month[:, None]], yearly_factor, out=out["energy_kwh"]
    )
    if priced_table is energy_table:
        priced_kwh = energy_kwh
    else:  # time of use: the energy weighted by each hour's coefficient
        priced_kwh = priced_table[weather, month[:, None]]
        priced_kwh *= yearly_factor
    cpi = index_from_yearly_rates(draws["inflation"], year_row)
    euro = index_from_yearly_rates(draws["fx_change"], year_row)
    delay_months = np.maximum(payment.delay_months + draws["extra_delay"], 0)

    # the contract under each path's readings
    level = disputed.TARIFF_LEVELS_RIAL_PER_KWH
    central_level = level[disputed.reading("tariff_level").central]
    base_price = per_path(
        draws,
        "tariff_level",
        {
            name: tariff.base_price_rial_per_kwh * (price / central_level)
            for name, price in level.items()
        },
        tariff.base_price_rial_per_kwh,
        n_paths,
    )
    step_factor = per_path(
        draws,
        "step_downs",
        {
            name: step_factor_by_year([s for s in steps if s[0] <= tariff.term_years], n_years)
            for name, steps in disputed.STEP_DOWNS.items()
        },
        step_factor_by_year(tariff.step_downs, n_years),
        n_paths,
    ).T[year_row]
    swapped = 1 - tariff.cpi_weight
    cpi_weight = per_path(
        draws,
        "indexation_weight",
        {"weight_on_euro": swapped, "weight_on_cpi": tariff.cpi_weight},
        tariff.cpi_weight,
        n_paths,
    )
    at_payment = per_path(
        draws,
        "euro_window",
        {"energy_month": 0.0, "payment_month": 1.0},
        float(tariff.euro_window_end == "payment_month"),
        n_paths,
    ).astype(bool)
    from_contract_year = per_path(
        draws,
        "indexation_base",
        {"operation_start": 0.0, "contract_year": 1.0},
        float(tariff.indexation_base == "contract_year"),
        n_paths,
    ).astype(bool)

    # the euro term: the 12-month mean of the euro ending at the energy month or at the
    # month its bill is paid, over the mean of the 12 months before operation (from the
    # contract year: over the first operating year's mean, and 1 in that year); past the
    # life the euro grows at its last year's monthly pace
    billing = payment.billing_months
    bill_month = np.minimum((month // billing + 1) * billing - 1, n_months - 1)
    window_end = np.where(at_payment, bill_month[:, None] + delay_months, month[:, None])
    n_after = max(int(window_end.max()) - (n_months - 1), 0)
    last, span = n_months - 1, min(12, n_months - 1)
    growth = (euro[last] / euro[last - span]) ** (1.0 / span)
    before = economy.fx_index_before_operation(scenario.economy)
    cumulative = np.empty((13 + n_months + n_after, n_paths))  # 0, then the euro from month -12
    cumulative[0] = 0.0
    cumulative[1:13] = before[:, None]
    cumulative[13 : 13 + n_months] = euro
    cumulative[13 + n_months :] = euro[last] * growth ** np.arange(1, n_after + 1)[:, None]
    np.cumsum(cumulative, axis=0, out=cumulative)
    euro_mean = (cumulative[13:] - cumulative[1:-12]) / 12.0  # window ending at each month
    euro_term = np.take_along_axis(euro_mean, window_end, axis=0)
    if from_contract_year.any():
        n_first = min(12, n_months)
        first_year = (cumulative[12 + n_first] - cumulative[12]) / n_first
        contract_year_term = euro_term / first_year
        contract_year_term[year_row == 0] = 1.0
    euro_term /= cumulative[12] / 12.0
    if from_contract_year.any():
        euro_term = np.where(from_contract_year, contract_year_term, euro_term)
    euro_term *= 1.0 - cpi_weight
    # the coefficient: weight x CPI at the start of the operating year + the euro term
    price = np.take(cpi, 12 * year_row, axis=0, out=out["price_rial_per_kwh"])
    price /= cpi[0]
    price *= cpi_weight
    price += euro_term
    np.round(price, 5, out=price)  # rounded to 5 decimals, as the contract says
    price *= base_price * tariff.local_content_multiplier
    price *= ((1.0 + tariff.escalation_per_year) ** year_row)[:, None]
    price *= step_factor
    after = operating_year > tariff.term_years
    if after.any():
        market = tariff.after_term
        if market is None:
            price[after] = 0.0
        elif getattr(market, "monthly_price_rial_per_kwh", None) is not None:
            given = np.asarray(market.monthly_price_rial_per_kwh, float)[:n_months]
            price[after] = given[after, None]
        else:  # a flat price, or the market's moved by its index, escalated each year
            escalation = (1.0 + market.escalation_per_year) ** year_row[after]
            escalated = (market.base_price_rial_per_kwh * escalation)[:, None]
            indexation = getattr(market, "indexation", "none")
            if indexation == "none":
                price[after] = escalated
            else:
                index = cpi if indexation == "cpi" else euro
                price[after] = escalated * (index[after] / index[0])
    billed_rial = priced_kwh * price

    # collection: each bill at the end of its period; its cash share after the path's
    # delay, the rest at the first yearly lump at least the deferred delay later
    terms = {
        field: per_path(
            draws,
            "payment",
            {
                name: -1.0 if alternative[field] is None else alternative[field]
                for name, alternative in disputed.PAYMENT_TERMS.items()
            },
            -1.0 if getattr(payment, field) is None else getattr(payment, field),
            n_paths,
        )
        for field in (
            "cash_share",
            "deferred_delay_months",
            "settlement_every_months",
            "bond_discount",
        )
    }
    terms["late_penalty_per_year"] = per_path(
        draws,
        "payment",
        {
            name: alternative["late_penalty_per_year"]
            for name, alternative in disputed.PAYMENT_TERMS.items()
        },
        payment.late_penalty_per_year,
        n_paths,
    )
    n_periods = -(-n_months // billing)
    padded = np.concatenate([billed_rial, np.zeros((n_periods * billing - n_months, n_paths))])
    bill_rial = padded.reshape(n_periods, billing, n_paths).sum(axis=1)
    cash_rial = bill_rial * terms["cash_share"]
    deferred_rial = bill_rial - cash_rial
    deferred_at_face_rial = deferred_rial.copy()
    cash_month = (
        np.minimum(np.arange(1, n_periods + 1) * billing - 1, n_months - 1)[:, None] + delay_months
    )
    deferred_delay = terms["deferred_delay_months"].astype(int)
    every = terms["settlement_every_months"].astype(int)
    earliest = cash_month + deferred_delay
    settled_month = np.where(
        every > 0, (earliest // np.maximum(every, 1) + 1) * every - 1, earliest
    )
    if np.any(terms["late_penalty_per_year"]):
        late = (1 + terms["late_penalty_per_year"]) ** ((settled_month - cash_month) / 12) - 1
        deferred_rial = deferred_rial + deferred_rial * late
    deferred_rial -= deferred_rial * terms["bond_discount"]  # bonds sold below face value
    paid_cash = cash_month < n_months
    paid_deferred = (deferred_delay >= 0) & (settled_month < n_months)
    path = np.arange(n_paths)
    collected_rial = out["revenue_collected_rial"]
    collected_rial[...] = np.bincount(
        np.concatenate(
            [
                (cash_month * n_paths + path)[paid_cash],
                (settled_month * n_paths + path)[paid_deferred],
            ]
        ),
        np.concatenate([cash_rial[paid_cash], deferred_rial[paid_deferred]]),
        minlength=n_months * n_paths,
    ).reshape(n_months, n_paths)
    # the income on accrual: the bills, plus the penalties less what the bonds lost, when settled
    income_rial = billed_rial + np.bincount(
        (settled_month * n_paths + path)[paid_deferred],
        (deferred_rial - deferred_at_face_rial)[paid_deferred],
        minlength=n_months * n_paths,
    ).reshape(n_months, n_paths)

    # costs, in first-year money moved by consumer prices (or a set escalation)
    cost_index = cpi
    if costs.escalation_per_year is not None:
        cost_index = ((1 + costs.escalation_per_year) ** (month / 12))[:, None]
    capacity_kwp = scenario.plant.capacity_kwp
    book = book_terms(scenario, months, draws)  # each path's, under its readings of the books
    yearly_cost_rial = (
        costs.om_rial_per_kwp_year * capacity_kwp
        + costs.insurance_share_of_capital_per_year * book["capital_rial"]
        + costs.land_lease_rial_per_year
        + costs.management_rial_per_year
    )
    operating_costs_rial = yearly_cost_rial / 12 + costs.grid_fees_rial_per_kwh * energy_kwh
    operating_costs_rial = operating_costs_rial * cost_index

    # who owns the plant, who lent for it: each path's terms
    capital_rial = book["capital_rial"]
    families_share, families = book["families_share"], cooperative.families
    debt_service_rial, debt_interest_rial = book["debt_service_rial"], book["debt_interest_rial"]
    depreciation_rial = book["depreciation_rial"]

    # profit (on the bills as issued: accrual) and cash before interest and tax, cumulated
    cash_before_interest = collected_rial - operating_costs_rial
    profit_before_interest = (
        income_rial - operating_costs_rial - (depreciation_rial + debt_interest_rial)
    )
    cash_before_interest -= debt_service_rial
    cumulative_profit_before_interest = np.cumsum(
        profit_before_interest, axis=0, out=profit_before_interest
    )
    cumulative_cash_before_interest = np.cumsum(
        cash_before_interest, axis=0, out=cash_before_interest
    )
    cumulative_cash_before_interest += cooperative.starting_cash_rial
    end_of_life_rial = (
        (costs.decommissioning_share_of_capital - costs.salvage_share_of_capital)
        * capital_rial
        * cost_index[-1]
    )
    cumulative_cash_before_interest[-1] -= end_of_life_rial
    cumulative_profit_before_interest[-1] -= end_of_life_rial
    # the inverter reserve holds the accrued share of the replacement's current cost until
    # the first month of the replacement year, which spends the cost: the cash free for
    # the owners is less the reserve's balance before, and less the replacement from then
    replacement_month = int(np.searchsorted(operating_year, costs.inverter_replacement_year))
    replacement_balance_rial = np.zeros((0, n_paths))
    if replacement_month < n_months:
        replacement_rial = (
            costs.inverter_replacement_share_of_capital
            * capital_rial
            * cost_index[: replacement_month + 1]
        )
        accrued = ((month[:replacement_month] + 1) / replacement_month)[:, None]
        replacement_balance_rial = accrued * replacement_rial[:replacement_month]
        cumulative_cash_before_interest[:replacement_month] -= replacement_balance_rial
        cumulative_cash_before_interest[replacement_month:] -= replacement_rial[replacement_month]
        # capitalised, and written off in equal parts over the months left
        months_left = n_months - replacement_month
        written_off = (month[replacement_month:] - replacement_month + 1)[:, None] / months_left
        cumulative_profit_before_interest[replacement_month:] -= written_off * replacement_rial[replacement_month]

    # deposits earn a rate set per year, or following the path's inflation of the month
    # before (the first month takes its own)
    deposit = scenario.economy.deposit_rate_per_year
    if deposit is not None:
        yearly = np.atleast_1d(np.asarray(deposit, float))[
            np.minimum(np.arange(n_years), np.size(deposit) - 1)
        ]
        deposit_rate_by_year = np.expm1(np.log1p(yearly) / 12)[:, None]
        deposit_year = year_row
    else:
        ratio = (1 + economy.DEFAULT_DEPOSIT_RATE_PER_YEAR) / (
            1 + economy.DEFAULT_INFLATION_PER_YEAR
        )
        monthly_growth = np.exp(np.log1p(draws["inflation"].T) / 12.0)
        deposit_rate_by_year = np.maximum(monthly_growth * ratio ** (1 / 12) - 1, 0.0)
        deposit_year = year_row[np.maximum(month - 1, 0)]
    working_share = cooperative.working_cash_rate_share_of_deposit_rate
    # the fiscal year closes with its last month; its tax is paid in the fourth month of the next
    fiscal_year = months["year"].to_numpy()
    closes = np.append(fiscal_year[1:] != fiscal_year[:-1], True)
    pays_tax = months["month_of_year"].to_numpy() == 4

    # tax under each path's reading: rate after the cooperative discount, exempt years
    tax = {
        field: per_path(
            draws,
            "tax",
            {name: terms_[field] for name, terms_ in disputed.TAX_TERMS.items()},
            getattr(cooperative, field),
            n_paths,
        )
        for field in ("income_tax_rate", "tax_discount", "tax_exempt_years")
    }
    tax_rate = tax["income_tax_rate"] * (1 - tax["tax_discount"])
    first_taxed_month = np.searchsorted(operating_year, tax["tax_exempt_years"], side="right")
    exemption_ends = set(first_taxed_month[first_taxed_month > 0].tolist())

    # the books, month by month: the state is a few running totals per path
    legal_share, precautionary_share = (
        cooperative.legal_reserve_share,
        cooperative.precautionary_reserve_share,
    )
    fee_share = cooperative.education_fee_share
    distributable_share = 1.0 - precautionary_share - fee_share
    legal_cap_rial = book["legal_cap_rial"]
    smoothing = cooperative.smoothing_months or billing
    profit_rule = cooperative.distribution_rule == "profit"
    released_at_end = cooperative.end_of_life_settlement == "distributed"
    row = np.zeros
    interest, interest_so_far = row(n_paths), row(n_paths)
    cumulative_profit, taxable_base, taxed_high = row(n_paths), row(n_paths), row(n_paths)
    tax_paid, appropriated, legal_total = row(n_paths), row(n_paths), row(n_paths)
    cash_after_tax, fee_paid, target, limit, scratch = (row(n_paths) for _ in range(5))
    distributed_so_far, distributed_before = row(n_paths), row(n_paths)
    tax_due_so_far, tax_paid_so_far, tax_owed = row(n_paths), row(n_paths), row(n_paths)
    funds, working_cash = row(n_paths), np.full(n_paths, float(cooperative.starting_cash_rial))
    # the last `smoothing` months of cumulative net cash and distributable profit (a month
    # before the first counts as 0)
    net_cash_window, distributable_window = row((smoothing, n_paths)), row((smoothing, n_paths))
    distribution_per_family_rial = out["distribution_per_family_rial"]
    payout = payout_terms(scenario, draws, n_paths)  # each path's payout practice
    pays = payout_flags(payout, n_months)
    families_share_per_family = families_share / families
    for t in range(n_months):
        last = t == n_months - 1
        # interest on last month's reserve funds, and on its working cash at a share of the rate
        rate = deposit_rate_by_year[deposit_year[t]]
        np.maximum(funds, 0.0, out=interest)
        interest *= rate
        np.maximum(working_cash, 0.0, out=scratch)
        scratch *= rate
        scratch *= working_share
        interest += scratch
        interest_so_far += interest
        np.add(cumulative_profit_before_interest[t], interest_so_far, out=cumulative_profit)
        # tax on account: the rate times the highest cumulative taxable profit so far
        if exemption_ends:
            if t + 1 in exemption_ends:
                np.copyto(taxable_base, cumulative_profit, where=first_taxed_month == t + 1)
            np.subtract(cumulative_profit, taxable_base, out=scratch)
            np.maximum(taxed_high, scratch, out=taxed_high, where=first_taxed_month <= t)
        else:
            np.maximum(taxed_high, cumulative_profit, out=taxed_high)
        np.multiply(tax_rate, taxed_high, out=tax_paid)
        # appropriations of the highest cumulative profit after tax
        np.subtract(cumulative_profit, tax_paid, out=scratch)
        np.maximum(appropriated, scratch, out=appropriated)
        np.multiply(appropriated, legal_share, out=legal_total)
        np.minimum(legal_total, legal_cap_rial, out=legal_total)
        np.multiply(appropriated, fee_share, out=fee_paid)
        # the tax leaves the cash after the year: the closed years' in the fourth month, all at the end
        if last:
            np.copyto(tax_paid_so_far, tax_paid)
        elif pays_tax[t]:
            np.copyto(tax_paid_so_far, tax_due_so_far)
        np.subtract(tax_paid, tax_paid_so_far, out=tax_owed)
        np.add(cumulative_cash_before_interest[t], interest_so_far, out=cash_after_tax)
        cash_after_tax -= tax_paid  # the owners are paid from the cash after the tax accrued
        # cumulative net cash (less reserves and fee) and distributable profit
        net_cash, distributable = (
            net_cash_window[t % smoothing],
            distributable_window[t % smoothing],
        )
        np.subtract(cash_after_tax, fee_paid, out=net_cash)
        np.multiply(appropriated, distributable_share, out=distributable)
        distributable -= legal_total
        if last and released_at_end:  # the precautionary reserve is released, all cash paid
            net_cash -= legal_total  # out; the legal reserve is indivisible and stays
            np.copyto(target, net_cash)
        else:
            net_cash -= legal_total
            np.multiply(appropriated, precautionary_share, out=scratch)
            net_cash -= scratch
            if pays[t] is False:  # no payout this month: what it would pay waits for the next
                pass
            elif last:  # no working cash kept back, no smoothing
                np.copyto(target, net_cash)
                np.minimum(target, distributable, out=target, where=profit_rule)
            else:  # the mean of the last months, less working cash; by law within profit
                np.add.reduce(net_cash_window, axis=0, out=target)
                target /= smoothing
                np.multiply(operating_costs_rial[t], cooperative.working_cash_months, out=scratch)
                target -= scratch
                if profit_rule:
                    np.add.reduce(distributable_window, axis=0, out=limit)
                    limit /= smoothing
                    np.minimum(target, limit, out=target)
        distributed_before, distributed_so_far = distributed_so_far, distributed_before
        if pays[t] is False:
            np.copyto(distributed_so_far, distributed_before)
        else:
            np.maximum(target, 0.0, out=target)
            np.maximum(distributed_before, target, out=distributed_so_far)  # never falls
            if pays[t] is not True:  # the paths not paid this month keep their total
                np.copyto(distributed_so_far, distributed_before, where=~pays[t])
        # the families' share of the month's distribution
        distributed = np.subtract(
            distributed_so_far, distributed_before, out=distribution_per_family_rial[t]
        )
        distributed *= families_share_per_family
        # held after the month: the reserve funds (legal, precautionary, inverter) and the
        # working cash
        np.multiply(appropriated, precautionary_share, out=funds)
        if last and released_at_end:
            funds[...] = 0.0
        funds += legal_total
        if t < len(replacement_balance_rial):
            funds += replacement_balance_rial[t]
        np.subtract(cash_after_tax, fee_paid, out=working_cash)
        working_cash += tax_owed  # held until the tax is paid
        working_cash -= distributed_so_far
        working_cash -= legal_total
        np.multiply(appropriated, precautionary_share, out=scratch)
        if not (last and released_at_end):
            working_cash -= scratch
        if closes[t]:
            np.copyto(tax_due_so_far, tax_paid)

    cash_flow_rial = family_cash_flow(
        distribution_per_family_rial, book["instalment_rial"], payout["arrears"], out=out["family_cash_flow_rial"]
    )
    # real money: of the scenario's real money month (the promise's, for Qom: seven months
    # before the start, a past the same on every path, at year one's central inflation)
    offset = month_number(scenario.real_money_month) - month_number(months["label"].iloc[0])
    if offset <= 0:
        first_year_inflation = np.atleast_1d(scenario.economy.inflation_per_year)[0]
        base_level = (1.0 + first_year_inflation) ** (offset / 12.0)
    else:
        base_level = cpi[offset]
    np.divide(cash_flow_rial, cpi, out=out["family_cash_flow_real_rial"])
    out["family_cash_flow_real_rial"] *= base_level


def family_cash_flow(distribution_rial, instalment_rial, withheld, out=None) -> np.ndarray:
    """What reaches a family each month [rial], shape (months, paths): its distribution
    less its loan instalment, with its sign (its own pocket pays a shortfall) on the paths
    whose lender debits the family's account; on the paths whose instalments are
    ``withheld`` (paths,), what the distribution leaves after the instalment and the
    arrears owed before it, never below zero, the arrears following
    ``a = max(0, a_prev + i - d)`` (the running sum of ``i - d`` above its running low).

    >>> family_cash_flow(np.array([[10.0], [0.0], [30.0], [70.0]]), 20.0, np.array([True])).ravel().tolist()
    [0.0, 0.0, 0.0, 30.0]
    >>> family_cash_flow(np.array([[10.0], [0.0], [30.0]]), 20.0, np.array([False])).ravel().tolist()
    [-10.0, -20.0, 10.0]
    """
    cash_flow_rial = np.subtract(distribution_rial, instalment_rial, out=out)
    if np.any(withheld):
        owed = np.cumsum(-cash_flow_rial, axis=0)
        arrears = owed - np.minimum(np.minimum.accumulate(owed, axis=0), 0.0)
        after_arrears = cash_flow_rial.copy()
        after_arrears[1:] -= arrears[:-1]
        np.maximum(after_arrears, 0.0, out=after_arrears)
        after_arrears += 0.0  # no -0
        np.copyto(cash_flow_rial, after_arrears, where=withheld)
    return cash_flow_rial


def floor_monte_carlo(
    scenario, n_paths: int = 10_000, seed: int = 0, chunk_paths: int | None = CHUNK_PATHS
) -> dict:
    """The floor's Monte Carlo on one thread: each kept column as an array (paths, months).

    The paths draw exactly as the library's (blocks of ``montecarlo.SEED_BLOCK_PATHS`` paths,
    one child seed each). The columns are written into month-major arrays (months, paths)
    and returned as their transposes (views in Fortran order: the same numbers, no copy).
    ``chunk_paths`` (a multiple of the block) books that many paths at a time, each chunk
    with one loop over the months on rows of all its paths (default :data:`CHUNK_PATHS`);
    ``None`` books all paths in one pass.
    """
    check_covered(scenario)
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    tables = montecarlo.energy_tables(scenario, months)
    block = montecarlo.SEED_BLOCK_PATHS
    sizes = [min(block, n_paths - start) for start in range(0, n_paths, block)]
    blocks = list(zip(np.random.SeedSequence(seed).spawn(len(sizes)), sizes, strict=True))
    per_chunk = len(blocks) if chunk_paths is None else max(chunk_paths // block, 1)
    paths = {column: np.empty((len(months), n_paths)) for column in KEPT}
    start = 0
    for i in range(0, len(blocks), per_chunk):
        drawn = [
            montecarlo.draw_block(scenario, tables, child, size)
            for child, size in blocks[i : i + per_chunk]
        ]
        draws = {name: np.concatenate([part[name] for part in drawn]) for name in drawn[0]}
        stop = start + len(draws["extra_delay"])
        floor_block(scenario, months, tables, draws, {column: paths[column][:, start:stop] for column in KEPT})
        start = stop
    return {column: paths[column].T for column in KEPT}


def check(scenario=None, n_paths: int = 2_000, seed: int = 0) -> float:
    """Largest difference between the floor and the library over the kept columns, each
    relative to its column's scale (its largest absolute value, at least 1)."""
    scenario = sc.qom_baseline() if scenario is None else scenario
    floor = floor_monte_carlo(scenario, n_paths, seed)
    library = sc.monte_carlo(scenario, n_paths=n_paths, seed=seed, keep_paths=True).paths
    return max(column_differences(floor, library).values())


def column_differences(floor: dict, library: dict) -> dict:
    """Each kept column's largest difference relative to its scale."""
    return {
        column: float(
            np.abs(floor[column] - library[column]).max()
            / max(float(np.abs(library[column]).max()), 1.0)
        )
        for column in KEPT
    }


def main() -> None:
    scenario = sc.qom_baseline()
    difference = check(scenario)
    print(
        f"floor against the library, 2,000 paths: largest difference {difference:.1e} of each column's scale"
    )
    if difference > 1e-12:
        raise SystemExit("the floor does not compute the library's numbers")
    for name, run in (
        ("numpy floor", lambda: floor_monte_carlo(scenario)),
        ("solarcoop, 1 worker", lambda: sc.monte_carlo(scenario, n_paths=10_000, workers=1)),
    ):
        seconds = []
        for _ in range(3):
            start = time.perf_counter()
            run()
            seconds.append(time.perf_counter() - start)
        print(
            f"{name:22s} 10,000 paths x 300 months: {statistics.median(seconds):.3f} s (median of 3)"
        )


if __name__ == "__main__":
    main()
