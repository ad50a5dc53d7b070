"""Disputed facts as readings: alternatives with sources and the chance the Monte Carlo gives each.

Where sources disagree about a fact that moves a family's money (the tariff level, the
step-downs, how the buyer pays, tax, the indexation weight, the euro window, the euro's
path against inflation), the library does not pick the favourable one. Each fact is a
:class:`Reading`: its alternatives, each with its source, what it changes in a scenario,
and a probability with the reason for it.

- The **central** alternative of each reading is the one holding the median when the
  alternatives are ordered from least to most favourable to the family (the
  probability-weighted median). The specs' defaults, and so :func:`solarcoop.qom_baseline`,
  take the central alternative of every reading, so the single run sits near the Monte
  Carlo's P50.
- :func:`solarcoop.monte_carlo` draws one alternative of each reading per path
  (``scenario.uncertainty.readings`` names the readings drawn). The central alternative
  leaves the scenario as it is; the others change it as :func:`apply` says, so the
  draws lie *around* the scenario's own values, whatever they are.
- :func:`readings` returns the table; :func:`stress` gives the few cases funders ask
  about, one line each.

The probabilities are judgements, each with its reason; none was published. A planner
who weighs the sources differently can change the scenario (for example
``tariff.base_price_rial_per_kwh``) and leave a reading out of the draws.

Examples
--------
Which readings does the Monte Carlo draw, and what is the central tariff level?

>>> import solarcoop as sc
>>> table = sc.readings()
>>> table.loc[table["central"], ["reading", "alternative"]].head(2).to_numpy().tolist()
[['tariff_level', 'households_38000'], ['step_downs', 'three_even_steps_to_0_6']]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
import pandas as pd

from solarcoop._validation import InputError
from solarcoop.tariff import FlatTariff, GuaranteedPurchaseTariff, SwitchingTariff


@dataclass(frozen=True)
class Alternative:
    """One reading of a disputed fact.

    Attributes
    ----------
    name : str
        Short identifier (``"hamedan_30000"``).
    says : str
        What this alternative holds, in words and numbers.
    changes : str
        What it sets in a scenario (dotted paths) relative to the central alternative.
    probability : float
        Chance the Monte Carlo gives it [-].
    source : str
        Where it comes from (title, date).
    reason : str
        Why it has that probability.
    """

    name: str
    says: str
    changes: str
    probability: float
    source: str
    reason: str


@dataclass(frozen=True)
class Reading:
    """A disputed fact and its alternatives, ordered from least to most favourable to a family.

    Attributes
    ----------
    name : str
        Identifier (``"tariff_level"``), as in ``Uncertainty.readings``.
    question : str
        What is disputed.
    stage : {"price", "payment", "books", "economy"}
        Which step of the engine the alternatives change (the Monte Carlo groups paths
        by it).
    alternatives : tuple of Alternative
    """

    name: str
    question: str
    stage: str
    alternatives: tuple[Alternative, ...]

    @property
    def probabilities(self) -> np.ndarray:
        return np.array([a.probability for a in self.alternatives])

    @property
    def central(self) -> str:
        """The alternative holding the probability-weighted median."""
        cumulative = np.cumsum(self.probabilities)
        return self.alternatives[int(np.searchsorted(cumulative, 0.5 - 1e-12))].name

    def index(self, alternative: str) -> int:
        names = [a.name for a in self.alternatives]
        if alternative not in names:
            raise InputError(f"reading {self.name!r} has no alternative {alternative!r}: choose one of {names}")
        return names.index(alternative)


# --------------------------------------------------------------------------- the facts

TARIFF_LEVELS_RIAL_PER_KWH = {"hamedan_30000": 30_000.0, "households_38000": 38_000.0, "isfahan_45800": 45_800.0}
"""Guaranteed-purchase price of 1404 under each reading [rial/kWh]."""

STEP_DOWNS = {
    "per_step_0_6": ((8, 0.6), (12, 0.36), (16, 0.216)),
    "three_even_steps_to_0_6": ((8, 0.8667), (12, 0.7333), (16, 0.6)),
    "exempt": (),
}
"""Step-downs of the contract price (operating year, factor) under each reading."""

PAYMENT_TERMS = {
    "half_in_bonds_a_year_late": {
        "cash_share": 0.5, "deferred_delay_months": 12, "settlement_every_months": 12,
        "settled_in": "bonds", "bond_discount": 0.2, "late_penalty_per_year": 0.0,
    },
    "part_cash_rest_in_yearly_lumps": {
        "cash_share": 0.7, "deferred_delay_months": 0, "settlement_every_months": 12,
        "settled_in": "cash", "bond_discount": 0.0, "late_penalty_per_year": 0.0,
    },
    "all_cash": {
        "cash_share": 1.0, "deferred_delay_months": None, "settlement_every_months": None,
        "settled_in": "cash", "bond_discount": 0.0, "late_penalty_per_year": 0.0,
    },
}  # fmt: skip
"""``payment.*`` fields under each reading (billing period and delay stay the scenario's)."""

TAX_TERMS = {
    "standard_18_75": {"income_tax_rate": 0.25, "tax_discount": 0.25, "tax_exempt_years": 0},
    "zero_rate_5_years": {"income_tax_rate": 0.25, "tax_discount": 0.25, "tax_exempt_years": 5},
    "exempt": {"income_tax_rate": 0.25, "tax_discount": 1.0, "tax_exempt_years": 0},
}
"""``cooperative.*`` tax fields under each reading."""

EURO_DRIFTS_PER_YEAR = {"parity": 1 / 1.02 - 1, "slow_real_fall_of_the_rial": 1.40 / 1.35 - 1, "pace_of_2024_2025": 1.48 / 1.35 - 1}
"""The euro's real drift against Iran's consumer prices under each reading [fraction/year]."""

READINGS: tuple[Reading, ...] = (
    Reading(
        "tariff_level",
        "The guaranteed-purchase price of 1404 for plants of Relief Committee clients",
        "price",
        (
            Alternative(
                "hamedan_30000", "30,000 rial/kWh (3,000 toman) for households of support institutions",
                "tariff base price x 30,000 / 38,000",
                0.35,
                "IRIB news 5585575, Hamedan, 3 Oct 2025 (25,000 for other households); the same 30,000 "
                "was the 1402 price for low-income support plants (SATBA)",
                "A dated report for exactly this class, matching the 1402 price: it may be the price "
                "still in force if 1404's was not raised.",
            ),
            Alternative(
                "households_38000", "38,000 rial/kWh, the 1404 price quoted for households (38,500 rural producers)",
                "tariff base price x 1 (the central reading)",
                0.25,
                "press reports of 1404 gathered in the library's notes (other classes at 38,000-38,500)",
                "Lies between the two dated reports; quoted for other classes, so less weight than either.",
            ),
            Alternative(
                "isfahan_45800", "about 45,800 rial/kWh (4,580 toman), called a forecast",
                "tariff base price x 45,800 / 38,000",
                0.40,
                "IRIB news 5593090, Isfahan, 11 Oct 2025",
                "The most recent report and for Relief Committee plants, but a forecast, not a decided price.",
            ),
        ),
    ),
    Reading(
        "step_downs",
        "Whether the contract price steps down in later years",
        "price",
        (
            Alternative(
                "per_step_0_6", "x0.6 at each of the starts of years 8, 12 and 16 (0.6, 0.36, 0.216)",
                f"tariff.step_downs = {STEP_DOWNS['per_step_0_6']}",
                0.20,
                "SATBA's description of the 1400 decree (coefficient 60 %, per step or cumulative unclear)",
                "The wording allows it, but cutting to a fifth would make late years worthless; less likely.",
            ),
            Alternative(
                "three_even_steps_to_0_6", "down to 0.6 of the price in three even steps at years 8, 12, 16",
                f"tariff.step_downs = {STEP_DOWNS['three_even_steps_to_0_6']}",
                0.35,
                "SATBA's description of the 1400 decree (steps at the start of years 8, 12 and 16)",
                "The decree's plain reading for a contract of that vintage.",
            ),
            Alternative(
                "exempt", "no step-down: plants of support institutions are exempt",
                "tariff.step_downs = ()",
                0.45,
                "energypress.ir, 13 Dec 2023, on the 1402 decree exempting low-income support plants",
                "Reported for the 1402 decree, but no text was found that applies it to an aggregated "
                "cooperative plant of Relief Committee clients.",
            ),
        ),
    ),
    Reading(
        "payment",
        "How the buyer pays: cash share, and how the rest is settled",
        "payment",
        (
            Alternative(
                "half_in_bonds_a_year_late",
                "half in cash; half at least a year late in the yearly settlement, in bonds sold 20 % below face value",
                "payment.cash_share = 0.5, deferred_delay_months = 12, settlement_every_months = 12, "
                "settled_in = 'bonds', bond_discount = 0.2",
                0.30,
                "arrears settled with bonds in 1401-1402 (ecoiran; tasisatnews); SATBA pays cash only up to its "
                "budget (SATBA tariff page); the 20 % discount is an assumption (a year's yield on treasury bills)",
                "What happened in 1401-1402; the share and the discount are assumptions.",
            ),
            Alternative(
                "part_cash_rest_in_yearly_lumps",
                "70 % in cash; the rest settled once a year in a lump, in cash or fuel credits, without penalty",
                "payment.cash_share = 0.7, deferred_delay_months = 0, settlement_every_months = 12",
                0.40,
                "SATBA tariff page (cash up to the budget, the rest booked as government debt); 'saved fuel' "
                "credits settled arrears in the 1400 and 1401 budgets (sokannews; BarghNews 1399-04-16)",
                "The mechanism is documented; the 70 % share is an assumption. Penalties stayed owed, so none is paid.",
            ),
            Alternative(
                "all_cash", "every bill in cash on the scenario's delay",
                "payment.cash_share = 1.0, deferred_delay_months = None",
                0.30,
                "the library's earlier default; small plants are paid by the distribution company",
                "Possible in a year whose budget covers the bills, which the record of arrears does not suggest.",
            ),
        ),
    ),
    Reading(
        "tax",
        "The cooperative's income tax",
        "books",
        (
            Alternative(
                "standard_18_75", "25 % less the 25 % cooperative discount: 18.75 % of profit",
                "cooperative.income_tax_rate = 0.25, tax_discount = 0.25, tax_exempt_years = 0",
                0.60,
                "Direct Taxes Act art. 105; cooperative discount under the Article 44 implementation law",
                "The rule that applies unless an exemption is shown to cover this plant.",
            ),
            Alternative(
                "zero_rate_5_years", "zero rate for the first 5 operating years, then 18.75 %",
                "cooperative.tax_exempt_years = 5",
                0.30,
                "Direct Taxes Act art. 132 as amended by art. 31 of the Law on Removing Production Barriers; "
                "listed among SATBA's renewable incentives",
                "Exists for production units, with location exclusions around large cities; not confirmed for "
                "Qom's plant.",
            ),
            Alternative(
                "exempt", "no income tax at all",
                "cooperative.tax_discount = 1.0",
                0.10,
                "Direct Taxes Act art. 133",
                "Exempts only rural, nomadic, agricultural, fishers', workers', employees' and students' "
                "cooperatives; a cooperative of Relief Committee clients is none of these.",
            ),
        ),
    ),
    Reading(
        "indexation_weight",
        "Which term of the indexation formula the seller's weight multiplies",
        "price",
        (
            Alternative(
                "weight_on_euro", "the seller's weight multiplies the euro term",
                "tariff.cpi_weight = 1 - cpi_weight",
                0.25,
                "SATBA billing guideline (the formula is published as an image)",
                "uncertainty.indexation_reading_probability (default 0.25): the published commentary reads it "
                "the other way.",
            ),
            Alternative(
                "weight_on_cpi", "the seller's weight multiplies the CPI term",
                "tariff.cpi_weight as set",
                0.75,
                "renews.pro reading of the SATBA billing guideline",
                "The only published reading of the formula.",
            ),
        ),
    ),
    Reading(
        "euro_window",
        "Where the 12-month euro window of the indexation ends",
        "price",
        (
            Alternative(
                "energy_month", "at the month the energy was made",
                "tariff.euro_window_end = 'energy_month'",
                0.40,
                "the library's earlier reading (a bill issued at the month's end)",
                "Simple and possible if the buyer prices the bill when it is issued.",
            ),
            Alternative(
                "payment_month", "at the month the bill is paid",
                "tariff.euro_window_end = 'payment_month'",
                0.60,
                "SATBA billing guideline: 'the average euro rate of the year before payment'",
                "What the guideline's words say.",
            ),
        ),
    ),
    Reading(
        "euro_drift",
        "How fast the euro rises against Iran's consumer prices (its real drift)",
        "economy",
        (
            Alternative(
                "parity", "purchasing-power parity: the euro rises with Iran's inflation less the euro area's 2 %",
                "economy.fx_real_drift_per_year -> (1 + drift) x (1 / 1.02) / (1.40 / 1.35) - 1",
                0.35,
                "relative purchasing-power parity; euro-area inflation about 2 %",
                "The long-run tendency of exchange rates, but Iran's rial fell faster than inflation under "
                "sanctions.",
            ),
            Alternative(
                "slow_real_fall_of_the_rial", "the euro gains 3.7 % a year on prices (40 % against 35 %)",
                "economy.fx_real_drift_per_year as set (central)",
                0.40,
                "the library's economy defaults: open-market dollar 613,500 (Mar 2024) to 1,221,500 rial "
                "(Dec 2025) damped toward parity",
                "Between parity and the pace of a shock period.",
            ),
            Alternative(
                "pace_of_2024_2025", "the euro gains 9.6 % a year on prices (48 % against 35 %)",
                "economy.fx_real_drift_per_year -> (1 + drift) x (1.48 / 1.35) / (1.40 / 1.35) - 1",
                0.25,
                "open-market dollar, March 2024 to December 2025 (press quotes)",
                "Measured over a shock period; unlikely to last twenty years.",
            ),
        ),
    ),
)
"""Every disputed fact the Monte Carlo draws, in the order of the money's flow."""

READING_NAMES = tuple(reading.name for reading in READINGS)

READING_TITLES = {
    "en": {
        "tariff_level": "tariff level",
        "step_downs": "step-downs",
        "payment": "how the buyer pays",
        "tax": "tax",
        "indexation_weight": "indexation weight",
        "euro_window": "euro window",
        "euro_drift": "euro against inflation",
        "all": "all together",
    },
    "fa": {
        "tariff_level": "نرخ خرید تضمینی",
        "step_downs": "کاهش پلکانی نرخ",
        "payment": "شیوهٔ پرداخت خریدار",
        "tax": "مالیات",
        "indexation_weight": "وزن تعدیل",
        "euro_window": "بازهٔ میانگین یورو",
        "euro_drift": "یورو در برابر تورم",
        "all": "همه با هم",
    },
}
"""Short names of the readings for charts, in English and Persian."""


def reading(name: str) -> Reading:
    """The reading of that name (``"tariff_level"`` ...)."""
    for item in READINGS:
        if item.name == name:
            return item
    raise InputError(f"reading = {name!r} is not a reading: choose one of {list(READING_NAMES)}")


def probabilities(name: str, uncertainty=None) -> np.ndarray:
    """The chances of a reading's alternatives, in their order [-]; the indexation weight's
    come from ``uncertainty.indexation_reading_probability`` when given."""
    item = reading(name)
    if name == "indexation_weight" and uncertainty is not None:
        other = uncertainty.indexation_reading_probability
        return np.array([other, 1 - other])
    return item.probabilities


# --------------------------------------------------------------------------- applying one


def _map_contracts(tariff, change, kinds=(GuaranteedPurchaseTariff,)):
    """The tariff with ``change`` applied to every part of the given kinds (inside a switch too)."""
    if isinstance(tariff, SwitchingTariff):
        return dataclasses.replace(
            tariff, first=_map_contracts(tariff.first, change, kinds), then=_map_contracts(tariff.then, change, kinds)
        )
    if isinstance(tariff, kinds):
        return change(tariff)
    return tariff


def _scale_price(tariff, factor: float):
    return dataclasses.replace(tariff, base_price_rial_per_kwh=tariff.base_price_rial_per_kwh * factor)


def _term_steps(tariff, steps):
    """Step-downs that fall within the contract's term (a shorter contract keeps the earlier ones)."""
    return dataclasses.replace(tariff, step_downs=tuple(s for s in steps if s[0] <= tariff.term_years))


def drift_ratio(alternative: str) -> float:
    """The euro rate's yearly factor under ``alternative`` over the central reading's [-]."""
    central = EURO_DRIFTS_PER_YEAR[reading("euro_drift").central]
    return (1 + EURO_DRIFTS_PER_YEAR[alternative]) / (1 + central)


def _apply_drift(economy, ratio: float):
    def moved(rates):
        return tuple(float((1 + r) * ratio - 1) for r in np.atleast_1d(rates))

    if economy.fx_change_per_year is not None:
        return dataclasses.replace(economy, fx_change_per_year=moved(economy.fx_change_per_year))
    return dataclasses.replace(economy, fx_real_drift_per_year=moved(economy.fx_real_drift_per_year))


def apply(scenario, name: str, alternative: str):
    """The scenario under one alternative of a reading.

    The central alternative returns the scenario unchanged: a scenario's own values are
    its central reading. The tariff level and the euro's drift move relative to the
    scenario's value (by the ratio of the alternative to the central one); the others set
    the alternative's values.

    Parameters
    ----------
    scenario : Scenario
    name : str
        A reading (:data:`READING_NAMES`).
    alternative : str
        One of its alternatives.

    Returns
    -------
    Scenario

    Examples
    --------
    The Qom baseline under the Hamedan tariff:

    >>> import solarcoop as sc
    >>> low = apply(sc.qom_baseline(), "tariff_level", "hamedan_30000")
    >>> low.tariff.base_price_rial_per_kwh
    30000.0
    """
    item = reading(name)
    item.index(alternative)
    if alternative == item.central:
        return scenario
    replace = dataclasses.replace
    if name == "tariff_level":
        factor = TARIFF_LEVELS_RIAL_PER_KWH[alternative] / TARIFF_LEVELS_RIAL_PER_KWH[item.central]
        tariff = _map_contracts(scenario.tariff, lambda t: _scale_price(t, factor), (GuaranteedPurchaseTariff, FlatTariff))
        return replace(scenario, tariff=tariff)
    if name == "step_downs":
        return replace(scenario, tariff=_map_contracts(scenario.tariff, lambda t: _term_steps(t, STEP_DOWNS[alternative])))
    if name == "payment":
        return replace(scenario, payment=replace(scenario.payment, **PAYMENT_TERMS[alternative]))
    if name == "tax":
        return replace(scenario, cooperative=replace(scenario.cooperative, **TAX_TERMS[alternative]))
    if name == "indexation_weight":
        swap = lambda t: replace(t, cpi_weight=1 - t.cpi_weight)  # noqa: E731
        return replace(scenario, tariff=_map_contracts(scenario.tariff, swap))
    if name == "euro_window":
        window = lambda t: replace(t, euro_window_end=alternative)  # noqa: E731
        return replace(scenario, tariff=_map_contracts(scenario.tariff, window))
    return replace(scenario, economy=_apply_drift(scenario.economy, drift_ratio(alternative)))


# --------------------------------------------------------------------------- tables


def readings(uncertainty=None) -> pd.DataFrame:
    """Every disputed fact, one row per alternative, with its source and probability.

    Parameters
    ----------
    uncertainty : Uncertainty, optional
        Whose ``indexation_reading_probability`` to show (default: the default's).

    Returns
    -------
    pandas.DataFrame
        Columns ``reading, question, alternative, says, central, probability, changes,
        source, reason``; the alternatives of a reading from least to most favourable to
        a family.
    """
    rows = []
    for item in READINGS:
        chances = probabilities(item.name, uncertainty)
        for alternative, chance in zip(item.alternatives, chances, strict=True):
            rows.append(
                {
                    "reading": item.name,
                    "question": item.question,
                    "alternative": alternative.name,
                    "says": alternative.says,
                    "central": alternative.name == item.central,
                    "probability": float(chance),
                    "changes": alternative.changes,
                    "source": alternative.source,
                    "reason": alternative.reason,
                }
            )
    return pd.DataFrame(rows)


STRESS_CASES = {
    "low_tariff": ("tariff_level", "hamedan_30000"),
    "half_in_bonds_a_year_late": ("payment", "half_in_bonds_a_year_late"),
    "step_downs_each_0_6": ("step_downs", "per_step_0_6"),
    "no_tax_exemption": ("tax", "standard_18_75"),
    "euro_at_parity": ("euro_drift", "parity"),
}
"""The cases a funder asks about, each one alternative of one reading. ``no_tax_exemption``
is the central reading already (the baseline pays tax); it is listed so that it can be
asked for by name."""


def stress(scenario, case: str):
    """The scenario in one of the named stress cases (:data:`STRESS_CASES`).

    >>> import solarcoop as sc
    >>> sc.stress(sc.qom_baseline(), "half_in_bonds_a_year_late").payment.cash_share
    0.5
    """
    if case not in STRESS_CASES:
        raise InputError(f"case = {case!r} is not a stress case: choose one of {list(STRESS_CASES)}")
    name, alternative = STRESS_CASES[case]
    if name == "tax":  # set outright: the scenario may hold an exemption of its own
        return dataclasses.replace(
            scenario, cooperative=dataclasses.replace(scenario.cooperative, **TAX_TERMS[alternative])
        )
    return apply(scenario, name, alternative)
