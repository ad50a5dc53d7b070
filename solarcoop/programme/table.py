"""The programme table: one row per plant, read and checked.

A programme table (CSV or Parquet, or a :class:`pandas.DataFrame`) has the columns of
:data:`COLUMNS`; a second, long table of actual months (:data:`ACTUAL_COLUMNS`) may give
what plants have produced and paid. :func:`read_table` and :func:`read_actuals` refuse a
bad row with an :class:`~solarcoop._validation.InputError` (code ``bad_table_row``) that
names the row (the first data row is row 1), the field, the value and what is allowed.
"""

from __future__ import annotations

import dataclasses
import functools
import os
import re

import numpy as np
import pandas as pd

from solarcoop._validation import InputError
from solarcoop.site import province_centres

KINDS = ("home", "share", "cooperative")
"""A rooftop home plant of one family, a family's share in an aggregated farm, a
cooperative of member families."""

TARIFF_CLASSES = ("support", "size")
"""The classes of SATBA's base-price table (:func:`solarcoop.history.base_price_row`):
``support`` a plant of households under a support institution (its own price from 1402;
the size class before), ``size`` the plant's size class."""


@dataclasses.dataclass(frozen=True)
class Column:
    """One column of a programme table."""

    name: str
    unit: str
    allowed: str
    required: bool
    default: str = ""


COLUMNS: tuple[Column, ...] = (
    Column("plant_id", "-", "text, unique in the table", True),
    Column("kind", "-", "one of " + ", ".join(KINDS), True),
    Column("province", "-", "a province of Iran, its English or Persian name (province_centres.csv)", True),
    Column("latitude_deg", "degrees north", "24 to 40.5", False, "the province centre"),
    Column("longitude_deg", "degrees east", "44 to 63.5", False, "the province centre"),
    Column("capacity_kwp", "kWp", "> 0 and at most 1,000,000", True),
    Column("start_month", "Jalali month", "YYYY-MM, e.g. 1397-07 (first month of operation), from 1396-07 on", True),
    Column("contract_year", "Jalali year", "a contract year of SATBA's table, 1395 to 1404", False, "the start month's year"),
    Column("tariff_class", "-", "one of " + ", ".join(TARIFF_CLASSES), False, "support (the Relief Committee's families)"),
    Column("families", "families", "whole number >= 1 (1 for a home plant)", True),
    Column("loan_principal_rial", "rial per family", ">= 0", False, "0: no loan"),
    Column("loan_rate_per_year", "fraction/year", "0 to 1 (4 % is 0.04)", False, "0.04"),
    Column("loan_term_months", "months", "whole number 1 to 600", False, "84"),
    Column("loan_grace_months", "months", "whole number >= 0, below the term", False, "0"),
)  # fmt: skip
"""The programme table's columns: name, unit, what is allowed, whether required, default."""

ACTUAL_COLUMNS: tuple[Column, ...] = (
    Column("plant_id", "-", "a plant_id of the programme table", True),
    Column("month", "Jalali month", "YYYY-MM, from the plant's start month on", True),
    Column("energy_kwh", "kWh", ">= 0 (the plant's energy at the meter that month)", False),
    Column("paid_to_families_rial", "rial", ">= 0 (what the plant paid all its families that month)", False),
)
"""The actual months' long table (at least one of the two figures per row)."""

COLUMN_NAMES = tuple(column.name for column in COLUMNS)

DEFAULT_LOAN_RATE_PER_YEAR = 0.04
DEFAULT_LOAN_TERM_MONTHS = 84
"""A loan's rate and term when the table gives a principal only: the Relief Committee's
loan for home plants, 4 % over 84 months (IRIB 5585575, 5565464)."""

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


def _refuse(row: int, field: str, value, allowed: str, count: int = 1):
    more = f" ({count - 1} more row(s) with the same fault)" if count > 1 else ""
    raise InputError(
        f"row {row}: {field} = {value!r} is not allowed: {allowed}{more}",
        "bad_table_row",
        row=row,
        field=field,
        value=value,
        allowed=allowed,
    )


def _check(frame: pd.DataFrame, bad: np.ndarray, field: str, allowed: str) -> None:
    """Refuse the first row where ``bad`` holds."""
    bad = np.asarray(bad, dtype=bool)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        value = frame[field].iloc[first] if field in frame else None
        value = value.item() if isinstance(value, np.generic) else value
        _refuse(first + 1, field, value, allowed, int(bad.sum()))


def _read(source) -> pd.DataFrame:
    if isinstance(source, pd.DataFrame):
        return source.reset_index(drop=True).copy()
    path = os.fspath(source)
    if path.lower().endswith((".parquet", ".pq")):
        return pd.read_parquet(path)
    if path.lower().endswith(".csv"):
        return pd.read_csv(path, dtype={"plant_id": str, "start_month": str, "month": str}, encoding="utf-8")
    raise InputError(f"table = {path!r}: give a .csv or .parquet file, or a DataFrame")


def _numbers(frame: pd.DataFrame, name: str, default=None) -> np.ndarray:
    """A numeric column (missing cells take ``default``); text that is not a number refused."""
    if name not in frame:
        frame[name] = np.nan
    raw = frame[name]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
    _check(frame, np.isnan(values) & raw.notna().to_numpy(), name, "a number")
    if default is not None:
        values = np.where(np.isnan(values), default, values)
    return values


def _months(frame: pd.DataFrame, name: str) -> tuple[np.ndarray, np.ndarray]:
    text = frame[name].astype(str).str.strip()
    parts = text.str.extract(_MONTH)
    year = pd.to_numeric(parts[0], errors="coerce").to_numpy()
    month = pd.to_numeric(parts[1], errors="coerce").to_numpy()
    _check(frame, np.isnan(year) | ~((month >= 1) & (month <= 12)), name, "a Jalali month YYYY-MM, e.g. 1397-07")
    return year.astype(int), month.astype(int)


def _provinces() -> dict[str, object]:
    names = {}
    for centre in province_centres():
        for name in (centre.province_en, centre.province_fa):
            names[name.strip().casefold()] = centre
    return names


def contract_years() -> tuple[int, ...]:
    """The contract years SATBA's base-price table holds (:mod:`solarcoop.history`)."""
    from solarcoop import history

    table = history.read("satba_base_prices").table
    return tuple(sorted({y for a, b in zip(table["from_year"], table["to_year"], strict=True) for y in range(a, b + 1)}))


@functools.cache
def earliest_start_month() -> str:
    """The first month a plant may start in: the first whose past the history holds
    (:func:`solarcoop.vintage.past_months`, with its default fills)."""
    from solarcoop import history
    from solarcoop.vintage import past_months

    label = str(history.read("cpi").table["month"].min())
    for _ in range(240):  # months, until the euro's first twelve are behind
        try:
            past_months(label)
        except InputError:
            label = history.shift_month(label, 1)
        else:
            return label
    raise InputError("the history holds no month a plant can start in")


def read_table(source) -> pd.DataFrame:
    """A programme table, checked and completed.

    Parameters
    ----------
    source : str, path or pandas.DataFrame
        A ``.csv`` (UTF-8) or ``.parquet`` file, or a frame, with the columns of
        :data:`COLUMNS` (optional ones may be missing or empty).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`COLUMNS`, every optional cell filled with its default,
        ``province`` as the English name, plus ``province_fa`` and ``support`` (bool).

    Raises
    ------
    InputError
        Code ``bad_table_row`` with ``row``, ``field``, ``value`` and ``allowed``.
    """
    frame = _read(source)
    missing = [column.name for column in COLUMNS if column.required and column.name not in frame]
    if missing:
        raise InputError(
            f"the programme table has no column {', '.join(missing)}: required are "
            + ", ".join(c.name for c in COLUMNS if c.required),
            "not_a_choice",
            field="columns",
            value=", ".join(missing),
            choices=", ".join(COLUMN_NAMES),
        )
    if frame.empty:
        raise InputError("the programme table has no rows: give one row per plant")
    ids = frame["plant_id"]
    _check(frame, ids.isna().to_numpy() | (ids.astype(str).str.strip() == "").to_numpy(), "plant_id", "a non-empty text")
    frame["plant_id"] = ids.astype(str).str.strip()
    _check(frame, frame["plant_id"].duplicated().to_numpy(), "plant_id", "unique: this id is on an earlier row")
    frame["kind"] = frame["kind"].astype(str).str.strip().str.lower()
    _check(frame, ~frame["kind"].isin(KINDS).to_numpy(), "kind", "one of " + ", ".join(KINDS))

    provinces = _provinces()
    keys = frame["province"].astype(str).str.strip().str.casefold()
    _check(frame, ~keys.isin(provinces).to_numpy(), "province",
           "a province of Iran, its English or Persian name (e.g. Qom, Razavi Khorasan)")  # fmt: skip
    centres = [provinces[key] for key in keys]
    frame["province"] = [c.province_en for c in centres]
    frame["province_fa"] = [c.province_fa for c in centres]
    latitude = _numbers(frame, "latitude_deg")
    longitude = _numbers(frame, "longitude_deg")
    _check(frame, np.isnan(latitude) != np.isnan(longitude), "latitude_deg", "given together with longitude_deg")
    frame["latitude_deg"] = np.where(np.isnan(latitude), [c.latitude for c in centres], latitude)
    frame["longitude_deg"] = np.where(np.isnan(longitude), [c.longitude for c in centres], longitude)
    _check(frame, ~((frame["latitude_deg"] >= 24) & (frame["latitude_deg"] <= 40.5)), "latitude_deg", "24 to 40.5 (Iran)")
    _check(frame, ~((frame["longitude_deg"] >= 44) & (frame["longitude_deg"] <= 63.5)), "longitude_deg", "44 to 63.5 (Iran)")

    capacity = _numbers(frame, "capacity_kwp")
    _check(frame, ~((capacity > 0) & (capacity <= 1e6)), "capacity_kwp", "> 0 and at most 1,000,000 kWp")
    frame["capacity_kwp"] = capacity
    families = _numbers(frame, "families")
    _check(frame, ~((families >= 1) & (families == np.round(families))), "families", "a whole number >= 1")
    frame["families"] = families.astype(int)
    _check(frame, (frame["kind"] == "home").to_numpy() & (families != 1), "families", "1 for a home plant (one family's roof)")

    year, _ = _months(frame, "start_month")
    frame["start_month"] = frame["start_month"].astype(str).str.strip()
    contract = _numbers(frame, "contract_year", np.nan)
    contract = np.where(np.isnan(contract), year, contract)
    frame["contract_year"] = contract
    years = contract_years()
    _check(frame, ~np.isin(contract, years), "contract_year",
           f"a contract year of SATBA's table: {', '.join(map(str, years))}")  # fmt: skip
    _check(frame, contract > year, "contract_year", "not after the start month's year")
    frame["contract_year"] = contract.astype(int)
    earliest = earliest_start_month()
    _check(frame, (frame["start_month"] < earliest).to_numpy(), "start_month",
           f"from {earliest} on (a started plant's past is read from the published CPI and euro, "
           "which begin twelve months before it)")  # fmt: skip
    if "tariff_class" not in frame:
        frame["tariff_class"] = np.nan
    frame["tariff_class"] = frame["tariff_class"].fillna("support").astype(str).str.strip().str.lower()
    _check(frame, ~frame["tariff_class"].isin(TARIFF_CLASSES).to_numpy(), "tariff_class", "one of " + ", ".join(TARIFF_CLASSES))
    frame["support"] = frame["tariff_class"] == "support"
    _check_contracts(frame)

    principal = _numbers(frame, "loan_principal_rial", 0.0)
    _check(frame, principal < 0, "loan_principal_rial", ">= 0 rial per family (0: no loan)")
    rate = _numbers(frame, "loan_rate_per_year", DEFAULT_LOAN_RATE_PER_YEAR)
    _check(frame, ~((rate >= 0) & (rate <= 1)), "loan_rate_per_year", "a fraction 0 to 1 a year (4 % is 0.04)")
    term = _numbers(frame, "loan_term_months", DEFAULT_LOAN_TERM_MONTHS)
    _check(frame, ~((term >= 1) & (term <= 600) & (term == np.round(term))), "loan_term_months", "a whole number 1 to 600")
    grace = _numbers(frame, "loan_grace_months", 0)
    _check(frame, ~((grace >= 0) & (grace < term) & (grace == np.round(grace))), "loan_grace_months",
           "a whole number >= 0 and below loan_term_months")  # fmt: skip
    frame["loan_principal_rial"] = principal
    frame["loan_rate_per_year"] = rate
    frame["loan_term_months"] = term.astype(int)
    frame["loan_grace_months"] = grace.astype(int)
    return frame[[*COLUMN_NAMES, "province_fa", "support"]]


def _check_contracts(frame: pd.DataFrame) -> None:
    """Every (contract year, size, class) has a row in SATBA's table."""
    from solarcoop import history

    keys = frame[["contract_year", "capacity_kwp", "support"]].drop_duplicates()
    for index, (year, capacity, support) in keys.iterrows():  # a few dozen contract kinds, not plants
        try:
            history.base_price_row(int(year), float(capacity), bool(support))
        except InputError as error:
            _refuse(int(index) + 1, "contract_year", int(year), str(error))


def read_actuals(source, table: pd.DataFrame) -> pd.DataFrame:
    """The actual months of a programme's plants, checked against its (read) table.

    Returns
    -------
    pandas.DataFrame
        ``plant_id``, ``month`` (``"1403-01"``), ``energy_kwh`` and
        ``paid_to_families_rial`` (NaN where not given).
    """
    frame = _read(source)
    for name in ("plant_id", "month"):
        if name not in frame:
            raise InputError(f"the actuals table has no column {name}: required are plant_id, month, and energy_kwh and/or paid_to_families_rial")
    if "energy_kwh" not in frame and "paid_to_families_rial" not in frame:
        raise InputError("the actuals table has neither energy_kwh nor paid_to_families_rial: give one or both")
    frame["plant_id"] = frame["plant_id"].astype(str).str.strip()
    starts = table.set_index("plant_id")["start_month"]
    _check(frame, ~frame["plant_id"].isin(starts.index).to_numpy(), "plant_id", "a plant_id of the programme table")
    _months(frame, "month")
    frame["month"] = frame["month"].astype(str).str.strip()
    _check(frame, (frame["month"] < starts.reindex(frame["plant_id"]).to_numpy()).to_numpy(), "month",
           "a month from the plant's start month on")  # fmt: skip
    _check(frame, frame.duplicated(["plant_id", "month"]).to_numpy(), "month", "once per plant")
    for name in ("energy_kwh", "paid_to_families_rial"):
        values = _numbers(frame, name)
        _check(frame, values < 0, name, ">= 0")
        frame[name] = values
    _check(frame, (np.isnan(frame["energy_kwh"]) & np.isnan(frame["paid_to_families_rial"])).to_numpy(),
           "energy_kwh", "a figure: energy_kwh, paid_to_families_rial or both")  # fmt: skip
    return frame[["plant_id", "month", "energy_kwh", "paid_to_families_rial"]]
