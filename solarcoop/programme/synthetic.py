"""A synthetic programme table: the Relief Committee's plants, drawn from public figures.

The table is **synthetic**: no plant in it is a real plant. Its counts, sizes, vintages,
kinds, provinces and loans are drawn from the public figures in
``solarcoop/data/programme_sources.csv`` (each with its outlet, news id, date and
confidence), so that a user without a real table can try the programme and a benchmark has
something of the right shape to run. Every plant id starts with ``SYN-`` and the table's
``attrs["synthetic"]`` is ``True``, so the label survives a CSV round trip and every output
can say so (:func:`is_synthetic`).

What is reported and what is assumed (the file's ``kind`` column says which for each):

- **Home plants** (kind ``"home"``): more than 22,000 built since 1394 (YJC 9008210,
  30 Sep 2025), 5 kW each, one family each; the 1404 target of 30,000 more is added with
  ``with_1404_target=True``.
- **Provinces**: counts are reported for five provinces (Razavi Khorasan 1,060, South
  Khorasan 628, Kerman 720, Isfahan 600, West Azerbaijan 430); the rest of the 22,000 is
  *assumed* to be spread evenly over the other 26 provinces (no national breakdown was
  found). The 1404 target's plants are spread the same way.
- **Vintages** (start month): no national count by year was found. *Assumed* yearly rates,
  relative to 1397-1402: 0.5 in 1394-1396 (1394's counted in 1395), 2.5 in 1403 (South Khorasan's 167 in 1403 against
  about 65 a year before), 1.5 in 1404 up to Shahrivar (when the 22,000 were counted); start
  months uniform within the year. The 1404 target's plants start from Mehr 1404 to Shahrivar
  1405 (assumed).
- **Loans**: 150 million toman (1.5e9 rial) per family at 4 % a year over 84 months (IRIB
  5625888, 5674622, 5585575), no grace (assumed: none was found). For plants before 1403 the
  principal is *assumed* to be 1.5e9 rial deflated by 25 % a year back to the plant's year
  (about 25 million toman for a plant of 1395).
- **Aggregated plants** (kind ``"share"``): the plants named in the press (Gomishan,
  Abarkuh, Mashhad, Hormozgan, Kerman, Hamedan's two farms, West Azerbaijan's farm) at
  200 families per MW (5 kW each), and the Qom cooperative (kind ``"cooperative"``,
  3 MW for 400 families). Their start months are reported or assumed as the
  ``AGGREGATED_PLANTS`` constant says.
- **The library's first month**: start months are drawn only from the first month whose
  past the library's history holds (:func:`solarcoop.programme.table.earliest_start_month`,
  1396-07 today; no earlier consumer prices or euro are invented). The plants the stated
  rates put before it (1394 to 1396-06, about 11 % of the 22,000) are *folded forward*:
  spread over the covered months in proportion to each month's rate
  (:func:`start_month_shares`), so no month gets a pile, and each plant's contract year
  and loan follow its start month. The table's ``attrs`` say so (``start_months_from``,
  ``folded_forward_share``), and so does ``home_start_months_before_history`` in the
  sources file.
- **Coordinates**: the province centre (``spread_km`` scatters them in a disc around it).
"""

from __future__ import annotations

import csv
import functools
import io
from dataclasses import dataclass
from importlib import resources

import numpy as np
import pandas as pd

from solarcoop._validation import InputError
from solarcoop.programme.table import contract_years, earliest_start_month
from solarcoop.site import province_centres

SYNTHETIC_PREFIX = "SYN-"
"""Every synthetic plant id starts with this, so a table read back from CSV is still known synthetic."""

SOURCES_FILE = "data/programme_sources.csv"
"""The figures the table is drawn from, inside the package."""

FIRST_YEAR = 1395
"""First start year of the table's home plants [Jalali year]. The programme began in 1394
(YJC 9008210), but SATBA's base-price table, which a contract year must name, begins in
1395: the few plants of 1394 are counted with 1395's."""

LAST_COUNTED_YEAR = 1404
"""Year of the 22,000 count [Jalali year]; its plants start up to Shahrivar (month 6)."""

PROVINCES_REPORTED = {
    "Razavi Khorasan": "home_plants_razavi_khorasan",
    "South Khorasan": "home_plants_south_khorasan",
    "Kerman": "home_plants_kerman",
    "Isfahan": "home_plants_isfahan",
    "West Azerbaijan": "home_plants_west_azerbaijan",
}
"""Provinces whose home-plant count is reported, and the figure that gives it."""


@dataclass(frozen=True)
class NamedPlant:
    """An aggregated plant (or cooperative) named in the press."""

    name: str
    figure: str
    """The row of ``programme_sources.csv`` that gives its capacity [kWp]."""
    kind: str
    province: str
    families: int
    start_month: str
    start_reported: bool
    """True when the start month is reported; False when it is the stated assumption."""


AGGREGATED_PLANTS = (
    NamedPlant("Gomishan", "plant_gomishan", "share", "Golestan", 280, "1404-06", True),
    NamedPlant("Abarkuh", "plant_abarkuh", "share", "Yazd", 240, "1403-10", False),
    NamedPlant("Mashhad", "plant_mashhad", "share", "Razavi Khorasan", 200, "1404-09", True),
    NamedPlant("Hormozgan", "plant_hormozgan", "share", "Hormozgan", 200, "1403-05", True),
    NamedPlant("Kerman", "plant_kerman", "share", "Kerman", 150, "1404-07", False),
    NamedPlant("Hamedan 5 MW", "plant_hamedan_5mw", "share", "Hamadan", 1000, "1405-01", False),
    NamedPlant("Hamedan 2 MW", "plant_hamedan_2mw", "share", "Hamadan", 400, "1405-01", False),
    NamedPlant("West Azerbaijan", "plant_west_azerbaijan", "share", "West Azerbaijan", 600, "1405-01", False),
    NamedPlant("Qom", "plant_qom_cooperative", "cooperative", "Qom", 400, "1405-01", True),
)
"""The named aggregated plants: families as reported (200 per MW where not given: Hormozgan;
5 kW per family where only panels are given: West Azerbaijan); start months reported where
``start_reported`` (the month the press reported them running or inaugurated, or
Farvardin 1405 for Qom's plan), otherwise assumed (planned plants: Farvardin 1405)."""


@dataclass(frozen=True)
class Figure:
    """One row of ``programme_sources.csv``: a value, its range, unit and source."""

    figure: str
    value: float | str
    low: float | str
    high: float | str
    unit: str
    kind: str
    source: str
    source_id: str
    date: str
    confidence: str
    note: str


def _number(text: str) -> float | str:
    try:
        return float(text)
    except ValueError:
        return text


@functools.cache
def programme_sources() -> dict[str, Figure]:
    """The public figures the synthetic table is drawn from, by figure name.

    >>> programme_sources()["home_plants_built"].value
    22000.0
    >>> programme_sources()["home_plants_built"].source_id
    '9008210'
    """
    text = resources.files("solarcoop").joinpath(SOURCES_FILE).read_text(encoding="utf-8")
    rows = csv.DictReader(line for line in io.StringIO(text) if not line.startswith("#"))
    return {
        row["figure"]: Figure(
            row["figure"], _number(row["value"]), _number(row["low"]), _number(row["high"]),
            row["unit"], row["kind"], row["source"], row["source_id"], row["date"],
            row["confidence"], row["note"],
        )  # fmt: skip
        for row in rows
    }


def province_shares() -> pd.Series:
    """Each province's share of the home plants [fraction], summing to 1.

    The five reported provinces get their reported count over the 22,000; the remainder is
    spread evenly over the other provinces (an assumption: no breakdown was found).
    """
    figures = programme_sources()
    total = float(figures["home_plants_built"].value)
    names = [centre.province_en for centre in province_centres()]
    counts = pd.Series(np.nan, index=pd.Index(names, name="province"))
    for province, figure in PROVINCES_REPORTED.items():
        counts[province] = float(figures[figure].value)
    rest = total - counts.sum()
    counts = counts.fillna(rest / counts.isna().sum())
    return counts / total


def vintage_shares() -> pd.Series:
    """Each year's share of the 22,000 home plants [fraction], 1395 to 1404, summing to 1
    (1395 holds 1394's plants too: :data:`FIRST_YEAR`).

    Relative yearly rates from ``programme_sources.csv`` (all assumptions, stated there):
    ``vintage_weight_before_1397``, ``vintage_weight_1397_1402``, ``vintage_weight_1403``,
    ``vintage_weight_1404`` (1404 counts only up to Shahrivar).
    """
    figures = programme_sources()
    years = np.arange(FIRST_YEAR, LAST_COUNTED_YEAR + 1)
    weights = np.where(years < 1397, figures["vintage_weight_before_1397"].value, figures["vintage_weight_1397_1402"].value)
    # 1394's plants are counted with 1395's (FIRST_YEAR): 1395 carries both years' rate
    weights = np.where(years == FIRST_YEAR, 2 * weights, weights)
    weights = np.where(years == 1403, figures["vintage_weight_1403"].value, weights)
    weights = np.where(years == 1404, figures["vintage_weight_1404"].value, weights)
    return pd.Series(weights / weights.sum(), index=pd.Index(years, name="year"))


def _monthly_rates() -> pd.Series:
    """Each month's rate of home plants (its year's share over the year's months: six in
    1404, up to Shahrivar), 1395-01 to 1404-06, by label ``"1397-01"``."""
    figures = programme_sources()
    vintages = vintage_shares()
    last_month = int(figures["last_home_start_month_1404"].value)
    years = np.repeat(vintages.index.to_numpy(), 12)
    months = np.tile(np.arange(1, 13), len(vintages))
    months_in_year = np.where(years == LAST_COUNTED_YEAR, last_month, 12)
    counted = months <= months_in_year
    rates = vintages.reindex(years).to_numpy() / months_in_year
    labels = [f"{y:04d}-{m:02d}" for y, m in zip(years[counted], months[counted], strict=True)]
    return pd.Series(rates[counted], index=pd.Index(labels, name="start_month"))


def start_month_shares() -> pd.Series:
    """Each start month's share of the 22,000 home plants [fraction], from the library's
    first month (:func:`~solarcoop.programme.table.earliest_start_month`) to Shahrivar
    1404, summing to 1.

    A month takes its year's rate (:func:`vintage_shares`) over the year's months. The
    months before the library's first are not drawn (their consumer prices and euro are
    not published in its history): their plants are folded forward, spread over the
    covered months in proportion to each month's rate (:func:`folded_forward_share`).
    """
    rates = _monthly_rates()
    covered = rates[rates.index >= earliest_start_month()]
    return covered / covered.sum()


def folded_forward_share() -> float:
    """The share of the home plants the stated rates put before the library's first month
    [fraction] (1394 to 1396-06: 1.25 of 11.5 yearly rates, 10.9 %), folded forward by
    :func:`start_month_shares`."""
    rates = _monthly_rates()
    return float(rates[rates.index < earliest_start_month()].sum() / rates.sum())


def loan_principal_rial(start_year: np.ndarray) -> np.ndarray:
    """A home plant's loan principal per family [rial] by its start year.

    1.5e9 rial from 1403 (reported); earlier years deflated by ``loan_deflator_per_year``
    (an assumption), rounded to the million rial.
    """
    figures = programme_sources()
    principal = float(figures["home_loan_principal"].value)
    deflator = float(figures["loan_deflator_per_year"].value)
    years_before = np.clip(1403 - np.asarray(start_year), 0, None)
    return np.round(principal / (1.0 + deflator) ** years_before, -6)


def contract_year(start_year: np.ndarray) -> np.ndarray:
    """A plant's contract year [Jalali year]: the latest year of SATBA's base-price table
    not after its start year (the table has no rows for 1400 and 1401, whose plants took
    the 1399 prices)."""
    years = np.asarray(contract_years())
    start_year = np.asarray(start_year)
    position = np.searchsorted(years, start_year, side="right") - 1
    if (position < 0).any():
        raise InputError(f"start year {int(start_year.min())} is before SATBA's first contract year {years[0]}")
    return years[position]


def _check_arguments(n_plants, n_named: int, spread_km: float) -> None:
    if n_plants is not None and (isinstance(n_plants, bool) or not isinstance(n_plants, (int, np.integer)) or n_plants < max(n_named, 1)):
        raise InputError(
            f"n_plants = {n_plants!r}: allowed a whole number >= {max(n_named, 1)} (the named aggregated plants), "
            "or None for the reported programme, or include_aggregated=False",
            "out_of_range", field="n_plants", value=n_plants, allowed=f">= {max(n_named, 1)}",
        )  # fmt: skip
    if not np.isfinite(spread_km) or spread_km < 0:
        raise InputError(
            f"spread_km = {spread_km!r}: allowed a finite distance >= 0 [km]",
            "out_of_range", field="spread_km", value=spread_km, allowed=">= 0",
        )  # fmt: skip


def _named_rows(figures: dict[str, Figure]) -> pd.DataFrame:
    principal = float(figures["home_loan_principal"].value)
    return pd.DataFrame(
        {
            "plant_id": [f"{SYNTHETIC_PREFIX}A{i + 1:03d}" for i in range(len(AGGREGATED_PLANTS))],
            "kind": [plant.kind for plant in AGGREGATED_PLANTS],
            "province": [plant.province for plant in AGGREGATED_PLANTS],
            "capacity_kwp": [float(figures[plant.figure].value) for plant in AGGREGATED_PLANTS],
            "start_month": [plant.start_month for plant in AGGREGATED_PLANTS],
            "families": [plant.families for plant in AGGREGATED_PLANTS],
            "loan_principal_rial": principal,
        }
    )


def _home_rows(n_home: int, with_1404_target: bool, rng: np.random.Generator, figures: dict[str, Figure]) -> pd.DataFrame:
    provinces = province_shares()
    province = rng.choice(provinces.index.to_numpy(), size=n_home, p=provinces.to_numpy())
    shares = start_month_shares()
    label = rng.choice(shares.index.to_numpy(), size=n_home, p=shares.to_numpy())
    year = np.array([int(text[:4]) for text in label]) if n_home else np.zeros(0, dtype=int)
    month = np.array([int(text[5:]) for text in label]) if n_home else np.zeros(0, dtype=int)
    if with_1404_target:
        built = float(figures["home_plants_built"].value)
        target = float(figures["home_plants_target_1404"].value)
        in_target = rng.random(n_home) < target / (built + target)
        # Mehr 1404 (month 7) to Shahrivar 1405: twelve months from the 22,000 count.
        months_after = rng.integers(0, 12, size=n_home)
        year = np.where(in_target, LAST_COUNTED_YEAR + (6 + months_after) // 12, year)
        month = np.where(in_target, (6 + months_after) % 12 + 1, month)
    return pd.DataFrame(
        {
            "plant_id": [f"{SYNTHETIC_PREFIX}H{i + 1:06d}" for i in range(n_home)],
            "kind": "home",
            "province": province,
            "capacity_kwp": float(figures["home_plant_kw"].value),
            "start_month": [f"{y:04d}-{m:02d}" for y, m in zip(year, month, strict=True)],
            "families": 1,
            "loan_principal_rial": loan_principal_rial(year),
        }
    )


def _coordinates(province: pd.Series, spread_km: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    centres = {centre.province_en: (centre.latitude, centre.longitude) for centre in province_centres()}
    latitude = province.map(lambda name: centres[name][0]).to_numpy(dtype=float)
    longitude = province.map(lambda name: centres[name][1]).to_numpy(dtype=float)
    if spread_km > 0:
        radius_km = spread_km * np.sqrt(rng.random(len(province)))
        angle = 2 * np.pi * rng.random(len(province))
        latitude = latitude + radius_km * np.cos(angle) / 111.2
        longitude = longitude + radius_km * np.sin(angle) / (111.2 * np.cos(np.radians(latitude)))
    return np.round(latitude, 4), np.round(longitude, 4)


def synthetic_table(
    n_plants: int | None = None,
    seed: int = 0,
    *,
    with_1404_target: bool = False,
    include_aggregated: bool = True,
    spread_km: float = 0.0,
) -> pd.DataFrame:
    """A **synthetic** programme table in the programme table's columns.

    Parameters
    ----------
    n_plants : int or None
        Rows of the table [plants]. None: the reported programme, 22,000 home plants (52,000
        with ``with_1404_target``) and the named aggregated plants. A number: that many
        rows, the named aggregated plants first and home plants for the rest.
    seed : int
        Seed of the draws: the same seed gives the same table.
    with_1404_target : bool
        Add the 1404 target of 30,000 home plants (starting Mehr 1404 to Shahrivar 1405).
    include_aggregated : bool
        Include the named aggregated plants and the Qom cooperative.
    spread_km : float
        Radius [km] of the disc around the province centre the plants are scattered in;
        0 puts every plant at its province centre.

    Returns
    -------
    pandas.DataFrame
        One row per plant: ``plant_id`` (``SYN-...``), ``kind``, ``province`` (English),
        ``latitude_deg``, ``longitude_deg``, ``capacity_kwp`` [kWp], ``start_month``
        (Jalali ``YYYY-MM``), ``contract_year`` [Jalali year], ``tariff_class``
        (``"support"``), ``families``,
        ``loan_principal_rial`` [rial per family], ``loan_rate_per_year`` [fraction],
        ``loan_term_months``, ``loan_grace_months``. ``attrs["synthetic"]`` is True,
        ``attrs["sources"]`` names the figures file, ``attrs["start_months_from"]`` the
        first month a home plant starts in and ``attrs["folded_forward_share"]`` the share
        of home plants the stated rates put before it, folded forward [fraction]
        (:func:`start_month_shares`).

    >>> table = synthetic_table(200, seed=1)
    >>> len(table), is_synthetic(table), table["plant_id"].str.startswith("SYN-").all()
    (200, True, np.True_)
    """
    figures = programme_sources()
    n_named = len(AGGREGATED_PLANTS) if include_aggregated else 0
    _check_arguments(n_plants, n_named, spread_km)
    rng = np.random.default_rng(seed)
    if n_plants is None:
        n_home = int(figures["home_plants_built"].value)
        n_home += int(figures["home_plants_target_1404"].value) if with_1404_target else 0
    else:
        n_home = int(n_plants) - n_named
    parts = [_named_rows(figures)] if include_aggregated else []
    parts.append(_home_rows(n_home, with_1404_target, rng, figures))
    table = pd.concat(parts, ignore_index=True)
    table["latitude_deg"], table["longitude_deg"] = _coordinates(table["province"], spread_km, rng)
    table["contract_year"] = contract_year(table["start_month"].str.slice(0, 4).astype(int).to_numpy())
    table["tariff_class"] = "support"  # households of a support institution (the Relief Committee)
    table["loan_rate_per_year"] = float(figures["home_loan_rate"].value)
    table["loan_term_months"] = int(figures["home_loan_term"].value)
    table["loan_grace_months"] = int(figures["home_loan_grace"].value)
    columns = [
        "plant_id", "kind", "province", "latitude_deg", "longitude_deg", "capacity_kwp",
        "start_month", "contract_year", "tariff_class", "families", "loan_principal_rial",
        "loan_rate_per_year", "loan_term_months", "loan_grace_months",
    ]  # fmt: skip
    table = table[columns].astype({"families": int, "contract_year": int})
    table.attrs["synthetic"] = True
    table.attrs["sources"] = SOURCES_FILE
    table.attrs["start_months_from"] = earliest_start_month()  # the plants before it folded forward
    table.attrs["folded_forward_share"] = folded_forward_share()
    return table


def is_synthetic(table: pd.DataFrame) -> bool:
    """True when a programme table is synthetic (its attrs say so, or every id is ``SYN-``)."""
    if table.attrs.get("synthetic"):
        return True
    ids = table["plant_id"].astype(str) if "plant_id" in table else pd.Series([], dtype=str)
    return bool(len(ids)) and bool(ids.str.startswith(SYNTHETIC_PREFIX).all())
