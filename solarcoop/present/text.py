"""The text layer: every number, sign, month, date, amount of money and percentage as a
reader sees it, in English or Persian.

Every output (charts, the PDF report and workbook, the family's statement, the tracking
report, the headline lines, the app and the command line) writes its numbers through the
functions here, so that one figure reads the same everywhere. How a language writes a
number (its digits, decimal and thousands separators, minus, plus and percent signs, and
the separator of a list) is one table, ``[signs]`` of the language's catalog
(:mod:`solarcoop.present.locales`); month names are its ``[months]``. The code holds no
word of any language.

The sign rules, once for every output:

- the minus is ``[signs] minus`` (U+002D HYPHEN-MINUS in both languages, which every
  spreadsheet and reader parses as a minus);
- a number that shows as zero carries no sign ("0.0", never "-0.0");
- a percentage is the number, ``[signs] percent_space`` and ``[signs] percent``
  ("35 %" in English, "۳۵٪" in Persian), or without the space in a tight column
  (``compact=True``).

Nothing here loads matplotlib: the headline text, the app and the command line use it
without drawing (``tests/test_imports.py`` checks what ``import solarcoop`` loads).
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from solarcoop._validation import check_choice
from solarcoop.calendar import CALENDARS, to_jalali
from solarcoop.present.locales import LANGUAGES, catalog

MILLION = 1e6
BILLION = 1e9


# --------------------------------------------------------------------------- signs and digits


def signs(lang: str) -> dict:
    """How ``lang`` writes a number: the ``[signs]`` table of its catalog.

    >>> signs("fa")["decimal"], signs("en")["percent_space"]
    ('٫', ' ')
    """
    return catalog(lang)["signs"]


@functools.cache
def _digit_table(lang: str) -> dict:
    table = signs(lang)
    latin = signs("en")
    return str.maketrans(
        latin["digits"] + latin["decimal"] + latin["thousands"] + latin["minus"],
        table["digits"] + table["decimal"] + table["thousands"] + table["minus"],
    )


def digits(text, lang: str) -> str:
    """``text`` with the digits, separators and minus of ``lang``: Persian digits and the
    Persian decimal and thousands separators for ``"fa"``, the text as it is for ``"en"``.

    >>> digits("2,000.5", "fa"), digits(1405, "fa"), digits("1405-01", "en")
    ('۲٬۰۰۰٫۵', '۱۴۰۵', '1405-01')
    """
    return str(text).translate(_digit_table(lang))


def list_separator(lang: str) -> str:
    """What separates the items of a list in running text: ", " or "، "."""
    return signs(lang)["list_separator"]


# --------------------------------------------------------------------------- numbers


def format_number(value: float, lang: str = "en", decimals: int | None = 0) -> str:
    """A number as a person reads it: thousands separated, Persian digits for ``lang="fa"``,
    no minus on a number that shows as zero.

    ``decimals=None`` shows as many as needed, at most two (for axis ticks: 2.5, not 2).

    >>> format_number(1234567.8), format_number(52.25, "fa", 1), format_number(2.50, decimals=None)
    ('1,234,568', '۵۲٫۲', '2.5')
    >>> format_number(-0.04, "en", 1), format_number(-1234.5, "fa", 1)
    ('0.0', '-۱٬۲۳۴٫۵')
    """
    text = f"{value:,.{2 if decimals is None else decimals}f}"
    if decimals is None and "." in text:
        text = text.rstrip("0").rstrip(".")
    if text.startswith("-") and float(text.replace(",", "")) == 0:
        text = text[1:]  # no "-0" on an axis
    return digits(text, lang)


def format_signed(value: float, lang: str = "en", decimals: int = 1) -> str:
    """A change with its sign: "+2.5", "-2.5", and "0.0" with none.

    >>> format_signed(2.46, "en"), format_signed(-2.46, "en"), format_signed(0.01, "fa")
    ('+2.5', '-2.5', '۰٫۰')
    """
    text = format_number(value, lang, decimals)
    minus = signs(lang)["minus"]
    if value < 0 or text.lstrip(minus) == format_number(0, lang, decimals):
        return text
    return signs(lang)["plus"] + text


def format_short(value: float, lang: str = "en", significant: int = 4) -> str:
    """A size in at most ``significant`` significant digits, as Python's ``g`` format
    writes it (3 MW, 2.5 MW, 750 kW).

    >>> format_short(3.0, "fa"), format_short(2.5, "en")
    ('۳', '2.5')
    """
    return digits(f"{value:.{significant}g}", lang)


def format_count(count: int, lang: str = "en") -> str:
    """A whole number of things, thousands separated.

    >>> format_count(10_000, "en"), format_count(400, "fa")
    ('10,000', '۴۰۰')
    """
    return digits(f"{count:,}", lang)


# --------------------------------------------------------------------------- money


def format_money(value_rial: float, lang: str = "en", unit: str = "") -> str:
    """An amount of rial as a person reads it, with its unit: billions and millions by name.

    ``unit`` is what follows "rial" (``"/kWh"``); at most two decimals.

    >>> format_money(1.5e9), format_money(2.45e6, unit="/kWp/year"), format_money(45_800.4)
    ('1.5 billion rial', '2.45 million rial/kWp/year', '45,800 rial')
    >>> format_money(3.6e9, "fa")
    '۳٫۶ میلیارد ریال'
    """
    rial = catalog(lang)["units"]["rial"]
    if abs(value_rial) >= MILLION:
        text = format_magnitude(value_rial, lang)
    else:
        text = format_number(value_rial, lang, 0)
    return f"{text} {rial}{unit}"


def format_magnitude(value: float, lang: str = "en") -> str:
    """A large number with its magnitude by name: 4.9 million, 1.5 billion; smaller
    numbers as they are, with at most two decimals.

    >>> format_magnitude(4.9e6, "en"), format_magnitude(36_640, "en"), format_magnitude(1.5e9, "fa")
    ('4.9 million', '36,640', '۱٫۵ میلیارد')
    """
    words = catalog(lang)["report"]
    if abs(value) >= BILLION:
        return f"{format_number(value / BILLION, lang, None)} {words['billion']}"
    if abs(value) >= MILLION:
        return f"{format_number(value / MILLION, lang, None)} {words['million']}"
    return format_number(value, lang, None)


def money_million(value_rial: float, lang: str, decimals: int = 1) -> str:
    """Rial shown in million rial (the unit is in the label or the sentence).

    >>> money_million(24_150_000, "en"), money_million(24_150_000, "fa")
    ('24.1', '۲۴٫۱')
    """
    return format_number(value_rial / MILLION, lang, decimals)


def is_money_unit(unit: str) -> bool:
    """Whether a unit (in either language) is an amount of rial: "rial", "rial/kWh", "ریال"."""
    return unit.startswith(tuple(catalog(lang)["units"]["rial"] for lang in LANGUAGES))


def is_unit(unit: str, key: str) -> bool:
    """Whether ``unit`` is the ``[units] key`` of either language's catalog.

    >>> is_unit("kWh", "kwh"), is_unit("تاریخ", "date"), is_unit("kWh", "date")
    (True, True, False)
    """
    return unit in {catalog(lang)["units"][key] for lang in LANGUAGES}


# --------------------------------------------------------------------------- percentages


def with_percent(number: str, lang: str, compact: bool = False) -> str:
    """A number already written, followed by the percent sign of ``lang``.

    >>> with_percent("35", "en"), with_percent("35", "en", compact=True), with_percent("۳۵", "fa")
    ('35 %', '35%', '۳۵٪')
    """
    table = signs(lang)
    return number + ("" if compact else table["percent_space"]) + table["percent"]


def format_percent_points(
    value_percent: float, lang: str = "en", decimals: int | None = 0, compact: bool = False
) -> str:
    """A number of percentage points (already multiplied by 100) with the percent sign.

    >>> format_percent_points(12.5, "en", 1), format_percent_points(-3.0, "fa")
    ('12.5 %', '-۳٪')
    """
    return with_percent(format_number(value_percent, lang, decimals), lang, compact)


def format_percent(
    fraction: float, lang: str = "en", decimals: int | None = None, compact: bool = False
) -> str:
    """A fraction as a percentage: 0.35 as "35 %" (or "۳۵٪"), 0.0037 as "0.37 %".

    The fraction is multiplied by 100 and rounded to ten decimals first, so that 0.07
    reads as 7, not 7.000000000000001.

    >>> format_percent(0.35), format_percent(-0.0037), format_percent(0.125, "fa", 1)
    ('35 %', '-0.37 %', '۱۲٫۵٪')
    """
    return format_percent_points(round(fraction * 100, 10), lang, decimals, compact)


def chance_text(probability: float, lang: str) -> str:
    """A probability as a whole percentage, rounded to the hundredth first.

    >>> chance_text(0.456, "en"), chance_text(0.456, "fa")
    ('46 %', '۴۶٪')
    """
    return format_percent(round(float(probability), 2), lang, 0)


def is_percent_unit(unit: str) -> bool:
    """Whether a unit (in either language) is a percentage: "%", "%/year", "٪ در سال"."""
    return unit.startswith(tuple(signs(lang)["percent"] for lang in LANGUAGES))


def is_percent_label(label: str) -> bool:
    """Whether a parameter's label, "name [unit]", gives its unit in percent.

    >>> is_percent_label("inflation [%/year]"), is_percent_label("price [rial/kWh]")
    (True, False)
    """
    return any(f"[{signs(lang)['percent']}" in label for lang in LANGUAGES)


# --------------------------------------------------------------------------- values with units


def parameter_value_text(value, lang: str, percent: bool = False) -> str:
    """A parameter value as a person reads it: 4.9 million, not 4.9e+06; rates in percent;
    anything that is not a number as it is.

    >>> parameter_value_text(4.9e6, "en"), parameter_value_text(36_640, "en")
    ('4.9 million', '36,640')
    >>> parameter_value_text(0.08, "en", percent=True), parameter_value_text("high", "en")
    ('8 %', 'high')
    """
    if not isinstance(value, int | float | np.number) or isinstance(value, bool):
        return str(value)
    if percent:
        return format_percent(float(value), lang)
    if abs(value) >= MILLION:
        return format_magnitude(value, lang)
    return format_number(float(value), lang, None)


def _plain_number(value: float, lang: str) -> str:
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
    if is_percent_unit(unit):
        number = _plain_number(round(float(value) * 100, 10), lang)
        return f"{number}{percent_space(lang)}{unit}"
    if is_money_unit(unit):
        rial = catalog(lang)["units"]["rial"]
        return format_money(float(value), lang, unit=unit[len(rial) :])
    number = _plain_number(value, lang)
    return f"{number} {unit}".strip()


def percent_space(lang: str) -> str:
    """What stands between a number and its percent sign: " " in English, nothing in Persian."""
    return signs(lang)["percent_space"]


# --------------------------------------------------------------------------- months and dates


def month_names(calendar: str = "jalali", lang: str = "en") -> tuple[str, ...]:
    """The twelve month names of ``calendar`` in ``lang`` ("en" or "fa").

    >>> month_names("jalali", "en")[0], month_names("gregorian", "fa")[2]
    ('Farvardin', 'مارس')
    """
    check_choice("calendar", calendar, CALENDARS)
    check_choice("lang", lang, LANGUAGES)
    return tuple(catalog(lang)["months"][calendar])


def month_label(label: str, calendar: str, lang: str, with_year: bool = True) -> str:
    """``"1405-01"`` as ``"Farvardin 1405"`` or ``"فروردین ۱۴۰۵"``.

    >>> month_label("1405-01", "jalali", "fa"), month_label("2026-03", "gregorian", "en", False)
    ('فروردین ۱۴۰۵', 'Mar')
    """
    year, month = label.split("-")
    name = month_names(calendar, lang)[int(month) - 1]
    return digits(f"{name} {year}" if with_year else name, lang)


def month_text(label: str, calendar: str, lang: str) -> str:
    """``"1411-12"`` as ``"Esfand 1411"`` or ``"اسفند ۱۴۱۱"``; a phrase such as "not
    within the life" in the catalog's words."""
    if not re.fullmatch(r"\d{4}-\d{2}", str(label)):
        return digits(catalog(lang)["values"].get(str(label), str(label)), lang)
    return month_label(str(label), calendar, lang)


def date_text(value, lang: str) -> str:
    """A day as ``[dates] day`` of the catalog writes it: the Jalali date, and in English
    the Gregorian date first.

    >>> date_text("2026-03-21", "en"), date_text("2026-03-21", "fa")
    ('2026-03-21 (1 Farvardin 1405)', '۱ فروردین ۱۴۰۵')
    """
    year, month, day = to_jalali(value)
    jalali = f"{day} {month_names('jalali', lang)[month - 1]} {year}"
    gregorian = f"{pd.Timestamp(value):%Y-%m-%d}"
    return digits(catalog(lang)["dates"]["day"].format(gregorian=gregorian, jalali=jalali), lang)


# --------------------------------------------------------------------------- docstrings


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
