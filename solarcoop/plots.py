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

from solarcoop._validation import InputError, check_choice
from solarcoop.calendar import month_names, to_persian_digits

LANGUAGES = ("en", "fa")
MILLION = 1e6
BILLION = 1e9

P90_QUANTILE = 0.10
"""P90 is the value exceeded with 90 % probability: the 10th percentile (energy-industry usage)."""
P50_QUANTILE = 0.50
FAN_QUANTILES = (0.05, 0.10, 0.25, 0.50, 0.75, 0.90, 0.95)
"""Quantiles drawn in the fan chart: bands 5-95 %, 10-90 % and 25-75 %."""

WATERFALL_DEDUCTIONS = (
    ("operating_costs_rial", "costs"),
    ("debt_service_rial", "debt_service"),
    ("tax_rial", "tax"),
    ("reserves_rial", "reserves"),
    ("education_fee_rial", "education"),
    ("replacement_reserve_rial", "replacement_reserve"),
    ("replacement_spent_rial", "replacement_spent"),
    ("end_of_life_rial", "end_of_life"),
)
"""Ledger lines paid out of collected revenue before the distributions, in waterfall order."""
WATERFALL_ALWAYS = ("operating_costs_rial", "tax_rial", "reserves_rial", "education_fee_rial")

LABELS = {
    "en": {
        "month": "accounting month",
        "per_family_month": "per family per month [million rial]",
        "gross": "distribution (gross)",
        "instalment": "loan instalment",
        "net": "family's own cash flow (below 0: from its pocket)",
        "real": "its own cash flow, in first-month money",
        "plan_band": "promised: {low}-{high} million rial ({month} money)",
        "payout_title": "{name}: monthly payout per family",
        "fan_title": "{name}: {column}, spread over {n_paths} paths",
        "p50": "P50 (median)",
        "p90": "P90 (exceeded with 90 % probability)",
        "band_5_95": "5-95 % of paths",
        "band_10_90": "10-90 % of paths",
        "band_25_75": "25-75 % of paths",
        "shortfall_title": "{name}: chance the {column} is below {threshold} million rial",
        "probability": "probability [%]",
        "energy_title": "{name}: energy at the meter, year {year}",
        "energy_axis": "energy at the meter [MWh/month]",
        "waterfall_title": "{name}: where the money of year {year} goes ({first} to {last})",
        "coop_money": "whole cooperative, year total [billion rial]",
        "revenue": "revenue collected",
        "costs": "operating costs",
        "tax": "income tax",
        "debt_service": "cooperative's debt service",
        "replacement_reserve": "put aside for replacements",
        "replacement_spent": "replacements paid",
        "end_of_life": "end-of-life costs",
        "reserves": "reserves",
        "education": "education fee",
        "cash": "kept as working cash",
        "cash_drawn": "drawn from working cash",
        "distributed": "distributed to members",
        "lender": "loan instalments paid from the distribution",
        "interest": "interest on deposits",
        "sponsor": "to the sponsor (its share of the capital)",
        "reserve_cover": "precautionary reserve towards instalments",
        "net_families": "net to families",
        "arrears_note": "instalments due {due}; {unpaid} billion rial carried as arrears",
        "pocket_note": "instalments due {due}; {pocket} billion rial paid from the families' own pockets",
        "loan_title": "{name}: each family's share loan",
        "loan_balance": "loan balance outstanding",
        "arrears": "arrears (instalments not yet covered)",
        "loan_axis": "per family [million rial]",
        "paid_off": "paid off: {label}",
        "tornado_title": "{name}: what moves the {metric} most",
        "effects_title": "{name}: which disputed fact moves the family's month in year {year}",
        "effects_axis": "P50 of the family's net month, year {year} [million rial of {month}]",
        "effects_range": "P50 over the fact's readings",
        "effects_central": "central reading",
        "effects_all": "P50 drawing every fact",
        "effects_promise": "promise: {value} million rial",
        "low": "parameter at its low value",
        "high": "parameter at its high value",
        "base": "base case",
        "heatmap_title": "{name}: {metric}",
        "scenario": "scenario",
        "metrics": {
            "payout_per_family_rial": "net payout per family [million rial/month]",
            "payout_per_family_real_rial": "net payout per family, first-month money [million rial/month]",
            "distribution_per_family_rial": "distribution per family [million rial/month]",
            "payout_per_family_rial_mean_year1": "year-1 net payout per family [million rial/month]",
            "payout_per_family_real_rial_mean_year1": "year-1 real net payout per family [million rial/month]",
            "distribution_per_family_rial_mean_year1": "year-1 distribution per family [million rial/month]",
            "family_cash_flow_rial": "family's own cash flow [million rial/month]",
            "family_cash_flow_real_rial": "family's own cash flow, first-month money [million rial/month]",
            "family_cash_flow_rial_mean_year1": "year-1 family's own cash flow [million rial/month]",
            "family_cash_flow_real_rial_mean_year1": "year-1 family's own cash flow, first-month money [million rial/month]",
            "energy_kwh_year1": "year-1 energy [MWh]",
            "project_irr_nominal_per_year": "project IRR, nominal [fraction/year]",
            "project_irr_real_per_year": "project IRR, real [fraction/year]",
        },
        "parameters": {
            "tariff.base_price_rial_per_kwh": "tariff base price [rial/kWh]",
            "tariff.cpi_weight": "tariff CPI weight",
            "plant.capacity_kwp": "plant size [kWp]",
            "plant.degradation_per_year": "degradation [/year]",
            "plant.losses.availability": "availability loss",
            "plant.losses.curtailment": "curtailment",
            "economy.inflation_per_year": "inflation [/year]",
            "economy.fx_change_per_year": "euro-rate change [/year]",
            "payment.delay_months": "payment delay [months]",
            "payment.cash_share": "share paid in cash",
            "loan.annual_rate": "loan rate [/year]",
            "loan.term_months": "loan term [months]",
            "loan.principal_rial": "loan per family [rial]",
            "cooperative.families": "families",
            "costs.om_rial_per_kwp_year": "O&M [rial/kWp/year]",
            "costs.management_rial_per_year": "management [rial/year]",
        },
    },
    "fa": {
        "month": "ماه حسابداری",
        "per_family_month": "برای هر خانوار در ماه [میلیون ریال]",
        "gross": "سود تقسیمی (ناخالص)",
        "instalment": "قسط وام",
        "net": "جریان نقدی خانوار (زیر صفر: از جیب خود)",
        "real": "جریان نقدی خانوار، به ارزش پول ماه نخست",
        "plan_band": "وعده: {low} تا {high} میلیون ریال (به پول {month})",
        "payout_title": "دریافتی ماهانهٔ هر خانوار — {name}",
        "fan_title": "{column}، پراکندگی در {n_paths} مسیر — {name}",
        "p50": "میانه (P50)",
        "p90": "با احتمال ۹۰٪ بیشتر از این (P90)",
        "band_5_95": "۵ تا ۹۵٪ مسیرها",
        "band_10_90": "۱۰ تا ۹۰٪ مسیرها",
        "band_25_75": "۲۵ تا ۷۵٪ مسیرها",
        "shortfall_title": "احتمال کمتر بودن {column} از {threshold} میلیون ریال — {name}",
        "probability": "احتمال [٪]",
        "energy_title": "انرژی تحویلی به شبکه، سال {year} — {name}",
        "energy_axis": "انرژی تحویلی [مگاوات‌ساعت در ماه]",
        "waterfall_title": "پول سال {year} کجا می‌رود ({first} تا {last}) — {name}",
        "coop_money": "کل تعاونی، جمع سال [میلیارد ریال]",
        "revenue": "درآمد وصول‌شده",
        "costs": "هزینه‌های بهره‌برداری",
        "tax": "مالیات بر درآمد",
        "debt_service": "بازپرداخت بدهی تعاونی",
        "replacement_reserve": "ذخیرهٔ جایگزینی تجهیزات",
        "replacement_spent": "هزینهٔ جایگزینی تجهیزات",
        "end_of_life": "هزینهٔ پایان عمر",
        "reserves": "اندوخته‌ها",
        "education": "حق آموزش",
        "cash": "نگهداری به‌عنوان نقدینگی",
        "cash_drawn": "برداشت از نقدینگی",
        "distributed": "تقسیم میان اعضا",
        "lender": "اقساط پرداخت‌شده از سود",
        "interest": "سود سپرده",
        "sponsor": "سهم حامی (به نسبت سرمایه)",
        "reserve_cover": "اندوخته احتیاطی برای اقساط",
        "net_families": "خالص به خانوارها",
        "arrears_note": "اقساط سررسید {due}؛ {unpaid} میلیارد ریال معوق ماند",
        "pocket_note": "اقساط سررسید {due}؛ {pocket} میلیارد ریال از جیب خانوارها پرداخت شد",
        "loan_title": "وام سهم هر خانوار — {name}",
        "loan_balance": "مانده وام",
        "arrears": "معوقه (اقساطی که هنوز پوشش داده نشده)",
        "loan_axis": "برای هر خانوار [میلیون ریال]",
        "paid_off": "تسویه: {label}",
        "tornado_title": "چه چیزی {metric} را بیشتر جابه‌جا می‌کند — {name}",
        "effects_title": "کدام واقعیت مورد اختلاف ماه خانوار را در سال {year} بیشتر جابه‌جا می‌کند — {name}",
        "effects_axis": "میانهٔ خالص ماهانهٔ خانوار، سال {year} [میلیون ریال به پول {month}]",
        "effects_range": "میانه در خوانش‌های این واقعیت",
        "effects_central": "خوانش میانی",
        "effects_all": "میانه با قرعهٔ همهٔ واقعیت‌ها",
        "effects_promise": "وعده: {value} میلیون ریال",
        "low": "پارامتر در مقدار کم",
        "high": "پارامتر در مقدار زیاد",
        "base": "حالت پایه",
        "heatmap_title": "{metric} — {name}",
        "scenario": "سناریو",
        "metrics": {
            "payout_per_family_rial": "دریافتی خالص هر خانوار [میلیون ریال در ماه]",
            "payout_per_family_real_rial": "دریافتی خالص هر خانوار به ارزش ماه نخست [میلیون ریال در ماه]",
            "distribution_per_family_rial": "سود تقسیمی هر خانوار [میلیون ریال در ماه]",
            "payout_per_family_rial_mean_year1": "دریافتی خالص هر خانوار در سال ۱ [میلیون ریال در ماه]",
            "payout_per_family_real_rial_mean_year1": "دریافتی خالص واقعی هر خانوار در سال ۱ [میلیون ریال در ماه]",
            "distribution_per_family_rial_mean_year1": "سود تقسیمی هر خانوار در سال ۱ [میلیون ریال در ماه]",
            "family_cash_flow_rial": "جریان نقدی خانوار [میلیون ریال در ماه]",
            "family_cash_flow_real_rial": "جریان نقدی خانوار به ارزش ماه نخست [میلیون ریال در ماه]",
            "family_cash_flow_rial_mean_year1": "جریان نقدی خانوار در سال ۱ [میلیون ریال در ماه]",
            "family_cash_flow_real_rial_mean_year1": "جریان نقدی واقعی خانوار در سال ۱ [میلیون ریال در ماه]",
            "energy_kwh_year1": "انرژی سال ۱ [مگاوات‌ساعت]",
            "project_irr_nominal_per_year": "نرخ بازده داخلی اسمی [کسر در سال]",
            "project_irr_real_per_year": "نرخ بازده داخلی واقعی [کسر در سال]",
        },
        "parameters": {
            "tariff.base_price_rial_per_kwh": "نرخ پایهٔ خرید تضمینی [ریال/کیلووات‌ساعت]",
            "tariff.cpi_weight": "وزن تورم در تعدیل نرخ",
            "plant.capacity_kwp": "ظرفیت نیروگاه [کیلووات]",
            "plant.degradation_per_year": "افت سالانهٔ تولید",
            "plant.losses.availability": "تلفات در دسترس نبودن",
            "plant.losses.curtailment": "محدودسازی شبکه",
            "economy.inflation_per_year": "تورم سالانه",
            "economy.fx_change_per_year": "تغییر سالانهٔ نرخ یورو",
            "payment.delay_months": "تأخیر پرداخت [ماه]",
            "payment.cash_share": "سهم پرداخت نقدی",
            "loan.annual_rate": "نرخ وام [در سال]",
            "loan.term_months": "مدت وام [ماه]",
            "loan.principal_rial": "وام هر خانوار [ریال]",
            "cooperative.families": "تعداد خانوارها",
            "costs.om_rial_per_kwp_year": "هزینهٔ نگهداری [ریال/کیلووات/سال]",
            "costs.management_rial_per_year": "هزینهٔ مدیریت [ریال/سال]",
        },
    },
}
"""Every string drawn on a chart, one dict per language; both hold the same keys."""


def _labels(lang: str) -> dict:
    check_choice("lang", lang, LANGUAGES)
    return LABELS[lang]


def format_number(value: float, lang: str = "en", decimals: int | None = 0) -> str:
    """A number as a person reads it: thousands separated, Persian digits for ``lang="fa"``.

    ``decimals=None`` shows as many as needed, at most two (for axis ticks: 2.5, not 2).

    >>> format_number(1234567.8), format_number(52.25, "fa", 1), format_number(2.50, decimals=None)
    ('1,234,568', '۵۲٫۲', '2.5')
    """
    text = f"{value:,.{2 if decimals is None else decimals}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0" on an axis
    if lang == "fa":
        return to_persian_digits(text).replace(",", "٬")
    return text


def _scaled_formatter(scale: float, lang: str, decimals: int | None = None) -> FuncFormatter:
    return FuncFormatter(lambda value, _: format_number(value / scale, lang, decimals))


def _axes(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    return ax


def month_label(label: str, calendar: str, lang: str, with_year: bool = True) -> str:
    """``"1405-01"`` as ``"Farvardin 1405"`` or ``"فروردین ۱۴۰۵"``."""
    year, month = label.split("-")
    name = month_names(calendar, lang)[int(month) - 1]
    text = f"{name} {year}" if with_year else name
    return to_persian_digits(text) if lang == "fa" else text


def _month_ticks(ax, labels, calendar: str, lang: str) -> None:
    """Ticks at each year's first month on long charts ("1406" when it opens the calendar
    year), each half year on charts of up to three years, each month on one year."""
    labels = list(labels)
    step = 12 if len(labels) > 36 else 6 if len(labels) > 12 else 1
    positions = np.arange(0, len(labels), step)

    def tick(label: str) -> str:
        if step == 12 and label.endswith("-01"):
            return to_persian_digits(label[:-3]) if lang == "fa" else label[:-3]
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


def _legend(ax, lang: str, loc: str) -> None:
    # Persian reads from the right: the key sits to the right of its text
    ax.legend(fontsize="small", loc=loc, markerfirst=lang == "en")


def _name(result) -> str:
    return result.scenario.name


def _promise_band(ax, scenario, lang: str, alpha: float) -> None:
    """Shade the scenario's promised band, if it has one, labelled with its money's date."""
    promise = scenario.promise
    if promise is None:
        return
    label = _labels(lang)["plan_band"].format(
        low=format_number(promise.low_rial / MILLION, lang, None),
        high=format_number(promise.high_rial / MILLION, lang, None),
        month=month_label(promise.money_of, "jalali", lang),
    )
    ax.axhspan(*promise.band_rial, color="tab:green", alpha=alpha, label=label)


def _metric_label(metric: str, lang: str) -> str:
    return _labels(lang)["metrics"].get(metric, metric)


def _metric_scale(metric: str) -> float:
    """Money metrics are shown in millions of rial, energy in MWh, the rest as they are."""
    if "rial" in metric:
        return MILLION
    if metric.startswith("energy_kwh"):
        return 1e3
    return 1.0


def _metric_decimals(metric: str) -> int:
    return 0 if _metric_scale(metric) != 1.0 else 3


def _parameter_label(parameter: str, lang: str) -> str:
    return _labels(lang)["parameters"].get(parameter, parameter)


def monthly_payout(result, ax=None, years: int = 5, lang: str = "en"):
    """A family's month over the first ``years``: distribution, instalment and its own cash flow.

    The family's own cash flow (``family_cash_flow_rial``, nominal and in first-month
    money) is what reaches it less what it pays its lender, with its sign: below zero
    the family pays from its own pocket. The scenario's promise (``scenario.promise``),
    if it has one, is shaded.

    Parameters
    ----------
    result : solarcoop.Result
    ax : matplotlib.axes.Axes, optional
    years : int
        Operating years shown [years].
    lang : {"en", "fa"}
        Language of the labels and digits.

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = _labels(lang)
    ax = _axes(ax)
    monthly = result.monthly[result.monthly["operating_year"] <= years]
    x = np.arange(len(monthly))
    _promise_band(ax, result.scenario, lang, alpha=0.12)
    lines = (
        ("distribution_per_family_rial", text["gross"], "tab:blue", "-"),
        ("loan_instalment_per_family_rial", text["instalment"], "tab:red", "--"),
        ("family_cash_flow_rial", text["net"], "black", "-"),
        ("family_cash_flow_real_rial", text["real"], "gray", ":"),
    )
    for column, label, color, style in lines:
        ax.plot(
            x, monthly[column], label=label, color=color, linestyle=style, drawstyle="steps-mid"
        )
    _month_ticks(ax, monthly["label"], result.scenario.calendar, lang)
    ax.yaxis.set_major_formatter(_scaled_formatter(MILLION, lang))
    lowest = min(0.0, float(monthly[["family_cash_flow_rial", "family_cash_flow_real_rial"]].min().min()))
    ax.set_ylim(bottom=1.05 * lowest)  # the months a family pays from its pocket stay in view
    ax.set_ylabel(text["per_family_month"])
    ax.set_xlabel(text["month"])
    _title(ax, text["payout_title"].format(name=_name(result)))
    ax.grid(axis="y", alpha=0.3)
    _legend(ax, lang, "upper left")
    return ax


def payout_fan(
    monte_carlo, ax=None, column: str = "payout_per_family_rial", years: int = 5, lang: str = "en"
):
    """Fan chart of a monthly money column over Monte Carlo paths, with P50 and P90.

    P90 is the value exceeded with 90 % probability (the 10th percentile), as the
    energy industry names it; P50 is the median.

    Parameters
    ----------
    monte_carlo : solarcoop.studies.MonteCarloResult
        Anything with ``scenario``, ``months`` (``label``, ``operating_year``),
        ``quantiles(qs, column)`` and ``paths``.
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
    text = _labels(lang)
    if column not in monte_carlo.paths:
        raise InputError(
            f"column = {column!r} is not in the Monte Carlo paths: choose one of "
            + ", ".join(sorted(monte_carlo.paths))
        )
    ax = _axes(ax)
    shown = np.asarray(monte_carlo.months["operating_year"] <= years)
    quantiles = monte_carlo.quantiles(FAN_QUANTILES, column)[shown]
    labels = monte_carlo.months["label"][shown]
    x = np.arange(len(labels))
    _promise_band(ax, monte_carlo.scenario, lang, alpha=0.10)
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
    _month_ticks(ax, labels, monte_carlo.scenario.calendar, lang)
    ax.yaxis.set_major_formatter(_scaled_formatter(MILLION, lang))
    ax.set_ylabel(_metric_label(column, lang))
    ax.set_xlabel(text["month"])
    n_paths = next(iter(monte_carlo.paths.values())).shape[0]
    n_paths_text = format_number(n_paths, lang)
    _title(
        ax,
        text["fan_title"].format(
            name=monte_carlo.scenario.name,
            column=_metric_label(column, lang).split(" [")[0],
            n_paths=n_paths_text,
        ),
    )
    ax.grid(axis="y", alpha=0.3)
    _legend(ax, lang, "upper left")
    return ax


def shortfall_probability(
    monte_carlo,
    ax=None,
    threshold_rial: float | None = None,
    column: str = "payout_per_family_rial",
    years: int = 5,
    lang: str = "en",
):
    """The chance, month by month, that a money column falls below ``threshold_rial``.

    Parameters
    ----------
    monte_carlo : solarcoop.studies.MonteCarloResult
        Anything with ``scenario``, ``months`` and ``probability_below(column, threshold)``.
    ax : matplotlib.axes.Axes, optional
    threshold_rial : float, optional
        The target [rial]; default the bottom of the scenario's promised band (required
        when the scenario has no promise).
    column : str
    years : int
        Operating years shown [years].
    lang : {"en", "fa"}

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = _labels(lang)
    if threshold_rial is None:
        if monte_carlo.scenario.promise is None:
            raise InputError(
                "threshold_rial = None needs a promise to take its bottom from, and scenario "
                f"{monte_carlo.scenario.name!r} has none: give threshold_rial [rial]"
            )
        threshold_rial = monte_carlo.scenario.promise.low_rial
    ax = _axes(ax)
    shown = np.asarray(monte_carlo.months["operating_year"] <= years)
    probability = np.asarray(monte_carlo.probability_below(column, threshold_rial))[shown]
    labels = monte_carlo.months["label"][shown]
    x = np.arange(len(labels))
    ax.bar(x, probability, width=1.0, color="tab:red", alpha=0.6)
    _month_ticks(ax, labels, monte_carlo.scenario.calendar, lang)
    ax.yaxis.set_major_formatter(_scaled_formatter(0.01, lang))
    ax.set_ylim(0, 1)
    ax.set_ylabel(text["probability"])
    ax.set_xlabel(text["month"])
    _title(
        ax,
        text["shortfall_title"].format(
            name=monte_carlo.scenario.name,
            column=_metric_label(column, lang).split(" [")[0],
            threshold=format_number(threshold_rial / MILLION, lang),
        ),
    )
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
    text = _labels(lang)
    ax = _axes(ax)
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
    ax.yaxis.set_major_formatter(_scaled_formatter(1e3, lang))
    ax.set_ylabel(text["energy_axis"])
    ax.set_xlabel(text["month"])
    _title(ax, text["energy_title"].format(name=_name(result), year=format_number(year, lang)))
    ax.grid(axis="y", alpha=0.3)
    return ax


def money_waterfall(result, ax=None, year: int = 1, lang: str = "en"):
    """One operating year's money, from revenue collected to what reaches the families.

    Steps down from the revenue collected through operating costs, tax, reserves, the
    education fee and the working cash kept back to the distributions, then the loan
    instalments paid to the lender, to the net the families receive. Totals over the
    year's months of ``result.monthly`` for the whole cooperative [billion rial].

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
    text = _labels(lang)
    ax = _axes(ax)
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
    ax.bar_label(
        bars,
        labels=[
            format_number(v / BILLION, lang, 1 if revenue < 1e3 * BILLION else 0) for v in change
        ],
        label_type="center",
        fontsize="small",
    )
    ax.set_xticks(x, labels, rotation=30, ha="right")
    ax.yaxis.set_major_formatter(_scaled_formatter(BILLION, lang))
    ax.set_ylabel(text["coop_money"])
    _title(
        ax,
        text["waterfall_title"].format(
            name=_name(result),
            year=format_number(year, lang),
            first=month_label(months["label"].iloc[0], result.scenario.calendar, lang),
            last=month_label(months["label"].iloc[-1], result.scenario.calendar, lang),
        ),
    )
    due = total["loan_instalment_per_family_rial"] * families
    pocket = total.get("paid_from_pocket_per_family_rial", 0.0) * families
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
    text = _labels(lang)
    ax = _axes(ax)
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
    _month_ticks(ax, shown["label"], result.scenario.calendar, lang)
    ax.yaxis.set_major_formatter(_scaled_formatter(MILLION, lang))
    ax.set_ylim(bottom=0)
    ax.set_ylabel(text["loan_axis"])
    ax.set_xlabel(text["month"])
    _title(ax, text["loan_title"].format(name=_name(result)))
    ax.grid(axis="y", alpha=0.3)
    _legend(ax, lang, "upper right")
    return ax


def _value_text(value, lang: str) -> str:
    """A parameter value as a person reads it: 4.9 million, not 4.9e+06.

    >>> _value_text(4.9e6, "en"), _value_text(36_640, "en"), _value_text(0.08, "en")
    ('4.9 million', '36,640', '0.08')
    """
    if not isinstance(value, int | float | np.number):
        return str(value)
    if abs(value) >= 1e6:
        text = f"{value / 1e6:,.4g} " + ("million" if lang == "en" else "میلیون")
    else:
        text = f"{value:,.6g}"
    return to_persian_digits(text).replace(",", "٬") if lang == "fa" else text


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
        ``solarcoop.studies.sensitivity``). Bars are sorted by their swing, widest on top.
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
    text = _labels(lang)
    needed = ["parameter", "low_value", "high_value", "low_metric", "high_metric", "base_metric"]
    missing = [column for column in needed if column not in frame.columns]
    if missing:
        raise InputError(f"frame lacks the columns {', '.join(missing)} a tornado chart needs")
    ax = _axes(ax)
    swing = (frame["high_metric"] - frame["low_metric"]).abs()
    rows = frame.assign(_swing=swing).sort_values("_swing", kind="stable")
    base = rows["base_metric"].to_numpy()
    y = np.arange(len(rows))
    ax.barh(y, rows["low_metric"] - base, left=base, color="tab:blue", label=text["low"])
    ax.barh(y, rows["high_metric"] - base, left=base, color="tab:orange", label=text["high"])
    ax.axvline(base[0], color="black", linewidth=1, label=text["base"])
    ax.set_yticks(
        y,
        [
            f"{_parameter_label(p, lang)}\n{_value_text(low, lang)} / {_value_text(high, lang)}"
            for p, low, high in zip(
                rows["parameter"], rows["low_value"], rows["high_value"], strict=True
            )
        ],
        fontsize="small",
    )
    scale = _metric_scale(metric)
    ax.xaxis.set_major_formatter(_scaled_formatter(scale, lang))
    ax.set_xlabel(_metric_label(metric, lang))
    _title(
        ax,
        text["tornado_title"].format(
            name=name or text["scenario"], metric=_metric_label(metric, lang).split(" [")[0]
        ),
    )
    ax.grid(axis="x", alpha=0.3)
    _legend(ax, lang, "lower right")
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
    text = _labels(lang)
    for field, column in (("x", x), ("y", y), ("metric", metric)):
        if column not in frame.columns:
            raise InputError(f"{field} = {column!r} is not a column of the sweep frame")
    grid = frame.pivot_table(index=y, columns=x, values=metric, aggfunc="first").sort_index()
    grid = grid.sort_index(axis=1)
    ax = _axes(ax)
    scale = _metric_scale(metric)
    decimals = _metric_decimals(metric)
    image = ax.imshow(grid.to_numpy(), origin="lower", aspect="auto", cmap="viridis")
    colorbar = ax.figure.colorbar(image, ax=ax, format=_scaled_formatter(scale, lang))
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
    ax.set_xticks(np.arange(grid.shape[1]), [_value_text(v, lang) for v in grid.columns])
    ax.set_yticks(np.arange(grid.shape[0]), [_value_text(v, lang) for v in grid.index])
    ax.set_xlabel(_parameter_label(x, lang))
    ax.set_ylabel(_parameter_label(y, lang))
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
    from solarcoop.disputed import READING_TITLES

    text = _labels(lang)
    column = f"p50_year{year}_real_rial"
    if column not in frame.columns:
        raise InputError(f"year = {year!r}: the frame holds no {column} (see solarcoop.reading_effects(years=...))")
    ax = _axes(ax)
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
    ax.set_yticks(range(len(order)), [READING_TITLES[lang][reading] for reading in order])
    ax.xaxis.set_major_formatter(_scaled_formatter(MILLION, lang))
    month = frame.attrs.get("money_of")
    month = month_label(month, "jalali", lang) if month else ""
    ax.set_xlabel(text["effects_axis"].format(year=format_number(year, lang), month=month))
    _title(ax, text["effects_title"].format(name=name or text["scenario"], year=format_number(year, lang)))
    ax.grid(axis="x", alpha=0.3)
    _legend(ax, lang, "lower right")
    return ax
