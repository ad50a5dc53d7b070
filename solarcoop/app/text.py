"""The app's words and numbers in Persian or English: its labels and number formats.

The labels are the ``[app.*]`` tables of the library's catalog, one data file per
language (``solarcoop/present/locales/fa.toml``, ``en.toml``), so that a translator works on one
file for the report and the app alike; both hold the same keys. Numbers are written by the
library's text layer (:mod:`solarcoop.present.text`), as in the report and the charts.
"""

from __future__ import annotations

from solarcoop._validation import typed_number
from solarcoop.present.text import digits, format_number, format_percent_points, money_million

__all__ = ["LANGUAGES", "catalog", "digits", "keys", "million", "number", "parse_number", "percent"]

LANGUAGES = ("fa", "en")
"""Persian first."""

def catalog(lang: str) -> dict:
    """The app's labels in ``lang`` as nested tables (``catalog("fa")["page"]["title"]``),
    with the language's ``signs`` (digits, separators, minus) for the page's own numbers and
    ``disputed_facts``: the names of the disputed facts the Monte Carlo draws
    (:data:`solarcoop.disputed.READING_NAMES`), one list."""
    from solarcoop.disputed import READING_NAMES
    from solarcoop.present.locales import catalog as library_catalog

    words = library_catalog(lang)
    facts = words["signs"]["list_separator"].join(words["readings"][name] for name in READING_NAMES)
    return {**words["app"], "signs": words["signs"], "disputed_facts": facts}


def keys(table: dict, prefix: str = "") -> set[str]:
    """Every dotted key of a catalog (for checking that both languages have the same)."""
    found = set()
    for key, value in table.items():
        name = f"{prefix}{key}"
        found |= keys(value, f"{name}/") if isinstance(value, dict) else {name}
    return found


def number(value: float, lang: str, decimals: int = 0) -> str:
    """A number as a person reads it, with no "-0".

    >>> number(-0.04, "en", 1), number(24_123_456.7, "fa")
    ('0.0', '۲۴٬۱۲۳٬۴۵۷')
    """
    return format_number(value, lang, decimals)


def million(value_rial: float, lang: str) -> str:
    """Rial shown in million rial with one decimal (the unit is in the label).

    >>> million(24_150_000, "en"), million(24_150_000, "fa")
    ('24.1', '۲۴٫۱')
    """
    return money_million(value_rial, lang, 1)


def percent(fraction: float, lang: str) -> str:
    """A share as a whole percent.

    >>> percent(0.183, "en"), percent(0.183, "fa")
    ('18 %', '۱۸٪')
    """
    return format_percent_points(fraction * 100, lang, 0)


def parse_number(text: str):
    """What a person typed, as a number if it reads as one (Persian or Latin digits, with
    or without separators, a trailing ``%`` or ``٪`` for percent), else the text
    unchanged so that the library's own check names it
    (:func:`solarcoop._validation.typed_number`).

    >>> parse_number("۴۵٬۸۰۰"), parse_number("0.15"), parse_number("۴٪"), parse_number("many")
    (45800, 0.15, 0.04, 'many')
    """
    return typed_number(text)
