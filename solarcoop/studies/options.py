"""One family's choice: a rooftop home plant, a share in an aggregated farm, or a cooperative.

The Imam Khomeini Relief Committee has built more than 22,000 rooftop home plants (about
85 % of Iran's; a 1404 target of 30,000 plants of 5 kW, the Ministry of Energy paying each
family directly; YJC 9008210, 30 Sep 2025; Mehr 6558337, 12 Aug 2025) and is moving to
aggregated farms whose client families are shareholders (Gomishan, Golestan: 1.4 MW, 280
families at 5 kW each; ILNA, 3 Sep 2025). :func:`compare_options` puts the same family's
share loan into each kind of plant and says, per option, what the family is left with
each month, how sure that is, when the loan ends, the months it pays from its own pocket,
and its real return.

Every figure of the family's money is the ledger's own (``Result.monthly``
``family_cash_flow_rial``: what reaches the family less what it pays its lender from its
own pocket, negative in such months; the summary's months paid from the pocket, the
family's real IRR and payback on its share): this module only puts the options side by
side.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import pandas as pd

from solarcoop._validation import InputError, check_number
from solarcoop.books.specs import Cooperative, Costs
from solarcoop.disputed import READING_NAMES
from solarcoop.engine import Result, simulate
from solarcoop.finance import Loan
from solarcoop.plant import Plant
from solarcoop.scenario import Scenario, qom_baseline
from solarcoop.site import QOM, Site
from solarcoop.studies.montecarlo import exceedance_quantile, monte_carlo
from solarcoop.tariff import central_contract
from solarcoop.uncertainty import Uncertainty

HOME_PLANT_KWP = 5.0
"""A Relief Committee home plant: 5 kW (1404 target of 30,000 plants of 5 kW; YJC 9008210,
30 Sep 2025)."""

HOME_TARIFF_RIAL_PER_KWH = 30_000.0
"""3,000 toman/kWh for the home plants of households under support institutions, over 20
years (Hamedan; IRIB news 5585575, 3 Oct 2025). Disputed: an Isfahan report gives about
4,580 toman as a forecast (IRIB 5593090, 11 Oct 2025), the figure the cooperative
baseline takes."""

SHARE_CAPITAL_COST_RIAL_PER_KWP = 3.0e8
"""30 million toman per kW: 150 million toman per 5 kW share (Taybad, IRIB 5625888; Kerman,
150 x 5 kW for 225 bn rial, YJC 9005862), the top of 25-30 million toman per kW (Hamedan,
IRIB 5585575, Oct 2025)."""

GOMISHAN_KWP = 1_400.0
GOMISHAN_FAMILIES = 280
"""The aggregated farm in Gomishan, Golestan: 1.4 MW, 280 client families as shareholders
at 5 kW each (ILNA, 3 Sep 2025)."""


CASH_FLOWS = ("family_cash_flow_rial", "family_cash_flow_real_rial")
"""The lines an options comparison shows year by year: the family's cash flow, nominal and
in real money: the scenario's real money month (single run, P50 and P90)."""

KEPT = (*CASH_FLOWS, "paid_from_pocket_per_family_rial")
"""The lines the Monte Carlo of each option keeps (the cash flows, and the months a family
pays from its pocket)."""


def home_plant(
    site: Site = QOM,
    capacity_kwp: float = HOME_PLANT_KWP,
    loan: Loan | None = None,
    start: str | None = None,
    support: bool = True,
) -> Scenario:
    """A rooftop home plant of one family, paid by the buyer directly to the family.

    One family owns the plant; no cooperative stands between: no management, insurance,
    O&M contract or land, no income tax, no legal or precautionary reserve, no education
    fee, no working cash. What is left is the inverter: its replacement (5 % of the
    capital cost in year 12, :class:`~solarcoop.books.specs.Costs`) is set aside from the
    income, as a family must.

    Parameters
    ----------
    site : Site
        Where the roof is. Default Qom.
    capacity_kwp : float
        Default 5 kW (:data:`HOME_PLANT_KWP`).
    loan : Loan, optional
        The family's loan. Default: 150 million toman at 4 % over 84 months, the Relief
        Committee's loan for home plants (Hamedan, Rudan; IRIB 5585575, 5565464).
    start : str, optional
        A Jalali month (``"1397-07"``) in which the plant started: its contract year's
        terms and its published months (:func:`solarcoop.vintage.started`). Default: the
        scenario's start, priced at :data:`HOME_TARIFF_RIAL_PER_KWH`.
    support : bool
        With ``start``: the household is under a support institution (default True, as
        the Relief Committee's clients are), which has its own price class from 1402.

    Notes
    -----
    Tariff: a guaranteed-purchase contract at :data:`HOME_TARIFF_RIAL_PER_KWH`, indexed
    like the cooperative's (the Hamedan report names the price and the 20 years, not the
    indexation). Capital cost :data:`SHARE_CAPITAL_COST_RIAL_PER_KWP`. The Ministry of
    Energy pays each family directly (YJC 9008210); when and how much of it in cash is
    the scenario's :class:`~solarcoop.payment.Payment`, the same as the cooperative's.

    Examples
    --------
    >>> plant = home_plant()
    >>> plant.name, plant.cooperative.families, plant.plant.capacity_kwp
    ('Qom plant of one family, 5 kW', 1, 5.0)
    """
    if start is not None:
        from solarcoop.vintage import started  # vintage builds on this module's scenarios

        return started(home_plant(site, capacity_kwp, loan), start, support=support)
    return Scenario(
        site=site,
        plant=Plant(capacity_kwp=capacity_kwp),
        # the central readings of the contract's disputed facts (step-downs, euro window), at its own price
        tariff=dataclasses.replace(central_contract(), base_price_rial_per_kwh=HOME_TARIFF_RIAL_PER_KWH),
        costs=Costs(
            capital_cost_rial_per_kwp=SHARE_CAPITAL_COST_RIAL_PER_KWP,
            om_rial_per_kwp_year=0.0,
            insurance_share_of_capital_per_year=0.0,
            management_rial_per_year=0.0,
        ),
        cooperative=Cooperative(
            families=1,
            income_tax_rate=0.0,
            tax_discount=0.0,
            legal_reserve_share=0.0,
            precautionary_reserve_share=0.0,
            education_fee_share=0.0,
            working_cash_months=0.0,
            distribution_rule="cash",  # the family's own plant: all its cash is the family's
            # the buyer pays the family each month; the instalment is repaid from that income
            # (IRIB 5593090; Mehr 6623024): the payout reading is the cooperative's, not drawn
            payout_cadence="monthly",
            first_payout_month_index=0,
        ),
        loan=Loan() if loan is None else loan,
        # a household pays no income tax on its plant, and its payout is stated: neither is drawn
        uncertainty=Uncertainty(readings=tuple(name for name in READING_NAMES if name not in ("tax", "payout"))),
    )


def aggregated_farm(
    site: Site = QOM,
    capacity_kwp: float = GOMISHAN_KWP,
    families: int = GOMISHAN_FAMILIES,
    loan: Loan | None = None,
) -> Scenario:
    """An aggregated farm of the Relief Committee whose client families are shareholders.

    The Gomishan shape (:data:`GOMISHAN_KWP`, :data:`GOMISHAN_FAMILIES`: 5 kW a family),
    run as a cooperative with the Qom baseline's costs, tax, reserves, tariff and payment,
    and capital cost :data:`SHARE_CAPITAL_COST_RIAL_PER_KWP` (a family's 150-million-toman
    share pays for its 5 kW). Placed at ``site`` (default Qom) so that a comparison with a
    plant there is not a comparison of weather.

    Examples
    --------
    >>> aggregated_farm().name
    'Qom cooperative, 280 families, 1.4 MW'
    """
    base = qom_baseline()
    return dataclasses.replace(
        base,
        name=None,
        site=site,
        plant=dataclasses.replace(base.plant, capacity_kwp=capacity_kwp),
        costs=dataclasses.replace(base.costs, capital_cost_rial_per_kwp=SHARE_CAPITAL_COST_RIAL_PER_KWP),
        cooperative=dataclasses.replace(base.cooperative, families=families),
        loan=base.loan if loan is None else loan,
        promise=None,
    )


def default_options(site: Site = QOM) -> dict[str, Scenario]:
    """``{"home plant", "farm share", "Qom cooperative"}``: the three a Qom family weighs."""
    return {
        "home plant": home_plant(site),
        "farm share": aggregated_farm(site),
        "Qom cooperative": qom_baseline(),
    }


@dataclasses.dataclass(frozen=True, eq=False)
class OptionsComparison:
    """What one family is left with under each option.

    Attributes
    ----------
    scenarios : dict of str to Scenario
        Each option, with the family's loan in it.
    results : dict of str to Result
        Each option's single run.
    by_year : pandas.DataFrame
        Index (option, operating_year); the yearly mean of the family's monthly money
        [rial per family per month]: ``family_cash_flow_rial`` (single run),
        ``family_cash_flow_rial_p50`` and ``_p90`` (Monte Carlo; P90 is exceeded with
        90 % probability), and the same in real money (``..._real_rial...``, money of the
        option's ``real_base_month_label``).
    summary : pandas.DataFrame
        One row per option: size and share, year-1 energy and sales per family, months
        the family pays its lender from its own pocket (single run, and the number
        exceeded in only one future in ten), the real total so paid, the month the loan
        is paid off, the family's real IRR on its share and the month it is paid back.
    n_paths : int
        Monte Carlo paths behind the P50 and P90.
    """

    scenarios: dict
    results: dict
    by_year: pd.DataFrame
    summary: pd.DataFrame
    n_paths: int

    def plot(self, ax=None, real: bool = True, lang: str = "en"):
        """The family's monthly money by year under each option: P50 and P90
        (drawn by :func:`solarcoop.present.plots.options_payout`).

        Parameters
        ----------
        ax : matplotlib.axes.Axes, optional
        real : bool
            In real money (default: money of each scenario's real money month) or nominal rial.
        lang : {"en", "fa"}

        Returns
        -------
        matplotlib.axes.Axes
        """
        from solarcoop.present import plots

        return plots.options_payout(self, ax, real=real, lang=lang)


def _yearly_mean(values: np.ndarray) -> np.ndarray:
    """(..., months) -> (..., years): each year's mean month (twelve months a year)."""
    return values.reshape(*values.shape[:-1], -1, 12).mean(axis=-1)


def _option_summary(result: Result, from_pocket_months_paths: np.ndarray) -> dict:
    """One option's row: what the family's plant is, and the ledger's figures for its money."""
    scenario = result.scenario
    monthly, summary = result.monthly, result.summary
    year1 = monthly["operating_year"].to_numpy() == 1
    families = scenario.cooperative.families
    return {
        "capacity_kwp_per_family": scenario.plant.capacity_kwp / families,
        "share_price_rial": scenario.share_price_rial,
        "loan_principal_rial": scenario.loan.principal_rial,
        "price_rial_per_kwh_mean_year1": summary["price_rial_per_kwh_mean_year1"],
        "energy_kwh_per_family_year1": monthly.loc[year1, "energy_kwh"].sum() / families,
        "sales_per_family_rial_mean_year1": monthly.loc[year1, "revenue_billed_rial"].mean() / families,
        "family_cash_flow_rial_mean_year1": monthly.loc[year1, "family_cash_flow_rial"].mean(),
        "months_paid_from_pocket": summary["months_paid_from_pocket"],
        "months_paid_from_pocket_p90": float(np.quantile(from_pocket_months_paths, 0.9)),
        "paid_from_pocket_per_family_real_rial_total": summary["paid_from_pocket_per_family_real_rial_total"],
        "real_base_month_label": summary["real_base_month_label"],  # whose money the real figures are in
        "loan_paid_off_label": summary["loan_paid_off_label"],
        "family_share_irr_real_per_year": summary["family_share_irr_real_per_year"],
        "family_share_payback_label": summary["family_share_payback_label"],
    }


def compare_options(
    options: Mapping[str, Scenario] | None = None,
    loan: Loan | None = None,
    n_paths: int = 1_000,
    seed: int = 0,
) -> OptionsComparison:
    """The same family's loan in each option: what it is left with, how sure, for how long.

    Parameters
    ----------
    options : mapping of str to Scenario, optional
        Default :func:`default_options`: a 5 kW home plant, a share in a Gomishan-shaped
        farm and the Qom cooperative, all at Qom.
    loan : Loan, optional
        The family's loan, put into every option (the share's price follows it unless an
        option sets its own). Default: each option's own, which for the three defaults is
        the same 150 million toman at 4 % over 84 months.
    n_paths : int
        Monte Carlo paths per option for the P50 and P90, at least 10.
    seed : int
        The same seed for every option.

    Returns
    -------
    OptionsComparison

    Examples
    --------
    A home plant's income is its energy times its price (and the deposit interest while
    the money waits for the monthly payout), all of it the one family's:

    >>> import numpy as np
    >>> home = home_plant().with_changes({"costs.inverter_replacement_share_of_capital": 0.0})
    >>> monthly = simulate(home).monthly
    >>> bool(np.isclose(monthly["distribution_per_family_rial"].sum(),
    ...                 monthly["revenue_collected_rial"].sum() + monthly["interest_earned_rial"].sum()))
    True
    """
    options = default_options() if options is None else dict(options)
    if not options or not all(isinstance(s, Scenario) for s in options.values()):
        raise InputError(f"options = {options!r} must map names to Scenarios")
    if loan is not None and not isinstance(loan, Loan):
        raise InputError(f"loan = {loan!r} must be a Loan")
    n_paths = check_number("n_paths", n_paths, minimum=10, integer=True)
    scenarios = {name: s if loan is None else s.with_changes({"loan": loan}) for name, s in options.items()}
    rows, yearly = {}, {}
    results = {}
    p90 = exceedance_quantile(0.9)
    for name, scenario in scenarios.items():  # a handful of options, not months or paths
        result = simulate(scenario)
        results[name] = result
        drawn = monte_carlo(scenario, n_paths=n_paths, seed=seed, kept=KEPT, keep_paths=True).paths
        frame = {}
        for column in CASH_FLOWS:
            frame[column] = _yearly_mean(result.monthly[column].to_numpy())
            by_year = _yearly_mean(drawn[column])
            frame[f"{column}_p50"] = np.quantile(by_year, 0.5, axis=0)
            frame[f"{column}_p90"] = np.quantile(by_year, p90, axis=0)
        yearly[name] = pd.DataFrame(frame, index=pd.RangeIndex(1, scenario.lifetime_years + 1, name="operating_year"))
        rows[name] = _option_summary(result, (drawn["paid_from_pocket_per_family_rial"] > 0.5).sum(axis=1))
    by_year = pd.concat(yearly, names=["option"])
    summary = pd.DataFrame.from_dict(rows, orient="index").rename_axis("option")
    return OptionsComparison(scenarios=scenarios, results=results, by_year=by_year, summary=summary, n_paths=n_paths)
