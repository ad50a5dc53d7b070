"""What does washing every 15 days instead of monthly change, all year round?

The Qom baseline washes every 15 days in the dusty season (June to November) and monthly
otherwise. This compares washing monthly all year with washing every 15 days all year.
"""

# %%
import solarcoop as sc
from solarcoop.studies.headline import first_year_money_moves

PATH = "plant.losses.soiling.cleaning_interval_days"


def main() -> dict:
    """Year-1 energy [kWh] for each schedule, and the family's mean monthly money after its
    instalment [rial] in the first year it moves (year 1 when the instalments are not withheld;
    under the baseline's withheld instalments year 1 is 0 with either schedule, and the gain
    shows in year 2)."""
    baseline = sc.qom_baseline()
    monthly = sc.simulate(baseline.with_changes({PATH: (30,) * 12}))
    fortnightly = sc.simulate(baseline.with_changes({PATH: (15,) * 12}))
    answer = {"money_year": first_year_money_moves(monthly)}
    for name, result in (("monthly", monthly), ("15_days", fortnightly)):
        answer[f"energy_kwh_{name}"] = float(result.summary["energy_kwh_year1"])
        in_year = result.monthly["operating_year"] == answer["money_year"]
        answer[f"payout_rial_{name}"] = float(result.monthly.loc[in_year, "family_cash_flow_rial"].mean())
    answer["energy_gain_fraction"] = answer["energy_kwh_15_days"] / answer["energy_kwh_monthly"] - 1
    answer["payout_gain_rial"] = answer["payout_rial_15_days"] - answer["payout_rial_monthly"]
    return answer


# %%
if __name__ == "__main__":
    answer = main()
    print(
        f"Year-1 energy: {answer['energy_kwh_monthly'] / 1e3:,.0f} MWh washing monthly, "
        f"{answer['energy_kwh_15_days'] / 1e3:,.0f} MWh every 15 days "
        f"(+{answer['energy_gain_fraction']:.2%})"
    )
    print(
        f"Year-{answer['money_year']} money per family a month after its instalment: "
        f"{answer['payout_rial_monthly'] / 1e6:,.2f} -> {answer['payout_rial_15_days'] / 1e6:,.2f} "
        f"million rial (+{answer['payout_gain_rial'] / 1e6:,.2f}; washing costs not included)"
    )
