"""What monthly money, after its loan instalment, can a family count on in year 5 (P90)?

P90 is the figure exceeded on 90 % of the Monte Carlo futures: weather, inflation, the
euro rate, the tariff's indexation, payment delays, availability, dust and degradation,
each drawn as the scenario's ``uncertainty`` says.
"""

# %%
import solarcoop as sc

N_PATHS = 1_000
SEED = 0
METRIC = "family_cash_flow_rial_mean_year5"


def main(n_paths: int = N_PATHS, seed: int = SEED) -> dict:
    """P90, P50 and P10 of the year-5 mean monthly money per family after its instalment [rial]."""
    result = sc.monte_carlo(sc.qom_baseline(), n_paths=n_paths, seed=seed)
    return {p: result.exceedance(METRIC, p / 100) for p in (90, 50, 10)} | {"monte_carlo": result}


# %%
if __name__ == "__main__":
    answer = main()
    print(f"Year-5 money per family a month after its instalment ({N_PATHS:,} futures, seed {SEED}):")
    for p in (90, 50, 10):
        print(f"  P{p}: {answer[p] / 1e6:,.1f} million rial")
