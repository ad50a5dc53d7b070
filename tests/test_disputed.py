"""Disputed facts as readings: the table, what each alternative changes, and how the Monte Carlo draws them."""

import dataclasses

import numpy as np
import pytest

import solarcoop as sc
from solarcoop import InputError, disputed
from solarcoop.calendar import accounting_months
from solarcoop.economy import Economy, fx_index, fx_index_before_operation
from solarcoop.engine import funding
from solarcoop.studies.montecarlo import draw_block
from solarcoop.tariff import indexation_coefficient


def test_every_alternative_has_a_source_a_reason_and_a_probability():
    table = sc.readings()
    assert set(table["reading"]) == set(disputed.READING_NAMES)
    assert table["source"].str.len().min() > 10 and table["reason"].str.len().min() > 10
    sums = table.groupby("reading")["probability"].sum()
    np.testing.assert_allclose(sums.to_numpy(), 1.0)
    assert (table.groupby("reading")["central"].sum() == 1).all()
    # the indexation weight's chance is the uncertainty's own
    other = sc.Uncertainty(indexation_reading_probability=0.4)
    row = sc.readings(other).set_index(["reading", "alternative"]).loc[("indexation_weight", "weight_on_euro")]
    assert row["probability"] == 0.4


def test_the_central_alternative_holds_the_weighted_median():
    # ordered from least to most favourable: 0.35 | 0.25 | 0.40 -> the median falls in the second
    assert disputed.reading("tariff_level").central == "households_38000"
    assert disputed.reading("step_downs").central == "three_even_steps_to_0_6"  # 0.20 | 0.35 | 0.45
    assert disputed.reading("tax").central == "standard_18_75"  # 0.60 | 0.30 | 0.10
    assert disputed.reading("euro_window").central == "payment_month"  # 0.40 | 0.60
    assert disputed.reading("funding_gap").central == "shares_cover_the_cost"  # 0.10 | 0.15 | 0.20 | 0.55
    assert disputed.reading("loan_grace").central == "none"  # 0.15 | 0.25 | 0.60
    assert disputed.reading("payout").central == "quarterly_net_after_first_quarter"  # 0.20 | 0.45 | 0.35


def test_the_baseline_is_the_central_reading_of_every_fact():
    scenario = sc.qom_baseline()
    assert scenario.tariff.base_price_rial_per_kwh == disputed.TARIFF_LEVELS_RIAL_PER_KWH["households_38000"]
    assert scenario.tariff.step_downs == disputed.STEP_DOWNS["three_even_steps_to_0_6"]
    assert scenario.tariff.euro_window_end == "payment_month"
    assert scenario.tariff.indexation_base == "operation_start"
    for field, value in disputed.PAYMENT_TERMS["part_cash_rest_in_yearly_lumps"].items():
        assert getattr(scenario.payment, field) == value, field
    for field, value in disputed.TAX_TERMS["standard_18_75"].items():
        assert getattr(scenario.cooperative, field) == value, field
    assert scenario.economy.fx_real_drift_per_year == pytest.approx(1.40 / 1.35 - 1)
    # the shares pay the whole plant: 400 x 1.5e9 rial over 3,000 kWp, no gap
    assert scenario.costs.capital_cost_rial_per_kwp is None  # what the stated sources paid
    sources = funding(scenario)
    assert sources["capital_cost_rial"] == 400 * 1.5e9 and sources["gap_rial"] == 0
    assert sources["sponsor_equity_rial"] == 0 and sources["sponsor_share_of_distributions"] == 0
    # the other readings: a 900 bn plant whose 300 bn gap the named source fills
    for alternative, key in (("grant", "grant_rial"), ("sponsor_equity", "sponsor_equity_rial"), ("debt", "debt_rial")):
        moved = funding(disputed.apply(scenario, "funding_gap", alternative))
        assert moved["capital_cost_rial"] == 9e11 and moved[key] == moved["gap_rial"] == 3e11, alternative
    # a cooperative whose shares pay more than the market cost: the gap readings leave no gap
    rich = scenario.with_changes({"cooperative.families": 700})
    assert funding(disputed.apply(rich, "funding_gap", "debt"))["gap_rial"] == 0
    assert scenario.loan.grace_months == 0
    # Abarkuh's practice: every third month after the first quarter, net of the instalments
    assert (scenario.cooperative.payout_cadence, scenario.cooperative.first_payout_month_index) == ("quarterly", 3)
    assert scenario.loan.shortfall == "arrears"
    for item in disputed.READINGS:  # the central alternative leaves the baseline as it is
        assert not disputed.differs_from_central(scenario, item.name), item.name
        moved = disputed.apply(scenario, item.name, item.central)
        for part in ("tariff", "payment", "cooperative", "funding", "loan", "costs", "economy"):
            assert getattr(moved, part) == getattr(scenario, part), (item.name, part)


def test_each_alternative_changes_the_scenario_as_documented():
    base = sc.qom_baseline()
    assert disputed.apply(base, "tariff_level", "hamedan_30000").tariff.base_price_rial_per_kwh == pytest.approx(30_000)
    # relative to the scenario's own price: around it, not an absolute value
    dear = base.with_changes({"tariff.base_price_rial_per_kwh": 50_000})
    low = disputed.apply(dear, "tariff_level", "hamedan_30000")
    assert low.tariff.base_price_rial_per_kwh == pytest.approx(50_000 * 30_000 / 38_000)
    assert disputed.apply(base, "step_downs", "exempt").tariff.step_downs == ()
    assert disputed.apply(base, "step_downs", "per_step_0_6").tariff.step_downs == ((8, 0.6), (12, 0.36), (16, 0.216))
    bonds = disputed.apply(base, "payment", "half_in_bonds_a_year_late").payment
    assert (bonds.cash_share, bonds.deferred_delay_months, bonds.settled_in, bonds.bond_discount) == (0.5, 12, "bonds", 0.2)
    assert bonds.delay_months == base.payment.delay_months and bonds.billing_months == base.payment.billing_months
    assert disputed.apply(base, "tax", "zero_rate_5_years").cooperative.tax_exempt_years == 5
    assert disputed.apply(base, "tax", "exempt").cooperative.tax_discount == 1.0
    assert disputed.apply(base, "indexation_weight", "weight_on_euro").tariff.cpi_weight == pytest.approx(0.85)
    assert disputed.apply(base, "euro_window", "energy_month").tariff.euro_window_end == "energy_month"
    parity = disputed.apply(base, "euro_drift", "parity").economy
    assert parity.fx_real_drift_per_year[0] == pytest.approx(1 / 1.02 - 1)
    # a scenario with a nominal euro rate gets it moved by the same ratio
    nominal = base.with_changes({"economy.fx_change_per_year": 0.40})
    moved = disputed.apply(nominal, "euro_drift", "parity").economy.fx_change_per_year
    assert moved[0] == pytest.approx(1.40 * (1 / 1.02) / (1.40 / 1.35) - 1)
    with pytest.raises(InputError, match="no alternative 'cheap'"):
        disputed.apply(base, "tariff_level", "cheap")
    with pytest.raises(InputError, match="is not a reading"):
        disputed.apply(base, "weather", "dusty")


def test_the_changes_text_is_written_from_each_alternatives_change():
    table = sc.readings().set_index(["reading", "alternative"])["changes"]
    assert table[("tariff_level", "hamedan_30000")] == "tariff base price x 30,000 / 38,000"
    assert table[("tariff_level", "households_38000")] == "tariff base price x 1 (the central reading)"
    assert table[("step_downs", "exempt")] == "tariff.step_downs = ()"
    assert table[("payment", "all_cash")] == "payment.cash_share = 1.0, deferred_delay_months = None"
    assert table[("tax", "exempt")] == "cooperative.tax_discount = 1.0"
    assert table[("indexation_weight", "weight_on_euro")] == "tariff.cpi_weight = 1 - cpi_weight"
    assert table[("euro_window", "energy_month")] == "tariff.euro_window_end = 'energy_month'"
    assert table[("euro_drift", "parity")] == "economy.fx_real_drift_per_year -> (1 + drift) x (1 / 1.02) / (1.40 / 1.35) - 1"
    # a change given once as data is both what apply does and what the table says
    change = disputed.Sets("payment", {"cash_share": 0.9}, {"settled_in": "cash"})
    assert change.describe(change) == "payment.cash_share = 0.9"
    assert change.fields == {"cash_share": 0.9, "settled_in": "cash"}


def test_an_alternative_sets_the_fields_its_change_holds():
    base = sc.qom_baseline().with_changes({"cooperative.tax_exempt_years": 3, "payment.late_penalty_per_year": 0.1})
    for item in disputed.READINGS:
        central = item.change(item.central)
        for alternative in item.alternatives:
            change = alternative.change
            if alternative.name == item.central or not isinstance(change, disputed.Sets):
                continue
            moved = disputed.apply(base, item.name, alternative.name)
            part = moved.tariff if change.part == "tariff" else getattr(moved, change.part)
            for key, value in change.fields.items():  # the named fields and the unnamed ones
                assert getattr(part, key) == value, (item.name, alternative.name, key)
            assert change.fields.keys() >= central.fields.keys(), item.name
    # the unnamed fields are set too: the bonds reading pays no penalty
    assert disputed.apply(base, "payment", "half_in_bonds_a_year_late").payment.late_penalty_per_year == 0.0
    assert disputed.apply(base, "tax", "exempt").cooperative.tax_exempt_years == 0


def test_a_reading_changes_one_part_of_a_scenario():
    cheap = disputed.Alternative("cheap", "", disputed.Scales("base_price_rial_per_kwh", 1.0, "price"), 0.5, "s", "r")
    cash = disputed.Alternative("cash", "", disputed.Sets("payment", {"cash_share": 1.0}), 0.5, "s", "r")
    with pytest.raises(InputError, match="must all change one part"):
        disputed.Reading("mixed", "?", (cheap, cash))
    assert [item.stage for item in disputed.READINGS] == [
        "price", "price", "payment", "books", "price", "price", "price", "economy", "books", "books", "books"
    ]  # fmt: skip


def test_the_euro_drift_ratio_is_the_alternatives_factor_over_the_central():
    assert disputed.drift_ratio("slow_real_fall_of_the_rial") == 1.0
    assert disputed.drift_ratio("pace_of_2024_2025") == pytest.approx(1.48 / 1.40)
    assert disputed.EURO_DRIFTS_PER_YEAR["parity"] == 1 / 1.02 - 1


def test_stress_cases_are_one_line_each():
    base = sc.qom_baseline()
    assert sc.stress(base, "low_tariff").tariff.base_price_rial_per_kwh == pytest.approx(30_000)
    assert sc.stress(base, "half_in_bonds_a_year_late").payment.settled_in == "bonds"
    assert sc.stress(base, "step_downs_each_0_6").tariff.step_downs[-1] == (16, 0.216)
    exempt = base.with_changes({"cooperative.tax_exempt_years": 5})
    assert sc.stress(exempt, "no_tax_exemption").cooperative.tax_exempt_years == 0
    assert sc.stress(base, "euro_at_parity").economy.fx_real_drift_per_year[0] == pytest.approx(-0.0196, abs=1e-4)
    with pytest.raises(InputError, match="not a stress case"):
        sc.stress(base, "war")


OTHER_OWN_VALUES = {
    "tariff_level": {"tariff.base_price_rial_per_kwh": 52_000},
    "step_downs": {"tariff.step_downs": ((10, 0.5),)},
    "payment": {"payment.cash_share": 0.6},
    "tax": {"cooperative.tax_exempt_years": 3},
    "indexation_weight": {"tariff.cpi_weight": 0.3},
    "euro_window": {"uncertainty.weather_years": 0},  # every value is an alternative's: the scenario's own
    "indexation_base": {"uncertainty.weather_years": 0},  # likewise
    "euro_drift": {"economy.fx_real_drift_per_year": 0.2},
    "funding_gap": {"costs.capital_cost_rial_per_kwp": 3.5e8, "funding.gap_filled_by": "grant"},
    "loan_grace": {"loan.grace_months": 3},
    "payout": {"cooperative.payout_cadence": "quarterly", "cooperative.first_payout_month_index": 1, "loan.shortfall": "debited"},
}
"""For each reading, a scenario whose own value is none of its alternatives'."""

_PARTS = ("tariff", "payment", "cooperative", "funding", "loan", "costs", "economy", "member_classes")


def _outcome(scenario, name, alternative, own):
    """What a path drawing ``alternative`` runs on, as a comparable key: the parts of the
    scenario the reading changes; a level (price, drift) as its ratio to the scenario's own,
    the indexation weight as kept or swapped."""
    moved = disputed.apply(scenario, name, alternative)
    if name == "tariff_level":
        return round(moved.tariff.base_price_rial_per_kwh / own.tariff.base_price_rial_per_kwh, 12)
    if name == "euro_drift":
        drift = [np.atleast_1d(s.economy.fx_real_drift_per_year)[0] for s in (moved, own)]
        return round((1 + drift[0]) / (1 + drift[1]), 12)
    if name == "funding_gap":  # who paid how much (a source named to fill no gap changes nothing)
        return repr(sorted(funding(moved).items()))
    if name == "indexation_weight":  # the scenario's weight kept or moved to the other term
        return round(moved.tariff.cpi_weight - own.tariff.cpi_weight, 12) == 0
    return repr(tuple(getattr(moved, part) for part in _PARTS))


def _own_values(name):
    """Scenarios whose own value of reading ``name`` is each alternative's, and one that is none of them."""
    base = sc.qom_baseline().with_changes({"lifetime_years": 1})
    item = disputed.reading(name)
    owns = {f"own={a.name}": disputed.apply(base, name, a.name) for a in item.alternatives}
    owns["own=other"] = base.with_changes(OTHER_OWN_VALUES[name])
    return base, owns


@pytest.mark.parametrize("name", disputed.READING_NAMES)
def test_drawn_frequencies_match_the_stated_probabilities_whatever_the_scenarios_own_value(name):
    """Each reading drawn 100,000 times: each alternative's outcome comes up with its stated
    chance (within 5 binomial standard errors), whatever value the scenario holds."""
    n = 100_000
    base, owns = _own_values(name)
    item = disputed.reading(name)
    chances = disputed.probabilities(name, base.uncertainty)
    tables = (np.ones((1, 12)), np.ones((1, 12)), 0.02)
    draws = draw_block(base, tables, np.random.SeedSequence(11), n)[f"reading_{name}"]
    tolerance = 5 * np.sqrt(chances * (1 - chances) / n)
    reference = [_outcome(base, name, a.name, base) for a in item.alternatives]
    assert len(set(reference)) == len(chances), name  # every alternative is a different future
    for label, own in owns.items():
        outcomes = [_outcome(own, name, a.name, own) for a in item.alternatives]
        # a choice is what the alternative says whatever the scenario held; a level moves by its own ratio
        assert outcomes == reference, (name, label)
        drawn = np.array(outcomes, dtype=object)[draws]
        for outcome, chance, allowed in zip(outcomes, chances, tolerance, strict=True):
            frequency = np.mean(drawn == outcome)
            assert abs(frequency - chance) <= allowed, (name, label, outcome, frequency, chance)
    # and the draws themselves: the other delays too
    if name == "tariff_level":
        delays = base.uncertainty
        whole = draw_block(base, tables, np.random.SeedSequence(7), 20_000)
        counts = [(whole["extra_delay"] == d).mean() for d in delays.extra_delay_months]
        np.testing.assert_allclose(counts, delays.extra_delay_probabilities, atol=0.015)


def test_a_scenarios_own_choice_is_said_in_the_findings():
    exempt = sc.qom_baseline().with_changes({"cooperative.tax_exempt_years": 5, "lifetime_years": 2})
    findings = sc.simulate(exempt).findings
    assert len(findings) == 1 and "tax" in findings[0] and "standard_18_75" in findings[0]
    assert "uncertainty.readings" in findings[0]
    # leaving the reading out keeps the scenario's value on every path, and the finding goes
    kept = exempt.with_changes({"uncertainty.readings": tuple(n for n in disputed.READING_NAMES if n != "tax")})
    assert sc.simulate(kept).findings == ()
    assert sc.simulate(sc.qom_baseline().with_changes({"lifetime_years": 2})).findings == ()
    persian = disputed.own_value_findings(exempt)[0].text("fa")
    assert "مالیات" in persian


def test_a_scenario_with_its_own_tax_exemption_draws_the_standard_tax_too():
    """The collapse: a scenario stating 5 exempt years once drew them on 90 % of paths and
    the standard tax on none."""
    only = dataclasses.replace(sc.NO_UNCERTAINTY, readings=("tax",))
    exempt = sc.qom_baseline().with_changes({"cooperative.tax_exempt_years": 5, "lifetime_years": 9, "uncertainty": only})
    paths = sc.monte_carlo(exempt, n_paths=400, seed=3).paths["family_cash_flow_rial"]
    standard = sc.simulate(disputed.apply(exempt, "tax", "standard_18_75")).monthly["family_cash_flow_rial"].to_numpy()
    assert not np.allclose(standard, sc.simulate(exempt).monthly["family_cash_flow_rial"].to_numpy())
    taxed = np.abs(paths - standard).max(axis=1) < 1e-3
    assert abs(taxed.mean() - 0.6) < 5 * np.sqrt(0.6 * 0.4 / 400)


@pytest.mark.parametrize("name", disputed.READING_NAMES)
def test_each_path_is_the_single_run_under_its_drawn_alternative(name):
    only = dataclasses.replace(sc.NO_UNCERTAINTY, readings=(name,), indexation_reading_probability=0.25)
    base = sc.qom_baseline()
    # the euro's past is the same whatever its future drift: give it outright
    history = fx_index_before_operation(base.economy) * base.economy.euro_rate_start_rial_per_eur
    scenario = base.with_changes(
        {"uncertainty": only, "lifetime_years": 9, "economy.euro_rate_before_operation_rial_per_eur": tuple(history)}
    )
    paths = sc.monte_carlo(scenario, n_paths=120, seed=2).paths["family_cash_flow_rial"]
    item = disputed.reading(name)
    singles = np.array(
        [
            sc.simulate(disputed.apply(scenario, name, a.name)).monthly["family_cash_flow_rial"].to_numpy()
            for a in item.alternatives
        ]
    )
    distance = np.abs(paths[:, None, :] - singles[None, :, :]).max(axis=2)  # (paths, alternatives)
    assert (distance.min(axis=1) < 1e-3).all(), name
    seen = np.bincount(distance.argmin(axis=1), minlength=len(singles))
    assert (seen > 0).all(), name  # every alternative is drawn


def test_the_euro_window_at_payment_reads_the_euro_later():
    months = accounting_months("2026-03-21", 36)
    cpi = np.ones(36)
    fx = fx_index(Economy(inflation_per_year=0.0, fx_change_per_year=0.4), months)
    at_energy = indexation_coefficient(0.0, months, cpi, fx)
    at_payment = indexation_coefficient(0.0, months, cpi, fx, window_end_offset_months=np.full(36, 3))
    # the window ending three months later is the energy window of three months later
    np.testing.assert_allclose(at_payment[:-3], at_energy[3:])
    assert (at_payment > at_energy).all()
    plain = sc.qom_baseline().with_changes({"lifetime_years": 3})
    energy_month = disputed.apply(plain, "euro_window", "energy_month")
    later = sc.simulate(plain).annual["revenue_billed_rial"]
    earlier = sc.simulate(energy_month).annual["revenue_billed_rial"]
    assert (later > earlier).all()
    # from the contract year, its energy is paid the base price whatever the window; later years read the euro later
    from_contract = plain.with_changes({"tariff.indexation_base": "contract_year"})
    later = sc.simulate(from_contract).annual["revenue_billed_rial"]
    earlier = sc.simulate(disputed.apply(from_contract, "euro_window", "energy_month")).annual["revenue_billed_rial"]
    assert later.iloc[0] == pytest.approx(earlier.iloc[0], rel=1e-12)
    assert (later.iloc[1:] > earlier.iloc[1:]).all()


def test_the_euro_follows_inflation_through_its_real_drift():
    months = accounting_months("2026-03-21", 25)
    paired = Economy(inflation_per_year=0.2, fx_real_drift_per_year=0.1)
    assert fx_index(paired, months)[12] == pytest.approx(1.2 * 1.1)
    # moving inflation alone moves the euro with it
    hotter = dataclasses.replace(paired, inflation_per_year=0.5)
    assert fx_index(hotter, months)[12] == pytest.approx(1.5 * 1.1)
    # a nominal rate, when given, replaces the drift
    nominal = dataclasses.replace(paired, fx_change_per_year=0.3)
    assert fx_index(nominal, months)[12] == pytest.approx(1.3)
    with pytest.raises(InputError, match="economy.fx_real_drift_per_year"):
        Economy(fx_real_drift_per_year="fast")


def test_uncertainty_refuses_unknown_readings():
    with pytest.raises(InputError, match="uncertainty.readings"):
        sc.Uncertainty(readings=("tariff_level", "weather"))
    with pytest.raises(InputError, match="uncertainty.readings"):
        sc.Uncertainty(readings=("tax", "tax"))


def test_a_home_plant_draws_no_cooperative_tax_and_says_nothing():
    home = sc.home_plant()
    # a household pays no income tax: the tax reading is left out, the fact stated as known
    assert "tax" not in home.uncertainty.readings
    # its stated cost is what its loan paid: the central reading of who paid the plant already
    assert not disputed.differs_from_central(home, "funding_gap")
    assert sc.simulate(home.with_changes({"lifetime_years": 2})).findings == ()
