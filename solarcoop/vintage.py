"""A plant that started in the past: its contract year's terms and its published months.

:func:`started` turns any scenario into one whose operation began in a past Jalali
month. Its contract's base price, term and step rule come from SATBA's table for that
contract year (:func:`solarcoop.tariff.vintage_contract`); its economy carries the
published CPI and official euro from the start to the last published month
(:mod:`solarcoop.history`), which :func:`solarcoop.economy.join_history` fixes on every
path; only the months after that are drawn. ``sc.home_plant(start="1397-07")`` and
``sc.qom_baseline(start="1399-01")`` are this function.

Months the history does not hold are filled by named methods (``cpi_fill``,
``euro_fill``; :data:`solarcoop.history.FILL_METHODS`), or refused when the fill is
``None``; :func:`past_months` says which months were filled and how.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from solarcoop import history
from solarcoop._validation import InputError
from solarcoop.calendar import from_jalali
from solarcoop.scenario import Scenario
from solarcoop.tariff import GuaranteedPurchaseTariff, central_contract, vintage_contract

DEFAULT_CPI_FILL = "log_linear"
"""How a past month the CPI file does not hold is filled, by default (named, marked)."""

DEFAULT_EURO_FILL = "log_linear_cpi_ratio"
"""How a past month the euro file does not hold is filled, by default (named, marked)."""


TABLE_DECIDES = ("tariff_level", "step_downs")
"""Readings (:mod:`solarcoop.disputed`) a contract year's table decides: a started plant's
Monte Carlo does not draw them. The readings of the indexation formula itself (the CPI
weight, where the euro window ends) are still drawn: they are uncertain for a past
contract too, so a past month's price is fixed on every path that shares them."""


def past_months(start: str, cpi_fill: str | None = DEFAULT_CPI_FILL, euro_fill: str | None = DEFAULT_EURO_FILL) -> pd.DataFrame:
    """The published months of a plant started in ``start``: CPI and official euro from
    12 months before it to :func:`solarcoop.history.common_last_month`.

    Returns
    -------
    pandas.DataFrame
        Indexed by month label: ``cpi``, ``euro_rial_per_eur``, ``cpi_method`` and
        ``euro_method`` (``"sourced"`` or the fill's name), ``operating`` (True from
        ``start`` on). Empty when ``start`` is after the last published month.

    Examples
    --------
    >>> frame = past_months("1404-06")
    >>> frame["operating"].sum(), frame.loc["1404-06", "cpi_method"]
    (np.int64(2), 'sourced')
    """
    history.parse_month(start, "start")
    last = history.common_last_month()
    if start > last:
        return pd.DataFrame(columns=["cpi", "euro_rial_per_eur", "cpi_method", "euro_method", "operating"])
    first = history.shift_month(start, -12)
    cpi = history.monthly("cpi", first, last, fill=cpi_fill)
    euro = history.monthly("euro_official", first, last, fill=euro_fill)
    frame = pd.DataFrame(
        {
            "cpi": cpi["value"],
            "euro_rial_per_eur": euro["value"],
            "cpi_method": cpi["method"],
            "euro_method": euro["method"],
        }
    )
    frame["operating"] = frame.index >= start
    needed = (frame["operating"] & frame["cpi"].isna()) | frame["euro_rial_per_eur"].isna()
    if needed.any():
        months = ", ".join(frame.index[needed][:6]) + (" ..." if needed.sum() > 6 else "")
        raise InputError(
            f"start = {start!r}: the history does not hold the CPI or euro of {months}; name a fill "
            f"(cpi_fill / euro_fill: {', '.join(history.FILL_METHODS)}) or start later"
        )
    return frame


def started(
    scenario: Scenario,
    start: str,
    *,
    support: bool = False,
    cpi_fill: str | None = DEFAULT_CPI_FILL,
    euro_fill: str | None = DEFAULT_EURO_FILL,
    contract_year: int | None = None,
) -> Scenario:
    """``scenario`` with operation from the Jalali month ``start`` (``"1397-07"``).

    Parameters
    ----------
    scenario : Scenario
        The plant; its capacity decides the size class.
    start : str
        First month of operation, which is also the contract year.
    support : bool
        A plant of households under a support institution (their own class from 1402).
    cpi_fill, euro_fill : str or None
        Named fills for months the history does not hold; ``None`` refuses such months.
    contract_year : int, optional
        The Jalali year whose contract terms the plant has, when not its start's year (a
        plant contracted in 1399 and connected in 1400).

    Returns
    -------
    Scenario
        Start date, tariff (the contract year's base price, term and step rule, the
        scenario's other contract terms kept; a scenario whose tariff is not a guaranteed
        purchase takes :func:`~solarcoop.tariff.central_contract`'s terms), economy (the published past) and the
        readings drawn (without :data:`TABLE_DECIDES`) changed.

    Examples
    --------
    >>> import solarcoop as sc
    >>> plant = started(sc.home_plant(), "1397-07")
    >>> plant.start_date, plant.tariff.base_price_rial_per_kwh, len(plant.economy.history_cpi)
    (datetime.date(2018, 9, 23), 8000.0, 85)
    """
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} must be a Scenario")
    year, month = history.parse_month(start, "start")
    contract = scenario.tariff if isinstance(scenario.tariff, GuaranteedPurchaseTariff) else central_contract()
    terms_year = year if contract_year is None else int(contract_year)
    tariff = vintage_contract(terms_year, scenario.plant.capacity_kwp, support, contract)
    economy = scenario.economy
    past = past_months(start, cpi_fill, euro_fill)
    if not past.empty:
        operating = past[past["operating"]]
        before = past[~past["operating"]]["euro_rial_per_eur"].to_numpy()
        economy = dataclasses.replace(
            economy,
            cpi_start=float(operating["cpi"].iloc[0]),
            euro_rate_start_rial_per_eur=float(operating["euro_rial_per_eur"].iloc[0]),
            euro_rate_before_operation_rial_per_eur=tuple(np.round(before, 6).tolist()),
            history_cpi=tuple(np.round(operating["cpi"].to_numpy(), 9).tolist()),
            history_euro_rate_rial_per_eur=tuple(np.round(operating["euro_rial_per_eur"].to_numpy(), 6).tolist()),
        )
    # the table decides the contract's level and step rule: those readings are not drawn for it
    readings = tuple(name for name in scenario.uncertainty.readings if name not in TABLE_DECIDES)
    uncertainty = dataclasses.replace(scenario.uncertainty, readings=readings)
    return dataclasses.replace(
        scenario, start_date=from_jalali(year, month, 1), tariff=tariff, economy=economy, uncertainty=uncertainty
    )
