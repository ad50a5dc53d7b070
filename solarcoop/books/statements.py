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

import numpy as np
import pandas as pd

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
    precautionary_appropriated = (
        m["precautionary_reserve_rial"] + m["reserve_paid_for_replacement_rial"] + m["reserve_paid_for_instalments_rial"]
    )
    return (
        m["profit_before_tax_rial"] - m["tax_rial"] - m["legal_reserve_rial"] - precautionary_appropriated
        - m["education_fee_rial"] - m["distributed_rial"]
    )  # fmt: skip


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

    def by_year(values) -> pd.Series:
        return pd.Series(np.asarray(values, float)).groupby(year).sum()

    def paid(values) -> pd.Series:  # what leaves, shown negative (never -0.0)
        return -by_year(values) + 0.0

    at_end = sheet.groupby(year).last()
    precautionary_appropriated = (
        m["precautionary_reserve_rial"] + m["reserve_paid_for_replacement_rial"] + m["reserve_paid_for_instalments_rial"]
    )
    profit_after_tax = m["profit_before_tax_rial"] - m["tax_rial"]
    retained_closing = at_end["retained_profit_rial"]
    income = pd.DataFrame(
        {
            "revenue_rial": by_year(m["income_rial"]),
            "interest_income_rial": by_year(m["interest_earned_rial"]),
            "grant_income_rial": by_year(m["grant_income_rial"]),
            "operating_costs_rial": paid(m["operating_costs_rial"]),
            "depreciation_rial": paid(m["depreciation_rial"]),
            "debt_interest_rial": paid(m["debt_interest_rial"]),
            "end_of_life_rial": paid(m["end_of_life_rial"]),
            "profit_before_tax_rial": by_year(m["profit_before_tax_rial"]),
            "tax_rial": paid(m["tax_rial"]),
            "profit_after_tax_rial": by_year(profit_after_tax),
            "legal_reserve_rial": paid(m["legal_reserve_rial"]),
            "precautionary_reserve_rial": paid(precautionary_appropriated),
            "education_fee_rial": paid(m["education_fee_rial"]),
            "distributable_profit_rial": by_year(m["distributable_profit_rial"]),
            "retained_profit_opening_rial": retained_closing.shift(1, fill_value=0.0),
            "distribution_advance_rial": paid(m["distribution_advance_rial"]),
            "distribution_true_up_rial": paid(m["distribution_true_up_rial"]),
            "retained_profit_closing_rial": retained_closing,
        }
    )
    paid_to_owners = m["distributed_rial"] + m["reserve_paid_for_instalments_rial"]
    cash = sheet["working_cash_rial"] + sheet["reserve_funds_rial"]
    closing = cash.groupby(year).last()
    cash_flow = pd.DataFrame(
        {
            "cash_opening_rial": closing.shift(1, fill_value=cooperative.starting_cash_rial),
            "collected_rial": by_year(m["revenue_collected_rial"]),
            "interest_received_rial": by_year(m["interest_earned_rial"]),
            "operating_costs_paid_rial": paid(m["operating_costs_rial"]),
            "tax_paid_rial": paid(m["tax_paid_rial"]),
            "replacement_paid_rial": paid(m["replacement_spent_rial"]),
            "end_of_life_paid_rial": paid(m["end_of_life_rial"]),
            "debt_service_paid_rial": paid(m["debt_service_rial"]),
            "education_fee_paid_rial": paid(m["education_fee_rial"]),
            "paid_to_owners_rial": paid(paid_to_owners),
        }
    )
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
