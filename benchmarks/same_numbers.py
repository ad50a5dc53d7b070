"""Check that a change leaves the Monte Carlo's numbers the same, to the bit.

Speed work must not change a single number. Save the outputs of a set of Monte Carlo
runs before the change and compare them after it::

    git stash                     # or check out the commit before the change
    python benchmarks/same_numbers.py save before.npz
    git stash pop
    python benchmarks/same_numbers.py compare before.npz

The runs cover the Qom baseline (all disputed readings drawn), other kept lines, the
euro window at the energy month, a debt-funded gap, the cash rule with both reserve
uses, no readings, a flat tariff (priced group by group), a streamed run and two worker
processes. ``compare`` lists every array that differs and exits with 1 if any does.
Both runs must be on the same machine and library versions (numpy's vectorised
mathematics may differ in the last bit between processors).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import solarcoop as sc  # noqa: E402

LINES = (
    "family_cash_flow_rial", "cash_balance_rial", "tax_rial", "debt_service_coverage_ratio",
    "reserves_balance_rial", "paid_from_pocket_per_family_rial", "distribution_per_family_real_rial",
    "arrears_per_family_rial",
)  # fmt: skip


def runs():
    """(name, scenario, Monte Carlo arguments) of every run compared."""
    base = sc.qom_baseline()
    yield "qom", base, {"n_paths": 6_000, "seed": 0}
    yield "qom_other_lines", base, {"n_paths": 1_000, "seed": 7, "kept": LINES}
    yield (
        "energy_window",
        base.with_changes({"tariff.euro_window_end": "energy_month"}),
        {"n_paths": 1_000, "seed": 3},
    )
    yield (
        "debt",
        base.with_changes({"funding.gap_filled_by": "debt"}),
        {"n_paths": 1_000, "seed": 1},
    )
    cash_rule = {
        "cooperative.distribution_rule": "cash",
        "cooperative.reserve_uses": ("inverter_replacement", "instalment_shortfall"),
    }
    yield "cash_rule", base.with_changes(cash_rule), {"n_paths": 1_000, "seed": 2}
    yield (
        "no_readings",
        base.with_changes({"uncertainty.readings": ()}),
        {"n_paths": 1_000, "seed": 4},
    )
    yield (
        "flat",
        base.with_changes({"tariff": sc.FlatTariff(40_000, 0.2)}),
        {"n_paths": 750, "seed": 5},
    )
    yield "streamed", base, {"n_paths": 1_000, "seed": 6, "keep_paths": False}
    yield "two_workers", base, {"n_paths": 2_250, "seed": 8, "workers": 2, "chunk_paths": 500}


def outputs() -> dict[str, np.ndarray]:
    """Every compared array, named ``run/column``."""
    arrays = {}
    for name, scenario, arguments in runs():
        result = sc.monte_carlo(scenario, **{"workers": 1, **arguments})
        for column in result.columns:
            if result.paths is not None:
                arrays[f"{name}/{column}"] = np.asarray(result.paths[column])
            else:
                arrays[f"{name}/{column}"] = result.quantiles([0.1, 0.5, 0.9], column).to_numpy()
    return arrays


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("save", "compare"):
        raise SystemExit("usage: python benchmarks/same_numbers.py save|compare FILE.npz")
    mode, path = sys.argv[1:]
    now = outputs()
    if mode == "save":
        np.savez_compressed(path, **now)
        print(f"saved {len(now)} arrays to {path}")
        return
    before = np.load(path)
    differ = [
        name
        for name in before.files
        if not np.array_equal(before[name], now.get(name), equal_nan=True)
    ]
    for name in differ:
        print(
            f"differs: {name} (largest difference {np.nanmax(np.abs(before[name] - now[name])):.3g})"
        )
    print(f"{len(before.files) - len(differ)} of {len(before.files)} arrays the same to the bit")
    raise SystemExit(1 if differ else 0)


if __name__ == "__main__":
    main()
