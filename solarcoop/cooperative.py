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

from solarcoop._running import running
from solarcoop._validation import (
    MAX_COST_RIAL_PER_KWP,
    MAX_FAMILIES,
    MAX_FAMILY_LOAN_RIAL,
    MAX_PRICE_RIAL_PER_KWH,
    MAX_STOCK_RIAL,
    MAX_YEARLY_COST_RIAL,
    MAX_YEARLY_COST_RIAL_PER_KWP,
    InputError,
    check_choice,
    check_fraction,
    check_number,
    check_rate,
)
from solarcoop.finance import Loan, check_loan_terms

_COST_LIMITS = {
    "capital_cost_rial_per_kwp": MAX_COST_RIAL_PER_KWP,
    "om_rial_per_kwp_year": MAX_YEARLY_COST_RIAL_PER_KWP,
    "land_lease_rial_per_year": MAX_YEARLY_COST_RIAL,
    "management_rial_per_year": MAX_YEARLY_COST_RIAL,
    "grid_fees_rial_per_kwh": MAX_PRICE_RIAL_PER_KWH,
}
"""Plausible upper bounds of the money fields of :class:`Costs` (see solarcoop._validation)."""

END_OF_LIFE_SETTLEMENTS = ("kept", "distributed", "owed_collected_and_distributed")
"""What becomes of the reserves, the cash and the bills still owed when the life ends."""

DISTRIBUTION_RULES = ("profit", "cash")
"""What the cooperative may pay its owners: net profit (the law) or all spare cash."""

RESERVE_USES = ("inverter_replacement", "instalment_shortfall")
"""What the precautionary reserve may pay for, when the general assembly allows it."""

GAP_SOURCES = ("grant", "sponsor_equity", "debt")
"""Sources that can take whatever of the capital cost the others leave."""


@dataclass(frozen=True)
class Costs:
    """Running costs of the plant and the cooperative, in first-year money.

    Parameters
    ----------
    capital_cost_rial_per_kwp : float
        What the plant cost to build [rial/kWp]; used for funding, insurance,
        depreciation, NPV and LCOE. Default 3.0e8 (30 million toman per kW): the upper
        end of the 25-30 million toman per kW reported for Hamedan (IRIB 5585575, Oct
        2025), where the two aggregated-farm quotes also sit (150 million toman per 5 kW
        share, Taybad IRIB 5625888 and Kerman YJC 9005862); the upper end because the
        Qom plant was built later, towards the end of 1404, at about 35-40 % yearly
        inflation. The older 30-40 billion toman per MW (2024-2026 press) would give
        3-4e8. At the open-market 1,221,500 rial/USD (Dec 2025) 3.0e8 is about
        245 USD/kWp (medium confidence).
    om_rial_per_kwp_year : float
        Operation and maintenance [rial/kWp/year]. Default 2.1e6: 0.7 % of the capital
        cost a year, the ratio of NREL ATB 2020's utility-PV O&M benchmark to its capital
        cost, applied to the Iranian cost because labour and parts are paid in rial. It
        is about 1.7 USD/kWp-year at 1,221,500 rial/USD (Dec 2025, open market); ATB's
        own 18 USD/kWdc-year would be 22 million rial, 7 % of the Iranian capital cost. No
        Iranian figure was found (low confidence).
    insurance_share_of_capital_per_year : float
        Insurance [fraction of capital cost/year]. Default 0.003, an assumption within the
        1-2 % O&M-plus-insurance range guessed for Iran (low confidence).
    land_lease_rial_per_year : float
        Land lease [rial/year]. Default 0: the 4.5 ha near Qom is assumed provided by the
        sponsor without rent (assumption; no lease was reported).
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

    capital_cost_rial_per_kwp: float = 3.0e8
    om_rial_per_kwp_year: float = 2.1e6
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
            check_number(f"costs.{name}", getattr(self, name), minimum=0, maximum=_COST_LIMITS[name])
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
        September 2025). 1 to 1,000,000 (``MAX_FAMILIES``). With ``Scenario.member_classes`` it must equal their total;
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
    distribution_rule : {"profit", "cash"}
        What the cooperative pays its owners. ``"profit"`` (default): net profit after
        tax, the legal and precautionary reserves and the education fee, as the
        Cooperative Sector Law (art. 25) divides it, limited by the cash at hand; cash
        sheltered by depreciation stays in the cooperative (and earns the deposit rate).
        ``"cash"``: all spare cash, depreciation included: paying out more than profit is
        a return of capital that only the general assembly can decide.
    reserve_uses : tuple of {"inverter_replacement", "instalment_shortfall"}
        What the precautionary reserve may pay for, each an assembly decision. Default
        ``()``: nothing (the law lets the assembly decide; no decision was reported), so
        the inverters are paid from their own replacement reserve. With
        ``"inverter_replacement"`` no separate replacement reserve is built and the
        precautionary reserve pays the replacement up to its balance; with
        ``"instalment_shortfall"`` it pays what the families' distribution lacks to cover
        their loan instalments in a month (the legal reserve is never drawn).
    end_of_life_settlement : {"kept", "distributed", "owed_collected_and_distributed"}
        What happens in the last month. ``"kept"`` (default): the reserves, cash beyond
        distributable profit and bills still owed stay with the cooperative (the law keeps
        the legal reserve from members; its rule on dissolution was not checked); the
        summary shows each in money of the first month. ``"distributed"``: both reserves
        are released and all cash is paid out (a dissolution). ``"owed_collected_and_distributed"``:
        the same, and the bills still owed are collected at face value in the last month
        (in truth later, and often in bonds) and paid out after tax.
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
    distribution_rule: str = "profit"
    reserve_uses: tuple[str, ...] = ()
    end_of_life_settlement: str = "kept"
    starting_cash_rial: float = 0.0

    def __post_init__(self):
        object.__setattr__(self, "families", check_number("cooperative.families", self.families, minimum=1, maximum=MAX_FAMILIES, integer=True))
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
            check_number("cooperative.share_price_rial", self.share_price_rial, minimum=0, maximum=MAX_FAMILY_LOAN_RIAL)
        check_choice("cooperative.distribution_rule", self.distribution_rule, DISTRIBUTION_RULES)
        if isinstance(self.reserve_uses, str) or not isinstance(self.reserve_uses, tuple | list):
            raise InputError(
                f"cooperative.reserve_uses = {self.reserve_uses!r} must be a list of uses from {RESERVE_USES}"
            )
        for use in self.reserve_uses:
            check_choice("cooperative.reserve_uses", use, RESERVE_USES)
        object.__setattr__(self, "reserve_uses", tuple(self.reserve_uses))
        check_choice(
            "cooperative.end_of_life_settlement", self.end_of_life_settlement, END_OF_LIFE_SETTLEMENTS
        )
        check_number("cooperative.starting_cash_rial", self.starting_cash_rial, minimum=0, maximum=MAX_STOCK_RIAL)


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
    solarcoop._validation.InputError: member_classes['empty'].families = 0 is out of range: allowed 1 <= value <= 1,000,000
    """

    name: str
    families: int
    shares_per_family: float = 1.0
    loan: Loan | None = None

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"member_classes name = {self.name!r} must be a non-empty string")
        where = f"member_classes[{self.name!r}]"
        object.__setattr__(self, "families", check_number(f"{where}.families", self.families, minimum=1, maximum=MAX_FAMILIES, integer=True))
        check_number(f"{where}.shares_per_family", self.shares_per_family, minimum=0, maximum=10_000, min_inclusive=False)
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
        Amount borrowed [fraction of capital cost], 0 to 1. Default 0.
    principal_rial : float or None
        Amount borrowed [rial], in place of ``share_of_capital_cost`` (give one of the
        two). Default ``None``.
    annual_rate : float
        Yearly rate [fraction/year], monthly compounding. Default 0.14: SATBA's
        commercial loan for 1-3 MW plants, which lends up to 70 % of the cost (SATBA).
    term_months : int
        Months from the first payment to the last, grace included. Default 60 (SATBA).
    grace_months : int
        First months with interest only. Default 12: SATBA allows up to 12 months.
    first_month_index : int
        Accounting month of the first payment (0 = first month of operation). Default 0.

    When ``funding.gap_filled_by == "debt"`` the gap is borrowed on these terms, on top
    of any amount given here.

    Examples
    --------
    >>> CooperativeDebt(share_of_capital_cost=0.7).loan(1e12).principal_rial
    700000000000.0
    >>> CooperativeDebt(principal_rial=3e11).loan(1e12).principal_rial
    300000000000.0
    """

    share_of_capital_cost: float = 0.0
    principal_rial: float | None = None
    annual_rate: float = 0.14
    term_months: int = 60
    grace_months: int = 12
    first_month_index: int = 0

    def __post_init__(self):
        check_fraction("debt.share_of_capital_cost", self.share_of_capital_cost, allow_one=True)
        if self.principal_rial is not None:
            check_number("debt.principal_rial", self.principal_rial, minimum=0)
            if self.share_of_capital_cost != 0:
                raise InputError(
                    f"debt.principal_rial = {self.principal_rial!r} and debt.share_of_capital_cost = "
                    f"{self.share_of_capital_cost!r}: give the debt one way, not both"
                )
        check_loan_terms(self, "debt")

    def principal_for(self, capital_rial: float) -> float:
        """Amount borrowed on a plant costing ``capital_rial`` [rial], before any gap."""
        if self.principal_rial is not None:
            return float(self.principal_rial)
        return self.share_of_capital_cost * capital_rial

    def loan(self, capital_rial: float, extra_rial: float = 0.0) -> Loan:
        """The debt as a :class:`~solarcoop.finance.Loan` on a plant costing ``capital_rial``,
        plus ``extra_rial`` borrowed to fill the funding gap."""
        return Loan(
            principal_rial=self.principal_for(capital_rial) + extra_rial,
            annual_rate=self.annual_rate,
            term_months=self.term_months,
            grace_months=self.grace_months,
            first_month_index=self.first_month_index,
        )


@dataclass(frozen=True)
class Funding:
    """Who paid for the plant besides the families' shares and the cooperative's debt.

    The families' shares (``cooperative.share_price_rial`` times the shares held), a
    grant, sponsor equity and the cooperative's debt (``debt``) must add up to the
    capital cost; :func:`funding_sources` checks it.

    Parameters
    ----------
    grant_rial : float
        Money given towards the plant [rial]: no repayment, no claim on the income.
        Default 0.
    sponsor_equity_rial : float
        Capital put in by a sponsor [rial]; it owns that part of the capital and takes
        the same share of every distribution as its part of the owners' capital.
        Default 0 (plus the gap, see below).
    sponsor_name : str
        Who the sponsor is. Default "Imam Khomeini Relief Committee".
    gap_filled_by : {"sponsor_equity", "grant", "debt"} or None
        The source that takes whatever of the capital cost the others leave (the gap).
        ``None``: no source does, and a gap is refused.

        Default ``"sponsor_equity"``, an openly flagged assumption for Qom: 400 shares of
        1.5e9 rial pay 600 bn rial of a plant that costs about 900 bn rial (3,000 kWp at
        25-30 million toman per kW, IRIB 5585575, Oct 2025; 150 million toman per 5 kW
        share, IRIB 5625888 and YJC 9005862). No report says who paid the other 300 bn.
        The Relief Committee organised and lent for the plant, and Qom's first 3 MW
        aggregated plant was reported in 5 kW shares, about 600 of them (Mehr 6569792,
        YJC 8991753): 600 x 150 million toman is exactly 900 bn rial, so the other
        third of the plant belongs to someone other than the 400 families. Sponsor
        equity, which takes that third's share of the profit, is the reading between
        the two others: a grant (no claim, the most favourable to the families) and a
        14 % SATBA loan (the harshest). Each is one change away:
        ``{"funding.gap_filled_by": "grant"}`` or ``{"funding.gap_filled_by": "debt"}``.

    Examples
    --------
    >>> Funding(grant_rial=-1)
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: funding.grant_rial = -1 is out of range: allowed 0 <= value
    """

    grant_rial: float = 0.0
    sponsor_equity_rial: float = 0.0
    sponsor_name: str = "Imam Khomeini Relief Committee"
    gap_filled_by: str | None = "sponsor_equity"

    def __post_init__(self):
        check_number("funding.grant_rial", self.grant_rial, minimum=0)
        check_number("funding.sponsor_equity_rial", self.sponsor_equity_rial, minimum=0)
        if not isinstance(self.sponsor_name, str) or not self.sponsor_name.strip():
            raise InputError(f"funding.sponsor_name = {self.sponsor_name!r} must be a non-empty string")
        if self.gap_filled_by is not None:
            check_choice("funding.gap_filled_by", self.gap_filled_by, GAP_SOURCES)


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
    Qom: 900 bn rial of plant, 600 bn of shares; the sponsor takes the rest.

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


def tax_on_account(taxed_so_far_max_rial, cumulative_taxable_rial, tax_rate):
    """Tax due this month when tax is paid on the new high of cumulative taxable profit.

    Parameters
    ----------
    taxed_so_far_max_rial : array_like
        Highest cumulative taxable profit taxed so far (0 at the start) [rial].
    cumulative_taxable_rial : array_like
        Cumulative taxable profit after this month [rial].
    tax_rate : float
        Rate after the cooperative discount [fraction].

    Returns
    -------
    tuple of numpy.ndarray
        (tax this month [rial], new highest taxed cumulative profit [rial]). A loss is
        carried forward and never refunded.

    >>> [float(x) for x in tax_on_account(100.0, 80.0, 0.25)]
    [0.0, 100.0]
    >>> [float(x) for x in tax_on_account(100.0, 120.0, 0.25)]
    [5.0, 120.0]
    """
    new_max = np.maximum(taxed_so_far_max_rial, cumulative_taxable_rial)
    return tax_rate * (new_max - taxed_so_far_max_rial), new_max


def appropriations(appropriable_before_rial, appropriable_after_rial, legal_total_before_rial, cooperative, capital_rial):
    """What the Cooperative Sector Law (art. 25) takes from a month's new profit after tax.

    ``appropriable_*`` is the running high of cumulative profit after tax (a loss is made
    good before anything is appropriated again).

    Returns
    -------
    dict of numpy.ndarray
        ``legal_reserve_rial`` (5 % until the legal reserve holds ``legal_reserve_cap_share_of_capital``
        of the capital), ``precautionary_reserve_rial``, ``education_fee_rial``,
        ``distributable_profit_rial`` (the rest, the members' share of the profit) and
        ``legal_total_rial`` (put into the legal reserve so far), each [rial].

    >>> out = appropriations(0.0, 100.0, 0.0, Cooperative(), 1e9)
    >>> [round(float(out[k]), 6) for k in ("legal_reserve_rial", "education_fee_rial", "distributable_profit_rial")]
    [5.0, 4.0, 86.0]
    """
    new_profit = appropriable_after_rial - appropriable_before_rial
    cap = cooperative.legal_reserve_cap_share_of_capital * capital_rial
    legal_total = np.minimum(cooperative.legal_reserve_share * appropriable_after_rial, cap)
    legal = legal_total - legal_total_before_rial
    precautionary = cooperative.precautionary_reserve_share * new_profit
    fee = cooperative.education_fee_share * new_profit
    return {
        "legal_reserve_rial": legal,
        "precautionary_reserve_rial": precautionary,
        "education_fee_rial": fee,
        "distributable_profit_rial": new_profit - legal - precautionary - fee,
        "legal_total_rial": legal_total,
    }


def cumulative_distribution(distributed_before_rial, cash_target_rial, profit_limit_rial):
    """Cumulative distributions after this month [rial]: never falling, never negative.

    ``cash_target_rial`` is what the cash allows in total (net cash less working cash);
    ``profit_limit_rial`` the cumulative distributable profit under the ``"profit"`` rule,
    ``numpy.inf`` under the ``"cash"`` rule. Profit the cash cannot yet pay waits for it.

    >>> float(cumulative_distribution(10.0, 50.0, 30.0)), float(cumulative_distribution(10.0, 5.0, 30.0))
    (30.0, 10.0)
    """
    return np.maximum(distributed_before_rial, np.maximum(np.minimum(cash_target_rial, profit_limit_rial), 0.0))


def reserve_draw(balance_rial, need_rial):
    """What a reserve holding ``balance_rial`` pays towards ``need_rial`` [rial].

    >>> float(reserve_draw(30.0, 50.0)), float(reserve_draw(80.0, 50.0)), float(reserve_draw(80.0, -5.0))
    (30.0, 50.0, 0.0)
    """
    return np.minimum(np.maximum(balance_rial, 0.0), np.maximum(need_rial, 0.0))


def deposit_interest(holdings_before_rial, rate_per_month):
    """Interest earned on the cash and reserves held at the end of last month [rial].

    Only a positive holding earns; a negative working cash (cash someone must lend the
    cooperative) is shown by the books and costs nothing here.

    >>> float(deposit_interest(1000.0, 0.02)), float(deposit_interest(-1000.0, 0.02))
    (20.0, 0.0)
    """
    return np.maximum(holdings_before_rial, 0.0) * rate_per_month


BOOK_LINES = (
    "interest_earned_rial", "profit_before_tax_rial", "tax_rial", "legal_reserve_rial",
    "precautionary_reserve_rial", "education_fee_rial", "distributable_profit_rial",
    "reserve_paid_for_replacement_rial", "reserve_paid_for_instalments_rial", "distributed_rial",
    "cash_balance_rial", "reserves_rial", "debt_service_rial", "replacement_reserve_rial",
    "replacement_spent_rial", "end_of_life_rial",
)  # fmt: skip
"""The lines :func:`book_months` returns, in order."""


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
    deposit_rate_per_month=0.0,
    instalments_due_rial=0.0,
    families_share_of_distribution: float = 1.0,
    tax_rate_by_path=None,
    tax_exempt_years_by_path=None,
    lines=None,
) -> dict[str, np.ndarray]:
    """Book every month: interest, tax, reserves, fee, distribution and working cash.

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
        Its tax, reserve, distribution and settlement rules.
    share_capital_rial : float
        Paid-in capital of the owners (families' shares and sponsor equity) [rial]; caps
        the legal reserve.
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
    deposit_rate_per_month : array_like
        Rate the cash and reserves earn in each month [fraction/month], broadcastable.
    instalments_due_rial : array_like
        What all families owe their lenders each month [rial]; used only when
        ``"instalment_shortfall"`` is in ``cooperative.reserve_uses``.
    families_share_of_distribution : float
        Families' share of every distribution (the rest goes to the sponsor) [fraction].
    tax_rate_by_path : array_like, optional
        Each path's tax rate after the cooperative discount [fraction], shape of the
        paths (``collected_rial.shape[:-1]``), in place of the cooperative's (a Monte
        Carlo whose paths drew different tax readings books them all at once).
    tax_exempt_years_by_path : array_like of int, optional
        Each path's tax-exempt operating years [years], shape of the paths, in place of
        ``cooperative.tax_exempt_years``.
    lines : collection of str, optional
        The lines to return (default: all of :data:`BOOK_LINES`); a line not asked for
        is worked out month by month in one reused row, not kept for every month.

    Returns
    -------
    dict of numpy.ndarray
        All shape (..., months), [rial]: ``interest_earned_rial``,
        ``profit_before_tax_rial``, ``tax_rial``, ``legal_reserve_rial``,
        ``precautionary_reserve_rial`` (negative when drawn or released),
        ``reserves_rial`` (their sum), ``education_fee_rial``,
        ``distributable_profit_rial``, ``debt_service_rial``,
        ``replacement_reserve_rial``, ``replacement_spent_rial``,
        ``reserve_paid_for_replacement_rial``, ``reserve_paid_for_instalments_rial``,
        ``end_of_life_rial``, ``distributed_rial`` (to the owners: families and sponsor)
        and ``cash_balance_rial`` (working cash at the end of the month).

    Notes
    -----
    Money is conserved each month::

        collected + interest = costs + debt service + tax + reserves + education fee
                               + replacement reserve + replacement spent + end of life
                               + distributed + reserve paid for instalments
                               + change in working cash

    **Tax** is paid month by month on account: by month :math:`t` the cooperative has
    paid :math:`r \\max(0, \\max_{k \\le t} P_k)` where :math:`P` is the cumulative
    taxable profit (cash profit and interest less depreciation and debt interest,
    nothing in exempt years) and :math:`r` the rate after the cooperative discount; a
    loss is carried forward and never refunded (:func:`tax_on_account`).

    **Appropriations** (Cooperative Sector Law art. 25, :func:`appropriations`): of each
    new high of cumulative profit after tax, the legal reserve takes
    ``legal_reserve_share`` until it holds ``legal_reserve_cap_share_of_capital`` of the
    capital, the precautionary reserve and the education fee their shares; the rest is
    distributable profit.

    **Distribution** (:func:`cumulative_distribution`): the cash allows :math:`A - B`,
    the moving average (over ``smoothing_months``) of cumulative net cash less the
    working cash kept back. Under ``distribution_rule = "profit"`` (the law: art. 25
    divides net profit) cumulative distributions also stay within the moving average of
    cumulative distributable profit (so bills paid every two months still become equal
    monthly payouts), so depreciation-sheltered cash stays in the cooperative; under
    ``"cash"`` (a return of capital, which the general assembly must approve) all the
    cash the rule allows is paid. Distributions never go negative and a deficit is made
    good first. In the last month the working cash is no longer kept back.

    **Reserve uses** (``cooperative.reserve_uses``): ``"inverter_replacement"`` pays the
    replacement from the precautionary reserve up to its balance;
    ``"instalment_shortfall"`` pays, from the precautionary reserve, what the families'
    part of the month's distribution lacks to cover their instalments. The legal reserve
    is never drawn.

    **Interest** (:func:`deposit_interest`): the cash and reserves held at the end of a
    month (working cash, legal, precautionary and replacement reserves) earn
    ``deposit_rate_per_month`` in the next; the interest is income, taxed and
    appropriated like the rest.

    **End of life** (``cooperative.end_of_life_settlement``): ``"kept"`` keeps the
    reserves and any cash beyond distributable profit with the cooperative; otherwise
    both reserves are released in the last month and all cash is paid out (the
    owed bills, under ``"owed_collected_and_distributed"``, are collected by the caller
    into the last month).

    Interest on last month's holdings makes each month depend on the one before, so the
    books are kept by one loop over months; every step in it works on all paths at once.
    """
    collected = np.asarray(collected_rial, float)
    shape = np.broadcast_shapes(
        collected.shape,
        np.shape(operating_costs_rial),
        np.shape(debt_service_rial),
        np.shape(replacement_reserve_rial),
        np.shape(replacement_spent_rial),
        np.shape(deposit_rate_per_month),
        np.shape(instalments_due_rial),
    )
    n_months = shape[-1]

    def by_month(values):
        """Month-major rows: (months, ...) when the values differ by path, else (months,),
        whose rows are plain numbers (no copy over the paths)."""
        array = np.asarray(values, float)
        if array.ndim <= 1:
            return np.broadcast_to(array, (n_months,))
        return np.ascontiguousarray(np.moveaxis(np.broadcast_to(array, shape), -1, 0))

    collected = by_month(collected)
    costs = by_month(operating_costs_rial)
    depreciation = by_month(depreciation_rial)
    debt_service = by_month(debt_service_rial)
    debt_interest = by_month(debt_interest_rial)
    replacement_in = by_month(replacement_reserve_rial)
    replacement_spent = by_month(replacement_spent_rial)
    rate = by_month(deposit_rate_per_month)
    tax_rate = cooperative.income_tax_rate * (1 - cooperative.tax_discount)
    if tax_rate_by_path is not None:
        tax_rate = np.broadcast_to(np.asarray(tax_rate_by_path, float), shape[:-1])
    if tax_exempt_years_by_path is None:
        taxed = np.asarray(operating_year) > cooperative.tax_exempt_years  # (months,)
    else:  # (months, paths): which paths pay tax in each month
        exempt_years = np.broadcast_to(np.asarray(tax_exempt_years_by_path), shape[:-1])
        taxed = np.asarray(operating_year).reshape((-1,) + (1,) * len(shape[:-1])) > exempt_years
        flat = taxed.reshape(n_months, -1)
        every_path_taxed, some_path_taxed = flat.all(axis=1), flat.any(axis=1)
    kept_back = cooperative.working_cash_months * costs
    replacement_balance = running(np.add, replacement_in, axis=0)

    def moves(rows) -> np.ndarray:
        """Which months' rows hold anything but +0.0 (subtracting +0.0 changes no number)."""
        flat = np.asarray(rows).reshape(n_months, -1)
        return (flat != 0).any(axis=1) | np.signbit(flat).any(axis=1)

    depreciation_moves, debt_interest_moves, debt_service_moves = (
        moves(depreciation), moves(debt_interest), moves(debt_service)
    )
    replacement_in_moves, replacement_spent_moves = moves(replacement_in), moves(replacement_spent)
    use_for_replacement = "inverter_replacement" in cooperative.reserve_uses
    use_for_instalments = "instalment_shortfall" in cooperative.reserve_uses
    instalments = by_month(instalments_due_rial) if use_for_instalments else None
    profit_rule = cooperative.distribution_rule == "profit"
    settle_out = cooperative.end_of_life_settlement != "kept"
    legal_share = cooperative.legal_reserve_share
    legal_cap = cooperative.legal_reserve_cap_share_of_capital * share_capital_rial
    precautionary_share = cooperative.precautionary_reserve_share
    fee_share = cooperative.education_fee_share

    asked = set(BOOK_LINES if lines is None else lines)
    unknown = sorted(asked - set(BOOK_LINES))
    if unknown:
        raise InputError(f"lines = {unknown[0]!r} is not a line of the books: choose from {list(BOOK_LINES)}")
    if "reserves_rial" in asked:
        asked |= {"legal_reserve_rial", "precautionary_reserve_rial"}
    batch = shape[:-1]
    out = {}

    def month_rows(name):
        """Row t of a line (a view), written in month t: of a (months, ...) array when the
        line is asked for, else the same reused row every month."""
        if name not in asked:
            return [np.zeros(batch)] * n_months
        drawn_some_months = name in ("reserve_paid_for_replacement_rial", "reserve_paid_for_instalments_rial")
        out[name] = (np.zeros if drawn_some_months else np.empty)((n_months,) + batch)
        return [out[name][t, ...] for t in range(n_months)]  # views, also of a single path

    # The recursion below is the one of tax_on_account, appropriations, reserve_draw,
    # deposit_interest and cumulative_distribution, written in place on each month's row
    # of the output (the same operations in the same order, so the same numbers): a
    # Monte Carlo runs it for thousands of paths, 300 times a chunk.
    interest_row, profit_row = month_rows("interest_earned_rial"), month_rows("profit_before_tax_rial")
    tax_row, legal_row = month_rows("tax_rial"), month_rows("legal_reserve_rial")
    precautionary_row, fee_row = month_rows("precautionary_reserve_rial"), month_rows("education_fee_rial")
    distributable_row = month_rows("distributable_profit_rial")
    replacement_draw_row = month_rows("reserve_paid_for_replacement_rial")
    instalment_draw_row = month_rows("reserve_paid_for_instalments_rial")
    distributed_row, cash_row = month_rows("distributed_rial"), month_rows("cash_balance_rial")
    # running totals of the last smoothing_months + 1 months: month t in row t % length
    length = smoothing_months + 1
    cumulative_net_history = [np.empty(batch) for _ in range(length)]
    distributable_history = [np.empty(batch) for _ in range(length)]
    cumulative_taxable = np.zeros(batch)
    taxed_max = np.zeros(batch)
    taxed_max_before = np.zeros(batch)
    cumulative_after_tax = np.zeros(batch)
    appropriable = np.zeros(batch)
    appropriable_before = np.zeros(batch)
    legal_total = np.zeros(batch)
    legal_total_before = np.zeros(batch)
    precautionary_balance = np.zeros(batch)
    distributable_window_sum = np.zeros(batch)
    # running totals are kept in the history rows: row t is the total after month t
    distributable_total_before = np.zeros(batch)
    cumulative_net_before = np.full(batch, float(initial_cash_rial))
    gross = np.zeros(batch)
    distributed_total = np.zeros(batch)
    distributed_total_before = np.zeros(batch)
    window_sum = np.zeros(batch)
    holdings = np.full(batch, float(initial_cash_rial))
    new_profit = np.zeros(batch)
    cash_target = np.zeros(batch)
    limit = np.zeros(batch)
    scratch = np.zeros(batch)
    for t in range(n_months):  # a monthly recursion (interest on last month's holdings)
        last = t == n_months - 1
        interest, profit, tax = interest_row[t], profit_row[t], tax_row[t]
        legal, precautionary, fee = legal_row[t], precautionary_row[t], fee_row[t]
        # deposit_interest
        np.maximum(holdings, 0.0, out=interest)
        interest *= rate[t]
        np.add(collected[t], interest, out=gross)  # cash in less operating costs
        gross -= costs[t]
        if depreciation_moves[t]:
            np.subtract(gross, depreciation[t], out=profit)
        else:
            profit[...] = gross
        if debt_interest_moves[t]:
            profit -= debt_interest[t]
        if taxed.ndim == 1:
            cumulative_taxable += profit if taxed[t] else 0.0
        elif every_path_taxed[t]:
            cumulative_taxable += profit
        elif some_path_taxed[t]:
            np.add(cumulative_taxable, profit, out=cumulative_taxable, where=taxed[t])
        # tax_on_account
        taxed_max, taxed_max_before = taxed_max_before, taxed_max
        np.maximum(taxed_max_before, cumulative_taxable, out=taxed_max)
        np.subtract(taxed_max, taxed_max_before, out=tax)
        tax *= tax_rate
        cumulative_after_tax += profit
        cumulative_after_tax -= tax
        # appropriations
        appropriable, appropriable_before = appropriable_before, appropriable
        np.maximum(appropriable_before, cumulative_after_tax, out=appropriable)
        np.subtract(appropriable, appropriable_before, out=new_profit)
        legal_total, legal_total_before = legal_total_before, legal_total
        np.multiply(legal_share, appropriable, out=legal_total)
        np.minimum(legal_total, legal_cap, out=legal_total)
        np.subtract(legal_total, legal_total_before, out=legal)
        np.multiply(precautionary_share, new_profit, out=precautionary)
        np.multiply(fee_share, new_profit, out=fee)
        distributable = distributable_row[t]  # views: rows of the output
        np.subtract(new_profit, legal, out=distributable)
        distributable -= precautionary
        distributable -= fee
        precautionary_balance += precautionary
        if use_for_replacement:  # reserve_draw
            for_replacement = replacement_draw_row[t]
            np.maximum(precautionary_balance, 0.0, out=for_replacement)
            np.minimum(for_replacement, np.maximum(replacement_spent[t], 0.0), out=for_replacement)
            precautionary_balance -= for_replacement
            precautionary -= for_replacement
        distributable_total = distributable_history[t % length]
        np.add(distributable_total_before, distributable, out=distributable_total)
        distributable_total_before = distributable_total
        if last and settle_out:  # both reserves released into the last month's cash
            legal -= legal_total
            precautionary -= precautionary_balance
            legal_total = np.zeros(batch)
            precautionary_balance = np.zeros(batch)
        net = scratch
        if debt_service_moves[t]:
            np.subtract(gross, debt_service[t], out=net)
        else:
            net[...] = gross
        net -= tax
        net -= legal
        net -= precautionary
        net -= fee
        if replacement_in_moves[t]:
            net -= replacement_in[t]
        if replacement_spent_moves[t]:
            net -= replacement_spent[t]
        if last:
            net -= end_of_life_rial
        cumulative_net = cumulative_net_history[t % length]
        np.add(cumulative_net_before, net, out=cumulative_net)
        cumulative_net_before = cumulative_net
        window_sum += cumulative_net
        if t >= smoothing_months:
            window_sum -= cumulative_net_history[(t - smoothing_months) % length]
        if last:
            cash_target[...] = cumulative_net
        else:
            np.divide(window_sum, smoothing_months, out=cash_target)
            cash_target -= kept_back[t]
        # the profit is spread like the cash, so bills paid every two months still give
        # equal monthly payouts; in the last month all of it may be paid
        distributable_window_sum += distributable_total
        if t >= smoothing_months:
            distributable_window_sum -= distributable_history[(t - smoothing_months) % length]
        # cumulative_distribution: within the cash and (by law) the smoothed profit
        if profit_rule and not (last and settle_out):
            if last:
                limit[...] = distributable_total
            else:
                np.divide(distributable_window_sum, smoothing_months, out=limit)
            np.minimum(cash_target, limit, out=cash_target)
        np.maximum(cash_target, 0.0, out=cash_target)
        distributed_total, distributed_total_before = distributed_total_before, distributed_total
        np.maximum(distributed_total_before, cash_target, out=distributed_total)
        distributed = distributed_row[t]
        np.subtract(distributed_total, distributed_total_before, out=distributed)
        if use_for_instalments:  # reserve_draw
            for_instalments = instalment_draw_row[t]
            np.multiply(families_share_of_distribution, distributed, out=scratch)
            np.subtract(instalments[t], scratch, out=scratch)
            np.maximum(scratch, 0.0, out=scratch)
            np.maximum(precautionary_balance, 0.0, out=for_instalments)
            np.minimum(for_instalments, scratch, out=for_instalments)
            precautionary_balance -= for_instalments
            precautionary -= for_instalments
        cash = cash_row[t]
        np.subtract(cumulative_net, distributed_total, out=cash)
        np.add(cash, legal_total, out=holdings)
        holdings += precautionary_balance
        holdings += replacement_balance[t]
    out = {name: np.moveaxis(values, 0, -1) for name, values in out.items()}
    if "reserves_rial" in asked:
        out["reserves_rial"] = out["legal_reserve_rial"] + out["precautionary_reserve_rial"]
    for name, rows in (
        ("debt_service_rial", debt_service),
        ("replacement_reserve_rial", replacement_in),
        ("replacement_spent_rial", replacement_spent),
    ):
        if name not in asked:
            continue
        if rows.ndim == 1:  # the same on every path: a read-only view, not a copy per path
            out[name] = np.broadcast_to(rows, shape)
        else:  # month-major rows made here (by_month copies), or a copy of the caller's
            line = np.moveaxis(rows, 0, -1)
            out[name] = line if rows.flags.owndata else line.copy()
    if "end_of_life_rial" in asked:
        out["end_of_life_rial"] = np.zeros(shape)
        out["end_of_life_rial"][..., -1] = end_of_life_rial
    return {name: out[name] for name in BOOK_LINES if name in out and (lines is None or name in lines)}


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


def class_payouts(distributed_rial, families, shares_per_family, instalment_rial, shortfall=None) -> dict[str, np.ndarray]:
    """Split the families' distribution over member classes by shares, then deduct loans.

    Parameters
    ----------
    distributed_rial : array_like
        What the cooperative distributes to all families [rial], shape (..., months).
    families, shares_per_family : array_like
        Per class, shape (classes,) [families], [shares/family].
    instalment_rial : array_like
        Each class's instalment per family [rial], shape (classes, months).
    shortfall : sequence of {"debited", "arrears"}, optional
        Each class's loan practice (:class:`~solarcoop.finance.Loan`); default
        ``"arrears"`` for every class.

    Returns
    -------
    dict of numpy.ndarray
        Per family of each class, shape (..., classes, months):
        ``distribution_per_family_rial`` and the lines of :func:`family_payouts`.

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
    practices = ["arrears"] * len(families) if shortfall is None else list(shortfall)
    debited = np.array([p == "debited" for p in practices])[:, None]
    by_practice = {p: family_payouts(per_family, instalment_rial, p) for p in set(practices)}
    if len(by_practice) == 1:
        lines = next(iter(by_practice.values()))
    else:
        lines = {
            key: np.where(debited, by_practice["debited"][key], by_practice["arrears"][key])
            for key in by_practice["debited"]
        }
    return {"distribution_per_family_rial": per_family, **lines}


def family_payouts(distribution_per_family_rial, instalment_rial, shortfall: str = "arrears") -> dict[str, np.ndarray]:
    r"""A family's month: its distribution, its loan instalment, and who covers a shortfall.

    The instalment is deducted at source from the distribution. When the distribution
    does not cover it:

    - ``shortfall="arrears"``: the shortfall becomes the family's arrears, recovered from
      later distributions before anything is paid out; it is never dropped. Arrears follow
      :math:`a_t = \max(0, a_{t-1} + i_t - d_t)`, written as
      :math:`a_t = Y_t - \min(0, \min_{k \le t} Y_k)` with :math:`Y = \sum (i - d)`.
    - ``shortfall="debited"``: the lender takes the rest from the family's own account;
      no arrears.

    Parameters
    ----------
    distribution_per_family_rial : array_like
        What the cooperative distributes to one family [rial], shape (..., months).
    instalment_rial : array_like
        The instalment due [rial], broadcastable.
    shortfall : {"arrears", "debited"}

    Returns
    -------
    dict of numpy.ndarray
        ``payout_rial`` (what reaches the family from the cooperative, never negative),
        ``paid_to_lender_rial`` (from the distribution and from the family's pocket),
        ``paid_from_pocket_rial`` (what the family pays its lender from its own money,
        never negative), ``arrears_rial`` (owed after the month) and
        ``family_cash_flow_rial`` = payout - paid from pocket: negative when the family
        pays from its own pocket.

    Examples
    --------
    >>> out = family_payouts([10.0, 0.0, 30.0], [20.0, 20.0, 20.0])
    >>> out["arrears_rial"].tolist(), out["payout_rial"].tolist()
    ([10.0, 30.0, 20.0], [0.0, 0.0, 0.0])
    >>> family_payouts([10.0, 0.0, 30.0], [20.0, 20.0, 20.0], "debited")["family_cash_flow_rial"].tolist()
    [-10.0, -20.0, 10.0]
    """
    distribution = np.asarray(distribution_per_family_rial, float)
    instalment = np.broadcast_to(np.asarray(instalment_rial, float), np.broadcast_shapes(distribution.shape, np.shape(instalment_rial)))
    distribution = np.broadcast_to(distribution, instalment.shape)
    if shortfall == "debited":
        pocket = np.maximum(instalment - distribution, 0.0)
        payout = distribution - instalment + pocket
        return {
            "payout_rial": payout,
            "paid_to_lender_rial": instalment,  # read-only views: the same every path and month
            "paid_from_pocket_rial": pocket,
            "arrears_rial": np.broadcast_to(0.0, instalment.shape),
            "family_cash_flow_rial": payout - pocket,
        }
    check_choice("shortfall", shortfall, ("arrears", "debited"))
    shortfall_total = running(np.add, instalment - distribution, axis=-1)
    arrears = shortfall_total - np.minimum(running(np.minimum, shortfall_total, axis=-1), 0.0)
    arrears_before = np.concatenate([np.zeros(arrears.shape[:-1] + (1,)), arrears[..., :-1]], axis=-1)
    payout = distribution - instalment + arrears - arrears_before
    return {
        "payout_rial": payout,
        "paid_to_lender_rial": distribution - payout,
        "paid_from_pocket_rial": np.zeros(payout.shape),
        "arrears_rial": arrears,
        "family_cash_flow_rial": payout,
    }
