"""Published history, offline: Iran's CPI, the euro, and SATBA's base prices by contract year.

Each series is a small CSV file in this package whose header (``# key: value`` lines)
states its title, unit, sources, first and last month, what is missing, how to extend
it, and the SHA-256 checksum of its data lines. Rows name their own source; a row
whose kind is ``derived`` was computed from published figures by the formula in its
note. Months that could not be sourced are simply absent: nothing in the files is
interpolated.

A reader that needs a month between two sourced months must say how it fills it:
:func:`monthly` takes ``fill=None`` (missing stays missing, ``NaN``) or a named method
of :data:`FILL_METHODS`, and marks every filled month in its ``filled`` column.

Extending a series when new months are published: add the rows (with their source),
set ``last_month`` in the header, then run ``python -m solarcoop.history rehash NAME``,
which writes the new checksum; ``tests/test_history.py`` checks every file against its
checksum and its ranges.

Series (:data:`SERIES`):

- ``cpi``: the Statistical Centre of Iran's CPI of all households, on bases 1395 = 100
  and 1400 = 100, chained here at Bahman 1400 (:data:`CPI_CHAIN_FACTOR`);
- ``euro_official``: the euro in the market SATBA's formula names (NIMA, then the
  Exchange Centre) [rial/EUR];
- ``euro_free_market``: the free-market euro, a separate series [rial/EUR];
- ``satba_base_prices``: base price, term and step rule by contract year and class.
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop._validation import InputError

SERIES = ("cpi", "euro_official", "euro_free_market", "satba_base_prices")
"""The history files, by name (``<name>.csv`` in this package)."""

MONTHLY_SERIES = ("cpi", "euro_official", "euro_free_market")
"""The series with one value per month."""

FILL_METHODS = ("log_linear", "log_linear_cpi_ratio")
"""Named ways to fill months a series does not hold (see :func:`monthly`):

- ``"log_linear"``: the logarithm of the value interpolated linearly between the two
  nearest sourced months; within :data:`EXTRAPOLATION_MONTHS` outside the sourced span,
  extended at the pace of the nearest interval; further out, still missing;
- ``"log_linear_cpi_ratio"`` (the euro): ``"log_linear"`` inside the sourced span;
  outside it, the euro keeps its real value: it moves with the CPI (filled
  ``"log_linear"``) from the nearest sourced month.
"""

EXTRAPOLATION_MONTHS = 12
"""How far ``"log_linear"`` extends a series beyond its first or last sourced month [months]."""

CPI_BASE = 1400
"""The base year of the chained CPI :func:`monthly` returns (1400 = 100)."""

CPI_CHAIN_FACTOR = 396.4 / (166.20 / 1.534)
"""Base-1395 points per base-1400 point [-]: Bahman 1400 is 396.4 on base 1395 (published)
and 166.20 / 1.534 = 108.35 on base 1400 (Bahman 1401, derived, over Bahman 1401's
point-to-point inflation of 53.4 %; mashreghnews.ir 1466919). Stated in cpi.csv's header."""

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_HEADER = re.compile(r"^#\s*([a-z_0-9]+):\s*(.*)$")


def _text(name: str) -> str:
    if name not in SERIES:
        raise InputError(f"history series {name!r} is not known: allowed {', '.join(SERIES)}")
    return resources.files(__package__).joinpath(f"{name}.csv").read_text(encoding="utf-8")


def split(text: str) -> tuple[dict[str, str], str]:
    """A history file's header (``# key: value`` lines) and its data lines (the CSV)."""
    header, data = {}, []
    for line in text.splitlines():
        match = _HEADER.match(line)
        if match and not data:
            header[match.group(1)] = match.group(2).strip()
        elif line.strip():
            data.append(line)
    return header, "\n".join(data) + "\n"


def checksum(data: str) -> str:
    """SHA-256 of a history file's data lines, as its header states it [hex]."""
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def parse_month(label: str, field: str = "month") -> tuple[int, int]:
    """(year, month) of a Jalali month written ``"1397-07"``.

    >>> parse_month("1397-07")
    (1397, 7)
    """
    match = _MONTH.match(str(label).strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise InputError(f"{field} = {label!r} is not a Jalali month: write it as 1397-07 (year-month)")
    return int(match.group(1)), int(match.group(2))


def month_label(year: int, month: int) -> str:
    """``"1397-07"`` from (year, month)."""
    return f"{year:04d}-{month:02d}"


def months_between(first: str, last: str) -> list[str]:
    """Every Jalali month from ``first`` to ``last``, both included.

    >>> months_between("1399-11", "1400-02")
    ['1399-11', '1399-12', '1400-01', '1400-02']
    """
    (y0, m0), (y1, m1) = parse_month(first, "first"), parse_month(last, "last")
    start, stop = 12 * y0 + m0 - 1, 12 * y1 + m1 - 1
    return [month_label(k // 12, k % 12 + 1) for k in range(start, stop + 1)]


def shift_month(label: str, months: int) -> str:
    """The month ``months`` after ``label`` (before it when negative).

    >>> shift_month("1397-07", -12)
    '1396-07'
    """
    year, month = parse_month(label)
    k = 12 * year + month - 1 + months
    return month_label(k // 12, k % 12 + 1)


@dataclass(frozen=True)
class HistoryFile:
    """One history file: its header and its table."""

    name: str
    header: dict
    table: pd.DataFrame

    @property
    def last_month(self) -> str:
        """The last month the file holds (its header's ``last_month``)."""
        return self.header["last_month"]


def read(name: str, verify: bool = True) -> HistoryFile:
    """Read a history file; with ``verify``, refuse one whose data lines do not match the
    checksum in its header.

    >>> read("cpi").header["unit"].startswith("index points")
    True
    """
    header, data = split(_text(name))
    stated = header.get("sha256")
    if verify and stated != checksum(data):
        raise InputError(
            f"history file {name}.csv: its data do not match the checksum in its header "
            f"({stated!r}); after adding rows run `python -m solarcoop.history rehash {name}`"
        )
    table = pd.read_csv(io.StringIO(data), dtype={"month": str})
    return HistoryFile(name=name, header=header, table=table)


def rehash(name: str, root: Path | None = None) -> str:
    """Write the checksum of a history file's data lines into its header; returns it.

    ``root`` is the folder holding the file (default: this package's folder).
    """
    if name not in SERIES:
        raise InputError(f"history series {name!r} is not known: allowed {', '.join(SERIES)}")
    path = Path(root or Path(__file__).parent) / f"{name}.csv"
    text = path.read_text(encoding="utf-8")
    digest = checksum(split(text)[1])
    lines = [
        f"# sha256: {digest}" if _HEADER.match(line) and _HEADER.match(line).group(1) == "sha256" else line
        for line in text.splitlines()
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return digest


def _sourced(name: str) -> pd.Series:
    """A monthly series' sourced values by month label (CPI chained to base 1400)."""
    table = read(name).table
    values = table["value"].to_numpy(dtype=float)
    if name == "cpi":
        values = np.where(table["base"].to_numpy() == 1395, values / CPI_CHAIN_FACTOR, values)
    return pd.Series(values, index=table["month"].to_numpy())


def _log_linear(position: np.ndarray, known_position: np.ndarray, known_log: np.ndarray) -> np.ndarray:
    """Log values at ``position`` by ``"log_linear"`` (NaN beyond the extrapolation reach)."""
    inside = np.interp(position, known_position, known_log)
    if known_position.size >= 2:
        first_slope = (known_log[1] - known_log[0]) / (known_position[1] - known_position[0])
        last_slope = (known_log[-1] - known_log[-2]) / (known_position[-1] - known_position[-2])
    else:
        first_slope = last_slope = np.nan
    before = known_log[0] + first_slope * (position - known_position[0])
    after = known_log[-1] + last_slope * (position - known_position[-1])
    value = np.where(position < known_position[0], before, np.where(position > known_position[-1], after, inside))
    reach = np.minimum(np.abs(position - known_position[0]), np.abs(position - known_position[-1]))
    outside = (position < known_position[0]) | (position > known_position[-1])
    return np.where(outside & (reach > EXTRAPOLATION_MONTHS), np.nan, value)


def monthly(name: str, first: str, last: str, fill: str | None = None) -> pd.DataFrame:
    """A monthly series from ``first`` to ``last`` (Jalali months ``"1397-07"``).

    Parameters
    ----------
    name : str
        ``"cpi"`` (chained, base 1400 = 100 [index points]), ``"euro_official"`` or
        ``"euro_free_market"`` [rial/EUR].
    first, last : str
        First and last month, both included.
    fill : str, optional
        ``None`` (default): months the file does not hold are ``NaN``. Otherwise a
        method of :data:`FILL_METHODS`, named in the ``method`` column of each filled month.

    Returns
    -------
    pandas.DataFrame
        Indexed by month label: ``value``, ``filled`` (bool) and ``method`` (``"sourced"``,
        the fill method's name, or ``"missing"``).

    Examples
    --------
    >>> frame = monthly("cpi", "1404-05", "1404-07")
    >>> frame["value"].round(1).tolist(), frame["method"].tolist()
    ([370.5, 384.6, 403.8], ['sourced', 'sourced', 'sourced'])
    >>> monthly("cpi", "1403-03", "1403-03", fill="log_linear")["filled"].tolist()
    [True]
    """
    if name not in MONTHLY_SERIES:
        raise InputError(f"history series {name!r} is not monthly: allowed {', '.join(MONTHLY_SERIES)}")
    if fill is not None and fill not in FILL_METHODS:
        raise InputError(f"fill = {fill!r} is not a named method: allowed None, {', '.join(FILL_METHODS)}")
    if fill == "log_linear_cpi_ratio" and name == "cpi":
        raise InputError("fill = 'log_linear_cpi_ratio' fills the euro from the CPI: for the CPI use 'log_linear'")
    labels = months_between(first, last)
    if not labels:
        raise InputError(f"first = {first!r} comes after last = {last!r}")
    sourced = _sourced(name)
    value = sourced.reindex(labels).to_numpy(dtype=float)
    method = np.where(np.isfinite(value), "sourced", "missing").astype(object)
    if fill is not None:
        position = np.array([_position(label) for label in labels], dtype=float)
        known_position = np.array([_position(label) for label in sourced.index], dtype=float)
        known_log = np.log(sourced.to_numpy(dtype=float))
        inside = (position >= known_position.min()) & (position <= known_position.max())
        if fill == "log_linear":
            filled_log = _log_linear(position, known_position, known_log)
        else:  # the euro's span log-linear; outside it, a constant real euro against the CPI
            filled_log = np.where(inside, np.interp(position, known_position, known_log), np.nan)
            nearest = np.where(position < known_position.min(), known_position.min(), known_position.max())
            cpi = _cpi_at(np.concatenate([position, nearest]))
            ratio = np.log(cpi[: position.size]) - np.log(cpi[position.size :])
            anchor = np.interp(nearest, known_position, known_log)
            filled_log = np.where(inside, filled_log, anchor + ratio)
        gap = ~np.isfinite(value) & np.isfinite(filled_log)
        value = np.where(gap, np.exp(filled_log), value)
        method[gap] = fill
    return pd.DataFrame(
        {"value": value, "filled": method != "sourced", "method": method}, index=pd.Index(labels, name="month")
    ).assign(filled=lambda frame: frame["method"].isin(FILL_METHODS))


def _position(label: str) -> int:
    year, month = parse_month(label)
    return 12 * year + month - 1


def _cpi_at(position: np.ndarray) -> np.ndarray:
    """The chained CPI at month positions, filled ``"log_linear"`` (NaN beyond its reach)."""
    sourced = _sourced("cpi")
    known_position = np.array([_position(label) for label in sourced.index], dtype=float)
    return np.exp(_log_linear(position, known_position, np.log(sourced.to_numpy(dtype=float))))


def common_last_month() -> str:
    """The last month for which both the CPI and the official euro are published."""
    return min(read("cpi").last_month, read("euro_official").last_month)


STEP_RULES = {
    "none": (),
    "x0.7@11": ((11, 0.7),),
    "1400": ((8, 0.8667), (12, 0.7333), (16, 0.6)),
}
"""The step rules the base-price table names, as ``tariff.step_downs``: none; 70 % from
operating year 11 (contracts of 1395); the 1400 decree's steps to 60 % at years 8, 12 and
16, read as even steps (the library's central reading, :mod:`solarcoop.disputed`)."""


def base_price_row(contract_year: int, capacity_kw: float, support: bool = False) -> pd.Series:
    """The row of SATBA's base-price table for a contract year and plant size.

    A support plant (a household under a support institution) takes the ``support``
    class where the table has one for that year, and its size class otherwise (there
    was no support class before the 1402 decree).

    Parameters
    ----------
    contract_year : int
        Jalali year of the contract.
    capacity_kw : float
        Plant capacity [kW].
    support : bool
        A plant of a household under a support institution.

    Returns
    -------
    pandas.Series
        ``base_price_rial_per_kwh``, ``term_years``, ``step_rule``, ``confidence``,
        ``source``, ``note`` and the class columns.

    Examples
    --------
    >>> row = base_price_row(1397, 5)
    >>> int(row["base_price_rial_per_kwh"]), row["step_rule"], row["confidence"]
    (8000, 'x0.7@11', 'assumed')
    >>> int(base_price_row(1404, 5, support=True)["base_price_rial_per_kwh"])
    30000
    """
    table = read("satba_base_prices").table
    year = int(contract_year)
    in_year = table[(table["from_year"] <= year) & (table["to_year"] >= year)]
    sized = in_year[(in_year["min_kw"] < capacity_kw) & (in_year["max_kw"] >= capacity_kw)]
    rows = sized[sized["class"] == "support"] if support else sized.iloc[0:0]
    if rows.empty:
        rows = sized[sized["class"] == "size"]
    if rows.empty:
        years = sorted({y for a, b in zip(table["from_year"], table["to_year"], strict=True) for y in range(a, b + 1)})
        raise InputError(
            f"contract year {year}, {capacity_kw:g} kW: SATBA's base price for it is not in the history "
            f"(satba_base_prices.csv holds contract years {', '.join(map(str, years))}); give the tariff's "
            "base_price_rial_per_kwh yourself"
        )
    return rows.iloc[0]
