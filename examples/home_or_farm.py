"""Which serves a Qom family better with its 150-million-toman loan: a rooftop plant of its
own, a share in an aggregated farm, or a share in the Qom cooperative?

The Relief Committee builds 5 kW rooftop home plants (more than 22,000 so far; YJC
9008210, 30 Sep 2025) and aggregated farms with client families as shareholders (Gomishan:
1.4 MW, 280 families at 5 kW; ILNA, 3 Sep 2025). The same loan goes into each; the family's
month is what reaches it less its instalment, with its sign.
"""

# %%
import solarcoop as sc

N_PATHS = 500


def main(n_paths: int = N_PATHS) -> dict:
    """Per option: years 1, 2, 5 and 10 (P50 and P90 of the family's money after its
    instalment, in real money: each scenario's real money month), out-of-pocket
    months, the loan's end, the family's real IRR on its share and its payback month."""
    comparison = sc.compare_options(n_paths=n_paths, seed=0)
    years = comparison.by_year.loc[(slice(None), [1, 2, 5, 10]), :]
    return {"comparison": comparison, "years": years, "summary": comparison.summary}


# %%
if __name__ == "__main__":
    answer = main()
    years = answer["years"]
    for option, row in answer["summary"].iterrows():
        print(f"{option}: {row['capacity_kwp_per_family']:g} kW a family, "
              f"{row['energy_kwh_per_family_year1']:,.0f} kWh in year 1, sold for "
              f"{row['sales_per_family_rial_mean_year1'] / 1e6:,.1f} million rial a month")
        for (_, year), money in years.loc[[option]].iterrows():
            print(f"  year {year:>2}: P50 {money['family_cash_flow_real_rial_p50'] / 1e6:6.1f}, "
                  f"P90 {money['family_cash_flow_real_rial_p90'] / 1e6:6.1f} million rial a month "
                  f"(money of {row['real_base_month_label']}, after the instalment)")
        print(f"  {row['months_paid_from_pocket']} months paid from its own pocket "
              f"({row['months_paid_from_pocket_p90']:.0f} in a bad case), loan repaid {row['loan_paid_off_label']}, "
              f"real IRR on the share {row['family_share_irr_real_per_year']:.1%}, paid back {row['family_share_payback_label']}")
