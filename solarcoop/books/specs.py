"""The cooperative's inputs: its costs, members, rules, debt and who paid for the plant.

Immutable specs, checked when built: a bad value raises an ``InputError`` that names the
field, the value and what is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass

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
)
from solarcoop.fields import check_fields, declaration, declared, field
from solarcoop.finance import Loan, check_loan_terms

END_OF_LIFE_SETTLEMENTS = ("kept", "distributed", "owed_collected_and_distributed")
"""What becomes of the reserves, the cash and the bills still owed when the life ends."""

DISTRIBUTION_RULES = ("profit", "cash")
"""What the cooperative may pay its owners: net profit (the law) or all spare cash."""

RESERVE_USES = ("inverter_replacement", "instalment_shortfall")
"""What the precautionary reserve may pay for, when the general assembly allows it."""

GAP_SOURCES = ("grant", "sponsor_equity", "debt")
"""Sources that can take whatever of the capital cost the others leave."""

BOOKS_BASES = ("accrual", "cash")
"""When income is booked: when billed (accrual) or when the buyer pays (cash)."""

TAX_PAYMENTS = ("after_fiscal_year", "monthly_on_account")
"""When the tax on a year's profit leaves the cooperative's cash."""

GRANT_RULES = ("reduces_cost", "deferred_income")
"""How a grant towards the plant enters the books (Iranian Accounting Standard 10, IAS 20)."""

PAYOUT_CADENCES = ("monthly", "quarterly")
"""How often the cooperative pays its owners."""

PAYOUT_MONTHS = {"monthly": 1, "quarterly": 3}
"""Months between two payouts of each cadence."""

TAX_PAYMENT_MONTH_OF_NEXT_YEAR = 4
"""The month of the next fiscal year in which a year's tax is paid: legal persons file
their return and pay the tax due within four months after the fiscal year (Direct Taxes
Act art. 110), so at the latest in the fourth month (Tir)."""


def _loan_term(name: str, default, source: str):
    """A loan term of :class:`CooperativeDebt`: the unit and limits that :class:`Loan`
    declares for it (:func:`~solarcoop.finance.check_loan_terms` checks them), with the
    debt's own default and source."""
    terms = declaration(Loan, name)
    return field(
        default,
        unit=terms.unit,
        source=source,
        minimum=terms.minimum,
        maximum=terms.maximum,
        min_inclusive=terms.min_inclusive,
        max_inclusive=terms.max_inclusive,
        integer=terms.integer,
        kind=terms.kind,
    )


@declared
@dataclass(frozen=True)
class Costs:
    """Running costs of the plant and the cooperative, in first-year money."""

    capital_cost_rial_per_kwp: float | None = field(
        None,
        unit="rial/kWp",
        minimum=0,
        maximum=MAX_COST_RIAL_PER_KWP,
        optional=True,
        source=(
            "What the plant cost to build [rial/kWp]; used for funding, insurance, depreciation, NPV "
            "and LCOE. ``None`` (default): the plant cost what its stated sources paid, the "
            "families' shares with any grant, sponsor equity or debt given, so no gap is left. This "
            "is the central reading of who pays the rest of the plant (``funding_gap``, "
            ":mod:`solarcoop.disputed`): every comparable aggregated plant whose cost is public was "
            "paid wholly by the families' share loans (Abarkuh, 1.2 MW for 240 Relief Committee "
            "families, 360 bn rial, yazd.emdad.ir; Yazd's 5 MW for 1,000 Welfare Organization "
            "clients, 150 bn toman, khabareyazd 735582). For Qom it is 2.0e8 (20 million toman per "
            "kW: 400 shares of 1.5e9 rial for 3,000 kWp), below the 25-30 million toman per kW "
            "reported for Hamedan (IRIB 5585575, Oct 2025) and the 30 million of those plants (5 kW "
            "per 150-million-toman share): the reported 400 families or 3 MW may be inexact. The "
            "other readings put the cost at 3.0e8 (``disputed.MARKET_CAPITAL_COST_RIAL_PER_KWP``) "
            "with a gap of 300 bn rial that a grant, sponsor equity or a bank loan fills."
        ),
    )
    om_rial_per_kwp_year: float = field(
        2.1e6,
        unit="rial/kWp/year",
        minimum=0,
        maximum=MAX_YEARLY_COST_RIAL_PER_KWP,
        source=(
            "Operation and maintenance [rial/kWp/year]. Default 2.1e6: 0.7 % of the capital cost a "
            "year, the ratio of NREL ATB 2020's utility-PV O&M benchmark to its capital cost, applied "
            "to the Iranian cost because labour and parts are paid in rial. It is about 1.7 "
            "USD/kWp-year at 1,221,500 rial/USD (Dec 2025, open market); ATB's own 18 USD/kWdc-year "
            "would be 22 million rial, 7 % of the Iranian capital cost. No Iranian figure was found "
            "(low confidence)."
        ),
    )
    insurance_share_of_capital_per_year: float = field(
        0.003,
        unit="% of capital cost/year",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Insurance [fraction of capital cost/year]. Default 0.003, an assumption within the 1-2 % "
            "O&M-plus-insurance range guessed for Iran (low confidence)."
        ),
    )
    land_lease_rial_per_year: float = field(
        0.0,
        unit="rial/year",
        minimum=0,
        maximum=MAX_YEARLY_COST_RIAL,
        source=(
            "Land lease [rial/year]. Default 0: the 4.5 ha near Qom is assumed provided by the "
            "sponsor without rent (assumption; no lease was reported)."
        ),
    )
    management_rial_per_year: float = field(
        3.6e9,
        unit="rial/year",
        minimum=0,
        maximum=MAX_YEARLY_COST_RIAL,
        source=(
            "The cooperative's management, bookkeeping and audit [rial/year]. Default 3.6e9 (300 "
            "million rial a month; an assumption, low confidence)."
        ),
    )
    grid_fees_rial_per_kwh: float = field(
        0.0,
        unit="rial/kWh",
        minimum=0,
        maximum=MAX_PRICE_RIAL_PER_KWH,
        source=(
            "Grid, metering or dispatch fees per kWh sold [rial/kWh]. Default 0 (none reported for "
            "guaranteed-purchase sellers)."
        ),
    )
    escalation_per_year: float | None = field(
        None,
        unit="%/year",
        kind="rate",
        source="Yearly rise of all costs [fraction/year]; ``None`` (default) follows consumer prices.",
    )
    inverter_replacement_share_of_capital: float = field(
        0.05,
        unit="% of capital cost",
        kind="fraction",
        source=(
            "Cost of replacing the inverters [fraction of capital cost], in first-year money "
            "(escalated like the other costs). Default 0.05: an assumption (low confidence): "
            "inverters are a few per cent of a utility plant's installed cost in NREL's bottom-up "
            "benchmarks (Feldman et al. 2021, NREL/TP-6A20-77324); no Iranian quote was found. Set 0 "
            "if the O&M figure already covers the replacement."
        ),
    )
    inverter_replacement_year: int = field(
        12,
        unit="",
        minimum=2,
        integer=True,
        source=(
            "Operating year in whose first month the inverters are replaced [year], at least 2. "
            "Default 12: inverters are replaced about every 10-15 years (NREL ATB 2020). A "
            "replacement reserve is filled every month before it; a year after the plant's life means "
            "no replacement and no reserve."
        ),
    )
    decommissioning_share_of_capital: float = field(
        0.0,
        unit="% of capital cost",
        kind="fraction",
        source=(
            "Cost of dismantling the plant and restoring the land at the end of its life [fraction of "
            "capital cost], first-year money, paid in the last month. Default 0: an assumption that "
            "it is met by the salvage value (below)."
        ),
    )
    salvage_share_of_capital: float = field(
        0.0,
        unit="% of capital cost",
        kind="fraction",
        source=(
            "What modules, steel and cables fetch at the end of the life [fraction of capital cost], "
            "first-year money, received in the last month. Default 0 (assumption, see above)."
        ),
    )
    discount_rate_real_per_year: float = field(
        0.10,
        unit="%/year",
        kind="rate",
        maximum=1.0,
        source=(
            "Real discount rate for NPV and LCOE [fraction/year]. Default 0.10: the highest of the "
            "three real rates (3, 7 and 10 %) used by IEA and NEA, Projected Costs of Generating "
            "Electricity 2020, chosen for Iran's high country risk (assumption). The nominal rate "
            "each month follows from it and the CPI path (Fisher)."
        ),
    )
    depreciation_years: int = field(
        20,
        unit="years",
        minimum=1,
        maximum=100,
        integer=True,
        source=(
            "Years over which the capital cost is written off for tax, straight line [years]. Default "
            "20, the guaranteed-purchase contract's term (assumption: the rate of the Direct Taxes "
            "Act's depreciation table for solar plants was not found). It does not depend on how many "
            "years are simulated."
        ),
    )

    def __post_init__(self):
        check_fields(self, "costs")

@declared
@dataclass(frozen=True)
class Cooperative:
    """The cooperative: its members, taxes, reserves and how it pays out."""

    families: int = field(
        400,
        unit="",
        minimum=1,
        maximum=MAX_FAMILIES,
        integer=True,
        source=(
            "Member families. Default 400 (Mohebban Karimeh cooperative, Qom; news report, September "
            "2025). 1 to 1,000,000 (``MAX_FAMILIES``). With ``Scenario.member_classes`` it must equal "
            "their total; without, all families hold one share each and repay ``Scenario.loan``."
        ),
    )
    income_tax_rate: float = field(
        0.25,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source="Corporate income-tax rate [fraction]. Default 0.25 (Direct Taxes Act, art. 105).",
    )
    tax_discount: float = field(
        0.25,
        unit="%",
        kind="fraction",
        source=(
            "Share of the tax forgiven [fraction]. Default 0.25: the 25 % discount for cooperatives "
            "(Article 44 implementation law). Full exemption (art. 133) applies only to some kinds of "
            "cooperative; set 1.0 for those."
        ),
    )
    tax_exempt_years: int = field(
        0,
        unit="years",
        minimum=0,
        integer=True,
        source=(
            "First operating years with no income tax [years]. Default 0 (exemptions for production "
            "units, art. 132, were amended in 1394; current text not found)."
        ),
    )
    legal_reserve_share: float = field(
        0.05,
        unit="% of profit after tax",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Share of profit after tax put to the legal reserve [fraction]. Default 0.05 (Cooperative "
            "Sector Law, secondary summary: at least 5 %)."
        ),
    )
    legal_reserve_cap_share_of_capital: float = field(
        0.25,
        unit="% of members' capital",
        minimum=0,
        source=(
            "The legal reserve stops growing at this share of the members' capital [fraction]. "
            "Default 0.25 (same law: until it reaches a quarter of capital)."
        ),
    )
    precautionary_reserve_share: float = field(
        0.05,
        unit="% of profit after tax",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Share of profit after tax put to a precautionary reserve [fraction]. Default 0.05 (same "
            "law: up to 5 %)."
        ),
    )
    education_fee_share: float = field(
        0.04,
        unit="% of profit after tax",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Cooperation-and-education fee paid out of profit after tax [fraction]. Default 0.04 "
            "(same law: 4 %)."
        ),
    )
    working_cash_months: float = field(
        3.0,
        unit="months of costs",
        minimum=0,
        maximum=120,
        source="Working cash kept back, in months of operating costs [months]. Default 3 (assumption).",
    )
    smoothing_months: int | None = field(
        None,
        unit="months",
        minimum=1,
        maximum=24,
        integer=True,
        source=(
            "Distributions are spread so that each month pays the average of this many months' net "
            "cash; ``None`` (default) uses the billing period, so bills paid every two months become "
            "equal monthly payouts."
        ),
    )
    share_price_rial: float | None = field(
        None,
        unit="rial",
        minimum=0,
        maximum=MAX_FAMILY_LOAN_RIAL,
        source=(
            "Paid-in capital of one share [rial]; the members' capital (which caps the legal reserve) "
            "is the number of shares times this. ``None`` (default): the share costs what the family "
            "borrowed for it, ``Scenario.loan.principal_rial``, and follows it when the loan changes "
            "(in Qom each family's share was its 150-million-toman loan; news report, September "
            "2025). Give a number when the share was paid otherwise (a provincial grant of 20-30 "
            "million toman beside the loan, savings)."
        ),
    )
    distribution_rule: str = field(
        "profit",
        unit="",
        choices=DISTRIBUTION_RULES,
        source=(
            'What the cooperative pays its owners. ``"profit"`` (default): net profit after tax, the '
            "legal and precautionary reserves and the education fee, as the Cooperative Sector Law "
            "(art. 25) divides it, limited by the cash at hand; cash sheltered by depreciation stays "
            'in the cooperative (and earns the deposit rate). ``"cash"``: all spare cash, '
            "depreciation included: paying out more than profit is a return of capital that only the "
            "general assembly can decide."
        ),
    )
    reserve_uses: tuple[str, ...] = field(
        (),
        unit="",
        source=(
            "What the precautionary reserve may pay for, each an assembly decision. Default ``()``: "
            "nothing (the law lets the assembly decide; no decision was reported), so the inverters "
            'are paid from their own replacement reserve. With ``"inverter_replacement"`` no separate '
            "replacement reserve is built and the precautionary reserve pays the replacement up to "
            'its balance; with ``"instalment_shortfall"`` it pays what the families\' distribution '
            "lacks to cover their loan instalments in a month (the legal reserve is never drawn)."
        ),
    )
    end_of_life_settlement: str = field(
        "kept",
        unit="",
        choices=END_OF_LIFE_SETTLEMENTS,
        source=(
            'What happens in the last month. ``"kept"`` (default): the reserves, cash beyond '
            "distributable profit and bills still owed stay with the cooperative (the law keeps the "
            "legal reserve from members: Cooperative Companies Law 1350 art. 15); the summary shows "
            'each in money of the first month. ``"distributed"``: the precautionary reserve is '
            "released and all cash is paid out (a dissolution), except the legal reserve, which is "
            "indivisible among the members (Cooperative Companies Law 1350 art. 15: the legal reserve "
            "account is not divisible) and stays with the cooperative for the body the law names. "
            '``"owed_collected_and_distributed"``: the same, and the bills still owed are collected '
            "at face value in the last month (in truth later, and often in bonds) and paid out "
            "after tax."
        ),
    )
    books_basis: str = field(
        "accrual",
        unit="",
        choices=BOOKS_BASES,
        source=(
            'When income is booked. ``"accrual"`` (default): a bill is income when it is issued, and '
            "what the buyer has not yet paid is a receivable; profit, tax, the reserves and what may "
            "be distributed follow the bills. A legal person keeps its books and files its return on "
            "them (Direct Taxes Act art. 110: the return with the balance sheet and the profit-and-"
            'loss account from the books). ``"cash"``: income only when the buyer pays, the view of '
            "a planner who doubts that the buyer's arrears (government debt, settled late and in "
            "bonds) will ever be paid: no profit, tax or distribution rests on them."
        ),
    )
    tax_paid: str = field(
        "after_fiscal_year",
        unit="",
        choices=TAX_PAYMENTS,
        source=(
            'When the tax leaves the cash. ``"after_fiscal_year"`` (default): the tax on a fiscal '
            "year's profit is owed at the year's close (tax payable) and paid with the return, "
            "within four months after the year (Direct Taxes Act art. 110), in the fourth month of "
            "the next; the last year's tax is paid in the plant's last month. "
            '``"monthly_on_account"``: paid in the month the profit is made.'
        ),
    )
    grant_rule: str = field(
        "reduces_cost",
        unit="",
        choices=GRANT_RULES,
        source=(
            'How a grant towards the plant enters the books. ``"reduces_cost"`` (default): the grant '
            "is deducted from the plant's cost, so only what the owners and lenders paid is "
            'depreciated. ``"deferred_income"``: the plant keeps its full cost and the grant is a '
            "deferred income released into profit over the depreciation period. Both are allowed by "
            "Iranian Accounting Standard 10 (government grants) and IAS 20 (para. 24); they give the "
            "same profit and tax each year and differ only on the balance sheet."
        ),
    )
    working_cash_rate_share_of_deposit_rate: float = field(
        10 / 18,
        unit="%",
        kind="fraction",
        source=(
            "What working cash earns, as a share of the deposit rate "
            "(``economy.deposit_rate_per_year``, a one-year rate) [fraction]. Working cash is drawn "
            "every month, so it sits in a short-term account; the reserve funds, which are not "
            "drawn, earn the one-year rate. Default 10/18: the Central Bank's circular of December "
            "2021 held banks to 10 % a year on short-term and 18 % on one-year deposits "
            "(news-sky.ir, 31 Dec 2021; medium confidence: the caps rose since, to 23 % for one "
            "year in December 2022, and the ratio is kept). 1 gives working cash the one-year "
            "rate."
        ),
    )
    payout_cadence: str = field(
        "quarterly",
        unit="",
        choices=PAYOUT_CADENCES,
        source=(
            'How often the owners are paid: ``"monthly"``, or ``"quarterly"`` (every third month '
            "from the first payout month). Default quarterly, the central reading of ``payout`` "
            "(:mod:`solarcoop.disputed`, drawn with the first payout month and ``loan.shortfall``): "
            "the Abarkuh aggregated plant of Relief Committee families paid every three months, "
            "after the first quarter, net of the instalments (yazd.emdad.ir; one report); monthly "
            "is the other reading. What a month without a payout would have paid waits for the "
            "next payout."
        ),
    )
    first_payout_month_index: int = field(
        3,
        unit="",
        minimum=0,
        integer=True,
        source=(
            "Accounting month of the first payout (0 = first month of operation). Default 3, after "
            "the first quarter (the Abarkuh plant's first payout covered its first three months, "
            "yazd.emdad.ir), the central reading of ``payout`` (:mod:`solarcoop.disputed`); 0, "
            "from the first operating month, goes with the monthly readings. Payouts within a "
            "fiscal year are advances against its profit; at the year's close they are trued up "
            "(see ``Cooperative``'s books)."
        ),
    )
    starting_cash_rial: float = field(
        0.0,
        unit="rial",
        minimum=0,
        maximum=MAX_STOCK_RIAL,
        source=(
            "Cash the cooperative holds on the first day of operation [rial], for the costs it pays "
            "before the first bill is settled. Default 0: none was reported, so a negative working "
            "cash in the first months shows what must be lent to it "
            '(``summary["cash_balance_min_rial"]``).'
        ),
    )

    def __post_init__(self):
        check_fields(self, "cooperative")
        appropriated = (
            self.legal_reserve_share + self.precautionary_reserve_share + self.education_fee_share
        )
        if appropriated >= 1:
            raise InputError(
                f"cooperative reserve and fee shares add up to {appropriated:g}: they must stay "
                "below 1 so that something is left to distribute"
            )
        if isinstance(self.reserve_uses, str) or not isinstance(self.reserve_uses, tuple | list):
            raise InputError(
                f"cooperative.reserve_uses = {self.reserve_uses!r} must be a list of uses from {RESERVE_USES}"
            )
        for use in self.reserve_uses:
            check_choice("cooperative.reserve_uses", use, RESERVE_USES)
        object.__setattr__(self, "reserve_uses", tuple(self.reserve_uses))

    @property
    def tax_rate_after_discount(self) -> float:
        """Income-tax rate after the cooperative discount [fraction]: the rate the books
        charge on each new high of cumulative taxable profit.

        >>> Cooperative(income_tax_rate=0.25, tax_discount=0.25).tax_rate_after_discount
        0.1875
        """
        return self.income_tax_rate * (1 - self.tax_discount)


@declared
@dataclass(frozen=True)
class MemberClass:
    """Families holding the same number of shares and repaying the same loan.

    Examples
    --------
    >>> MemberClass("5 kW shares", families=200, shares_per_family=5).families
    200
    >>> MemberClass("empty", families=0)
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: member_classes['empty'].families = 0 is out of range: allowed 1 <= value <= 1,000,000
    """

    name: str = field(
        unit="",
        source="A label for tables and charts (unique within a scenario).",
    )
    families: int = field(
        unit="",
        minimum=1,
        maximum=MAX_FAMILIES,
        integer=True,
        source="Families in the class, at least 1.",
    )
    shares_per_family: float = field(
        1.0,
        unit="shares",
        minimum=0,
        maximum=10_000,
        min_inclusive=False,
        source=(
            "Shares each family holds [shares], > 0; distributions are split by shares. May be "
            "fractional, e.g. kW of plant per family (7.5 in Qom, 5 elsewhere)."
        ),
    )
    loan: Loan | None = field(
        None,
        unit="",
        source=(
            "Each family's share loan, its instalment deducted from the distribution; ``None`` "
            "(default) uses the scenario's ``loan``."
        ),
    )

    def __post_init__(self):
        if not isinstance(self.name, str) or not self.name:
            raise InputError(f"member_classes name = {self.name!r} must be a non-empty string")
        where = f"member_classes[{self.name!r}]"
        check_fields(self, where)
        if self.loan is not None and not isinstance(self.loan, Loan):
            raise InputError(f"{where}.loan = {self.loan!r} must be a Loan or None")


@declared
@dataclass(frozen=True)
class CooperativeDebt:
    """A loan the cooperative itself takes for part of the plant, serviced before distributions.

    When ``funding.gap_filled_by == "debt"`` the gap is borrowed on these terms, on top
    of any amount given here.

    Examples
    --------
    >>> CooperativeDebt(share_of_capital_cost=0.7).loan(1e12).principal_rial
    700000000000.0
    >>> CooperativeDebt(principal_rial=3e11).loan(1e12).principal_rial
    300000000000.0
    """

    share_of_capital_cost: float = field(
        0.0,
        unit="% of capital cost",
        kind="fraction",
        source="Amount borrowed [fraction of capital cost], 0 to 1. Default 0.",
    )
    principal_rial: float | None = field(
        None,
        unit="rial",
        minimum=0,
        source=(
            "Amount borrowed [rial], in place of ``share_of_capital_cost`` (give one of the two). "
            "Default ``None``."
        ),
    )
    annual_rate: float = _loan_term(
        "annual_rate",
        0.14,
        (
            "Yearly rate [fraction/year], monthly compounding. Default 0.14: SATBA's commercial loan "
            "for 1-3 MW plants, which lends up to 70 % of the cost (SATBA)."
        ),
    )
    term_months: int = _loan_term(
        "term_months",
        60,
        "Months from the first payment to the last, grace included. Default 60 (SATBA).",
    )
    grace_months: int = _loan_term(
        "grace_months",
        12,
        "First months with interest only. Default 12: SATBA allows up to 12 months.",
    )
    first_month_index: int = _loan_term(
        "first_month_index",
        0,
        "Accounting month of the first payment (0 = first month of operation). Default 0.",
    )

    def __post_init__(self):
        check_fields(self, "debt", names=("share_of_capital_cost", "principal_rial"))
        if self.principal_rial is not None and self.share_of_capital_cost != 0:
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


@declared
@dataclass(frozen=True)
class Funding:
    """Who paid for the plant besides the families' shares and the cooperative's debt.

    The families' shares (``cooperative.share_price_rial`` times the shares held), a
    grant, sponsor equity and the cooperative's debt (``debt``) must add up to the
    capital cost; :func:`~solarcoop.books.capital.funding_sources` checks it.

    Examples
    --------
    >>> Funding(grant_rial=-1)
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: funding.grant_rial = -1 is out of range: allowed 0 <= value
    """

    grant_rial: float = field(
        0.0,
        unit="rial",
        minimum=0,
        source="Money given towards the plant [rial]: no repayment, no claim on the income. Default 0.",
    )
    sponsor_equity_rial: float = field(
        0.0,
        unit="rial",
        minimum=0,
        source=(
            "Capital put in by a sponsor [rial]; it owns that part of the capital and takes the same "
            "share of every distribution as its part of the owners' capital. Default 0 (plus the gap, "
            "see below)."
        ),
    )
    sponsor_name: str | None = field(
        None,
        unit="",
        source=(
            'Who the sponsor is, for the texts. Default ``None``: "the sponsor" ("Imam Khomeini Relief '
            'Committee" in ``qom_baseline``).'
        ),
    )
    gap_filled_by: str | None = field(
        "sponsor_equity",
        unit="",
        choices=GAP_SOURCES,
        optional=True,
        source=(
            "The source that takes whatever of the capital cost the others leave (the gap). ``None``: "
            'no source does, and a gap is refused. Default ``"sponsor_equity"``, which fills no gap at '
            "the default: the plant cost what the families' shares paid (``costs.capital_cost_rial_per_kwp``; "
            "the central reading ``shares_cover_the_cost`` of ``funding_gap`` in :mod:`solarcoop.disputed`). "
            "When a scenario leaves a gap (a cost per kWp above what its shares paid), the readings "
            "give it to sponsor equity (0.10), a 14 % bank loan (0.15) or a grant (0.20); the default "
            "for such a gap stays sponsor equity, the harshest of the three for the families (it "
            "takes its part of every distribution for the whole life), so that a planner who leaves "
            "a gap sees the cautious case. No sponsor "
            "stake was reported for this cooperative: the 3 MW Qom plant in about 600 shares of 5 kW "
            "(Mehr 6569792, YJC 8991753) is a Welfare Organization plant, and for home plants the "
            "Relief Committee acts only as facilitator (Mehr 6558337). Each source is one change "
            'away: ``{"funding.gap_filled_by": "grant"}`` or ``{"funding.gap_filled_by": "debt"}``.'
        ),
    )

    def __post_init__(self):
        check_fields(self, "funding")
        if self.sponsor_name is not None and (not isinstance(self.sponsor_name, str) or not self.sponsor_name.strip()):
            raise InputError(f"funding.sponsor_name = {self.sponsor_name!r} must be a non-empty string")
