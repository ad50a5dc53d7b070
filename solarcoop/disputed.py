"""Disputed facts as readings: alternatives with sources and the chance the Monte Carlo gives each.

Where sources disagree about a fact that moves a family's money (the tariff level, the
step-downs, how the buyer pays, tax, the indexation weight, the euro window, the euro's
path against inflation, who pays the plant, the loan's grace, how the families are paid),
the library does not pick the favourable one. Each fact is a :class:`Reading`: its
alternatives, each with its source, the change it makes to a scenario (as data:
:class:`Sets`, :class:`Scales`, :class:`Complements`, :class:`Keeps`,
:class:`MovesEuroDrift`, :class:`PaysForThePlant`, :class:`GivesGrace`,
:class:`PaysOut`), and a probability with the reason for it.

- The **central** alternative of each reading is the one holding the median when the
  alternatives are ordered from least to most favourable to the family (the
  probability-weighted median). The specs' defaults, and so :func:`solarcoop.qom_baseline`,
  take the central alternative of every reading, so the single run sits near the Monte
  Carlo's P50.
- :func:`solarcoop.monte_carlo` draws one alternative of each reading per path
  (``scenario.uncertainty.readings`` names the readings drawn), each with its stated
  probability whatever the scenario's own values. A *level* (the tariff level, the
  euro's drift) moves around the scenario's own value: the central alternative leaves
  it as it is, the others scale it by their ratio to the central one. A *choice* (the
  step-downs, the payment terms, tax, the euro window, who pays the funding gap, the
  loan's grace, the payout practice) sets the alternative's values on each path, the
  central one's too. Facts that go together (how often the families are paid, from which
  month, and whether a shortfall is debited or withheld) are one reading with combined
  alternatives (:class:`PaysOut`), never independent draws.
- A scenario's own value of a choice is the user's statement for the single run. The
  Monte Carlo keeps it on every path only when that reading is left out of
  ``uncertainty.readings`` (the user's statement that the fact is known); otherwise it
  draws the reading with its stated chances, and :func:`own_value_findings` says so in
  the run's findings (``Result.findings``) for each such reading.
- :func:`readings` returns the table (its ``changes`` column is written from each
  alternative's change); :func:`stress` gives the few cases funders ask about, one line
  each.

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
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from solarcoop._validation import InputError
from solarcoop.tariff import FlatTariff, GuaranteedPurchaseTariff, SwitchingTariff

# --------------------------------------------------------------------------- what an alternative changes

STAGES = {
    "tariff": "price",
    "payment": "payment",
    "cooperative": "books",
    "funding": "books",
    "loan": "books",
    "payout": "books",
    "economy": "economy",
}
"""The step of the engine that each part of a scenario feeds (a reading's ``stage``)."""


def _map_contracts(tariff, change, kinds):
    """The tariff with ``change`` applied to every part of the given kinds (inside a switch too)."""
    if isinstance(tariff, SwitchingTariff):
        return dataclasses.replace(
            tariff, first=_map_contracts(tariff.first, change, kinds), then=_map_contracts(tariff.then, change, kinds)
        )
    if isinstance(tariff, kinds):
        return change(tariff)
    return tariff


def _set_on_contract(contract, values: Mapping[str, Any]):
    """The contract with ``values`` set; step-downs past its term are dropped (a shorter
    contract keeps the earlier ones)."""
    values = dict(values)
    if "step_downs" in values:
        values["step_downs"] = tuple(s for s in values["step_downs"] if s[0] <= contract.term_years)
    return dataclasses.replace(contract, **values)


@dataclass(frozen=True)
class Sets:
    """The alternative sets fields of one part of a scenario to its values.

    Attributes
    ----------
    part : {"tariff", "payment", "cooperative"}
        The scenario's part; ``"tariff"`` sets the fields of each contract of the kinds
        ``contracts``, inside a switching tariff too.
    values : mapping
        The fields the alternative names, with their values (what its ``changes`` text says).
    unnamed : mapping
        Fields it sets as well, to these values, when it does not name them (a bill is
        settled in cash without discount unless the alternative says otherwise).
    contracts : tuple of type
        The kinds of contract a ``"tariff"`` change applies to.
    """

    part: str
    values: Mapping[str, Any]
    unnamed: Mapping[str, Any] = field(default_factory=dict)
    contracts: tuple[type, ...] = (GuaranteedPurchaseTariff,)

    @property
    def fields(self) -> dict[str, Any]:
        """Every field the alternative sets, with its value."""
        return {**self.values, **{key: value for key, value in self.unnamed.items() if key not in self.values}}

    def applied(self, scenario, central):
        if self.part == "tariff":
            tariff = _map_contracts(scenario.tariff, lambda t: _set_on_contract(t, self.fields), self.contracts)
            return dataclasses.replace(scenario, tariff=tariff)
        part = dataclasses.replace(getattr(scenario, self.part), **self.fields)
        return dataclasses.replace(scenario, **{self.part: part})

    def describe(self, central) -> str:
        """``"payment.cash_share = 0.5, deferred_delay_months = 12"``: the named fields."""
        return self.part + "." + ", ".join(f"{key} = {value!r}" for key, value in self.values.items())


@dataclass(frozen=True)
class Scales:
    """The alternative multiplies a field of each contract by its value over the central
    alternative's, so that it moves *around* the scenario's own value.

    Attributes
    ----------
    field : str
        The contract's field (``"base_price_rial_per_kwh"``).
    value : float
        The alternative's value of it (the central alternative's is the reference).
    label : str
        The field in words, for the ``changes`` text.
    contracts : tuple of type
        The kinds of contract it applies to, inside a switching tariff too.
    """

    field: str
    value: float
    label: str
    contracts: tuple[type, ...] = (GuaranteedPurchaseTariff, FlatTariff)
    part = "tariff"

    def applied(self, scenario, central):
        factor = self.value / central.value
        if factor == 1:
            return scenario
        scaled = lambda t: dataclasses.replace(t, **{self.field: getattr(t, self.field) * factor})  # noqa: E731
        return dataclasses.replace(scenario, tariff=_map_contracts(scenario.tariff, scaled, self.contracts))

    def describe(self, central) -> str:
        if self == central:
            return f"{self.label} x 1 (the central reading)"
        return f"{self.label} x {self.value:,.0f} / {central.value:,.0f}"


@dataclass(frozen=True)
class Complements:
    """The alternative puts ``1 - x`` in a field ``x`` of each contract (the weight moves
    to the other term of a weighted sum)."""

    field: str
    contracts: tuple[type, ...] = (GuaranteedPurchaseTariff,)
    part = "tariff"

    def applied(self, scenario, central):
        other = lambda t: dataclasses.replace(t, **{self.field: 1 - getattr(t, self.field)})  # noqa: E731
        return dataclasses.replace(scenario, tariff=_map_contracts(scenario.tariff, other, self.contracts))

    def describe(self, central) -> str:
        return f"{self.part}.{self.field} = 1 - {self.field}"


@dataclass(frozen=True)
class Keeps:
    """The alternative leaves a field as the scenario sets it."""

    part: str
    field: str

    def applied(self, scenario, central):
        return scenario

    def describe(self, central) -> str:
        return f"{self.part}.{self.field} as set"


def _growth_text(factor: float) -> str:
    """A growth factor as the sources give it: ``1``, ``1.02``, ``1.40``."""
    return f"{factor:.0f}" if factor == int(factor) else f"{factor:.2f}"


def _apply_drift(economy, ratio: float):
    def moved(rates):
        return tuple(float((1 + r) * ratio - 1) for r in np.atleast_1d(rates))

    if economy.fx_change_per_year is not None:
        return dataclasses.replace(economy, fx_change_per_year=moved(economy.fx_change_per_year))
    return dataclasses.replace(economy, fx_real_drift_per_year=moved(economy.fx_real_drift_per_year))


@dataclass(frozen=True)
class MovesEuroDrift:
    """The alternative moves the euro's yearly change against Iran's prices by the ratio
    of its real drift to the central alternative's: ``economy.fx_real_drift_per_year``,
    or ``economy.fx_change_per_year`` when the scenario gives a nominal rate.

    Attributes
    ----------
    euro_factor, price_factor : float
        The drift as the sources give it: in a year the euro is multiplied by
        ``euro_factor`` while prices are multiplied by ``price_factor`` (1.40 and 1.35:
        the euro gains 40 % against 35 %).
    """

    euro_factor: float
    price_factor: float
    part = "economy"

    @property
    def rate_per_year(self) -> float:
        """The euro's real drift against Iran's prices [fraction/year]."""
        return self.euro_factor / self.price_factor - 1

    def ratio(self, central) -> float:
        """What the alternative multiplies ``1 + rate`` by [-] (1 for the central)."""
        return (1 + self.rate_per_year) / (1 + central.rate_per_year)

    def applied(self, scenario, central):
        ratio = self.ratio(central)
        if ratio == 1:
            return scenario
        return dataclasses.replace(scenario, economy=_apply_drift(scenario.economy, ratio))

    def describe(self, central) -> str:
        if self == central:
            return "economy.fx_real_drift_per_year as set (central)"
        mine = f"{_growth_text(self.euro_factor)} / {_growth_text(self.price_factor)}"
        theirs = f"{_growth_text(central.euro_factor)} / {_growth_text(central.price_factor)}"
        return f"economy.fx_real_drift_per_year -> (1 + drift) x ({mine}) / ({theirs}) - 1"


MARKET_CAPITAL_COST_RIAL_PER_KWP = 3.0e8
"""What a plant costs to build where a report gives its cost [rial/kWp]: 30 million toman
per kW, the top of 25-30 million toman for Hamedan (IRIB 5585575, Oct 2025), where the
aggregated farms whose cost is public also sit: Abarkuh 1.2 MW for 360 bn rial
(yazd.emdad.ir), Yazd's 5 MW for 150 bn toman (khabareyazd 735582), Kerman 150 x 5 kW for
225 bn rial (YJC 9005862)."""


def stated_funding_rial(scenario) -> float:
    """What the families' shares, a stated grant, stated sponsor equity and the
    cooperative's stated debt pay towards the plant [rial]: the plant's cost when no one
    fills a gap (:func:`solarcoop.books.capital.paid_by_stated_sources_rial`)."""
    from solarcoop.engine import funding

    unpriced = dataclasses.replace(scenario.costs, capital_cost_rial_per_kwp=None)
    return funding(dataclasses.replace(scenario, costs=unpriced))["capital_cost_rial"]


@dataclass(frozen=True)
class PaysForThePlant:
    """The alternative says who pays the part of the plant's cost that the families'
    shares do not: nobody, because the shares (with any stated grant, sponsor equity or
    debt) pay all of it, or a named source that fills the gap.

    Attributes
    ----------
    gap_filled_by : {"grant", "sponsor_equity", "debt"} or None
        ``None``: there is no gap; the plant cost what the stated sources paid
        (``costs.capital_cost_rial_per_kwp = None``). Otherwise the plant cost
        :data:`MARKET_CAPITAL_COST_RIAL_PER_KWP` (or what the stated sources paid, if
        more) and this source takes the rest (``funding.gap_filled_by``); a debt for it is
        repaid within the plant's life (its term cut to the life when longer).
    """

    gap_filled_by: str | None
    part = "funding"

    def capital_cost_rial_per_kwp(self, scenario) -> float | None:
        """The plant's cost under this alternative [rial/kWp]; None: what the stated sources paid."""
        if self.gap_filled_by is None:
            return None
        return max(MARKET_CAPITAL_COST_RIAL_PER_KWP, stated_funding_rial(scenario) / scenario.plant.capacity_kwp)

    def applied(self, scenario, central):
        stated = scenario.costs.capital_cost_rial_per_kwp
        if self.gap_filled_by is None and stated is not None:
            paid = stated_funding_rial(scenario)
            if abs(stated * scenario.plant.capacity_kwp - paid) <= 1e-9 * paid:  # already what they paid
                return scenario
        costs = dataclasses.replace(scenario.costs, capital_cost_rial_per_kwp=self.capital_cost_rial_per_kwp(scenario))
        funding = scenario.funding
        debt = scenario.debt
        if self.gap_filled_by is not None:
            funding = dataclasses.replace(funding, gap_filled_by=self.gap_filled_by)
        if self.gap_filled_by == "debt":  # a loan for the gap is repaid within the plant's life
            months_left = 12 * scenario.lifetime_years - debt.first_month_index
            if debt.term_months > months_left > 0:
                debt = dataclasses.replace(
                    debt, term_months=months_left, grace_months=min(debt.grace_months, months_left - 1)
                )
        if costs == scenario.costs and funding == scenario.funding and debt == scenario.debt:
            return scenario
        return dataclasses.replace(scenario, costs=costs, funding=funding, debt=debt)

    def describe(self, central) -> str:
        if self.gap_filled_by is None:
            return "costs.capital_cost_rial_per_kwp = None (what the shares and stated sources paid), no gap"
        return (
            f"costs.capital_cost_rial_per_kwp = {MARKET_CAPITAL_COST_RIAL_PER_KWP:,.0f} (or the shares', "
            f"if more), funding.gap_filled_by = {self.gap_filled_by!r}"
        )


@dataclass(frozen=True)
class GivesGrace:
    """The alternative gives each family's share loan (``loan`` and the member classes'
    own loans) this many months of interest only at the start of its term, at most the
    term less one month.

    Attributes
    ----------
    months : int
        Months of interest only [months].
    """

    months: int
    part = "loan"

    def _graced(self, loan):
        return dataclasses.replace(loan, grace_months=min(self.months, loan.term_months - 1))

    def applied(self, scenario, central):
        loan = self._graced(scenario.loan)
        classes = tuple(
            c if c.loan is None else dataclasses.replace(c, loan=self._graced(c.loan)) for c in scenario.member_classes
        )
        if loan == scenario.loan and classes == tuple(scenario.member_classes):
            return scenario
        return dataclasses.replace(scenario, loan=loan, member_classes=classes)

    def describe(self, central) -> str:
        return f"loan.grace_months = {self.months} (at most the term less a month; member classes' loans too)"


def _with_shortfall(loan, shortfall: str):
    return loan if loan.shortfall == shortfall else dataclasses.replace(loan, shortfall=shortfall)


@dataclass(frozen=True)
class PaysOut:
    """The alternative sets how the families are paid, three facts drawn together: how
    often (``cooperative.payout_cadence``), from which month
    (``cooperative.first_payout_month_index``), and what happens to an instalment the
    distribution does not cover (``loan.shortfall``, the member classes' own loans too).

    The three are one practice of the cooperative and its lender (the Abarkuh plant paid
    every three months, after the first quarter, net of the instalments: all three at
    once), so they are one reading with combined alternatives, never independent draws.

    Attributes
    ----------
    cadence : {"monthly", "quarterly"}
        How often the owners are paid.
    first_payout_month_index : int
        Accounting month of the first payout (0 = first month of operation) [-].
    shortfall : {"debited", "arrears"}
        ``"debited"``: the lender takes the rest from the family's own account;
        ``"arrears"``: the instalments are withheld from the payouts and a shortfall is
        recovered from later ones (:class:`solarcoop.finance.Loan`).
    """

    cadence: str
    first_payout_month_index: int
    shortfall: str
    part = "payout"

    def applied(self, scenario, central):
        cooperative = scenario.cooperative
        if (cooperative.payout_cadence, cooperative.first_payout_month_index) != (
            self.cadence, self.first_payout_month_index
        ):  # fmt: skip
            cooperative = dataclasses.replace(
                cooperative, payout_cadence=self.cadence, first_payout_month_index=self.first_payout_month_index
            )
        loan = _with_shortfall(scenario.loan, self.shortfall)
        classes = tuple(
            c if c.loan is None else dataclasses.replace(c, loan=_with_shortfall(c.loan, self.shortfall))
            for c in scenario.member_classes
        )
        if cooperative == scenario.cooperative and loan == scenario.loan and classes == tuple(scenario.member_classes):
            return scenario
        return dataclasses.replace(scenario, cooperative=cooperative, loan=loan, member_classes=classes)

    def describe(self, central) -> str:
        return (
            f"cooperative.payout_cadence = {self.cadence!r}, first_payout_month_index = "
            f"{self.first_payout_month_index}; loan.shortfall = {self.shortfall!r} (member classes' loans too)"
        )


Change = Sets | Scales | Complements | Keeps | MovesEuroDrift | PaysForThePlant | GivesGrace | PaysOut
"""What an alternative does to a scenario: ``applied(scenario, central)`` returns the
changed scenario (``central`` is the change of the reading's central alternative),
``describe(central)`` says it in dotted paths."""

# --------------------------------------------------------------------------- readings


@dataclass(frozen=True)
class Alternative:
    """One reading of a disputed fact.

    Attributes
    ----------
    name : str
        Short identifier (``"hamedan_30000"``).
    says : str
        What this alternative holds, in words and numbers.
    change : Sets, Scales, Complements, Keeps, MovesEuroDrift, PaysForThePlant, GivesGrace or PaysOut
        What it does to a scenario (:data:`Change`).
    probability : float
        Chance the Monte Carlo gives it [-].
    source : str
        Where it comes from (title, date).
    reason : str
        Why it has that probability.
    """

    name: str
    says: str
    change: Change
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
    alternatives : tuple of Alternative
        Each changing the same part of a scenario.
    chances_from : str or None
        A field of :class:`solarcoop.Uncertainty` that gives the first of two
        alternatives its chance (the second takes the rest); ``None``: the chances are
        the alternatives' own.
    """

    name: str
    question: str
    alternatives: tuple[Alternative, ...]
    chances_from: str | None = None

    def __post_init__(self):
        parts = {alternative.change.part for alternative in self.alternatives}
        if len(parts) != 1 or not parts <= set(STAGES):
            raise InputError(
                f"reading {self.name!r}: its alternatives change {sorted(parts)}; they must all "
                f"change one part of a scenario, one of {list(STAGES)}"
            )

    @property
    def stage(self) -> str:
        """Which step of the engine the alternatives change (``"price"``, ``"payment"``,
        ``"books"`` or ``"economy"``): the Monte Carlo groups paths by it."""
        return STAGES[self.alternatives[0].change.part]

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

    def change(self, alternative: str) -> Change:
        """What ``alternative`` does to a scenario."""
        return self.alternatives[self.index(alternative)].change

    def changes(self, alternative: str) -> str:
        """What ``alternative`` sets in a scenario, in dotted paths, relative to the central
        alternative (written from its change)."""
        return self.change(alternative).describe(self.change(self.central))


# --------------------------------------------------------------------------- the facts

_PAID_IN_CASH = {"settlement_every_months": None, "settled_in": "cash", "bond_discount": 0.0, "late_penalty_per_year": 0.0}
"""``payment.*`` fields an alternative of the payment reading sets when it does not name them."""

_STANDARD_TAX = {"income_tax_rate": 0.25, "tax_discount": 0.25, "tax_exempt_years": 0}
"""``cooperative.*`` tax fields an alternative of the tax reading sets when it does not name them."""

READINGS: tuple[Reading, ...] = (
    Reading(
        "tariff_level",
        "The guaranteed-purchase price of 1404 for plants of Relief Committee clients",
        (
            Alternative(
                "hamedan_30000", "30,000 rial/kWh (3,000 toman) for households of support institutions",
                Scales("base_price_rial_per_kwh", 30_000.0, "tariff base price"),
                0.35,
                "IRIB news 5585575, Hamedan, 3 Oct 2025 (25,000 for other households); the same 30,000 "
                "was the 1402 price for low-income support plants (SATBA)",
                "A dated report for exactly this class, matching the 1402 price: it may be the price "
                "still in force if 1404's was not raised.",
            ),
            Alternative(
                "households_38000", "38,000 rial/kWh, the 1404 price quoted for households (38,500 rural producers)",
                Scales("base_price_rial_per_kwh", 38_000.0, "tariff base price"),
                0.25,
                "press reports of 1404 gathered in the library's notes (other classes at 38,000-38,500)",
                "Lies between the two dated reports; quoted for other classes, so less weight than either.",
            ),
            Alternative(
                "isfahan_45800", "about 45,800 rial/kWh (4,580 toman), called a forecast",
                Scales("base_price_rial_per_kwh", 45_800.0, "tariff base price"),
                0.40,
                "IRIB news 5593090, Isfahan, 11 Oct 2025",
                "The most recent report and for Relief Committee plants, but a forecast, not a decided price.",
            ),
        ),
    ),
    Reading(
        "step_downs",
        "Whether the contract price steps down in later years",
        (
            Alternative(
                "per_step_0_6", "x0.6 at each of the starts of years 8, 12 and 16 (0.6, 0.36, 0.216)",
                Sets("tariff", {"step_downs": ((8, 0.6), (12, 0.36), (16, 0.216))}),
                0.20,
                "SATBA's description of the 1400 decree (coefficient 60 %, per step or cumulative unclear)",
                "The wording allows it, but cutting to a fifth would make late years worthless; less likely.",
            ),
            Alternative(
                "three_even_steps_to_0_6", "down to 0.6 of the price in three even steps at years 8, 12, 16",
                Sets("tariff", {"step_downs": ((8, 0.8667), (12, 0.7333), (16, 0.6))}),
                0.35,
                "SATBA's description of the 1400 decree (steps at the start of years 8, 12 and 16)",
                "The decree's plain reading for a contract of that vintage.",
            ),
            Alternative(
                "exempt", "no step-down: plants of support institutions are exempt",
                Sets("tariff", {"step_downs": ()}),
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
        (
            Alternative(
                "half_in_bonds_a_year_late",
                "half in cash; half at least a year late in the yearly settlement, in bonds sold 20 % below face value",
                Sets(
                    "payment",
                    {"cash_share": 0.5, "deferred_delay_months": 12, "settlement_every_months": 12,
                     "settled_in": "bonds", "bond_discount": 0.2},
                    _PAID_IN_CASH,
                ),  # fmt: skip
                0.30,
                "arrears settled with bonds in 1401-1402 (ecoiran; tasisatnews); SATBA pays cash only up to its "
                "budget (SATBA tariff page). The half in cash and the 20 % discount are unsourced assumptions: "
                "no published share or discount was found; a discount of 15-30 % spans a year's yield on "
                "treasury bills",
                "What happened in 1401-1402; the share (0.3-0.7 in cash) and the discount (15-30 %) are "
                "unsourced assumptions.",
            ),
            Alternative(
                "part_cash_rest_in_yearly_lumps",
                "70 % in cash; the rest settled once a year in a lump, in cash or fuel credits, without penalty",
                Sets("payment", {"cash_share": 0.7, "deferred_delay_months": 0, "settlement_every_months": 12}, _PAID_IN_CASH),
                0.40,
                "SATBA tariff page (cash up to the budget, the rest booked as government debt); 'saved fuel' "
                "credits settled arrears in the 1400 and 1401 budgets (sokannews; BarghNews 1399-04-16). The "
                "70 % cash share is an unsourced assumption: no published share was found (a stated range of "
                "50-90 %)",
                "The mechanism is documented; the 70 % share is an unsourced assumption within 50-90 %. "
                "Penalties stayed owed, so none is paid.",
            ),
            Alternative(
                "all_cash", "every bill in cash on the scenario's delay",
                Sets("payment", {"cash_share": 1.0, "deferred_delay_months": None}, _PAID_IN_CASH),
                0.30,
                "the library's earlier default; small plants are paid by the distribution company",
                "Possible in a year whose budget covers the bills, which the record of arrears does not suggest.",
            ),
        ),
    ),
    Reading(
        "tax",
        "The cooperative's income tax",
        (
            Alternative(
                "standard_18_75", "25 % less the 25 % cooperative discount: 18.75 % of profit",
                Sets("cooperative", {"income_tax_rate": 0.25, "tax_discount": 0.25, "tax_exempt_years": 0}, _STANDARD_TAX),
                0.60,
                "Direct Taxes Act art. 105; cooperative discount under the Article 44 implementation law",
                "The rule that applies unless an exemption is shown to cover this plant.",
            ),
            Alternative(
                "zero_rate_5_years", "zero rate for the first 5 operating years, then 18.75 %",
                Sets("cooperative", {"tax_exempt_years": 5}, _STANDARD_TAX),
                0.30,
                "Direct Taxes Act art. 132 as amended by art. 31 of the Law on Removing Production Barriers; "
                "listed among SATBA's renewable incentives",
                "Exists for production units, with location exclusions around large cities; not confirmed for "
                "Qom's plant.",
            ),
            Alternative(
                "exempt", "no income tax at all",
                Sets("cooperative", {"tax_discount": 1.0}, _STANDARD_TAX),
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
        (
            Alternative(
                "weight_on_euro", "the seller's weight multiplies the euro term",
                Complements("cpi_weight"),
                0.25,
                "SATBA billing guideline (the formula is published as an image)",
                "uncertainty.indexation_reading_probability (default 0.25): the published commentary reads it "
                "the other way.",
            ),
            Alternative(
                "weight_on_cpi", "the seller's weight multiplies the CPI term",
                Keeps("tariff", "cpi_weight"),
                0.75,
                "renews.pro reading of the SATBA billing guideline",
                "The only published reading of the formula.",
            ),
        ),
        chances_from="indexation_reading_probability",
    ),
    Reading(
        "euro_window",
        "Where the 12-month euro window of the indexation ends",
        (
            Alternative(
                "energy_month", "at the month the energy was made",
                Sets("tariff", {"euro_window_end": "energy_month"}),
                0.40,
                "the library's earlier reading (a bill issued at the month's end)",
                "Simple and possible if the buyer prices the bill when it is issued.",
            ),
            Alternative(
                "payment_month", "at the month the bill is paid",
                Sets("tariff", {"euro_window_end": "payment_month"}),
                0.60,
                "SATBA billing guideline: 'the average euro rate of the year before payment'",
                "What the guideline's words say.",
            ),
        ),
    ),
    Reading(
        "indexation_base",
        "From which date the indexation measures consumer prices and the euro (it decides whether the "
        "first year is indexed)",
        (
            Alternative(
                "contract_year",
                "the contract year: its energy is paid the base price unindexed; later years are indexed "
                "from the contract year",
                Sets("tariff", {"indexation_base": "contract_year"}),
                0.40,
                "SATBA's English guideline page dates the index base to the contract year; the press's "
                "first-year figures are energy x base price, with no uplift (Hamedan, IRIB 5585575; SATBA's "
                "estimate, IRIB 5620603)",
                "A translation of the guideline, and projections rather than outcomes; the hindcast's "
                "outcomes fit it worse (with it as the central reading the 1397 plants' P50 in 1404 fell "
                "from 0.64-0.84 of the report to 0.42-0.55, South Khorasan's first year from 0.81 to 0.62).",
            ),
            Alternative(
                "operation_start",
                "the start of commercial operation: the first year is already indexed against the 12 months "
                "before it",
                Sets("tariff", {"indexation_base": "operation_start"}),
                0.60,
                "SATBA's Persian guideline page, the language of the contracts (the base is the start of "
                "commercial operation); the incomes reported for running plants (1397 home plants in 1404, "
                "YJC 8994145, Mehr 6572886; South Khorasan's first year, YJC 8994145)",
                "The better sourced: the contracts' own language, and the reported outcomes of running "
                "plants lie closer to it (benchmarks/hindcast.py); only projections of a first year "
                "(Hamedan's 1.8 M toman) fit the contract year better.",
            ),
        ),
    ),
    Reading(
        "euro_drift",
        "How fast the euro rises against Iran's consumer prices (its real drift)",
        (
            Alternative(
                "parity", "purchasing-power parity: the euro rises with Iran's inflation less the euro area's 2 %",
                MovesEuroDrift(1.0, 1.02),
                0.35,
                "relative purchasing-power parity; euro-area inflation about 2 %",
                "The long-run tendency of exchange rates, but Iran's rial fell faster than inflation under "
                "sanctions.",
            ),
            Alternative(
                "slow_real_fall_of_the_rial", "the euro gains 3.7 % a year on prices (40 % against 35 %)",
                MovesEuroDrift(1.40, 1.35),
                0.40,
                "the library's economy defaults: open-market dollar 613,500 (Mar 2024) to 1,221,500 rial "
                "(Dec 2025) damped toward parity",
                "Between parity and the pace of a shock period.",
            ),
            Alternative(
                "pace_of_2024_2025", "the euro gains 9.6 % a year on prices (48 % against 35 %)",
                MovesEuroDrift(1.48, 1.35),
                0.25,
                "open-market dollar, March 2024 to December 2025 (press quotes)",
                "Measured over a shock period; unlikely to last twenty years.",
            ),
        ),
    ),
    Reading(
        "funding_gap",
        "Who pays the part of the plant's cost that the families' shares do not",
        (
            Alternative(
                "sponsor_equity", "a sponsor puts in the rest and takes its part of every distribution",
                PaysForThePlant("sponsor_equity"),
                0.10,
                "none for this cooperative: the 3 MW Qom plant in 5 kW shares (Mehr 6569792, 25 Aug 2025) is a "
                "Welfare Organization plant, not the Relief Committee's 400-family cooperative; for home plants "
                "the Relief Committee acts only as facilitator (Mehr 6558337)",
                "The earlier default rested on a report about another plant; no sponsor stake was reported.",
            ),
            Alternative(
                "debt", "a bank loan to the cooperative at 14 % takes the part the shares do not pay",
                PaysForThePlant("debt"),
                0.15,
                "SATBA's commercial loans for 1-3 MW plants: 14 %, 60 months with up to 12 months' grace, up "
                "to 70 % of the cost; plant cost 30 million toman per kW (IRIB 5585575)",
                "Possible if the shares fell short, but no aggregated plant of support-institution clients "
                "was reported with a bank loan to the cooperative.",
            ),
            Alternative(
                "grant", "a grant (province or charity) pays the rest, with no claim on the income",
                PaysForThePlant("grant"),
                0.20,
                "Golestan's farms built 'with the help of the government and charities' (ILNA, 3 Sep 2025); "
                "the Qom governorate's help to the 25 MW plant (Mehr 6696869); in Sarakhs the extra 30 million "
                "toman was a loan, not a grant (IRIB 5565464)",
                "Help from provinces and charities is reported, but not as a part of a plant's cost.",
            ),
            Alternative(
                "shares_cover_the_cost", "no gap: the families' share loans paid the whole plant",
                PaysForThePlant(None),
                0.55,
                "Abarkuh, 1.2 MW for 240 Relief Committee families, 360 bn rial = 240 x 150 million toman "
                "(yazd.emdad.ir); Yazd's 5 MW for 1,000 Welfare Organization clients, 150 bn toman, each "
                "client's 150 million toman loan paid to the builder (khabareyazd 735582); Taybad and Kerman, "
                "150 million toman per 5 kW from employment loans (IRIB 5625888, YJC 9005862)",
                "Every comparable plant whose cost is public was paid wholly by the share loans. For Qom "
                "it means 20 million toman per kW (600 bn rial for 3 MW), below the 25-40 million reported "
                "elsewhere: the reported 400 families or 3 MW may be inexact.",
            ),
        ),
    ),
    Reading(
        "loan_grace",
        "Whether the family's share loan starts with months of interest only (which eases the first "
        "months and costs more afterwards: the balance repays over fewer months, with the grace's interest)",
        (
            Alternative(
                "twelve_months", "twelve months of interest only, then the instalments over the rest of the term",
                GivesGrace(12),
                0.15,
                "SATBA's commercial loans for 1-3 MW plants allow up to 12 months' grace",
                "Reported for the cooperative-size bank loans, not for the families' qarz-al-hasaneh loans.",
            ),
            Alternative(
                "six_months", "six months of interest only, then the instalments over the rest of the term",
                GivesGrace(6),
                0.25,
                "an unsourced assumption: self-employment loans often start with a grace period; none was "
                "found for the solar share loans",
                "Common for employment loans, not reported for these.",
            ),
            Alternative(
                "none", "the instalments start with the plant's first month",
                GivesGrace(0),
                0.60,
                "Abarkuh paid its families their first quarter net of the instalments (yazd.emdad.ir); "
                "instalments are repaid from the electricity income (IRIB 5593090, Isfahan; Mehr 6623024, "
                "Rudan, 7-year instalments)",
                "The reports of running plants show instalments deducted from the first payouts.",
            ),
        ),
    ),
    Reading(
        "payout",
        "How the families are paid: how often, from which month, and whether an instalment the "
        "distribution does not cover is taken from the family's account or withheld from later payouts "
        "(one practice of the cooperative and its lender, drawn as one)",
        (
            Alternative(
                "monthly_debited",
                "every month from the first operating month; an instalment the distribution does not cover is "
                "taken from the family's own account",
                PaysOut("monthly", 0, "debited"),
                0.20,
                "the loan contract is not tied to the plant's income, and banks collect overdue instalments from "
                "the borrower and guarantors (Central Bank rules on non-current claims, 184847/94 of 1394-07-07); "
                "no running plant of support-institution families was reported collecting this way",
                "The lender's legal default, but no report of it for these loans; Rudan's were given without "
                "guarantors and are repaid from the income (Mehr 6623024).",
            ),
            Alternative(
                "quarterly_net_after_first_quarter",
                "every third month from the fourth (after the first quarter), net of the instalments; a shortfall "
                "is carried as arrears and taken from later payouts",
                PaysOut("quarterly", 3, "arrears"),
                0.45,
                "Abarkuh (Bahman), 1.2 MW aggregated plant of the Relief Committee for 240 families, in operation "
                "from Tir 1404: its first payout was 'a net cash deposit after the instalments of the three-month "
                "period were deducted', 22 bn rial to 220 families (yazd.emdad.ir)",
                "The one reported payout practice of an aggregated plant of Relief Committee families, all three "
                "facts at once; a single report (medium-low confidence), so less than half.",
            ),
            Alternative(
                "monthly_net",
                "every month from the first operating month, net of the instalment; a shortfall is carried as "
                "arrears and taken from later payouts",
                PaysOut("monthly", 0, "arrears"),
                0.35,
                "instalments repaid from the electricity income: Isfahan (IRIB 5593090, 11 Oct 2025), Rudan, "
                "7-year loans without guarantors (Mehr 6623024, 15 Oct 2025); the buyer bills monthly (SATBA)",
                "Reported for home plants, whose income reaches the family monthly, not for an aggregated plant.",
            ),
        ),
    ),
)
"""Every disputed fact the Monte Carlo draws, in the order of the money's flow."""

READING_NAMES = tuple(reading.name for reading in READINGS)
"""The readings' names; their short titles for a reader are ``[readings]`` of each
catalog (:mod:`solarcoop.present.locales`)."""


def reading(name: str) -> Reading:
    """The reading of that name (``"tariff_level"`` ...)."""
    for item in READINGS:
        if item.name == name:
            return item
    raise InputError(f"reading = {name!r} is not a reading: choose one of {list(READING_NAMES)}")


def probabilities(name: str, uncertainty=None) -> np.ndarray:
    """The chances of a reading's alternatives, in their order [-]; a reading with
    ``chances_from`` (the indexation weight) takes them from that field of
    ``uncertainty`` when given."""
    item = reading(name)
    if item.chances_from is not None and uncertainty is not None:
        other = getattr(uncertainty, item.chances_from)
        return np.array([other, 1 - other])
    return item.probabilities


# --------------------------------------------------------------------------- the alternatives' values

TARIFF_LEVELS_RIAL_PER_KWH = {a.name: a.change.value for a in reading("tariff_level").alternatives}
"""Guaranteed-purchase price of 1404 under each reading [rial/kWh]."""

STEP_DOWNS = {a.name: a.change.values["step_downs"] for a in reading("step_downs").alternatives}
"""Step-downs of the contract price (operating year, factor) under each reading."""

PAYMENT_TERMS = {a.name: a.change.fields for a in reading("payment").alternatives}
"""``payment.*`` fields under each reading (billing period and delay stay the scenario's)."""

TAX_TERMS = {a.name: a.change.fields for a in reading("tax").alternatives}
"""``cooperative.*`` tax fields under each reading."""

EURO_DRIFTS_PER_YEAR = {a.name: a.change.rate_per_year for a in reading("euro_drift").alternatives}
"""The euro's real drift against Iran's consumer prices under each reading [fraction/year]."""


# --------------------------------------------------------------------------- applying one


def drift_ratio(alternative: str) -> float:
    """What an alternative of the euro's drift multiplies ``1 + rate`` by [-] (1 for the
    central): the Monte Carlo moves each path's euro by it.

    At parity the euro's yearly factor is 5 % below the central reading's:

    >>> round(drift_ratio("parity"), 4)
    0.9454
    """
    item = reading("euro_drift")
    return item.change(alternative).ratio(item.change(item.central))


def apply(scenario, name: str, alternative: str):
    """The scenario under one alternative of a reading.

    Every alternative, the central one included, applies its change
    (:attr:`Alternative.change`). The tariff level and the euro's drift move relative to
    the scenario's own value (by the ratio of the alternative to the central one, so the
    central one leaves it as it is); the indexation weight keeps or swaps the scenario's
    weight; a choice (:class:`Sets`, :class:`PaysForThePlant`, :class:`GivesGrace`) sets the alternative's
    values whatever the scenario holds. So the Monte Carlo draws each alternative with
    its stated chance whatever the scenario's own value (:func:`own_value_findings` says
    when a scenario's own choice differs from the central alternative, and how to keep it
    on every path).

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
    return item.change(alternative).applied(scenario, item.change(item.central))


_PARTS = ("tariff", "payment", "cooperative", "funding", "loan", "costs", "economy", "debt", "member_classes")
"""The parts of a scenario an alternative may change (:class:`PaysForThePlant` changes
``costs`` and ``debt`` with ``funding``, :class:`GivesGrace` the member classes' loans with
``loan``)."""


def differs_from_central(scenario, name: str) -> bool:
    """Whether ``scenario``'s own value of a choice reading is other than its central
    alternative's (a level, moved around the scenario's own value, never differs)."""
    item = reading(name)
    central = apply(scenario, name, item.central)
    return central is not scenario and any(getattr(central, part) != getattr(scenario, part) for part in _PARTS)


def own_value_findings(scenario) -> list:
    """What a run should say about the scenario's own choices that the Monte Carlo draws.

    For each reading of ``scenario.uncertainty.readings`` whose central alternative
    would change the scenario (the scenario states another choice, for example
    ``cooperative.tax_exempt_years = 5``), one coded finding (``own_choice``,
    :class:`solarcoop.findings.Finding`): the single run uses the scenario's value; the
    Monte Carlo draws every alternative of the reading with its stated chance; leaving
    the reading out of ``uncertainty.readings`` keeps the scenario's value on every path.
    Its words are ``[findings] own_choice`` of each language's catalog
    (``finding.text("fa")``).

    Examples
    --------
    >>> import solarcoop as sc
    >>> own_value_findings(sc.qom_baseline())
    []
    >>> exempt = sc.qom_baseline().with_changes({"cooperative.tax_exempt_years": 5})
    >>> (finding,) = own_value_findings(exempt)
    >>> finding.code, finding.values
    ('own_choice', {'reading': 'tax', 'central': 'standard_18_75'})
    >>> print(finding.split(".")[0])
    readings: the scenario's own tax is not the central reading (standard_18_75)
    """
    from solarcoop.findings import Finding

    return [
        Finding("own_choice", reading=name, central=reading(name).central)
        for name in scenario.uncertainty.readings
        if differs_from_central(scenario, name)
    ]


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
        a family; ``changes`` is written from each alternative's change.
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
                    "changes": item.changes(alternative.name),
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

    A stress case applies its alternative's change outright, even the central one's
    (``no_tax_exemption`` sets the standard tax on a scenario that holds an exemption of
    its own).

    >>> import solarcoop as sc
    >>> sc.stress(sc.qom_baseline(), "half_in_bonds_a_year_late").payment.cash_share
    0.5
    """
    if case not in STRESS_CASES:
        raise InputError(f"case = {case!r} is not a stress case: choose one of {list(STRESS_CASES)}")
    name, alternative = STRESS_CASES[case]
    item = reading(name)
    return item.change(alternative).applied(scenario, item.change(item.central))
