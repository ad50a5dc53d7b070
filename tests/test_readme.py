"""The README's quick start runs as written."""

import re
from pathlib import Path

import solarcoop as sc

README = Path(__file__).resolve().parent.parent / "README.md"


def test_quick_start_runs():
    text = README.read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has no Python quick start"
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, str(README), "exec"), namespace)  # noqa: S102 - our own README
    assert namespace["result"].summary["specific_yield_kwh_per_kwp_year1"] > 1_600
    assert namespace["risk"].n_paths == 10_000


def test_the_readme_scenario_file_loads_as_a_plant_elsewhere(tmp_path):
    from solarcoop.studies.sweeps import funding_rule

    text = README.read_text(encoding="utf-8")
    (block,) = re.findall(r"```toml\n(.*?)```", text, flags=re.S)
    path = tmp_path / "yazd.toml"
    path.write_text(block, encoding="utf-8")
    scenario = sc.load_scenario(path)
    assert scenario.name == "Yazd cooperative, 400 families, 2 MW"
    assert not scenario.site.altitude_looked_up and scenario.site.altitude_m == 1230
    assert scenario.promise.band_rial == (40e6, 60e6) and scenario.promise.counts == "net"
    assert scenario.lender is None and scenario.funding.sponsor_name is None
    assert funding_rule(scenario) == "shares"
    summary = sc.simulate(scenario.with_changes({"lifetime_years": 2})).summary
    assert summary["funding_family_shares_rial"] == 600e9 and summary["sponsor_share_of_distributions"] == 0.0


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "pip install -e . && solarcoop run" in text
    assert 'pip install -e ".[test]" && pytest' in text


def _check_rows(text: str, rows: dict) -> None:
    for reading, values in rows.items():
        line = next(line for line in text.splitlines() if line.startswith(f"| {reading} |"))
        written = [cell.strip() for cell in line.strip("|").split("|")[1:]]
        computed = [f"{round(values.loc[year] / 1e6, 1) + 0.0:.1f} M" for year in range(1, 6)]
        assert written == computed, reading


def test_the_readings_table_matches_the_library(baseline_result):
    text = README.read_text(encoding="utf-8")
    annual = baseline_result.annual
    families = baseline_result.scenario.cooperative.families
    _check_rows(
        text,
        {
            "sales revenue per family, before any cost": annual["revenue_billed_rial"] / families / 12,
            "distribution per family (gross of the loan), mean month": annual["distribution_per_family_rial_mean"],
            "family cash flow (the payout after the 20.5 M instalment), mean month": annual[
                "family_cash_flow_rial_mean"
            ],
            "family cash flow, lowest month": annual["family_cash_flow_rial_min"],
            "family cash flow, best month": annual["family_cash_flow_rial_max"],
            "family cash flow, in money of Shahrivar 1404": annual["family_cash_flow_real_rial_mean"],
            "withheld instalments the family owes, highest": baseline_result.monthly.groupby("operating_year")[
                "arrears_per_family_rial"
            ].max(),
        },
    )


def test_the_funding_table_matches_the_library():
    text = README.read_text(encoding="utf-8")
    for label, source in (("grant", "grant"), ("14 % SATBA loan", "debt"), ("sponsor equity", "sponsor_equity")):
        annual = sc.simulate(sc.disputed.apply(sc.qom_baseline(), "funding_gap", source)).annual
        _check_rows(
            text,
            {
                f"{label}: family cash flow, mean month": annual["family_cash_flow_rial_mean"],
                f"{label}: family cash flow, in money of Shahrivar 1404": annual["family_cash_flow_real_rial_mean"],
            },
        )


def test_the_family_figures_in_the_text_match_the_library(baseline_result):
    text = " ".join(README.read_text(encoding="utf-8").split())
    s = baseline_result.summary
    # the central practice: withheld instalments owed, never paid from the pocket
    assert s["months_paid_from_pocket"] == 0
    assert f"build to {baseline_result.monthly['arrears_per_family_rial'].max() / 1e6:.1f} million rial" in text
    assert f"its debt lasts {s['months_in_arrears']} months of the 300 and the loan is clear by {s['loan_paid_off_label']}" in text
    # and with monthly payouts, the lender debiting the family's account
    debited = sc.simulate(sc.disputed.apply(sc.qom_baseline(), "payout", "monthly_debited")).summary
    assert f"from its own pocket in {debited['months_paid_from_pocket']} months" in text
    assert f"({debited['paid_from_pocket_per_family_real_rial_total'] / 1e6:,.0f} million rial" in text
    assert f"was clear by {debited['loan_paid_off_label']}" in text
    assert f"real return of {100 * s['family_share_irr_real_per_year']:.1f} % a year" in text
    assert f"by {s['family_share_payback_label']}." in text
    assert f"the reserves hold {s['reserves_balance_end_real_rial'] / 1e9:.1f} bn rial" in text
    assert f"bills still owed are {s['revenue_owed_at_end_real_rial'] / 1e9:.1f} bn rial" in text


def test_the_headline_table_matches_the_library():
    text = README.read_text(encoding="utf-8")
    lead = sc.headline(sc.qom_baseline())  # what `solarcoop run` prints: 2,000 paths, seed 0
    for year, row in lead.table.iterrows():
        line = next(line for line in text.splitlines() if line.startswith(f"| {year} ("))
        written = [cell.strip() for cell in line.strip("|").split("|")[1:]]
        computed = [
            f"{round(row[column] / 1e6, 1) + 0.0:.1f} M"
            for column in (
                "net_payout_per_family_p50_rial",
                "net_payout_per_family_p90_rial",
                "net_payout_per_family_p50_real_rial",
                "single_run_net_payout_per_family_rial",
            )
        ] + [f"{row['single_run_percentile']:.0f}"]
        assert written == computed, year


def test_the_family_debt_paragraph_matches_the_library():
    text = " ".join(README.read_text(encoding="utf-8").split())
    debt = sc.headline(sc.qom_baseline()).debt  # what `solarcoop run` prints: 2,000 paths, seed 0

    def million(value: float) -> str:
        return f"{value / 1e6:.1f} M"

    def share(fraction: float) -> str:  # as `solarcoop run` writes it
        return sc.present.text.format_percent(fraction, "en", 1)

    assert f"owes withheld instalments in {share(debt.chance_owes)} of the futures" in text
    assert f"is {million(debt.most_owed_p50_rial)} at P50 and {million(debt.most_owed_p90_rial)} at P90" in text
    assert f"or {million(debt.most_owed_p50_real_rial)} and {million(debt.most_owed_p90_real_rial)} in Shahrivar-1404" in text
    assert f"for {debt.months_owing_p50:.0f} months at P50 and {debt.months_owing_p90:.0f} at P90" in text
    assert f"in {share(debt.chance_owes_after_loan_year)} of the futures. The single run's" in text
    assert f"{million(debt.single_most_owed_rial)} ({million(debt.single_most_owed_real_rial)} of Shahrivar 1404)" in text
    assert f"over {debt.single_months_owing} months, cleared in Farvardin 1412, sits at the {debt.single_percentile:.0f}th" in text
    assert debt.single_cleared_label == "1412-01"
