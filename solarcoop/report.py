"""A report a planner can put into a proposal: PDF, Excel workbook and PNG charts.

:func:`write_report` writes, into one folder, for ``lang="en"`` or ``"fa"``:

- ``report_<lang>.pdf``: headline figures; the assumptions, each with its value, its
  default and the source of that default; year one month by month; the plant's life
  year by year; then the charts;
- ``report_<lang>.xlsx``: headline figures, the monthly ledger, the annual table, one
  sheet per member class (when the result has them), the assumptions, and the
  sensitivity and Monte Carlo tables when given;
- one PNG per chart (``payout_<lang>.png`` ...).

The source of each default is read from the numpydoc docstring of the spec that holds it,
so the sources live in one place: next to the defaults themselves.

Nothing is overwritten unless ``force=True``. The files are written into a new folder
beside the output folder, which is swapped in only when all of them are complete
(:mod:`solarcoop._atomic`), so a run that fails leaves no half-written file and a reader
never sees old and new files mixed.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import textwrap
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure

from solarcoop import plots
from solarcoop._atomic import OutputExistsError, check_folder, write_folder
from solarcoop.calendar import to_persian_digits
from solarcoop.plots import MILLION, format_number

PAGE_SIZE_IN = (11.69, 8.27)
"""A4 landscape [inches]."""
ASSUMPTIONS_FONT_PT = 7.5
TABLE_FONT_PT = 10
CHART_DPI = 150

TEXT = {
    "en": {
        "report_title": "What each family is paid: {name}",
        "headline": "Headline figures",
        "assumptions": "Assumptions and their sources",
        "assumptions_page": "Assumptions and their sources ({page} of {pages})",
        "year_one": "Year one, month by month",
        "life": "The plant's life, year by year",
        "contents": "Contents",
        "promise_note": (
            "The plan promised {low}-{high} million rial a month per family{reading} "
            "({source}; money of {month})."
        ),
        "promise_readings": {
            None: "",
            "sales": " in sales",
            "distribution": " as the distribution before the instalment",
            "net": " after the loan instalment",
        },
        "plan_note": (
            "Money in nominal rial unless marked 'first-month money' "
            "(deflated by consumer prices to the first month of operation)."
        ),
        "changed_note": "* differs from the library's default",
        "columns_assumptions": ("parameter", "value", "default", "source of the default"),
        "columns_year_one": (
            "month",
            "energy [MWh]",
            "price [rial/kWh]",
            "revenue collected [million rial]",
            "distribution per family [million rial]",
            "instalment [million rial]",
            "net per family [million rial]",
            "net, first-month money [million rial]",
        ),
        "columns_life": (
            "year",
            "energy [MWh]",
            "mean price [rial/kWh]",
            "distribution per family, mean [million rial/month]",
            "net per family, mean [million rial/month]",
            "net, first-month money, mean [million rial/month]",
            "loan balance at year end [million rial]",
        ),
        "figures": {
            "energy_kwh_year1": ("energy at the meter, year 1", "MWh", 1e3, 0),
            "specific_yield_kwh_per_kwp_year1": ("specific yield, year 1", "kWh/kWp", 1, 0),
            "price_rial_per_kwh_mean_year1": ("mean price, year 1", "rial/kWh", 1, 0),
            "distribution_per_family_rial_mean_year1": (
                "distribution per family, year-1 mean",
                "million rial/month",
                MILLION,
                1,
            ),
            "loan_instalment_per_family_rial_mean_year1": (
                "loan instalment per family",
                "million rial/month",
                MILLION,
                1,
            ),
            "payout_per_family_rial_mean_year1": (
                "net payout per family, year-1 mean",
                "million rial/month",
                MILLION,
                1,
            ),
            "payout_per_family_rial_min_year1": (
                "net payout per family, year-1 lowest month",
                "million rial/month",
                MILLION,
                1,
            ),
            "payout_per_family_rial_max_year1": (
                "net payout per family, year-1 highest month",
                "million rial/month",
                MILLION,
                1,
            ),
            "payout_per_family_real_rial_mean_year1": (
                "net payout, first-month money, year-1 mean",
                "million rial/month",
                MILLION,
                1,
            ),
            "months_distribution_below_instalment": (
                "months below the instalment",
                "months",
                1,
                0,
            ),
            "family_cash_flow_rial_mean_year1": (
                "family's own cash flow, year-1 mean",
                "million rial/month",
                MILLION,
                1,
            ),
            "months_paid_from_pocket": ("months paid from its own pocket", "months", 1, 0),
            "paid_from_pocket_per_family_real_rial_total": (
                "from its pocket in all, real",
                "million rial",
                MILLION,
                1,
            ),
            "family_share_irr_real_per_year": ("real return on its share", "%/year", 0.01, 1),
            "family_share_payback_label": ("share earned back (real)", "", None, None),
            "funding_sponsor_equity_rial": ("plant paid by a sponsor", "billion rial", 1e9, 0),
            "funding_grant_rial": ("plant paid by a grant", "billion rial", 1e9, 0),
            "funding_debt_rial": ("plant paid by debt", "billion rial", 1e9, 0),
            "loan_paid_off_label": ("family loan paid off", "", None, None),
            "project_irr_nominal_per_year": ("project IRR, nominal", "%/year", 0.01, 1),
            "project_irr_real_per_year": ("project IRR, real", "%/year", 0.01, 1),
            "capital_cost_rial": ("capital cost", "billion rial", 1e9, 0),
        },
        "sheets": {
            "summary": "summary",
            "monthly": "monthly ledger",
            "annual": "annual",
            "assumptions": "assumptions",
            "class": "class {name}",
            "sensitivity": "sensitivity",
            "monte_carlo": "monte carlo payout",
        },
        "charts": {
            "payout": "Monthly payout per family",
            "energy": "Monthly energy",
            "waterfall_year1": "Where the money goes, year 1",
            "waterfall_year2": "Where the money goes, year 2",
            "loan": "The share loan",
            "fan": "Payout spread (Monte Carlo)",
            "shortfall": "Chance of a month below {threshold} million rial",
            "tornado": "What moves the year-1 payout",
        },
        "mc_columns": ("P90 [rial]", "P50 [rial]", "P10 [rial]"),
    },
    "fa": {
        "report_title": "دریافتی هر خانوار — {name}",
        "headline": "ارقام اصلی",
        "assumptions": "فرض‌ها و منبع آن‌ها",
        "assumptions_page": "فرض‌ها و منبع آن‌ها ({page} از {pages})",
        "year_one": "سال نخست، ماه به ماه",
        "life": "عمر نیروگاه، سال به سال",
        "contents": "فهرست",
        "promise_note": (
            "وعدهٔ طرح {low} تا {high} میلیون ریال در ماه برای هر خانوار{reading} بود "
            "({source}؛ به پول {month})."
        ),
        "promise_readings": {
            None: "",
            "sales": " از فروش برق",
            "distribution": " سود تقسیمی پیش از قسط",
            "net": " پس از قسط وام",
        },
        "plan_note": (
            "مبالغ به ریال جاری است مگر آنچه «به ارزش ماه نخست» آمده "
            "(با شاخص قیمت مصرف‌کننده به ماه نخست بهره‌برداری برگردانده شده)."
        ),
        "changed_note": "* با پیش‌فرض کتابخانه فرق دارد",
        "columns_assumptions": ("پارامتر", "مقدار", "پیش‌فرض", "منبع پیش‌فرض (به انگلیسی)"),
        "columns_year_one": (
            "ماه",
            "انرژی [مگاوات‌ساعت]",
            "نرخ [ریال/کیلووات‌ساعت]",
            "درآمد وصول‌شده [میلیون ریال]",
            "سود تقسیمی هر خانوار [میلیون ریال]",
            "قسط [میلیون ریال]",
            "خالص هر خانوار [میلیون ریال]",
            "خالص به ارزش ماه نخست [میلیون ریال]",
        ),
        "columns_life": (
            "سال",
            "انرژی [مگاوات‌ساعت]",
            "میانگین نرخ [ریال/کیلووات‌ساعت]",
            "میانگین سود تقسیمی هر خانوار [میلیون ریال در ماه]",
            "میانگین خالص هر خانوار [میلیون ریال در ماه]",
            "میانگین خالص به ارزش ماه نخست [میلیون ریال در ماه]",
            "ماندهٔ وام در پایان سال [میلیون ریال]",
        ),
        "figures": {
            "energy_kwh_year1": ("انرژی تحویلی، سال ۱", "مگاوات‌ساعت", 1e3, 0),
            "specific_yield_kwh_per_kwp_year1": ("تولید ویژه، سال ۱", "کیلووات‌ساعت/کیلووات", 1, 0),
            "price_rial_per_kwh_mean_year1": ("میانگین نرخ فروش، سال ۱", "ریال/کیلووات‌ساعت", 1, 0),
            "distribution_per_family_rial_mean_year1": (
                "میانگین سود تقسیمی هر خانوار، سال ۱",
                "میلیون ریال در ماه",
                MILLION,
                1,
            ),
            "loan_instalment_per_family_rial_mean_year1": (
                "قسط وام هر خانوار",
                "میلیون ریال در ماه",
                MILLION,
                1,
            ),
            "payout_per_family_rial_mean_year1": (
                "میانگین دریافتی خالص هر خانوار، سال ۱",
                "میلیون ریال در ماه",
                MILLION,
                1,
            ),
            "payout_per_family_rial_min_year1": (
                "کمترین دریافتی خالص ماهانه، سال ۱",
                "میلیون ریال در ماه",
                MILLION,
                1,
            ),
            "payout_per_family_rial_max_year1": (
                "بیشترین دریافتی خالص ماهانه، سال ۱",
                "میلیون ریال در ماه",
                MILLION,
                1,
            ),
            "payout_per_family_real_rial_mean_year1": (
                "میانگین دریافتی خالص به ارزش ماه نخست، سال ۱",
                "میلیون ریال در ماه",
                MILLION,
                1,
            ),
            "months_distribution_below_instalment": (
                "ماه‌هایی که سود تقسیمی قسط را نمی‌پوشاند",
                "ماه",
                1,
                0,
            ),
            "family_cash_flow_rial_mean_year1": (
                "جریان نقدی خانوار، میانگین سال ۱",
                "میلیون ریال در ماه",
                MILLION,
                1,
            ),
            "months_paid_from_pocket": ("ماه‌های پرداخت قسط از جیب", "ماه", 1, 0),
            "paid_from_pocket_per_family_real_rial_total": (
                "جمع پرداخت از جیب (واقعی)",
                "میلیون ریال",
                MILLION,
                1,
            ),
            "family_share_irr_real_per_year": ("بازده واقعی سهم", "٪ در سال", 0.01, 1),
            "family_share_payback_label": ("بازگشت سهم (واقعی)", "", None, None),
            "funding_sponsor_equity_rial": ("سرمایهٔ حامی", "میلیارد ریال", 1e9, 0),
            "funding_grant_rial": ("کمک بلاعوض", "میلیارد ریال", 1e9, 0),
            "funding_debt_rial": ("وام تعاونی", "میلیارد ریال", 1e9, 0),
            "loan_paid_off_label": ("تسویهٔ وام خانوار", "", None, None),
            "project_irr_nominal_per_year": ("نرخ بازده داخلی طرح، اسمی", "٪ در سال", 0.01, 1),
            "project_irr_real_per_year": ("نرخ بازده داخلی طرح، واقعی", "٪ در سال", 0.01, 1),
            "capital_cost_rial": ("هزینهٔ سرمایه‌گذاری", "میلیارد ریال", 1e9, 0),
        },
        "sheets": {
            "summary": "خلاصه",
            "monthly": "دفتر ماهانه",
            "annual": "سالانه",
            "assumptions": "فرض‌ها",
            "class": "گروه {name}",
            "sensitivity": "حساسیت",
            "monte_carlo": "مونت کارلو",
        },
        "charts": {
            "payout": "دریافتی ماهانهٔ هر خانوار",
            "energy": "انرژی ماهانه",
            "waterfall_year1": "پول کجا می‌رود، سال ۱",
            "waterfall_year2": "پول کجا می‌رود، سال ۲",
            "loan": "وام سهم",
            "fan": "پراکندگی دریافتی (مونت کارلو)",
            "shortfall": "احتمال ماه زیر {threshold} میلیون ریال",
            "tornado": "چه چیزی دریافتی سال ۱ را جابه‌جا می‌کند",
        },
        "mc_columns": ("P90 [ریال]", "P50 [ریال]", "P10 [ریال]"),
    },
}
"""Every string of the report, one dict per language; both hold the same keys."""


ReportExistsError = OutputExistsError
"""The output folder already holds an earlier run's files and ``force`` was not given."""


# ------------------------------------------------------------------------ assumptions


def _parameter_docs(kind: type) -> dict[str, str]:
    """``{field: description}`` from the Parameters section of a numpydoc docstring."""
    doc = inspect.getdoc(kind) or ""
    match = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-{3,}\n|\Z)", doc, re.S | re.M)
    if match is None:
        return {}
    docs: dict[str, list[str]] = {}
    names: list[str] = []
    for line in match.group(1).splitlines():
        if line and not line[0].isspace():
            names = [name.strip() for name in line.split(" : ")[0].split(",")]
            for name in names:
                docs[name] = []
        elif line.strip():
            for name in names:
                docs[name].append(line.strip())
    return {name: " ".join(lines) for name, lines in docs.items()}


def _show(value) -> str:
    if value is None:
        return "none"
    if isinstance(value, pd.DataFrame):
        return f"table of {len(value)} rows"
    if isinstance(value, float):
        return f"{value:,.6g}"
    if isinstance(value, int | np.integer) and not isinstance(value, bool):
        return f"{value:,}"
    if dataclasses.is_dataclass(value):
        return type(value).__name__
    text = str(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _class_default(kind: type, field: dataclasses.Field):
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _rows(spec, prefix: str, default_spec) -> list[dict]:
    docs = _parameter_docs(type(spec))
    rows = []
    for field in dataclasses.fields(spec):
        path = f"{prefix}{field.name}"
        value = getattr(spec, field.name)
        if default_spec is not None and type(default_spec) is type(spec):
            default = getattr(default_spec, field.name)
        else:
            default = _class_default(type(spec), field)
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            rows.append(
                {
                    "parameter": path,
                    "value": type(value).__name__,
                    "default": _show(default) if default is not dataclasses.MISSING else "",
                    "source": docs.get(field.name, ""),
                    "changed": type(value) is not type(default),
                }
            )
            child_default = default if dataclasses.is_dataclass(default) else None
            rows += _rows(value, f"{path}.", child_default)
            continue
        changed = default is dataclasses.MISSING or repr(value) != repr(default)
        rows.append(
            {
                "parameter": path,
                "value": _show(value),
                "default": _show(default) if default is not dataclasses.MISSING else "",
                "source": docs.get(field.name, ""),
                "changed": changed,
            }
        )
    return rows


def assumptions_table(scenario) -> pd.DataFrame:
    """Every input of a scenario, its value, the library's default and that default's source.

    The source is the field's description in the docstring of the spec that holds it
    (for example ``Loan.annual_rate``: "Default 0.04: 4 % a year (Relief Committee loans
    in Hamedan and Rudan; IRIB 5585575, 5565464)").

    Parameters
    ----------
    scenario : solarcoop.Scenario

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter`` (dotted path), ``value``, ``default``, ``source`` (text) and
        ``changed`` (the value differs from the default).

    Examples
    --------
    >>> import solarcoop as sc
    >>> table = assumptions_table(sc.qom_baseline()).set_index("parameter")
    >>> table.loc["loan.annual_rate", "value"], bool(table.loc["loan.annual_rate", "changed"])
    ('0.04', False)
    >>> "Hamedan" in table.loc["loan.annual_rate", "source"]
    True
    """
    default_scenario = type(scenario)()
    rows = [row for row in _rows(scenario, "", default_scenario) if row["parameter"] != "name"]
    return pd.DataFrame(rows, columns=["parameter", "value", "default", "source", "changed"])


# ------------------------------------------------------------------------ text pages


TABLE_TOP = 0.86
TABLE_BOTTOM = 0.07
LINE_SPACING = 1.45


def _line_height(font_pt: float) -> float:
    """Height of one text line [fraction of the page]."""
    return font_pt * LINE_SPACING / 72 / PAGE_SIZE_IN[1]


def _wrap_chars(span: float, font_pt: float) -> int:
    """Characters of a cell ``span`` (fraction of the page's table width) wide."""
    return max(6, int(span * 0.90 * PAGE_SIZE_IN[0] / (0.62 * font_pt / 72)))


def _wrap(text: str, width: int, break_words: bool = True) -> list[str]:
    text = str(text).replace("``", "")
    return textwrap.wrap(text, width=width, break_long_words=break_words) or [""]


def _wrap_row(row, widths, font_pt: float, break_words: bool = True) -> list[list[str]]:
    return [
        _wrap(cell, _wrap_chars(span, font_pt), break_words)
        for cell, span in zip(row, widths, strict=True)
    ]


def _table_pages(header, rows, widths, font_pt: float) -> list[list]:
    """Wrap the rows' cells and split them into pages that fit under the header."""
    header_lines = max(len(cell) for cell in _wrap_row(header, widths, font_pt, False))
    available = int((TABLE_TOP - TABLE_BOTTOM) / _line_height(font_pt)) - header_lines - 1
    pages, page, used = [], [], 0
    for row in rows:
        cells = _wrap_row(row, widths, font_pt)
        height = max(len(cell) for cell in cells)
        if page and used + height > available:
            pages.append(page)
            page, used = [], 0
        page.append(cells)
        used += height
    return [*pages, page] if page else pages


def _text_figure(title: str, lang: str) -> Figure:
    figure = Figure(figsize=PAGE_SIZE_IN)
    right = lang == "fa"
    figure.text(
        0.95 if right else 0.05, 0.94, title, fontsize=16, weight="bold",
        ha="right" if right else "left", va="top",
    )  # fmt: skip
    return figure


def _draw_table(figure: Figure, header, page, widths, lang: str, font_pt: float) -> None:
    """Draw one page of a table; in Persian the columns run from right to left."""
    line_height = _line_height(font_pt)
    spans = np.asarray(widths) * 0.90
    left_edges = 0.05 + np.concatenate([[0.0], np.cumsum(spans)[:-1]])
    if lang == "fa":
        left_edges = 1.0 - left_edges - spans
    anchor = "right" if lang == "fa" else "left"
    x = left_edges + (spans - 0.006 if lang == "fa" else 0.0)

    def draw_row(cells, y: float, **style) -> float:
        for column, lines in enumerate(cells):
            figure.text(
                x[column], y, "\n".join(lines), fontsize=font_pt, ha=anchor, va="top",
                linespacing=LINE_SPACING, **style,
            )  # fmt: skip
        return y - max(len(lines) for lines in cells) * line_height

    y = draw_row(_wrap_row(header, widths, font_pt, False), TABLE_TOP, weight="bold")
    figure.add_artist(_rule(figure, y + 0.2 * line_height))
    for cells in page:
        y = draw_row(cells, y)


def _rule(figure: Figure, y: float):
    from matplotlib.lines import Line2D

    return Line2D([0.05, 0.95], [y, y], transform=figure.transFigure, color="black", linewidth=0.6)


def _digits(text: str, lang: str) -> str:
    return to_persian_digits(text).replace(",", "٬") if lang == "fa" else text


def _headline_rows(result, lang: str) -> list[tuple[str, str]]:
    rows = []
    for key, (label, unit, scale, decimals) in TEXT[lang]["figures"].items():
        if key not in result.summary.index:
            continue
        value = result.summary[key]
        if scale is not None:
            shown = format_number(float(value) / scale, lang, decimals)
        elif re.fullmatch(r"\d{4}-\d{2}", str(value)):
            shown = plots.month_label(str(value), result.scenario.calendar, lang)
        else:
            shown = _digits(str(value), lang)
        rows.append((label, f"{shown} {unit}".strip()))
    return rows


def _promise_sentence(scenario, lang: str) -> str:
    """What the plan promised, with its source; empty when the scenario has no promise."""
    promise = scenario.promise
    if promise is None:
        return ""
    text = TEXT[lang]
    return _digits(
        text["promise_note"].format(
            low=format_number(promise.low_rial / MILLION, "en", None),
            high=format_number(promise.high_rial / MILLION, "en", None),
            reading=text["promise_readings"][promise.reading],
            source=promise.source,
            month=plots.month_label(promise.money_of, "jalali", lang),
        ),
        lang,
    ) + " "


def _headline_page(result, lang: str, titles: list[str]) -> Figure:
    text = TEXT[lang]
    figure = _text_figure(text["report_title"].format(name=result.scenario.name), lang)
    fa = lang == "fa"
    ha = "right" if fa else "left"

    def at(x: float) -> float:  # x measured from the reading side
        return 1.0 - x if fa else x

    figure.text(at(0.05), 0.87, text["headline"], fontsize=13, ha=ha, va="top", weight="bold")
    size = 10.5
    y = 0.82
    for label, value in _headline_rows(result, lang):
        figure.text(at(0.05), y, label, fontsize=size, ha=ha, va="top")
        figure.text(at(0.36), y, value, fontsize=size, ha=ha, va="top", weight="bold")
        y -= _line_height(size)
    note = textwrap.fill(_promise_sentence(result.scenario, lang) + text["plan_note"], 80)
    figure.text(at(0.05), y - 0.03, note, fontsize=9, ha=ha, va="top", linespacing=1.4)
    figure.text(at(0.66), 0.87, text["contents"], fontsize=13, ha=ha, va="top", weight="bold")
    listing = "\n".join(
        f"{_digits(str(number), lang)}. {title}" for number, title in enumerate(titles, start=1)
    )
    figure.text(at(0.66), 0.82, listing, fontsize=9, ha=ha, va="top", linespacing=1.5)
    return figure


ASSUMPTION_WIDTHS = [0.22, 0.12, 0.12, 0.54]
YEAR_ONE_WIDTHS = [0.16] + [0.12] * 7
LIFE_WIDTHS = [0.16] + [0.14] * 6


def _assumption_rows(scenario) -> list[list[str]]:
    table = assumptions_table(scenario)
    return [
        [row.parameter + (" *" if row.changed else ""), row.value, row.default, row.source]
        for row in table.itertuples(index=False)
    ]


def _year_one_rows(result, lang: str) -> list[list[str]]:
    months = result.monthly[result.monthly["operating_year"] == 1]
    return [
        [
            plots.month_label(row.label, result.scenario.calendar, lang),
            format_number(row.energy_kwh / 1e3, lang),
            format_number(row.price_rial_per_kwh, lang),
            format_number(row.revenue_collected_rial / MILLION, lang),
            format_number(row.distribution_per_family_rial / MILLION, lang, 1),
            format_number(row.loan_instalment_per_family_rial / MILLION, lang, 1),
            format_number(row.payout_per_family_rial / MILLION, lang, 1),
            format_number(row.payout_per_family_real_rial / MILLION, lang, 1),
        ]
        for row in months.itertuples(index=False)
    ]


def _life_rows(result, lang: str) -> list[list[str]]:
    annual = result.annual
    return [
        [
            _digits(f"{year} ({row.label})", lang),
            format_number(row.energy_kwh / 1e3, lang),
            format_number(row.price_rial_per_kwh_mean, lang),
            format_number(row.distribution_per_family_rial_mean / MILLION, lang, 1),
            format_number(row.payout_per_family_rial_mean / MILLION, lang, 1),
            format_number(row.payout_per_family_real_rial_mean / MILLION, lang, 1),
            format_number(row.loan_balance_per_family_rial_end / MILLION, lang, 1),
        ]
        for year, row in zip(annual.index, annual.itertuples(index=False), strict=True)
    ]


# ------------------------------------------------------------------------ charts


def _charts(result, lang: str, monte_carlo=None, sensitivity=None) -> dict:
    """``{file stem: draw(ax)}`` for every chart of the report, in page order."""
    charts = {
        "payout": lambda ax: plots.monthly_payout(result, ax, lang=lang),
        "energy": lambda ax: plots.monthly_energy(result, ax, lang=lang),
        "waterfall_year1": lambda ax: plots.money_waterfall(result, ax, year=1, lang=lang),
    }
    if result.scenario.lifetime_years >= 2:
        charts["waterfall_year2"] = lambda ax: plots.money_waterfall(result, ax, year=2, lang=lang)
    charts["loan"] = lambda ax: plots.loan_balance(result, ax, lang=lang)
    if monte_carlo is not None:
        charts["fan"] = lambda ax: plots.payout_fan(monte_carlo, ax, lang=lang)
        if result.scenario.promise is not None:  # the chance of falling short of the promise
            charts["shortfall"] = lambda ax: plots.shortfall_probability(monte_carlo, ax, lang=lang)
    if sensitivity is not None:
        charts["tornado"] = lambda ax: plots.tornado(
            sensitivity, ax, name=result.scenario.name, lang=lang
        )
    return charts


def _chart_title(scenario, stem: str, lang: str) -> str:
    title = TEXT[lang]["charts"][stem]
    if stem == "shortfall":
        return title.format(threshold=format_number(scenario.promise.low_rial / MILLION, lang, None))
    return title


def _chart_figure(draw) -> Figure:
    figure = Figure(figsize=PAGE_SIZE_IN, layout="constrained")
    draw(figure.add_subplot())
    return figure


# ------------------------------------------------------------------------ the report


def _table_figures(
    title: str, header, rows, widths, lang: str, font_pt: float, note: str = "", name: str = ""
):
    """``[(page title, draw())]`` for a table, as many pages as it needs.

    The page's heading adds `` — name`` to the title when a name is given.
    """
    pages = _table_pages(header, rows, widths, font_pt)
    if len(pages) > 1:
        titles = [_digits(f"{title} ({i}/{len(pages)})", lang) for i in range(1, len(pages) + 1)]
    else:
        titles = [title]

    def figure_for(page_title: str, page) -> Figure:
        figure = _text_figure(f"{page_title} — {name}" if name else page_title, lang)
        _draw_table(figure, header, page, widths, lang, font_pt)
        if note:
            figure.text(
                0.95 if lang == "fa" else 0.05, 0.03, note, fontsize=8,
                ha="right" if lang == "fa" else "left",
            )  # fmt: skip
        return figure

    return [
        (page_title, lambda page_title=page_title, page=page: figure_for(page_title, page))
        for page_title, page in zip(titles, pages, strict=True)
    ]


def _pages(result, lang: str, monte_carlo, sensitivity) -> list[tuple[str, object]]:
    """``[(title, draw())]`` for every PDF page, in order; drawing waits until asked."""
    text = TEXT[lang]
    name = result.scenario.name
    charts = _charts(result, lang, monte_carlo, sensitivity)
    pages = [(text["headline"], None)]
    pages += _table_figures(
        text["assumptions"], text["columns_assumptions"], _assumption_rows(result.scenario),
        ASSUMPTION_WIDTHS, lang, ASSUMPTIONS_FONT_PT, text["changed_note"],
    )  # fmt: skip
    pages += _table_figures(
        text["year_one"], text["columns_year_one"], _year_one_rows(result, lang),
        YEAR_ONE_WIDTHS, lang, TABLE_FONT_PT, name=name,
    )  # fmt: skip
    pages += _table_figures(
        text["life"], text["columns_life"], _life_rows(result, lang),
        LIFE_WIDTHS, lang, TABLE_FONT_PT, name=name,
    )  # fmt: skip
    pages += [
        (_chart_title(result.scenario, stem, lang), lambda draw=draw: _chart_figure(draw))
        for stem, draw in charts.items()
    ]
    titles = [title for title, _ in pages]
    pages[0] = (titles[0], lambda: _headline_page(result, lang, titles))
    return pages


def contents(result, lang: str = "en", monte_carlo=None, sensitivity=None) -> list[str]:
    """Titles of the report's PDF pages, in order, one per page.

    Examples
    --------
    >>> import numpy as np, solarcoop as sc
    >>> result = sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0))
    >>> pages = contents(result)
    >>> pages[0], pages[-1]
    ('Headline figures', 'The share loan')
    """
    plots._labels(lang)
    return [title for title, _ in _pages(result, lang, monte_carlo, sensitivity)]


def _sheets(result, lang: str, monte_carlo, sensitivity) -> dict[str, pd.DataFrame]:
    """``{sheet name: (frame, write the index)}`` of the workbook."""
    names = TEXT[lang]["sheets"]
    summary = result.summary.rename("value").to_frame()
    summary.index.name = "figure"
    sheets = {
        names["summary"]: (
            summary.astype(str) if summary["value"].dtype == object else summary,
            True,
        ),
        names["monthly"]: (result.monthly, False),
        names["annual"]: (result.annual, True),
    }
    by_class = getattr(result, "by_class", None)
    if isinstance(by_class, pd.DataFrame) and "class" in by_class.columns:
        by_class = {name: rows for name, rows in by_class.groupby("class", sort=False)}
    elif isinstance(by_class, pd.DataFrame):
        by_class = {"": by_class}
    if isinstance(by_class, Mapping):
        for name, frame in by_class.items():
            sheet = re.sub(r"[\[\]:*?/\\]", "-", names["class"].format(name=name)).strip()[:31]
            sheets[sheet] = (pd.DataFrame(frame).reset_index(drop=True), False)
    sheets[names["assumptions"]] = (assumptions_table(result.scenario), False)
    if sensitivity is not None:
        sheets[names["sensitivity"]] = (pd.DataFrame(sensitivity), False)
    if monte_carlo is not None:
        quantiles = monte_carlo.quantiles(
            (plots.P90_QUANTILE, plots.P50_QUANTILE, 0.9), "payout_per_family_rial"
        )
        quantiles.columns = list(TEXT[lang]["mc_columns"])
        sheets[names["monte_carlo"]] = (quantiles, True)
    return sheets


def write_report(
    result, out_dir, lang: str = "en", force: bool = False, monte_carlo=None, sensitivity=None
) -> list[Path]:
    """Write the PDF report, the Excel workbook and the PNG charts of a result.

    Parameters
    ----------
    result : solarcoop.Result
        From :func:`solarcoop.simulate`.
    out_dir : str or path
        The report's folder, created if missing and replaced whole (the new files appear
        together, or none of them). It must be missing, empty or hold an earlier run's
        files; a folder with other files is refused.
    lang : {"en", "fa"}
        Language of every label, digit and month name.
    force : bool
        Replace the files of an earlier run, removing those this report does not write.
        Without it a folder holding them raises :class:`ReportExistsError` (an
        ``InputError`` and a ``FileExistsError``) before anything is computed.
    monte_carlo : solarcoop.studies.MonteCarloResult, optional
        Adds the fan chart, the chance of a month below 50 million rial and a sheet of
        monthly P90 / P50 / P10 payouts.
    sensitivity : pandas.DataFrame, optional
        From :func:`solarcoop.studies.sensitivity` (metric: year-1 mean net payout per
        family); adds the tornado chart and a sheet.

    Returns
    -------
    list of pathlib.Path
        The files written: the PDF, the workbook, then the PNG charts.
    """
    plots._labels(lang)
    out = check_folder(out_dir, force)
    charts = _charts(result, lang, monte_carlo, sensitivity)

    def write_pdf(path: Path) -> None:
        with PdfPages(path, metadata={"Title": result.scenario.name}) as pdf:
            for _, draw_page in _pages(result, lang, monte_carlo, sensitivity):
                pdf.savefig(draw_page())

    def write_workbook(path: Path) -> None:
        with pd.ExcelWriter(path, engine="openpyxl") as workbook:
            for sheet, (frame, index) in _sheets(result, lang, monte_carlo, sensitivity).items():
                frame.to_excel(workbook, sheet_name=sheet, index=index)

    def chart_writer(draw):
        return lambda path: _chart_figure(draw).savefig(path, format="png", dpi=CHART_DPI)

    writers = {f"report_{lang}.pdf": write_pdf, f"report_{lang}.xlsx": write_workbook}
    writers |= {f"{stem}_{lang}.png": chart_writer(draw) for stem, draw in charts.items()}
    return write_folder(out, writers, force)
