"""Words and numbers as a reader sees them, in English and Persian: digits, thousands
separators, money in million or billion rial, percentages, months and dates."""


from __future__ import annotations

import re

import pandas as pd

from solarcoop.calendar import month_names, to_jalali
from solarcoop.present import plots
from solarcoop.present.locales import catalog
from solarcoop.present.plots import (
    MILLION,
    digits,
    format_money,
    format_number,
    format_percent,
)


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


def is_percent(unit: str) -> bool:
    return unit.startswith(("%", "٪"))


def is_money(unit: str) -> bool:
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
    if is_percent(unit):
        number = _number(round(float(value) * 100, 10), lang)
        return f"{number}{unit}" if lang == "fa" else f"{number} {unit}"
    if is_money(unit):
        rial = "rial" if lang == "en" else "ریال"
        return format_money(float(value), lang, unit=unit[len(rial) :])
    number = _number(value, lang)
    return f"{number} {unit}".strip()


def money_million(value_rial: float, lang: str, decimals: int = 1) -> str:
    return format_number(value_rial / MILLION, lang, decimals)


def chance_text(probability: float, lang: str) -> str:
    return format_percent(round(float(probability), 2), lang, 0)


def month_text(label: str, calendar: str, lang: str) -> str:
    """``"1411-12"`` as ``"Esfand 1411"`` or ``"اسفند ۱۴۱۱"``; a phrase such as "not
    within the life" in the catalog's words."""
    if not re.fullmatch(r"\d{4}-\d{2}", str(label)):
        return digits(catalog(lang)["values"].get(str(label), str(label)), lang)
    return plots.month_label(str(label), calendar, lang)


def date_text(value, lang: str) -> str:
    year, month, day = to_jalali(value)
    jalali = f"{day} {month_names('jalali', lang)[month - 1]} {year}"
    if lang == "fa":
        return digits(jalali, lang)
    return f"{pd.Timestamp(value):%Y-%m-%d} ({jalali})"
