"""The plant's money outside the month's books: who paid for it, what it costs to run,
how it is written off, its inverter replacement, its end of life and its debt.

These lines do not depend on the month before, so each is one array operation over
(..., months); :mod:`solarcoop.books.ledger` books them.
"""

from __future__ import annotations

import numpy as np

from solarcoop._validation import InputError, check_number
from solarcoop.books.specs import (
    GAP_SOURCES,
    PAYOUT_MONTHS,
    Cooperative,
    CooperativeDebt,
    Costs,
    Funding,
)
from solarcoop.economy import index_from_yearly_rates
from solarcoop.finance import loan_schedule


def capital_cost_rial(costs: Costs, capacity_kwp: float, paid_rial: float | None = None) -> float:
    """The plant's capital cost [rial]: its cost per kWp times its capacity [kWp], or,
    when ``costs.capital_cost_rial_per_kwp`` is None, what the stated sources paid
    (``paid_rial``, see :func:`paid_by_stated_sources_rial`).

    >>> capital_cost_rial(Costs(capital_cost_rial_per_kwp=3.0e8), 10.0)
    3000000000.0
    >>> capital_cost_rial(Costs(capital_cost_rial_per_kwp=None), 10.0, paid_rial=1.5e9)
    1500000000.0
    """
    if costs.capital_cost_rial_per_kwp is None:
        if paid_rial is None:
            raise InputError("costs.capital_cost_rial_per_kwp = None needs what the stated sources paid")
        return float(paid_rial)
    return costs.capital_cost_rial_per_kwp * capacity_kwp


def paid_by_stated_sources_rial(family_shares_rial: float, funding: Funding, debt: CooperativeDebt) -> float:
    """What the families' shares, the stated grant and sponsor equity and the
    cooperative's stated debt pay towards the plant [rial]: its cost when no source fills
    a gap (a debt given as a share of the cost counts at that share of it).

    >>> paid_by_stated_sources_rial(6e11, Funding(grant_rial=1e11), CooperativeDebt(share_of_capital_cost=0.5)) / 1e9
    1400.0
    """
    fixed_rial = debt.principal_for(0.0)
    share = debt.principal_for(1.0) - fixed_rial
    return (float(family_shares_rial) + funding.grant_rial + funding.sponsor_equity_rial + fixed_rial) / (1 - share)


def funding_sources(capital_rial: float, family_shares_rial: float, funding: Funding, debt: CooperativeDebt) -> dict[str, float]:
    """How the capital cost was paid, each source in rial, checked to add up.

    Parameters
    ----------
    capital_rial : float
        What the plant cost [rial].
    family_shares_rial : float
        The families' paid-in shares [rial].
    funding : Funding
    debt : CooperativeDebt

    Returns
    -------
    dict of float
        ``family_shares_rial``, ``grant_rial``, ``sponsor_equity_rial``, ``debt_rial``
        [rial], adding up to ``capital_rial``, and ``gap_rial``: the part
        ``funding.gap_filled_by`` took.

    Raises
    ------
    InputError
        When the sources exceed the capital cost, or fall short of it with nothing to
        fill the gap; the message names the gap and the ways to fill it.

    Examples
    --------
    A plant of 900 bn rial and 600 bn of shares: sponsor equity, the default for a gap, takes the rest.

    >>> out = funding_sources(9e11, 6e11, Funding(), CooperativeDebt())
    >>> out["sponsor_equity_rial"] / 1e9, out["gap_rial"] / 1e9
    (300.0, 300.0)
    """
    stated = {
        "family_shares_rial": float(family_shares_rial),
        "grant_rial": float(funding.grant_rial),
        "sponsor_equity_rial": float(funding.sponsor_equity_rial),
        "debt_rial": float(debt.principal_for(capital_rial)),
    }
    gap = float(capital_rial) - sum(stated.values())
    tolerance = 1e-9 * max(float(capital_rial), 1.0)
    if gap < -tolerance:
        raise InputError(
            f"the funding sources add up to {sum(stated.values()):,.0f} rial, {-gap:,.0f} rial more than "
            f"the capital cost of {capital_rial:,.0f} rial (costs.capital_cost_rial_per_kwp x "
            "plant.capacity_kwp): lower funding.grant_rial, funding.sponsor_equity_rial, the debt "
            "(debt.principal_rial or debt.share_of_capital_cost) or cooperative.share_price_rial"
        )
    gap = max(gap, 0.0)
    if gap > tolerance and funding.gap_filled_by is None:
        raise InputError(
            f"funding.gap_filled_by = None but the sources leave {gap:,.0f} rial of the "
            f"{capital_rial:,.0f}-rial capital cost unpaid: fill it with a grant "
            "(funding.grant_rial), sponsor equity (funding.sponsor_equity_rial), cooperative "
            "debt (debt.principal_rial or debt.share_of_capital_cost) or larger family shares "
            "(cooperative.share_price_rial), or name the source that takes the gap "
            f"(funding.gap_filled_by, one of {GAP_SOURCES})"
        )
    key = {"grant": "grant_rial", "sponsor_equity": "sponsor_equity_rial", "debt": "debt_rial"}
    if funding.gap_filled_by is not None:
        stated[key[funding.gap_filled_by]] += gap
    else:
        gap = 0.0
    return {**stated, "gap_rial": gap}


def fixed_costs_rial_per_year(costs: Costs, capacity_kwp: float) -> float:
    """The running costs that do not follow the energy, at first-month prices [rial/year]:
    operation and maintenance, insurance on the capital cost, the land lease and the
    management.

    >>> fixed_costs_rial_per_year(Costs(om_rial_per_kwp_year=10.0, insurance_share_of_capital_per_year=0.0,
    ...     land_lease_rial_per_year=5.0, management_rial_per_year=1.0, capital_cost_rial_per_kwp=1.0), 2.0)
    26.0
    """
    return (
        costs.om_rial_per_kwp_year * capacity_kwp
        + costs.insurance_share_of_capital_per_year * costs.capital_cost_rial_per_kwp * capacity_kwp
        + costs.land_lease_rial_per_year
        + costs.management_rial_per_year
    )


def operating_costs_rial(costs: Costs, capacity_kwp: float, energy_kwh, cost_index, fixed_rial_per_year=None) -> np.ndarray:
    """Each month's operating costs [rial].

    Parameters
    ----------
    costs : Costs
    capacity_kwp : float
        Plant size [kWp].
    energy_kwh : array_like
        Energy sold each month [kWh], shape (..., months).
    cost_index : array_like
        Price level relative to the first month [-], shape (..., months).
    fixed_rial_per_year : array_like, optional
        The fixed yearly costs [rial/year], shape (..., 1), when they differ by path (paths
        whose plants cost different amounts booked together); default
        :func:`fixed_costs_rial_per_year` of ``costs``.

    Returns
    -------
    numpy.ndarray
        Shape of the broadcast inputs [rial/month]: fixed yearly costs / 12 plus per-kWh
        fees, all scaled by ``cost_index``.
    """
    yearly_rial = fixed_costs_rial_per_year(costs, capacity_kwp) if fixed_rial_per_year is None else fixed_rial_per_year
    per_kwh_rial = costs.grid_fees_rial_per_kwh * np.asarray(energy_kwh, float)
    return (yearly_rial / 12 + per_kwh_rial) * np.asarray(cost_index, float)


def replacement_reserve(cost_rial: float, replacement_month: int, cost_index) -> dict[str, np.ndarray]:
    """Fill a reserve month by month and spend it on the replacement.

    The reserve is kept at the accrued share of the replacement's *current* cost: after
    month :math:`t < s` it holds :math:`C \\, c_t \\min(t+1, s)/s`, where :math:`C` is the
    cost in first-month money, :math:`c_t` the cost index and :math:`s` the replacement
    month. In month :math:`s` it is drawn to zero and :math:`C c_s` is spent, so operating
    cash pays only the last month's price rise. Nothing happens when :math:`s` falls
    after the last month.

    Parameters
    ----------
    cost_rial : float
        Cost of the replacement at first-month prices [rial].
    replacement_month : int
        Accounting month of the replacement (0 = first month), at least 1.
    cost_index : array_like
        Price level relative to the first month [-], shape (..., months).

    Returns
    -------
    dict of numpy.ndarray
        ``replacement_reserve_rial`` (put in; negative when drawn),
        ``replacement_spent_rial`` and ``replacement_reserve_balance_rial`` (after the
        month), each shape (..., months).

    Examples
    --------
    A 1,200-rial replacement in month 3 at steady prices: 400 a month, then spent.

    >>> lines = replacement_reserve(1200.0, 3, [1.0, 1.0, 1.0, 1.0, 1.0])
    >>> lines["replacement_reserve_rial"].tolist(), lines["replacement_spent_rial"].tolist()
    ([400.0, 400.0, 400.0, -1200.0, 0.0], [0.0, 0.0, 0.0, 1200.0, 0.0])
    """
    index = np.asarray(cost_index, float)
    replacement_month = check_number("replacement_month", replacement_month, minimum=1, integer=True)
    month = np.arange(index.shape[-1])
    current_cost = cost_rial * index
    filling = (month < replacement_month) & (replacement_month < month.size)
    balance = np.where(filling, (month + 1) / replacement_month, 0.0) * current_cost
    return {
        "replacement_reserve_rial": np.diff(balance, axis=-1, prepend=0.0),
        "replacement_spent_rial": np.where(month == replacement_month, current_cost, 0.0),
        "replacement_reserve_balance_rial": balance,
    }


def yearly_sums(values, operating_year) -> np.ndarray:
    """Sum monthly values within each operating year [same unit], shape (..., years).

    ``operating_year`` (shape (months,)) must be sorted; each year present gives one
    column.

    >>> yearly_sums([1.0, 2.0, 3.0, 4.0], [1, 1, 2, 2]).tolist()
    [3.0, 7.0]
    """
    operating_year = np.asarray(operating_year)
    starts = np.flatnonzero(np.diff(operating_year, prepend=operating_year[0] - 1))
    return np.add.reduceat(np.asarray(values, float), starts, axis=-1)


def debt_service_coverage(cash_available_rial, debt_service_rial, operating_year) -> dict[str, np.ndarray]:
    """Debt-service coverage ratio by month and by operating year [-].

    DSCR = cash available for debt service / debt service, where the cash available is
    collected revenue less operating costs, tax and replacement spending (net of the
    replacement reserve). The monthly ratio swings with billing and payment delays; the
    yearly ratio (yearly sums) is the one lenders judge. NaN where no debt is serviced.

    Returns
    -------
    dict of numpy.ndarray
        ``monthly`` (..., months) and ``yearly`` (..., years).

    >>> out = debt_service_coverage([0.0, 300.0, 150.0, 150.0], [100.0, 100.0, 0.0, 0.0], [1, 1, 2, 2])
    >>> out["monthly"].tolist(), out["yearly"].tolist()
    ([0.0, 3.0, nan, nan], [1.5, nan])
    """
    available = np.asarray(cash_available_rial, float)
    service = np.broadcast_to(np.asarray(debt_service_rial, float), available.shape)
    yearly_available = yearly_sums(available, operating_year)
    yearly_service = yearly_sums(service, operating_year)
    with np.errstate(divide="ignore", invalid="ignore"):
        monthly = np.where(service > 0, available / service, np.nan)
        yearly = np.where(yearly_service > 0, yearly_available / yearly_service, np.nan)
    return {"monthly": monthly, "yearly": yearly}


def cost_index(costs: Costs, cpi_index, months, lifetime_years: int) -> np.ndarray:
    """Price level of the running costs relative to the first month [-], shape of ``cpi_index``.

    The costs follow consumer prices unless ``costs.escalation_per_year`` is given.

    Parameters
    ----------
    costs : Costs
    cpi_index : array_like
        Consumer prices relative to the first month [-], shape (..., months).
    months : pandas.DataFrame
        From :func:`solarcoop.calendar.accounting_months`.
    lifetime_years : int
        Years of operation [years].
    """
    if costs.escalation_per_year is None:
        return np.asarray(cpi_index, float)
    escalated = index_from_yearly_rates(np.full(lifetime_years, costs.escalation_per_year), months)
    return np.asarray(escalated, float)


def collect_owed_at_end(collected_rial, owed_at_end_rial):
    """The bills still owed collected, at face value, in the last month.

    Returns
    -------
    tuple of numpy.ndarray
        (collected each month, (..., months) [rial]; owed at the end, now zero [rial]).

    >>> collected, owed = collect_owed_at_end([10.0, 10.0], 5.0)
    >>> collected.tolist(), float(owed)
    ([10.0, 15.0], 0.0)
    """
    collected = np.array(collected_rial, float)
    collected[..., -1] += owed_at_end_rial
    return collected, np.zeros_like(np.asarray(owed_at_end_rial, float))


def depreciation_rial(capital_rial: float, depreciation_years: int, n_months: int) -> np.ndarray:
    """Straight-line depreciation of the capital cost for tax [rial/month], shape (n_months,).

    It runs ``depreciation_years`` whatever the number of months simulated.

    >>> depreciation_rial(240.0, 1, 14).tolist()[-4:]
    [20.0, 20.0, 0.0, 0.0]
    """
    return np.where(
        np.arange(n_months) < 12 * depreciation_years, capital_rial / (12 * depreciation_years), 0.0
    )


def replacement_depreciation_rial(replacement_spent_rial) -> np.ndarray:
    """Straight-line depreciation of the inverter replacement [rial/month], (..., months).

    The replacement is capitalised (it renews a part of the plant for the rest of its
    life, so it is an asset, not a month's cost; Iranian Accounting Standard 11, property,
    plant and equipment, as IAS 16 para. 13) and written off in equal parts from the
    month it is paid to the last month of the life.

    >>> replacement_depreciation_rial([0.0, 0.0, 300.0, 0.0, 0.0]).tolist()
    [0.0, 0.0, 100.0, 100.0, 100.0]
    """
    spent = np.asarray(replacement_spent_rial, float)
    months_left = spent.shape[-1] - np.arange(spent.shape[-1])
    return np.cumsum(spent / months_left, axis=-1)


def depreciation_lines(capital_rial: float, grant_rial: float, grant_rule: str, depreciation_years: int, replacement_spent_rial) -> dict[str, np.ndarray]:
    """The plant's depreciation and a grant's income, each [rial/month].

    Parameters
    ----------
    capital_rial : float
        What the plant cost [rial].
    grant_rial : float
        The grant towards it [rial].
    grant_rule : str
        ``"reduces_cost"``: only ``capital_rial - grant_rial`` is depreciated;
        ``"deferred_income"``: all of it is, and the grant is released into income over
        the same months (Iranian Accounting Standard 10; IAS 20 para. 24). Either way
        the net charge to profit is the same.
    depreciation_years : int
        Years over which the plant's cost is written off [years].
    replacement_spent_rial : array_like
        The inverter replacement paid each month [rial], (..., months); capitalised and
        depreciated (:func:`replacement_depreciation_rial`).

    Returns
    -------
    dict of numpy.ndarray
        ``depreciation_rial`` (..., months) and ``grant_income_rial`` (months,).

    >>> out = depreciation_lines(240.0, 60.0, "reduces_cost", 1, [0.0] * 12)
    >>> float(out["depreciation_rial"][0]), float(out["grant_income_rial"][0])
    (15.0, 0.0)
    >>> out = depreciation_lines(240.0, 60.0, "deferred_income", 1, [0.0] * 12)
    >>> float(out["depreciation_rial"][0]), float(out["grant_income_rial"][0])
    (20.0, 5.0)
    """
    spent = np.asarray(replacement_spent_rial, float)
    n_months = spent.shape[-1]
    deferred = grant_rule == "deferred_income"
    depreciable = capital_rial if deferred else capital_rial - grant_rial
    plant = depreciation_rial(depreciable, depreciation_years, n_months)
    grant_income = depreciation_rial(grant_rial if deferred else 0.0, depreciation_years, n_months)
    return {"depreciation_rial": plant + replacement_depreciation_rial(spent), "grant_income_rial": grant_income}


def income_rial(books_basis: str, billed_rial, late_penalty_rial=0.0, bond_discount_rial=0.0):
    """The income booked each month [rial], or ``None`` on the cash basis.

    On accrual a bill is income when issued (a receivable until paid), a penalty for late
    payment when it falls due, and what is lost selling the bonds the buyer paid in is a
    loss when it is lost; on the cash basis (``None``) the cash collected is the income.

    >>> income_rial("accrual", [100.0, 50.0], [0.0, 2.0], [10.0, 0.0]).tolist()
    [90.0, 52.0]
    >>> income_rial("cash", [100.0]) is None
    True
    """
    if books_basis == "cash":
        return None
    return np.asarray(billed_rial, float) + late_penalty_rial - bond_discount_rial


def payout_months(cooperative: Cooperative, n_months: int) -> np.ndarray:
    """The months in which the owners are paid, shape (n_months,) [bool].

    Every month, or every third, from ``cooperative.first_payout_month_index``
    (``cooperative.payout_cadence``).

    >>> payout_months(Cooperative(payout_cadence="quarterly", first_payout_month_index=1), 8).astype(int).tolist()
    [0, 1, 0, 0, 1, 0, 0, 1]
    """
    after_first = np.arange(n_months) - cooperative.first_payout_month_index
    return (after_first >= 0) & (after_first % PAYOUT_MONTHS[cooperative.payout_cadence] == 0)


def replacement_month(operating_year, year: int) -> int:
    """First accounting month of operating ``year``; past the end when the life is shorter.

    >>> replacement_month([1, 1, 2, 2], 2), replacement_month([1, 1, 2, 2], 3)
    (2, 4)
    """
    return int(np.searchsorted(np.asarray(operating_year), year))


def inverter_replacement(costs: Costs, capital_rial: float, operating_year, cost_index, *, reserve_kept: bool = True) -> dict[str, np.ndarray]:
    """The inverters' replacement: its reserve and its spending, each (..., months) [rial].

    Parameters
    ----------
    costs : Costs
        Its ``inverter_replacement_share_of_capital`` and ``inverter_replacement_year``.
    capital_rial : float or array_like
        What the plant cost [rial]; shape (..., 1) when it differs by path.
    operating_year : array_like of int
        Operating year of each month, shape (months,).
    cost_index : numpy.ndarray
        Price level relative to the first month [-], shape (..., months).
    reserve_kept : bool
        ``False`` when the precautionary reserve pays the replacement (no replacement
        reserve is built: its lines are zero).

    Returns
    -------
    dict of numpy.ndarray
        The lines of :func:`replacement_reserve`.
    """
    reserve = replacement_reserve(
        costs.inverter_replacement_share_of_capital * capital_rial,
        replacement_month(operating_year, costs.inverter_replacement_year),
        cost_index,
    )
    if not reserve_kept:
        reserve["replacement_reserve_rial"] = np.zeros(np.shape(cost_index))
        reserve["replacement_reserve_balance_rial"] = np.zeros(np.shape(cost_index))
    return reserve


def end_of_life_rial(costs: Costs, capital_rial: float, cost_index) -> np.ndarray:
    """Net cost of the end of life, decommissioning less salvage, at last-month prices
    [rial], shape (...) of ``cost_index`` (..., months); paid in the last month.
    ``capital_rial`` [rial] is a number, or of shape (...) when it differs by path.

    >>> float(end_of_life_rial(Costs(decommissioning_share_of_capital=0.03), 1000.0, [1.0, 2.0]))
    60.0
    """
    return (
        (costs.decommissioning_share_of_capital - costs.salvage_share_of_capital)
        * capital_rial
        * np.asarray(cost_index, float)[..., -1]
    )


def debt_schedule(debt: CooperativeDebt, capital_rial: float, debt_rial: float, n_months: int) -> dict[str, np.ndarray]:
    """The cooperative's own debt month by month, each shape (n_months,) [rial].

    Parameters
    ----------
    debt : CooperativeDebt
    capital_rial : float
        What the plant cost [rial].
    debt_rial : float
        All that is borrowed, the funding gap included (``funding_sources(...)["debt_rial"]``) [rial].
    n_months : int
        Months of operation.

    Returns
    -------
    dict of numpy.ndarray
        ``debt_service_rial`` (the instalment), ``debt_interest_rial`` (its interest
        part) and ``debt_balance_rial`` (owed after the month).

    Raises
    ------
    InputError
        When the debt runs past the plant's life.

    >>> out = debt_schedule(CooperativeDebt(principal_rial=1200.0, annual_rate=0.0, term_months=12, grace_months=0), 1e4, 1200.0, 24)
    >>> out["debt_service_rial"][[0, 11, 12]].tolist()
    [100.0, 100.0, 0.0]
    """
    loan = debt.loan(capital_rial, debt_rial - debt.principal_for(capital_rial))
    if loan.principal_rial > 0 and loan.first_month_index + loan.term_months > n_months:
        raise InputError(
            f"debt.term_months = {loan.term_months} (from month {loan.first_month_index}) "
            f"runs past the {n_months}-month life: shorten the debt or lengthen lifetime_years"
        )
    schedule = loan_schedule(loan, n_months)
    return {
        "debt_service_rial": schedule["instalment_rial"].to_numpy(),
        "debt_interest_rial": schedule["interest_rial"].to_numpy(),
        "debt_balance_rial": schedule["balance_rial"].to_numpy(),
    }


def cash_available_for_debt_service(collected_rial, operating_costs_rial, tax_rial, replacement_reserve_rial, replacement_spent_rial) -> np.ndarray:
    """Cash available to service the debt each month [rial], shape of the inputs (..., months).

    Collected revenue less operating costs, tax and replacement spending net of the
    replacement reserve (what :func:`debt_service_coverage` divides by the debt service).

    >>> float(cash_available_for_debt_service(100.0, 30.0, 10.0, 5.0, 0.0))
    55.0
    """
    return (
        collected_rial - operating_costs_rial - tax_rial
        - replacement_reserve_rial - replacement_spent_rial
    )  # fmt: skip
