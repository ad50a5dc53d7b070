"""The three financial statements of each fiscal year, from the monthly books.

The income statement, the balance sheet and the cash-flow statement, each a
:class:`pandas.DataFrame` with one row per line (named by a key, in rial) and one
column per fiscal year of the scenario's calendar (the Jalali year by default; Iranian
companies close their books at the end of Esfand). Each is built from the lines of
``Result.monthly`` alone, so that they check the books rather than repeat them:

- the balance sheet balances at the end of every month
  (:func:`balance_sheet_by_month`, ``total_assets_rial`` equals
  ``total_liabilities_and_equity_rial``);
- the cash-flow statement ends at the balance sheet's cash and deposits;
- retained profit moves by profit after tax less appropriations and distributions.

The words of each line are in the catalogs (``[statements]`` in
``solarcoop/present/locales/<lang>.toml``); :func:`labelled` puts them on a statement.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd


@dataclasses.dataclass(frozen=True)
class Line:
    """A line of a table taken from a column of another: the line's key, the column it
    takes, and its sign (-1: what leaves, shown negative). The statements take their
    flows from the monthly books this way, the app its headline's figures from the
    headline's table."""

    key: str
    column: str
    sign: int = 1


def taken(lines: Sequence[Line], value: Callable[[str], object]) -> dict:
    """Each line's key with ``value(column)``, negated for a line of sign -1 (and never
    -0.0); in the order of ``lines``."""
    return {line.key: value(line.column) if line.sign == 1 else -value(line.column) + 0.0 for line in lines}


INCOME_STATEMENT_LINES = (
    "revenue_rial", "interest_income_rial", "grant_income_rial", "operating_costs_rial",
    "depreciation_rial", "debt_interest_rial", "end_of_life_rial", "profit_before_tax_rial",
    "tax_rial", "profit_after_tax_rial", "legal_reserve_rial", "precautionary_reserve_rial",
    "education_fee_rial", "distributable_profit_rial", "retained_profit_opening_rial",
    "distribution_advance_rial", "distribution_true_up_rial", "retained_profit_closing_rial",
)  # fmt: skip
"""The income statement's lines, then its appropriations (Cooperative Sector Law art. 25)
and the movement of retained profit, in order."""

BALANCE_SHEET_LINES = (
    "plant_net_book_value_rial", "receivables_rial", "working_cash_rial", "reserve_funds_rial",
    "total_assets_rial", "debt_rial", "tax_payable_rial", "deferred_grant_rial",
    "total_liabilities_rial", "members_shares_rial", "sponsor_equity_rial", "starting_cash_provided_rial",
    "legal_reserve_rial", "precautionary_reserve_rial", "retained_profit_rial", "total_equity_rial",
    "total_liabilities_and_equity_rial",
)  # fmt: skip
"""The balance sheet's lines at the end of a month or a fiscal year, in order."""

CASH_FLOW_LINES = (
    "cash_opening_rial", "collected_rial", "interest_received_rial", "operating_costs_paid_rial",
    "tax_paid_rial", "operating_cash_flow_rial", "replacement_paid_rial", "end_of_life_paid_rial",
    "investing_cash_flow_rial", "debt_service_paid_rial", "education_fee_paid_rial",
    "paid_to_owners_rial", "financing_cash_flow_rial", "cash_closing_rial",
)  # fmt: skip
"""The cash-flow statement's lines (direct method), in order; cash is the working cash and
the reserve funds' deposits together."""

INCOME_FLOWS = (
    Line("revenue_rial", "income_rial"), Line("interest_income_rial", "interest_earned_rial"),
    Line("grant_income_rial", "grant_income_rial"), Line("operating_costs_rial", "operating_costs_rial", -1),
    Line("depreciation_rial", "depreciation_rial", -1), Line("debt_interest_rial", "debt_interest_rial", -1),
    Line("end_of_life_rial", "end_of_life_rial", -1), Line("profit_before_tax_rial", "profit_before_tax_rial"),
    Line("tax_rial", "tax_rial", -1), Line("profit_after_tax_rial", "profit_after_tax_rial"),
    Line("legal_reserve_rial", "legal_reserve_rial", -1),
    Line("precautionary_reserve_rial", "precautionary_appropriated_rial", -1),
    Line("education_fee_rial", "education_fee_rial", -1), Line("distributable_profit_rial", "distributable_profit_rial"),
    Line("distribution_advance_rial", "distribution_advance_rial", -1),
    Line("distribution_true_up_rial", "distribution_true_up_rial", -1),
)  # fmt: skip
"""The income statement's lines that sum a month's flow over the year, and the monthly
column each takes (the rest are retained profit at the year's start and end)."""

CASH_FLOWS = (
    Line("collected_rial", "revenue_collected_rial"), Line("interest_received_rial", "interest_earned_rial"),
    Line("operating_costs_paid_rial", "operating_costs_rial", -1), Line("tax_paid_rial", "tax_paid_rial", -1),
    Line("replacement_paid_rial", "replacement_spent_rial", -1), Line("end_of_life_paid_rial", "end_of_life_rial", -1),
    Line("debt_service_paid_rial", "debt_service_rial", -1), Line("education_fee_paid_rial", "education_fee_rial", -1),
    Line("paid_to_owners_rial", "paid_to_owners_rial", -1),
)  # fmt: skip
"""The cash-flow statement's flows and the monthly column each takes (the rest are cash at
the year's start and end and the three subtotals)."""

STATEMENTS = ("income_statement", "balance_sheet", "cash_flow")
"""The statements :func:`statements` returns, in order."""


def fiscal_year(monthly: pd.DataFrame) -> np.ndarray:
    """The fiscal year of each month: the year of its label (``"1405-01"`` -> 1405)."""
    return monthly["label"].str.slice(0, 4).astype(int).to_numpy()


def balance_sheet_by_month(monthly: pd.DataFrame, sources: dict, cooperative) -> pd.DataFrame:
    """The balance sheet at the end of every month [rial], one row per month.

    Parameters
    ----------
    monthly : pandas.DataFrame
        ``Result.monthly``.
    sources : dict
        Who paid for the plant (:func:`solarcoop.engine.funding`).
    cooperative : Cooperative
        Its grant rule and starting cash.

    Returns
    -------
    pandas.DataFrame
        The :data:`BALANCE_SHEET_LINES`, indexed like ``monthly``.
    """
    m = monthly
    deferred = cooperative.grant_rule == "deferred_income"
    grant = sources["grant_rial"]
    plant_cost = sources["capital_cost_rial"] - (0.0 if deferred else grant)
    legal = m["legal_reserve_rial"].cumsum()
    # the precautionary reserve as equity: its line (appropriations less what it paid the
    # families and released) without what it paid for the replacement, which bought an
    # asset and left the equity as it was
    precautionary = (m["precautionary_reserve_rial"] + m["reserve_paid_for_replacement_rial"]).cumsum()
    sheet = pd.DataFrame(index=m.index)
    sheet["plant_net_book_value_rial"] = plant_cost + (m["replacement_spent_rial"] - m["depreciation_rial"]).cumsum()
    sheet["receivables_rial"] = (m["income_rial"] - m["revenue_collected_rial"]).cumsum()
    sheet["working_cash_rial"] = m["cash_balance_rial"]
    sheet["reserve_funds_rial"] = legal + m["precautionary_reserve_rial"].cumsum() + m["replacement_reserve_balance_rial"]
    sheet["total_assets_rial"] = sheet[list(BALANCE_SHEET_LINES[:4])].sum(axis=1)
    sheet["debt_rial"] = m["debt_balance_rial"]
    sheet["tax_payable_rial"] = (m["tax_rial"] - m["tax_paid_rial"]).cumsum()
    sheet["deferred_grant_rial"] = (grant if deferred else 0.0) - m["grant_income_rial"].cumsum()
    sheet["total_liabilities_rial"] = sheet[["debt_rial", "tax_payable_rial", "deferred_grant_rial"]].sum(axis=1)
    sheet["members_shares_rial"] = sources["family_shares_rial"]
    sheet["sponsor_equity_rial"] = sources["sponsor_equity_rial"]
    sheet["starting_cash_provided_rial"] = cooperative.starting_cash_rial
    sheet["legal_reserve_rial"] = legal
    sheet["precautionary_reserve_rial"] = precautionary
    sheet["retained_profit_rial"] = _retained_profit(m).cumsum()
    sheet["total_equity_rial"] = sheet[list(BALANCE_SHEET_LINES[9:15])].sum(axis=1)
    sheet["total_liabilities_and_equity_rial"] = sheet["total_liabilities_rial"] + sheet["total_equity_rial"]
    return sheet[list(BALANCE_SHEET_LINES)]


def _retained_profit(m: pd.DataFrame) -> pd.Series:
    """Each month's change in retained profit [rial]: profit after tax less what went to
    the reserves (the precautionary reserve's appropriation and releases), the fee and
    the owners."""
    return (
        m["profit_before_tax_rial"] - m["tax_rial"] - m["legal_reserve_rial"] - _precautionary_appropriated(m)
        - m["education_fee_rial"] - m["distributed_rial"]
    )  # fmt: skip


def _precautionary_appropriated(m: pd.DataFrame) -> pd.Series:
    """Each month's appropriation to the precautionary reserve, before what it paid out [rial]."""
    return m["precautionary_reserve_rial"] + m["reserve_paid_for_replacement_rial"] + m["reserve_paid_for_instalments_rial"]


def statements(monthly: pd.DataFrame, sources: dict, cooperative) -> dict[str, pd.DataFrame]:
    """The income statement, balance sheet and cash-flow statement of each fiscal year.

    Parameters
    ----------
    monthly, sources, cooperative
        As :func:`balance_sheet_by_month`.

    Returns
    -------
    dict of pandas.DataFrame
        ``income_statement``, ``balance_sheet`` (at each year's end) and ``cash_flow``:
        rows the lines (:data:`INCOME_STATEMENT_LINES`, :data:`BALANCE_SHEET_LINES`,
        :data:`CASH_FLOW_LINES`), columns the fiscal years [rial]. A year the plant runs
        only part of is a column like the others.
    """
    m = monthly
    year = fiscal_year(m)
    sheet = balance_sheet_by_month(m, sources, cooperative)

    def by_year(column: str) -> pd.Series:
        values = derived[column] if column in derived else m[column]
        return pd.Series(np.asarray(values, float)).groupby(year).sum()

    derived = {
        "profit_after_tax_rial": m["profit_before_tax_rial"] - m["tax_rial"],
        "precautionary_appropriated_rial": _precautionary_appropriated(m),
        "paid_to_owners_rial": m["distributed_rial"] + m["reserve_paid_for_instalments_rial"],
    }
    at_end = sheet.groupby(year).last()
    retained_closing = at_end["retained_profit_rial"]
    income = pd.DataFrame(taken(INCOME_FLOWS, by_year))
    income["retained_profit_opening_rial"] = retained_closing.shift(1, fill_value=0.0)
    income["retained_profit_closing_rial"] = retained_closing
    cash = sheet["working_cash_rial"] + sheet["reserve_funds_rial"]
    closing = cash.groupby(year).last()
    cash_flow = pd.DataFrame(taken(CASH_FLOWS, by_year))
    cash_flow["cash_opening_rial"] = closing.shift(1, fill_value=cooperative.starting_cash_rial)
    cash_flow["operating_cash_flow_rial"] = cash_flow[
        ["collected_rial", "interest_received_rial", "operating_costs_paid_rial", "tax_paid_rial"]
    ].sum(axis=1)
    cash_flow["investing_cash_flow_rial"] = cash_flow[["replacement_paid_rial", "end_of_life_paid_rial"]].sum(axis=1)
    cash_flow["financing_cash_flow_rial"] = cash_flow[
        ["debt_service_paid_rial", "education_fee_paid_rial", "paid_to_owners_rial"]
    ].sum(axis=1)
    cash_flow["cash_closing_rial"] = closing
    return {
        "income_statement": income[list(INCOME_STATEMENT_LINES)].T,
        "balance_sheet": at_end[list(BALANCE_SHEET_LINES)].T,
        "cash_flow": cash_flow[list(CASH_FLOW_LINES)].T,
    }


def labelled(statement: pd.DataFrame, words: dict) -> pd.DataFrame:
    """A statement with its lines named in a language: ``words`` is the catalog's
    ``[statements]`` table (``solarcoop.present.locales``)."""
    return statement.rename(index=words["lines"])
