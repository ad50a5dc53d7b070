"""How many families can a 3 MW plant carry at 50 million rial a month, after the instalment, in year 1?

Every family keeps its own 1.5-billion-rial share loan. The question only makes sense for a
plant of a given cost that the families own whole, whatever their number: here the plant
costs 30 million toman per kW (the market cost of the readings in which the shares do not
pay all of it) and the part their shares do not pay is a grant
(``funding.gap_filled_by = "grant"``), so fewer families means a larger share of the
distribution for each, against the same instalment. (With sponsor equity filling the gap,
each family would own only its own 1.5e9 rial of the plant, whatever their number; in the
baseline the plant cost what the 400 shares paid.)
"""

# %%
import solarcoop as sc

TARGET_RIAL = 50e6


def main() -> dict:
    """The largest number of families whose year-1 mean monthly money of a family after its instalment reaches 50 million rial."""
    scenario = sc.qom_baseline().with_changes({"costs.capital_cost_rial_per_kwp": 3.0e8, "funding.gap_filled_by": "grant"})
    found = sc.goal_seek(
        scenario,
        "cooperative.families",
        ("family_cash_flow_rial_mean_year1", TARGET_RIAL),
        bounds=(10, scenario.cooperative.families),
    )
    return {
        "capacity_kwp": scenario.plant.capacity_kwp,
        "families": int(found.value),
        "payout_rial": found.achieved,
        "reached": found.reached,
    }


# %%
if __name__ == "__main__":
    answer = main()
    print(
        f"A {answer['capacity_kwp'] / 1000:g} MW plant carries {answer['families']} families at "
        f"{answer['payout_rial'] / 1e6:,.1f} million rial a month after its instalment in year 1 (target 50)"
    )
