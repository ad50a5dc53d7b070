"""The ``solarcoop`` command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from solarcoop._validation import InputError


def _load(path: str | None):
    from solarcoop.scenario import qom_baseline

    if path is None:
        return qom_baseline()
    from solarcoop.files import load_scenario

    return load_scenario(path)


def _million(value: float) -> str:
    return f"{value / 1e6:,.1f} million rial"


def format_summary(result) -> str:
    """A short table a person can read."""
    s = result.summary
    lines = [
        f"{result.scenario.name}",
        f"  year-1 energy at the meter      {s['energy_kwh_year1'] / 1e6:,.3f} GWh",
        f"  specific yield, year 1          {s['specific_yield_kwh_per_kwp_year1']:,.0f} kWh/kWp",
        f"  mean price, year 1              {s['price_rial_per_kwh_mean_year1']:,.0f} rial/kWh",
        "  per family per month, year 1    mean / min / max",
        "    distribution (gross)          "
        + " / ".join(_million(s[f"distribution_per_family_rial_{k}_year1"]) for k in ("mean", "min", "max")),
        "    loan instalment               "
        + _million(s["loan_instalment_per_family_rial_mean_year1"]),
        "    payout after instalment (net) "
        + " / ".join(_million(s[f"payout_per_family_rial_{k}_year1"]) for k in ("mean", "min", "max")),
        "    net, in first-month money     "
        + _million(s["payout_per_family_real_rial_mean_year1"]),
        f"  family loan paid off            {s['loan_paid_off_label']}",
    ]
    return "\n".join(lines)


def _run(args) -> int:
    import matplotlib.pyplot as plt

    from solarcoop import plots
    from solarcoop.engine import simulate

    result = simulate(_load(args.scenario))
    print(format_summary(result))
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    table = out / "monthly.csv"
    result.monthly.to_csv(table, index=False)
    written = [table]
    for name, chart in (("payout.png", plots.monthly_payout), ("energy.png", plots.monthly_energy)):
        ax = chart(result)
        ax.figure.savefig(out / name, dpi=120)
        plt.close(ax.figure)
        written.append(out / name)
    print("wrote: " + ", ".join(str(path) for path in written))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="solarcoop",
        description="What a solar cooperative pays each member family, month by month.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="simulate one scenario and write its tables and charts")
    run.add_argument("--scenario", help="scenario TOML file (default: the Qom baseline)")
    run.add_argument("--out", default="solarcoop-output", help="output folder (default: %(default)s)")
    run.set_defaults(handler=_run)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.handler(args)
    except InputError as error:
        print(f"solarcoop: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
