"""Every monthly line of a run, declared once: name, unit, kind, where it comes from, meaning.

The lines are declared in the order of the columns of ``Result.monthly``; every other
list of lines (what the ledger takes in, the annual table, the lines of each member
class, what a Monte Carlo keeps) is a selection of these names, made here and checked
against them when the module loads.

>>> LINES["price_rial_per_kwh"].unit
'rial/kWh'
>>> REVENUE_LINES
('energy_kwh', 'priced_energy_kwh', 'price_rial_per_kwh', 'cpi_index', 'revenue_billed_rial', 'revenue_collected_rial')
"""

from __future__ import annotations

import dataclasses

KINDS = ("month", "energy", "price", "index", "money", "ratio")
"""What a line holds: a field of the accounting month, energy [kWh], a price [rial/kWh],
an index or a ratio [-], or money [rial]."""

SOURCES = ("calendar", "revenue", "books", "ledger", "collection", "run")
"""Where a line is made: the accounting months, what the ledger takes in (energy, price,
bills, cash collected), the books around the ledger (:func:`solarcoop.engine.book_paths`:
costs, capital and members), the ledger's month loop
(:func:`solarcoop.books.ledger.book_months`), the collection's other lines
(:func:`solarcoop.engine.collect_paths`), or the single run itself."""

_UNITS = {"energy": "kWh", "price": "rial/kWh", "money": "rial", "index": "-", "ratio": "-"}


@dataclasses.dataclass(frozen=True)
class Line:
    """One monthly line.

    Attributes
    ----------
    name : str
        The column name; its last part is the unit (``_kwh``, ``_rial``, ...).
    kind : str
        One of :data:`KINDS`.
    source : str
        One of :data:`SOURCES`.
    meaning : str
        What the line is, in a sentence.
    unit : str
        Derived from ``kind``: ``kWh``, ``rial/kWh``, ``rial`` or ``-`` (none for the
        month's fields).
    """

    name: str
    kind: str
    source: str
    meaning: str

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"line {self.name}: kind = {self.kind!r} must be one of {KINDS}")
        if self.source not in SOURCES:
            raise ValueError(f"line {self.name}: source = {self.source!r} must be one of {SOURCES}")

    @property
    def unit(self) -> str:
        return _UNITS.get(self.kind, "")


def _lines(source: str, *rows: tuple[str, str, str]) -> tuple[Line, ...]:
    return tuple(Line(name, kind, source, meaning) for name, kind, meaning in rows)


MONTHLY_LINES: tuple[Line, ...] = (
    *_lines(
        "calendar",
        ("operating_year", "month", "Operating year, 1 for the first twelve months of operation."),
        ("label", "month", "The accounting month, as year-month of the scenario's calendar."),
        ("start_date", "month", "First day of the month."),
        ("end_date", "month", "Day after the month's last day."),
        ("days", "month", "Days in the month."),
    ),
    *_lines(
        "revenue",
        ("energy_kwh", "energy", "Energy sold at the meter, after degradation and losses."),
        ("priced_energy_kwh", "energy", "The energy weighted by the time-of-use coefficient of each hour."),
        ("price_rial_per_kwh", "price", "Price paid for the month's energy, indexed."),
        ("cpi_index", "index", "Consumer prices relative to the first month."),
        ("revenue_billed_rial", "money", "The bill for the month's energy: priced energy times price."),
        ("revenue_collected_rial", "money", "Cash (and bonds) received from the buyer in the month."),
    ),
    *_lines(
        "books",
        ("operating_costs_rial", "money", "Operation, maintenance, insurance and land, paid."),
        ("income_rial", "money", "Income booked: the bills as issued (with penalties, less bond losses) on accrual; the cash collected on the cash basis."),
        ("depreciation_rial", "money", "The plant's and the replacement's cost written off, straight line (net of a grant that reduces the cost)."),
        ("grant_income_rial", "money", "A grant's deferred income released into profit (under the deferred-income rule)."),
    ),
    *_lines(
        "ledger",
        ("interest_earned_rial", "money", "Interest on the cash and reserves held at the end of last month."),
        ("profit_before_tax_rial", "money", "Income and interest less costs, depreciation, debt interest and the end of life."),
        ("tax_rial", "money", "Income tax on the month's profit (the expense)."),
        ("tax_paid_rial", "money", "Income tax paid: a fiscal year's after its close, or as it accrues."),
        ("legal_reserve_rial", "money", "Put into the legal reserve (negative when released at the end)."),
        ("precautionary_reserve_rial", "money", "Put into the precautionary reserve (negative when drawn)."),
        ("education_fee_rial", "money", "The education fee on profit."),
        ("distributable_profit_rial", "money", "Profit after tax, reserves and fee."),
        ("reserve_paid_for_replacement_rial", "money", "The precautionary reserve's payment for the replacement."),
        ("reserve_paid_for_instalments_rial", "money", "The precautionary reserve's payment of the families' instalments."),
        ("distributed_rial", "money", "Paid to the owners of the capital: families and sponsor."),
        ("distribution_advance_rial", "money", "The part of the payout that is an advance on the open fiscal year's profit."),
        ("distribution_true_up_rial", "money", "The part of the payout that settles a closed fiscal year's profit (its true-up)."),
        ("cash_balance_rial", "money", "Working cash at the end of the month."),
        ("reserves_rial", "money", "Put into the legal and precautionary reserves together."),
        ("debt_service_rial", "money", "The cooperative's debt instalment."),
        ("replacement_reserve_rial", "money", "Put into the inverter-replacement reserve (negative when drawn)."),
        ("replacement_spent_rial", "money", "Spent on the inverter replacement."),
        ("end_of_life_rial", "money", "Decommissioning less salvage, paid in the last month."),
    ),
    *_lines(
        "books",
        ("distributed_to_families_rial", "money", "The families' part of the distribution, with the reserve's instalments."),
        ("distributed_to_sponsor_rial", "money", "The sponsor's part of the distribution."),
        ("debt_interest_rial", "money", "The interest part of the debt instalment."),
        ("debt_balance_rial", "money", "Debt still owed at the end of the month."),
        ("cash_available_for_debt_service_rial", "money", "Collected less costs, tax and replacement."),
        ("debt_service_coverage_ratio", "ratio", "Cash available for debt service over debt service, by year."),
        ("replacement_reserve_balance_rial", "money", "Held in the inverter-replacement reserve."),
        ("reserves_balance_rial", "money", "Held in the legal and precautionary reserves."),
        ("distribution_per_family_rial", "money", "What the average family receives from the cooperative."),
        ("distribution_per_family_real_rial", "money", "The same in money of the first month."),
        ("loan_instalment_per_family_rial", "money", "The average family's loan instalment due."),
        ("paid_to_lender_per_family_rial", "money", "What the average family pays its lender."),
        ("paid_from_pocket_per_family_rial", "money", "What the average family pays its lender from its own pocket."),
        ("arrears_per_family_rial", "money", "The average family's unpaid instalments."),
        ("payout_per_family_rial", "money", "What reaches the average family after its loan instalment."),
        ("payout_per_family_real_rial", "money", "The same in money of the first month."),
        ("family_cash_flow_rial", "money", "The payout less what the family pays from its pocket."),
        ("family_cash_flow_real_rial", "money", "The same in money of the first month."),
        ("loan_balance_per_family_rial", "money", "What the average family still owes on its loan."),
    ),
    *_lines(
        "collection",
        ("revenue_bond_discount_rial", "money", "Lost selling the bonds the buyer paid in."),
        ("revenue_late_penalty_rial", "money", "Penalty added for late payment."),
    ),
    *_lines(
        "run",
        ("revenue_owed_rial", "money", "Billed and penalties due, less collected and lost on bonds, so far."),
    ),
)
"""Every line of ``Result.monthly``, in its order."""

REVENUE_OWED_AT_END = Line(
    "revenue_owed_at_end_rial", "money", "collection",
    "Bills still owed after the last month (one value per path, not per month).",
)  # fmt: skip

LINES: dict[str, Line] = {line.name: line for line in (*MONTHLY_LINES, REVENUE_OWED_AT_END)}
"""Every line by name."""

MONTHLY: tuple[str, ...] = tuple(line.name for line in MONTHLY_LINES)
"""The columns of ``Result.monthly``, in order."""

MONTH_FIELDS: tuple[str, ...] = tuple(line.name for line in MONTHLY_LINES if line.source == "calendar")
"""The accounting month's own columns, first in ``Result.monthly``."""

REVENUE_LINES: tuple[str, ...] = tuple(line.name for line in MONTHLY_LINES if line.source == "revenue")
"""What the ledger takes in each month (per path): the chain before the books."""

BOOK_LINES: tuple[str, ...] = tuple(line.name for line in MONTHLY_LINES if line.source == "ledger")
"""The lines :func:`solarcoop.books.ledger.book_months` returns, in the order of
``Result.monthly``."""

CLASS_LINES: tuple[str, ...] = (
    "distribution_per_family_rial",
    "loan_instalment_per_family_rial",
    "paid_to_lender_per_family_rial",
    "paid_from_pocket_per_family_rial",
    "payout_per_family_rial",
    "arrears_per_family_rial",
    "loan_balance_per_family_rial",
    "payout_per_family_real_rial",
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
)
"""Per-family lines of each member class (``Result.by_class``, from the ``class_*`` lines)."""

LEDGER_LINES: tuple[str, ...] = (
    *(line.name for line in MONTHLY_LINES if line.source in ("revenue", "books", "ledger")),
    REVENUE_OWED_AT_END.name,
    *(f"class_{name}" for name in CLASS_LINES),
)
"""The lines of :func:`solarcoop.engine.book_paths`, in the order of ``Result.monthly``
(then what is owed at the end and the ``class_*`` lines)."""

ANNUAL_SUMS: tuple[str, ...] = (
    "energy_kwh",
    "revenue_billed_rial",
    "revenue_collected_rial",
    "interest_earned_rial",
    "operating_costs_rial",
    "income_rial",
    "depreciation_rial",
    "tax_rial",
    "tax_paid_rial",
    "legal_reserve_rial",
    "precautionary_reserve_rial",
    "reserves_rial",
    "education_fee_rial",
    "distributable_profit_rial",
    "debt_service_rial",
    "debt_interest_rial",
    "cash_available_for_debt_service_rial",
    "replacement_reserve_rial",
    "replacement_spent_rial",
    "reserve_paid_for_replacement_rial",
    "reserve_paid_for_instalments_rial",
    "end_of_life_rial",
    "distributed_rial",
    "distribution_advance_rial",
    "distribution_true_up_rial",
    "distributed_to_families_rial",
    "distributed_to_sponsor_rial",
)
"""Lines summed over each operating year in ``Result.annual``, in its order."""

ANNUAL_STATISTICS: tuple[str, ...] = (
    "distribution_per_family_rial",
    "distribution_per_family_real_rial",
    "loan_instalment_per_family_rial",
    "payout_per_family_rial",
    "payout_per_family_real_rial",
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
    "paid_from_pocket_per_family_rial",
)
"""Per-family lines whose yearly mean, min and max ``Result.annual`` shows (``_mean`` ...)."""

ANNUAL_ENDS: tuple[str, ...] = (
    "cash_balance_rial",
    "reserves_balance_rial",
    "replacement_reserve_balance_rial",
    "debt_balance_rial",
    "loan_balance_per_family_rial",
    "arrears_per_family_rial",
)
"""Balances whose value at the end of each year ``Result.annual`` shows (``_end``)."""

CLASS_YEAR1_MEANS: tuple[str, ...] = (
    "distribution_per_family_rial",
    "loan_instalment_per_family_rial",
    "payout_per_family_rial",
    "payout_per_family_real_rial",
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
)
"""Per-family lines whose year-one mean ``Result.class_summary`` shows (``_mean_year1``)."""

LIFE_MEANS: tuple[str, ...] = (
    "distribution_per_family_real_rial",
    "payout_per_family_real_rial",
    "family_cash_flow_real_rial",
)
"""Real per-family lines whose mean over the life ``Result.summary`` shows (``_mean_life``)."""

MONTE_CARLO_KEPT: tuple[str, ...] = (
    "energy_kwh",
    "price_rial_per_kwh",
    "revenue_collected_rial",
    "distribution_per_family_rial",
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
)
"""Lines a Monte Carlo keeps for every path and month by default: the family's money (its
cash flow after the loan instalment, with its sign) nominal and real, and what leads to it (any line of
``Result.monthly`` from the books can be asked for with ``kept=``)."""

DEBT_KEPT: tuple[str, ...] = (
    "arrears_per_family_rial",
    "loan_instalment_per_family_rial",
    "cpi_index",
)
"""Lines a Monte Carlo keeps for what each path's family owes in withheld instalments
(:meth:`solarcoop.studies.montecarlo.MonteCarloResult.family_debt`, from
:func:`solarcoop.engine.family_debt`): the arrears, the instalments due (when the loan
ends) and consumer prices (the debt in real money)."""

TRACKING_KEPT: tuple[str, ...] = REVENUE_LINES + (
    "distributed_rial",
    "distribution_per_family_rial",
    "payout_per_family_rial",
    "payout_per_family_real_rial",
    "family_cash_flow_rial",
    "family_cash_flow_real_rial",
    "cash_balance_rial",
)
"""Lines kept for every path of a tracking's plan and forecast."""


def check_selection(selections: dict[str, tuple[str, ...]]) -> None:
    """Refuse a selection of lines that names an undeclared line or one line twice.

    Parameters
    ----------
    selections : dict of str to tuple of str
        Each selection's name and the lines it names (a ``class_`` line names the line
        after the prefix).

    Raises
    ------
    ValueError
        Naming the selection and its undeclared lines (or all its lines, when one is
        named twice).

    >>> check_selection({"KEPT": ("energy_kwh", "class_payout_per_family_rial")})
    >>> check_selection({"KEPT": ("energy_kwh", "energy_kwh")})
    Traceback (most recent call last):
    ...
    ValueError: KEPT: ('energy_kwh', 'energy_kwh') must be distinct declared lines
    """
    for selection, names in selections.items():
        unknown = [name for name in names if name not in LINES and name.removeprefix("class_") not in LINES]
        if unknown or len(set(names)) != len(names):
            raise ValueError(f"{selection}: {unknown or names} must be distinct declared lines")


check_selection(
    {
        "MONTHLY": MONTHLY, "BOOK_LINES": BOOK_LINES, "CLASS_LINES": CLASS_LINES, "LEDGER_LINES": LEDGER_LINES,
        "ANNUAL_SUMS": ANNUAL_SUMS, "ANNUAL_STATISTICS": ANNUAL_STATISTICS, "ANNUAL_ENDS": ANNUAL_ENDS,
        "CLASS_YEAR1_MEANS": CLASS_YEAR1_MEANS, "LIFE_MEANS": LIFE_MEANS,
        "MONTE_CARLO_KEPT": MONTE_CARLO_KEPT, "DEBT_KEPT": DEBT_KEPT, "TRACKING_KEPT": TRACKING_KEPT,
    }
)  # fmt: skip
