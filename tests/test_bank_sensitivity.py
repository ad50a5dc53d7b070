"""The bank's sensitivity of NPV, IRR and LCOE: the tornado's own runs, read again."""

import numpy as np
import pytest

import solarcoop as sc
from solarcoop.present import bank
from solarcoop.present.text import format_number

ENERGY = np.full(12, 420_000.0)


def test_the_bank_figures_are_the_summaries_of_the_tornados_runs():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 10})
    ranges = {"tariff.base_price_rial_per_kwh": (30_400.0, 45_600.0), "costs.om_rial_per_kwp_year": (1.0e6, 3.0e6)}
    frame = sc.sensitivity(scenario, ranges, energy=ENERGY, also=bank.SENSITIVITY_FIGURES)
    for row in frame.itertuples(index=False):
        for end, value in (("low", row.low_value), ("high", row.high_value)):
            summary = sc.simulate(scenario.with_changes({row.parameter: value}), energy=ENERGY).summary
            for name in bank.SENSITIVITY_FIGURES:
                assert getattr(row, f"{end}_{name}") == pytest.approx(summary[name], rel=1e-12, nan_ok=True)
    # the table puts the input that moves the NPV most first; a higher tariff raises the NPV
    rows = bank.sensitivity_rows(frame, "en")
    assert rows[0][0].startswith("tariff base price")
    low, high = (float(part.replace(",", "")) for part in rows[0][1].split(" / "))
    assert high > low
    assert rows[0][1] == " / ".join(
        format_number(frame.iloc[0][f"{end}_project_npv_real_rial"] / 1e9, "en", 1) for end in ("low", "high")
    )
    # a sensitivity run without the figures gives no table
    assert bank.sensitivity_rows(sc.sensitivity(scenario, ranges, energy=ENERGY), "en") == []
    with pytest.raises(sc.InputError, match="not a summary figure"):
        sc.sensitivity(scenario, ranges, energy=ENERGY, also=("npv_of_nothing",))
