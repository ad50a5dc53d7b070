"""The price of each kWh over the plant's life: flat, contract, market, switching, time of use.

Domain facts this module rests on (each default cites its source where it is set):

- SATBA's guaranteed-purchase contract for Relief Committee client plants: about
  45,800 rial/kWh in 1404 (press; sources conflict: 38,500 for rural producers,
  38,000 for households); 20-year term (one aggregated plant: 25); yearly indexation
  by a weighted mix of CPI and the official euro rate, weight chosen by the seller in
  0.15-0.30, coefficient rounded to 5 decimals (SATBA billing guideline); step-downs
  by contract vintage (1395: x0.7 from year 11; 1400: steps at years 8, 12, 16; the
  1402 decree exempts low-income support plants); local-content bonus up to +30 %.
- Energy exchange green board: average 17,525 (Azar 1402), 34,652 (Ordibehesht 1403),
  over 60,000 rial/kWh (2025) (energy-exchange reports in the press).
- Time of use (grid operator): Farvardin-Shahrivar mid-load 07-19, peak 19-23,
  off-peak 23-07; Mehr-Esfand mid-load 05-17, peak 17-21, off-peak 21-05 (vahidzare.ir;
  sardabirpress.ir, 2025). The multipliers paid to sellers were not found.

Prices are arrays over accounting months, shape ``(n_months,)`` or
``(n_paths, n_months)``, computed from the CPI and euro-rate indices of
:mod:`solarcoop.economy`. Field names are the dotted paths of ``with_changes``
(``tariff.cpi_weight``), and every error names them.
"""

from __future__ import annotations

import dataclasses
import zoneinfo
from dataclasses import dataclass

import numpy as np
import pandas as pd

from solarcoop._validation import (
    MAX_PRICE_RIAL_PER_KWH,
    InputError,
    check_array,
    check_number,
)
from solarcoop.calendar import from_jalali
from solarcoop.economy import operating_years
from solarcoop.fields import check_fields, declared, field

# Guaranteed-purchase price for plants of Relief Committee clients, 1404 [rial/kWh]: a
# disputed fact (solarcoop.disputed, reading "tariff_level"). About 45,800 ("forecast",
# IRIB news 5593090, Isfahan, 11 Oct 2025); 30,000 for households of support
# institutions (IRIB news 5585575, Hamedan, 3 Oct 2025); 38,000-38,500 quoted for other
# classes. The default is the central reading, 38,000.
RELIEF_COMMITTEE_PRICE_1404_RIAL_PER_KWH = 45_800.0
CENTRAL_PRICE_1404_RIAL_PER_KWH = 38_000.0
# Step-downs of the 1400 decree: the price falls to 0.6 in three steps at the start of
# years 8, 12 and 16 (SATBA's description); the central reading takes even steps.
DEFAULT_STEP_DOWNS = ((8, 0.8667), (12, 0.7333), (16, 0.6))
# Green board of the Iran Energy Exchange, 2025: "over 60,000 rial/kWh" (press reports of
# exchange results; earlier averages 17,525 in Azar 1402 and 34,652 in Ordibehesht 1403).
GREEN_BOARD_PRICE_2025_RIAL_PER_KWH = 60_000.0
# Contract length: 20 years (SATBA standard contract; high confidence).
CONTRACT_TERM_YEARS = 20
# Seller's CPI weight, allowed 0.15-0.30 (SATBA billing guideline). Default 0.15: with
# the default economy the euro rate (40 %/yr) outgrows CPI (35 %/yr), so the least
# weight on CPI pays the most, and that is what a seller picks.
DEFAULT_CPI_WEIGHT = 0.15

EURO_WINDOW_ENDS = ("energy_month", "payment_month")
INDEXATION_BASES = ("operation_start", "contract_year")
TIME_OF_USE_PERIODS = ("off_peak", "mid_load", "peak")
MARKET_INDEXATIONS = ("cpi", "fx", "none")


def _check_hours(field_name: str, value) -> tuple[int, int, int]:
    hours = tuple(value) if not isinstance(value, str) else ()
    if len(hours) != 3:
        raise InputError(
            f"{field_name} = {value!r} must be three start hours: (mid-load, peak, off-peak)"
        )
    hours = tuple(
        check_number(f"{field_name}[{i}]", h, minimum=0, maximum=24, integer=True)
        for i, h in enumerate(hours)
    )
    if not hours[0] < hours[1] < hours[2]:
        raise InputError(
            f"{field_name} = {hours!r} must be increasing: mid-load starts before peak, "
            "peak before off-peak"
        )
    return hours


_COEFFICIENT_SOURCE = (
    "Multipliers on the energy of each block [-]. Default 1.0 each: the multipliers paid to "
    "sellers were not found (historically, 1387: 1,300 rial for peak and normal hours vs 900 "
    "off-peak, a ratio of 0.69)."
)


@declared
@dataclass(frozen=True)
class TimeOfUse:
    """Coefficients on hourly energy by hour block and season.

    Each hour falls in one block: mid-load from the first start hour, peak from the
    second, off-peak from the third until the next day's mid-load. The season is the
    first half of the Jalali year (Farvardin-Shahrivar) or the second (Mehr-Esfand).

    """

    off_peak_coefficient: float = field(
        1.0,
        unit="",
        minimum=0,
        maximum=100,
        source=_COEFFICIENT_SOURCE,
    )
    mid_load_coefficient: float = field(
        1.0,
        unit="",
        minimum=0,
        maximum=100,
        source=_COEFFICIENT_SOURCE,
    )
    peak_coefficient: float = field(
        1.0,
        unit="",
        minimum=0,
        maximum=100,
        source=_COEFFICIENT_SOURCE,
    )
    farvardin_to_shahrivar_hours: tuple[int, int, int] = field(
        (7, 19, 23),
        unit="h",
        source=(
            "Local start hours of (mid-load, peak, off-peak) [h]. Default (7, 19, 23) (grid "
            "operator's blocks; vahidzare.ir, sardabirpress.ir 2025)."
        ),
    )
    mehr_to_esfand_hours: tuple[int, int, int] = field(
        (5, 17, 21),
        unit="h",
        source="Same for the second half of the year [h]. Default (5, 17, 21).",
    )
    timezone: str = field(
        "Asia/Tehran",
        unit="",
        source='Time zone whose clock the blocks follow. Default "Asia/Tehran".',
    )

    def __post_init__(self):
        check_fields(self, "tariff.time_of_use")
        for name in ("farvardin_to_shahrivar_hours", "mehr_to_esfand_hours"):
            hours = _check_hours(f"tariff.time_of_use.{name}", getattr(self, name))
            object.__setattr__(self, name, hours)
        try:
            zoneinfo.ZoneInfo(self.timezone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
            raise InputError(
                f"tariff.time_of_use.timezone = {self.timezone!r} is not a known time zone"
            ) from None


def _first_half_of_jalali_year(local_days: pd.DatetimeIndex) -> np.ndarray:
    """True for days in Farvardin-Shahrivar, from the Jalali half-year boundaries."""
    first, last = int(local_days.year.min()), int(local_days.year.max())
    jalali_years = range(first - 622, last - 621 + 1)
    boundaries = np.array(
        [np.datetime64(from_jalali(y, m, 1), "D") for y in jalali_years for m in (1, 7)]
    )
    position = np.searchsorted(boundaries, local_days.to_numpy().astype("datetime64[D]"), "right")
    return (position - 1) % 2 == 0


def _time_of_use_blocks(tou: TimeOfUse, index) -> np.ndarray:
    """Block of each stamp: 0 off-peak, 1 mid-load, 2 peak."""
    index = pd.DatetimeIndex(index)
    if index.tz is None:
        raise InputError(
            "the hourly index must be time-zone aware (e.g. tz='Asia/Tehran'): "
            "time-of-use blocks follow Iran's clock"
        )
    if len(index) == 0:
        return np.zeros(0, dtype=int)
    local = index.tz_convert(tou.timezone)
    hours = local.hour.to_numpy()
    first_half = _first_half_of_jalali_year(local.tz_localize(None).normalize())
    starts = np.where(
        first_half[:, None],
        np.array(tou.farvardin_to_shahrivar_hours)[None, :],
        np.array(tou.mehr_to_esfand_hours)[None, :],
    )
    return (hours[:, None] >= starts).sum(axis=1) % 3  # 0 or 3 -> off-peak; 1 mid; 2 peak


def time_of_use_periods(tou: TimeOfUse, index) -> np.ndarray:
    """The time-of-use block of each hour: "off_peak", "mid_load" or "peak".

    Parameters
    ----------
    tou : TimeOfUse
        Block hours.
    index : pandas.DatetimeIndex
        Time-zone-aware time stamps; each stamp's hour (in ``tou.timezone``) decides its
        block, i.e. a stamp labels the hour that begins at it.

    Returns
    -------
    numpy.ndarray of str
        One block name per stamp.

    Examples
    --------
    >>> index = pd.date_range("2026-06-01 06:00", periods=3, freq="h", tz="Asia/Tehran")
    >>> time_of_use_periods(TimeOfUse(), index).tolist()
    ['off_peak', 'mid_load', 'mid_load']
    """
    return np.array(TIME_OF_USE_PERIODS, dtype=object)[_time_of_use_blocks(tou, index)]


def time_of_use_coefficients(tou: TimeOfUse, index) -> np.ndarray:
    """Coefficient on each hour's energy [-], for a time-zone-aware hourly index.

    Examples
    --------
    A winter evening with peak hours paid 1.5 times:

    >>> index = pd.date_range("2026-01-10 16:00", periods=3, freq="h", tz="Asia/Tehran")
    >>> time_of_use_coefficients(TimeOfUse(peak_coefficient=1.5), index).tolist()
    [1.0, 1.5, 1.5]
    """
    coefficients = np.array(
        [tou.off_peak_coefficient, tou.mid_load_coefficient, tou.peak_coefficient], dtype=float
    )
    return coefficients[_time_of_use_blocks(tou, index)]


def _time_of_use_field():
    """The ``time_of_use`` field every tariff declares."""
    return field(
        None, unit="", source="Coefficients the engine applies to hourly energy before pricing."
    )


def _check_time_of_use(value):
    if value is not None and not isinstance(value, TimeOfUse):
        raise InputError(f"tariff.time_of_use = {value!r} must be a TimeOfUse or None")


@declared
@dataclass(frozen=True)
class FlatTariff:
    """A fixed price that rises by a fixed rate each operating year.

    """

    base_price_rial_per_kwh: float = field(
        CENTRAL_PRICE_1404_RIAL_PER_KWH,
        unit="rial/kWh",
        minimum=0,
        maximum=MAX_PRICE_RIAL_PER_KWH,
        source=(
            "Price in operating year 1 [rial/kWh]. Default 38,000: the central reading of the 1404 "
            "guaranteed-purchase price for Relief Committee client plants (30,000 and 45,800 in two "
            "IRIB reports of October 2025; :mod:`solarcoop.disputed`), here without indexation."
        ),
    )
    escalation_per_year: float = field(
        0.0,
        unit="%/year",
        kind="rate",
        source="Rise at the start of each operating year [fraction per year]. Default 0.",
    )
    time_of_use: TimeOfUse | None = _time_of_use_field()

    def __post_init__(self):
        check_fields(self, "tariff")
        _check_time_of_use(self.time_of_use)


@declared
@dataclass(frozen=True)
class MarketTariff:
    """Sale on the green board of the Iran Energy Exchange.

    The price is ``base_price_rial_per_kwh`` in the first month of operation, moved by
    the chosen index and a further escalation each operating year; or, when
    ``monthly_price_rial_per_kwh`` is given, exactly that path.

    """

    base_price_rial_per_kwh: float = field(
        GREEN_BOARD_PRICE_2025_RIAL_PER_KWH,
        unit="rial/kWh",
        minimum=0,
        maximum=MAX_PRICE_RIAL_PER_KWH,
        source=(
            'Price at the start of operation [rial/kWh]. Default 60,000: green-board average "over '
            '60,000 rial/kWh" in 2025 (after 17,525 in Azar 1402 and 34,652 in Ordibehesht 1403; '
            "energy-exchange results in the press). A 2025 price used at the start of 1405: a low "
            "estimate."
        ),
    )
    escalation_per_year: float = field(
        0.0,
        unit="%/year",
        kind="rate",
        source=(
            "Change at the start of each operating year on top of the index [fraction per year]. "
            "Default 0."
        ),
    )
    indexation: str = field(
        "cpi",
        unit="",
        choices=MARKET_INDEXATIONS,
        source=(
            'Which index the price follows. Default "cpi": the price keeps its real value (an '
            "assumption: the board is too young for a trend; it tripled in two years)."
        ),
    )
    monthly_price_rial_per_kwh: tuple[float, ...] | None = field(
        None,
        unit="rial/kWh",
        source=(
            "A given price per accounting month from the start of operation [rial/kWh]; replaces the "
            "three fields above."
        ),
    )
    time_of_use: TimeOfUse | None = _time_of_use_field()

    def __post_init__(self):
        check_fields(self, "tariff")
        if self.monthly_price_rial_per_kwh is not None:
            path = check_array(
                "tariff.monthly_price_rial_per_kwh", self.monthly_price_rial_per_kwh, minimum=0
            )
            if path.ndim != 1 or path.size == 0:
                raise InputError("tariff.monthly_price_rial_per_kwh must be a list of prices")
            object.__setattr__(self, "monthly_price_rial_per_kwh", tuple(path.tolist()))
        _check_time_of_use(self.time_of_use)


@declared
@dataclass(frozen=True)
class GuaranteedPurchaseTariff:
    """SATBA's guaranteed-purchase contract, indexed each year, for a fixed term.

    The price of the energy of month ``m`` in operating year ``y <= term_years`` is::

        base x local_content_multiplier x coefficient(m) x (1 + escalation) ** (y - 1)
             x step_factor(y)

        coefficient(m) = round(cpi_weight x CPI(start of year y) / CPI(start of operation)
                               + (1 - cpi_weight) x E(m) / E(before operation), 5)

    where ``E(m)`` is the average euro rate over the 12 accounting months up to and
    including month ``m`` (or, with ``euro_window_end="payment_month"``, up to the month
    the bill of month ``m`` is paid in cash) and ``E(before operation)`` the average over
    the 12 months before operation.

    What is certain (SATBA billing guideline, Persian and English pages): the two inputs
    (the Central Bank's CPI and the official secondary-market (NIMA) euro rate, averaged
    over 12 months), the weight being the seller's choice between 0.15 and 0.30, the
    rounding to 5 decimals, the CPI term changing once a year and the euro term each
    payment period. What is not: which term the weight multiplies (the guideline's
    formula is an image; this follows the reading of renews.pro, weight x CPI); the base
    date (``indexation_base``: the Persian page says start of commercial operation, as
    above, the English page the contract year: then the first operating year's
    coefficient is 1 and ``E(before operation)`` is the first year's average); the exact
    alignment of the euro window with the bill (``euro_window_end``; see
    :mod:`solarcoop.disputed`).

    After the term the price is that of ``after_term``, whose own path runs from the
    start of operation (a market price keeps its indexation through the contract years).
    **With ``after_term=None`` the energy after the term earns NOTHING (price 0).**

    Examples
    --------
    >>> GuaranteedPurchaseTariff(step_downs=[(21, 0.7)])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: tariff.step_downs: operating year 21 is beyond tariff.term_years = 20
    """

    base_price_rial_per_kwh: float = field(
        CENTRAL_PRICE_1404_RIAL_PER_KWH,
        unit="rial/kWh",
        minimum=0,
        maximum=MAX_PRICE_RIAL_PER_KWH,
        source=(
            "Contract price before indexation [rial/kWh]. Default 38,000: the central reading of the "
            "1404 price for plants of Relief Committee clients, between 30,000 (IRIB news 5585575, "
            "Hamedan, 3 Oct 2025, households of support institutions) and about 45,800 (IRIB news "
            "5593090, Isfahan, 11 Oct 2025, a forecast); see :mod:`solarcoop.disputed`."
        ),
    )
    term_years: int = field(
        CONTRACT_TERM_YEARS,
        unit="years",
        minimum=1,
        maximum=40,
        integer=True,
        source="Contract length [years]. Default 20 (SATBA; one aggregated plant has 25).",
    )
    cpi_weight: float = field(
        DEFAULT_CPI_WEIGHT,
        unit="%",
        kind="fraction",
        source=(
            "Weight of the CPI term [fraction, 0-1; SATBA allows 0.15-0.30]. Default 0.15, the "
            "seller's best choice when the euro rate outgrows CPI, as in the default economy."
        ),
    )
    escalation_per_year: float = field(
        0.0,
        unit="%/year",
        kind="rate",
        source=(
            "Extra fixed rise each operating year on top of indexation [fraction per year]. Default 0 "
            "(the contract has none)."
        ),
    )
    step_downs: tuple[tuple[int, float], ...] = field(
        DEFAULT_STEP_DOWNS,
        unit="",
        source=(
            "``(operating_year, factor)``: from that operating year on the price is ``factor`` times "
            "the un-stepped price, until the next step. Factors are each relative to the original "
            "price, not compounded: ``((8, 0.9), (12, 0.8))`` pays 90 % in years 8-11 and 80 % from "
            "year 12. Default: down to 0.6 in three even steps at the start of years 8, 12 and 16, "
            "the central reading of SATBA's description of the 1400 decree "
            "(:mod:`solarcoop.disputed`: the exemption of support plants reported for the 1402 "
            "decree, energypress.ir 13 Dec 2023, is not confirmed for this plant; 1395 contracts: "
            "x0.7 from year 11). A shorter contract keeps the default's steps that fall within its "
            "term; steps given outright must all fall within it."
        ),
    )
    local_content_multiplier: float = field(
        1.0,
        unit="",
        minimum=1.0,
        maximum=1.3,
        source=(
            "Bonus for Iranian-made equipment [-], 1.0-1.3 (up to +30 %; multipliers of 1.014-1.102 "
            "seen). Default 1.0."
        ),
    )
    after_term: MarketTariff | FlatTariff | None = field(
        default_factory=MarketTariff,
        unit="",
        source=(
            "The price after the term. Default: :class:`MarketTariff` with its defaults (the green "
            "board at 60,000 rial/kWh of 2025, kept at its real value)."
        ),
    )
    time_of_use: TimeOfUse | None = _time_of_use_field()
    euro_window_end: str = field(
        "energy_month",
        unit="",
        choices=EURO_WINDOW_ENDS,
        source=(
            "Where the 12-month euro window ends: at the month the energy was made (default for a "
            'bare contract) or at the month its bill is paid in cash, as the guideline reads ("the '
            'average euro rate of the year before payment", SATBA billing guideline). Default '
            '"energy_month" for a bare contract, priced without payment terms; a Scenario\'s default '
            'contract (:func:`central_contract`) takes "payment_month", the central reading '
            "(:mod:`solarcoop.disputed`)."
        ),
    )

    indexation_base: str = field(
        "operation_start",
        unit="",
        choices=INDEXATION_BASES,
        source=(
            'The date the indices are measured from. "operation_start" (default, the central '
            "reading, :mod:`solarcoop.disputed`; SATBA's Persian guideline page): CPI at the start "
            "of operation and the euro averaged over the 12 months before it, so the first year is "
            'already indexed. "contract_year" (SATBA\'s English guideline page): the contract year, '
            "taken as the first operating year, is the base: its energy is paid the base price "
            "unindexed (as the press's first-year figures have it), and from the second year CPI is "
            "measured from the contract year's start and the euro from its 12 months' average."
        ),
    )

    def __post_init__(self):
        check_fields(self, "tariff")
        term = self.term_years
        steps = self.step_downs
        if steps == DEFAULT_STEP_DOWNS:  # the default's steps that fall within a shorter term
            steps = tuple(step for step in steps if step[0] <= term)
        object.__setattr__(self, "step_downs", _check_step_downs(steps, term))
        if self.after_term is not None:
            if not isinstance(self.after_term, MarketTariff | FlatTariff):
                raise InputError(
                    f"tariff.after_term = {self.after_term!r} must be a MarketTariff, "
                    "a FlatTariff or None"
                )
            if self.after_term.time_of_use is not None:
                raise InputError(
                    "tariff.after_term.time_of_use must be None: the engine applies only "
                    "tariff.time_of_use"
                )
        _check_time_of_use(self.time_of_use)


def central_contract() -> GuaranteedPurchaseTariff:
    """The contract with the central reading of every disputed fact: a Scenario's default.

    38,000 rial/kWh, step-downs to 0.6 in three even steps at years 8, 12 and 16, the
    euro window ending at the payment month, the indices measured from the start of
    operation (:mod:`solarcoop.disputed`).

    >>> central_contract().euro_window_end, central_contract().indexation_base
    ('payment_month', 'operation_start')
    """
    return GuaranteedPurchaseTariff(euro_window_end="payment_month")


def vintage_contract(
    contract_year: int, capacity_kwp: float, support: bool = False, contract: GuaranteedPurchaseTariff | None = None
) -> GuaranteedPurchaseTariff:
    """The guaranteed-purchase contract of a contract year: its base price, term and step
    rule from SATBA's table (:func:`solarcoop.history.base_price_row`).

    Parameters
    ----------
    contract_year : int
        Jalali year the contract was signed.
    capacity_kwp : float
        Plant capacity [kW], which decides the size class.
    support : bool
        A plant of a household under a support institution (its own class from 1402).
    contract : GuaranteedPurchaseTariff, optional
        The contract whose other terms (CPI weight, euro window, what follows the term,
        local content) are kept. Default :func:`central_contract`.

    Examples
    --------
    A 5 kW home plant contracted in 1397, and one of a supported household in 1404:

    >>> old = vintage_contract(1397, 5)
    >>> old.base_price_rial_per_kwh, old.step_downs
    (8000.0, ((11, 0.7),))
    >>> vintage_contract(1404, 5, support=True).step_downs
    ()
    """
    from solarcoop import history  # the history package reads files: imported when asked

    row = history.base_price_row(contract_year, capacity_kwp, support)
    contract = central_contract() if contract is None else contract
    if not isinstance(contract, GuaranteedPurchaseTariff):
        raise InputError(f"contract = {contract!r} must be a GuaranteedPurchaseTariff")
    return dataclasses.replace(
        contract,
        base_price_rial_per_kwh=float(row["base_price_rial_per_kwh"]),
        term_years=int(row["term_years"]),
        step_downs=history.STEP_RULES[row["step_rule"]],
    )


def _check_step_downs(value, term_years: int) -> tuple[tuple[int, float], ...]:
    name = "tariff.step_downs"
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        raise InputError(f"{name} = {value!r} must be a list of (operating_year, factor)")
    steps = []
    for i, step in enumerate(value):
        if isinstance(step, str) or not hasattr(step, "__iter__") or len(tuple(step)) != 2:
            raise InputError(f"{name}[{i}] = {step!r} must be (operating_year, factor)")
        year, factor = tuple(step)
        year = check_number(f"{name}[{i}] operating year", year, minimum=1, integer=True)
        if year > term_years:
            raise InputError(
                f"{name}: operating year {year} is beyond tariff.term_years = {term_years}"
            )
        factor = check_number(
            f"{name}[{i}] factor", factor, minimum=0, maximum=1, min_inclusive=False
        )
        steps.append((year, float(factor)))
    years = [year for year, _ in steps]
    if years != sorted(set(years)):
        raise InputError(f"{name} = {value!r}: operating years must be increasing, each once")
    return tuple(steps)


@declared
@dataclass(frozen=True)
class SwitchingTariff:
    """One tariff until an operating year, another from then on (e.g. market, then contract).

    ``then`` takes over at the start of operating year ``switch_operating_year``. A
    contract taken up then (flat or guaranteed purchase) counts its term, escalation,
    step-downs and indexation from the switch: its base price is paid in the switch's
    first month and its euro term compares with the 12 months before the switch. A market
    price runs on calendar time from the start of operation. (A contract followed by the
    market at the end of its term is simpler as
    ``GuaranteedPurchaseTariff(after_term=...)``.)

    """

    first: FlatTariff | MarketTariff | GuaranteedPurchaseTariff = field(
        unit="",
        source="The tariffs before and from the switch; their ``time_of_use`` must be None.",
    )
    then: FlatTariff | MarketTariff | GuaranteedPurchaseTariff = field(
        unit="",
        source="The tariffs before and from the switch; their ``time_of_use`` must be None.",
    )
    switch_operating_year: int = field(
        unit="",
        minimum=2,
        integer=True,
        source="First operating year priced by ``then`` [-], at least 2.",
    )
    time_of_use: TimeOfUse | None = _time_of_use_field()

    def __post_init__(self):
        kinds = FlatTariff | MarketTariff | GuaranteedPurchaseTariff
        for name in ("first", "then"):
            part = getattr(self, name)
            if not isinstance(part, kinds):
                raise InputError(
                    f"tariff.{name} = {part!r} must be a Flat, Market or GuaranteedPurchase tariff"
                )
            if part.time_of_use is not None:
                raise InputError(
                    f"tariff.{name}.time_of_use must be None: the engine "
                    "applies only tariff.time_of_use"
                )
        check_fields(self, "tariff")
        _check_time_of_use(self.time_of_use)


Tariff = FlatTariff | MarketTariff | GuaranteedPurchaseTariff | SwitchingTariff


def _check_index(name: str, values, n_months: int) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim not in (1, 2) or array.shape[-1] != n_months:
        raise InputError(
            f"{name} has shape {array.shape}: expected ({n_months},) or (n_paths, {n_months})"
        )
    if not np.isfinite(array).all() or (array <= 0).any():
        raise InputError(f"{name} must be finite and positive")
    return array


def _yearly_escalation(rate: float, years: np.ndarray) -> np.ndarray:
    return (1.0 + rate) ** (years - 1)


def _flat_price(tariff: FlatTariff, years, cpi, fx, fx_before, lag=None) -> np.ndarray:
    return tariff.base_price_rial_per_kwh * _yearly_escalation(tariff.escalation_per_year, years)


def _market_price(tariff: MarketTariff, years, cpi, fx, fx_before, lag=None, within=None) -> np.ndarray:
    """The market price of each month; of the months ``within`` (a mask) only, when given."""
    n_months = len(years)
    if tariff.monthly_price_rial_per_kwh is not None:
        path = tariff.monthly_price_rial_per_kwh
        if len(path) < n_months:
            raise InputError(
                f"tariff.monthly_price_rial_per_kwh has {len(path)} months: "
                f"the accounting months need {n_months}"
            )
        price = np.asarray(path[:n_months], dtype=float)
        return price if within is None else price[within]
    chosen = np.s_[...] if within is None else np.s_[..., within]
    if tariff.indexation == "cpi":
        index = cpi[chosen] / cpi[..., :1]
    elif tariff.indexation == "fx":
        index = fx[chosen] / fx[..., :1]
    else:
        index = 1.0
    escalation = _yearly_escalation(tariff.escalation_per_year, years if within is None else years[within])
    return tariff.base_price_rial_per_kwh * escalation * index


def _euro_before_operation(fx: np.ndarray, fx_before) -> np.ndarray:
    """Euro index over the 12 months before operation, shape (..., 12)."""
    if fx_before is not None:
        before = np.asarray(fx_before, dtype=float)
        if before.shape[-1] != 12 or not np.isfinite(before).all() or (before <= 0).any():
            raise InputError(
                "fx_index_before_operation must hold 12 positive monthly values "
                f"(months -12 .. -1); got shape {before.shape}"
            )
        return before
    last = min(11, fx.shape[-1] - 1)
    growth = (fx[..., last : last + 1] / fx[..., :1]) ** (1.0 / last) if last else 1.0
    return fx[..., :1] * growth ** np.arange(-12, 0)


def _euro_after_life(fx: np.ndarray, n_extra: int) -> np.ndarray:
    """Euro index for ``n_extra`` months after the last, grown at the last year's average
    monthly growth, shape (..., n_extra)."""
    last = fx.shape[-1] - 1
    span = min(12, last)
    growth = (fx[..., last:] / fx[..., last - span : last - span + 1]) ** (1.0 / span) if span else 1.0
    return fx[..., last:] * growth ** np.arange(1, n_extra + 1)


def indexation_coefficient(
    cpi_weight: float,
    months,
    cpi_index,
    fx_index,
    fx_index_before_operation=None,
    window_end_offset_months=None,
    base: str = "operation_start",
) -> np.ndarray:
    """SATBA's indexation coefficient for the energy of each accounting month [-].

    ``round(cpi_weight x CPI(start of the operating year) / CPI(month 0) + (1 - cpi_weight)
    x mean(euro, 12 months up to the month) / mean(euro, 12 months before operation), 5)``.

    Parameters
    ----------
    cpi_weight : float
        Weight of the CPI term [fraction].
    months : pandas.DataFrame
        Accounting months (:func:`solarcoop.calendar.accounting_months`).
    cpi_index, fx_index : array_like
        CPI and euro-rate indices per month, shape ``(n_months,)`` or
        ``(n_paths, n_months)`` (any base).
    fx_index_before_operation : array_like, optional
        Euro-rate index over the 12 months before operation, on the base of ``fx_index``,
        shape ``(..., 12)``. Default: extrapolated backward at the average monthly growth
        of the first operating year (exact for the constant-rate paths of
        :mod:`solarcoop.economy`).
    window_end_offset_months : array_like of int, optional
        Months after each energy month that its euro window ends [months], shape
        ``(n_months,)``: 0 (default) ends it at the energy month; the months to payment
        (:func:`solarcoop.payment.months_to_payment`) end it at the payment month. A
        window ending after the last month uses the euro grown at the last year's pace.
    base : {"operation_start", "contract_year"}
        The indices' base date (:attr:`GuaranteedPurchaseTariff.indexation_base`):
        ``"contract_year"`` gives the first operating year a coefficient of 1 and measures
        the euro of later years from the first year's 12-month average.

    Examples
    --------
    No inflation, a steady euro: the coefficient stays 1.

    >>> from solarcoop.calendar import accounting_months
    >>> months = accounting_months("2026-03-21", 24)
    >>> float(indexation_coefficient(0.2, months, np.ones(24), np.ones(24)).max())
    1.0
    """
    years = operating_years(months)
    n_months = len(years)
    cpi = _check_index("cpi_index", cpi_index, n_months)
    fx = _check_index("fx_index", fx_index, n_months)
    offset = np.zeros(n_months, dtype=int)
    if window_end_offset_months is not None:
        offset = check_array(
            "window_end_offset_months", window_end_offset_months, length=n_months, minimum=0
        ).astype(int)
    if base not in INDEXATION_BASES:
        raise InputError(f"base = {base!r} is not an indexation base: allowed {', '.join(INDEXATION_BASES)}")
    cpi_term, euro_term = _indexation_terms(
        years, cpi, fx, fx_index_before_operation, offset, from_contract_year=base == "contract_year"
    )
    return np.round(cpi_weight * cpi_term + (1.0 - cpi_weight) * euro_term, 5)


def _indexation_terms(years, cpi, fx, fx_before, offset, from_contract_year=False) -> tuple[np.ndarray, np.ndarray]:
    """The CPI and euro terms of :func:`indexation_coefficient`, before weighting [-].

    ``offset`` (months after each energy month that its euro window ends) has shape
    ``(n_months,)``, or ``(n_paths, n_months)`` for a window of each path's own. The
    ``years`` may cover the first months of the indices only (a contract's term): the
    euro windows still read the later months. ``from_contract_year`` (a bool, or one per
    path, shape ``(n_paths,)``): both terms are 1 in the first operating year and the
    euro is measured from that year's 12-month average (the contract year as the base).
    """
    n_months, n_life = len(years), fx.shape[-1]
    # each year's CPI ratio once, then spread to the year's months (one gather from a small table)
    year_starts, year_of_month = np.unique(12 * (years - 1), return_inverse=True)
    cpi_term = (cpi[..., year_starts] / cpi[..., :1])[..., year_of_month.reshape(-1)]
    before = _euro_before_operation(fx, fx_before)
    latest_offset = offset.reshape(-1, n_months).max(axis=0) if offset.size else offset  # over the paths first
    n_after = max(int((np.arange(n_months) + latest_offset).max()) - (n_life - 1), 0)
    shape = np.broadcast_shapes(before.shape[:-1], fx.shape[:-1], offset.shape[:-1])
    # 0, then the running sum of the euro: 12 months before operation, the life, after it
    cumulative = np.empty((*shape, 1 + 12 + n_life + n_after))
    cumulative[..., 0] = 0.0
    cumulative[..., 1:13] = before
    cumulative[..., 13 : 13 + n_life] = fx
    if n_after:
        cumulative[..., 13 + n_life :] = _euro_after_life(fx, n_after)
    np.cumsum(cumulative[..., 1:], axis=-1, out=cumulative[..., 1:])
    # the euro's sum over the 12 months up to each month: window[..., j] sums months j-12 .. j-1
    window = cumulative[..., 12:] - cumulative[..., :-12]
    last = offset + (np.arange(n_months) + 1)  # the window ending with each month's window end
    if last.ndim == 1:
        window_sum = window[..., last]
    else:  # each path's own window end: one gather from the flattened windows
        last += np.arange(window.shape[0])[:, None] * window.shape[-1]
        window_sum = np.take(window.reshape(-1), last)
    euro_average = np.divide(window_sum, 12.0, out=window_sum if window_sum.flags.owndata else None)
    euro_term = euro_average / (cumulative[..., 12:13] / 12.0)
    contract_year = np.asarray(from_contract_year, dtype=bool)
    if contract_year.any():
        n_first = min(12, n_life)  # the contract year: the first operating year's months
        first_year = (cumulative[..., 12 + n_first : 13 + n_first] - cumulative[..., 12:13]) / n_first
        from_first = np.divide(euro_average, first_year, out=euro_average if euro_average.ndim > 1 else None)
        from_first[..., years == 1] = 1.0
        if not contract_year.ndim:
            return cpi_term, from_first
        choose = contract_year[..., None]
        if np.broadcast_shapes(choose.shape, euro_term.shape) != euro_term.shape:  # one index for many paths
            return cpi_term, np.where(choose, from_first, euro_term)
        np.copyto(euro_term, from_first, where=choose)  # np.where(choose, from_first, euro_term), in place
    return cpi_term, euro_term


def _step_factor(step_downs: tuple[tuple[int, float], ...], years: np.ndarray) -> np.ndarray:
    """The step-down factor in force in each month (1.0 before the first step)."""
    if not step_downs:
        return np.ones(len(years))
    step_years = np.array([year for year, _ in step_downs])
    factors = np.array([1.0] + [factor for _, factor in step_downs])
    return factors[np.searchsorted(step_years, years, side="right")]


def _guaranteed_price(tariff: GuaranteedPurchaseTariff, years, cpi, fx, fx_before, lag=None):
    offset = None
    if tariff.euro_window_end == "payment_month":
        if lag is None:
            raise InputError(
                "tariff.euro_window_end = 'payment_month' needs the months from each energy "
                "month to its payment (months_to_payment=, from solarcoop.payment)"
            )
        offset = lag
    coefficient = indexation_coefficient(
        tariff.cpi_weight, pd.DataFrame({"operating_year": years}), cpi, fx, fx_before, offset, tariff.indexation_base
    )
    contract = (
        tariff.base_price_rial_per_kwh
        * tariff.local_content_multiplier
        * coefficient
        * _yearly_escalation(tariff.escalation_per_year, years)
        * _step_factor(tariff.step_downs, years)
    )
    if tariff.after_term is None:
        after = 0.0
    else:
        after = _PRICERS[type(tariff.after_term)](tariff.after_term, years, cpi, fx, fx_before, lag)
    return np.where(years <= tariff.term_years, contract, after)


def contracts_priced_by_path(contracts) -> bool:
    """Whether :func:`guaranteed_price_by_path` can price these contract variants: all
    guaranteed purchases sharing their term and what follows it (a flat or market price,
    or nothing), with no time of use of their own."""
    first = contracts[0]
    return all(
        isinstance(c, GuaranteedPurchaseTariff)
        and c.term_years == first.term_years
        and c.after_term == first.after_term
        and c.time_of_use is None
        and (c.after_term is None or isinstance(c.after_term, FlatTariff | MarketTariff))
        for c in contracts
    )


def guaranteed_price_by_path(
    contracts, which, months, cpi_index, fx_index, fx_index_before_operation=None, months_to_payment=None
) -> np.ndarray:
    """The price of each path under a contract of its own [rial/kWh], all paths at once.

    Path ``i`` is paid under ``contracts[which[i]]``: the same numbers as
    :func:`price_rial_per_kwh` for that contract on that path alone (the same operations
    on each element), without pricing the paths contract by contract. A Monte Carlo
    prices its paths' drawn readings of the tariff this way.

    Parameters
    ----------
    contracts : sequence of GuaranteedPurchaseTariff
        Variants that may differ in base price, local-content multiplier, CPI weight,
        escalation, step-downs and euro window, and share their term and what follows it
        (:func:`contracts_priced_by_path`).
    which : array_like of int
        Each path's contract [-], shape (n_paths,).
    months : pandas.DataFrame
        Accounting months.
    cpi_index, fx_index : array_like
        Indices per path and month [-], shape (n_paths, n_months).
    fx_index_before_operation : array_like, optional
        As for :func:`price_rial_per_kwh`.
    months_to_payment : array_like of int, optional
        Months from each energy month to its payment on each path [months], shape
        (n_months,) or (n_paths, n_months); needed when a contract's euro window ends at
        the payment month.

    Returns
    -------
    numpy.ndarray
        Price [rial/kWh], shape (n_paths, n_months).
    """
    if not contracts_priced_by_path(contracts):
        raise InputError(
            "guaranteed_price_by_path prices guaranteed-purchase contracts that share their term "
            f"and what follows it; got {contracts!r}"
        )
    years = operating_years(months)
    n_months = len(years)
    cpi = _check_index("cpi_index", cpi_index, n_months)
    fx = _check_index("fx_index", fx_index, n_months)
    which = np.asarray(which, dtype=int)
    first = contracts[0]
    term = years <= first.term_years  # the contract's months come first (years never fall)
    n_term = int(term.sum())
    price = np.empty(np.broadcast_shapes(cpi.shape, fx.shape, which.shape + (1,)))
    if n_term:
        _contract_price(contracts, which, years[:n_term], cpi, fx, fx_index_before_operation, months_to_payment, price[..., :n_term])
    if n_term < n_months:  # the months after the contract take the price that follows it
        after_term = ~term
        if first.after_term is None:
            price[..., n_term:] = 0.0
        elif isinstance(first.after_term, MarketTariff):  # priced for those months only
            price[..., n_term:] = _market_price(first.after_term, years, cpi, fx, fx_index_before_operation, within=after_term)
        else:
            after = _PRICERS[type(first.after_term)](first.after_term, years, cpi, fx, fx_index_before_operation)
            price[..., n_term:] = np.broadcast_to(after, price.shape)[..., after_term]
    return price


def _contract_price(contracts, which, years, cpi, fx, fx_before, months_to_payment, out) -> None:
    """Each path's contract price in the contract's months (``years``, the first months of
    the indices), written into ``out``: the operations of indexation_coefficient and
    _guaranteed_price, in place."""
    n_months = len(years)
    at_payment = np.array([c.euro_window_end == "payment_month" for c in contracts])
    offset = np.zeros(n_months, dtype=int)
    if at_payment.any():
        if months_to_payment is None:
            raise InputError(
                "tariff.euro_window_end = 'payment_month' needs the months from each energy "
                "month to its payment (months_to_payment=, from solarcoop.payment)"
            )
        lag = np.asarray(months_to_payment, dtype=int)
        if lag.shape[-1] != cpi.shape[-1] or (lag < 0).any():
            raise InputError(f"months_to_payment has shape {lag.shape}: expected (..., {cpi.shape[-1]}) months >= 0")
        offset = np.where(at_payment[which][:, None], lag[..., :n_months], 0)
    from_contract_year = np.array([c.indexation_base == "contract_year" for c in contracts])[which]
    cpi_term, euro_term = _indexation_terms(years, cpi, fx, fx_before, offset, from_contract_year)
    weight = np.array([c.cpi_weight for c in contracts])[which][:, None]
    cpi_term = np.broadcast_to(cpi_term, euro_term.shape).copy() if cpi_term.shape != euro_term.shape else cpi_term
    contract = np.multiply(weight, cpi_term, out=cpi_term)
    contract += np.multiply(1.0 - weight, euro_term, out=euro_term)
    np.round(contract, 5, out=contract)
    level = np.array([c.base_price_rial_per_kwh * c.local_content_multiplier for c in contracts])
    escalation = np.stack([_yearly_escalation(c.escalation_per_year, years) for c in contracts])
    steps = np.stack([_step_factor(c.step_downs, years) for c in contracts])
    contract *= level[which][:, None]  # level x coefficient: a product is the same either way
    if (escalation != 1.0).any():  # times 1.0 changes no number: skipped when nothing escalates
        contract *= escalation[which]
    np.multiply(contract, steps[which], out=out)


def _switching_price(tariff: SwitchingTariff, years, cpi, fx, fx_before, lag=None):
    first = _PRICERS[type(tariff.first)](tariff.first, years, cpi, fx, fx_before, lag)
    start = 12 * (tariff.switch_operating_year - 1)
    if start >= years.size:
        return first
    if isinstance(tariff.then, MarketTariff):  # a market price runs on calendar time
        then = _PRICERS[MarketTariff](tariff.then, years, cpi, fx, fx_before, lag)[..., start:]
    else:  # a contract taken up at the switch counts its years and indexation from there
        later = np.s_[..., start:]
        contract_years = years[start:] - (tariff.switch_operating_year - 1)
        after_term = getattr(tariff.then, "after_term", None)
        contract = (
            dataclasses.replace(tariff.then, after_term=None) if after_term is not None else tariff.then
        )
        then = _PRICERS[type(contract)](
            contract, contract_years, cpi[later], fx[later], fx[..., start - 12 : start],
            None if lag is None else lag[start:],
        )
        if after_term is not None:  # what follows the contract runs on calendar time again
            after = _PRICERS[type(after_term)](after_term, years, cpi, fx, fx_before, lag)[later]
            then = np.where(contract_years <= contract.term_years, then, after)
    shape = np.broadcast_shapes(np.shape(first), np.shape(then)[:-1] + (years.size,))
    price = np.array(np.broadcast_to(first, shape), dtype=float)
    price[..., start:] = then
    return price


_PRICERS = {
    FlatTariff: _flat_price,
    MarketTariff: _market_price,
    GuaranteedPurchaseTariff: _guaranteed_price,
    SwitchingTariff: _switching_price,
}


def price_rial_per_kwh(
    tariff: Tariff, months, cpi_index, fx_index, fx_index_before_operation=None, months_to_payment=None
) -> np.ndarray:
    """The price paid for the energy of each accounting month [rial/kWh].

    Parameters
    ----------
    tariff : FlatTariff or MarketTariff or GuaranteedPurchaseTariff or SwitchingTariff
        The tariff.
    months : pandas.DataFrame
        Accounting months (:func:`solarcoop.calendar.accounting_months`); operating year
        1 is the first twelve months.
    cpi_index, fx_index : array_like
        CPI and euro-rate indices (:func:`solarcoop.economy.cpi_index`,
        :func:`solarcoop.economy.fx_index`), shape ``(n_months,)`` or
        ``(n_paths, n_months)``; only their ratios to month 0 matter.
    fx_index_before_operation : array_like, optional
        Euro-rate index over the 12 months before operation, shape ``(..., 12)``; see
        :func:`indexation_coefficient`.
    months_to_payment : array_like of int, optional
        Months from each energy month to the cash payment of its bill, shape
        ``(n_months,)`` (:func:`solarcoop.payment.months_to_payment`); needed by a
        contract whose ``euro_window_end`` is ``"payment_month"``.

    Returns
    -------
    numpy.ndarray
        Price [rial/kWh], shape ``np.broadcast_shapes(cpi_index.shape, fx_index.shape)``.

    Examples
    --------
    A flat 40,000 rial/kWh rising 10 % a year, in months 0, 12 and 24:

    >>> from solarcoop.calendar import accounting_months
    >>> months = accounting_months("2026-03-21", 25)
    >>> price = price_rial_per_kwh(FlatTariff(40_000, 0.1), months, np.ones(25), np.ones(25))
    >>> price[[0, 12, 24]].round(6).tolist()
    [40000.0, 44000.0, 48400.0]
    """
    if type(tariff) not in _PRICERS:
        raise InputError(f"tariff = {tariff!r} is not a tariff kind solarcoop knows")
    years = operating_years(months)
    cpi = _check_index("cpi_index", cpi_index, len(years))
    fx = _check_index("fx_index", fx_index, len(years))
    shape = np.broadcast_shapes(cpi.shape, fx.shape)
    lag = None
    if months_to_payment is not None:
        lag = check_array("months_to_payment", months_to_payment, length=len(years), minimum=0).astype(int)
    price = _PRICERS[type(tariff)](tariff, years, cpi, fx, fx_index_before_operation, lag)
    return np.array(np.broadcast_to(price, shape), dtype=float)
