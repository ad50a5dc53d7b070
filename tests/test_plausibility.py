"""Money and rate fields typed in the wrong unit: findings that reach the run's outputs."""

from __future__ import annotations

import dataclasses

import pytest

import solarcoop as sc
from solarcoop import plausibility
from solarcoop.tariff import FlatTariff, MarketTariff, SwitchingTariff


def test_the_baseline_and_its_presets_have_no_findings():
    assert plausibility.findings(sc.qom_baseline()) == []


@pytest.mark.parametrize(
    "path, value, found",
    [
        ("tariff.base_price_rial_per_kwh", 3_800, True),  # 38,000 rial typed in toman
        ("tariff.base_price_rial_per_kwh", 14_999, True),
        ("tariff.base_price_rial_per_kwh", 15_000, False),
        ("tariff.base_price_rial_per_kwh", 1_499, False),  # tenfold still implausible: not a unit slip
        ("tariff.base_price_rial_per_kwh", 0, False),
        ("costs.capital_cost_rial_per_kwp", 3.0e7, True),  # 30 million toman per kW typed as rial
        ("costs.capital_cost_rial_per_kwp", 2.5e8, False),
        ("plant.degradation_per_year", 0.5, True),  # 0.5 % typed as 0.5
        ("plant.degradation_per_year", 0.05, False),
        ("plant.degradation_per_year", 0.008, False),
        ("costs.insurance_share_of_capital_per_year", 0.3, True),
        ("costs.insurance_share_of_capital_per_year", 0.02, False),
    ],
)
def test_a_value_in_the_wrong_unit_is_a_finding_naming_field_value_and_reading(path, value, found):
    scenario = sc.qom_baseline().with_changes({path: value})
    findings = plausibility.findings(scenario)
    assert bool(findings) is found
    if found:
        assert findings[0].startswith(f"plausibility: {path} = ")


def test_a_tariff_inside_a_switch_is_checked_by_its_path():
    switching = SwitchingTariff(first=FlatTariff(base_price_rial_per_kwh=3_800), then=MarketTariff(), switch_operating_year=5)
    scenario = dataclasses.replace(sc.qom_baseline(), tariff=switching)
    (finding,) = plausibility.findings(scenario)
    assert finding.startswith("plausibility: tariff.first.base_price_rial_per_kwh = 3,800 rial/kWh")
    assert "3,800 toman is 38,000 rial" in finding


def test_the_findings_reach_the_run_and_the_command(tmp_path, capsys):
    from solarcoop import cli

    scenario = sc.qom_baseline().with_changes({"plant.degradation_per_year": 0.5, "lifetime_years": 3})
    result = sc.simulate(scenario)
    assert any(f.startswith("plausibility: plant.degradation_per_year = 0.5 is 50 % a year") for f in result.findings)
    path = tmp_path / "odd.toml"
    path.write_text('lifetime_years = 3\n[tariff]\nbase_price_rial_per_kwh = 3800\n')
    assert cli.main(["run", str(path), "--paths", "0", "--out", str(tmp_path / "out")]) == 0
    out = capsys.readouterr().out
    assert "note: plausibility: tariff.base_price_rial_per_kwh = 3,800 rial/kWh" in out
