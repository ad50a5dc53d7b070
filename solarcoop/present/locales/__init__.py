"""The words of every output, one catalog per language: ``en.toml`` and ``fa.toml``.

A translator works on one file. Both hold the same keys (a test checks it); the code asks
for a label by key and never holds the text itself.
"""

from __future__ import annotations

import functools
import tomllib
from importlib import resources

from solarcoop._validation import check_choice

LANGUAGES = ("en", "fa")


@functools.cache
def catalog(lang: str) -> dict:
    """Every label of one language, as read from ``solarcoop/present/locales/<lang>.toml``.

    >>> catalog("fa")["sheets"]["monthly"]
    'دفتر ماهانه'
    """
    check_choice("lang", lang, LANGUAGES)
    text = resources.files(__package__).joinpath(f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)
