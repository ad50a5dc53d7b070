"""Charts for proposals. Each takes a result and an optional Axes and returns the Axes.

Plotting computes nothing: every number drawn is a column of the result.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import FuncFormatter

PLAN_BAND_RIAL = (50e6, 80e6)
"""The 50-80 million rial a month per family promised in Qom (news report, September 2025)."""

_MILLION = 1e6


def _millions(ax, axis: str = "y") -> None:
    formatter = FuncFormatter(lambda value, _: f"{value / _MILLION:,.0f}")
    (ax.yaxis if axis == "y" else ax.xaxis).set_major_formatter(formatter)


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(9, 4.5), layout="constrained")
    return ax


def monthly_payout(result, ax=None, years: int = 5):
    """Monthly payout per family over the first ``years``: gross, instalment and net.

    Parameters
    ----------
    result : solarcoop.Result
    ax : matplotlib.axes.Axes, optional
    years : int
        Operating years shown.

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    monthly = result.monthly[result.monthly["operating_year"] <= years]
    x = np.arange(len(monthly))
    ax.axhspan(*PLAN_BAND_RIAL, color="tab:green", alpha=0.12, label="plan: 50-80 million rial")
    ax.plot(x, monthly["distribution_per_family_rial"], label="distribution (gross)", color="tab:blue")
    ax.plot(x, monthly["loan_instalment_per_family_rial"], label="loan instalment", color="tab:red", linestyle="--")
    ax.plot(x, monthly["payout_per_family_rial"], label="payout after instalment (net)", color="black")
    ax.plot(x, monthly["payout_per_family_real_rial"], label="net, in first-month money", color="gray", linestyle=":")
    step = max(1, len(x) // 10)
    ax.set_xticks(x[::step], monthly["label"].iloc[::step], rotation=45)
    _millions(ax)
    ax.set_ylabel("per family per month [million rial]")
    ax.set_xlabel("accounting month")
    ax.set_title(f"{result.scenario.name}: monthly payout per family")
    ax.legend(fontsize="small", loc="upper left")
    return ax


def monthly_energy(result, ax=None):
    """Energy at the meter each month of the first operating year [MWh].

    Returns
    -------
    matplotlib.axes.Axes
    """
    ax = _axes(ax)
    year1 = result.monthly[result.monthly["operating_year"] == 1]
    ax.bar(year1["label"], year1["energy_kwh"] / 1000, color="tab:orange")
    ax.set_ylabel("energy at the meter [MWh/month]")
    ax.set_xlabel("accounting month")
    ax.tick_params(axis="x", rotation=45)
    ax.set_title(f"{result.scenario.name}: monthly energy, year 1")
    return ax
