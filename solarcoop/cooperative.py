"""The cooperative's monthly books: from cash collected to what reaches each family.

Every function here works on arrays whose last axis is the accounting month and whose
leading axes (if any) are scenario paths, so one call books thousands of Monte Carlo
paths at once. No loop runs over months or paths: the few rules that depend on the past
(a reserve that stops at a cap, distributions that wait until a deficit is made good, a
family's arrears) are written as running sums, minima and maxima.

Money is conserved each month::

    collected = operating costs + debt service + tax + reserves + education fee
                + replacement reserve + replacement spending + end of life
                + distributed + change in working cash

where a reserve line is what is put into the reserve that month (negative when the
reserve is drawn or released).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from solarcoop._validation import InputError, check_choice, check_fraction, check_number, check_rate
from solarcoop.finance import Loan, check_loan_terms

END_OF_LIFE_RESERVES = ("kept", "distributed")
"""What becomes of the legal and precautionary reserves in the last month."""


@dataclass(frozen=True)
class Costs:
    """Running costs of the plant and the cooperative, in first-year money.

    Parameters
    ----------
    capital_cost_rial_per_kwp : float
        What the plant cost to build [rial/kWp]; used for insurance, depreciation, NPV and
        LCOE. Default 3.5e8 (35 billion toman per MW, the middle of the 30-40 billion
        toman/MW reported for 2024-2026 in the Iranian press; medium confidence).
    om_rial_per_kwp_year : float
        Operation and maintenance [rial/kWp/year]. Default 2.45e6: 0.7 % of the capital
        cost a year, NREL ATB 2020's utility-PV benchmark (about 18 USD/kWdc-year); no
        Iranian figure was found (low confidence).
    insurance_share_of_capital_per_year : float
        Insurance [fraction of capital cost/year]. Default 0.003, an assumption within the
        1-2 % O&M-plus-insurance range guessed for Iran (low confidence).
    land_lease_rial_per_year : float
        Land lease [rial/year]. Default 0: the 4.5 ha near Qom is assumed provided by the
        sponsors, since the families' loans cover only part of the cost (assumption).
    management_rial_per_year : float
        The cooperative's management, bookkeeping and audit [rial/year]. Default 3.6e9
        (300 million rial a month; an assumption, low confidence).
    grid_fees_rial_per_kwh : float
        Grid, metering or dispatch fees per kWh sold [rial/kWh]. Default 0 (none reported
        for guaranteed-purchase sellers).
    escalation_per_year : float or None
        Yearly rise of all costs [fraction/year]; ``None`` (default) follows consumer prices.
    inverter_replacement_share_of_capital : float
        Cost of replacing the inverters [fraction of capital cost], in first-year money
        (escalated like the other costs). Default 0.05: an assumption (low confidence):
        inverters are a few per cent of a utility plant's installed cost in NREL's
        bottom-up benchmarks (Feldman et al. 2021, NREL/TP-6A20-77324); no Iranian quote
        was found. Set 0 if the O&M figure already covers the replacement.
    inverter_replacement_year : int
        Operating year in whose first month the inverters are replaced [year], at least 2.
        Default 12: inverters are replaced about every 10-15 years (NREL ATB 2020). A
        replacement reserve is filled every month before it; a year after the plant's
        life means no replacement and no reserve.
    decommissioning_share_of_capital : float
        Cost of dismantling the plant and restoring the land at the end of its life
        [fraction of capital cost], first-year money, paid in the last month. Default 0:
        an assumption that it is met by the salvage value (below).
    salvage_share_of_capital : float
        What modules, steel and cables fetch at the end of the life [fraction of capital
        cost], first-year money, received in the last month. Default 0 (assumption,
        see above).
    discount_rate_real_per_year : float
        Real discount rate for NPV and LCOE [fraction/year]. Default 0.10: the highest of
        the three real rates (3, 7 and 10 %) used by IEA and NEA, Projected Costs of
        Generating Electricity 2020, chosen for Iran's high country risk (assumption).
        The nominal rate each month follows from it and the CPI path (Fisher).
    depreciation_years : int
        Years over which the capital cost is written off for tax, straight line [years].
        Default 20, the guaranteed-purchase contract's term (assumption: the rate of the
        Direct Taxes Act's depreciation table for solar plants was not found). It does
        not depend on how many years are simulated.
    """

    capital_cost_rial_per_kwp: float = 3.5e8
    om_rial_per_kwp_year: float = 2.45e6
    insurance_share_of_capital_per_year: float = 0.003
    land_lease_rial_per_year: float = 0.0
    management_rial_per_year: float = 3.6e9
    grid_fees_rial_per_kwh: float = 0.0
    escalation_per_year: float | None = None
    inverter_replacement_share_of_capital: float = 0.05
    inverter_replacement_year: int = 12
    decommissioning_share_of_capital: float = 0.0
    salvage_share_of_capital: float = 0.0
    discount_rate_real_per_year: float = 0.10
    depreciation_years: int = 20

    def __post_init__(self):
        for name in (
            "capital_cost_rial_per_kwp",
            "om_rial_per_kwp_year",
            "land_lease_rial_per_year",
            "management_rial_per_year",
            "grid_fees_rial_per_kwh",
        ):
            check_number(f"costs.{name}", getattr(self, name), minimum=0)
        check_fraction(
            "costs.insurance_share_of_capital_per_year", self.insurance_share_of_capital_per_year
        )
        if self.escalation_per_year is not None:
            check_rate("costs.escalation_per_year", self.escalation_per_year)
        for name in (
            "inverter_replacement_share_of_capital",
            "decommissioning_share_of_capital",
            "salvage_share_of_capital",
        ):
            check_fraction(f"costs.{name}", getattr(self, name), allow_one=True)
        object.__setattr__(self, "inverter_replacement_year", check_number(
            "costs.inverter_replacement_year", self.inverter_replacement_year, minimum=2, integer=True
        ))  # fmt: skip
        check_rate("costs.discount_rate_real_per_year", self.discount_rate_real_per_year, maximum=1.0)
        object.__setattr__(self, "depreciation_years", check_number(
            "costs.depreciation_years", self.depreciation_years, minimum=1, maximum=100, integer=True
        ))  # fmt: skip


@dataclass(frozen=True)
class Cooperative:
    """The cooperative: its members, taxes, reserves and how it pays out.

    Parameters
    ----------
    families : int
        Member families. Default 400 (Mohebban Karimeh cooperative, Qom; news report,
        September 2025). With ``Scenario.member_classes`` it must equal their total;
        without, all families hold one share each and repay ``Scenario.loan``.
    income_tax_rate : float
        Corporate income-tax rate [fraction]. Default 0.25 (Direct Taxes Act, art. 105).
    tax_discount : float
        Share of the tax forgiven [fraction]. Default 0.25: the 25 % discount for
        cooperatives (Article 44 implementation law). Full exemption (art. 133) applies only
        to some kinds of cooperative; set 1.0 for those.
    tax_exempt_years : int
        First operating years with no income tax [years]. Default 0 (exemptions for
        production units, art. 132, were amended in 1394; current text not found).
    legal_reserve_share : float
        Share of profit after tax put to the legal reserve [fraction]. Default 0.05
        (Cooperative Sector Law, secondary summary: at least 5 %).
    legal_reserve_cap_share_of_capital : float
        The legal reserve stops growing at this share of the members' capital [fraction].
        Default 0.25 (same law: until it reaches a quarter of capital).
    precautionary_reserve_share : float
        Share of profit after tax put to a precautionary reserve [fraction]. Default 0.05
        (same law: up to 5 %).
    education_fee_share : float
        Cooperation-and-education fee paid out of profit after tax [fraction]. Default 0.04
        (same law: 4 %).
    working_cash_months : float
        Working cash kept back, in months of operating costs [months]. Default 3 (assumption).
    smoothing_months : int or None
        Distributions are spread so that each month pays the average of this many months'
        net cash; ``None`` (default) uses the billing period, so bills paid every two months
        become equal monthly payouts.
    share_price_rial : float or None
        Paid-in capital of one share [rial]; the members' capital (which caps the legal
        reserve) is the number of shares times this. ``None`` (default): the share costs
        what the family borrowed for it, ``Scenario.loan.principal_rial``, and follows it
        when the loan changes (in Qom each family's share was its 150-million-toman loan;
        news report, September 2025). Give a number when the share was paid otherwise (a
        provincial grant of 20-30 million toman beside the loan, savings).
    end_of_life_reserves : {"kept", "distributed"}
        What becomes of the legal and precautionary reserves in the last month.
        ``"kept"`` (default): they stay with the cooperative and reach no family (the law
        keeps the legal reserve from members; its rule on dissolution was not checked).
        ``"distributed"``: both are released and paid out with the last distribution.
    starting_cash_rial : float
        Cash the cooperative holds on the first day of operation [rial], for the costs
        it pays before the first bill is settled. Default 0: none was reported, so a
        negative working cash in the first months shows what must be lent to it
        (``summary["cash_balance_min_rial"]``).
    """

    families: int = 400
    income_tax_rate: float = 0.25
    tax_discount: float = 0.25
    tax_exempt_years: int = 0
    legal_reserve_share: float = 0.05
    legal_reserve_cap_share_of_capital: float = 0.25
    precautionary_reserve_share: float = 0.05
    education_fee_share: float = 0.04
    working_cash_months: float = 3.0
    smoothing_months: int | None = None
    share_price_rial: float | None = None
    end_of_life_reserves: str = "kept"
    starting_cash_rial: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "families", check_number("cooperative.families", self.families, minimum=1, integer=True))
        check_fraction("cooperative.income_tax_rate", self.income_tax_rate)
        check_fraction("cooperative.tax_discount", self.tax_discount, allow_one=True)
        object.__setattr__(self, "tax_exempt_years", check_number("cooperative.tax_exempt_years", self.tax_exempt_years, minimum=0, integer=True))
        for name in ("legal_reserve_share", "precautionary_reserve_share", "education_fee_share"):
            check_fraction(f"cooperative.{name}", getattr(self, name))
        check_number(
            "cooperative.legal_reserve_cap_share_of_capital",
            self.legal_reserve_cap_share_of_capital,
            minimum=0,
        )
        appropriated = (
            self.legal_reserve_share + self.precautionary_reserve_share + self.education_fee_share
        )
        if appropriated >= 1:
            raise InputError(
                f"cooperative reserve and fee shares add up to {appropriated:g}: they must stay "
                "below 1 so that something is left to distribute"
            )
        check_number("cooperative.working_cash_months", self.working_cash_months, minimum=0, maximum=120)
        if self.smoothing_months is not None:
            object.__setattr__(self, "smoothing_months", check_number("cooperative.smoothing_months", self.smoothing_months, minimum=1, maximum=24, integer=True))
        if self.share_price_rial is not None:
            check_number("cooperative.share_price_rial", self.share_price_rial, minimum=0)
        check_choice("cooperative.end_of_life_reserves", self.end_of_life_reserves, END_OF_LIFE_RESERVES)
        check_number("cooperative.starting_cash_rial", self.starting_cash_rial, minimum=0)


@dataclass(frozen=True)
class MemberClass:
    """Families holding the same number of shares and repaying the same loan.

    Parameters
    ----------
    name : str
        A label for tables and charts (unique within a scenario).
    families : int
        Families in the class, at least 1.
    shares_per_family : float
        Shares each family holds [shares], > 0; distributions are split by shares. May
        be fractional, e.g. kW of plant per family (7.5 in Qom, 5 elsewhere).
    loan : Loan or None
        Each family's share loan, its instalment deducted from the distribution;
        ``None`` (default) uses the scenario's ``loan``.

    Examples
    --------
    >>> MemberClass("5 kW shares", families=200, shares_per_family=5).families
    200
    >>> MemberClass("empty", families=0)
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: member_classes['empty'].families = 0 is out of range: allowed 1 <= value
    """

    name: str
    families: int
    shares_per_family: float = 1.0
    loan: Loan | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"member_classes name = {self.name!r} must be a non-empty string")
        where = f"member_classes[{self.name!r}]"
        object.__setattr__(self, "families", check_number(f"{where}.families", self.families, minimum=1, integer=True))
        check_number(f"{where}.shares_per_family", self.shares_per_family, minimum=0, min_inclusive=False)
        if self.loan is not None and not isinstance(self.loan, Loan):
            raise InputError(f"{where}.loan = {self.loan!r} must be a Loan or None")


def resolve_member_classes(
    member_classes, families: int, default_loan: Loan
) -> tuple[MemberClass, ...]:
    """The classes with every loan filled in; one class of ``families`` when none are given.

    Raises
    ------
    InputError
        If the classes' families do not add up to ``families``, or names repeat.

    Examples
    --------
    >>> [c.name for c in resolve_member_classes((), 400, Loan())]
    ['all families']
    """
    if not member_classes:
        return (MemberClass("all families", families, 1.0, default_loan),)
    names = [c.name for c in member_classes]
    if len(set(names)) != len(names):
        raise InputError(f"member_classes names {names} repeat: give each class its own name")
    total = sum(c.families for c in member_classes)
    if total != families:
        raise InputError(
            f"cooperative.families = {families} but member_classes hold {total} families: "
            "set cooperative.families to the classes' total"
        )
    return tuple(
        c if c.loan is not None else MemberClass(c.name, c.families, c.shares_per_family, default_loan)
        for c in member_classes
    )


@dataclass(frozen=True)
class CooperativeDebt:
    """A loan the cooperative itself takes for part of the plant, serviced before distributions.

    Parameters
    ----------
    share_of_capital_cost : float
        Amount borrowed [fraction of capital cost], 0 to 1. Default 0: no debt (the Qom
        plant was reported funded by the families' shares). SATBA's commercial loans
        lend up to 0.7.
    annual_rate : float
        Yearly rate [fraction/year], monthly compounding. Default 0.14: SATBA's
        commercial loan for 1-3 MW plants (SATBA).
    term_months : int
        Months from the first payment to the last, grace included. Default 60 (SATBA).
    grace_months : int
        First months with interest only. Default 12: SATBA allows up to 12 months.
    first_month_index : int
        Accounting month of the first payment (0 = first month of operation). Default 0.

    Examples
    --------
    >>> CooperativeDebt(share_of_capital_cost=0.7).loan(1e12).principal_rial
    700000000000.0
    """

    share_of_capital_cost: float = 0.0
    annual_rate: float = 0.14
    term_months: int = 60
    grace_months: int = 12
    first_month_index: int = 0

    def __post_init__(self):
        check_fraction("debt.share_of_capital_cost", self.share_of_capital_cost, allow_one=True)
        check_loan_terms(self, "debt")

    def loan(self, capital_rial: float) -> Loan:
        """The debt as a :class:`~solarcoop.finance.Loan` on a plant costing ``capital_rial``."""
        return Loan(
            principal_rial=self.share_of_capital_cost * capital_rial,
            annual_rate=self.annual_rate,
            term_months=self.term_months,
            grace_months=self.grace_months,
            first_month_index=self.first_month_index,
        )


def operating_costs_rial(costs: Costs, capacity_kwp: float, energy_kwh, cost_index) -> np.ndarray:
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

    Returns
    -------
    numpy.ndarray
        Shape of the broadcast inputs [rial/month]: fixed yearly costs / 12 plus per-kWh
        fees, all scaled by ``cost_index``.
    """
    yearly_rial = (
        costs.om_rial_per_kwp_year * capacity_kwp
        + costs.insurance_share_of_capital_per_year * costs.capital_cost_rial_per_kwp * capacity_kwp
        + costs.land_lease_rial_per_year
        + costs.management_rial_per_year
    )
    per_kwh_rial = costs.grid_fees_rial_per_kwh * np.asarray(energy_kwh, float)
    return (yearly_rial / 12 + per_kwh_rial) * np.asarray(cost_index, float)


def _running_max_from_zero(values: np.ndarray) -> np.ndarray:
    """max(0, running maximum along the last axis)."""
    return np.maximum.accumulate(np.maximum(values, 0.0), axis=-1)


def _lagged_moving_average(values: np.ndarray, window: int) -> np.ndarray:
    """Mean of the last ``window`` values along the last axis (zeros before the start)."""
    padded = np.concatenate([np.zeros(values.shape[:-1] + (window,)), values], axis=-1)
    cumulative = np.cumsum(padded, axis=-1)
    return (cumulative[..., window:] - cumulative[..., :-window]) / window


def book_months(
    *,
    collected_rial,
    operating_costs_rial,
    depreciation_rial,
    operating_year,
    cooperative: Cooperative,
    share_capital_rial: float,
    smoothing_months: int,
    debt_service_rial=0.0,
    debt_interest_rial=0.0,
    initial_cash_rial: float = 0.0,
    replacement_reserve_rial=0.0,
    replacement_spent_rial=0.0,
    end_of_life_rial=0.0,
) -> dict[str, np.ndarray]:
    """Book every month: tax, reserves, fee, distribution and working cash.

    Parameters
    ----------
    collected_rial : array_like
        Revenue received [rial], shape (..., months).
    operating_costs_rial : array_like
        Operating costs paid [rial], broadcastable to ``collected_rial``.
    depreciation_rial : array_like
        Depreciation deducted for tax [rial/month] (no cash moves).
    operating_year : array_like of int
        Operating year of each month (1, 1, ..., 2, ...), shape (months,).
    cooperative : Cooperative
    share_capital_rial : float
        Members' paid-in capital [rial]; caps the legal reserve.
    smoothing_months : int
        Months over which net cash is averaged into distributions [months].
    debt_service_rial, debt_interest_rial : array_like
        The cooperative's own debt: payment and its interest part [rial].
    initial_cash_rial : float
        Working cash at the start [rial].
    replacement_reserve_rial, replacement_spent_rial : array_like
        Put into the inverter-replacement reserve (negative when drawn) and spent on the
        replacement [rial], from :func:`replacement_reserve`.
    end_of_life_rial : array_like
        Net cost of the end of life (decommissioning less salvage) [rial], paid in the
        last month; shape (...) or scalar.

    Returns
    -------
    dict of numpy.ndarray
        ``profit_before_tax_rial``, ``tax_rial``, ``legal_reserve_rial``,
        ``precautionary_reserve_rial``, ``reserves_rial`` (their sum),
        ``education_fee_rial``, ``debt_service_rial``, ``replacement_reserve_rial``,
        ``replacement_spent_rial``, ``end_of_life_rial``, ``distributed_rial``,
        ``cash_balance_rial`` (end of month), all shape (..., months).

    Notes
    -----
    Tax is paid month by month on account: by month :math:`t` the cooperative has paid
    :math:`r \\max(0, \\max_{k \\le t} P_k)` where :math:`P` is the cumulative taxable
    profit (cash profit less depreciation and interest, nothing in exempt years) and
    :math:`r` the rate after the cooperative discount. So a month's or a year's loss is
    carried forward against later profit and never refunded, and the tax does not depend
    on how often bills are paid. Reserves and the education fee take their shares of the
    profit after tax in the same way (of new highs of its running total). The legal
    reserve stops when its running total reaches
    ``legal_reserve_cap_share_of_capital * share_capital_rial``.
    Cumulative distributions :math:`D_t = \\max(0, \\max_{k \\le t}(A_k - B_k))`, where
    :math:`A` is the moving average (over ``smoothing_months``) of cumulative net cash and
    :math:`B` the working cash kept back; so a deficit is made good before anything more
    is paid out, and distributions never go negative. In the last month all working cash
    is paid out (the end-of-life line); if the end of life costs more than the cash left,
    the cash balance ends negative (a debt of the cooperative) and nothing is paid.

    The replacement reserve and its spending, the end-of-life cost and debt principal
    are cash lines, not tax deductions (the replacement's own depreciation is left out:
    a conservative simplification). With ``cooperative.end_of_life_reserves ==
    "distributed"`` the legal and precautionary reserves are released in the last month
    (their lines turn negative by the balance) and paid out.
    """
    collected = np.asarray(collected_rial, float)
    shape = np.broadcast_shapes(
        collected.shape,
        np.shape(operating_costs_rial),
        np.shape(debt_service_rial),
        np.shape(replacement_reserve_rial),
        np.shape(replacement_spent_rial),
    )
    collected = np.broadcast_to(collected, shape)
    costs = np.broadcast_to(np.asarray(operating_costs_rial, float), shape)
    debt_service = np.broadcast_to(np.asarray(debt_service_rial, float), shape)
    replacement_in = np.broadcast_to(np.asarray(replacement_reserve_rial, float), shape)
    replacement_spent = np.broadcast_to(np.asarray(replacement_spent_rial, float), shape)
    end_of_life = np.zeros(shape)
    end_of_life[..., -1] = end_of_life_rial
    operating_year = np.asarray(operating_year)

    profit_before_tax = collected - costs - np.asarray(depreciation_rial, float) - debt_interest_rial
    taxable = np.where(operating_year > cooperative.tax_exempt_years, profit_before_tax, 0.0)
    tax_rate = cooperative.income_tax_rate * (1 - cooperative.tax_discount)
    tax = np.diff(tax_rate * _running_max_from_zero(np.cumsum(taxable, axis=-1)), axis=-1, prepend=0.0)
    appropriable = _running_max_from_zero(np.cumsum(profit_before_tax - tax, axis=-1))
    profit_after_tax = np.diff(appropriable, axis=-1, prepend=0.0)

    cap = cooperative.legal_reserve_cap_share_of_capital * share_capital_rial
    legal_total = np.minimum(cooperative.legal_reserve_share * appropriable, cap)
    legal = np.diff(legal_total, axis=-1, prepend=0.0)
    precautionary = cooperative.precautionary_reserve_share * profit_after_tax
    fee = cooperative.education_fee_share * profit_after_tax
    if cooperative.end_of_life_reserves == "distributed":
        legal[..., -1] -= legal_total[..., -1]
        precautionary[..., -1] -= precautionary.sum(axis=-1)
    reserves = legal + precautionary

    net_cash = (
        collected - costs - debt_service - tax - reserves - fee
        - replacement_in - replacement_spent - end_of_life
    )  # fmt: skip
    cumulative_net = initial_cash_rial + np.cumsum(net_cash, axis=-1)
    distributable = _lagged_moving_average(cumulative_net, smoothing_months)
    kept_back = cooperative.working_cash_months * costs
    target = distributable - kept_back
    target[..., -1] = cumulative_net[..., -1]  # end of life: pay out what is left
    cumulative_distributed = _running_max_from_zero(target)
    distributed = np.diff(cumulative_distributed, axis=-1, prepend=0.0)
    cash = cumulative_net - cumulative_distributed
    return {
        "profit_before_tax_rial": profit_before_tax,
        "tax_rial": tax,
        "legal_reserve_rial": legal,
        "precautionary_reserve_rial": precautionary,
        "reserves_rial": reserves,
        "education_fee_rial": fee,
        "debt_service_rial": np.array(debt_service),
        "replacement_reserve_rial": np.array(replacement_in),
        "replacement_spent_rial": np.array(replacement_spent),
        "end_of_life_rial": end_of_life,
        "distributed_rial": distributed,
        "cash_balance_rial": cash,
    }


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


def class_payouts(distributed_rial, families, shares_per_family, instalment_rial) -> dict[str, np.ndarray]:
    """Split each month's distribution over member classes by shares, then deduct loans.

    Parameters
    ----------
    distributed_rial : array_like
        What the cooperative distributes [rial], shape (..., months).
    families, shares_per_family : array_like
        Per class, shape (classes,) [families], [shares/family].
    instalment_rial : array_like
        Each class's instalment per family [rial], shape (classes, months).

    Returns
    -------
    dict of numpy.ndarray
        Per family of each class, shape (..., classes, months):
        ``distribution_per_family_rial``, ``payout_rial``, ``paid_to_lender_rial``,
        ``arrears_rial`` (see :func:`family_payouts`).

    Examples
    --------
    100 families with 1 share and 50 with 2 share 400 rial: 2 and 4 rial a family.

    >>> out = class_payouts([400.0], [100, 50], [1.0, 2.0], [[1.0], [5.0]])
    >>> out["distribution_per_family_rial"][:, 0].tolist(), out["arrears_rial"][:, 0].tolist()
    ([2.0, 4.0], [0.0, 1.0])
    """
    families = np.asarray(families, float)
    shares = np.asarray(shares_per_family, float)
    per_share = np.asarray(distributed_rial, float)[..., None, :] / np.sum(families * shares)
    per_family = per_share * shares[:, None]
    return {"distribution_per_family_rial": per_family, **family_payouts(per_family, instalment_rial)}


def family_payouts(distribution_per_family_rial, instalment_rial) -> dict[str, np.ndarray]:
    """A family's month: its distribution, its loan instalment deducted at source, arrears.

    When a month's distribution does not cover the instalment, the shortfall becomes the
    family's arrears, recovered from later distributions before anything is paid out; it
    is never dropped. Arrears follow :math:`a_t = \\max(0, a_{t-1} + i_t - d_t)`, written
    as :math:`a_t = Y_t - \\min(0, \\min_{k \\le t} Y_k)` with :math:`Y = \\sum (i - d)`.

    Parameters
    ----------
    distribution_per_family_rial : array_like
        What the cooperative distributes to one family [rial], shape (..., months).
    instalment_rial : array_like
        The instalment due [rial], broadcastable.

    Returns
    -------
    dict of numpy.ndarray
        ``payout_rial`` (what reaches the family, never negative),
        ``paid_to_lender_rial``, ``arrears_rial`` (owed after the month).

    Examples
    --------
    >>> out = family_payouts([10.0, 0.0, 30.0], [20.0, 20.0, 20.0])
    >>> out["arrears_rial"].tolist(), out["payout_rial"].tolist()
    ([10.0, 30.0, 20.0], [0.0, 0.0, 0.0])
    """
    distribution = np.asarray(distribution_per_family_rial, float)
    instalment = np.broadcast_to(np.asarray(instalment_rial, float), np.broadcast_shapes(distribution.shape, np.shape(instalment_rial)))
    shortfall_total = np.cumsum(instalment - distribution, axis=-1)
    arrears = shortfall_total - np.minimum(np.minimum.accumulate(shortfall_total, axis=-1), 0.0)
    arrears_before = np.concatenate([np.zeros(arrears.shape[:-1] + (1,)), arrears[..., :-1]], axis=-1)
    payout = distribution - instalment + arrears - arrears_before
    return {
        "payout_rial": payout,
        "paid_to_lender_rial": distribution - payout,
        "arrears_rial": arrears,
    }
