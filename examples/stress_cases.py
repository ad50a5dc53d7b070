"""What happens to a family's month in the cases a funder asks about?

Each stress case is one alternative of one disputed fact (`sc.disputed.STRESS_CASES`): the
low tariff (30,000 rial/kWh), half the revenue paid in bonds a year late, step-downs of
x0.6 at each step, no tax exemption, the euro at purchasing-power parity. Each is one
line: `sc.stress(scenario, "low_tariff")`. The single run of each, against the baseline.
"""

# %%
import pandas as pd

import solarcoop as sc

YEARS = (2, 8)


def main() -> dict:
    """The family's mean monthly cash flow (after its instalment, in money of Shahrivar 1404,
    the promise's month)
    in years 2 and 8, for the baseline and each stress case [rial]."""
    base = sc.qom_baseline()
    cases = {"baseline": base} | {case: sc.stress(base, case) for case in sc.disputed.STRESS_CASES}
    rows = {}
    for name, scenario in cases.items():
        annual = sc.simulate(scenario).annual
        rows[name] = {f"year{year}_real_rial": annual.loc[year, "family_cash_flow_real_rial_mean"] for year in YEARS}
    return {"table": pd.DataFrame.from_dict(rows, orient="index")}


# %%
if __name__ == "__main__":
    table = main()["table"]
    print("family cash flow after the instalment, mean month, million rial of Farvardin 1405")
    print((table / 1e6).to_string(float_format=lambda v: f"{v:,.1f}"))
