"""The programme report: what a whole programme pays its families, in English or Persian.

Everything here reads a :class:`solarcoop.programme.ProgrammeResult` (and, for the
provinces' families and the national readings, the programme table and runs with a reading
held); nothing is modelled. The pages, typeset like the cooperative's report
(:class:`solarcoop.present.pages.Document`):

1. what the programme pays its families in the year (P50 and P90 of the total, nominal and
   in real money of the result's month), how sure that is, and how many families pay their
   instalment from their own pocket (P50, and in 9 futures out of 10 at most: the 0.9
   quantile, the bad side of a count);
   with the programme's months (paid, and families paying from their pocket) in two charts;
2. the provinces side by side (a table and a chart);
3. the plants furthest below plan (where actual months were given; otherwise it says so);
4. what each national reading does to the total (from :func:`reading_effects`).

A synthetic table (:func:`solarcoop.programme.synthetic.is_synthetic`) is labelled so in
the running header and at the foot of every page.
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop._atomic import check_folder, write_folder
from solarcoop._validation import InputError
from solarcoop.calendar import to_jalali
from solarcoop.present import plots
from solarcoop.present.locales import catalog
from solarcoop.present.pages import Document, chart_png, columns, footer, image, section, text
from solarcoop.present.pages import table as table_block
from solarcoop.present.text import (
    BILLION,
    MILLION,
    date_text,
    digits,
    format_count,
    format_number,
    format_percent_points,
    format_signed,
    month_label,
    signs,
    with_percent,
)
from solarcoop.programme.synthetic import SYNTHETIC_PREFIX
from solarcoop.site import province_centres

PAGE_SIZE_IN = (11.0, 5.6)
"""A full-width chart [inches]."""
HALF_SIZE_IN = (6.2, 3.4)
"""A chart beside another [inches]."""
CHART_DPI = 130
"""Resolution of the charts [dots per inch]."""
BELOW_PLAN_ROWS = 15
"""Plants listed on the page of plants furthest below plan."""
QUANTITIES = ("paid_to_families_rial", "families_paying_from_pocket", "instalments_in_arrears")
WORSE_WHEN_MORE = ("families_paying_from_pocket", "instalments_in_arrears")
"""Counts whose pessimistic side is their high quantile: the report shows their 0.9
quantile (``_high``: in 9 futures out of 10 at most), not their P90 (the 0.1 quantile)."""


def _words(lang: str) -> dict:
    """The ``[programme]`` table of the language's catalog."""
    return catalog(lang)["programme"]


def _year_text(year: int, lang: str) -> str:
    return digits(str(int(year)), lang)


def billions(value_rial: float, lang: str) -> str:
    """A programme total in billion rial as the report prints it: no decimals from 100
    billion, one below.

    >>> billions(1_234_567_000_000, "en"), billions(12_340_000_000, "fa")
    ('1,235', '۱۲٫۳')
    """
    value = value_rial / BILLION
    return format_number(value, lang, 0 if abs(value) >= 100 else 1)


def count_text(value: float, lang: str) -> str:
    """A number of families as the report prints it (rounded to a whole family).

    >>> count_text(1234.4, "en"), count_text(12.6, "fa")
    ('1,234', '۱۳')
    """
    return format_number(value, lang, 0)


def is_synthetic_result(result) -> bool:
    """True when every plant of the result has a synthetic id (``SYN-...``)."""
    ids = result.plants["plant_id"].astype(str)
    return bool(len(ids)) and bool(ids.str.startswith(SYNTHETIC_PREFIX).all())


def _years(frame: pd.DataFrame) -> pd.Series:
    return frame["label"].astype(str).str.slice(0, 4).astype(int)


def report_year(result, year: int | None = None, today: datetime.date | None = None) -> int:
    """The year the report's first page speaks of [Jalali year].

    ``year`` when given (it must be in the result's months); otherwise next year (the
    Jalali year after ``today``'s), or the result's last year when its months end sooner,
    or its first when they begin later.
    """
    years = sorted(set(_years(result.totals)))
    if not years:
        raise InputError("the result has no months in its totals", "empty", field="totals")
    if year is not None:
        if int(year) not in years:
            raise InputError(
                f"year = {year!r}: the result's months cover {years[0]} to {years[-1]}",
                "out_of_range", field="year", value=year, allowed=f"{years[0]} to {years[-1]}",
            )  # fmt: skip
        return int(year)
    wanted = to_jalali(today or datetime.date.today())[0] + 1
    return int(min(max(wanted, years[0]), years[-1]))


def year_figures(result, year: int) -> dict:
    """The first page's figures for ``year``.

    From ``result.totals_by_year`` when the result has it: the quantiles across paths of
    each path's year figure (paid: the year's sum; families: the path's mean month and its
    highest month). Otherwise (a result without it) from the months: the sums of the
    months' P50 and of the months' P90 paid, the mean and highest of the months' quantiles
    of families (``from_months`` True).

    Returns
    -------
    dict
        ``paid_p50_rial``, ``paid_p90_rial`` [rial, nominal]; ``paid_real_p50_rial``,
        ``paid_real_p90_rial`` [rial of ``result.real_money_of``, NaN when not given];
        ``pocket_p50``, ``pocket_high``, ``pocket_peak_p50``, ``pocket_peak_high``,
        ``arrears_p50``, ``arrears_high`` [families: P50 and the 0.9 quantile, the bad
        side of a count where more is worse (:data:`WORSE_WHEN_MORE`); NaN when the
        result does not give it]; ``months`` (the year's months in the
        result); ``from_months`` (bool).
    """
    totals = result.totals[_years(result.totals) == year]
    by_year = getattr(result, "totals_by_year", None)
    figures = {"months": len(totals)}
    if isinstance(by_year, pd.DataFrame) and year in set(by_year["year"]):
        row = by_year[by_year["year"] == year].iloc[0]
        figures["from_months"] = False
        for name in ("p50", "p90"):
            figures[f"paid_{name}_rial"] = float(row[f"paid_to_families_rial_{name}"])
            figures[f"paid_real_{name}_rial"] = float(row.get(f"paid_to_families_real_rial_{name}", np.nan))
        for name in ("p50", "high"):
            figures[f"pocket_{name}"] = float(row.get(f"families_paying_from_pocket_{name}", np.nan))
            figures[f"pocket_peak_{name}"] = float(row.get(f"families_paying_from_pocket_peak_{name}", np.nan))
            figures[f"arrears_{name}"] = float(row.get(f"instalments_in_arrears_{name}", np.nan))
        return figures
    figures["from_months"] = True
    for name in ("p50", "p90"):
        figures[f"paid_{name}_rial"] = float(totals[f"paid_to_families_rial_{name}"].sum())
        real = f"paid_to_families_real_rial_{name}"
        figures[f"paid_real_{name}_rial"] = float(totals[real].sum()) if real in totals else np.nan
    for name in ("p50", "high"):
        pocket, arrears = f"families_paying_from_pocket_{name}", f"instalments_in_arrears_{name}"
        figures[f"pocket_{name}"] = float(totals[pocket].mean()) if pocket in totals else np.nan
        figures[f"pocket_peak_{name}"] = float(totals[pocket].max()) if pocket in totals else np.nan
        figures[f"arrears_{name}"] = float(totals[arrears].mean()) if arrears in totals else np.nan
    return figures


def province_names(lang: str) -> dict[str, str]:
    """Province names in ``lang``, by their English name."""
    return {centre.province_en: centre.province_en if lang == "en" else centre.province_fa for centre in province_centres()}


def province_figures(result, year: int, table: pd.DataFrame | None = None) -> pd.DataFrame:
    """The provinces side by side in ``year``: one row per province, largest P50 first.

    Columns: ``plants`` (from the result), ``families`` (from ``table``, NaN without it),
    ``paid_p50_rial``, ``paid_p90_rial`` (the P50 and P90 of the province's year sum, from
    ``result.by_province_year``; without it the sums of the months' P50 and P90) [rial],
    ``paid_real_p50_rial`` (the same P50 in money of ``result.real_money_of``, NaN without it),
    ``per_family_p50_rial`` (P50 per family per month [rial]) and ``pocket_p50`` (the mean
    month's families paying from their pocket, P50).
    """
    by_year = getattr(result, "by_province_year", None)
    if isinstance(by_year, pd.DataFrame):
        rows = by_year[by_year["year"] == year].set_index("province")
        frame = pd.DataFrame(
            {
                "paid_p50_rial": rows["paid_to_families_rial_p50"],
                "paid_p90_rial": rows["paid_to_families_rial_p90"],
                "paid_real_p50_rial": rows.get("paid_to_families_real_rial_p50", np.nan),
                "pocket_p50": rows["families_paying_from_pocket_p50"],
                "months": rows["months"],
            }
        )
    else:
        months = result.by_province[_years(result.by_province) == year]
        grouped = months.groupby("province")
        frame = pd.DataFrame(
            {
                "paid_p50_rial": grouped["paid_to_families_rial_p50"].sum(),
                "paid_p90_rial": grouped["paid_to_families_rial_p90"].sum(),
                "paid_real_p50_rial": np.nan,
                "pocket_p50": grouped["families_paying_from_pocket_p50"].mean(),
                "months": grouped.size(),
            }
        )
    frame["plants"] = result.plants.groupby("province")["plant_id"].nunique().reindex(frame.index).fillna(0)
    if table is not None:
        frame["families"] = table.groupby("province")["families"].sum().reindex(frame.index)
    else:
        frame["families"] = np.nan
    frame["per_family_p50_rial"] = frame["paid_p50_rial"] / frame["families"] / frame["months"]
    return frame.sort_values("paid_p50_rial", ascending=False)


COMPARED = (("paid_to_families", "rial", MILLION), ("energy", "kwh", 1_000.0))
"""What a plant's actual months are held against its plan by, in order of preference: the
money paid to its families where the actuals give it, else its energy; each with the unit
of its columns and the divisor the page shows it in (million rial, MWh)."""


def below_plan(result, rows: int = BELOW_PLAN_ROWS) -> pd.DataFrame:
    """The plant-years with actual months furthest below the plan's P50, at most ``rows``,
    worst first. Each is held against its plan by the money paid to its families where the
    actuals give it, else by its energy (:data:`COMPARED`): ``figure`` names which;
    ``actual``, ``plan_p50`` and ``plan_p10`` are in that figure's unit [rial or kWh];
    ``gap`` is actual / plan P50 - 1."""
    plants = result.plants
    has_actuals = plants["actual_months"].fillna(0) > 0
    frames = []
    taken = pd.Series(False, index=plants.index)
    for figure, unit, _ in COMPARED:
        actual_column = f"{figure}_actual_{unit}"
        if actual_column not in plants:
            continue
        mine = has_actuals & ~taken & plants[actual_column].notna()
        frame = plants[mine].copy()
        frame["figure"] = figure
        frame["actual"] = frame[actual_column]
        frame["plan_p50"] = frame[f"{figure}_plan_p50_{unit}"]
        frame["plan_p10"] = frame[f"{figure}_plan_p10_{unit}"]
        frames.append(frame)
        taken |= mine
    if not frames:
        return plants.iloc[:0].assign(figure=[], actual=[], plan_p50=[], plan_p10=[], gap=[])
    frame = pd.concat(frames)
    frame["gap"] = frame["actual"] / frame["plan_p50"] - 1
    return frame.sort_values("gap").head(rows)


NATIONAL_READINGS = {
    "euro_drift": ("parity", "pace_of_2024_2025"),
    "payment": ("half_in_bonds_a_year_late", "all_cash"),
}
"""The national readings (:data:`solarcoop.disputed.READINGS`) the report holds one at a
time, at their extreme alternatives. The tariff level is not among them: a started plant's
price is its contract year's (:data:`solarcoop.vintage.TABLE_DECIDES`), so a tariff
decision is a change of every contract's base price (:data:`TARIFF_FACTORS`)."""

TARIFF_FACTORS = (0.8, 1.2)
"""Every contract's base price times these factors for the tariff rows [-]: a decision to
cut or raise the guaranteed-purchase prices by a fifth."""

INFLATION_RATES = (0.25, 0.45)
"""The centre of consumer-price inflation for the inflation rows [fraction a year], the draws
around it as before: a calmer and a harsher rate than the central one (yearly inflation
ranged about 31 to 46 % in 1397-1404, Statistical Centre)."""


def national_cases(
    readings: Mapping[str, tuple[str, ...]] | None = None,
    tariff_factors: tuple[float, ...] = TARIFF_FACTORS,
    inflation_rates: tuple[float, ...] = INFLATION_RATES,
) -> list[tuple[str, object, dict]]:
    """The runs of :func:`reading_effects`: (name, alternative, keyword arguments of the run).

    >>> [case[:2] for case in national_cases({"payment": ("all_cash",)}, (0.8,), (0.45,))]
    [('tariff', 0.8), ('inflation', 0.45), ('payment', 'all_cash')]
    """
    readings = NATIONAL_READINGS if readings is None else readings
    cases = [("tariff", float(factor), {"changes": {"tariff.base_price_rial_per_kwh": functools.partial(operator.mul, float(factor))}})
             for factor in tariff_factors]  # fmt: skip
    cases += [("inflation", float(rate), {"changes": {"economy.inflation_per_year": float(rate)}}) for rate in inflation_rates]
    cases += [(name, alternative, {"readings": {name: alternative}}) for name, alternatives in readings.items() for alternative in alternatives]
    return cases


def reading_effects(run: Callable, table, year: int, cases: list | None = None, base=None, **kwargs) -> pd.DataFrame:
    """Run the programme once as drawn and once per national case, on the same paths.

    Parameters
    ----------
    run : callable
        ``run(table, readings=..., changes=..., **kwargs)`` giving a
        :class:`~solarcoop.programme.ProgrammeResult` on the same paths for the same
        ``seed`` (:func:`solarcoop.programme.programme`).
    table : pandas.DataFrame
        The programme table.
    year : int
        The Jalali year whose total is compared.
    cases : list, optional
        From :func:`national_cases` (its defaults without it): each a tariff decision
        (every contract's base price times a factor), an inflation centre, or a national
        reading held at one alternative, the rest drawn as before.
    base : ProgrammeResult, optional
        The run with everything drawn, when it is at hand (``run(table, **kwargs)``): it is
        not run again.

    Returns
    -------
    pandas.DataFrame
        One row per case: ``reading`` (``"tariff"``, ``"inflation"`` or a reading's name),
        ``alternative`` (the factor, the rate or the alternative's name), ``paid_p50_rial``,
        ``paid_p90_rial`` [rial, the year's total]; ``attrs["all_drawn_p50_rial"]`` and
        ``attrs["year"]``.
    """
    cases = national_cases() if cases is None else cases
    base = year_figures(run(table, **kwargs) if base is None else base, year)
    rows = []
    for name, alternative, held in cases:
        figures = year_figures(run(table, **held, **kwargs), year)
        rows.append({"reading": name, "alternative": alternative, "paid_p50_rial": figures["paid_p50_rial"],
                     "paid_p90_rial": figures["paid_p90_rial"]})  # fmt: skip
    frame = pd.DataFrame(rows)
    frame.attrs.update(all_drawn_p50_rial=base["paid_p50_rial"], year=year)
    return frame


# --------------------------------------------------------------------------- pages


def _label_footer(result, lang: str, synthetic: bool) -> dict:
    words = _words(lang)
    return footer(words["synthetic_label"] if synthetic else words["real_label"], 8)


def summary_lines(result, lang: str = "en", year: int | None = None, today: datetime.date | None = None) -> list[str]:
    """The first page's sentences: who and how many, how sure the year's total is, and the
    families paying from their pocket (:func:`report_year` picks the year)."""
    words = _words(lang)
    year = report_year(result, year, today)
    figures = year_figures(result, year)
    year_text = _year_text(year, lang)
    lead = words["lead"].format(
        n_plants=format_count(result.n_plants, lang), n_families=format_count(result.n_families, lang),
        n_paths=format_count(result.n_paths, lang), seed=digits(str(result.seed), lang),
    )  # fmt: skip
    p50, p90 = figures["paid_p50_rial"], figures["paid_p90_rial"]
    gap = (p50 - p90) / p50 if p50 else 0.0
    sure = words["sure_sentence"].format(
        year=year_text, p50=billions(p50, lang), p90=billions(p90, lang), gap=format_percent_points(100 * gap, lang, 0),
    )  # fmt: skip
    pocket = words["pocket_sentence"].format(
        year=year_text, p50=count_text(figures["pocket_p50"], lang), peak=count_text(figures["pocket_peak_p50"], lang),
        high=count_text(figures["pocket_high"], lang), peak_high=count_text(figures["pocket_peak_high"], lang),
    )  # fmt: skip
    return [lead, sure, pocket]


def _summary_section(result, year: int, lang: str) -> list[dict]:
    words = _words(lang)
    figures = year_figures(result, year)
    year_text = _year_text(year, lang)
    real_month = month_label(result.real_money_of, "jalali", lang)
    lead, sure, pocket = summary_lines(result, lang, year)
    real_given = np.isfinite(figures["paid_real_p50_rial"])
    rows = [[words["paid_nominal"].format(year=year_text), billions(figures["paid_p50_rial"], lang),
             billions(figures["paid_p90_rial"], lang)]]  # fmt: skip
    if real_given:
        rows.append([words["paid_real"].format(year=year_text, month=real_month),
                     billions(figures["paid_real_p50_rial"], lang), billions(figures["paid_real_p90_rial"], lang)])  # fmt: skip
    counts = [
        [words["pocket_mean"].format(year=year_text), count_text(figures["pocket_p50"], lang), count_text(figures["pocket_high"], lang)],
        [words["pocket_peak"], count_text(figures["pocket_peak_p50"], lang), count_text(figures["pocket_peak_high"], lang)],
        [words["arrears_mean"].format(year=year_text), count_text(figures["arrears_p50"], lang), count_text(figures["arrears_high"], lang)],
    ]  # fmt: skip
    blocks = [
        text(lead, 9.5, space_pt=8),
        table_block([words["what"], words["p50"], words["p90"]], rows, [5, 1.6, 1.9], 10),
        table_block([words["families_what"], words["p50"], words["high"]], counts, [5, 1.6, 1.9], 10),
        text(sure, 10, bold=True, space_pt=4),
        text(pocket, 9.5),
        text(words["real_sentence"].format(month=real_month) if real_given else words["real_missing"], 8.5, fill="#555555", space_pt=2),
    ]  # fmt: skip
    if figures["from_months"]:
        blocks.append(text(words["from_months"], 8.5, fill="#555555"))
    return blocks


MONTHS_AROUND_YEARS = 2
"""The month charts show the report's year and this many years before and after it [years]."""


def months_chart(result, quantity: str, ax=None, lang: str = "en", year: int | None = None):
    """One of the programme's totals month by month: its P50 and the band to its bad side,
    down to its P90 for the money, up to its 0.9 quantile for a count where more is worse
    (:data:`WORSE_WHEN_MORE`: in 9 futures out of 10 at most).

    Parameters
    ----------
    result : ProgrammeResult
    quantity : {"paid_to_families_rial", "families_paying_from_pocket"}
    ax : matplotlib.axes.Axes, optional
    lang : {"en", "fa"}
    year : int, optional
        Show this Jalali year and :data:`MONTHS_AROUND_YEARS` years either side of it
        (those the result holds); all the months without it.
    """
    words = _words(lang)
    ax = plots.chart_axes(ax)
    totals = result.totals
    if year is not None:
        years = _years(totals)
        totals = totals[(years >= year - MONTHS_AROUND_YEARS) & (years <= year + MONTHS_AROUND_YEARS)]
    x = np.arange(len(totals))
    scale = BILLION if quantity == "paid_to_families_rial" else 1.0
    p50 = totals[f"{quantity}_p50"].to_numpy() / scale
    bad, label = ("high", words["high"]) if quantity in WORSE_WHEN_MORE else ("p90", words["p90"])
    bad_side = totals[f"{quantity}_{bad}"].to_numpy() / scale
    ax.fill_between(x, bad_side, p50, color="tab:blue", alpha=0.25, linewidth=0, step="mid", label=label)
    ax.plot(x, p50, color="navy", drawstyle="steps-mid", label=words["p50"])
    plots.month_ticks(ax, totals["label"], "jalali", lang)
    ax.yaxis.set_major_formatter(plots.scaled_formatter(1.0, lang))
    ax.set_title(words["months_paid_title" if scale == BILLION else "months_pocket_title"], fontsize="medium", wrap=True)
    ax.set_xlabel(words["month_axis"])
    ax.grid(axis="y", alpha=0.3)
    # below the axes, clear of the line and band wherever they run
    ax.legend(fontsize="small", loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=2, markerfirst=lang == "en")
    return ax


def provinces_chart(frame: pd.DataFrame, year: int, ax=None, lang: str = "en"):
    """The provinces' year P50 as bars with their P90 marked, largest on top."""
    words = _words(lang)
    names = province_names(lang)
    ax = plots.chart_axes(ax)
    ordered = frame.iloc[::-1]
    y = np.arange(len(ordered))
    ax.barh(y, ordered["paid_p50_rial"] / BILLION, color="tab:blue", alpha=0.7, label=words["p50"])
    ax.scatter(ordered["paid_p90_rial"] / BILLION, y, color="black", marker="|", s=60, zorder=3, label=words["p90"])
    ax.set_yticks(y, [names.get(name, name) for name in ordered.index], fontsize=7)
    ax.xaxis.set_major_formatter(plots.scaled_formatter(1.0, lang))
    ax.set_title(words["provinces_chart_title"].format(year=_year_text(year, lang)), fontsize="medium", wrap=True)
    ax.grid(axis="x", alpha=0.3)
    plots.chart_legend(ax, lang, "lower right")
    return ax


def _province_blocks(result, year: int, lang: str, table) -> tuple[list[dict], bytes]:
    words = _words(lang)
    frame = province_figures(result, year, table)
    names = province_names(lang)
    year_text = _year_text(year, lang)
    real_month = month_label(result.real_money_of, "jalali", lang)
    header = [words["province"], words["plants"], words["families"], words["province_p50"].format(year=year_text),
              words["province_p90"].format(year=year_text), words["province_real"].format(year=year_text, month=real_month),
              words["per_family"], words["pocket_column"]]  # fmt: skip
    rows = []
    for province, row in frame.iterrows():
        has_families = np.isfinite(row["families"])
        rows.append([
            names.get(province, province), format_count(int(row["plants"]), lang),
            format_count(int(row["families"]), lang) if has_families else words["no_families"],
            billions(row["paid_p50_rial"], lang), billions(row["paid_p90_rial"], lang),
            billions(row["paid_real_p50_rial"], lang) if np.isfinite(row["paid_real_p50_rial"]) else words["no_families"],
            format_number(row["per_family_p50_rial"] / MILLION, lang, 1) if has_families else words["no_families"],
            count_text(row["pocket_p50"], lang),
        ])  # fmt: skip
    png = chart_png(lambda ax: provinces_chart(frame, year, ax, lang), (5.2, 6.4), CHART_DPI)
    block = columns([[table_block(header, rows, [2.6, 0.9, 1.1, 1.2, 1.2, 1.5, 1.3, 1.3], 6.5)], [image("provinces.png", 13.5)]], [1.75, 1])
    return [block], png


def _below_blocks(result, lang: str) -> list[dict]:
    words = _words(lang)
    frame = below_plan(result)
    if frame.empty:
        return [text(words["below_none"], 11)]
    names = province_names(lang)
    header = [words["plant"], words["province"], words["year"], words["months"], words["compared"], words["actual"],
              words["plan_p50"], words["plan_p10"], words["gap"], words["below_p10"]]  # fmt: skip
    divisor = {figure: shown_in for figure, _, shown_in in COMPARED}
    rows = [
        [
            digits(str(row["plant_id"]), lang), names.get(row["province"], row["province"]), _year_text(row["year"], lang),
            format_count(int(row["actual_months"]), lang), words[f"compared_{row['figure']}"],
            format_number(row["actual"] / divisor[row["figure"]], lang, 1),
            format_number(row["plan_p50"] / divisor[row["figure"]], lang, 1),
            format_number(row["plan_p10"] / divisor[row["figure"]], lang, 1),
            with_percent(format_signed(100 * row["gap"], lang, 0), lang),
            words["yes"] if bool(row["below_plan_p10"]) else words["no"],
        ]
        for _, row in frame.iterrows()
    ]  # fmt: skip
    return [text(words["below_lead"], 9.5), table_block(header, rows, [1.6, 1.5, 0.6, 0.6, 1.7, 1.0, 1.0, 1.0, 0.9, 0.7], 8)]


def readings_chart(effects: pd.DataFrame, ax=None, lang: str = "en"):
    """Each reading's alternatives as dots of the year's P50, the all-drawn P50 as a line."""
    words = _words(lang)
    ax = plots.chart_axes(ax)
    order = list(dict.fromkeys(effects["reading"]))[::-1]
    for y, name in enumerate(order):
        values = effects.loc[effects["reading"] == name, "paid_p50_rial"].to_numpy() / BILLION
        ax.plot([values.min(), values.max()], [y, y], color="tab:blue", linewidth=6, alpha=0.4, solid_capstyle="butt")
        ax.scatter(values, np.full(len(values), y), color="tab:blue", s=22, zorder=3)
    ax.set_ylim(-0.6, len(order) - 0.4)
    ax.axvline(effects.attrs["all_drawn_p50_rial"] / BILLION, color="black", linewidth=1, label=words["all_drawn"])
    ax.set_yticks(range(len(order)), [_reading_name(name, lang) for name in order])
    ax.xaxis.set_major_formatter(plots.scaled_formatter(1.0, lang))
    ax.set_title(words["readings_chart_title"].format(year=_year_text(effects.attrs["year"], lang)), fontsize="medium", wrap=True)
    ax.grid(axis="x", alpha=0.3)
    plots.chart_legend(ax, lang, "lower right")
    return ax


def _reading_name(name: str, lang: str) -> str:
    if name in ("inflation", "tariff"):
        return _words(lang)[name]
    return catalog(lang)["readings"].get(name, name)


def _alternative_text(name: str, alternative, lang: str) -> str:
    if name == "inflation":
        return _words(lang)["inflation_at"].format(rate=format_percent_points(100 * float(alternative), lang, 0))
    if name == "tariff":
        return _words(lang)["tariff_at"].format(change=with_percent(format_signed(100 * (float(alternative) - 1), lang, 0), lang))
    says = catalog(lang).get("disputed", {}).get(name, {}).get(alternative, {}).get("says")
    return says or alternative


def _readings_blocks(effects, year: int, lang: str) -> tuple[list[dict], bytes | None]:
    words = _words(lang)
    if effects is None or len(effects) == 0:
        return [text(words["readings_none"], 11)], None
    base = effects.attrs["all_drawn_p50_rial"]
    lead = words["readings_lead"].format(p50=billions(base, lang), year=_year_text(year, lang))
    header = [words["reading"], words["alternative"], words["p50"], words["p90"], words["change"]]
    rows = [
        [_reading_name(row["reading"], lang), _alternative_text(row["reading"], row["alternative"], lang),
         billions(row["paid_p50_rial"], lang), billions(row["paid_p90_rial"], lang),
         with_percent(format_signed(100 * (row["paid_p50_rial"] / base - 1), lang, 1), lang)]
        for _, row in effects.iterrows()
    ]  # fmt: skip
    png = chart_png(lambda ax: readings_chart(effects, ax, lang), (5.0, 4.4), CHART_DPI)
    return [text(lead, 9.5), columns([[table_block(header, rows, [1.3, 3, 1, 1, 0.9], 7)], [image("readings.png", 11)]], [1.5, 1])], png


def programme_document(
    result, lang: str = "en", table: pd.DataFrame | None = None, effects: pd.DataFrame | None = None,
    year: int | None = None, synthetic: bool | None = None, today: datetime.date | None = None,
) -> Document:  # fmt: skip
    """The programme report as a :class:`~solarcoop.present.pages.Document`.

    Parameters
    ----------
    result : ProgrammeResult
    lang : {"en", "fa"}
    table : pandas.DataFrame, optional
        The programme table: the provinces' families come from it.
    effects : pandas.DataFrame, optional
        From :func:`reading_effects`; without it the page says no such run was given.
    year : int, optional
        The Jalali year of the first page (:func:`report_year`).
    synthetic : bool, optional
        Label every page synthetic; default: when every plant id is ``SYN-...``.
    today : datetime.date, optional
        The date in the header, and what "next year" is counted from (default: today).
    """
    words = _words(lang)
    today = today or datetime.date.today()
    year = report_year(result, year, today)
    synthetic = is_synthetic_result(result) if synthetic is None else bool(synthetic)
    label = _label_footer(result, lang, synthetic)
    year_text = _year_text(year, lang)
    images = {
        "paid.png": chart_png(lambda ax: months_chart(result, "paid_to_families_rial", ax, lang, year), HALF_SIZE_IN, CHART_DPI),
        "pocket.png": chart_png(lambda ax: months_chart(result, "families_paying_from_pocket", ax, lang, year), HALF_SIZE_IN, CHART_DPI),
    }  # fmt: skip
    province_blocks, images["provinces.png"] = _province_blocks(result, year, lang, table)
    reading_blocks, readings_png = _readings_blocks(effects, year, lang)
    if readings_png is not None:
        images["readings.png"] = readings_png
    sections = [
        section(
            words["summary_page"].format(year=year_text),
            [*_summary_section(result, year, lang), columns([[image("paid.png", 7.2)], [image("pocket.png", 7.2)]], [1, 1]), label],
        ),
        section(words["provinces_page"].format(year=year_text), [*province_blocks, label]),
        section(words["below_page"], [*_below_blocks(result, lang), label]),
        section(words["readings_page"].format(year=year_text), [*reading_blocks, label]),
    ]
    start = (words["synthetic_label"] if synthetic else words["title"])
    return Document(
        title=words["title"], lang=lang, sections=sections, landscape=True,
        header=(start, date_text(today, lang)), page_numbers=signs(lang)["digits"][1], images=images,
        subject=words["subject"],
    )  # fmt: skip


def write_programme_report(
    result, out_dir, lang: str = "en", *, table: pd.DataFrame | None = None, effects: pd.DataFrame | None = None,
    year: int | None = None, synthetic: bool | None = None, today: datetime.date | None = None, force: bool = False,
) -> list[Path]:  # fmt: skip
    """Write ``programme_<lang>.pdf`` into ``out_dir`` (arguments as :func:`programme_document`).

    ``force`` replaces the file of an earlier run; without it a folder holding it raises
    ``InputError`` and nothing is written.
    """
    out = check_folder(out_dir, force)
    document = programme_document(result, lang, table=table, effects=effects, year=year, synthetic=synthetic, today=today)
    return write_folder(out, {f"programme_{lang}.pdf": document.write}, force)
