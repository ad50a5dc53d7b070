"""Run a scenario: physics once per weather year, then money over (paths x months) arrays.

:func:`simulate` is one path of the same engine the Monte Carlo uses: the stages are
called in the order of the data flow, each a pure function of arrays.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd

from solarcoop import economy as economy_stage
from solarcoop import payment as payment_stage
from solarcoop import plant as plant_stage
from solarcoop import tariff as tariff_stage
from solarcoop import weather as weather_stage
from solarcoop._validation import InputError, check_array
from solarcoop.calendar import accounting_months, day_of_year_index
from solarcoop.cooperative import book_months, family_payouts, operating_costs_rial
from solarcoop.finance import irr_per_year, loan_schedule
from solarcoop.scenario import Scenario

DAYS_PER_TYPICAL_YEAR = 365
_TYPICAL_YEAR = 2025  # a non-leap year after Iran dropped daylight saving time


@dataclasses.dataclass(frozen=True)
class EnergyProfile:
    """One typical year of energy, by day of year, before degradation.

    Attributes
    ----------
    energy_kwh : numpy.ndarray
        Energy at the meter on each day of a 365-day year [kWh/day], shape (..., 365).
    priced_energy_kwh : numpy.ndarray
        The same weighted by the time-of-use coefficient of each hour [kWh/day];
        equal to ``energy_kwh`` without time of use.
    hourly_energy_kwh : pandas.Series or None
        The hourly energy it came from, when there was one.
    """

    energy_kwh: np.ndarray
    priced_energy_kwh: np.ndarray
    hourly_energy_kwh: pd.Series | None = None


def _daily_profile(values, index: pd.DatetimeIndex) -> np.ndarray:
    """Mean energy on each day of a 365-day year from timestamped values [kWh/day]."""
    dates = index.tz_localize(None).normalize() if index.tz is not None else index.normalize()
    day = day_of_year_index(dates)
    total = np.bincount(day, weights=np.asarray(values, float), minlength=DAYS_PER_TYPICAL_YEAR)
    distinct_dates = pd.Series(day).groupby(dates.to_numpy()).first()
    count = np.bincount(distinct_dates.to_numpy(), minlength=DAYS_PER_TYPICAL_YEAR)
    if (count == 0).any():
        missing = pd.Timestamp(f"{_TYPICAL_YEAR}-01-01") + pd.Timedelta(days=int(np.argmax(count == 0)))
        raise InputError(
            f"the energy or weather data cover no hour of {missing:%d %B}: a whole year is needed"
        )
    return total / count


def profile_from_hourly(hourly_energy_kwh: pd.Series, tariff) -> EnergyProfile:
    """Daily profile of a year of hourly energy, priced through the tariff's time of use."""
    time_of_use = getattr(tariff, "time_of_use", None)
    coefficients = (
        1.0
        if time_of_use is None
        else tariff_stage.time_of_use_coefficients(time_of_use, hourly_energy_kwh.index)
    )
    index = hourly_energy_kwh.index
    return EnergyProfile(
        energy_kwh=_daily_profile(hourly_energy_kwh.to_numpy(), index),
        priced_energy_kwh=_daily_profile(hourly_energy_kwh.to_numpy() * coefficients, index),
        hourly_energy_kwh=hourly_energy_kwh,
    )


def energy_profile(scenario: Scenario, energy=None) -> EnergyProfile:
    """The scenario's typical year of energy: from the physics, or from the planner's own.

    Parameters
    ----------
    scenario : Scenario
    energy : None or array_like
        ``None`` runs pvlib on the scenario's weather. Otherwise year-one energy at the
        meter [kWh]: 12 values (January to December) or 8,760 hourly values (from
        1 January 00:00 local time), for example from PVsyst or the meter.
    """
    if energy is None:
        weather = weather_stage.resolve(scenario.weather, scenario.site)
        hourly = plant_stage.hourly_energy(scenario.plant, weather, scenario.site)
        return profile_from_hourly(hourly, scenario.tariff)
    values = np.asarray(energy, float)
    if values.shape == (12,):
        check_array("energy", values, length=12, minimum=0)
        days = pd.date_range(f"{_TYPICAL_YEAR}-01-01", periods=DAYS_PER_TYPICAL_YEAR, freq="D")
        daily = values[days.month - 1] / days.days_in_month.to_numpy()
        if getattr(scenario.tariff, "time_of_use", None) is not None:
            raise InputError(
                "energy: 12 monthly values cannot be priced by time of use; give 8,760 hourly values"
            )
        return EnergyProfile(energy_kwh=daily, priced_energy_kwh=daily)
    if values.shape == (8760,):
        check_array("energy", values, length=8760, minimum=0)
        index = pd.date_range(
            f"{_TYPICAL_YEAR}-01-01", periods=8760, freq="h", tz=scenario.site.timezone
        )
        return profile_from_hourly(pd.Series(values, index=index, name="energy_kwh"), scenario.tariff)
    raise InputError(
        f"energy has shape {values.shape}: give 12 monthly or 8,760 hourly values [kWh]"
    )


def monthly_energy_kwh(daily_kwh: np.ndarray, months: pd.DataFrame) -> np.ndarray:
    """Sum a typical year's daily energy into each accounting month of the life [kWh].

    ``daily_kwh`` has shape (..., 365); the result (..., n_months). A real date takes the
    energy of the same day of the typical year (29 February takes 28 February's).
    """
    days = pd.date_range(months["start_date"].iloc[0], months["end_date"].iloc[-1], inclusive="left")
    daily_life = np.take(daily_kwh, day_of_year_index(days), axis=-1)
    first_day = np.concatenate([[0], np.cumsum(months["days"].to_numpy())[:-1]])
    return np.add.reduceat(daily_life, first_day, axis=-1)


def money_paths(
    scenario: Scenario,
    months: pd.DataFrame,
    energy_kwh: np.ndarray,
    priced_energy_kwh: np.ndarray,
    cpi_index: np.ndarray,
    fx_index: np.ndarray,
) -> dict[str, np.ndarray]:
    """Every money line of every month, for one or many paths.

    Parameters
    ----------
    scenario : Scenario
    months : pandas.DataFrame
        From :func:`solarcoop.calendar.accounting_months`.
    energy_kwh, priced_energy_kwh : numpy.ndarray
        Energy sold each month after degradation [kWh], shape (..., n_months).
    cpi_index, fx_index : numpy.ndarray
        Consumer prices and euro rate relative to the first month [-], (..., n_months).

    Returns
    -------
    dict of numpy.ndarray
        Arrays of shape (..., n_months) named as the columns of ``Result.monthly``, and
        ``revenue_owed_at_end_rial`` of shape (...).
    """
    price = tariff_stage.price_rial_per_kwh(scenario.tariff, months, cpi_index, fx_index)
    billed = priced_energy_kwh * price
    collected, owed_at_end = payment_stage.collect(billed, scenario.payment)
    costs = scenario.costs
    capacity_kwp = scenario.plant.capacity_kwp
    cost_index = (
        cpi_index
        if costs.escalation_per_year is None
        else economy_stage.index_from_yearly_rates(
            np.full(scenario.lifetime_years, costs.escalation_per_year), months
        )
    )
    operating_costs = operating_costs_rial(costs, capacity_kwp, energy_kwh, cost_index)
    capital_rial = costs.capital_cost_rial_per_kwp * capacity_kwp
    n_months = len(months)
    families = scenario.cooperative.families
    smoothing = scenario.cooperative.smoothing_months or scenario.payment.billing_months
    books = book_months(
        collected_rial=collected,
        operating_costs_rial=operating_costs,
        depreciation_rial=capital_rial / n_months,
        operating_year=months["operating_year"].to_numpy(),
        cooperative=scenario.cooperative,
        share_capital_rial=families * scenario.loan.principal_rial,
        smoothing_months=smoothing,
    )
    schedule = loan_schedule(scenario.loan, n_months)
    instalment = schedule["instalment_rial"].to_numpy()
    per_family = books["distributed_rial"] / families
    family = family_payouts(per_family, instalment)
    return {
        "energy_kwh": energy_kwh,
        "priced_energy_kwh": priced_energy_kwh,
        "price_rial_per_kwh": np.broadcast_to(price, energy_kwh.shape),
        "cpi_index": np.broadcast_to(cpi_index, energy_kwh.shape),
        "revenue_billed_rial": billed,
        "revenue_collected_rial": collected,
        "operating_costs_rial": np.broadcast_to(operating_costs, energy_kwh.shape),
        **books,
        "distribution_per_family_rial": per_family,
        "loan_instalment_per_family_rial": np.broadcast_to(instalment, energy_kwh.shape),
        "paid_to_lender_per_family_rial": family["paid_to_lender_rial"],
        "arrears_per_family_rial": family["arrears_rial"],
        "payout_per_family_rial": family["payout_rial"],
        "payout_per_family_real_rial": family["payout_rial"] / cpi_index,
        "loan_balance_per_family_rial": np.broadcast_to(
            schedule["balance_rial"].to_numpy(), energy_kwh.shape
        ),
        "revenue_owed_at_end_rial": owed_at_end,
    }


@dataclasses.dataclass(frozen=True, eq=False)
class Result:
    """What a scenario pays, month by month.

    Attributes
    ----------
    scenario : Scenario
        The inputs.
    monthly : pandas.DataFrame
        One row per accounting month; money in rial, energy in kWh.
    annual : pandas.DataFrame
        One row per operating year.
    summary : pandas.Series
        Headline figures, units in their names.
    hourly_energy_kwh : pandas.Series or None
        Year-one hourly energy at the meter, when the physics ran.
    """

    scenario: Scenario
    monthly: pd.DataFrame
    annual: pd.DataFrame
    summary: pd.Series
    hourly_energy_kwh: pd.Series | None = None


FLOW_COLUMNS = (
    "energy_kwh",
    "revenue_billed_rial",
    "revenue_collected_rial",
    "operating_costs_rial",
    "tax_rial",
    "legal_reserve_rial",
    "precautionary_reserve_rial",
    "reserves_rial",
    "education_fee_rial",
    "distributed_rial",
)
PER_FAMILY_COLUMNS = (
    "distribution_per_family_rial",
    "loan_instalment_per_family_rial",
    "payout_per_family_rial",
    "payout_per_family_real_rial",
)


def _annual_table(monthly: pd.DataFrame, capacity_kwp: float) -> pd.DataFrame:
    by_year = monthly.groupby("operating_year")
    annual = by_year[list(FLOW_COLUMNS)].sum()
    annual.insert(0, "label", by_year["label"].first().str[:4])
    annual["specific_yield_kwh_per_kwp"] = annual["energy_kwh"] / capacity_kwp
    annual["price_rial_per_kwh_mean"] = annual["revenue_billed_rial"] / monthly.groupby("operating_year")["priced_energy_kwh"].sum()
    stats = by_year[list(PER_FAMILY_COLUMNS)].agg(["mean", "min", "max"])
    stats.columns = [f"{column}_{stat}" for column, stat in stats.columns]
    annual = annual.join(stats)
    annual["cash_balance_rial_end"] = by_year["cash_balance_rial"].last()
    annual["loan_balance_per_family_rial_end"] = by_year["loan_balance_per_family_rial"].last()
    annual["arrears_per_family_rial_end"] = by_year["arrears_per_family_rial"].last()
    return annual


def _summary(scenario: Scenario, monthly: pd.DataFrame, annual: pd.DataFrame, owed_at_end_rial: float) -> pd.Series:
    year1 = annual.loc[1]
    capital_rial = scenario.costs.capital_cost_rial_per_kwp * scenario.plant.capacity_kwp
    project_cash = (
        monthly["revenue_collected_rial"] - monthly["operating_costs_rial"] - monthly["tax_rial"]
    ).to_numpy()
    flows = np.concatenate([[-capital_rial], project_cash])
    real_flows = np.concatenate([[-capital_rial], project_cash / monthly["cpi_index"].to_numpy()])
    paid_off = monthly.index[
        (monthly["loan_balance_per_family_rial"] <= 0.5) & (monthly["arrears_per_family_rial"] <= 0.5)
    ]
    summary = {
        "energy_kwh_year1": year1["energy_kwh"],
        "specific_yield_kwh_per_kwp_year1": year1["specific_yield_kwh_per_kwp"],
        "price_rial_per_kwh_mean_year1": year1["price_rial_per_kwh_mean"],
        "revenue_billed_rial_year1": year1["revenue_billed_rial"],
        **{
            f"{column}_{stat}_year1": year1[f"{column}_{stat}"]
            for column in PER_FAMILY_COLUMNS
            for stat in ("mean", "min", "max")
        },
        "loan_paid_off_label": monthly.loc[paid_off[0], "label"] if len(paid_off) else "not within the life",
        "months_distribution_below_instalment": int(
            (monthly["distribution_per_family_rial"] < monthly["loan_instalment_per_family_rial"] - 0.5).sum()
        ),
        "family_arrears_end_rial": monthly["arrears_per_family_rial"].iloc[-1],
        "revenue_owed_at_end_rial": float(owed_at_end_rial),
        "project_irr_nominal_per_year": irr_per_year(flows),
        "project_irr_real_per_year": irr_per_year(real_flows),
        "capital_cost_rial": capital_rial,
    }
    return pd.Series(summary, name=scenario.name, dtype=object)


def simulate(scenario: Scenario, energy=None) -> Result:
    """Run one scenario through the plant's life.

    Parameters
    ----------
    scenario : Scenario
        For example :func:`solarcoop.qom_baseline`.
    energy : None or array_like
        Year-one energy at the meter the planner already has [kWh], 12 monthly
        (January-December) or 8,760 hourly values, in place of the physics; degradation
        still applies in later years.

    Returns
    -------
    Result
        ``monthly``, ``annual`` and ``summary``.
    """
    if not isinstance(scenario, Scenario):
        raise InputError(f"scenario = {scenario!r} must be a Scenario (see solarcoop.qom_baseline)")
    months = accounting_months(scenario.start_date, 12 * scenario.lifetime_years, scenario.calendar)
    profile = energy_profile(scenario, energy)
    degradation = plant_stage.degradation_factor(
        scenario.plant.degradation_per_year, months["operating_year"].to_numpy()
    )
    energy_kwh = monthly_energy_kwh(profile.energy_kwh, months) * degradation
    priced_kwh = monthly_energy_kwh(profile.priced_energy_kwh, months) * degradation
    cpi = economy_stage.cpi_index(scenario.economy, months)
    fx = economy_stage.fx_index(scenario.economy, months)
    lines = money_paths(scenario, months, energy_kwh, priced_kwh, cpi, fx)
    owed_at_end = lines.pop("revenue_owed_at_end_rial")
    monthly = pd.concat(
        [
            months[["operating_year", "label", "start_date", "end_date", "days"]],
            pd.DataFrame(lines, index=months.index),
        ],
        axis=1,
    )
    monthly["revenue_owed_rial"] = (
        monthly["revenue_billed_rial"].cumsum() - monthly["revenue_collected_rial"].cumsum()
    )
    annual = _annual_table(monthly, scenario.plant.capacity_kwp)
    summary = _summary(scenario, monthly, annual, owed_at_end)
    return Result(
        scenario=scenario,
        monthly=monthly,
        annual=annual,
        summary=summary,
        hourly_energy_kwh=profile.hourly_energy_kwh,
    )
