"""What would a 20 % cut in the guaranteed-purchase price do to the whole programme?

A synthetic programme table (solarcoop.programme.synthetic: no plant in it is real; its
counts, sizes, start months and provinces are drawn from public figures) is run twice on
the same futures: as contracted, and with every contract's base price cut by a fifth. The
plants here are the support-class cohort (contract years 1402 to 1404, when the
households of support institutions got their own price), a small sample to run quickly.
"""

# %%
import solarcoop as sc
from solarcoop.present.programme_report import report_year, year_figures
from solarcoop.programme.synthetic import synthetic_table

N_PLANTS = 40
"""Plants drawn before the cohort is kept [plants]."""
N_PATHS = 12
CUT = 0.20
"""The price cut [fraction of every contract's base price]."""


def cohort(n_plants: int = N_PLANTS, seed: int = 0):
    """The home plants of the synthetic table that started in 1402 to 1404."""
    table = synthetic_table(n_plants, seed=seed, include_aggregated=False)
    year = table["start_month"].str.slice(0, 4).astype(int)
    return table[year.between(1402, 1404)].reset_index(drop=True)


def main() -> dict:
    """The programme's total paid to families next year, as contracted and after the cut [rial]."""
    table = cohort()
    contracted = sc.programme(table, n_paths=N_PATHS, seed=0)
    cut = sc.programme(
        table, n_paths=N_PATHS, seed=0, changes={"tariff.base_price_rial_per_kwh": lambda price: (1 - CUT) * price}
    )
    year = report_year(contracted)
    before, after = year_figures(contracted, year), year_figures(cut, year)
    return {
        "year": year,
        "plants": len(table),
        "families": int(table["families"].sum()),
        "paid_p50_rial": before["paid_p50_rial"],
        "paid_p50_cut_rial": after["paid_p50_rial"],
        "paid_p90_rial": before["paid_p90_rial"],
        "paid_p90_cut_rial": after["paid_p90_rial"],
        "pocket_p50": before["pocket_p50"],
        "pocket_p50_cut": after["pocket_p50"],
    }


# %%
if __name__ == "__main__":
    answer = main()
    print(f"{answer['plants']} synthetic plants, {answer['families']} families, year {answer['year']}:")
    print(
        f"paid to families {answer['paid_p50_rial'] / 1e9:,.1f} billion rial (P50) as contracted, "
        f"{answer['paid_p50_cut_rial'] / 1e9:,.1f} billion after a {CUT:.0%} price cut"
    )
    print(f"families paying from their own pocket in a mean month: {answer['pocket_p50']:,.0f} -> {answer['pocket_p50_cut']:,.0f}")
