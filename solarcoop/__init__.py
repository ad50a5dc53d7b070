"""solarcoop: what a member-owned solar cooperative pays each family, month by month.

>>> import solarcoop as sc
>>> scenario = sc.qom_baseline()
>>> scenario.cooperative.families
400
"""

from importlib import import_module

from solarcoop import calendar, economy, finance, payment, plant, tariff, weather
from solarcoop._validation import InputError
from solarcoop.cooperative import Cooperative, CooperativeDebt, Costs, MemberClass
from solarcoop.currency import rial_to_toman, toman
from solarcoop.economy import Economy
from solarcoop.engine import Result, simulate
from solarcoop.files import load_scenario, save_scenario
from solarcoop.finance import Loan
from solarcoop.payment import Payment
from solarcoop.plant import Losses, Plant, Soiling
from solarcoop.scenario import Scenario, qom_baseline
from solarcoop.site import QOM, Site
from solarcoop.studies import (
    GoalSeekResult,
    MonteCarloResult,
    goal_seek,
    monte_carlo,
    portfolio,
    sensitivity,
    sweep,
)
from solarcoop.tariff import (
    FlatTariff,
    GuaranteedPurchaseTariff,
    MarketTariff,
    SwitchingTariff,
    TimeOfUse,
)
from solarcoop.uncertainty import NO_UNCERTAINTY, Uncertainty

__version__ = "0.1.0"

__all__ = [
    "QOM",
    "Cooperative",
    "CooperativeDebt",
    "Costs",
    "Economy",
    "FlatTariff",
    "GoalSeekResult",
    "GuaranteedPurchaseTariff",
    "InputError",
    "Loan",
    "Losses",
    "MarketTariff",
    "MemberClass",
    "MonteCarloResult",
    "NO_UNCERTAINTY",
    "Payment",
    "Plant",
    "Result",
    "Scenario",
    "Site",
    "Soiling",
    "SwitchingTariff",
    "TimeOfUse",
    "Uncertainty",
    "calendar",
    "economy",
    "finance",
    "goal_seek",
    "load_scenario",
    "monte_carlo",
    "payment",
    "plant",
    "plots",
    "portfolio",
    "qom_baseline",
    "rial_to_toman",
    "save_scenario",
    "sensitivity",
    "simulate",
    "sweep",
    "tariff",
    "toman",
    "weather",
]


def __getattr__(name):
    # matplotlib loads only when charts are asked for
    if name == "plots":
        return import_module("solarcoop.plots")
    raise AttributeError(f"module 'solarcoop' has no attribute {name!r}")
