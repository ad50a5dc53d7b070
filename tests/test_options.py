"""One family's choice: home plant, farm share or cooperative, with the same loan."""

import numpy as np
import numpy_financial as npf
import pytest

import solarcoop as sc
from solarcoop import InputError
from solarcoop.studies import options


@pytest.fixture(scope="module")
def short_options():
    """The three default options over two years (the loan repaid in 18 months), 10 paths."""
    return {
        name: scenario.with_changes({"lifetime_years": 2})
        for name, scenario in options.default_options().items()
    }


@pytest.fixture(scope="module")
def comparison(short_options):
    loan = sc.Loan(principal_rial=1.5e9, annual_rate=0.04, term_months=18)
    return options.compare_options(short_options, loan=loan, n_paths=10, seed=1)


def test_the_presets_hold_their_cited_shapes():
    home = options.home_plant()
    assert (home.cooperative.families, home.plant.capacity_kwp) == (1, 5.0)
    assert home.tariff.base_price_rial_per_kwh == 30_000.0  # 3,000 toman (Hamedan, IRIB 5585575)
    assert home.costs.om_rial_per_kwp_year == home.costs.management_rial_per_year == 0.0
    assert home.cooperative.income_tax_rate == home.cooperative.legal_reserve_share == 0.0
    assert home.share_price_rial == home.loan.principal_rial == sc.toman(150e6)
    farm = options.aggregated_farm()
    assert (farm.plant.capacity_kwp, farm.cooperative.families) == (1_400.0, 280)  # Gomishan
    assert farm.plant.capacity_kwp / farm.cooperative.families == 5.0
    assert farm.promise is None and farm.name == "Qom cooperative, 280 families, 1.4 MW"


def test_a_home_plants_income_is_its_energy_times_its_price_all_paid_to_the_one_family():
    home = options.home_plant().with_changes(
        {"costs.inverter_replacement_share_of_capital": 0.0, "lifetime_years": 2}
    )
    monthly = sc.simulate(home).monthly
    np.testing.assert_allclose(
        monthly["revenue_billed_rial"], monthly["priced_energy_kwh"] * monthly["price_rial_per_kwh"], rtol=1e-12
    )
    # nothing in between: every rial collected reaches the family, the month it is collected
    assert (monthly[["operating_costs_rial", "tax_rial", "reserves_rial", "education_fee_rial"]] == 0).all().all()
    np.testing.assert_allclose(monthly["distribution_per_family_rial"], monthly["distributed_rial"], rtol=1e-12)
    # (and the interest the money earns in the bank while it waits for the monthly payout)
    received = monthly["revenue_collected_rial"].sum() + monthly["interest_earned_rial"].sum()
    assert monthly["distribution_per_family_rial"].sum() == pytest.approx(received, abs=1)


def test_the_familys_month_is_its_distribution_less_its_instalment_with_its_sign(comparison):
    for name, result in comparison.results.items():
        assert result.scenario.loan.term_months == 18  # the same loan in every option
        monthly = result.monthly
        flow = (monthly["distribution_per_family_rial"] - monthly["loan_instalment_per_family_rial"]).to_numpy()
        if result.scenario.loan.shortfall == "arrears":  # withheld: what is short is a debt, not a payment
            owed = monthly["arrears_per_family_rial"].to_numpy()
            flow = flow + owed - np.r_[0.0, owed[:-1]]
            assert (flow >= -1e-6).all()
        np.testing.assert_allclose(monthly["family_cash_flow_rial"].to_numpy(), flow, atol=1e-3)
        by_year = comparison.by_year.loc[name]
        np.testing.assert_allclose(by_year["family_cash_flow_rial"], flow.reshape(2, 12).mean(axis=1), atol=1e-3)
        # real money: of the promise's month (Shahrivar 1404, seven months before the start) or, without one, the first
        before = 7 if result.scenario.promise is not None else 0
        assert result.scenario.real_money_month == ("1404-06" if before else "1405-01")
        real = flow / monthly["cpi_index"].to_numpy() / 1.35 ** (before / 12)
        np.testing.assert_allclose(by_year["family_cash_flow_real_rial"], real.reshape(2, 12).mean(axis=1), atol=1e-3)
        row = comparison.summary.loc[name]
        assert row["months_paid_from_pocket"] == int((flow < -0.5).sum())
        assert row["paid_from_pocket_per_family_real_rial_total"] == pytest.approx(-real[flow < -0.5].sum())
        clear = (monthly["loan_balance_per_family_rial"] < 0.5) & (monthly["arrears_per_family_rial"] < 0.5)
        if clear.any():
            assert row["loan_paid_off_label"] == monthly["label"].iloc[max(17, int(np.argmax(clear.to_numpy())))]
        else:  # withheld instalments still owed at the end of the two years
            assert row["loan_paid_off_label"] == "not within the life" and monthly["arrears_per_family_rial"].iloc[-1] > 0.5
        # P90 is exceeded with 90 % probability: never above the P50
        assert (by_year["family_cash_flow_rial_p90"] <= by_year["family_cash_flow_rial_p50"]).all()


def test_the_familys_real_irr_and_payback_are_on_its_share(comparison):
    result = comparison.results["Qom cooperative"]
    received = result.monthly["distribution_per_family_real_rial"].to_numpy()
    flows = np.concatenate([[-1.5e9 / 1.35 ** (7 / 12)], received])  # the share, paid at the start, in the same money
    monthly_rate = npf.irr(flows)
    expected = (1 + monthly_rate) ** 12 - 1 if np.isfinite(monthly_rate) else np.nan
    assert comparison.summary.loc["Qom cooperative", "family_share_irr_real_per_year"] == pytest.approx(expected, abs=1e-6, nan_ok=True)
    assert received.sum() < -flows[0]  # two years do not pay a share back
    assert comparison.summary.loc["Qom cooperative", "family_share_payback_label"] == "not within the life"


def test_more_plant_per_family_for_the_same_share_sells_more():
    loan = sc.Loan()
    small = options.aggregated_farm(capacity_kwp=1_400.0, families=280).with_changes({"lifetime_years": 1})
    large = options.aggregated_farm(capacity_kwp=2_100.0, families=280).with_changes({"lifetime_years": 1})
    both = options.compare_options({"5 kW": small, "7.5 kW": large}, loan=loan, n_paths=10)
    sales = both.summary["sales_per_family_rial_mean_year1"]
    assert sales["7.5 kW"] == pytest.approx(1.5 * sales["5 kW"], rel=1e-9)


@pytest.mark.parametrize("lang", ["en", "fa"])
def test_the_chart_draws_p50_and_p90_for_each_option(comparison, lang):
    from matplotlib.figure import Figure

    ax = comparison.plot(Figure().add_subplot(), lang=lang)
    drawn = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    assert len(drawn) == 2 * len(comparison.scenarios)
    home = comparison.by_year.loc["home plant"]
    np.testing.assert_allclose(drawn[0].get_ydata(), home["family_cash_flow_real_rial_p50"])
    np.testing.assert_allclose(drawn[1].get_ydata(), home["family_cash_flow_real_rial_p90"])
    assert drawn[0].get_label() == {"en": "home plant: P50", "fa": "نیروگاه خانگی: میانه"}[lang]


@pytest.mark.parametrize(
    ("kwargs", "words"),
    [
        ({"options": {}}, "must map names to Scenarios"),
        ({"options": {"x": 1}}, "must map names to Scenarios"),
        ({"loan": 1.5e9}, "loan = 1500000000.0 must be a Loan"),
        ({"n_paths": 5}, "n_paths = 5 is out of range"),
    ],
)
def test_bad_inputs_are_refused(kwargs, words):
    with pytest.raises(InputError, match=words):
        options.compare_options(**kwargs)


def test_the_chart_is_drawn_by_the_plots_and_reads_only_the_comparison(comparison):
    from matplotlib.figure import Figure

    ax = sc.plots.options_payout(comparison, Figure().add_subplot(), real=False)
    drawn = [line for line in ax.get_lines() if not line.get_label().startswith("_")]
    home = comparison.by_year.loc["home plant"]
    np.testing.assert_array_equal(drawn[0].get_ydata(), home["family_cash_flow_rial_p50"])
    np.testing.assert_array_equal(drawn[1].get_ydata(), home["family_cash_flow_rial_p90"])
    same = comparison.plot(Figure().add_subplot(), real=False)
    assert [line.get_label() for line in same.get_lines()] == [line.get_label() for line in ax.get_lines()]
    with pytest.raises(sc.InputError, match="lang"):
        sc.plots.options_payout(comparison, lang="de")
