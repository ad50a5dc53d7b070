"""Charts for proposals. Each takes a result and an optional Axes and returns the Axes.

Plotting computes nothing: every number drawn is a column of the result, selected,
summed over a year's months or reshaped, never modelled. Every chart is drawn in English
(``lang="en"``) or Persian (``lang="fa"``: Persian labels and digits, Jalali month names);
matplotlib shapes the Persian text and lays it out right to left itself, with the DejaVu
Sans font it ships (which has the Arabic-script glyphs), so no reshaping library is needed.

Money is shown in millions of rial (per family) or billions of rial (the whole
cooperative), with the unit on the axis.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import FuncFormatter

from solarcoop._validation import InputError
from solarcoop.present.locales import catalog
from solarcoop.present.text import (
    BILLION,
    MILLION,
    digits,
    format_count,
    format_number,
    format_short,
    is_percent_label,
    list_separator,
    month_label,
    month_text,
    parameter_value_text,
)

P90_QUANTILE = 0.10
"""P90 is the value exceeded with 90 % probability: the 10th percentile (energy-industry usage)."""
P50_QUANTILE = 0.50
FAN_QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
"""Quantiles drawn in the fan chart: bands 5-95 %, 10-90 % and 25-75 %."""

WATERFALL_DEDUCTIONS = (
    ("operating_costs_rial", "costs"),
    ("debt_service_rial", "debt_service"),
    ("tax_paid_rial", "tax"),
    ("reserves_rial", "reserves"),
    ("education_fee_rial", "education"),
    ("replacement_reserve_rial", "replacement_reserve"),
    ("replacement_spent_rial", "replacement_spent"),
    ("end_of_life_rial", "end_of_life"),
)
"""Ledger lines paid out of collected revenue before the distributions, in waterfall order."""
WATERFALL_LABEL_INSIDE = 0.08
"""A bar at least this share of the tallest holds its value inside; shorter ones above."""
WATERFALL_ALWAYS = ("operating_costs_rial", "tax_paid_rial", "reserves_rial", "education_fee_rial")


def chart_labels(lang: str) -> dict:
    """The chart labels of ``lang`` from its catalog (``solarcoop/present/locales/<lang>.toml``)."""
    return catalog(lang)["charts"]


def scenario_name(scenario, lang: str) -> str:
    """The scenario's name in ``lang``: a name the library derived (from site, families and
    size) is said again in Persian with Persian digits; a name the user gave stays as given.

    >>> import solarcoop as sc
    >>> scenario_name(sc.qom_baseline(), "fa")
    'تعاونی قم، ۴۰۰ خانوار، ۳ مگاوات'
    """
    if lang == "en" or not getattr(scenario, "name_is_derived", False):
        return str(scenario.name)
    words = catalog(lang)["names"]
    from solarcoop.findings import place_name

    place = place_name(scenario.site, lang)  # its own name, the province centre within 50 km, or coordinates
    capacity_kwp = scenario.plant.capacity_kwp
    if capacity_kwp >= 1000:
        size = f"{format_short(capacity_kwp / 1000, lang)} {words['MW']}"
    else:
        size = f"{format_short(capacity_kwp, lang)} {words['kW']}"
    families = scenario.cooperative.families
    if families == 1:
        return words["one_family"].format(site=place, size=size)
    return words["cooperative"].format(site=place, families=format_count(families, lang), size=size)


def scaled_formatter(scale: float, lang: str, decimals: int | None = None) -> FuncFormatter:
    return FuncFormatter(lambda value, _: format_number(value / scale, lang, decimals))


def chart_axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    return ax


def month_ticks(ax, labels, calendar: str, lang: str) -> None:
    """Ticks at each year's first month on long charts ("1406" when it opens the calendar
    year), each half year on charts of up to three years, each month on one year."""
    labels = list(labels)
    step = 12 if len(labels) > 36 else 6 if len(labels) > 12 else 1
    positions = np.arange(0, len(labels), step)

    def tick(label: str) -> str:
        if step == 12 and label.endswith("-01"):
            return digits(label[:-3], lang)
        return month_label(label, calendar, lang, with_year=step > 1)

    ax.set_xticks(
        positions,
        [tick(labels[i]) for i in positions],
        rotation=30 if step == 1 else 0,
        ha="right" if step == 1 else "center",
    )
    ax.set_xlim(-0.5, len(labels) - 0.5)


def _title(ax, text: str) -> None:
    ax.set_title(text, wrap=True)


def chart_legend(ax, lang: str, loc: str) -> None:
    # Persian reads from the right: the key sits to the right of its text
    ax.legend(fontsize="small", loc=loc, markerfirst=lang == "en")


AXIS_LABEL_CHARACTERS = 64
"""Characters on one line of a long axis label [-]: about the height of a chart page's
axes at the label's size (a real figure's label, which names its month, takes two)."""


def wrapped_label(label: str, width: int = AXIS_LABEL_CHARACTERS) -> str:
    """An axis label broken between words into lines of at most ``width`` characters."""
    import textwrap

    return "\n".join(textwrap.wrap(label, width)) or label


HEADLINE_AXIS_LABEL_CHARACTERS = 32
"""Characters on one line of the year-by-year chart's axis label [-]: about the height
of page 1's low axes at the label's size."""


def legend_beside(ax, lang: str) -> None:
    """The legend outside the axes, on their right, level with their top: clear of the
    bars, lines and shaded bands, whatever their height."""
    ax.legend(fontsize="small", loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0.0, markerfirst=lang == "en")


def _name(result, lang: str) -> str:
    return scenario_name(result.scenario, lang)


def _real_month(scenario, lang: str) -> str:
    """The scenario's real money month as a reader sees it ("Shahrivar 1404")."""
    return month_text(scenario.real_money_month, scenario.calendar, lang)


def _metric_label(metric: str, lang: str, scenario=None) -> str:
    """A figure's name and unit; a real figure names its month (the scenario's real money
    month, or the catalog's word for it without a scenario)."""
    label = chart_labels(lang)["metrics"].get(metric, metric)
    month = catalog(lang)["values"]["real_money_month"] if scenario is None else _real_month(scenario, lang)
    return label.replace("{month}", month)


def _metric_scale(metric: str) -> float:
    """Money metrics are shown in millions of rial, energy in MWh, the rest as they are."""
    if "rial" in metric:
        return MILLION
    if metric.startswith("energy_kwh"):
        return 1e3
    return 1.0


def _metric_decimals(metric: str) -> int:
    return 0 if _metric_scale(metric) != 1.0 else 3


def parameter_label(parameter: str, lang: str) -> str:
    return chart_labels(lang)["parameters"].get(parameter, parameter)


def _loan_end_year(result) -> int:
    """The last operating year in which the family still owes its lender (0 when there is
    no loan): the year before :func:`~solarcoop.studies.headline.first_year_after_loan`,
    the one definition of the loan's end (instalments and arrears both paid)."""
    from solarcoop.studies.headline import first_year_after_loan

    if not (result.monthly["loan_instalment_per_family_rial"].to_numpy() > 0.5).any():
        return 0
    after = first_year_after_loan(result)
    return int(result.monthly["operating_year"].max()) if after is None else after - 1


def years_through_loan(result, after: int = 3) -> int:
    """Operating years that show the whole loan and ``after`` years more, within the life."""
    return int(min(_loan_end_year(result) + after, result.monthly["operating_year"].max()))


def _promise_band(
    ax, scenario, lang: str, alpha: float, x=None, months=None, rows=None, real: bool = False
) -> None:
    """Shade the scenario's promised band, if it has one, labelled with its money's date
    (a promise of one sum, its bottom its top, as a line: a band of no height would not show).

    The promise is money of its own month (Shahrivar 1404 for Qom). Beside nominal
    payouts (``x`` and the accounting ``months`` they show given) it is drawn kept in
    value: grown with the scenario's central inflation from that month to each month
    shown, so a nominal line above the band means the promise is met in its own money.
    Beside ``real`` payouts (money of the first month) it is the same band carried to
    the first month. ``months`` runs from the first accounting month; ``rows`` picks the
    months that ``x`` shows (default all). A non-Jalali calendar cannot place the
    promise's month: its band is drawn as given.
    """
    from solarcoop.studies.headline import promise_band_rial

    promise = getattr(scenario, "promise", None)
    if promise is None:
        return
    text = chart_labels(lang)
    low, high = (format_number(value / MILLION, lang, None) for value in promise.band_rial)
    words = dict(  # a band whose bottom is its top is one sum: "40", not "40-40"
        band=low if low == high else text["band_range"].format(low=low, high=high),
        month=month_label(promise.money_of, "jalali", lang),
    )
    one_sum = promise.low_rial == promise.high_rial  # a band of no height: drawn as a line
    if months is None or scenario.calendar != "jalali":
        if one_sum:
            ax.axhline(promise.low_rial, color="tab:green", linewidth=1.5, label=text["plan_band"].format(**words))
        else:
            ax.axhspan(*promise.band_rial, color="tab:green", alpha=alpha, label=text["plan_band"].format(**words))
        return
    low, high = promise_band_rial(scenario, months, real)
    if rows is not None:
        low, high = low[rows], high[rows]
    key = "plan_band_real" if real else "plan_band_nominal"
    if one_sum:
        ax.plot(x, low, color="tab:green", linewidth=1.5, drawstyle="steps-mid", label=text[key].format(**words))
    else:
        ax.fill_between(x, low, high, color="tab:green", alpha=alpha, linewidth=0,
                        step="mid", label=text[key].format(**words))  # fmt: skip


def _mark_loan_end(ax, labels, result, text: dict, lang: str) -> None:
    """A dotted line after the month of the last instalment, named by its Jalali month."""
    due = result.monthly.set_index("label")["loan_instalment_per_family_rial"]
    shown = [label for label in labels if due.get(label, 0.0) > 0.5]
    if not shown or shown[-1] == list(labels)[-1]:
        return
    position = list(labels).index(shown[-1]) + 0.5
    ax.axvline(position, color="gray", linestyle=":", linewidth=1)
    ax.annotate(
        text["loan_end"].format(label=month_label(shown[-1], result.scenario.calendar, lang)),
        (position, 1.0), xycoords=("data", "axes fraction"), xytext=(-4, -4),
        textcoords="offset points", ha="right", va="top", fontsize="small", color="dimgray",
    )  # fmt: skip


def monthly_payout(result, ax=None, years: int | None = None, lang: str = "en"):
    """Monthly payout per family: gross, instalment, net and real net, through the loan and after.

    The plan's promise of 50-80 million rial a month is shaded, and the month of the last
    instalment marked.

    Parameters
    ----------
    result : solarcoop.Result
    ax : matplotlib.axes.Axes, optional
    years : int, optional
        Operating years shown [years]; default the loan's years and three more, so the
        rise after the last instalment is in view.
    lang : {"en", "fa"}
        Language of the labels and digits.

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    ax = chart_axes(ax)
    years = years_through_loan(result) if years is None else years
    monthly = result.monthly[result.monthly["operating_year"] <= years]
    x = np.arange(len(monthly))
    _promise_band(ax, result.scenario, lang, 0.12, x, monthly, real=False)
    lines = (
        ("distribution_per_family_rial", text["gross"], "tab:blue", "-"),
        ("loan_instalment_per_family_rial", text["instalment"], "tab:red", "--"),
        ("family_cash_flow_rial", text["net"], "black", "-"),
        ("family_cash_flow_real_rial", text["real"].format(month=_real_month(result.scenario, lang)), "gray", ":"),
    )
    for column, label, color, style in lines:
        ax.plot(
            x, monthly[column], label=label, color=color, linestyle=style, drawstyle="steps-mid"
        )
    month_ticks(ax, monthly["label"], result.scenario.calendar, lang)
    _mark_loan_end(ax, monthly["label"], result, text, lang)
    ax.yaxis.set_major_formatter(scaled_formatter(MILLION, lang))
    lowest = min(0.0, float(monthly[["family_cash_flow_rial", "family_cash_flow_real_rial"]].min().min()))
    ax.set_ylim(bottom=1.05 * lowest)  # the months a family pays from its pocket stay in view
    ax.set_ylabel(text["per_family_month"])
    ax.set_xlabel(text["month"])
    _title(ax, text["payout_title"].format(name=_name(result, lang)))
    ax.grid(axis="y", alpha=0.3)
    chart_legend(ax, lang, "upper left")
    return ax


def yearly_payout(
    result,
    monte_carlo=None,
    ax=None,
    years: int | None = None,
    lang: str = "en",
    column: str = "family_cash_flow_rial",
):
    """Each operating year's mean monthly money per family after its instalment: the single
    run as bars and, with a Monte Carlo, the P50 and P90 of the paths' yearly means as lines.

    Parameters
    ----------
    result : solarcoop.Result
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
    ax : matplotlib.axes.Axes, optional
    years : int, optional
        Operating years shown; default the loan's years and three more.
    lang : {"en", "fa"}
    column : str
        The monthly money per family shown: the family's signed ``family_cash_flow_rial``
        (default) or its real twin ``family_cash_flow_real_rial`` (beside the promise in
        its own money) [rial].

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    ax = chart_axes(ax)
    years = years_through_loan(result) if years is None else years
    annual = result.annual.loc[1:years]
    x = annual.index.to_numpy()
    middle_months = 12 * (x - 1) + 6  # a year's mean money sits near its middle month
    _promise_band(ax, result.scenario, lang, 0.12, x, result.monthly, middle_months, "_real" in column)
    ax.bar(x, annual[f"{column}_mean"], color="tab:blue", alpha=0.35,
           label=text["single_run"])  # fmt: skip
    if monte_carlo is not None:
        from solarcoop.studies.headline import yearly_exceedance

        p90, p50 = yearly_exceedance(monte_carlo, column, (0.9, 0.5), years)
        ax.plot(x, p50, color="navy", marker="o", label=text["p50"])
        ax.plot(x, p90, color="tab:red", marker="o", linestyle="--", label=text["p90"])
    loan_end = _loan_end_year(result)
    if 0 < loan_end < years:
        ax.axvline(loan_end + 0.5, color="gray", linestyle=":", linewidth=1)
    ax.set_xticks(
        x,
        [
            digits(f"{year}\n{label.split('-')[0]}", lang)
            for year, label in zip(x, annual["label"], strict=True)
        ],
    )
    ax.yaxis.set_major_formatter(scaled_formatter(MILLION, lang))
    ax.set_ylabel(wrapped_label(  # page 1's chart is low: the label on two lines, not past its top
        text["headline_axis_real"].format(month=_real_month(result.scenario, lang)) if "_real" in column
        else text["headline_axis"],
        HEADLINE_AXIS_LABEL_CHARACTERS,
    ))  # fmt: skip
    ax.set_xlabel(text["operating_year"])
    ax.grid(axis="y", alpha=0.3)
    legend_beside(ax, lang)  # the promise band fills the top of the axes
    return ax


def payout_fan(
    monte_carlo, ax=None, column: str = "family_cash_flow_rial", years: int = 5, lang: str = "en"
):
    """Fan chart of a monthly money column over Monte Carlo paths, with P50 and P90.

    P90 is the value exceeded with 90 % probability (the 10th percentile), as the
    energy industry names it; P50 is the median.

    Parameters
    ----------
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult
        Anything with ``scenario``, ``months`` (``label``, ``operating_year``),
        ``quantiles(qs, column)``, ``columns`` and ``n_paths`` (kept or streamed paths).
    ax : matplotlib.axes.Axes, optional
    column : str
        A per-month money column of the paths [rial].
    years : int
        Operating years shown [years].
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    if column not in monte_carlo.columns:
        raise InputError(
            f"column = {column!r} is not in the Monte Carlo paths: choose one of "
            + ", ".join(sorted(monte_carlo.columns))
        )
    ax = chart_axes(ax)
    shown = np.asarray(monte_carlo.months["operating_year"] <= years)
    quantiles = monte_carlo.quantiles(FAN_QUANTILES, column)[shown]
    labels = monte_carlo.months["label"][shown]
    x = np.arange(len(labels))
    _promise_band(ax, monte_carlo.scenario, lang, 0.10, x, monte_carlo.months[shown], real="_real" in column)
    for (low, high), alpha, key in (
        ((0.05, 0.95), 0.15, "band_5_95"),
        ((0.10, 0.90), 0.25, "band_10_90"),
        ((0.25, 0.75), 0.35, "band_25_75"),
    ):
        ax.fill_between(
            x,
            quantiles[low],
            quantiles[high],
            color="tab:blue",
            alpha=alpha,
            linewidth=0,
            step="mid",
            label=text[key],
        )
    ax.plot(x, quantiles[P50_QUANTILE], color="navy", drawstyle="steps-mid", label=text["p50"])
    ax.plot(
        x,
        quantiles[P90_QUANTILE],
        color="tab:red",
        linestyle="--",
        drawstyle="steps-mid",
        label=text["p90"],
    )
    month_ticks(ax, labels, monte_carlo.scenario.calendar, lang)
    ax.yaxis.set_major_formatter(scaled_formatter(MILLION, lang))
    ax.set_ylabel(wrapped_label(_metric_label(column, lang, monte_carlo.scenario)))  # long: on two lines
    ax.set_xlabel(text["month"])
    n_paths = monte_carlo.n_paths
    n_paths_text = format_number(n_paths, lang)
    _title(
        ax,
        text["fan_title"].format(
            name=scenario_name(monte_carlo.scenario, lang),
            column=_metric_label(column, lang, monte_carlo.scenario).split(" [")[0],
            n_paths=n_paths_text,
        ),
    )
    ax.grid(axis="y", alpha=0.3)
    legend_beside(ax, lang)  # the promise band and the payout months' peaks fill the top left
    return ax


def shortfall_probability(
    monte_carlo,
    ax=None,
    threshold_rial: float | None = None,
    column: str | None = None,
    years: int = 5,
    lang: str = "en",
):
    """The chance, month by month, that a month falls short of the promise.

    By default the chance is the headline's, counted the same way
    (:func:`~solarcoop.studies.headline.month_reaches_promise`): the money the promise
    counts, in the promise's own money, against ``threshold_rial`` (default the bottom of
    the promised band). With a ``column``, the chance that this nominal column is below
    ``threshold_rial`` in each month's rial; the title then says so.

    Parameters
    ----------
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult
        With kept paths of :data:`solarcoop.studies.headline.KEPT` (by default), or
        anything with ``scenario``, ``months`` and ``probability_below(column, threshold)``
        (with a ``column``).
    ax : matplotlib.axes.Axes, optional
    threshold_rial : float, optional
        The monthly sum per family [rial]; default the bottom of the scenario's promised
        band (required when the scenario has no promise).
    column : str, optional
        A nominal money column in place of the promise's count.
    years : int
        Operating years shown [years].
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    from solarcoop.studies.headline import month_reaches_promise, promise_counted

    text = chart_labels(lang)
    scenario = monte_carlo.scenario
    if threshold_rial is None:
        if scenario.promise is None:
            raise InputError(
                "threshold_rial = None needs a promise to take its bottom from, and scenario "
                f"{scenario.name!r} has none: give threshold_rial [rial]"
            )
        threshold_rial = scenario.promise.low_rial
    ax = chart_axes(ax)
    shown = np.asarray(monte_carlo.months["operating_year"] <= years)
    if column is None:
        reaches = month_reaches_promise(monte_carlo, scenario, promise_rial=threshold_rial)
        probability = 1 - reaches.mean(axis=0)[shown]
        month = scenario.promise.money_of if scenario.promise is not None else scenario.real_money_month
        title = text["shortfall_promise_title"].format(
            name=scenario_name(scenario, lang),
            threshold=format_number(threshold_rial / MILLION, lang),
            month=month_label(month, "jalali", lang) if scenario.calendar == "jalali" else month,
            counts=catalog(lang)["headline_text"]["counts"][promise_counted(scenario)],
        )
    else:
        probability = np.asarray(monte_carlo.probability_below(column, threshold_rial))[shown]
        title = text["shortfall_title"].format(
            name=scenario_name(scenario, lang),
            column=_metric_label(column, lang).split(" [")[0],
            threshold=format_number(threshold_rial / MILLION, lang),
        )
    labels = monte_carlo.months["label"][shown]
    x = np.arange(len(labels))
    # one filled outline, month i from x = i - 0.5 to i + 0.5 (not one bar a month: the same
    # picture, drawn as one artist); its values are the probabilities (``get_data()``)
    ax.stairs(probability, np.arange(len(x) + 1) - 0.5, fill=True, color="tab:red", alpha=0.6, linewidth=0)
    month_ticks(ax, labels, scenario.calendar, lang)
    ax.yaxis.set_major_formatter(scaled_formatter(0.01, lang))
    ax.set_ylim(0, 1)
    ax.set_ylabel(text["probability"])
    ax.set_xlabel(text["month"])
    _title(ax, title)
    ax.grid(axis="y", alpha=0.3)
    return ax


def monthly_energy(result, ax=None, year: int = 1, lang: str = "en"):
    """Energy at the meter in each month of one operating year: the seasonal shape [MWh].

    Parameters
    ----------
    result : solarcoop.Result
    ax : matplotlib.axes.Axes, optional
    year : int
        Operating year shown.
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    ax = chart_axes(ax)
    months = result.monthly[result.monthly["operating_year"] == year]
    x = np.arange(len(months))
    bars = ax.bar(x, months["energy_kwh"], color="tab:orange")
    ax.bar_label(
        bars, labels=[format_number(v / 1e3, lang) for v in months["energy_kwh"]], fontsize="small"
    )
    ax.set_xticks(
        x,
        [
            month_label(label, result.scenario.calendar, lang, with_year=False)
            for label in months["label"]
        ],
        rotation=30 if lang == "en" else 0,
        ha="right" if lang == "en" else "center",
    )
    ax.yaxis.set_major_formatter(scaled_formatter(1e3, lang))
    ax.set_ylabel(text["energy_axis"])
    ax.set_xlabel(text["month"])
    _title(ax, text["energy_title"].format(name=_name(result, lang), year=format_number(year, lang)))
    ax.grid(axis="y", alpha=0.3)
    return ax


def money_waterfall(result, ax=None, year: int = 1, lang: str = "en"):
    """One operating year's money, from revenue collected to the families' own money.

    Steps down from the revenue collected through operating costs, tax, reserves, the
    education fee and the working cash kept back to the distributions, then the loan
    instalments paid to the lender from them, to what is distributed to the families after
    their instalments; then what the families paid their lender from their own pockets,
    to the families' money after their instalments (the sum of ``family_cash_flow_rial``,
    below zero when they paid more than they received). Totals over the year's months of
    ``result.monthly`` for the whole cooperative [billion rial], in each month's rial.

    Parameters
    ----------
    result : solarcoop.Result
    ax : matplotlib.axes.Axes, optional
    year : int
        Operating year shown.
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    ax = chart_axes(ax)
    months = result.monthly[result.monthly["operating_year"] == year]
    if months.empty:
        raise InputError(f"year = {year} is not an operating year of {result.scenario.name!r}")
    families = result.scenario.cooperative.families
    total = months.sum(numeric_only=True)
    revenue = total["revenue_collected_rial"]
    interest = total.get("interest_earned_rial", 0.0)
    distributed = total["distributed_rial"]
    to_sponsor = total.get("distributed_to_sponsor_rial", 0.0)
    cover = total.get("reserve_paid_for_instalments_rial", 0.0)
    pocket = total.get("paid_from_pocket_per_family_rial", 0.0) * families
    # what the lender took out of the distribution (the rest came from the families' pockets)
    to_lender = (total["paid_to_lender_per_family_rial"] - total.get("paid_from_pocket_per_family_rial", 0.0)) * families
    # what leaves the cooperative's cash before the distributions; the optional lines
    # appear when the ledger has them and they are not zero in this year
    deductions = [
        (column, text[key]) for column, key in WATERFALL_DEDUCTIONS if column in total.index
    ]
    deductions = [
        (column, label)
        for column, label in deductions
        if column in WATERFALL_ALWAYS or abs(total[column]) > 0.5
    ]
    cash_kept = revenue + interest - sum(total[column] for column, _ in deductions) - distributed - cover
    # (label, change, is_total); optional steps only when not zero this year
    steps = [
        (text["revenue"], revenue, True),
        *([(text["interest"], interest, False)] if abs(interest) > 0.5 else []),
        *[(label, -total[column], False) for column, label in deductions],
        (text["cash"] if cash_kept >= 0 else text["cash_drawn"], -cash_kept, False),
        (text["distributed"], distributed, True),
        *([(text["sponsor"], -to_sponsor, False)] if abs(to_sponsor) > 0.5 else []),
        *([(text["reserve_cover"], cover, False)] if abs(cover) > 0.5 else []),
        (text["lender"], -to_lender, False),
        (text["net_families"], total["payout_per_family_rial"] * families, True),
        *([(text["pocket"], -pocket, False)] if abs(pocket) > 0.5 else []),
        (text["families_money"], total["family_cash_flow_rial"] * families, True),
    ]
    labels = [label for label, _, _ in steps]
    change = np.array([value for _, value, _ in steps])
    is_total = np.array([flag for _, _, flag in steps])
    # a total starts a new level from zero; the steps after it move that level
    running = pd.Series(change).groupby(np.cumsum(is_total)).cumsum().to_numpy()
    bottom = np.where(is_total, 0.0, np.minimum(running, running - change))
    height = np.where(is_total, change, np.abs(change))
    colors = np.where(is_total, "tab:blue", np.where(change < 0, "tab:red", "tab:green"))
    x = np.arange(len(steps))
    bars = ax.bar(x, height, bottom=bottom, color=colors, edgecolor="black", linewidth=0.5)
    decimals = 1 if revenue < 1e3 * BILLION else 0
    tall = height >= WATERFALL_LABEL_INSIDE * max(np.abs(height).max(), 1.0)
    for bar, value, inside in zip(bars, change, tall, strict=True):
        # a value fits inside a tall bar; above a short one, clear of its edges
        top = bar.get_y() + bar.get_height()
        ax.annotate(
            format_number(value / BILLION, lang, decimals),
            (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2 if inside else top),
            xytext=(0, 0 if inside else 3), textcoords="offset points",
            ha="center", va="center" if inside else "bottom", fontsize="small",
            color="white" if inside else "black",
        )  # fmt: skip
    # room above and below: a bar's base is a sticky edge, which would leave a negative
    # total (the families paying from their pockets) flush with the frame
    ax.use_sticky_edges = False
    ax.margins(y=0.08)
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.yaxis.set_major_formatter(scaled_formatter(BILLION, lang))
    ax.set_ylabel(text["coop_money"])
    _title(
        ax,
        text["waterfall_title"].format(
            name=_name(result, lang),
            year=format_number(year, lang),
            first=month_label(months["label"].iloc[0], result.scenario.calendar, lang),
            last=month_label(months["label"].iloc[-1], result.scenario.calendar, lang),
        ),
    )
    due = total["loan_instalment_per_family_rial"] * families
    unpaid = due - to_lender - pocket
    notes = []
    if unpaid > 0.5 * BILLION / 100:
        notes.append(
            text["arrears_note"].format(
                due=format_number(due / BILLION, lang, 1), unpaid=format_number(unpaid / BILLION, lang, 1)
            )
        )
    if pocket > 0.5 * BILLION / 100:
        notes.append(
            text["pocket_note"].format(
                due=format_number(due / BILLION, lang, 1), pocket=format_number(pocket / BILLION, lang, 1)
            )
        )
    if notes:
        ax.text(
            0.99,
            0.97,
            "\n".join(notes),
            transform=ax.transAxes,
            ha="right",
            va="top",
            fontsize="small",
        )
    ax.grid(axis="y", alpha=0.3)
    return ax


def loan_balance(result, ax=None, lang: str = "en"):
    """Each family's share-loan balance and arrears, month by month until paid off.

    Parameters
    ----------
    result : solarcoop.Result
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    ax = chart_axes(ax)
    monthly = result.monthly
    owing = (monthly["loan_balance_per_family_rial"] > 0.5) | (
        monthly["arrears_per_family_rial"] > 0.5
    )
    last_year = monthly.loc[owing, "operating_year"].max() if owing.any() else 0
    shown = monthly[
        monthly["operating_year"] <= min(last_year + 1, monthly["operating_year"].max())
    ]
    x = np.arange(len(shown))
    ax.fill_between(
        x,
        shown["loan_balance_per_family_rial"],
        step="mid",
        color="tab:red",
        alpha=0.3,
        label=text["loan_balance"],
    )
    ax.plot(
        x,
        shown["arrears_per_family_rial"],
        color="black",
        drawstyle="steps-mid",
        label=text["arrears"],
    )
    paid_off = result.summary.get("loan_paid_off_label")
    if paid_off in set(shown["label"]):
        position = int(np.flatnonzero(shown["label"].to_numpy() == paid_off)[0])
        ax.axvline(position, color="gray", linestyle=":")
        ax.annotate(
            text["paid_off"].format(label=month_label(paid_off, result.scenario.calendar, lang)),
            (position, 0),
            xytext=(-4, 40),
            textcoords="offset points",
            fontsize="small",
            ha="right",
        )
    month_ticks(ax, shown["label"], result.scenario.calendar, lang)
    ax.yaxis.set_major_formatter(scaled_formatter(MILLION, lang))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(text["loan_axis"])
    ax.set_xlabel(text["month"])
    _title(ax, text["loan_title"].format(name=_name(result, lang)))
    ax.grid(axis="y", alpha=0.3)
    chart_legend(ax, lang, "upper right")
    return ax


TORNADO_FLAT_RIAL = 0.05 * MILLION
"""Swings under this (the chart's resolution, 0.05 million rial) are listed, not drawn."""


def tornado(
    frame,
    ax=None,
    metric: str = "payout_per_family_rial_mean_year1",
    name: str | None = None,
    lang: str = "en",
):
    """Tornado chart: how far each parameter, at its low and high value, moves a metric.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per parameter with columns ``parameter``, ``low_value``, ``high_value``,
        ``low_metric``, ``high_metric`` and ``base_metric`` (as from
        ``solarcoop.studies.sweeps.sensitivity``). Bars are sorted by their swing, widest on top.
    ax : matplotlib.axes.Axes, optional
    metric : str
        Name of the metric the frame holds, for the axis label and its unit (money in
        million rial).
    name : str, optional
        The scenario's name, for the title.
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    needed = ["parameter", "low_value", "high_value", "low_metric", "high_metric", "base_metric"]
    missing = [column for column in needed if column not in frame.columns]
    if missing:
        raise InputError(f"frame lacks the columns {', '.join(missing)} a tornado chart needs")
    ax = chart_axes(ax)
    swing = (frame["high_metric"] - frame["low_metric"]).abs()
    scale = _metric_scale(metric)
    flat = swing < (TORNADO_FLAT_RIAL if scale == MILLION else 0.0)
    rows = frame[~flat].assign(_swing=swing[~flat]).sort_values("_swing", kind="stable")
    base = frame["base_metric"].to_numpy()[:1].repeat(len(rows))
    y = np.arange(len(rows))
    ax.barh(y, rows["low_metric"] - base, left=base, color="tab:blue", label=text["low"])
    ax.barh(y, rows["high_metric"] - base, left=base, color="tab:orange", label=text["high"])
    ax.axvline(frame["base_metric"].iloc[0], color="black", linewidth=1, label=text["base"])
    labels = []
    for parameter, low, high in zip(
        rows["parameter"], rows["low_value"], rows["high_value"], strict=True
    ):
        label = parameter_label(parameter, lang)
        percent = is_percent_label(label)
        labels.append(
            f"{label}\n{parameter_value_text(low, lang, percent)} / {parameter_value_text(high, lang, percent)}"
        )
    ax.set_yticks(y, labels, fontsize="small")
    xlabel = _metric_label(metric, lang)
    if flat.any():
        separator = list_separator(lang)
        xlabel += "\n" + text["tornado_flat"].format(
            limit=format_number(TORNADO_FLAT_RIAL / MILLION, lang, 2),
            names=separator.join(
                parameter_label(p, lang).split(" [")[0] for p in frame["parameter"][flat]
            ),
        )
    ax.xaxis.set_major_formatter(scaled_formatter(scale, lang))
    ax.set_xlabel(xlabel)
    _title(
        ax,
        text["tornado_title"].format(
            name=name or text["scenario"], metric=_metric_label(metric, lang).split(" [")[0]
        ),
    )
    ax.grid(axis="x", alpha=0.3)
    chart_legend(ax, lang, "lower right")
    return ax


def sweep_heatmap(
    frame, x: str, y: str, metric: str, ax=None, name: str | None = None, lang: str = "en"
):
    """Heat map of a metric over a two-parameter sweep, each cell labelled with its value.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per combination, with the two dotted-path columns ``x`` and ``y`` and
        the ``metric`` column (as from ``solarcoop.sweep``).
    x, y : str
        The dotted paths on the horizontal and vertical axes.
    metric : str
        The column coloured; money is shown in million rial.
    ax : matplotlib.axes.Axes, optional
    name : str, optional
        The scenario's name, for the title.
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    for field, column in (("x", x), ("y", y), ("metric", metric)):
        if column not in frame.columns:
            raise InputError(f"{field} = {column!r} is not a column of the sweep frame")
    grid = frame.pivot_table(index=y, columns=x, values=metric, aggfunc="first").sort_index()
    grid = grid.sort_index(axis=1)
    ax = chart_axes(ax)
    scale = _metric_scale(metric)
    decimals = _metric_decimals(metric)
    image = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
    colorbar = ax.figure.colorbar(image, ax=ax, format=scaled_formatter(scale, lang))
    colorbar.set_label(_metric_label(metric, lang))
    values = grid.to_numpy()
    middle = np.nanmin(values) + 0.5 * (np.nanmax(values) - np.nanmin(values))
    rows, columns = np.indices(values.shape)
    for row, column, value in zip(rows.ravel(), columns.ravel(), values.ravel(), strict=True):
        if np.isfinite(value):
            ax.text(
                column,
                row,
                format_number(value / scale, lang, decimals),
                ha="center",
                va="center",
                fontsize="small",
                color="black" if value > middle else "white",
            )
    ax.set_xticks(np.arange(grid.shape[1]), [parameter_value_text(v, lang) for v in grid.columns])
    ax.set_yticks(np.arange(grid.shape[0]), [parameter_value_text(v, lang) for v in grid.index])
    ax.set_xlabel(parameter_label(x, lang))
    ax.set_ylabel(parameter_label(y, lang))
    _title(
        ax,
        text["heatmap_title"].format(
            name=name or text["scenario"], metric=_metric_label(metric, lang).split(" [")[0]
        ),
    )
    return ax


def reading_effects(frame, year: int, ax=None, name: str | None = None, lang: str = "en"):
    """Which disputed fact moves the P50 of the family's net month most (one bar per fact).

    Parameters
    ----------
    frame : pandas.DataFrame
        From :func:`solarcoop.reading_effects`: one row per (reading, alternative) with
        ``p50_yearN_real_rial``; its ``attrs`` hold the P50 drawing everything, the
        promise and the month whose money it is in.
    year : int
        An operating year the frame holds.
    ax : matplotlib.axes.Axes, optional
    name : str, optional
        The scenario's name, for the title.
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = chart_labels(lang)
    column = f"p50_year{year}_real_rial"
    if column not in frame.columns:
        raise InputError(f"year = {year!r}: the frame holds no {column} (see solarcoop.reading_effects(years=...))")
    ax = chart_axes(ax)
    facts = frame[frame["reading"] != "all"]
    order = list(dict.fromkeys(facts["reading"]))[::-1]  # widest swing on top
    for y, reading in enumerate(order):
        rows = facts[facts["reading"] == reading]
        values = rows[column].to_numpy()
        ax.plot([values.min(), values.max()], [y, y], color="tab:blue", linewidth=6, alpha=0.5,
                solid_capstyle="butt", label=text["effects_range"] if y == 0 else None)
        ax.scatter(values, np.full(len(values), y), color="tab:blue", s=18, zorder=3)
        central = rows.loc[rows["central"], column].to_numpy()
        ax.scatter(central, np.full(len(central), y), color="black", marker="D", s=36, zorder=4,
                   label=text["effects_central"] if y == 0 else None)
    everything = frame.attrs.get("p50_all_drawn_real_rial", {}).get(year)
    if everything is not None:
        ax.axvline(everything, color="black", linewidth=1, label=text["effects_all"])
    promise = frame.attrs.get("promise_rial")
    if promise is not None:
        ax.axvline(promise, color="tab:green", linestyle="--", linewidth=1.5,
                   label=text["effects_promise"].format(value=format_number(promise / MILLION, lang)))
    ax.set_yticks(range(len(order)), [catalog(lang)["readings"][reading] for reading in order])
    ax.xaxis.set_major_formatter(scaled_formatter(MILLION, lang))
    month = frame.attrs.get("money_of")
    month = month_label(month, "jalali", lang) if month else ""
    ax.set_xlabel(text["effects_axis"].format(year=format_number(year, lang), month=month))
    _title(ax, text["effects_title"].format(name=name or text["scenario"], year=format_number(year, lang)))
    ax.grid(axis="x", alpha=0.3)
    chart_legend(ax, lang, "lower right")
    return ax


def options_payout(comparison, ax=None, real: bool = True, lang: str = "en"):
    """The family's monthly money by year under each option of
    :func:`solarcoop.compare_options`: P50 and P90 of the yearly means, one colour each.

    Parameters
    ----------
    comparison : solarcoop.studies.options.OptionsComparison
        Its ``by_year`` table holds the figures drawn.
    ax : matplotlib.axes.Axes, optional
    real : bool
        In first-month money (default) or nominal rial.
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = catalog(lang)["options_chart"]  # checks lang
    ax = chart_axes(ax)
    kind = "real_rial" if real else "rial"
    colours = ("tab:orange", "tab:green", "tab:blue", "tab:purple", "tab:brown")
    for colour, option in zip(colours, comparison.scenarios, strict=False):
        frame = comparison.by_year.loc[option]
        years = frame.index.to_numpy()
        label = text["options"].get(option, option)
        ax.plot(years, frame[f"family_cash_flow_{kind}_p50"], color=colour, marker="o",
                markersize=3, label=text["p50"].format(option=label))
        ax.plot(years, frame[f"family_cash_flow_{kind}_p90"], color=colour, linestyle="--",
                label=text["p90"].format(option=label))  # fmt: skip
    ax.axhline(0.0, color="black", linewidth=0.8)
    loan_years = {_loan_end_year(result) for result in comparison.results.values()}
    if len(loan_years) == 1:  # one loan for all: mark where its last instalment falls
        (loan_year,) = loan_years
        ax.axvline(loan_year + 0.5, color="gray", linestyle=":", linewidth=1)
        ax.annotate(text["loan_end"], (loan_year + 0.5, 1.0), xycoords=("data", "axes fraction"),
                    ha="left" if lang == "en" else "right", va="top", fontsize="small", color="gray")
    ax.yaxis.set_major_formatter(scaled_formatter(MILLION, lang))
    ax.xaxis.set_major_formatter(scaled_formatter(1.0, lang))
    ax.set_xlabel(text["year"])
    scenario = next(iter(comparison.results.values())).scenario
    ax.set_ylabel(text["real"].format(month=_real_month(scenario, lang)) if real else text["nominal"])
    ax.set_title(text["title"].format(n_paths=format_number(comparison.n_paths, lang)), wrap=True)
    ax.grid(alpha=0.3)
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.14), ncol=len(comparison.scenarios),
              markerfirst=lang == "en")  # fmt: skip
    return ax

