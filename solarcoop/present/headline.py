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
    ``attrs["promise_rial"]`` is the monthly sum its chance columns count [rial], which the
    pages name (it differs from the scenario's promise when the headline was run with its
    own ``promise_rial``).
    """
    if headline is None:
        headline = headline_of(result, monte_carlo)
    table = headline.table.copy()
    table["label"] = [str(label)[:4] for label in table["label"]]
    table.attrs["base_month"] = headline.base_month
    table.attrs["promise_rial"] = headline.promise_rial  # what the chance columns count
    return table


def shows_chance(table: pd.DataFrame) -> bool:
    """Whether the pages show the chance of the promise: the table counted it in every
    year (a headline without a promise, or from a Monte Carlo that did not keep what it
    needs, has none)."""
    column = "chance_month_reaches_promise_net"
    return column in table.columns and bool(np.isfinite(table[column].to_numpy(float)).all())


def promise_words(scenario, lang: str, table: pd.DataFrame | None = None) -> dict:
    """The scenario's promise in words: its band, what it counts, source and money's month,
    and ``threshold``: the monthly sum whose chance ``table`` (:func:`headline_view`)
    counts (the band's bottom without a table)."""
    promise = scenario.promise
    words = catalog(lang)
    source = words["sources"].get(promise.source, promise.source)
    threshold_rial = promise.low_rial if table is None else table.attrs.get("promise_rial", promise.low_rial)
    return {
        "threshold": format_number(threshold_rial / MILLION, lang, None),
        "low": format_number(promise.low_rial / MILLION, lang, None),
        "high": format_number(promise.high_rial / MILLION, lang, None),
        "counts": words["report"]["promise_counts"][promise.counts or "none"],
        "source": digits(source, lang),
        "month": month_text(promise.money_of, "jalali", lang),
    }
