"""The months that happened: a cooperative's books read from CSV or Excel and checked.

One row per accounting month. Only ``month`` is required; every other column is
optional, and a cell may be empty (the month is then known only in part):

=================  ================  ==============================================
column             unit              what
=================  ================  ==============================================
month              "1405-01"         accounting month, in the scenario's calendar
energy_kwh         kWh               energy at the meter in the month
billed_rial        rial              the bill issued for the month's energy
collected_rial     rial              cash received in the month (any bill)
bonds_rial         rial              settlements received in bonds or credits, at
                                     face value
distributed_rial   rial              paid out to all members in the month
cpi_index          index points      the Central Bank's consumer-price index (any
                                     base)
inflation_12m      fraction          the Central Bank's 12-month inflation (0.40,
                                     not 40)
euro_rial          rial/EUR          the official average euro rate of the month
irradiation_kwh_   kWh/m2            global horizontal irradiation measured at or
per_m2                               near the plant in the month (splits the energy
                                     gap into weather and plant performance)
=================  ================  ==============================================

Energy may instead be given in MWh as a column ``energy_mwh`` (not both).

Files come as spreadsheets export them: a CSV file may be UTF-8 (with or without a byte
order mark), UTF-16 or Windows-1256 (Persian Windows), separated by ``,``, ``;`` or tabs;
with ``;`` or tabs a comma is the decimal sign and ``.``, spaces or apostrophes separate
thousands (``451.929`` is 451,929), as a European Excel writes them; with ``,`` a dot is the
decimal sign and commas separate thousands (``"451,929"``). Digits may be Persian, with the
Persian separators. A number that reads one way in one convention and another in the
other is refused when the reading it gets is implausible (energy far below what the plant
makes in any month it runs). Files above :data:`MAX_FILE_BYTES` or :data:`MAX_ROWS` rows
are refused before reading.

Row numbers in messages are those a spreadsheet shows: the header is row 1, the first
month row 2 (for a CSV file, also its line number).

:func:`load_actuals` checks what needs no scenario (format, units, signs,
duplicates); :func:`check_against_scenario` checks the rest against the plant and
its tariff (months outside the life, energy above what the plant could make, a price
far from the tariff). :func:`solarcoop.studies.tracking.track` runs both.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import re
import stat
from pathlib import Path

import numpy as np
import pandas as pd

from solarcoop._validation import InputError

MONTH = "month"
VALUE_COLUMNS = {
    "energy_kwh": "kWh at the meter",
    "billed_rial": "rial",
    "collected_rial": "rial",
    "bonds_rial": "rial at face value",
    "distributed_rial": "rial",
    "cpi_index": "index points",
    "inflation_12m": "fraction (0.40 for 40 %)",
    "euro_rial": "rial per euro",
    "irradiation_kwh_per_m2": "kWh/m2 global horizontal in the month",
}
"""Optional columns and their units."""

MAX_DAILY_YIELD_KWH_PER_KWP = 12.0
"""Most a plant can make [kWh per kWp of capacity per day]: its nameplate for 12 hours
every day. Fixed plants at Qom's latitude make about 4.7 a day on average and under 8 on
the best summer days (about 1,716 kWh/kWp a year), so a month above this bound is a unit
or capacity error (Wh for kWh, another plant's meter)."""

PRICE_RATIO_LIMITS = (0.2, 5.0)
"""A month's billed price (bill / energy) against the plan's price that month [-]: outside
this range the bill or the energy is taken to be in the wrong unit (toman for rial, MWh
for kWh) rather than an indexation surprise."""

INFLATION_12M_LIMITS = (-0.5, 3.0)
"""12-month inflation accepted [fraction]: above 3.0 (300 %) is taken as a percentage."""

MAX_DAILY_IRRADIATION_KWH_PER_M2 = 10.0
"""Most global horizontal irradiation in a day [kWh/m2]: clear-sky GHI at Qom peaks near
8.5 kWh/m2 a day in June (Ineichen, pvlib); above the bound the figure is in Wh/m2 or
MJ/m2."""

EURO_RATIO_LIMITS = (0.1, 50.0)
"""The euro rate against the scenario's starting rate [-]: outside, a unit error (toman)."""

MIN_DAILY_YIELD_KWH_PER_KWP = 0.05
"""Least energy a month may report when it reports any [kWh per kWp of capacity per day,
averaged over the month]: about one hour of full sun in the whole month. Below it the
figure is taken as MWh, or as written with ``.`` between thousands (``451.929`` for
451,929 kWh); a month with no energy at all is written 0."""

MAX_FILE_BYTES = 2 * 1024 * 1024
"""Largest actuals file read [bytes]: a hundred years of months take under 200 KB."""

MAX_ROWS = 12 * 100
"""Most month rows read: a hundred years."""

MAX_GAP_MONTHS = 24
"""Most months in a row an actuals file may leave out before its last month (filled from
the plan); a longer gap is taken as a mistyped year."""

MONTHS_AHEAD = 12
"""How far after today a month may begin [months] and still be read: a month beyond is a
mistyped year or a plan figure. A margin, not zero, so that trial figures for the coming
months (and a machine whose clock is behind) are read; the gap rule below catches most
mistyped years on its own."""

MWH_COLUMN = "energy_mwh"
"""Energy in MWh, read as ``energy_kwh`` times 1,000."""

_PERSIAN_TO_ASCII = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٬٫", "0123456789" "0123456789" ",.")
_LABEL = re.compile(r"^(\d{4})-(\d{1,2})$")
_FIRST_DATA_ROW = 2  # the header is row 1


def _row(position: int) -> int:
    return position + _FIRST_DATA_ROW


_EXCEL_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # a zip (.xlsx, .xlsm), an OLE file (.xls)


def _decode(data: bytes, name: str) -> str:
    """The text of a CSV file: UTF-8 or UTF-16 by their byte order marks, else UTF-8, UTF-16
    without a mark (every other byte zero), else Windows-1256."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ("utf-16",)
    elif len(data) >= 4 and data[1:4:2] == b"\x00\x00":
        encodings = ("utf-16-le",)
    elif len(data) >= 4 and data[0:4:2] == b"\x00\x00":
        encodings = ("utf-16-be",)
    else:
        encodings = ("utf-8", "cp1256")
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:
            return text
    raise InputError(
        f"actuals file {name!r} is not text in UTF-8, UTF-16 or Windows-1256: save it from the "
        "spreadsheet as CSV (UTF-8) or Excel"
    )


def _split_csv(text: str, name: str) -> tuple[list[str], list[list[str]], str]:
    """Header, rows and the decimal sign of a CSV text; the separator is the one of ``;``,
    tab and ``,`` found in the header (in that order). With ``;`` the decimal sign is a
    comma; with tabs a comma if a number holds one between digits; with ``,`` a dot."""
    lines = text.splitlines()
    header_line = next((line for line in lines if line.strip()), "")
    separator = next((mark for mark in (";", "\t", ",") if mark in header_line), ",")
    rows = [row for row in csv.reader(io.StringIO(text), delimiter=separator, skipinitialspace=True) if any(c.strip() for c in row)]
    if not rows:
        raise InputError(f"actuals file {name!r} is empty: give a header row (month, ...) and one row per month")
    header, body = [cell.strip() for cell in rows[0]], rows[1:]
    for position, row in enumerate(body):
        extra = row[len(header):]
        if any(cell.strip() for cell in extra):
            hint = (
                "a number may hold ',' between thousands or as its decimal sign: quote such cells, "
                "or write numbers without separators" if separator == "," else f"is {separator!r} inside a cell?"
            )
            raise InputError(f"row {_row(position)}: {len(row)} cells, but the header has {len(header)} columns; {hint}")
    body = [[*row[: len(header)], *[""] * (len(header) - len(row))] for row in body]
    if separator == ";":  # a European spreadsheet: the comma is its decimal sign
        decimal = ","
    elif separator == "\t":  # a spreadsheet's "text" export: the locale's decimal sign
        decimal = "," if any(re.search(r"\d,\d", cell) for row in body for cell in row[1:]) else "."
    else:
        decimal = "."
    return header, body, decimal


def _read_table(path: Path) -> pd.DataFrame:
    """The file's cells as text, with ``attrs["decimal"]`` the decimal sign (``.`` or ``,``)."""
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".xlsx", ".xls", ".xlsm"):
        raise InputError(f"actuals file {str(path)!r}: give a .csv or .xlsx file, not {suffix or 'no suffix'!r}")
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"actuals file {str(path)!r} is {size:,} bytes: at most {MAX_FILE_BYTES:,} are read "
            f"(one row per month; {MAX_ROWS:,} months at most)"
        )
    data = path.read_bytes()[: MAX_FILE_BYTES + 1]
    if not data.strip():
        raise InputError(f"actuals file {str(path)!r} is empty: give a header row (month, ...) and one row per month")
    if data.startswith(_EXCEL_MAGIC):
        try:
            table = pd.read_excel(io.BytesIO(data), dtype=str, keep_default_na=False)
        except Exception as error:  # a damaged workbook: pandas and its readers raise many kinds
            raise InputError(f"actuals file {str(path)!r} cannot be read as an Excel workbook: {error}") from None
        table.attrs["decimal"] = "."
        return table
    header, body, decimal = _split_csv(_decode(data, str(path)), str(path))
    table = pd.DataFrame(body, columns=header, dtype=str)
    table.attrs["decimal"] = decimal
    return table


def _month_label(raw: str, position: int) -> str:
    text = str(raw).strip().translate(_PERSIAN_TO_ASCII).replace("/", "-")
    match = _LABEL.match(text)
    if match is None or not 1 <= int(match[2]) <= 12:
        raise InputError(
            f"row {_row(position)}, column month: {raw!r} is not a month; write year-month "
            "as in the scenario's calendar, for example 1405-01"
        )
    return f"{int(match[1])}-{int(match[2]):02d}"


_DOT_THOUSANDS = re.compile(r"^-?\d{1,3}(\.\d{3}){2,}(,\d*)?$")
"""``1.234.567`` or ``1.234.567,5``: dots that can only separate thousands."""


def _number(raw: str, position: int, column: str, decimal: str = ".") -> float:
    text = str(raw).strip().translate(_PERSIAN_TO_ASCII)
    for mark in (" ", "\u00a0", "\u202f", "'", "\u2019"):
        text = text.replace(mark, "")
    if decimal == "," or _DOT_THOUSANDS.match(text):
        text = text.replace(".", "").replace(",", ".")
    else:
        text = text.replace(",", "")
    if text == "":
        return np.nan
    try:
        value = float(text)
    except ValueError:
        raise InputError(
            f"row {_row(position)}, column {column}: {raw!r} is not a number "
            f"[{VALUE_COLUMNS[column]}]"
        ) from None
    if not np.isfinite(value):
        raise InputError(f"row {_row(position)}, column {column}: {raw!r} must be a finite number")
    return value


def _refuse(frame: pd.DataFrame, bad: np.ndarray, column: str, why: str) -> None:
    """Raise naming the first row where ``bad`` holds, if any."""
    if bad.any():
        position = int(np.argmax(bad))
        more = int(bad.sum()) - 1
        raise InputError(
            f"row {_row(position)} ({frame[MONTH].iloc[position]}), column {column}: "
            f"{frame[column].iloc[position]:,.6g} {why}" + (f" ({more} more rows alike)" if more else "")
        )


def parse_actuals(table: pd.DataFrame) -> pd.DataFrame:
    """Check and convert a table of actual months (cells as text or numbers).

    Parameters
    ----------
    table : pandas.DataFrame
        Columns ``month`` and any of :data:`VALUE_COLUMNS`.

    Returns
    -------
    pandas.DataFrame
        ``month`` (labels such as ``"1405-01"``) and every column of
        :data:`VALUE_COLUMNS` as floats (NaN where the cell was empty or the column
        absent), in the file's row order.

    Raises
    ------
    InputError
        Naming the row, the column and the value: an unknown column, a month label that
        is not one, a month twice, a cell that is not a number, a negative amount, a
        12-month inflation given as a percentage.
    """
    decimal = table.attrs.get("decimal", ".")
    table = table.rename(columns=lambda name: str(name).strip().lstrip("\ufeff"))
    if len(table) > MAX_ROWS:
        raise InputError(f"the actuals have {len(table):,} rows: at most {MAX_ROWS:,} months are read")
    if MWH_COLUMN in table.columns:
        if "energy_kwh" in table.columns:
            raise InputError(f"the actuals have both energy_kwh and {MWH_COLUMN}: give the energy once")
        table = table.rename(columns={MWH_COLUMN: "energy_kwh"})
        megawatt_hours = True
    else:
        megawatt_hours = False
    unknown = [name for name in table.columns if name != MONTH and name not in VALUE_COLUMNS]
    if MONTH not in table.columns:
        raise InputError(
            f"the actuals have no 'month' column (columns found: {list(table.columns)}); "
            "see examples/actuals_template.csv"
        )
    if unknown:
        raise InputError(
            f"column {unknown[0]!r} is not known: the columns are month and "
            + ", ".join(f"{name} [{unit}]" for name, unit in VALUE_COLUMNS.items())
            + f" (or {MWH_COLUMN} [MWh at the meter])"
        )
    if table.empty:
        raise InputError("the actuals have no rows: give at least one month")
    frame = pd.DataFrame({MONTH: [_month_label(raw, i) for i, raw in enumerate(table[MONTH])]})
    for column in VALUE_COLUMNS:
        values = table[column] if column in table.columns else [""] * len(table)
        frame[column] = [_number(raw, i, column, decimal) for i, raw in enumerate(values)]
    if megawatt_hours:
        frame["energy_kwh"] = frame["energy_kwh"] * 1000.0
    repeated = frame[MONTH].duplicated(keep=False).to_numpy()
    if repeated.any():
        month = frame[MONTH].iloc[int(np.argmax(repeated))]
        rows = [_row(i) for i in np.flatnonzero(frame[MONTH].to_numpy() == month)]
        raise InputError(
            f"rows {', '.join(map(str, rows[:-1]))} and {rows[-1]}, column month: {month} appears "
            f"{'twice' if len(rows) == 2 else f'{len(rows)} times'}; give each month once"
        )
    for column in ("energy_kwh", "billed_rial", "collected_rial", "bonds_rial", "distributed_rial"):
        what = "a negative bill" if column == "billed_rial" else "negative"
        _refuse(frame, (frame[column] < 0).to_numpy(), column, f"is {what}: amounts are 0 or more [{VALUE_COLUMNS[column]}]")
    _refuse(frame, (frame["cpi_index"] <= 0).to_numpy(), "cpi_index", "must be above 0 [index points]")
    _refuse(frame, (frame["euro_rial"] <= 0).to_numpy(), "euro_rial", "must be above 0 [rial per euro]")
    _refuse(
        frame, (frame["irradiation_kwh_per_m2"] < 0).to_numpy(), "irradiation_kwh_per_m2", "is negative [kWh/m2]"
    )
    low, high = INFLATION_12M_LIMITS
    _refuse(
        frame,
        ((frame["inflation_12m"] < low) | (frame["inflation_12m"] > high)).to_numpy(),
        "inflation_12m",
        f"is outside {low:g} to {high:g}: give a fraction (0.40 for 40 %), not a percentage",
    )
    return frame


def load_actuals(path) -> pd.DataFrame:
    """Read a cooperative's actual months from a CSV or Excel file and check them.

    Parameters
    ----------
    path : str or path
        A ``.csv`` or ``.xlsx`` file with a header row, one row per accounting month;
        columns as in this module's table (``examples/actuals_template.csv``). Digits
        may be Persian; thousands may be separated by commas.

    Returns
    -------
    pandas.DataFrame
        As :func:`parse_actuals`.

    Examples
    --------
    >>> import io, pandas as pd
    >>> table = pd.read_csv(io.StringIO("month,energy_kwh\\n1405-01,410000\\n1405-02,"), dtype=str)
    >>> parse_actuals(table.fillna(""))["energy_kwh"].tolist()
    [410000.0, nan]
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        raise InputError(f"actuals file {str(path)!r} does not exist") from None
    if not stat.S_ISREG(mode):
        kind = "a folder" if stat.S_ISDIR(mode) else "not a regular file (a pipe, a device?)"
        raise InputError(f"actuals file {str(path)!r} is {kind}: give a .csv or .xlsx file")
    return parse_actuals(_read_table(path))


def check_against_scenario(actuals: pd.DataFrame, months: pd.DataFrame, plan_price_rial_per_kwh, capacity_kwp: float,
                           euro_start_rial_per_eur: float, today=None) -> np.ndarray:
    """Check actual months against the plant and its plan; return each row's month index.

    Parameters
    ----------
    actuals : pandas.DataFrame
        From :func:`parse_actuals`.
    months : pandas.DataFrame
        The life's accounting months (:func:`solarcoop.calendar.accounting_months`).
    plan_price_rial_per_kwh : numpy.ndarray
        The plan's price in each month of the life [rial/kWh].
    capacity_kwp : float
        The plant's capacity [kWp].
    euro_start_rial_per_eur : float
        The scenario's euro rate at the start of operation [rial/EUR].
    today : date-like, optional
        The date of the reading (default: today); a month beginning more than
        :data:`MONTHS_AHEAD` months after it is refused.

    Returns
    -------
    numpy.ndarray of int
        Position of each row's month in ``months``.

    Raises
    ------
    InputError
        A month before operation or after the life, one beginning more than
        :data:`MONTHS_AHEAD` months after ``today``,
        one after a gap of more than :data:`MAX_GAP_MONTHS` months; energy above
        :data:`MAX_DAILY_YIELD_KWH_PER_KWP` times capacity and days, or above 0 and below
        :data:`MIN_DAILY_YIELD_KWH_PER_KWP` times them; a billed price
        outside :data:`PRICE_RATIO_LIMITS` times the plan's; a euro rate outside
        :data:`EURO_RATIO_LIMITS` times the scenario's starting rate.
    """
    position = pd.Series(np.arange(len(months)), index=months["label"].to_numpy())
    first, last = months["label"].iloc[0], months["label"].iloc[-1]
    index = actuals[MONTH].map(position)
    missing = index.isna().to_numpy()
    if missing.any():
        row = int(np.argmax(missing))
        label = actuals[MONTH].iloc[row]
        where = "before operation starts" if label < first else "after the plant's life ends"
        raise InputError(
            f"row {_row(row)}, column month: {label} is {where} (the life runs {first} to {last})"
        )
    index = index.to_numpy(int)
    today = pd.Timestamp(datetime.date.today() if today is None else today).normalize()
    latest = today + pd.DateOffset(months=MONTHS_AHEAD)
    future = months["start_date"].to_numpy()[index] > latest.to_datetime64()
    if future.any():
        row = int(np.argmax(future))
        raise InputError(
            f"row {_row(row)}, column month: {actuals[MONTH].iloc[row]} begins more than "
            f"{MONTHS_AHEAD} months after today ({today.date()}); give the months that have "
            "happened (a mistyped year?)"
        )
    given = np.sort(np.unique(index))
    gaps = np.diff(np.concatenate([[-1], given])) - 1
    if gaps.max() > MAX_GAP_MONTHS:
        after = int(given[int(np.argmax(gaps))])
        row = int(np.flatnonzero(index == after)[0])
        before = f"after {months['label'].iloc[given[int(np.argmax(gaps)) - 1]]}" if np.argmax(gaps) else f"after operation starts ({first})"
        raise InputError(
            f"row {_row(row)}, column month: {actuals[MONTH].iloc[row]} comes {int(gaps.max())} months {before} "
            f"with no month between; at most {MAX_GAP_MONTHS} months may be left out (a mistyped year?)"
        )
    days = months["days"].to_numpy()[index]
    most = MAX_DAILY_YIELD_KWH_PER_KWP * capacity_kwp * days
    _refuse(
        actuals,
        (actuals["energy_kwh"] > most).to_numpy(),
        "energy_kwh",
        f"kWh is more than the {capacity_kwp:,.0f} kWp plant could make in the month "
        f"({MAX_DAILY_YIELD_KWH_PER_KWP:g} kWh/kWp a day); is it in Wh, or another plant's?",
    )
    least = MIN_DAILY_YIELD_KWH_PER_KWP * capacity_kwp * days
    _refuse(
        actuals,
        ((actuals["energy_kwh"] > 0) & (actuals["energy_kwh"] < least)).to_numpy(),
        "energy_kwh",
        f"kWh is less than the {capacity_kwp:,.0f} kWp plant makes in one hour of sun a month "
        f"({MIN_DAILY_YIELD_KWH_PER_KWP:g} kWh/kWp a day); is it in MWh (use the column {MWH_COLUMN}), "
        "or written with '.' between thousands (451.929 for 451,929)? A month with no energy is 0",
    )
    _refuse(
        actuals,
        (actuals["irradiation_kwh_per_m2"] > MAX_DAILY_IRRADIATION_KWH_PER_M2 * days).to_numpy(),
        "irradiation_kwh_per_m2",
        f"kWh/m2 is more than {MAX_DAILY_IRRADIATION_KWH_PER_M2:g} kWh/m2 a day reach the ground; "
        "is it in Wh/m2 or MJ/m2?",
    )
    price = np.asarray(plan_price_rial_per_kwh, float)[index]
    energy = actuals["energy_kwh"].to_numpy()
    billed = actuals["billed_rial"].to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = billed / (energy * price)
    low, high = PRICE_RATIO_LIMITS
    bad = (energy > 0) & ((ratio < low) | (ratio > high))
    _refuse(
        actuals,
        bad,
        "billed_rial",
        f"rial for the month's energy is a price outside {low:g}-{high:g} times the plan's "
        "price that month; is it in toman, or the energy in MWh?",
    )
    _refuse(
        actuals,
        ((billed > 0) & (energy == 0)),
        "billed_rial",
        "rial is billed for a month whose energy_kwh is 0",
    )
    low, high = EURO_RATIO_LIMITS
    euro = actuals["euro_rial"].to_numpy() / euro_start_rial_per_eur
    _refuse(
        actuals,
        (euro < low) | (euro > high),
        "euro_rial",
        f"rial per euro is outside {low:g}-{high:g} times the scenario's "
        f"{euro_start_rial_per_eur:,.0f} at the start; is it in toman?",
    )
    return index
