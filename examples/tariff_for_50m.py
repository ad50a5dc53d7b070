"""What tariff gives every family 50 million rial net a month in year 1 (and in year 2)?

Net means after the family's share-loan instalment. Both come from
:func:`solarcoop.goal_seek` on the single run: year 1 from the summary, year 2 from the
annual table (``COLUMN_yearN`` names a column of ``result.annual`` in year N).
"""

# %%
import solarcoop as sc

TARGET_RIAL = 50e6
BOUNDS_RIAL_PER_KWH = (20_000, 500_000)


def main() -> dict:
    """Base tariffs [rial/kWh] that bring the mean monthly money of a family after its instalment to 50 million rial."""
    scenario = sc.qom_baseline()
    year1 = sc.goal_seek(
        scenario,
        "tariff.base_price_rial_per_kwh",
        ("family_cash_flow_rial_mean_year1", TARGET_RIAL),
        bounds=BOUNDS_RIAL_PER_KWH,
    )
    year2 = sc.goal_seek(
        scenario,
        "tariff.base_price_rial_per_kwh",
        ("family_cash_flow_rial_mean_year2", TARGET_RIAL),
        bounds=BOUNDS_RIAL_PER_KWH,
    )
    return {
        "today_rial_per_kwh": scenario.tariff.base_price_rial_per_kwh,
        "year1_rial_per_kwh": year1.value,
        "year2_rial_per_kwh": year2.value,
    }


# %%
if __name__ == "__main__":
    answer = main()
    print(f"Base tariff today:                    {answer['today_rial_per_kwh']:>9,.0f} rial/kWh")
    print(f"Needed for 50 million rial in year 1: {answer['year1_rial_per_kwh']:>9,.0f} rial/kWh")
    print(f"Needed for 50 million rial in year 2: {answer['year2_rial_per_kwh']:>9,.0f} rial/kWh")
