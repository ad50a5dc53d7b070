"""The report's page for a bank and the cooperative office: the project's yardsticks as SAM,
PVsyst and RETScreen users read them.

- NPV in real money at the scenario's real discount rate (``Result.summary``) and in
  money of the day at the nominal rate that rate makes with the first year's inflation,
  ``(1 + real) (1 + inflation) - 1`` (:func:`solarcoop.finance.npv_rial` over the same
  project flows the summary uses); project IRR (nominal and real), the families' equity
  IRR (their shares, real), LCOE, the lowest DSCR and the payback: all from the summary,
  except the project's payback year, the first year its cumulative cash flow in money of
  the day is no longer negative;
- the project's cash flow by Jalali year: the capital cost at the start, then the year's
  revenue collected, operating costs, tax, replacement and end-of-life spending, the cash
  flow before financing and its running total, and the cooperative's debt service;
- year-one energy P50 / P90 / P99 from the year-to-year spread of the weather years,
  PVsyst-style: the mean of the years' energy, less 1.28 and 2.33 standard deviations
  (a normal distribution; weather only, no model uncertainty);
- a loss diagram from plane of array to meter (:func:`solarcoop.plant.loss_breakdown`
  on the single run's weather) and the performance ratio (energy at the meter over the
  plane-of-array irradiation times the DC nameplate, IEC 61724).

Nothing here models: every figure is a column of the result, a sum of one, or a library
function applied to them.
"""

from __future__ import annotations

from statistics import NormalDist

import numpy as np
import pandas as pd

from solarcoop.finance import npv_rial
from solarcoop.present.locales import catalog
from solarcoop.present.text import (
    BILLION,
    digits,
    format_number,
    format_percent,
    month_text,
)

PROJECT_FLOWS = (
    "revenue_collected_rial", "operating_costs_rial", "tax_paid_rial", "replacement_spent_rial", "end_of_life_rial"
)
"""The monthly lines the project's cash flow is made of (before financing) [rial]."""

EXCEEDANCE = (0.5, 0.9, 0.99)
"""The P-values of energy shown: exceeded with 50, 90 and 99 % probability."""


def project_cash_flow(result) -> pd.DataFrame:
    """The project's cash flow by operating year, in money of the day [rial].

    Row 0 is the capital cost (spent before the first month); then one row per operating
    year: ``revenue_collected_rial``, ``operating_costs_rial``, ``tax_rial`` (the tax paid that year),
    ``replacement_and_end_rial``, ``project_cash_flow_rial`` (revenue less the rest),
    ``cumulative_rial`` and ``debt_service_rial`` (the cooperative's, after the project
    flows), with the year's ``label`` (its Jalali years).
    """
    monthly = result.monthly
    yearly = monthly.groupby("operating_year")[list(PROJECT_FLOWS) + ["debt_service_rial"]].sum()
    table = pd.DataFrame(
        {
            "label": result.annual["label"].reindex(yearly.index),
            "revenue_collected_rial": yearly["revenue_collected_rial"],
            "operating_costs_rial": yearly["operating_costs_rial"],
            "tax_rial": yearly["tax_paid_rial"],  # the tax that left the cash that year
            "replacement_and_end_rial": yearly["replacement_spent_rial"] + yearly["end_of_life_rial"],
            "debt_service_rial": yearly["debt_service_rial"],
        }
    )
    table["project_cash_flow_rial"] = (
        table["revenue_collected_rial"] - table["operating_costs_rial"] - table["tax_rial"] - table["replacement_and_end_rial"]
    )
    start = pd.DataFrame(
        {"label": [""], "project_cash_flow_rial": [-float(result.summary["capital_cost_rial"])]}, index=[0]
    )
    table = pd.concat([start, table]).fillna({column: 0.0 for column in table.columns if column != "label"})
    table["cumulative_rial"] = table["project_cash_flow_rial"].cumsum()
    return table


def nominal_rate_per_year(result) -> float:
    """The nominal discount rate: the real rate compounded with year one's inflation [fraction/year]."""
    inflation = result.scenario.economy.inflation_per_year
    first = inflation[0] if isinstance(inflation, tuple) else inflation
    return (1 + result.scenario.costs.discount_rate_real_per_year) * (1 + first) - 1


def project_npv_nominal_rial(result) -> float:
    """NPV of the project's monthly cash flow in money of the day, at :func:`nominal_rate_per_year` [rial]."""
    monthly = result.monthly
    flows = monthly["revenue_collected_rial"] - sum(monthly[column] for column in PROJECT_FLOWS[1:])
    cash = np.concatenate([[-float(result.summary["capital_cost_rial"])], flows.to_numpy()])
    return float(npv_rial(nominal_rate_per_year(result), cash))


def loss_steps(result) -> pd.Series | None:
    """Year-one energy after each step from plane of array to meter [kWh], on the single
    run's weather; ``None`` when the run's energy was the planner's own (no physics ran)."""
    from solarcoop import weather
    from solarcoop.plant import loss_breakdown

    if result.hourly_energy_kwh is None:
        return None
    scenario = result.scenario
    data = weather.resolve(scenario.weather, scenario.site, scenario.weather_fill_gaps_hours, scenario.weather_accept)
    steps = loss_breakdown(scenario.plant, data, scenario.site)
    if not np.isclose(steps["at_meter"], result.hourly_energy_kwh.sum(), rtol=1e-9):
        return None  # the run's energy did not come from this weather
    return steps


def performance_ratio(steps: pd.Series) -> float:
    """Energy at the meter over the plane-of-array irradiation times the DC nameplate [-]."""
    return float(steps["at_meter"] / steps["poa_nominal"])


def energy_exceedance(result) -> dict:
    """Year-one energy at the meter exceeded with 50, 90 and 99 % probability [kWh].

    From the weather years of the Monte Carlo (:func:`solarcoop.studies.montecarlo.energy_tables`),
    PVsyst-style: P50 is the mean of the years' year-one energy, P90 and P99 lie 1.28 and
    2.33 standard deviations (between years, ``ddof=1``) below it. Returns ``{"years": n,
    "P50": ..., "P90": ..., "P99": ...}``; with the planner's own energy (no physics), the
    single run's year one, ``years`` 1.
    """
    from solarcoop.studies.montecarlo import energy_tables

    year_one = result.monthly["operating_year"].to_numpy() == 1
    if result.hourly_energy_kwh is None:
        energy = np.array([result.monthly.loc[year_one, "energy_kwh"].sum()])
    else:
        table, _, _ = energy_tables(result.scenario, result.monthly)
        energy = table[:, year_one].sum(axis=-1)
    mean = float(energy.mean())
    spread = float(energy.std(ddof=1)) if len(energy) > 1 else 0.0
    out = {"years": len(energy)}
    for probability in EXCEEDANCE:
        out[f"P{round(probability * 100)}"] = mean + NormalDist().inv_cdf(1 - probability) * spread
    return out


def draw_losses(steps: pd.Series, ax, lang: str) -> None:
    """The loss diagram: each step's share of the plane-of-array energy, as bars [%]."""
    words = catalog(lang)["bank"]
    names = catalog(lang)["loss_steps"]
    energy = steps.to_numpy()
    taken = -np.diff(energy) / energy[0]
    labels = [names[name.removeprefix("after_")] for name in steps.index[1:]]
    keep = np.abs(taken) > 1e-6
    labels = [label for label, kept in zip(labels, keep, strict=True) if kept]
    taken = taken[keep]
    y = np.arange(len(taken))[::-1]
    ax.barh(y, taken * 100, color="firebrick")
    ax.set_yticks(y, labels, fontsize="small")
    for position, share in zip(y, taken, strict=True):
        ax.text(share * 100, position, " " + format_percent(share, lang, 1), va="center",
                ha="left", fontsize="small")  # fmt: skip
    ax.xaxis.set_major_formatter(lambda value, _: format_number(value, lang, None))
    ax.set_xlabel(words["loss_axis"])
    ax.set_xlim(0, max(taken.max() * 100 * 1.25, 1))
    ax.set_title(words["loss_title"].format(
        poa=format_number(energy[0] / 1e3, lang), meter=format_number(energy[-1] / 1e3, lang)), fontsize=9)  # fmt: skip


def _billion(value_rial: float, lang: str) -> str:
    return format_number(value_rial / BILLION, lang, 1)


def figure_rows(result, lang: str, steps, energy: dict) -> list[list[str]]:
    """``[[figure, value]]`` of the bank's yardsticks, each value with its unit."""
    words = catalog(lang)["bank"]
    summary = result.summary
    cash = project_cash_flow(result)
    rate = summary["discount_rate_real_per_year"]
    paid_back = cash.index[(cash["cumulative_rial"] >= 0).to_numpy()]
    project_payback = (
        words["payback_year"].format(year=format_number(paid_back[0], lang), label=digits(cash.loc[paid_back[0], "label"], lang))
        if len(paid_back) else words["never"]
    )  # fmt: skip
    coverage = summary["debt_service_coverage_ratio_min"]

    def percent(value) -> str:
        return words["none"] if not np.isfinite(value) else format_percent(value, lang, 1)

    rows = [
        [words["npv_real"].format(rate=format_percent(rate, lang, 1)), words["billion_rial"].format(value=_billion(summary["project_npv_real_rial"], lang))],
        [words["npv_nominal"].format(rate=format_percent(nominal_rate_per_year(result), lang, 1)), words["billion_rial"].format(value=_billion(project_npv_nominal_rial(result), lang))],
        [words["irr_project_nominal"], percent(summary["project_irr_nominal_per_year"])],
        [words["irr_project_real"], percent(summary["project_irr_real_per_year"])],
        [words["irr_equity_real"], percent(summary["family_share_irr_real_per_year"])],
        [words["lcoe"], words["rial_per_kwh"].format(value=format_number(summary["levelised_cost_real_rial_per_kwh"], lang))],
        [words["payback_project"], project_payback],
        [words["payback_share"], month_text(summary["family_share_payback_label"], result.scenario.calendar, lang)
         if isinstance(summary["family_share_payback_label"], str) else words["never"]],
        [words["dscr_min"], words["no_debt"] if not np.isfinite(coverage) else format_number(coverage, lang, 2)],
    ]  # fmt: skip
    if steps is not None:
        rows.append([words["performance_ratio"], format_percent(performance_ratio(steps), lang, 1)])
    for name in ("P50", "P90", "P99"):
        rows.append([words["energy_p"].format(p=name), words["mwh"].format(value=format_number(energy[name] / 1e3, lang))])
    return rows


def cash_flow_rows(result, lang: str) -> list[list[str]]:
    """The project's cash flow by Jalali year, in billion rial of the day."""
    words = catalog(lang)["bank"]
    rows = []
    for year, row in project_cash_flow(result).iterrows():
        label = words["start_row"] if year == 0 else digits(f"{year} ({row['label']})", lang)
        rows.append([label] + [
            _billion(row[column], lang)
            for column in ("revenue_collected_rial", "operating_costs_rial", "tax_rial", "replacement_and_end_rial",
                           "project_cash_flow_rial", "cumulative_rial", "debt_service_rial")
        ])  # fmt: skip
    return rows


SENSITIVITY_FIGURES = ("project_npv_real_rial", "project_irr_real_per_year", "levelised_cost_real_rial_per_kwh")
"""The bank's yardsticks whose sensitivity the report shows, read from the tornado's own runs
(:func:`solarcoop.studies.sweeps.sensitivity` with ``also=``)."""


def sensitivity_rows(sensitivity, lang: str) -> list[list[str]]:
    """``[[input (low / high), NPV low / high, IRR low / high, LCOE low / high]]``, the input
    that moves the real NPV most first; empty when ``sensitivity`` lacks the figures."""
    from solarcoop.present.plots import parameter_label
    from solarcoop.present.text import is_percent_label, parameter_value_text

    if sensitivity is None or not all(f"low_{name}" in sensitivity for name in SENSITIVITY_FIGURES):
        return []
    npv, irr, lcoe = SENSITIVITY_FIGURES
    swing = (sensitivity[f"high_{npv}"] - sensitivity[f"low_{npv}"]).abs().fillna(-1.0).to_numpy()
    rows = []
    for _, row in sensitivity.iloc[np.argsort(-swing, kind="stable")].iterrows():
        label = parameter_label(row["parameter"], lang)
        name, percent = label.split(" [")[0], is_percent_label(label)
        ends = " / ".join(parameter_value_text(row[key], lang, percent) for key in ("low_value", "high_value"))

        def pair(name_: str, shown, row=row) -> str:
            return " / ".join(shown(row[f"{end}_{name_}"]) for end in ("low", "high"))

        rows.append([
            f"{name} ({ends})",
            pair(npv, lambda value: _billion(value, lang)),
            pair(irr, lambda value: "—" if not np.isfinite(value) else format_percent(value, lang, 1)),
            pair(lcoe, lambda value: format_number(value, lang)),
        ])  # fmt: skip
    return rows


def energy_method(result, lang: str, energy: dict) -> str:
    """The sentence that says how the energy P-values were found."""
    words = catalog(lang)["bank"]
    if energy["years"] == 1:
        return words["energy_method_single"]
    return words["energy_method"].format(years=format_number(energy["years"], lang))
