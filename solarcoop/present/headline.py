"""The headline as the report, the workbook and the statement show it: what a family is
paid per month in the years that matter, and how sure that is."""


from __future__ import annotations

import numpy as np
import pandas as pd

from solarcoop.present.locales import catalog
from solarcoop.present.text import MILLION, digits, format_number, month_text
from solarcoop.studies.headline import headline_of


def headline_view(result, monte_carlo=None, headline=None) -> pd.DataFrame:
    """The headline table as the pages show it: the year's Jalali year as its label and
    the month whose money the real columns are in.

    The table is ``headline``'s (:func:`solarcoop.headline`); without one it is read from
    the runs given by :func:`solarcoop.studies.headline.headline_of`, the same computation.
    """
    if headline is None:
        headline = headline_of(result, monte_carlo)
    table = headline.table.copy()
    table["label"] = [str(label)[:4] for label in table["label"]]
    table.attrs["base_month"] = headline.base_month
    return table


def shows_chance(table: pd.DataFrame) -> bool:
    """Whether the pages show the chance of the promise: the table counted it in every
    year (a headline without a promise, or from a Monte Carlo that did not keep what it
    needs, has none)."""
    column = "chance_month_reaches_promise_net"
    return column in table.columns and bool(np.isfinite(table[column].to_numpy(float)).all())


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
