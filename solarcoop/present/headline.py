"""The headline as the report, the workbook and the statement show it: what a family is
paid per month in the years that matter, and how sure that is."""


from __future__ import annotations

import numpy as np
import pandas as pd

from solarcoop._validation import InputError
from solarcoop.present.locales import LANGUAGES, catalog
from solarcoop.present.text import (
    MILLION,
    digits,
    format_count,
    format_number,
    format_percent_points,
    money_million,
    month_text,
)
from solarcoop.studies.headline import Headline, headline_of


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
        # a source the catalog does not know stays as typed: digits turned Persian inside Latin
        # words break the order of the line
        "source": digits(source, lang) if promise.source in words["sources"] else source,
        "month": month_text(promise.money_of, "jalali", lang),
    }


def format_headline(result: Headline, lang: str = "en") -> str:
    """A few lines a person reads first (``"en"`` or ``"fa"``: the words are ``[headline_text]``
    of the language's catalog, every number in the language's digits and separators as
    :mod:`solarcoop.present.text` writes them; the scenario's name and the labels P50 / P90
    as they are). A headline without a Monte Carlo (:func:`~solarcoop.studies.headline.headline_of` of a single run)
    shows only the single run's column."""
    if lang not in LANGUAGES:
        raise InputError(f"lang = {lang!r}: choose 'en' or 'fa'")
    text = catalog(lang)["headline_text"]
    table = result.table

    def number(value: str) -> str:
        return digits(value, lang)

    def million(value: float) -> str:
        return money_million(value, lang, 1)

    def chance(value: float) -> str:  # a tight column: no space before the percent sign
        return format_percent_points(value * 100, lang, 0, compact=True)

    def percentile(value: float) -> str:
        return format_number(value, lang, 0)

    if result.monte_carlo is None:  # no futures drawn: only the single run's figures
        lines = [text["title"].format(name=result.scenario_name), text["single_only"], text["single_header"]]
        for year, row in table.iterrows():
            lines.append(
                text["single_row"].format(
                    year=number(str(year)), label=number(row["label"]), single=million(row["single_run_net_payout_per_family_rial"])
                )
            )
        lines.append(text["single_note"])
        return "\n".join(lines)
    lines = [
        text["title"].format(name=result.scenario_name),
        text["paths"].format(n=format_count(result.n_paths, lang), seed=number(str(result.seed))),
        text["header"].format(base=number(result.base_month)),
    ]
    for year, row in table.iterrows():
        lines.append(
            text["row"].format(
                year=number(str(year)), label=number(row["label"]),
                p50=million(row["net_payout_per_family_p50_rial"]), p90=million(row["net_payout_per_family_p90_rial"]),
                r50=million(row["net_payout_per_family_p50_real_rial"]),
                r90=million(row["net_payout_per_family_p90_real_rial"]),
                single=million(row["single_run_net_payout_per_family_rial"]), pct=percentile(row["single_run_percentile"]),
            )
        )  # fmt: skip
    lines.append(text["p90"])
    if result.promise_rial is not None:
        lines.append(text["chance"].format(promise=money_million(result.promise_rial, lang, 0), base=number(result.base_month)))
        for year, row in table.iterrows():
            lines.append(
                text["chance_row"].format(
                    year=number(str(year)),
                    sales=chance(row["chance_month_reaches_promise_sales"]),
                    distribution=chance(row["chance_month_reaches_promise_distribution"]),
                    net=chance(row["chance_month_reaches_promise_net"]),
                )
            )
    shown = [y for y in (1, 2, 5) if y in result.percentiles.index]
    if len(shown) == 3:
        p1, p2, p5 = (result.percentiles.loc[y] for y in shown)
        lines.append(text["single"].format(p1=percentile(p1), p2=percentile(p2), p5=percentile(p5)))
    return "\n".join(lines)
