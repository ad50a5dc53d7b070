"""A report a planner can put into a proposal: PDF, Excel workbook and PNG charts; and the
one-page statement a family reads before it joins.

:func:`write_report` writes, into one folder, for ``lang="en"`` or ``"fa"``:

- ``report_<lang>.pdf``, in the order of a proposal: the headline (what a family gets per
  month in years 1-3 and after the loan, central and in 9 futures out of 10, against the
  promise, with the one chart that shows it); the family's money through the loan and
  after it; the loan; energy; where the money goes; risk; what matters most; the life
  year by year and year one month by month; then the assumptions as an appendix, each
  with its value, its default and the source of that default;
- ``report_<lang>.xlsx``: summary, monthly ledger, annual table, one sheet per member
  class, assumptions with sources, sensitivity and Monte Carlo quantiles, every number
  stored as a number with a number format, units in a second header row;
- one PNG per chart (``payout_<lang>.png`` ...).

:func:`family_statement` draws one A4 page for a family deciding whether to join, and
:func:`write_statement` writes it as ``statement_<lang>.pdf``.

Every word comes from the language's catalog (``solarcoop/present/locales/<lang>.toml``); numbers
are rounded only here, at the output. The source of each default is read from the
numpydoc docstring of the spec that holds it (English) or from the catalog (Persian).

Nothing is overwritten unless ``force=True`` (checked before anything is computed). The
files are written into a new folder beside the output folder, which is swapped in only
when all of them are complete (:mod:`solarcoop._atomic`), so a run that fails leaves no
half-written file and a reader never sees old and new files mixed.
"""

from __future__ import annotations

import dataclasses
import datetime
import functools
import inspect
import re
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop._atomic import OutputExistsError, check_folder, write_folder
from solarcoop.calendar import month_names, to_jalali
from solarcoop.present import plots
from solarcoop.present.locales import catalog
from solarcoop.present.plots import (
    BILLION,
    MILLION,
    digits,
    format_money,
    format_number,
    format_percent,
    scenario_name,
)

PAGE_SIZE_IN = (11.69, 8.27)
"""A4 landscape [inches]."""
STATEMENT_SIZE_IN = (8.27, 11.69)
"""A4 portrait [inches]."""
MARGIN = 0.05
"""Page margin [fraction of the page width]."""
ASSUMPTIONS_FONT_PT = 7.5
TABLE_FONT_PT = 9
CHART_DPI = 150
LINE_SPACING = 1.4
TABLE_TOP = 0.86
TABLE_BOTTOM = 0.07
CELL_PADDING_IN = 0.08
P90_QUANTILE = plots.P90_QUANTILE
P50_QUANTILE = plots.P50_QUANTILE


ReportExistsError = OutputExistsError
"""The output folder already holds an earlier run's files and ``force`` was not given."""


# ------------------------------------------------------------------------ words and numbers


def plain_text(text: str) -> str:
    """Docstring markup as plain text: roles and literals lose their marks.

    >>> plain_text("built by :func:`solarcoop.weather.typical_years` with ``None`` or `x`")
    'built by solarcoop.weather.typical_years with None or x'
    >>> plain_text("Default 3.5e8 (35 billion toman per MW), 3-4e8.")
    'Default 350,000,000 (35 billion toman per MW), 3-400,000,000.'
    """
    text = re.sub(r":\w+:`~?([^`]+)`", r"\1", str(text))
    text = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)[eE]([+-]?\d+)(?!\w|\.\d)", _spelled_out, text)
    text = text.replace("``", "").replace("`", "")
    return re.sub(r"\s+", " ", text).strip()


def _spelled_out(match: re.Match) -> str:
    """A number written as ``3.5e8`` in a docstring, as ``350,000,000``."""
    value = float(match.group(0))
    return f"{value:,.0f}" if value >= 1 else f"{value:,.10f}".rstrip("0")


def _is_percent(unit: str) -> bool:
    return unit.startswith(("%", "٪"))


def _is_money(unit: str) -> bool:
    return unit.startswith(("rial", "ریال"))


def _number(value: float, lang: str) -> str:
    """Up to four decimals, trailing zeros dropped, thousands separated; never e-notation."""
    text = f"{float(value):,.4f}".rstrip("0").rstrip(".")
    if text in ("-0", ""):
        text = "0"
    return digits(text, lang)


def format_value(value, unit: str, lang: str) -> str:
    """A number with its unit as a reader wants it: rates in percent, money in million or
    billion rial, counts with thousands separators.

    >>> format_value(0.35, "%/year", "en"), format_value(3.6e9, "rial/year", "en")
    ('35 %/year', '3.6 billion rial/year')
    >>> format_value(0.35, "٪ در سال", "fa"), format_value(45_800, "ریال/کیلووات‌ساعت", "fa")
    ('۳۵٪ در سال', '۴۵٬۸۰۰ ریال/کیلووات‌ساعت')
    """
    if _is_percent(unit):
        number = _number(round(float(value) * 100, 10), lang)
        return f"{number}{unit}" if lang == "fa" else f"{number} {unit}"
    if _is_money(unit):
        rial = "rial" if lang == "en" else "ریال"
        return format_money(float(value), lang, unit=unit[len(rial) :])
    number = _number(value, lang)
    return f"{number} {unit}".strip()


def _money_million(value_rial: float, lang: str, decimals: int = 1) -> str:
    return format_number(value_rial / MILLION, lang, decimals)


def _chance(probability: float, lang: str) -> str:
    return format_percent(round(float(probability), 2), lang, 0)


def month_text(label: str, calendar: str, lang: str) -> str:
    """``"1411-12"`` as ``"Esfand 1411"`` or ``"اسفند ۱۴۱۱"``; a phrase such as "not
    within the life" in the catalog's words."""
    if not re.fullmatch(r"\d{4}-\d{2}", str(label)):
        return digits(catalog(lang)["values"].get(str(label), str(label)), lang)
    return plots.month_label(str(label), calendar, lang)


def _date_text(value, lang: str) -> str:
    year, month, day = to_jalali(value)
    jalali = f"{day} {month_names('jalali', lang)[month - 1]} {year}"
    if lang == "fa":
        return digits(jalali, lang)
    return f"{pd.Timestamp(value):%Y-%m-%d} ({jalali})"


# ------------------------------------------------------------------------ assumptions


@functools.cache
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
    return {name: plain_text(" ".join(lines)) for name, lines in docs.items()}


def field_words(kind: type, field: str, lang: str) -> tuple[str, str, str]:
    """(name, unit, description with the source of the default) of a spec's field.

    English descriptions are the spec's docstring; Persian ones are in the catalog.
    """
    entry = catalog(lang)["fields"].get(kind.__name__, {}).get(field)
    if entry is None:  # a field the catalogs do not know yet (a test fails for it)
        return field, "", _parameter_docs(kind).get(field, "")
    name, unit, *rest = entry
    description = rest[0] if rest else _parameter_docs(kind).get(field, "")
    return name, unit, description


def _show(value, unit: str, lang: str) -> str:
    words = catalog(lang)
    if value is None:
        return words["values"]["none"]
    if isinstance(value, bool | np.bool_):
        return words["values"][str(bool(value)).lower()]
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray):
        return words["report"]["table_of_rows"].format(rows=digits(f"{len(value):,}", lang))
    if isinstance(value, datetime.date):
        return _date_text(value, lang)
    if dataclasses.is_dataclass(value):
        return words["specs"].get(type(value).__name__, type(value).__name__)
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return month_text(value, "jalali", lang)
        return digits(words["values"].get(value, words["sources"].get(value, value)), lang)
    if isinstance(value, tuple | list):
        if not value:
            return words["report"]["empty"]
        if all(isinstance(item, tuple | list) for item in value):
            return "; ".join(
                "(" + ", ".join(_show(item, "", lang) for item in pair) + ")" for pair in value
            )
        if all(isinstance(item, int | float | np.number) for item in value):
            numbers = [format_value(item, unit, lang) for item in value]
            if len(set(numbers)) == 1:
                return numbers[0]
            bare = [format_value(item, unit[:1] if _is_percent(unit) else "", lang) for item in value]
            bare = [number.replace(" %", "").replace("٪", "") for number in bare]
            separator = "، " if lang == "fa" else ", "
            rest = unit if _is_percent(unit) and lang == "fa" else f" {unit}"
            return separator.join(bare) + (rest if unit else "")
        return ", ".join(_show(item, "", lang) for item in value)
    if isinstance(value, int | float | np.number):
        return format_value(value, unit, lang)
    return str(value)


def _class_default(field: dataclasses.Field):
    if field.default is not dataclasses.MISSING:
        return field.default
    if field.default_factory is not dataclasses.MISSING:
        return field.default_factory()
    return dataclasses.MISSING


def _rows(spec, prefix: str, default_spec, lang: str, depth: int = 0) -> list[dict]:
    rows = []
    kind = type(spec)
    for field in dataclasses.fields(spec):
        path = f"{prefix}{field.name}"
        value = getattr(spec, field.name)
        if default_spec is not None and type(default_spec) is kind:
            default = getattr(default_spec, field.name)
        else:
            default = _class_default(field)
        name, unit, description = field_words(kind, field.name, lang)
        section = dataclasses.is_dataclass(value) and not isinstance(value, type)
        if section:
            changed = type(value) is not type(default)
        else:
            changed = default is dataclasses.MISSING or repr(value) != repr(default)
        shown = _show(value, unit, lang)
        if section and shown == name:
            shown = ""
        rows.append(
            {
                "parameter": path,
                "name": name,
                "value": shown,
                "default": _show(default, unit, lang)
                if default is not dataclasses.MISSING
                else "",
                "unit": unit,
                "source": description,
                "changed": changed,
                "depth": depth,
                "section": section,
                "raw": value,
                "raw_default": None if default is dataclasses.MISSING else default,
            }
        )
        if section:
            child_default = default if dataclasses.is_dataclass(default) else None
            rows += _rows(value, f"{path}.", child_default, lang, depth + 1)
        elif isinstance(value, tuple) and value and all(
            dataclasses.is_dataclass(item) for item in value
        ):
            for number, item in enumerate(value):
                rows += _rows(item, f"{path}.{number}.", None, lang, depth + 1)
    return rows


def _assumption_records(scenario, lang: str) -> list[dict]:
    default_scenario = type(scenario)()
    return [
        row
        for row in _rows(scenario, "", default_scenario, lang)
        if row["parameter"] != "name"
    ]


def assumptions_table(scenario, lang: str = "en") -> pd.DataFrame:
    """Every input of a scenario, its value, the library's default and that default's source.

    The source is the field's description in the docstring of the spec that holds it
    (for example ``Loan.annual_rate``: "Default 0.04: 4 % a year (Relief Committee loans
    in Hamedan and Rudan; IRIB 5585575, 5565464)"), or its Persian version in the catalog.

    Parameters
    ----------
    scenario : solarcoop.Scenario
    lang : {"en", "fa"}

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter`` (dotted path), ``name``, ``value`` and ``default`` (as
        printed: rates in percent, money in million or billion rial), ``unit``, ``source``
        (plain text) and ``changed`` (the value differs from the default).

    Examples
    --------
    >>> import solarcoop as sc
    >>> table = assumptions_table(sc.qom_baseline()).set_index("parameter")
    >>> table.loc["loan.annual_rate", "value"], bool(table.loc["loan.annual_rate", "changed"])
    ('4 %/year', False)
    >>> table.loc["loan.principal_rial", "value"]
    '1.5 billion rial'
    >>> "Hamedan" in table.loc["loan.annual_rate", "source"]
    True
    """
    rows = _assumption_records(scenario, lang)
    columns = ["parameter", "name", "value", "default", "unit", "source", "changed"]
    return pd.DataFrame([{key: row[key] for key in columns} for row in rows], columns=columns)


# ------------------------------------------------------------------------ text layout


@functools.cache
def _renderer():
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(100, 100, 72)


@functools.cache
def _word_width_in(word: str, font_pt: float, bold: bool = False) -> float:
    """Width of one word as matplotlib lays it out [inches]."""
    from matplotlib.font_manager import FontProperties

    properties = FontProperties(size=font_pt, weight="bold" if bold else "normal")
    width, _, _ = _renderer().get_text_width_height_descent(word, properties, ismath=False)
    return width / 72


def _text_width_in(text: str, font_pt: float, bold: bool = False) -> float:
    """Width of a line: its words' widths and the spaces between them, with 3 % to spare
    for kerning across words [inches]."""
    words = text.split(" ")
    space = _word_width_in("a a", font_pt, bold) - 2 * _word_width_in("a", font_pt, bold)
    return 1.03 * (sum(_word_width_in(word, font_pt, bold) for word in words) + space * (len(words) - 1))


def wrap(text: str, width_in: float, font_pt: float, bold: bool = False) -> list[str]:
    """Lines of ``text`` no wider than ``width_in`` at ``font_pt``, broken between words.

    A single word wider than the line is broken after a "/", "." or "_" if it has one,
    else between letters (the only case a word is cut).
    """
    lines: list[str] = []
    for paragraph in str(text).split("\n"):
        line = ""
        for word in paragraph.split():
            candidate = f"{line} {word}" if line else word
            if _text_width_in(candidate, font_pt, bold) <= width_in:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            for piece in _word_pieces(word, width_in, font_pt, bold):
                candidate = f"{line}{piece}"
                if line and _word_width_in(candidate, font_pt, bold) > width_in:
                    lines.append(line)
                    candidate = piece
                line = candidate
        lines.append(line)
    return lines or [""]


def _word_pieces(word: str, width_in: float, font_pt: float, bold: bool) -> list[str]:
    if _word_width_in(word, font_pt, bold) <= width_in:
        return [word]
    pieces = re.findall(r"[^/._]+[/._]?|[/._]", word)
    if all(_word_width_in(piece, font_pt, bold) <= width_in for piece in pieces):
        return pieces
    return list(word)


def _line_height(font_pt: float, page_height_in: float = PAGE_SIZE_IN[1]) -> float:
    """Height of one text line [fraction of the page]."""
    return font_pt * LINE_SPACING / 72 / page_height_in


def _column_spans(widths) -> np.ndarray:
    return np.asarray(widths, dtype=float) / np.sum(widths) * (1 - 2 * MARGIN)


def _cell_width_in(span: float) -> float:
    return span * PAGE_SIZE_IN[0] - 2 * CELL_PADDING_IN


def _wrap_row(row, spans, font_pt: float, bold: bool = False) -> list[list[str]]:
    return [
        wrap(cell, _cell_width_in(span), font_pt, bold) for cell, span in zip(row, spans, strict=True)
    ]


def _table_pages(header, rows, widths, font_pt: float) -> list[list]:
    """Wrap the rows' cells and split them into pages that fit under the header."""
    spans = _column_spans(widths)
    header_lines = max(len(cell) for cell in _wrap_row(header, spans, font_pt, True))
    available = int((TABLE_TOP - TABLE_BOTTOM) / _line_height(font_pt)) - header_lines - 1
    pages, page, used = [], [], 0
    for group in rows:
        members = []
        for row in group if isinstance(group, _Group) else [group]:
            style = "section" if isinstance(row, _Section) else "row"
            cells = _wrap_row(row, spans, font_pt, style == "section")
            members.append((style, cells, max(len(cell) for cell in cells) + (0.3 if style == "section" else 0.0)))
        if page and used + sum(height for *_, height in members) > available:
            pages.append(page)  # a group starts a new page rather than split
            page, used = [], 0
        for style, cells, height in members:
            if page and used + height > available:
                pages.append(page)
                page, used = [], 0
            page.append((style, cells))
            used += height
    return [*pages, page] if page else pages


class _Section(list):
    """A table row that heads a group (drawn bold)."""


class _Group(list):
    """Table rows kept on one page when they fit on one."""


def _page_figure(title: str, lang: str, size=PAGE_SIZE_IN):
    from matplotlib.figure import Figure

    figure = Figure(figsize=size)
    right = lang == "fa"
    figure.text(
        1 - MARGIN if right else MARGIN, 0.95, title, fontsize=16, weight="bold",
        ha="right" if right else "left", va="top",
    )  # fmt: skip
    return figure


def _draw_table(figure, header, page, widths, lang: str, font_pt: float, top=TABLE_TOP) -> float:
    """Draw one page of a table, columns right to left in Persian; returns the y below it."""
    from matplotlib.lines import Line2D

    line_height = _line_height(font_pt, figure.get_figheight())
    spans = _column_spans(widths)
    left_edges = MARGIN + np.concatenate([[0.0], np.cumsum(spans)[:-1]])
    padding = CELL_PADDING_IN / figure.get_figwidth()
    if lang == "fa":
        x = 1.0 - left_edges - padding
        anchor = "right"
    else:
        x = left_edges + padding
        anchor = "left"

    def draw_row(cells, y: float, **style) -> float:
        for column, lines in enumerate(cells):
            figure.text(
                x[column], y, "\n".join(lines), fontsize=font_pt, ha=anchor, va="top",
                linespacing=LINE_SPACING, **style,
            )  # fmt: skip
        return y - max(len(lines) for lines in cells) * line_height

    def rule(y: float, width: float = 0.6) -> None:
        figure.add_artist(
            Line2D([MARGIN, 1 - MARGIN], [y, y], transform=figure.transFigure, color="black",
                   linewidth=width)
        )  # fmt: skip

    header_cells = [wrap(cell, _cell_width_in(span), font_pt, True) for cell, span in zip(header, spans, strict=True)]
    y = draw_row(header_cells, top, weight="bold")
    rule(y + 0.1 * line_height)
    y -= 0.25 * line_height
    for style, cells in page:
        if style == "section":
            y -= 0.3 * line_height
            y = draw_row(cells, y, weight="bold")
        else:
            y = draw_row(cells, y)
    return y


def _table_figures(title: str, header, rows, widths, lang: str, font_pt: float, note: str = ""):
    """``[(page title, draw())]`` for a table, as many pages as it needs."""
    pages = _table_pages(header, rows, widths, font_pt)
    words = catalog(lang)["report"]
    if len(pages) > 1:
        titles = [
            f"{title} "
            + digits(words["page_of"].format(page=number, pages=len(pages)), lang)
            for number in range(1, len(pages) + 1)
        ]
    else:
        titles = [title]

    def figure_for(page_title: str, page):
        figure = _page_figure(page_title, lang)
        _draw_table(figure, header, page, widths, lang, font_pt)
        if note:
            figure.text(
                1 - MARGIN if lang == "fa" else MARGIN, 0.03, note, fontsize=8,
                ha="right" if lang == "fa" else "left",
            )  # fmt: skip
        return figure

    return [
        (page_title, lambda page_title=page_title, page=page: figure_for(page_title, page))
        for page_title, page in zip(titles, pages, strict=True)
    ]


# ------------------------------------------------------------------------ the headline


HEADLINE_COLUMNS = (
    "net_payout_per_family_p50_rial",
    "net_payout_per_family_p90_rial",
    "net_payout_per_family_p50_real_rial",
    "net_payout_per_family_p90_real_rial",
    "single_run_net_payout_per_family_rial",
    "single_run_percentile",
    "chance_month_reaches_promise_net",
)
"""Columns of the headline table, one row per operating year shown."""


def headline_years(result) -> list[int]:
    """Years 1, 2 and 3 and the first full year after the family loan, within the life."""
    monthly = result.monthly
    due = monthly["loan_instalment_per_family_rial"].to_numpy() > 0.5
    life = int(monthly["operating_year"].max())
    years = [year for year in (1, 2, 3) if year <= life]
    if due.any():
        last = int(np.flatnonzero(due)[-1])
        year = int(monthly["operating_year"].iloc[last])
        after = year + 1 if _last_month_of_year(monthly, last) else year + 2
        if after <= life and after not in years:
            years.append(after)
    return years


def _last_month_of_year(monthly: pd.DataFrame, position: int) -> bool:
    years = monthly["operating_year"].to_numpy()
    return position + 1 == len(years) or years[position + 1] != years[position]


def money_column(result, monte_carlo=None) -> str:
    """The family's monthly money the report shows: its own cash flow after the instalment,
    with its sign (``family_cash_flow_rial``), when the run has it; else the net payout."""
    column = "family_cash_flow_rial"
    if column not in result.monthly.columns:
        return "payout_per_family_rial"
    if monte_carlo is not None and column not in monte_carlo.columns:
        return "payout_per_family_rial"
    return column


def headline_table(result, monte_carlo=None, promise_rial: float | None = None) -> pd.DataFrame:
    """What a family gets per month in the headline years: central (P50) and 9 futures in
    10 (P90) of the year's mean monthly net payout, nominal and in first-month money, the
    single run and its place among the futures, and the chance that a month of the year
    reaches ``promise_rial`` net of the instalment.

    Parameters
    ----------
    result : solarcoop.Result
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
        Without it only the single run's column is filled (the others are NaN).
    promise_rial : float, optional
        The promised monthly payout [rial]; default the bottom of the scenario's promised
        band. Without either the chance column is NaN.

    Returns
    -------
    pandas.DataFrame
        Index ``operating_year``; columns :data:`HEADLINE_COLUMNS` and ``label`` (the
        Jalali year) [rial; percentile in 0-100; chance in 0-1].
    """
    years = headline_years(result)
    annual = result.annual
    table = pd.DataFrame(index=pd.Index(years, name="operating_year"), columns=list(HEADLINE_COLUMNS), dtype=float)
    table["label"] = [str(annual.loc[year, "label"]) for year in years]
    table.attrs["base_month"] = str(result.monthly["label"].iloc[0])
    column = money_column(result, monte_carlo)
    single = annual.loc[years, f"{column}_mean"].to_numpy(float)
    table["single_run_net_payout_per_family_rial"] = single
    if monte_carlo is None:
        return table
    columns = [(year - 1) for year in years]
    nominal = monte_carlo.yearly(column)[:, columns]
    table["net_payout_per_family_p50_rial"] = np.quantile(nominal, P50_QUANTILE, axis=0)
    table["net_payout_per_family_p90_rial"] = np.quantile(nominal, P90_QUANTILE, axis=0)
    real_column = column.replace("_rial", "_real_rial")
    if real_column in monte_carlo.columns:
        real = monte_carlo.yearly(real_column)[:, columns]
        table["net_payout_per_family_p50_real_rial"] = np.quantile(real, P50_QUANTILE, axis=0)
        table["net_payout_per_family_p90_real_rial"] = np.quantile(real, P90_QUANTILE, axis=0)
    table["single_run_percentile"] = 100 * (nominal < single).mean(axis=0)
    promise = result.scenario.promise
    if promise_rial is None and promise is not None:
        promise_rial = promise.low_rial
    if promise_rial is not None:
        table["chance_month_reaches_promise_net"] = [
            1 - monte_carlo.chance_of_month_below(promise_rial, year) for year in years
        ]
    return table


def _headline_view(headline) -> pd.DataFrame:
    """A :func:`solarcoop.headline` table as the pages show it: the year's Jalali year as
    its label and the month whose money the real columns are in."""
    table = headline.table.copy()
    table["label"] = [str(label)[:4] for label in table["label"]]
    table.attrs["base_month"] = headline.base_month
    return table


def _fill_lines(figure, x: float, y: float, lines: list[str], font_pt: float, lang: str, **style) -> float:
    figure.text(
        x, y, "\n".join(lines), fontsize=font_pt, ha="right" if lang == "fa" else "left",
        va="top", linespacing=LINE_SPACING, **style,
    )  # fmt: skip
    return y - len(lines) * _line_height(font_pt, figure.get_figheight())


def _paragraph(figure, y: float, text: str, font_pt: float, lang: str, width=None, **style) -> float:
    width_in = (1 - 2 * MARGIN) * figure.get_figwidth() if width is None else width
    x = 1 - MARGIN if lang == "fa" else MARGIN
    return _fill_lines(figure, x, y, wrap(text, width_in, font_pt, style.get("weight") == "bold"), font_pt, lang, **style)


def _promise_words(scenario, lang: str) -> dict:
    """The scenario's promise in words: its band, reading, source and money's month."""
    promise = scenario.promise
    words = catalog(lang)
    source = words["sources"].get(promise.source, promise.source)
    return {
        "low": format_number(promise.low_rial / MILLION, lang, None),
        "high": format_number(promise.high_rial / MILLION, lang, None),
        "reading": words["report"]["promise_readings"][promise.reading or "none"],
        "source": digits(source, lang),
        "month": month_text(promise.money_of, "jalali", lang),
    }


def _headline_sentences(result, table: pd.DataFrame, monte_carlo, sensitivity, lang: str) -> list[str]:
    words = catalog(lang)["report"]
    years = list(table.index)
    sentences = []
    if result.scenario.promise is not None and monte_carlo is not None:
        after = years[-1]
        sentences.append(
            words["promise_sentence"].format(
                **_promise_words(result.scenario, lang),
                first=_chance(table.loc[1, "chance_month_reaches_promise_net"], lang),
                after=_chance(table.loc[after, "chance_month_reaches_promise_net"], lang),
                year_after=format_number(after, lang),
            )
        )  # fmt: skip
    if sensitivity is not None and len(sensitivity):
        top = sensitivity.iloc[
            int(np.argmax((sensitivity["high_metric"] - sensitivity["low_metric"]).abs().to_numpy()))
        ]
        label = plots._parameter_label(top["parameter"], lang)
        name, percent = label.split(" [")[0], plots._is_percent(label)
        sentences.append(
            words["depends_sentence"].format(
                parameter=name,
                low=plots._value_text(top["low_value"], lang, percent),
                high=plots._value_text(top["high_value"], lang, percent),
                low_metric=_money_million(top["low_metric"], lang),
                high_metric=_money_million(top["high_metric"], lang),
                base_metric=_money_million(top["base_metric"], lang),
            )
        )
    if monte_carlo is not None:
        sentences.append(
            words["uncertain_sentence"].format(
                n_paths=format_number(monte_carlo.n_paths, lang),
                p50=_money_million(table.loc[1, "net_payout_per_family_p50_rial"], lang),
                p90=_money_million(table.loc[1, "net_payout_per_family_p90_rial"], lang),
                single=_money_million(table.loc[1, "single_run_net_payout_per_family_rial"], lang),
                percentile=format_number(table.loc[1, "single_run_percentile"], lang),
            )
        )
    else:
        sentences.append(words["uncertain_sentence_single"])
    sentences.append(_loan_sentence(result, lang))
    return sentences


def _loan_sentence(result, lang: str) -> str:
    words = catalog(lang)["report"]
    loan = result.scenario.loan
    instalment = result.monthly["loan_instalment_per_family_rial"]
    instalment = instalment[instalment > 0.5]
    return words["loan_sentence"].format(
        principal=format_number(loan.principal_rial / MILLION, lang),
        term=format_number(len(instalment), lang),
        instalment=_money_million(instalment.iloc[0] if len(instalment) else 0.0, lang),
        paid_off=month_text(result.summary["loan_paid_off_label"], result.scenario.calendar, lang),
    )


def _headline_rows(result, table: pd.DataFrame, monte_carlo, lang: str) -> tuple[list, list]:
    words = catalog(lang)["report"]
    base = month_text(table.attrs["base_month"], result.scenario.calendar, lang)
    labels = []
    for year in table.index:
        template = words["year_row_after"] if year == table.index[-1] and year > 3 else words["year_row"]
        labels.append(template.format(year=format_number(year, lang), label=digits(table.loc[year, "label"], lang)))
    if monte_carlo is None:
        header = ["", words["single_run"]]
        rows = [
            [label, _money_million(table.loc[year, "single_run_net_payout_per_family_rial"], lang)]
            for label, year in zip(labels, table.index, strict=True)
        ]
        return header, rows
    promise = result.scenario.promise
    header = [
        "", words["central"], words["bad_year"],
        words["real_central"].format(base=base), words["real_bad_year"].format(base=base),
        words["single_run"], words["single_run_percentile"],
    ]  # fmt: skip
    if promise is not None:
        low = format_number(promise.low_rial / MILLION, lang, None)
        header.append(words["chance_reach"].format(promise=low))
    rows = []
    for label, year in zip(labels, table.index, strict=True):
        row = table.loc[year]
        rows.append(
            [
                label,
                _money_million(row["net_payout_per_family_p50_rial"], lang),
                _money_million(row["net_payout_per_family_p90_rial"], lang),
                _money_million(row["net_payout_per_family_p50_real_rial"], lang),
                _money_million(row["net_payout_per_family_p90_real_rial"], lang),
                _money_million(row["single_run_net_payout_per_family_rial"], lang),
                words["percentile_value"].format(value=format_number(row["single_run_percentile"], lang)),
            ]
        )
        if promise is not None:
            rows[-1].append(_chance(row["chance_month_reaches_promise_net"], lang))
    return header, rows


def _headline_page(result, table, monte_carlo, sensitivity, lang: str):
    words = catalog(lang)["report"]
    figure = _page_figure(words["title"].format(name=scenario_name(result.scenario, lang)), lang)
    y = _paragraph(figure, 0.895, words["headline_lead" if monte_carlo is not None else "headline_lead_single"], 10.5, lang)
    header, rows = _headline_rows(result, table, monte_carlo, lang)
    widths = [2.2] + [1.0] * (len(header) - 1)
    spans = _column_spans(widths)
    page = [("row", _wrap_row(row, spans, 11)) for row in rows]
    y = _draw_table(figure, header, page, widths, lang, 11, top=y - 0.015)
    y -= 0.02
    for sentence in _headline_sentences(result, table, monte_carlo, sensitivity, lang):
        y = _paragraph(figure, y, sentence, 9.5, lang) - 0.008
    base = month_text(table.attrs["base_month"], result.scenario.calendar, lang)
    figure.text(
        1 - MARGIN if lang == "fa" else MARGIN, 0.015, words["money_note"].format(base=base),
        fontsize=7.5, ha="right" if lang == "fa" else "left", va="bottom", color="dimgray",
    )  # fmt: skip
    height = max(y - 0.11 - 0.07, 0.15)
    ax = figure.add_axes((0.08, 0.11, 0.87, height))
    plots.yearly_payout(
        result, monte_carlo, ax, years=int(max(table.index)), lang=lang,
        column=money_column(result, monte_carlo),
    )  # fmt: skip
    ax.set_title(words["chart_title"], fontsize=10)
    return figure


# ------------------------------------------------------------------------ tables of results


ASSUMPTION_WIDTHS = [0.24, 0.17, 0.15, 0.44]
YEAR_ONE_WIDTHS = [0.16] + [0.12] * 7
LIFE_WIDTHS = [0.16] + [0.14] * 6


def _assumption_rows(scenario, lang: str) -> list:
    rows = []
    for row in _assumption_records(scenario, lang):
        name = ("  " * row["depth"]) + row["name"] + (" *" if row["changed"] else "")
        cells = [name, row["value"], row["default"], row["source"]]
        rows.append(_Section(cells) if row["section"] else cells)
    return rows


def _year_one_rows(result, lang: str) -> list[list[str]]:
    months = result.monthly[result.monthly["operating_year"] == 1]
    column = money_column(result)
    real_column = column.replace("_rial", "_real_rial")
    return [
        [
            month_text(row.label, result.scenario.calendar, lang),
            format_number(row.energy_kwh / 1e3, lang),
            format_number(row.price_rial_per_kwh, lang),
            format_number(row.revenue_collected_rial / MILLION, lang),
            format_number(row.distribution_per_family_rial / MILLION, lang, 1),
            format_number(row.loan_instalment_per_family_rial / MILLION, lang, 1),
            format_number(getattr(row, column) / MILLION, lang, 1),
            format_number(getattr(row, real_column) / MILLION, lang, 1),
        ]
        for row in months.itertuples(index=False)
    ]


def _life_rows(result, lang: str) -> list[list[str]]:
    annual = result.annual
    column = money_column(result)
    real_column = column.replace("_rial", "_real_rial")
    return [
        [
            digits(f"{year} ({row.label})", lang),
            format_number(row.energy_kwh / 1e3, lang),
            format_number(row.price_rial_per_kwh_mean, lang),
            format_number(row.distribution_per_family_rial_mean / MILLION, lang, 1),
            format_number(getattr(row, f"{column}_mean") / MILLION, lang, 1),
            format_number(getattr(row, f"{real_column}_mean") / MILLION, lang, 1),
            format_number(row.loan_balance_per_family_rial_end / MILLION, lang, 1),
        ]
        for year, row in zip(annual.index, annual.itertuples(index=False), strict=True)
    ]


# ------------------------------------------------------------------------ charts


READINGS_WIDTHS = [0.22, 0.34, 0.12, 0.32]
"""Columns of the readings page: fact, what the reading says, probability, source."""


def reading_texts(lang: str) -> pd.DataFrame:
    """:func:`solarcoop.readings` with its question, says, source and reason in ``lang``.

    The texts come from the language's catalog (``[disputed.<reading>.<alternative>]``);
    the English catalog holds the texts of :mod:`solarcoop.disputed` word for word.
    """
    from solarcoop.disputed import readings

    texts = catalog(lang)["disputed"]
    frame = readings()
    frame["question"] = [texts[name]["question"] for name in frame["reading"]]
    for column in ("says", "source", "reason"):
        frame[column] = [
            texts[name][alternative][column]
            for name, alternative in zip(frame["reading"], frame["alternative"], strict=True)
        ]
    return frame


def _reading_rows(scenario, lang: str) -> list:
    """One row per alternative: the fact (on its first row), what it says, its chance
    (the central one marked) and its source, numbers in the language's digits; each
    fact's rows kept on one page."""
    from solarcoop.disputed import READING_TITLES, readings

    words = catalog(lang)["report"]
    frame = reading_texts(lang)
    frame["probability"] = readings(scenario.uncertainty)["probability"].to_numpy()
    titles = READING_TITLES[lang]
    groups = []
    for name, alternatives in frame.groupby("reading", sort=False):
        group = _Group([[""] * 4] if groups else [])  # a blank line between facts
        for position, row in enumerate(alternatives.itertuples(index=False)):
            fact = f"{titles[name]}: {row.question}" if position == 0 else ""
            chance = _chance(row.probability, lang) + (f" — {words['central_mark']}" if row.central else "")
            group.append([digits(fact, lang), digits(row.says, lang), chance, digits(row.source, lang)])
        groups.append(group)
    return groups


def _charts(result, lang: str, monte_carlo=None, sensitivity=None) -> dict:
    """``{file stem: (page title, draw(ax))}`` for every chart of the report, in page order."""
    words = catalog(lang)["report"]
    years = plots.years_through_loan(result)
    column = money_column(result, monte_carlo)
    charts = {
        "payout": (words["payout_page"], lambda ax: plots.monthly_payout(result, ax, lang=lang)),
        "loan": (words["loan_page"], lambda ax: plots.loan_balance(result, ax, lang=lang)),
        "energy": (words["energy_page"], lambda ax: plots.monthly_energy(result, ax, lang=lang)),
    }
    for year in (1, 2):
        if year <= result.scenario.lifetime_years:
            charts[f"waterfall_year{year}"] = (
                words["waterfall_page"].format(year=format_number(year, lang)),
                lambda ax, year=year: plots.money_waterfall(result, ax, year=year, lang=lang),
            )
    if monte_carlo is not None:
        charts["fan"] = (
            words["fan_page"],
            lambda ax: plots.payout_fan(monte_carlo, ax, column=column, years=years, lang=lang),
        )
    if monte_carlo is not None and result.scenario.promise is not None:
        # the chance of falling short of the promise
        threshold = format_number(result.scenario.promise.low_rial / MILLION, lang, None)
        charts["shortfall"] = (
            words["shortfall_page"].format(threshold=threshold),
            lambda ax: plots.shortfall_probability(
                monte_carlo, ax, column=column, years=years, lang=lang
            ),
        )
    if sensitivity is not None:
        charts["tornado"] = (
            words["tornado_page"],
            lambda ax: plots.tornado(
                sensitivity, ax, name=scenario_name(result.scenario, lang), lang=lang,
                metric=sensitivity.attrs.get("metric", "payout_per_family_rial_mean_year1"),
            ),  # fmt: skip
        )
    return charts


def _chart_figure(draw, size=PAGE_SIZE_IN):
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    draw(figure.add_subplot())
    return figure


# ------------------------------------------------------------------------ the report


def _pages(result, lang: str, monte_carlo, sensitivity, headline=None) -> list[tuple[str, object]]:
    """``[(title, draw())]`` for every PDF page, in the order of a proposal."""
    words = catalog(lang)["report"]
    table = headline_table(result, monte_carlo) if headline is None else _headline_view(headline)
    pages = [(words["headline"], lambda: _headline_page(result, table, monte_carlo, sensitivity, lang))]
    pages += [
        (title, lambda draw=draw: _chart_figure(draw))
        for title, draw in _charts(result, lang, monte_carlo, sensitivity).values()
    ]
    pages += _table_figures(
        words["readings_page"], words["columns_readings"], _reading_rows(result.scenario, lang),
        READINGS_WIDTHS, lang, ASSUMPTIONS_FONT_PT,
    )  # fmt: skip
    name = scenario_name(result.scenario, lang)
    pages += _table_figures(
        f"{words['life']} — {name}", words["columns_life"], _life_rows(result, lang),
        LIFE_WIDTHS, lang, TABLE_FONT_PT,
    )  # fmt: skip
    pages += _table_figures(
        f"{words['year_one']} — {name}", words["columns_year_one"], _year_one_rows(result, lang),
        YEAR_ONE_WIDTHS, lang, TABLE_FONT_PT,
    )  # fmt: skip
    pages += _table_figures(
        words["assumptions"], words["columns_assumptions"], _assumption_rows(result.scenario, lang),
        ASSUMPTION_WIDTHS, lang, ASSUMPTIONS_FONT_PT, words["changed_note"],
    )  # fmt: skip
    return pages


def contents(result, lang: str = "en", monte_carlo=None, sensitivity=None, headline=None) -> list[str]:
    """Titles of the report's PDF pages, in order, one per page.

    Examples
    --------
    >>> import numpy as np, solarcoop as sc
    >>> result = sc.simulate(sc.qom_baseline(), energy=np.full(12, 420_000.0))
    >>> pages = contents(result)
    >>> pages[:3]
    ['What a family gets each month', "The family's money, through the loan and after it", 'The share loan']
    >>> pages[-1].startswith("Appendix: assumptions and their sources")
    True
    """
    return [title for title, _ in _pages(result, lang, monte_carlo, sensitivity, headline)]


def write_report(
    result,
    out_dir,
    lang: str = "en",
    force: bool = False,
    monte_carlo=None,
    sensitivity=None,
    headline=None,
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
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
        Adds the central and 9-in-10 figures to the headline, the fan chart, the chance of
        a month below the promise and a sheet of monthly P90 / P50 / P10 payouts.
    sensitivity : pandas.DataFrame, optional
        From :func:`solarcoop.studies.montecarlo.sensitivity` (metric: year-1 mean net payout per
        family); adds the tornado chart, a sentence on page 1 and a sheet.
    headline : solarcoop.Headline, optional
        From :func:`solarcoop.headline` (pass its ``single_run`` as ``result`` and its
        ``monte_carlo``): page 1 shows its table, real money in its ``base_month``.
        Without it page 1 is computed from ``monte_carlo`` the same way, in money of the
        first month.

    Returns
    -------
    list of pathlib.Path
        The files written: the PDF, the workbook, then the PNG charts.
    """
    from matplotlib.backends.backend_pdf import PdfPages

    catalog(lang)
    out = check_folder(out_dir, force)
    charts = _charts(result, lang, monte_carlo, sensitivity)
    title = catalog(lang)["report"]["title"].format(name=scenario_name(result.scenario, lang))

    def write_pdf(path: Path) -> None:
        with PdfPages(path, metadata={"Title": title, "Subject": scenario_name(result.scenario, lang)}) as pdf:
            for _, draw_page in _pages(result, lang, monte_carlo, sensitivity, headline):
                pdf.savefig(draw_page())

    writers = {
        f"report_{lang}.pdf": write_pdf,
        f"report_{lang}.xlsx": lambda path: write_workbook(result, path, lang, monte_carlo, sensitivity),
    }
    for stem, (_, draw) in charts.items():
        writers[f"{stem}_{lang}.png"] = lambda path, draw=draw: _chart_figure(draw, (11, 6)).savefig(
            path, format="png", dpi=CHART_DPI
        )
    return write_folder(out, writers, force)


# ------------------------------------------------------------------------ the workbook


def column_words(column: str, lang: str, strict: bool = False) -> tuple[str, str]:
    """(header, unit) of a ledger, annual or summary column, from the catalog.

    Names the catalog does not hold are read as a column with a qualifier:
    ``payout_per_family_rial_mean_year1`` is "net payout per family, monthly mean, year 1".

    >>> column_words("payout_per_family_rial_mean_year1", "en")
    ('net payout per family, monthly mean, year 1', 'rial')
    """
    words = catalog(lang)
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
    if _is_percent(unit):
        return "0.0%"
    if _is_money(unit) or unit in ("kWh", "کیلووات‌ساعت", "kWh/kWp", "کیلووات‌ساعت/کیلووات"):
        return "#,##0"
    if unit in ("date", "تاریخ"):
        return "yyyy-mm-dd"
    if values is not None:
        numbers = pd.to_numeric(pd.Series(values), errors="coerce").dropna()
        if len(numbers) and np.allclose(numbers, np.round(numbers)):
            return "#,##0"
    return "#,##0.000"


def _cell_value(value, unit: str):
    """A cell as Excel stores it: money rounded to the rial, dates as dates, NaN empty."""
    if value is None or (isinstance(value, float | np.floating) and not np.isfinite(value)):
        return None
    if isinstance(value, pd.Timestamp):
        return value.date()
    if isinstance(value, np.datetime64):
        return pd.Timestamp(value).date()
    if isinstance(value, np.bool_ | bool):
        return bool(value)
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating | float):
        value = float(value)
        if _is_money(unit):
            value = float(round(value))
        return value + 0.0  # no -0.0
    return value


def _write_sheet(book, name: str, headers: list[str], units: list[str], rows: list[list], lang: str, formats: list[str] | None = None):
    """One sheet: a header row, a units row, the rows; numbers formatted, widths fitted,
    headers and the first column frozen; right to left in Persian."""
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = book.create_sheet(title=_sheet_name(name))
    sheet.sheet_view.rightToLeft = lang == "fa"
    sheet.append(headers)
    sheet.append(units)
    bold, grey = Font(bold=True), Font(italic=True, color="666666")
    for cell in sheet[1]:
        cell.font = bold
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in sheet[2]:
        cell.font = grey
    columns = list(zip(*rows, strict=True)) if rows else [[] for _ in headers]
    formats = formats or [_number_format(unit, values) for unit, values in zip(units, columns, strict=True)]
    for row in rows:
        sheet.append([_cell_value(value, unit) for value, unit in zip(row, units, strict=True)])
    for index, (header, unit, number_format, values) in enumerate(zip(headers, units, formats, columns, strict=True), start=1):
        letter = get_column_letter(index)
        for cell in sheet[letter][2:]:
            if isinstance(cell.value, int | float | datetime.date):
                cell.number_format = number_format
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
            header, unit = column_words(column, lang)
        headers.append(header)
        units.append(unit)
        columns.append(list(values))
        formats.append("0" if column in ("label", "operating_year") else _number_format(unit, values))
    rows = [list(row) for row in zip(*columns, strict=True)]
    _write_sheet(book, name, headers, units, rows, lang, formats)


def _summary_rows(result, lang: str) -> tuple[list[list], list[str]]:
    words = catalog(lang)
    rows, formats = [], []
    for key, value in result.summary.items():
        label, unit = column_words(str(key), lang)
        if isinstance(value, str):
            value, unit_shown, number_format = month_text(value, result.scenario.calendar, lang), "", "@"
        elif _is_money(unit) and "per_family" in str(key):
            unit_shown, number_format = words["sheets"]["metric_unit"].replace("rial", "million rial") if lang == "en" else "میلیون ریال", "#,##0.0,,"
        elif _is_money(unit) and abs(float(value)) >= BILLION:
            unit_shown, number_format = ("billion rial" if lang == "en" else "میلیارد ریال") + unit[len("rial" if lang == "en" else "ریال") :], "#,##0.0,,,"
        else:
            unit_shown, number_format = unit, _number_format(unit, [value])
        rows.append([label, _cell_value(value, unit), unit_shown])
        formats.append(number_format)
    return rows, formats


def write_workbook(result, path, lang: str = "en", monte_carlo=None, sensitivity=None) -> Path:
    """The workbook an accountant opens: numbers as numbers, units, fitted widths, frozen
    headers, real dates beside Jalali months, Persian and right to left for ``lang="fa"``.

    Sheets: summary, monthly ledger, annual, one per member class, assumptions with their
    sources, and the sensitivity and Monte Carlo quantiles when given.

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
    rows, formats = _summary_rows(result, lang)
    summary = _write_sheet(book, sheets["summary"], [sheets["figure"], sheets["value"], sheets["unit"]], ["", "", ""], [], lang)
    for row, number_format in zip(rows, formats, strict=True):
        summary.append(row)
        summary.cell(summary.max_row, 2).number_format = number_format
    summary.column_dimensions["A"].width = max(len(row[0]) for row in rows) + 2
    summary.column_dimensions["B"].width = 18
    summary.column_dimensions["C"].width = 22
    _frame_sheet(book, sheets["monthly"], result.monthly, result, lang)
    _frame_sheet(book, sheets["annual"], result.annual.reset_index(), result, lang)
    by_class = getattr(result, "by_class", None)
    if isinstance(by_class, pd.DataFrame) and "class" in by_class.columns:
        for name, frame in by_class.groupby("class", sort=False):
            shown = words["values"].get(name, name)
            _frame_sheet(book, sheets["class"].format(name=shown), frame.reset_index(drop=True), result, lang)
    _assumptions_sheet(book, result.scenario, lang)
    _readings_sheet(book, result.scenario, lang)
    if sensitivity is not None:
        _sensitivity_sheet(book, sensitivity, lang)
    if monte_carlo is not None:
        _quantiles_sheet(book, monte_carlo, result, lang)
    with open(path, "wb") as handle:
        book.save(handle)
    return Path(path)


def _assumptions_sheet(book, scenario, lang: str) -> None:
    sheets = catalog(lang)["sheets"]
    headers = [sheets["parameter"], sheets["value"], sheets["unit"], sheets["default"], sheets["changed"], sheets["source"], sheets["path"]]
    rows, formats_by_row = [], []
    for row in _assumption_records(scenario, lang):
        value = row["raw"]
        numeric = isinstance(value, int | float | np.number) and not isinstance(value, bool)
        unit = row["unit"]
        cell = value if numeric else row["value"]
        default = row["raw_default"]
        default = default if numeric and isinstance(default, int | float | np.number) else row["default"]
        rows.append(["  " * row["depth"] + row["name"], cell, unit if numeric else "", default, catalog(lang)["values"][str(bool(row["changed"])).lower()], row["source"], row["parameter"]])
        formats_by_row.append(("0.00%" if _is_percent(unit) else "#,##0.####") if numeric else None)
    sheet = _write_sheet(book, sheets["assumptions"], headers, [""] * len(headers), [], lang)
    for row, number_format in zip(rows, formats_by_row, strict=True):
        sheet.append(row)
        if number_format:
            sheet.cell(sheet.max_row, 2).number_format = number_format
            sheet.cell(sheet.max_row, 4).number_format = number_format
    for letter, width in zip("ABCDEFG", (44, 18, 16, 22, 10, 90, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    from openpyxl.styles import Alignment

    for cell in sheet["F"][2:]:
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _readings_sheet(book, scenario, lang: str) -> None:
    """The disputed facts: each reading's alternatives, what they say and change, their
    sources and the probability the Monte Carlo gives them (texts in ``lang``; what each
    changes stays in the scenario's dotted paths)."""
    from solarcoop.disputed import READING_TITLES, readings

    sheets = catalog(lang)["sheets"]
    frame = reading_texts(lang)
    frame["probability"] = readings(scenario.uncertainty)["probability"].to_numpy()
    titles = READING_TITLES[lang]
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
    headers = list(sheets["sensitivity_columns"]) + [sheets["path"]]
    rial = "rial/month" if lang == "en" else "ریال در ماه"
    units = ["", "", "", rial, rial, rial, ""]
    rows = [
        [plots._parameter_label(row.parameter, lang), row.low_value, row.high_value, row.low_metric, row.high_metric, row.base_metric, row.parameter]
        for row in sensitivity.itertuples(index=False)
    ]
    formats = ["@", "#,##0.####", "#,##0.####", "#,##0", "#,##0", "#,##0", "@"]
    _write_sheet(book, sheets["sensitivity"], headers, units, rows, lang, formats)


def _quantiles_sheet(book, monte_carlo, result, lang: str) -> None:
    sheets = catalog(lang)["sheets"]
    column = money_column(result, monte_carlo)
    quantiles = monte_carlo.quantiles((P90_QUANTILE, P50_QUANTILE, 0.9), column)
    calendar = result.scenario.calendar
    headers = [sheets["jalali_month"], column_words("operating_year", lang)[0], sheets["p90"], sheets["p50"], sheets["p10"]]
    rial = "rial/month" if lang == "en" else "ریال در ماه"
    units = ["", "", rial, rial, rial]
    years = monte_carlo.months["operating_year"].to_numpy()
    rows = [
        [month_text(label, calendar, lang), int(year), *values]
        for label, year, values in zip(quantiles.index, years, quantiles.to_numpy(), strict=True)
    ]
    _write_sheet(book, sheets["monte_carlo"], headers, units, rows, lang, ["@", "0", "#,##0", "#,##0", "#,##0"])


# ------------------------------------------------------------------------ the family's page


def _statement_amount(value_rial: float, lang: str) -> str:
    """Large, plain: "nothing" for less than 50,000 rial, whole millions from 100 million."""
    text = catalog(lang)["statement"]
    if abs(value_rial) < 0.05 * MILLION:
        return text["nothing"]
    if value_rial < 0:  # the family pays
        decimals = 0 if abs(value_rial) >= 100 * MILLION else 1
        return text["pay"].format(value=_money_million(-value_rial, lang, decimals))
    decimals = 0 if abs(value_rial) >= 100 * MILLION else 1
    return text["amount"].format(value=_money_million(value_rial, lang, decimals))


def family_statement(result, monte_carlo=None, lang: str = "fa", headline=None):
    """One A4 page for a family deciding whether to join, in plain words and large numbers.

    What its share costs and how the loan is repaid; what it can expect per month in years
    1-3 and after the loan (usually, and in a bad year: "in 9 years out of 10 at least");
    the months it may have to pay from its own pocket; when the loan ends; what is not
    certain. Persian first (``lang="fa"`` by default).

    Parameters
    ----------
    result : solarcoop.Result
    monte_carlo : solarcoop.studies.montecarlo.MonteCarloResult, optional
        Gives the usual and bad-year figures; without it the single run's are shown.
    lang : {"fa", "en"}

    Returns
    -------
    matplotlib.figure.Figure
        One page, A4 portrait.
    """
    words = catalog(lang)
    text = words["statement"]
    scenario = result.scenario
    calendar = scenario.calendar
    table = headline_table(result, monte_carlo) if headline is None else _headline_view(headline)
    figure = _page_figure(text["title"].format(name=scenario_name(scenario, lang)), lang, STATEMENT_SIZE_IN)
    right = lang == "fa"
    x = 1 - MARGIN if right else MARGIN
    ha = "right" if right else "left"
    width_in = (1 - 2 * MARGIN) * STATEMENT_SIZE_IN[0]
    y = _paragraph(figure, 0.915, text["subtitle"], 12, lang, color="dimgray") - 0.02

    def heading(y: float, words_: str) -> float:
        return _paragraph(figure, y, words_, 15, lang, weight="bold", color="darkgreen") - 0.006

    def body(y: float, words_: str) -> float:
        return _paragraph(figure, y, words_, 11.5, lang) - 0.02

    monthly = result.monthly
    instalments = monthly.loc[monthly["loan_instalment_per_family_rial"] > 0.5, "loan_instalment_per_family_rial"]
    share = scenario.share_price_rial
    paid_off = month_text(result.summary["loan_paid_off_label"], calendar, lang)
    y = heading(y, text["cost_heading"])
    y = body(
        y,
        text["cost_text"].format(
            share=format_number(share / MILLION, lang),
            share_toman=format_number(share / 10 / MILLION, lang),
            instalment=_money_million(instalments.iloc[0] if len(instalments) else 0.0, lang),
            term=format_number(len(instalments), lang),
            paid_off=paid_off,
        ),
    )
    y = heading(y, text["expect_heading"])
    columns = text["expect_columns"] if monte_carlo is not None else text["expect_columns_single"]
    spans = np.array([0.34, 0.33, 0.33]) * (1 - 2 * MARGIN)
    column_x = MARGIN + np.concatenate([[0.0], np.cumsum(spans)[:-1]])
    column_x = 1 - column_x if right else column_x
    header_lines = [wrap(cell, spans[i] * STATEMENT_SIZE_IN[0] - 0.15, 10) for i, cell in enumerate(columns)]
    for column, lines in enumerate(header_lines):
        figure.text(column_x[column], y, "\n".join(lines), fontsize=10, ha=ha, va="top", color="dimgray", linespacing=LINE_SPACING)
    y -= max(len(lines) for lines in header_lines) * _line_height(10, STATEMENT_SIZE_IN[1]) + 0.01
    for year in table.index:
        row = table.loc[year]
        label_template = text["expect_row_after"] if year == table.index[-1] and year > 3 else text["expect_row"]
        label = label_template.format(year=format_number(year, lang), label=digits(row["label"], lang))
        if monte_carlo is not None:
            usual, bad = row["net_payout_per_family_p50_rial"], row["net_payout_per_family_p90_rial"]
        else:
            usual, bad = row["single_run_net_payout_per_family_rial"], None
        cells = [label, _statement_amount(usual, lang), "" if bad is None else _statement_amount(bad, lang)]
        label_lines = wrap(cells[0], spans[0] * STATEMENT_SIZE_IN[0] - 0.15, 12)
        figure.text(column_x[0], y, "\n".join(label_lines), fontsize=12, ha=ha, va="top", linespacing=LINE_SPACING)
        for column, color in ((1, "black"), (2, "firebrick")):
            # large, but never into the next column
            room_in = spans[column] * STATEMENT_SIZE_IN[0] - 0.15
            text_in = _text_width_in(cells[column], 16, True) if cells[column] else 0.0
            size = 16 if text_in <= room_in else 16 * room_in / text_in
            figure.text(column_x[column], y, cells[column], fontsize=size, weight="bold", ha=ha,
                        va="top", color=color)  # fmt: skip
        y -= max(len(label_lines) * _line_height(12, STATEMENT_SIZE_IN[1]), _line_height(16, STATEMENT_SIZE_IN[1])) + 0.012
    y -= 0.01
    y = heading(y, text["pocket_heading"])
    loan_months = len(instalments)
    short = monthly["distribution_per_family_rial"] + 0.5 < monthly["loan_instalment_per_family_rial"]
    from_pocket = monthly.get("paid_from_pocket_per_family_rial")
    if from_pocket is not None and (from_pocket > 0.5).any():
        paying = from_pocket > 0.5
        pocket = text["pocket_paid"].format(
            months=format_number(int(paying.sum()), lang),
            loan_months=format_number(loan_months, lang),
            first=text["pocket_first"].format(
                label=month_text(monthly.loc[paying, "label"].iloc[0], calendar, lang)
            ),
            total=_money_million(from_pocket.sum(), lang),
            worst=_money_million(from_pocket.max(), lang),
        )
    elif short.any():
        first = text["pocket_first"].format(label=month_text(monthly.loc[short, "label"].iloc[0], calendar, lang))
        pocket = text["pocket_text"].format(
            months=format_number(int(short.sum()), lang),
            loan_months=format_number(loan_months, lang),
            first=first,
            arrears=_money_million(monthly["arrears_per_family_rial"].max(), lang),
        )
    else:
        pocket = text["pocket_none"]
    if monte_carlo is not None:
        year_one = monte_carlo.months["operating_year"].to_numpy() == 1
        column = money_column(result, monte_carlo)
        if column == "family_cash_flow_rial":
            paying = float((monte_carlo.paths[column][:, year_one] < -0.5).mean())
            pocket += " " + text["pocket_chance_pay"].format(chance=_chance(paying, lang))
        else:
            nothing = float((monte_carlo.paths[column][:, year_one] <= 0.5).mean())
            pocket += " " + text["pocket_chance"].format(chance=_chance(nothing, lang))
    y = body(y, pocket)
    after = table.index[-1]
    if monte_carlo is not None and scenario.promise is not None:
        y = body(
            y,
            text["promise_text"].format(
                **_promise_words(scenario, lang),
                first=_chance(table.loc[1, "chance_month_reaches_promise_net"], lang),
                after=_chance(table.loc[after, "chance_month_reaches_promise_net"], lang),
                year_after=format_number(after, lang),
            ),
        )
    y = heading(y, text["uncertain_heading"])
    real = table.loc[after, "net_payout_per_family_p50_real_rial"]
    if not np.isfinite(real):
        real = result.annual.loc[after, f"{money_column(result).replace('_rial', '_real_rial')}_mean"]
    base = month_text(table.attrs["base_month"], calendar, lang)
    y = body(y, text["uncertain_text"].format(base=base, year_after=format_number(after, lang), real=_money_million(real, lang)))
    figure.text(x, 0.03, "\n".join(wrap(text["footer"].format(name=scenario_name(scenario, lang)), width_in, 8.5)), fontsize=8.5, ha=ha, va="bottom", color="dimgray", linespacing=LINE_SPACING)
    return figure


def write_statement(
    result, out_dir, lang: str = "fa", force: bool = False, monte_carlo=None, headline=None
) -> Path:
    """Write :func:`family_statement` as ``statement_<lang>.pdf`` (one A4 page) in its own
    folder, whole or not at all; an earlier run's folder is replaced only with ``force``
    (else :class:`ReportExistsError`, before anything is drawn)."""
    from matplotlib.backends.backend_pdf import PdfPages

    catalog(lang)
    out = check_folder(out_dir, force)
    title = catalog(lang)["statement"]["title"].format(name=scenario_name(result.scenario, lang))

    def write(path: Path) -> None:
        with PdfPages(path, metadata={"Title": title}) as pdf:
            pdf.savefig(family_statement(result, monte_carlo, lang, headline))

    (written,) = write_folder(out, {f"statement_{lang}.pdf": write}, force)
    return written
