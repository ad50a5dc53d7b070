"""The headline as the report, the workbook and the statement show it: what a family is
paid per month in the years that matter, and how sure that is."""


from __future__ import annotations

import numpy as np
import pandas as pd

from solarcoop.present import plots
from solarcoop.present.locales import catalog
from solarcoop.present.plots import (
    MILLION,
    digits,
    format_number,
)
from solarcoop.present.text import month_text

P90_QUANTILE = plots.P90_QUANTILE


P50_QUANTILE = plots.P50_QUANTILE


HEADLINE_COLUMNS = (
    "net_payout_per_family_p50_rial",
    "net_payout_per_family_p90_rial",
    "net_payout_per_family_p50_real_rial",
    "net_payout_per_family_p90_real_rial",
    "single_run_net_payout_per_family_rial",
    "single_run_percentile",
    "chance_month_reaches_promise_net",
)
"""Columns of the headline table, one row per operating year shown."""


def headline_years(result) -> list[int]:
    """Years 1, 2 and 3 and the first full year after the family loan, within the life."""
    monthly = result.monthly
    due = monthly["loan_instalment_per_family_rial"].to_numpy() > 0.5
    life = int(monthly["operating_year"].max())
    years = [year for year in (1, 2, 3) if year <= life]
    if due.any():
        last = int(np.flatnonzero(due)[-1])
        year = int(monthly["operating_year"].iloc[last])
        after = year + 1 if _last_month_of_year(monthly, last) else year + 2
        if after <= life and after not in years:
            years.append(after)
    return years


def _last_month_of_year(monthly: pd.DataFrame, position: int) -> bool:
    years = monthly["operating_year"].to_numpy()
    return position + 1 == len(years) or years[position + 1] != years[position]


def money_column(result, monte_carlo=None) -> str:
    """The family's monthly money the report shows: its own cash flow after the instalment,
    with its sign (``family_cash_flow_rial``), when the run has it; else the net payout."""
    column = "family_cash_flow_rial"
    if column not in result.monthly.columns:
        return "payout_per_family_rial"
    if monte_carlo is not None and column not in monte_carlo.columns:
        return "payout_per_family_rial"
    return column


def headline_table(result, monte_carlo=None, promise_rial: float | None = None) -> pd.DataFrame:
    """What a family gets per month in the headline years: central (P50) and 9 futures in
    10 (P90) of the year's mean monthly net payout, nominal and in first-month money, the
    single run and its place among the futures, and the chance that a month of the year
    reaches ``promise_rial`` net of the instalment.

    Parameters
    ----------
    result : solarcoop.Result
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
        Without it only the single run's column is filled (the others are NaN).
    promise_rial : float, optional
        The promised monthly payout [rial]; default the bottom of the scenario's promised
        band. Without either the chance column is NaN.

    Returns
    -------
    pandas.DataFrame
        Index ``operating_year``; columns :data:`HEADLINE_COLUMNS` and ``label`` (the
        Jalali year) [rial; percentile in 0-100; chance in 0-1].
    """
    years = headline_years(result)
    annual = result.annual
    table = pd.DataFrame(index=pd.Index(years, name="operating_year"), columns=list(HEADLINE_COLUMNS), dtype=float)
    table["label"] = [str(annual.loc[year, "label"]) for year in years]
    table.attrs["base_month"] = str(result.monthly["label"].iloc[0])
    column = money_column(result, monte_carlo)
    single = annual.loc[years, f"{column}_mean"].to_numpy(float)
    table["single_run_net_payout_per_family_rial"] = single
    if monte_carlo is None:
        return table
    columns = [(year - 1) for year in years]
    nominal = monte_carlo.yearly(column)[:, columns]
    table["net_payout_per_family_p50_rial"] = np.quantile(nominal, P50_QUANTILE, axis=0)
    table["net_payout_per_family_p90_rial"] = np.quantile(nominal, P90_QUANTILE, axis=0)
    real_column = column.replace("_rial", "_real_rial")
    if real_column in monte_carlo.columns:
        real = monte_carlo.yearly(real_column)[:, columns]
        table["net_payout_per_family_p50_real_rial"] = np.quantile(real, P50_QUANTILE, axis=0)
        table["net_payout_per_family_p90_real_rial"] = np.quantile(real, P90_QUANTILE, axis=0)
    table["single_run_percentile"] = 100 * (nominal < single).mean(axis=0)
    promise = result.scenario.promise
    if promise_rial is None and promise is not None:
        promise_rial = promise.low_rial
    if promise_rial is not None:
        table["chance_month_reaches_promise_net"] = [
            1 - monte_carlo.chance_of_month_below(promise_rial, year) for year in years
        ]
    return table


def headline_view(headline) -> pd.DataFrame:
    """A :func:`solarcoop.headline` table as the pages show it: the year's Jalali year as
    its label and the month whose money the real columns are in."""
    table = headline.table.copy()
    table["label"] = [str(label)[:4] for label in table["label"]]
    table.attrs["base_month"] = headline.base_month
    return table


def promise_words(scenario, lang: str) -> dict:
    """The scenario's promise in words: its band, what it counts, source and money's month."""
    promise = scenario.promise
    words = catalog(lang)
    source = words["sources"].get(promise.source, promise.source)
    return {
        "low": format_number(promise.low_rial / MILLION, lang, None),
        "high": format_number(promise.high_rial / MILLION, lang, None),
        "counts": words["report"]["promise_counts"][promise.counts or "none"],
        "source": digits(source, lang),
        "month": month_text(promise.money_of, "jalali", lang),
    }
