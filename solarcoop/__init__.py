"""solarcoop: what a member-owned solar cooperative pays each family, month by month.

>>> import solarcoop as sc
>>> scenario = sc.qom_baseline()
>>> scenario.cooperative.families
400
"""

from importlib import import_module

# Every public name is imported the first time it is read (PEP 562), so that
# ``import solarcoop`` and ``solarcoop --help`` do not wait for pandas, pvlib (and the
# scipy it brings), matplotlib, Dask or openpyxl. ``sc.X`` works as before; add a new
# public name here, with the module that defines it.
_SUBMODULES = {
    "books": "solarcoop.books",
    "calendar": "solarcoop.calendar",
    "disputed": "solarcoop.disputed",
    "economy": "solarcoop.economy",
    "finance": "solarcoop.finance",
    "history": "solarcoop.history",
    "lines": "solarcoop.lines",
    "options": "solarcoop.studies.options",
    "payment": "solarcoop.payment",
    "plant": "solarcoop.plant",
    "plots": "solarcoop.present.plots",
    "report": "solarcoop.present.report",
    "tariff": "solarcoop.tariff",
    "vintage": "solarcoop.vintage",
    "weather": "solarcoop.weather",
}
_ATTRIBUTES = {
    "InputError": "solarcoop._validation",
    "load_actuals": "solarcoop.actuals",
    "Cooperative": "solarcoop.books.specs",
    "CooperativeDebt": "solarcoop.books.specs",
    "Costs": "solarcoop.books.specs",
    "Funding": "solarcoop.books.specs",
    "MemberClass": "solarcoop.books.specs",
    "rial_to_toman": "solarcoop.currency",
    "toman": "solarcoop.currency",
    "Economy": "solarcoop.economy",
    "Result": "solarcoop.engine",
    "simulate": "solarcoop.engine",
    "load_scenario": "solarcoop.files",
    "save_scenario": "solarcoop.files",
    "Loan": "solarcoop.finance",
    "OptionsComparison": "solarcoop.studies.options",
    "aggregated_farm": "solarcoop.studies.options",
    "compare_options": "solarcoop.studies.options",
    "home_plant": "solarcoop.studies.options",
    "Payment": "solarcoop.payment",
    "Losses": "solarcoop.plant",
    "Plant": "solarcoop.plant",
    "Soiling": "solarcoop.plant",
    "Promise": "solarcoop.promise",
    "QOM_PROMISE": "solarcoop.promise",
    "readings": "solarcoop.disputed",
    "stress": "solarcoop.disputed",
    "Headline": "solarcoop.studies.headline",
    "headline": "solarcoop.studies.headline",
    "reading_effects": "solarcoop.studies.headline",
    "Scenario": "solarcoop.scenario",
    "qom_baseline": "solarcoop.scenario",
    "QOM": "solarcoop.site",
    "Site": "solarcoop.site",
    "GoalSeekResult": "solarcoop.studies.sweeps",
    "MonteCarloResult": "solarcoop.studies.montecarlo",
    "goal_seek": "solarcoop.studies.sweeps",
    "monte_carlo": "solarcoop.studies.montecarlo",
    "programme": "solarcoop.programme.run",
    "portfolio": "solarcoop.studies.sweeps",
    "sensitivity": "solarcoop.studies.sweeps",
    "sweep": "solarcoop.studies.sweeps",
    "FlatTariff": "solarcoop.tariff",
    "GuaranteedPurchaseTariff": "solarcoop.tariff",
    "MarketTariff": "solarcoop.tariff",
    "SwitchingTariff": "solarcoop.tariff",
    "TimeOfUse": "solarcoop.tariff",
    "Tracking": "solarcoop.studies.tracking",
    "track": "solarcoop.studies.tracking",
    "NO_UNCERTAINTY": "solarcoop.uncertainty",
    "Uncertainty": "solarcoop.uncertainty",
}

__version__ = "0.1.0"

__all__ = [
    "QOM",
    "QOM_PROMISE",
    "Cooperative",
    "CooperativeDebt",
    "Costs",
    "Economy",
    "FlatTariff",
    "Funding",
    "GoalSeekResult",
    "GuaranteedPurchaseTariff",
    "Headline",
    "InputError",
    "Loan",
    "Losses",
    "MarketTariff",
    "MemberClass",
    "MonteCarloResult",
    "OptionsComparison",
    "NO_UNCERTAINTY",
    "Payment",
    "Plant",
    "Promise",
    "Result",
    "Scenario",
    "Site",
    "Soiling",
    "SwitchingTariff",
    "TimeOfUse",
    "Tracking",
    "Uncertainty",
    "aggregated_farm",
    "books",
    "calendar",
    "compare_options",
    "disputed",
    "economy",
    "finance",
    "goal_seek",
    "headline",
    "history",
    "home_plant",
    "lines",
    "load_actuals",
    "load_scenario",
    "monte_carlo",
    "programme",
    "options",
    "payment",
    "plant",
    "plots",
    "portfolio",
    "qom_baseline",
    "reading_effects",
    "readings",
    "report",
    "rial_to_toman",
    "save_scenario",
    "sensitivity",
    "simulate",
    "stress",
    "sweep",
    "tariff",
    "toman",
    "track",
    "vintage",
    "weather",
]


def __getattr__(name):
    if name in _SUBMODULES:
        module = import_module(_SUBMODULES[name])
        globals()[name] = module  # sc.plots is solarcoop.present.plots
        return module
    if name in _ATTRIBUTES:
        value = getattr(import_module(_ATTRIBUTES[name]), name)
        globals()[name] = value  # later reads skip this function
        return value
    raise AttributeError(f"module 'solarcoop' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))
