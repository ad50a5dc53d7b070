"""Where the cooperative stands, for people: a summary, a chart, a short PDF and a workbook.

Everything here reads a :class:`solarcoop.studies.tracking.Tracking`; nothing is modelled. The
chart puts the plan's band, the actual months and the forecast's band on one axis; the
summary says, in English or Persian, how far the months so far are from the plan, why,
what the months say against the plan's assumptions, and what the forecast gives from here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop._atomic import check_folder, write_folder
from solarcoop._validation import check_choice
from solarcoop.present import plots
from solarcoop.present.locales import catalog
from solarcoop.present.pages import Document, chart_png, image, section, text
from solarcoop.present.text import (
    BILLION,
    MILLION,
    format_number,
    format_percent_points,
    format_signed,
    month_label,
    with_percent,
)

PAGE_SIZE_IN = (11.69, 8.27)
"""A4 landscape [inches]."""
BAND_QUANTILES = (0.10, 0.50, 0.90)
"""P90 (exceeded with 90 % probability), P50 and P10 of the bands drawn."""



def _text(lang: str) -> dict:
    """Every string of the summary, the chart and the workbook: the ``[tracking]`` table of
    the language's catalog (:mod:`solarcoop.present.locales`)."""
    return catalog(lang)["tracking"]


def _n(value, lang: str, decimals: int = 1) -> str:
    """A number of the summary: one decimal unless said otherwise."""
    return format_number(value, lang, decimals)


def _percent(value, lang: str, decimals: int = 0) -> str:
    """A fraction of the summary in percent (multiplied by 100, not rounded first)."""
    return format_percent_points(100 * value, lang, decimals)


def _month(label: str, tracking, lang: str) -> str:
    return month_label(label, tracking.scenario.calendar, lang)


def _estimate_value(name: str, value: float, lang: str) -> str:
    if not np.isfinite(value):
        return _text(lang)["not_in_file"]
    if name == "delay_months":
        return _n(value, lang, 0)
    if name.endswith("_per_year") or name == "cash_share":
        return _percent(value, lang, 1)
    return _n(value, lang, 3)


def _calibration_lines(tracking, lang: str) -> list[str]:
    text = _text(lang)
    lines = []
    for name, row in tracking.calibration.iterrows():
        if name in ("weather_factor", "performance_factor") and row["months"] == 0:
            continue  # no irradiation in the file: the energy factor says it all
        value = _estimate_value(name, row["estimate"], lang)
        if np.isfinite(row["estimate"]) and np.isfinite(row["standard_error"]):
            value += " ± " + _estimate_value(name, row["standard_error"], lang)
        if np.isfinite(row["low"]):
            value += f" ({text['range']} {_n(row['low'], lang, 0)}-{_n(row['high'], lang, 0)})"
        entry = text["estimate"].format(
            value=value, assumption=_estimate_value(name, row["assumption"], lang), months=_n(row["months"], lang, 0)
        )
        lines.append(f"  {text['calibration_names'][name]}: {entry}")
    return lines


def summary_lines(tracking, lang: str = "en") -> list[str]:
    """Where the cooperative stands, line by line, in ``lang`` ("en" or "fa")."""
    text = _text(lang)
    monthly = tracking.monthly
    labels = monthly["label"]
    sums = monthly.sum(numeric_only=True)
    energy_change = sums["energy_kwh_actual"] / sums["energy_kwh_plan"] - 1
    owed = sums["billed_rial_actual"] - sums["received_rial_actual"]
    lines = [
        text["title"].format(name=tracking.scenario.name),
        text["so_far"].format(
            months=_n(tracking.n_past, lang, 0), first=_month(labels.iloc[0], tracking, lang),
            last=_month(labels.iloc[-1], tracking, lang),
        ),
        "  " + text["energy"].format(
            actual=_n(sums["energy_kwh_actual"] / 1e3, lang, 0), plan=_n(sums["energy_kwh_plan"] / 1e3, lang, 0),
            change=with_percent(format_signed(100 * energy_change, lang), lang),
        ),
        "  " + text["billed"].format(
            actual=_n(sums["billed_rial_actual"] / BILLION, lang), plan=_n(sums["billed_rial_plan"] / BILLION, lang)
        ),
        "  " + text["received"].format(
            actual=_n(sums["received_rial_actual"] / BILLION, lang), plan=_n(sums["received_rial_plan"] / BILLION, lang),
            owed=_n(owed / BILLION, lang),
        ),
    ]  # fmt: skip
    explained = tracking.explained
    actual_total = explained.attrs["actual_per_family_rial"]
    plan_total = explained.attrs["plan_per_family_rial"]
    key = "distributed" if monthly["distributed_rial_actual"].notna().any() else "distributed_rule"
    lines.append("  " + text[key].format(actual=_n(actual_total / MILLION, lang), plan=_n(plan_total / MILLION, lang)))
    lines.append(text["causes"])
    for name, row in explained.iterrows():
        lines.append(f"  {text['causes_names'][name]}: {format_signed(row['gap_per_family_rial'] / MILLION, lang)}")
    lines.append(text["calibration"])
    lines += _calibration_lines(tracking, lang)
    month = tracking.headline.attrs.get("from_month")
    if month is None:
        lines.append(text["no_future"])
        return lines
    lines.append(text["headline"].format(month=_month(month, tracking, lang)))
    real_month = _month(tracking.scenario.real_money_month, tracking, lang)
    lines.append("  " + text["headline_columns"])
    for name, row in tracking.headline.iterrows():
        if name == "family_cash_flow_rial_mean_rest_of_life":
            continue  # nominal rial over decades of inflation: the workbook has it
        if name.startswith("chance"):
            values = [_percent(row["forecast_P50"], lang), _percent(row["plan_P50"], lang)]
            low = _n(tracking.headline.attrs["promise_low_rial"] / MILLION, lang, 0)
            lines.append(f"  {text['rows'][name].format(low=low)}: {values[0]}  |  {values[1]}")
            continue
        forecast = " / ".join(_n(row[f"forecast_{p}"] / MILLION, lang) for p in ("P90", "P50", "P10"))
        plan = " / ".join(_n(row[f"plan_{p}"] / MILLION, lang) for p in ("P90", "P50", "P10"))
        lines.append(f"  {text['rows'][name].replace('{month}', real_month)}: {forecast}  |  {plan}")
    lines.append(text["note"].replace("{month}", real_month))
    return lines


def plan_actual_forecast(
    tracking, ax=None, years: int = 3, lang: str = "en", column: str = "distribution_per_family_cumulative_rial"
):
    """The plan's band, the actual months and the forecast's band on one chart.

    By default what each family has been paid since operation began (the distribution
    summed month by month): it reads at a glance how far behind or ahead of the plan the
    families are, whatever month the cooperative pays in.

    Parameters
    ----------
    tracking : solarcoop.studies.tracking.Tracking
    ax : matplotlib.axes.Axes, optional
    years : int
        Operating years shown [years] (at least the months so far).
    lang : {"en", "fa"}
    column : {"distribution_per_family_cumulative_rial", "distribution_per_family_rial"}
        What is drawn [rial per family]; the actual months are drawn for either.

    Returns
    -------
    matplotlib.axes.Axes
    """
    text = _text(lang)
    check_choice("column", column, ("distribution_per_family_cumulative_rial", "distribution_per_family_rial"))
    ax = plots.chart_axes(ax)
    months = tracking.plan.months
    shown = max(12 * years, tracking.n_past + 1)
    shown = min(shown, len(months))
    x = np.arange(shown)
    plan = tracking.plan.quantiles(BAND_QUANTILES, column).to_numpy()[:shown]
    forecast = tracking.forecast.quantiles(BAND_QUANTILES, column).to_numpy()[:shown]
    ax.fill_between(x, plan[:, 0], plan[:, 2], color="tab:gray", alpha=0.25, linewidth=0, step="mid", label=text["plan_band"])
    ax.plot(x, plan[:, 1], color="dimgray", linestyle="--", drawstyle="steps-mid", label=text["plan_p50"])
    future = x >= tracking.n_past - 1
    ax.fill_between(
        x[future], forecast[future, 0], forecast[future, 2], color="tab:blue", alpha=0.3, linewidth=0,
        step="mid", label=text["forecast_band"],
    )  # fmt: skip
    ax.plot(x[future], forecast[future, 1], color="navy", drawstyle="steps-mid", label=text["forecast_p50"])
    past = tracking.monthly
    ax.plot(
        np.arange(tracking.n_past), past[f"{column}_actual"], "o", color="black",
        markersize=4, label=text["actual"],
    )  # fmt: skip
    ax.plot(
        np.arange(tracking.n_past), forecast[: tracking.n_past, 1], color="tab:orange", drawstyle="steps-mid",
        label=text["by_rule"],
    )  # fmt: skip
    ax.axvline(tracking.n_past - 0.5, color="black", linewidth=0.8, linestyle=":", label=text["today"])
    plots.month_ticks(ax, months["label"].iloc[:shown], tracking.scenario.calendar, lang)
    ax.yaxis.set_major_formatter(plots.scaled_formatter(MILLION, lang))
    ax.set_ylabel(text["y_label_cumulative" if "cumulative" in column else "y_label"])
    ax.set_xlabel(plots.chart_labels(lang)["month"])
    ax.set_title(text["chart_title"].format(name=tracking.scenario.name), wrap=True)
    ax.grid(axis="y", alpha=0.3)
    plots.chart_legend(ax, lang, "upper left")
    return ax


CHART_DPI = 120
"""Resolution of the chart, in the PNG file and the PDF [dots per inch]."""


def _summary_section(lines: list[str]) -> dict:
    """The summary page: the first line as its heading, lines not indented as bold
    headings, indented lines as text."""
    blocks = [
        text(line.strip(), 8.5, bold=not line.startswith("  "), space_pt=2 if line.startswith("  ") else 1)
        for line in lines[1:]
    ]
    return section(lines[0], blocks)


def _sheets(tracking, lang: str) -> dict[str, tuple[pd.DataFrame, bool]]:
    text = _text(lang)
    names = text["sheets"]
    plan = tracking.plan.quantiles(BAND_QUANTILES, "family_cash_flow_rial")
    forecast = tracking.forecast.quantiles(BAND_QUANTILES, "family_cash_flow_rial")
    quantiles = pd.concat([plan, forecast], axis=1).reset_index()
    quantiles.columns = list(text["forecast_columns"])
    return {
        names[0]: (tracking.monthly, False),
        names[1]: (tracking.explained, True),
        names[2]: (tracking.calibration, True),
        names[3]: (tracking.headline, True),
        names[4]: (quantiles, False),
    }


def write_tracking_report(tracking, out_dir, lang: str = "en", force: bool = False) -> list[Path]:
    """Write ``track_<lang>.pdf`` (summary and chart), ``track_<lang>.xlsx`` and ``track_<lang>.png``.

    Parameters
    ----------
    tracking : solarcoop.studies.tracking.Tracking
    out_dir : str or path
        Folder written into, whole or not at all (:func:`solarcoop._atomic.write_folder`).
    lang : {"en", "fa"}
    force : bool
        Replace the files of an earlier run in ``out_dir``; without it a folder holding
        them raises ``InputError`` and nothing is written.

    Returns
    -------
    list of pathlib.Path
        The PDF, the workbook and the chart.
    """
    _text(lang)
    out = check_folder(out_dir, force)

    png = chart_png(lambda ax: plan_actual_forecast(tracking, ax, lang=lang), PAGE_SIZE_IN, CHART_DPI)
    summary = _summary_section(summary_lines(tracking, lang))
    document = Document(
        title=tracking.scenario.name, lang=lang, images={"chart.png": png},
        sections=[summary, section(summary["title"], [image("chart.png")], heading="")],
    )  # fmt: skip

    def write_workbook(path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as workbook:
            for sheet, (frame, index) in _sheets(tracking, lang).items():
                frame.to_excel(workbook, sheet_name=sheet, index=index)

    writers = {
        f"track_{lang}.pdf": document.write,
        f"track_{lang}.xlsx": write_workbook,
        f"track_{lang}.png": lambda path: path.write_bytes(png),
    }
    return write_folder(out, writers, force)
