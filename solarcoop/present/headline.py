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
    format_percent,
    format_percent_points,
    money_million,
    month_text,
)
from solarcoop.studies.headline import PROMISE_COUNTS, Headline, headline_of, promise_counted


def headline_view(result, monte_carlo=None, headline=None) -> pd.DataFrame:
    """The headline table as the pages show it: the year's Jalali year as its label and
    the month whose money the real columns are in.

    The table is ``headline``'s (:func:`solarcoop.headline`); without one it is read from
    the runs given by :func:`solarcoop.studies.headline.headline_of`, the same computation.
    ``attrs["promise_rial"]`` is the monthly sum its chance columns count [rial], which the
    pages name (it differs from the scenario's promise when the headline was run with its
    own ``promise_rial``); ``attrs["debt"]`` the family's debt in withheld instalments
    (:class:`~solarcoop.studies.headline.FamilyDebt`), which every page says from it.
    """
    if headline is None:
        headline = headline_of(result, monte_carlo)
    table = headline.table.copy()
    table["label"] = [str(label)[:4] for label in table["label"]]
    table.attrs["base_month"] = headline.base_month
    table.attrs["promise_rial"] = headline.promise_rial  # what the chance columns count
    table.attrs["debt"] = headline.debt  # the family's debt in withheld instalments (FamilyDebt)
    return table


def chance_column(scenario) -> str:
    """The headline table's column of the chance every page shows: the money the promise
    counts (:func:`~solarcoop.studies.headline.promise_counted`)."""
    return f"chance_month_reaches_promise_{promise_counted(scenario)}"


def shows_chance(table: pd.DataFrame, scenario=None) -> bool:
    """Whether the pages show the chance of the promise: the table counted it in every
    year (a headline without a promise, or from a Monte Carlo that did not keep what it
    needs, has none)."""
    column = "chance_month_reaches_promise_net" if scenario is None else chance_column(scenario)
    return column in table.columns and bool(np.isfinite(table[column].to_numpy(float)).all())


def promise_words(scenario, lang: str, table: pd.DataFrame | None = None) -> dict:
    """The scenario's promise in words: its band (``band``: "40 million rial" when its
    bottom and top are one), what it counts, source and money's month, ``lead``: the money
    its chance counts (:func:`~solarcoop.studies.headline.promise_counted`), and
    ``threshold``: the monthly sum whose chance ``table`` (:func:`headline_view`) counts
    (the band's bottom without a table)."""
    promise = scenario.promise
    words = catalog(lang)
    source = words["sources"].get(promise.source, promise.source)
    threshold_rial = promise.low_rial if table is None else table.attrs.get("promise_rial", promise.low_rial)
    low, high = (format_number(value / MILLION, lang, None) for value in promise.band_rial)
    band = words["report"]["promise_band_single" if low == high else "promise_band_range"].format(low=low, high=high)
    return {
        "threshold": format_number(threshold_rial / MILLION, lang, None),
        "low": low,
        "high": high,
        "band": band,
        "lead": words["headline_text"]["counts"][promise_counted(scenario)],
        "counts": words["report"]["promise_counts"][promise.counts or "none"],
        # a source the catalog does not know stays as typed: digits turned Persian inside Latin
        # words break the order of the line
        "source": digits(source, lang) if promise.source in words["sources"] else source,
        "month": month_text(promise.money_of, "jalali", lang),
    }


def chance_order(scenario) -> tuple[str, ...]:
    """The moneys a promise may count, the one its chance leads with first
    (:func:`~solarcoop.studies.headline.promise_counted`), then the others in the order
    of :data:`~solarcoop.studies.headline.PROMISE_COUNTS`."""
    lead = promise_counted(scenario)
    return (lead, *(counts for counts in PROMISE_COUNTS if counts != lead))


def debt_words(debt, calendar: str, lang: str) -> dict:
    """The figures of the family's debt in withheld instalments
    (:class:`~solarcoop.studies.headline.FamilyDebt`, the one figure set) written for
    ``lang``: ``chance``, ``after`` (shares of the futures, one decimal), ``p50``, ``p90``,
    ``r50``, ``r90`` (the most owed, million rial, nominal and in money of ``base``),
    ``months`` (months owing, P50), ``months_p90``, ``most``, ``real`` (the single run's most
    owed), ``single_months``, ``cleared`` (its month cleared), ``pct`` (its percentile),
    ``n_paths`` and ``base``. Words only: every number is the figure set's."""
    return {
        "chance": format_percent(debt.chance_owes, lang, 1),
        "after": format_percent(debt.chance_owes_after_loan_year, lang, 1),
        "p50": money_million(debt.most_owed_p50_rial, lang),
        "p90": money_million(debt.most_owed_p90_rial, lang),
        "r50": money_million(debt.most_owed_p50_real_rial, lang),
        "r90": money_million(debt.most_owed_p90_real_rial, lang),
        "months": format_number(debt.months_owing_p50, lang, 0),
        "months_p90": format_number(debt.months_owing_p90, lang, 0),
        "most": money_million(debt.single_most_owed_rial, lang),
        "real": money_million(debt.single_most_owed_real_rial, lang),
        "single_months": format_number(debt.single_months_owing, lang, 0),
        "cleared": month_text(debt.single_cleared_label, calendar, lang),
        "pct": format_number(debt.single_percentile, lang, 0),
        "n_paths": format_count(debt.n_paths, lang),
        "base": month_text(debt.base_month, calendar, lang),
    }


def debt_lines(debt, calendar: str, lang: str) -> list[str]:
    """What ``solarcoop run`` prints of the family's debt in withheld instalments under the
    headline table (``[headline_text] debt_*`` of the catalog): the chance it owes, the
    most owed P50 / P90 nominal and real, the months owing, the single run and its
    percentile; one plain line when no future and not the single run owes anything;
    nothing without drawn futures (the run summary gives the single run's)."""
    if debt is None or not debt.measured:
        return []
    text = catalog(lang)["headline_text"]
    words = debt_words(debt, calendar, lang)
    if debt.none_owed:
        return [text["debt_none"].format(n=words["n_paths"])]
    single = (
        text["debt_single"].format(**{**words, "months": words["single_months"]})
        if debt.single_months_owing > 0 else text["debt_single_none"].format(pct=words["pct"])
    )  # fmt: skip
    return [
        text["debt_title"],
        text["debt_owes"].format(**words),
        text["debt_most"].format(**words),
        text["debt_months"].format(p50=words["months"], p90=words["months_p90"]),
        single,
        text["debt_p90"],
    ]


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
        text["header"].format(base=month_text(result.base_month, result.single_run.scenario.calendar, lang)),
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
        lead, *others = chance_order(result.single_run.scenario)
        counts = text["counts"]
        month = month_text(result.base_month, result.single_run.scenario.calendar, lang)
        lines.append(text["chance"].format(promise=money_million(result.promise_rial, lang, 0), month=month, lead=counts[lead]))
        lines.append(text["chance_header"].format(first=counts[others[0]], second=counts[others[1]]))
        for year, row in table.iterrows():
            lines.append(
                text["chance_row"].format(
                    year=number(str(year)),
                    lead=chance(row[f"chance_month_reaches_promise_{lead}"]),
                    first=chance(row[f"chance_month_reaches_promise_{others[0]}"]),
                    second=chance(row[f"chance_month_reaches_promise_{others[1]}"]),
                )
            )
    lines += debt_lines(result.debt, result.single_run.scenario.calendar, lang)
    return "\n".join(lines)


def format_summary(result, lang: str = "en") -> str:
    """The single run's figures a person reads under the headline (``solarcoop run``), in
    ``lang``: the family's money (signed) leads, its real twin names its month, and the
    floored payout keeps its plain name ("paid out after it, never below 0")."""
    if lang not in LANGUAGES:
        raise InputError(f"lang = {lang!r}: choose 'en' or 'fa'")
    text = catalog(lang)["run_summary"]
    s = result.summary
    calendar = result.scenario.calendar
    real_month = month_text(s["real_base_month_label"], calendar, lang)

    def number(value: float, decimals: int = 0) -> str:
        return format_number(value, lang, decimals)

    def million(value: float) -> str:
        return money_million(value, lang, 1)

    def spread(column: str) -> dict:
        return {k: million(s[f"{column}_{k}_year1"]) for k in ("mean", "min", "max")}

    def rate(fraction: float) -> str:
        return format_percent_points(fraction * 100, lang, 1, compact=True)

    cash_min = s["cash_balance_min_rial"]
    lines = [
        result.scenario.name,
        text["energy"].format(value=number(s["energy_kwh_year1"] / 1e6, 3)),
        text["yield"].format(value=number(s["specific_yield_kwh_per_kwp_year1"])),
        text["price"].format(value=number(s["price_rial_per_kwh_mean_year1"])),
        text["per_family"],
        text["distribution"].format(**spread("distribution_per_family_rial")),
        text["instalment"].format(value=million(s["loan_instalment_per_family_rial_mean_year1"])),
        text["family_money"].format(**spread("family_cash_flow_rial")),
        text["family_money_real"].format(month=real_month, **spread("family_cash_flow_real_rial")),
        text["floored"].format(**spread("payout_per_family_rial")),
        text["pocket"].format(
            months=number(s["months_paid_from_pocket"]),
            total=million(s["paid_from_pocket_per_family_real_rial_total"]), month=real_month,
        ),
        *([text["arrears"].format(
            months=number(s["months_in_arrears"]), most=million(s["family_arrears_max_rial"]),
        )] if s["months_in_arrears"] > 0 else []),
        text["share_return"].format(
            rate=rate(s["family_share_irr_real_per_year"]), month=month_text(s["family_share_payback_label"], calendar, lang)
        ),
        text["funding"].format(**{
            name: number(s[f"funding_{key}_rial"] / 1e9)
            for name, key in (("shares", "family_shares"), ("grant", "grant"), ("sponsor", "sponsor_equity"), ("debt", "debt"))
        }),
        text["paid_off"].format(month=month_text(s["loan_paid_off_label"], calendar, lang)),
        text["nothing_paid"].format(months=number(s["months_without_payout"]), total=number(len(result.monthly))),
        text["cash_min_negative" if cash_min < 0 else "cash_min"].format(value=million(cash_min)),
        text["irr"].format(rate=rate(s["project_irr_real_per_year"])),
    ]  # fmt: skip
    return "\n".join(lines)


def montecarlo_lines(scenario, result, summary: pd.DataFrame, years, threshold_rial, lang: str = "en") -> list[str]:
    """What ``solarcoop montecarlo`` prints: P90 / P50 / P10 of the family's money by year,
    nominal and in real money, and the chance of the promise (or of ``threshold_rial``,
    in money of the promise's month) counted as the headline counts it
    (:func:`~solarcoop.studies.headline.chance_month_reaches_promise`)."""
    from solarcoop.studies.headline import chance_month_reaches_promise

    text = catalog(lang)["montecarlo_text"]
    month = month_text(scenario.real_money_month, scenario.calendar, lang)
    lines = [
        text["title"].format(name=scenario.name, n=format_count(result.n_paths, lang), seed=digits(str(result.seed), lang)),
        text["unit"],
    ]
    rows = []
    for year in years:
        for column, key in (("family_cash_flow_rial", "row_nominal"), ("family_cash_flow_real_rial", "row_real")):
            values = summary.loc[f"{column}_mean_year{year}"]
            rows.append((text[key].format(year=digits(str(year), lang), month=month), [money_million(v, lang, 1) for v in values]))
    width = max(len(label) for label, _ in rows)
    lines.append(" " * width + "".join(f"{name:>10}" for name in summary.columns))
    lines += [label.ljust(width) + "".join(f"{value:>10}" for value in values) for label, values in rows]
    if threshold_rial is None and scenario.promise is not None:
        threshold_rial = scenario.promise.low_rial
    if threshold_rial is not None:
        promise_month = scenario.promise.money_of if scenario.promise is not None else scenario.real_money_month
        lead = promise_counted(scenario)
        for year in years:
            chance = chance_month_reaches_promise(result, scenario, year, promise_rial=threshold_rial)
            lines.append(
                text["chance"].format(
                    year=digits(str(year), lang), threshold=money_million(threshold_rial, lang, 0),
                    month=month_text(promise_month, scenario.calendar, lang),
                    lead=catalog(lang)["headline_text"]["counts"][lead],
                    chance=format_percent_points(chance * 100, lang, 0, compact=True),
                )
            )  # fmt: skip
    return lines
