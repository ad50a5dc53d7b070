"""The Excel workbook of a result: summary, monthly ledger, annual table, member classes,
the three statements of each fiscal year, assumptions, readings, sensitivity and Monte Carlo quantiles, every number stored as a
number with its format and unit."""


from __future__ import annotations

import datetime
import math
import re
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop.findings import finding_text, institution_name
from solarcoop.present import plots
from solarcoop.present.assumptions import assumption_records, reading_texts
from solarcoop.present.locales import catalog
from solarcoop.present.plots import P50_QUANTILE, P90_QUANTILE
from solarcoop.present.text import (
    BILLION,
    MILLION,
    digits,
    format_number,
    is_money_unit,
    is_percent_unit,
    is_unit,
    month_text,
)
from solarcoop.studies.headline import money_column


def column_words(column: str, lang: str, strict: bool = False, month: str | None = None) -> tuple[str, str]:
    """(header, unit) of a ledger, annual or summary column, from the catalog.

    Names the catalog does not hold are read as a column with a qualifier:
    ``payout_per_family_rial_mean_year1`` is "paid out after the instalment, never below
    0, monthly mean, year 1". A real column names ``month``, the month whose money it is
    in, as a reader sees it ("Shahrivar 1404"; the catalog's word for it by default).

    >>> column_words("payout_per_family_rial_mean_year1", "en")
    ('paid out after the instalment, never below 0, monthly mean, year 1', 'rial')
    >>> column_words("family_cash_flow_real_rial", "en", month="Shahrivar 1404")[0]
    "family's money in the month, money of Shahrivar 1404"
    """
    words = catalog(lang)
    month = words["values"]["real_money_month"] if month is None else month
    label, unit = _column_words(column, lang, strict, words)
    return label.replace("{month}", month), unit


def _column_words(column: str, lang: str, strict: bool, words: dict) -> tuple[str, str]:
    columns, qualifiers = words["columns"], words["qualifiers"]
    if column in columns:
        return tuple(columns[column])
    match = re.fullmatch(r"(?P<base>.+?)(?:_(?P<stat>mean|min|max|end|total))?(?:_(?:year(?P<year>\d+)|(?P<life>life)))?", column)
    if match and match["base"] in columns and (match["stat"] or match["year"] or match["life"]):
        label, unit = columns[match["base"]]
        if match["stat"]:
            label = qualifiers[match["stat"]].format(label=label)
        if match["year"]:
            label = qualifiers["year"].format(label=label, year=format_number(int(match["year"]), lang))
        if match["life"]:
            label = qualifiers["life"].format(label=label)
        return label, unit
    if strict:
        raise KeyError(f"{column!r} is not in [columns] of solarcoop/present/locales/{lang}.toml")
    return column, ""  # a column the catalogs do not know yet (a test fails for it)


def _number_format(unit: str, values=None) -> str:
    """Excel number format for a column of ``unit``."""
    if is_percent_unit(unit):
        return "0.0%"
    if is_money_unit(unit) or is_unit(unit, "kwh") or is_unit(unit, "kwh_per_kwp"):
        return "#,##0"
    if is_unit(unit, "date"):
        return "yyyy-mm-dd"
    if values is not None:
        numbers = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
        if len(numbers) and np.allclose(numbers, np.round(numbers)):
            return "#,##0"
    return "#,##0.000"


def _cell_value(value, unit: str, money: bool | None = None):
    """A cell as Excel stores it: money rounded to the rial, dates as dates, NaN empty.
    ``money`` (whether ``unit`` is money) may be given when already known."""
    if isinstance(value, float | np.floating):
        value = float(value)
        if not math.isfinite(value):
            return None
        if is_money_unit(unit) if money is None else money:
            value = float(round(value))
        return value + 0.0  # no -0.0
    if value is None:
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _write_sheet(book, name: str, headers: list[str], units: list[str], rows: list[list], lang: str, formats: list[str] | None = None):
    """One sheet: a header row, a units row, the rows; numbers formatted, widths fitted,
    headers and the first column frozen; right to left in Persian."""
    from openpyxl.cell import Cell
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title=_sheet_name(name))
    sheet.sheet_view.rightToLeft = lang == "fa"
    bold, grey = Font(bold=True), Font(italic=True, color="666666")
    wrapped = Alignment(wrap_text=True, vertical="top")
    sheet.append(headers)
    sheet.append(units)
    for cell in sheet[1]:
        cell.font, cell.alignment = bold, wrapped
    for cell in sheet[2]:
        cell.font = grey
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in headers]
    formats = formats or [_number_format(unit, values) for unit, values in zip(units, columns, strict=True)]
    money = [is_money_unit(unit) for unit in units]
    for row in rows:
        cells = []
        for value, unit, is_money, number_format in zip(row, units, money, formats, strict=True):
            value = _cell_value(value, unit, is_money)
            cell = Cell(sheet, value=value)
            if isinstance(value, int | float | datetime.date):  # a number or a date, not a word
                cell.number_format = number_format
            cells.append(cell)
        sheet.append(cells)
    for index, (header, unit, number_format, values) in enumerate(zip(headers, units, formats, columns, strict=True), start=1):
        letter = get_column_letter(index)
        shown = [len(_excel_text(value, number_format)) for value in values[:400]]
        longest_word = max((len(word) for word in str(header).split()), default=0)
        width = max([min(len(str(header)), 28), longest_word, len(str(unit)), *shown, 6]) + 2
        sheet.column_dimensions[letter].width = min(width, 60)
    sheet.freeze_panes = "B3"
    return sheet


def _excel_text(value, number_format: str) -> str:
    if isinstance(value, float | int | np.number) and not isinstance(value, bool):
        if "%" in number_format:
            return f"{float(value) * 100:,.1f}%"
        if number_format == "#,##0":
            return f"{float(value):,.0f}"
        return f"{float(value):,.3f}"
    if isinstance(value, datetime.date | pd.Timestamp | np.datetime64):
        return "2026-03-21"
    return str(value)


def _sheet_name(name: str) -> str:
    return re.sub(r"[\[\]:*?/\\]", "-", name).strip()[:31]


def _frame_sheet(book, name: str, frame: pd.DataFrame, result, lang: str) -> None:
    """A frame of result columns with its words and units; ``label`` becomes the Jalali month."""
    words = catalog(lang)
    calendar = result.scenario.calendar
    real_month = month_text(result.scenario.real_money_month, calendar, lang)
    headers, units, columns, formats = [], [], [], []
    for column in frame.columns:
        values = frame[column]
        if column == "label" and values.astype(str).str.fullmatch(r"\d+").all():
            header, unit = words["sheets"]["jalali_year"], ""
            values = values.astype(int)
        elif column == "label":
            header, unit = words["sheets"]["jalali_month"], ""
            values = [month_text(v, calendar, lang) for v in values]
        elif column == "class":
            header, unit = column_words(column, lang)
            values = [words["values"].get(v, v) for v in values]
        else:
            header, unit = column_words(column, lang, month=real_month)
        headers.append(header)
        units.append(unit)
        columns.append(list(values))
        formats.append("0" if column in ("label", "operating_year") else _number_format(unit, values))
    rows = [list(row) for row in zip(*columns, strict=True)]
    _write_sheet(book, name, headers, units, rows, lang, formats)


MONTHLY_FIGURE = re.compile(r"_(?:mean|min|max)_(?:year\d+|life)$")
"""A summary figure that is a month's amount (a monthly mean, the lowest or highest month)."""


def summary_unit(key: str, unit: str, lang: str) -> tuple[float, str]:
    """(divisor, unit shown) of a summary figure: a family's money in million rial (per
    month where it is a month's amount, not for a total), the cooperative's in billion
    rial, whatever the value (a zero keeps its unit); other units as they are (divisor 1).

    >>> summary_unit("payout_per_family_rial_mean_year1", "rial", "en")
    (1000000.0, 'million rial/month')
    >>> summary_unit("paid_from_pocket_per_family_real_rial_total", "rial", "en")
    (1000000.0, 'million rial')
    >>> summary_unit("funding_grant_rial", "rial", "en"), summary_unit("energy_kwh_year1", "kWh", "en")
    ((1000000000.0, 'billion rial'), (1.0, 'kWh'))
    """
    units = catalog(lang)["units"]
    if unit != units["rial"]:
        return 1.0, unit
    if "per_family" in key or key.startswith("family_"):
        return MILLION, units["per_family_million"] if MONTHLY_FIGURE.search(key) else units["million_rial"]
    return BILLION, units["billion_rial"]


def _summary_rows(result, lang: str) -> tuple[list[list], list[str]]:
    """The summary's rows, each cell holding what its unit says: millions where the unit
    says million rial, billions where it says billion rial."""
    rows, formats = [], []
    real_month = month_text(result.scenario.real_money_month, result.scenario.calendar, lang)
    for key, value in result.summary.items():
        label, unit = column_words(str(key), lang, month=real_month)
        if key == "sponsor_name" and value is None:  # a sponsor the scenario does not name
            value = institution_name(value, "sponsor", lang)
        if isinstance(value, bool):  # a yes or no, in the catalog's words ([values] true / false)
            value = str(value).lower()
        if isinstance(value, str):
            value, unit_shown, number_format = month_text(value, result.scenario.calendar, lang), "", "@"
        else:
            divisor, unit_shown = summary_unit(str(key), unit, lang)
            if divisor != 1.0:
                value, number_format, unit = float(value) / divisor, "#,##0.0", ""  # not rounded to the rial
            else:
                number_format = _number_format(unit, [value])
        rows.append([label, _cell_value(value, unit), unit_shown])
        formats.append(number_format)
    for finding in getattr(result, "findings", ()):  # about the inputs, beside the figures made from them
        rows.append([catalog(lang)["findings"]["heading"], finding_text(finding, lang), ""])
        formats.append("@")
    return rows, formats


def write_workbook(result, path, lang: str = "en", monte_carlo=None, sensitivity=None) -> Path:
    """The workbook an accountant opens: numbers as numbers, units, fitted widths, frozen
    headers, real dates beside Jalali months, Persian and right to left for ``lang="fa"``.

    Sheets: summary, monthly ledger, annual, one per member class, assumptions with their
    sources, and the sensitivity and Monte Carlo quantiles when given, with the family's
    debt in withheld instalments over the futures when the Monte Carlo kept what it needs.

    Parameters
    ----------
    result : solarcoop.Result
    path : str or path
        The ``.xlsx`` file written.
    lang : {"en", "fa"}
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
    sensitivity : pandas.DataFrame, optional

    Returns
    -------
    pathlib.Path
    """
    from openpyxl import Workbook

    words = catalog(lang)
    sheets = words["sheets"]
    book = Workbook()
    book.remove(book.active)
    _figures_sheet(book, sheets["summary"], *_summary_rows(result, lang), lang)
    _frame_sheet(book, sheets["monthly"], result.monthly, result, lang)
    _frame_sheet(book, sheets["annual"], result.annual.reset_index(), result, lang)
    by_class = getattr(result, "by_class", None)
    if isinstance(by_class, pd.DataFrame) and "class" in by_class.columns:
        for name, frame in by_class.groupby("class", sort=False):
            shown = words["values"].get(name, name)
            _frame_sheet(book, sheets["class"].format(name=shown), frame.reset_index(drop=True), result, lang)
    _statement_sheets(book, result, lang)
    _assumptions_sheet(book, result.scenario, lang)
    _readings_sheet(book, result.scenario, lang)
    if sensitivity is not None:
        _sensitivity_sheet(book, sensitivity, lang)
    if monte_carlo is not None:
        _quantiles_sheet(book, monte_carlo, result, lang)
        _debt_sheet(book, result, monte_carlo, lang)
    with open(path, "wb") as handle:
        book.save(handle)
    return Path(path)


def _figures_sheet(book, name: str, rows: list[list], formats: list[str], lang: str) -> None:
    """A sheet of figures, one a row (figure, value, unit), each value in its number
    format: the summary and the family's debt."""
    sheets = catalog(lang)["sheets"]
    sheet = _write_sheet(book, name, [sheets["figure"], sheets["value"], sheets["unit"]], ["", "", ""], [], lang)
    for number, (row, number_format) in enumerate(zip(rows, formats, strict=True), start=3):
        sheet.append(row)
        sheet.cell(number, 2).number_format = number_format
    sheet.column_dimensions["A"].width = max(len(row[0]) for row in rows) + 2
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 22


def _statement_sheets(book, result, lang: str) -> None:
    """The income statement, balance sheet and cash-flow statement, one sheet each, a
    column per fiscal year (``Result.statements``)."""
    words = catalog(lang)["statements"]
    for key, statement in getattr(result, "statements", {}).items():  # a result from the books
        headers = [words["line"], *(digits(words["year"].format(year=year), lang) for year in statement.columns)]
        units = ["", *([words["unit"]] * len(statement.columns))]
        rows = [[words["lines"][line], *values] for line, values in zip(statement.index, statement.to_numpy().tolist(), strict=True)]
        _write_sheet(book, words[key], headers, units, rows, lang, ["@", *(["#,##0"] * len(statement.columns))])


def _assumptions_sheet(book, scenario, lang: str) -> None:
    sheets = catalog(lang)["sheets"]
    headers = [sheets["parameter"], sheets["value"], sheets["unit"], sheets["default"], sheets["changed"], sheets["source"], sheets["path"]]
    rows, formats_by_row = [], []
    for row in assumption_records(scenario, lang):
        value = row["raw"]
        numeric = isinstance(value, int | float | np.number) and not isinstance(value, bool)
        unit = row["unit"]
        cell = value if numeric else row["value"]
        default = row["raw_default"]
        default = default if numeric and isinstance(default, int | float | np.number) else row["default"]
        rows.append(["  " * row["depth"] + row["name"], cell, unit if numeric else "", default, catalog(lang)["values"][str(bool(row["changed"])).lower()], row["source"], row["parameter"]])
        formats_by_row.append(("0.00%" if is_percent_unit(unit) else "#,##0.####") if numeric else None)
    sheet = _write_sheet(book, sheets["assumptions"], headers, [""] * len(headers), [], lang)
    for number, (row, number_format) in enumerate(zip(rows, formats_by_row, strict=True), start=3):
        sheet.append(row)
        if number_format:
            sheet.cell(number, 2).number_format = number_format
            sheet.cell(number, 4).number_format = number_format
    for letter, width in zip("ABCDEFG", (44, 18, 16, 22, 10, 90, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    from openpyxl.styles import Alignment

    for cell in sheet["F"][2:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _readings_sheet(book, scenario, lang: str) -> None:
    """The disputed facts: each reading's alternatives, what they say and change, their
    sources and the probability the Monte Carlo gives them (texts in ``lang``; what each
    changes stays in the scenario's dotted paths)."""
    from solarcoop.disputed import readings

    sheets = catalog(lang)["sheets"]
    frame = reading_texts(lang)
    frame["probability"] = readings(scenario.uncertainty)["probability"].to_numpy()
    titles = catalog(lang)["readings"]
    rows = [
        [
            titles.get(row.reading, row.reading), row.question, row.alternative, row.says,
            catalog(lang)["values"][str(bool(row.central)).lower()], row.probability,
            row.changes, row.source, row.reason,
        ]
        for row in frame.itertuples(index=False)
    ]  # fmt: skip
    formats = ["@", "@", "@", "@", "@", "0%", "@", "@", "@"]
    sheet = _write_sheet(book, sheets["readings"], list(sheets["readings_columns"]), [""] * 9, rows, lang, formats)
    from openpyxl.styles import Alignment

    for letter, width in zip("ABCDEFGHI", (22, 40, 22, 50, 10, 12, 40, 50, 50), strict=True):
        sheet.column_dimensions[letter].width = width
        for cell in sheet[letter][2:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def _sensitivity_sheet(book, sensitivity: pd.DataFrame, lang: str) -> None:
    sheets = catalog(lang)["sheets"]
    quantity = column_words(sensitivity.attrs.get("metric", "payout_per_family_rial_mean_year1"), lang)[0]
    headers = [header.format(quantity=quantity) for header in sheets["sensitivity_columns"]] + [sheets["path"]]
    rial = sheets["metric_unit"]
    units = ["", "", "", rial, rial, rial, ""]
    rows = [
        [plots.parameter_label(row.parameter, lang), row.low_value, row.high_value, row.low_metric, row.high_metric, row.base_metric, row.parameter]
        for row in sensitivity.itertuples(index=False)
    ]
    formats = ["@", "#,##0.####", "#,##0.####", "#,##0", "#,##0", "#,##0", "@"]
    _write_sheet(book, sheets["sensitivity"], headers, units, rows, lang, formats)


DEBT_PERCENT_FIGURES = ("chance_owes", "chance_owes_after_loan_year")
"""Figures of :class:`~solarcoop.studies.headline.FamilyDebt` that are shares [-],
shown as percentages."""

DEBT_TEXT_FIGURES = ("single_cleared_label", "single_owes_after_loan_year")
"""Figures of :class:`~solarcoop.studies.headline.FamilyDebt` shown as words."""


def _debt_sheet(book, result, monte_carlo, lang: str) -> None:
    """What a family owes in withheld instalments over the futures and in the single run:
    the headline's figure set (:func:`solarcoop.studies.headline.family_debt_of`, the one
    every page reads), one row a figure; no sheet when the Monte Carlo did not keep what
    the debt needs."""
    from solarcoop.studies.headline import family_debt_of

    debt = family_debt_of(result, monte_carlo)
    if not debt.measured:
        return
    words = catalog(lang)
    sheets, calendar = words["sheets"], result.scenario.calendar
    month = month_text(debt.base_month, calendar, lang)
    units = words["units"]
    rows, formats = [], []
    for name, label in sheets["debt_rows"].items():
        value = getattr(debt, name)
        if value is None:  # no instalment due, so no year of the last one
            rows.append([label, words["values"]["none"], ""])
            formats.append("@")
        elif name in DEBT_TEXT_FIGURES:
            shown = month_text(value, calendar, lang) if isinstance(value, str) else words["values"][str(bool(value)).lower()]
            rows.append([label.format(month=month), shown, ""])
            formats.append("@")
        elif name in DEBT_PERCENT_FIGURES:
            rows.append([label, float(value), "%"])
            formats.append("0.0%")
        elif name.endswith("_rial"):
            rows.append([label.format(month=month), float(value) / MILLION, units["million_rial"]])
            formats.append("#,##0.0")
        else:  # paths, months and a percentile: plain numbers
            rows.append([label, float(value), ""])
            formats.append("#,##0")
    _figures_sheet(book, sheets["debt"], rows, formats, lang)


def _quantiles_sheet(book, monte_carlo, result, lang: str) -> None:
    sheets = catalog(lang)["sheets"]
    column = money_column(result, monte_carlo)
    quantiles = monte_carlo.quantiles((P90_QUANTILE, P50_QUANTILE, 0.9), column)
    calendar = result.scenario.calendar
    quantity = column_words(column, lang)[0]
    headers = [
        sheets["jalali_month"], column_words("operating_year", lang)[0],
        *(sheets["quantile_of"].format(p=sheets[p], quantity=quantity) for p in ("p90", "p50", "p10")),
    ]  # fmt: skip
    rial = sheets["metric_unit"]
    units = ["", "", rial, rial, rial]
    years = monte_carlo.months["operating_year"].to_numpy()
    rows = [
        [month_text(label, calendar, lang), int(year), *values]
        for label, year, values in zip(quantiles.index, years, quantiles.to_numpy(), strict=True)
    ]
    _write_sheet(book, sheets["monte_carlo"], headers, units, rows, lang, ["@", "0", "#,##0", "#,##0", "#,##0"])
