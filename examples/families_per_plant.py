"""How many families can a 3 MW plant carry at 50 million rial a month, after the instalment, in year 1?

Every family keeps its own 1.5-billion-rial share loan. The question only makes sense if
the families own the whole plant: by default the plant cost what their shares paid (the
central reading of who paid it), and the part a costlier plant's shares would not pay is a
grant here (``funding.gap_filled_by = "grant"``), so fewer families means a larger share of
the distribution for each, against the same instalment. (With sponsor equity filling a
gap, each family would own only its own 1.5e9 rial of the plant, whatever their number.)
"""

# %%
import solarcoop as sc

TARGET_RIAL = 50e6


def main() -> dict:
    """The largest number of families whose year-1 mean monthly money of a family after its instalment reaches 50 million rial."""
    scenario = sc.qom_baseline().with_changes({"funding.gap_filled_by": "grant"})
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
