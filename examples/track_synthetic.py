"""The plant is running: eight made-up months against the plan, and a forecast from there.

``examples/actuals_synthetic_example.csv`` is SYNTHETIC: no cooperative reported these
figures. It was written by :func:`make_synthetic_actuals` from the Qom baseline's own
plan with known changes, so that the calibration can be seen to find them:

- the meter reads 7 % under the plan (x 0.93, with 3 % month-to-month noise), and one
  month's reading (1405-04) is missing; a station near the plant measured 2 % less
  sunshine than the plan's year (x 0.98, 2 % noise), so the plant itself made about 5 %
  less than its model;
- bills come to 2 % above the plan's price;
- the buyer pays 5 months after each two-month bill (plan: 2) and only 60 % in cash
  (plan: all), the rest not yet paid;
- the cooperative distributed 6 billion rial in 1405-07, its first cash month;
- consumer prices rise about 45 % a year (plan: 35 %), the official euro about 55 %.

Run ``solarcoop track examples/actuals_synthetic_example.csv`` for the same in a report.
"""

# %%
from pathlib import Path

import numpy as np
import pandas as pd

import solarcoop as sc
from solarcoop.payment import Payment, collect
from solarcoop.studies.tracking import plan_irradiation_kwh_per_m2

ACTUALS = Path(__file__).resolve().parent / "actuals_synthetic_example.csv"
MONTHS = 8


def make_synthetic_actuals(scenario=None) -> pd.DataFrame:
    """The synthetic file's rows, from the scenario's plan and the changes above."""
    scenario = sc.qom_baseline() if scenario is None else scenario
    plan = sc.simulate(scenario).monthly.iloc[:MONTHS]
    rng = np.random.default_rng(1405)
    energy = (0.93 * (1 + 0.03 * rng.standard_normal(MONTHS)) * plan["energy_kwh"].to_numpy()).round()
    billed = (1.02 * energy * plan["price_rial_per_kwh"].to_numpy()).round()
    collected, _ = collect(billed, Payment(billing_months=2, delay_months=5, cash_share=0.6))
    distributed = np.zeros(MONTHS)
    distributed[6] = 6e9
    month = np.arange(MONTHS)
    cpi = (480.0 * 1.45 ** (month / 12) * (1 + 0.002 * rng.standard_normal(MONTHS))).round(1)
    euro = (1_150_000 * 1.55 ** (month / 12) * (1 + 0.01 * rng.standard_normal(MONTHS))).round(-2)
    sunshine = 0.98 * (1 + 0.02 * rng.standard_normal(MONTHS))
    irradiation = (sunshine * plan_irradiation_kwh_per_m2(scenario)[:MONTHS]).round(1)
    frame = pd.DataFrame(
        {
            "month": plan["label"].to_numpy(),
            "energy_kwh": energy,
            "billed_rial": billed,
            "collected_rial": collected.round(),
            "bonds_rial": 0.0,
            "distributed_rial": distributed,
            "cpi_index": cpi,
            "euro_rial": euro,
            "irradiation_kwh_per_m2": irradiation,
        }
    )
    frame.loc[3, "energy_kwh"] = np.nan  # the meter reading of 1405-04 was lost
    whole = ["energy_kwh", "billed_rial", "collected_rial", "bonds_rial", "distributed_rial", "euro_rial"]
    return frame.astype({column: "Int64" for column in whole})


def main(n_paths: int = 1_000) -> dict:
    """Track the synthetic months; return the calibration, the causes and the headline."""
    tracking = sc.track(sc.qom_baseline(), ACTUALS, n_paths=n_paths, seed=0)
    headline = tracking.headline
    return {
        "tracking": tracking,
        "energy_factor": float(tracking.calibration.loc["energy_factor", "estimate"]),
        "delay_months": int(tracking.calibration.loc["delay_months", "estimate"]),
        "cash_share": float(tracking.calibration.loc["cash_share", "estimate"]),
        "gap_per_family_rial": float(tracking.explained.loc["total", "gap_per_family_rial"]),
        "forecast_p50_next12_rial": float(headline.loc["family_cash_flow_rial_mean_next12", "forecast_P50"]),
        "plan_p50_next12_rial": float(headline.loc["family_cash_flow_rial_mean_next12", "plan_P50"]),
    }


if __name__ == "__main__":
    from solarcoop.present.tracking_report import summary_lines

    print("\n".join(summary_lines(main()["tracking"])))
