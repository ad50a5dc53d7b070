"""The appendix of every input: its value, the library's default and that default's
source, and the texts of the disputed readings."""


from __future__ import annotations

import dataclasses
import datetime
import re

import numpy as np
import pandas as pd

from solarcoop.fields import declaration
from solarcoop.present.locales import catalog
from solarcoop.present.text import (
    date_text,
    digits,
    format_count,
    format_value,
    is_percent_unit,
    list_separator,
    month_text,
    percent_space,
    plain_text,
)


def field_words(kind: type, field: str, lang: str) -> tuple[str, str, str]:
    """(name, unit, description with the source of the default) of a spec's field.

    The English unit and description are in the field's declaration
    (:func:`solarcoop.fields.field`) and its English name in the English catalog; the
    Persian words are all in the Persian catalog.
    """
    entry = catalog(lang)["fields"].get(kind.__name__, {}).get(field)
    declared = declaration(kind, field)
    description = plain_text(declared.source)
    if lang == "en":
        return (field if entry is None else entry), declared.unit, description
    if entry is None:  # a field the catalog does not know yet (a test fails for it)
        return field, "", description
    name, unit, *rest = entry
    return name, unit, (rest[0] if rest else description)


def _show(value, unit: str, lang: str, field: str = "") -> str:
    """``value`` as a reader sees it; ``field`` (its field's name) picks the words of a code
    word that means different things in different fields (``[values_of]`` in the catalog)."""
    words = catalog(lang)
    if value is None:
        return words["values"]["none"]
    if isinstance(value, bool | np.bool_):
        return words["values"][str(bool(value)).lower()]
    if isinstance(value, pd.DataFrame | pd.Series | np.ndarray):
        return words["report"]["table_of_rows"].format(rows=format_count(len(value), lang))
    if isinstance(value, datetime.date):
        return date_text(value, lang)
    if dataclasses.is_dataclass(value):
        return words["specs"].get(type(value).__name__, type(value).__name__)
    if isinstance(value, str):
        if re.fullmatch(r"\d{4}-\d{2}", value):
            return month_text(value, "jalali", lang)
        own = words.get("values_of", {}).get(field, {})
        return digits(own.get(value, words["values"].get(value, words["sources"].get(value, value))), lang)
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
            bare = [format_value(item, unit[:1] if is_percent_unit(unit) else "", lang) for item in value]
            bare = [number.removesuffix(percent_space(lang) + unit[:1]) if is_percent_unit(unit) else number for number in bare]
            rest = f"{percent_space(lang)}{unit}" if is_percent_unit(unit) else f" {unit}"
            return list_separator(lang).join(bare) + (rest if unit else "")
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
        shown = _show(value, unit, lang, field.name)
        if section and shown == name:
            shown = ""
        rows.append(
            {
                "parameter": path,
                "name": name,
                "value": shown,
                "default": _show(default, unit, lang, field.name)
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


def assumption_records(scenario, lang: str) -> list[dict]:
    default_scenario = type(scenario)()
    return [
        row
        for row in _rows(scenario, "", default_scenario, lang)
        if row["parameter"] != "name"
    ]


def assumptions_table(scenario, lang: str = "en") -> pd.DataFrame:
    """Every input of a scenario, its value, the library's default and that default's source.

    The source is the field's description in its declaration in the spec that holds it
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
    rows = assumption_records(scenario, lang)
    columns = ["parameter", "name", "value", "default", "unit", "source", "changed"]
    return pd.DataFrame([{key: row[key] for key in columns} for row in rows], columns=columns)


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
