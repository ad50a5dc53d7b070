"""The README's quick start runs as written."""

import re
from pathlib import Path

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


def test_readme_gives_the_two_commands():
    text = README.read_text(encoding="utf-8")
    assert "pip install -e . && solarcoop run" in text
    assert 'pip install -e ".[test]" && pytest' in text


def test_the_readings_table_matches_the_library(baseline_result):
    text = README.read_text(encoding="utf-8")
    annual = baseline_result.annual
    families = baseline_result.scenario.cooperative.families
    rows = {
        "sales revenue per family, before any cost": annual["revenue_billed_rial"] / families / 12,
        "distribution per family (gross of the loan), mean month": annual["distribution_per_family_rial_mean"],
        "net of the 20.5 M loan instalment, mean month": annual["payout_per_family_rial_mean"],
        "net, best month of the year": annual["payout_per_family_rial_max"],
        "net, in money of Farvardin 1405": annual["payout_per_family_real_rial_mean"],
    }
    for reading, values in rows.items():
        line = next(line for line in text.splitlines() if line.startswith(f"| {reading} |"))
        written = [cell.strip() for cell in line.strip("|").split("|")[1:]]
        computed = [f"{values.loc[year] / 1e6:.1f} M" for year in (1, 2, 3)]
        assert written == computed, reading
