"""What if and what it takes: portfolios, sweeps, sensitivity and goal seek.

Each runs many single runs (:func:`solarcoop.simulate`), on one process or on a Dask
cluster; a goal seek on a 'P' figure runs the Monte Carlo at every trial, on the same
paths, reusing what the varied input cannot reach (:class:`solarcoop.studies.montecarlo.SamePaths`).
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from solarcoop._validation import InputError, check_number
from solarcoop.books.capital import capital_cost_rial
from solarcoop.engine import funding, simulate
from solarcoop.scenario import Scenario
from solarcoop.studies.montecarlo import SamePaths, check_client

# --------------------------------------------------------------------------- the funding rule

SIZE_PATHS = ("cooperative.families", "plant.capacity_kwp", "costs.capital_cost_rial_per_kwp")
"""Inputs that change what the shares must pay for: how many families share the plant,
its size and its cost per kWp."""

SHARE_PATHS = ("loan.principal_rial", "cooperative.share_price_rial")
"""Where a share's price is set: the share loan (the share was paid with it) or the price."""

FUNDING_RULES = ("shares", "grant", "sponsor_equity", "debt")
"""Who takes a change of :data:`SIZE_PATHS` in a study: ``"shares"`` (the families' shares
pay for what the other sources do not: each share's price follows) or the gap source
(``funding.gap_filled_by``: it fills whatever the shares leave, at the same share price)."""


def funding_rule(scenario: Scenario) -> str:
    """Who takes a change of the families, the plant's size or its cost, in a study.

    When the families' shares, with the grant, the sponsor's stated equity and the debt,
    pay for the whole plant (nothing is left for ``funding.gap_filled_by``), the shares
    follow: ``"shares"``. Otherwise the source that fills the gap takes the change
    (``"sponsor_equity"``, ``"grant"`` or ``"debt"``): more families then change that
    source's stake, not each family's money.

    Examples
    --------
    >>> import solarcoop as sc
    >>> funding_rule(sc.qom_baseline())  # the plant cost what its shares paid
    'shares'
    >>> priced = sc.qom_baseline().with_changes({"costs.capital_cost_rial_per_kwp": 3.0e8})
    >>> funding_rule(priced)  # a 900 bn rial plant: 300 bn left for the sponsor
    'sponsor_equity'
    >>> funding_rule(priced.with_changes({"plant.capacity_kwp": 2000}))
    'shares'
    """
    sources = funding(scenario)
    if sources["gap_rial"] <= 1e-9 * max(sources["capital_cost_rial"], 1.0) or scenario.funding.gap_filled_by is None:
        return "shares"
    return scenario.funding.gap_filled_by


def consistent_changes(scenario: Scenario, changes: Mapping[str, object]) -> dict[str, object]:
    """``changes`` with the share price the scenario's funding rule implies.

    Under the rule ``"shares"`` (:func:`funding_rule`) a change of the families, the plant's
    size or its cost per kWp (:data:`SIZE_PATHS`) sets each share's price to what the
    shares must pay: the capital cost less the grant, the sponsor's stated equity and the
    debt, over the shares held. The share loan follows when the share was paid with it
    (``cooperative.share_price_rial`` is ``None``). Under a gap source, and when the
    changes set a share's price themselves or the families are set by class, ``changes``
    is returned as given.

    When the plant's cost is what its stated sources paid (``costs.capital_cost_rial_per_kwp``
    is ``None``), the shares pay for it by definition; a change of the families or the
    plant's size then keeps the cost per kWp the scenario's own sources paid (its capital
    cost over its capacity), and the share's price follows as above. A study that sets
    ``costs.capital_cost_rial_per_kwp`` to ``None`` itself gets its ``changes`` as given.

    Examples
    --------
    >>> import solarcoop as sc
    >>> kerman = sc.qom_baseline().with_changes({"plant.capacity_kwp": 1500, "cooperative.families": 300})
    >>> consistent_changes(kerman, {"cooperative.families": 375})
    {'cooperative.families': 375, 'loan.principal_rial': 1200000000.0}
    """
    changes = dict(changes)
    touched = [str(path) for path in changes]
    if (
        not any(path in SIZE_PATHS for path in touched)
        or any(path in SHARE_PATHS for path in touched)
        or scenario.member_classes
        or funding_rule(scenario) != "shares"
    ):
        return changes
    trial = scenario.with_changes(changes)
    if trial.costs.capital_cost_rial_per_kwp is None:
        if "costs.capital_cost_rial_per_kwp" in touched:  # the study itself says: what the sources paid
            return changes
        # the plant costs what its stated sources paid: a larger plant or more families keep
        # the cost per kWp the scenario's own sources paid (the shares still pay for the plant)
        capital_rial = funding(scenario)["capital_cost_rial"] / scenario.plant.capacity_kwp * trial.plant.capacity_kwp
    else:
        capital_rial = capital_cost_rial(trial.costs, trial.plant.capacity_kwp)
    others_rial = (
        trial.funding.grant_rial + trial.funding.sponsor_equity_rial + trial.debt.principal_for(capital_rial)
    )
    shares_rial = capital_rial - others_rial
    price_rial = shares_rial / trial.cooperative.families
    whole_rial = float(round(price_rial))  # a whole rial when the books still add up to their tolerance
    if abs(whole_rial * trial.cooperative.families - shares_rial) <= 1e-9 * max(capital_rial, 1.0):
        price_rial = whole_rial
    if price_rial <= 0:
        raise InputError(
            f"the grant, the sponsor's equity and the debt pay all of the {capital_rial:,.0f}-rial "
            "plant: the families' shares would cost nothing"
        )
    path = "loan.principal_rial" if scenario.cooperative.share_price_rial is None else "cooperative.share_price_rial"
    changes[path] = price_rial
    return changes


@dataclasses.dataclass(frozen=True)
class Refused:
    """A point of a study that could not be computed: its changes and the reason."""

    changes: dict
    reason: str

    def __str__(self) -> str:
        where = ", ".join(f"{path} = {value!r}" for path, value in self.changes.items())
        return f"{where}: {self.reason}"


def check_paths(scenario: Scenario, paths) -> None:
    """Refuse a study whose question names a path the scenario does not have: that is
    no point to skip but a question to mend (the message lists what exists there)."""
    for path in paths:
        current = scenario
        for part in str(path).split("."):
            part = getattr(type(current), "FORMER_NAMES", {}).get(part, part)
            if isinstance(current, tuple) and part.isascii() and part.isdigit() and int(part) < len(current):
                current = current[int(part)]
            elif dataclasses.is_dataclass(current) and part in {f.name for f in dataclasses.fields(current)}:
                current = getattr(current, part)
            else:
                scenario.with_changes({path: None})  # raises the error naming what exists there
                raise InputError(f"unknown path {path!r}")


def study_point(scenario: Scenario, changes: Mapping[str, object]) -> Scenario | Refused:
    """The scenario a study asks about, with the share price its funding rule implies
    (:func:`consistent_changes`), or why it cannot be computed."""
    try:
        return _checked_point(scenario, changes)
    except InputError as error:
        return Refused(dict(changes), str(error))


def _checked_point(scenario: Scenario, changes: Mapping[str, object]) -> Scenario:
    """The study's scenario at ``changes``, its funding checked to add up (InputError)."""
    trial = scenario.with_changes(consistent_changes(scenario, changes))
    funding(trial)
    return trial

# --------------------------------------------------------------------------- sweeps


def _summary_row(scenario, energy=None) -> pd.Series:
    """The summary of one point, or a row holding only the reason it was refused."""
    if isinstance(scenario, Refused):
        return pd.Series({"refused": scenario.reason})
    try:
        return simulate(scenario, energy=energy).summary
    except InputError as error:
        return pd.Series({"refused": str(error)})


def portfolio(scenarios: Sequence[Scenario], client=None, energy=None, progress: bool = False) -> pd.DataFrame:
    """Summaries of many scenarios (for example one cooperative per province), one row each.

    With a Dask ``client`` the scenarios run on the cluster.
    """
    scenarios = list(scenarios)
    for i, scenario in enumerate(scenarios):
        if not isinstance(scenario, Scenario | Refused):
            raise InputError(f"scenarios[{i}] = {scenario!r} must be a Scenario")
    check_client(client)
    if client is not None:
        rows = client.gather(client.map(_summary_row, scenarios, [energy] * len(scenarios), pure=False))
    else:
        iterator = scenarios
        if progress:
            from tqdm.auto import tqdm

            iterator = tqdm(scenarios, desc="scenarios", unit="scenario")
        rows = [_summary_row(scenario, energy) for scenario in iterator]
    frame = pd.DataFrame(rows).reset_index(drop=True)
    if "refused" in frame:  # a point that could not be computed is named, with its reason
        frame["refused"] = frame["refused"].fillna("")
    return frame


ENERGY_INDEPENDENT_PLANT_PATHS = ("plant.degradation_per_year",)
"""Plant fields that still act on a fixed ``energy=`` (it is degraded year by year)."""
_PHYSICS_ROOTS = ("plant", "site", "weather")


def check_not_physics(paths, energy, study: str) -> None:
    """Refuse to vary what makes the energy while ``energy=`` holds the energy fixed.

    With year-one energy given, the plant, the site and the weather no longer reach the
    energy: a bigger plant would only cost more, and its availability would change
    nothing, so the study would answer a question nobody asked.

    Raises
    ------
    InputError
        Naming the path and the two ways out.
    """
    if energy is None:
        return
    for path in paths:
        root = str(path).split(".")[0]
        if root in _PHYSICS_ROOTS and path not in ENERGY_INDEPENDENT_PLANT_PATHS:
            raise InputError(
                f"{study} cannot vary {path!r} while energy= is fixed: the energy would stay the "
                "same whatever the plant, site or weather. Leave energy= out to run the physics, "
                "or vary only money inputs (plant.degradation_per_year still applies)"
            )


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence],
    client=None,
    energy=None,
    progress: bool = False,
) -> pd.DataFrame:
    """Summaries over every combination of the given values.

    Parameters
    ----------
    scenario : Scenario
    grid : mapping of dotted path to values
        ``{"tariff.base_price_rial_per_kwh": [40_000, 50_000], "cooperative.families": [300, 400]}``.
    client : dask.distributed.Client, optional
    energy : array_like, optional
        Year-one energy to use in place of the physics (see :func:`solarcoop.simulate`).
        The grid may then not vary the plant (except its degradation), the site or the
        weather: see :func:`check_not_physics`.

    Returns
    -------
    pandas.DataFrame
        One row per combination: the path values, then the summary figures. The shares
        follow the families and the plant's size under the scenario's funding rule
        (:func:`consistent_changes`); ``attrs["funding_rule"]`` names the rule when the grid
        varies one of :data:`SIZE_PATHS`. A combination that cannot be computed keeps its
        row, with empty figures and the reason in the column ``refused``; the others run.
    """
    if not isinstance(grid, Mapping) or not grid:
        raise InputError(f"grid = {grid!r} must map dotted paths to lists of values")
    paths = list(grid)
    for path in paths:
        if isinstance(grid[path], str) or not isinstance(grid[path], Sequence | np.ndarray) or len(grid[path]) == 0:
            raise InputError(f"grid[{path!r}] = {grid[path]!r} must be a non-empty list of values")
    check_not_physics(paths, energy, "sweep")
    check_paths(scenario, paths)
    combinations = list(itertools.product(*(grid[path] for path in paths)))
    scenarios = [study_point(scenario, dict(zip(paths, values, strict=True))) for values in combinations]
    summaries = portfolio(scenarios, client=client, energy=energy, progress=progress)
    keys = pd.DataFrame(combinations, columns=paths)
    frame = pd.concat([keys, summaries], axis=1)
    if any(path in SIZE_PATHS for path in paths):
        frame.attrs["funding_rule"] = funding_rule(scenario)
    return frame


def default_sensitivity_ranges(scenario: Scenario) -> dict[str, tuple]:
    """Low and high values of the inputs a planner asks about first, around ``scenario``.

    Tariff base price and O&M cost +/-20 %; families and plant size +/-25 %; loan rate 0
    to twice the scenario's (at least 8 %); loan term from five to ten years; payment
    delay from none to six months later; degradation 0.5 to 1.2 %/yr (Jordan et al. 2022,
    Prog. Photovolt. 30:1166); unavailability 1 to 6 %; inflation 10 points either side.
    """
    tariff = scenario.tariff
    ranges = {}
    if hasattr(tariff, "base_price_rial_per_kwh"):
        price = tariff.base_price_rial_per_kwh
        ranges["tariff.base_price_rial_per_kwh"] = (0.8 * price, 1.2 * price)
    families = scenario.cooperative.families
    capacity = scenario.plant.capacity_kwp
    inflation = float(np.atleast_1d(scenario.economy.inflation_per_year)[0])
    ranges |= {
        "cooperative.families": (max(1, round(0.75 * families)), round(1.25 * families)),
        "plant.capacity_kwp": (0.75 * capacity, 1.25 * capacity),
        "loan.annual_rate": (0.0, max(0.08, 2 * scenario.loan.annual_rate)),
        "loan.term_months": (60, 120),
        "payment.delay_months": (0, scenario.payment.delay_months + 6),
        "plant.degradation_per_year": (0.005, 0.012),
        "costs.om_rial_per_kwp_year": (0.8 * scenario.costs.om_rial_per_kwp_year, 1.2 * scenario.costs.om_rial_per_kwp_year),
        "economy.inflation_per_year": (max(0.0, inflation - 0.1), inflation + 0.1),
    }
    if scenario.plant.system_losses is None:
        ranges["plant.losses.availability"] = (0.01, 0.06)
    if scenario.member_classes:  # families are set per class: vary them there
        del ranges["cooperative.families"]
    return ranges


def widest_swing(frame: pd.DataFrame) -> pd.Series:
    """The row of a :func:`sensitivity` table whose input moves the figure most: the
    tornado's top bar (ties: the first).

    >>> frame = pd.DataFrame({"parameter": ["a", "b"], "low_metric": [1.0, -3.0], "high_metric": [2.0, 4.0]})
    >>> widest_swing(frame)["parameter"]
    'b'
    """
    swing = (frame["high_metric"] - frame["low_metric"]).abs().to_numpy()
    return frame.iloc[int(np.argmax(swing))]


def metric_year(metric: str) -> int:
    """The operating year of a summary figure's name (``..._year3`` is 3).

    >>> metric_year("family_cash_flow_rial_mean_year1")
    1
    """
    match = re.search(r"_year(\d+)$", str(metric))
    if match is None:
        raise InputError(f"metric = {metric!r} names no year: give a figure like 'family_cash_flow_rial_mean_year1'")
    return int(match.group(1))


def sensitivity(
    scenario: Scenario,
    ranges: Mapping[str, tuple] | None = None,
    metric: str = "family_cash_flow_rial_mean_year1",
    energy=None,
    client=None,
    also: Sequence[str] = (),
) -> pd.DataFrame:
    """How far each input moves a summary figure between its low and high value.

    Parameters
    ----------
    scenario : Scenario
    ranges : mapping of dotted path to (low, high), optional
        Default :func:`default_sensitivity_ranges`; with ``energy`` given, the default
        leaves out the plant's size and availability, which a fixed energy cannot feel.
    metric : str
        A summary figure.
    energy : array_like, optional
        Year-one energy in place of the physics. Explicit ``ranges`` may then not vary
        the plant (except its degradation), the site or the weather (:class:`InputError`).
    client : dask.distributed.Client, optional
    also : sequence of str
        More summary figures read from the same runs (``project_npv_real_rial`` ...): each
        adds the columns ``low_<figure>``, ``high_<figure>`` and ``base_<figure>``, at no
        extra run.

    Returns
    -------
    pandas.DataFrame
        Columns ``parameter, low_value, high_value, low_metric, high_metric, base_metric``,
        the widest swing first (the rows of a tornado chart), and, when an end could not be
        computed, ``refused``: why (its metric is then NaN). The shares follow the
        families and the plant's size under the scenario's funding rule
        (:func:`consistent_changes`, named in ``attrs["funding_rule"]``).
    """
    if ranges is None:
        ranges = default_sensitivity_ranges(scenario)
        if energy is not None:  # what a fixed energy cannot feel is left out, not shown as flat
            ranges = {
                path: span for path, span in ranges.items()
                if not path.startswith("plant.") or path in ENERGY_INDEPENDENT_PLANT_PATHS
            }  # fmt: skip
    ranges = dict(ranges)
    check_not_physics(ranges, energy, "sensitivity")
    check_paths(scenario, ranges)
    scenarios = [scenario]
    for path, (low, high) in ranges.items():
        scenarios += [study_point(scenario, {path: low}), study_point(scenario, {path: high})]
    summaries = portfolio(scenarios, client=client, energy=energy)
    if "refused" in summaries and summaries["refused"].iloc[0]:
        raise InputError(summaries["refused"].iloc[0])  # the scenario itself cannot be computed
    for name in (metric, *also):
        if name not in summaries:
            raise InputError(f"metric = {name!r} is not a summary figure: choose one of {list(summaries.columns)}")
    values = summaries[metric].to_numpy(float)
    refused = summaries["refused"].to_numpy(object) if "refused" in summaries else np.full(len(summaries), "")
    frame = pd.DataFrame(
        {
            "parameter": list(ranges),
            "low_value": [low for low, _ in ranges.values()],
            "high_value": [high for _, high in ranges.values()],
            "low_metric": values[1::2],
            "high_metric": values[2::2],
            "base_metric": values[0],
        }
    )
    for name in also:
        other = summaries[name].to_numpy(float)
        frame[f"low_{name}"], frame[f"high_{name}"], frame[f"base_{name}"] = other[1::2], other[2::2], other[0]
    reasons = ["; ".join(r for r in pair if r) for pair in zip(refused[1::2], refused[2::2], strict=True)]
    if any(reasons):
        frame["refused"] = reasons
    swing = (frame["high_metric"] - frame["low_metric"]).abs().fillna(-1.0)  # refused ends last
    frame = frame.iloc[np.argsort(-swing.to_numpy(), kind="stable")].reset_index(drop=True)
    if any(path in SIZE_PATHS for path in ranges):
        frame.attrs["funding_rule"] = funding_rule(scenario)
    return frame


# --------------------------------------------------------------------------- goal seek


def figure(result, name: str) -> float:
    """A headline figure of a run: a summary key, or ``COLUMN_mean|min|max_yearN`` from the
    annual table (for example ``family_cash_flow_rial_mean_year2``, the family's money after its instalment)."""
    if name in result.summary.index:
        return float(result.summary[name])
    match = re.fullmatch(r"(?P<column>.+)_year(?P<year>\d+)", name)
    if match and match["column"] in result.annual.columns and int(match["year"]) in result.annual.index:
        return float(result.annual.loc[int(match["year"]), match["column"]])
    raise InputError(
        f"figure {name!r} is neither in the summary nor of the form COLUMN_yearN with a column "
        f"of the annual table (for example 'family_cash_flow_rial_mean_year2'): the summary's figures "
        f"are {', '.join(map(str, result.summary.index))}; the annual columns are "
        f"{', '.join(map(str, result.annual.columns))} (years {int(min(result.annual.index))} to "
        f"{int(max(result.annual.index))})",
        "unknown_figure", figure=name,
        names=", ".join([*map(str, result.summary.index), *(f"{c}_yearN" for c in result.annual.columns)]),
    )


@dataclasses.dataclass(frozen=True)
class GoalSeekResult:
    """The value of ``path`` that brings ``metric`` to ``target``, or why there is none."""

    path: str
    metric: str
    target: float
    reached: bool
    value: float
    achieved: float
    probability_of_exceedance: float | None
    message: str
    funding_rule: str | None = None
    """Who takes a change of ``path`` when it is one of :data:`SIZE_PATHS`
    (:func:`funding_rule`), else None."""
    trials: int = 0
    """Runs (single runs or Monte Carlos) the seek made, the two ends of the range included."""
    bracket: tuple[float, float] | None = None
    """The final bracket: ``value`` lies in it, and so does the crossing of the target
    (when reached; else the search range)."""

    def __str__(self) -> str:
        return self.message


def goal_seek(
    scenario: Scenario,
    path: str,
    target: tuple,
    bounds: tuple[float, float] | None = None,
    probability_of_exceedance: float | None = None,
    n_paths: int = 2_000,
    seed: int = 0,
    energy=None,
    tolerance: float = 1e-6,
    client=None,
) -> GoalSeekResult:
    """Find the value of one input that brings a figure to a target.

    Parameters
    ----------
    scenario : Scenario
    path : str
        The dotted path to vary, e.g. ``"tariff.base_price_rial_per_kwh"``.
    target : (str, float)
        A summary figure and the value it must reach, e.g.
        ``("family_cash_flow_rial_mean_year1", 50e6)``: the family's money after its
        instalment, the year's monthly mean.
    bounds : (float, float), optional
        Where to search; default from 0 (or a tenth of the current value for whole
        numbers) to ten times the current value.
    probability_of_exceedance : float, optional
        Reach the target with this probability in a Monte Carlo (0.9: the P90 of the
        figure must reach the target) instead of in the single run.
    n_paths, seed : int
        Monte Carlo size and seed (the same paths at every trial, so the search is
        steady).
    energy : array_like, optional
        Year-one energy in place of the physics (single-run targets only); ``path`` may
        then not be a plant (except its degradation), site or weather input.
    tolerance : float
        Relative width of the final bracket [-]: the answer lies within half of it of
        where the figure crosses the target (:func:`bracketed_root`).

    Returns
    -------
    GoalSeekResult
        ``reached`` is False, with the reason in ``message``, when the target lies
        outside what the bounds can give. ``trials`` counts the runs, ``bracket`` holds
        the final ends between which the figure crosses the target.

    Notes
    -----
    The search is regula falsi kept inside a bracket (:func:`bracketed_root`): a P90
    seek of the Qom baseline takes about 7 runs where bisection took 24. On a 'P'
    figure the runs share their paths (:class:`solarcoop.studies.montecarlo.SamePaths`);
    when the tariff's base price varies, every run after the two ends takes its revenue
    on the line through theirs and only books the paths.
    """
    if not (isinstance(target, tuple | list) and len(target) == 2):
        raise InputError(f"target = {target!r} must be (figure name, value)")
    metric, goal = target[0], float(target[1])
    check_not_physics([path], energy, "goal_seek")
    current = scenario
    for part in path.split("."):
        current = getattr(current, part, None)
    if not isinstance(current, int | float) or isinstance(current, bool):
        scenario.with_changes({path: current})  # raises the clear error for an unknown path
        raise InputError(f"path = {path!r} holds {current!r}: goal seek varies a number")
    whole = isinstance(current, int)
    if bounds is None:
        bounds = (max(1, current // 10) if whole else 0.0, current * 10 if current else 1.0)
        given = False
    else:
        given = True
    if not (isinstance(bounds, tuple | list) and len(bounds) == 2):
        raise InputError(f"bounds = {bounds!r} must be (low, high)")
    low, high = (check_number("bounds", b) for b in bounds)
    if low >= high:
        raise InputError(f"bounds = {tuple(bounds)!r}: low must be below high")
    if not given and path in SIZE_PATHS:  # a default bound the funding refuses moves halfway home until it can
        low, high = (_computable_bound(scenario, path, bound, current, whole) for bound in (low, high))
    for bound in (low, high):
        try:
            _checked_point(scenario, {path: round(bound) if whole else bound})
        except InputError as error:
            hint = "" if given else f" (the default search range is a tenth to ten times {current!r}; give bounds=)"
            raise InputError(f"goal seek cannot try {path} = {bound!r}: {error}{hint}") from None

    runs = None  # the same paths at every trial, what the change cannot reach computed once
    if probability_of_exceedance is not None:
        runs = SamePaths(
            scenario, path, n_paths=n_paths, seed=seed, kept=_kept_for(metric), client=client,
            changes=lambda value: consistent_changes(scenario, {path: value}),
        )  # fmt: skip

    def evaluate(value: float) -> float:
        value = round(value) if whole else value
        if runs is None:
            return figure(simulate(scenario.with_changes(consistent_changes(scenario, {path: value})), energy=energy), metric)
        return runs.run(value).exceedance(metric, probability_of_exceedance)

    rule = funding_rule(scenario) if path in SIZE_PATHS else None
    at_low, at_high = evaluate(low), evaluate(high)
    label = metric if probability_of_exceedance is None else f"P{round(100 * probability_of_exceedance)} of {metric}"
    if (at_low - goal) * (at_high - goal) > 0:
        nearest, achieved = (low, at_low) if abs(at_low - goal) < abs(at_high - goal) else (high, at_high)
        return GoalSeekResult(
            path, metric, goal, False, nearest, achieved, probability_of_exceedance,
            f"cannot be reached: {label} goes from {at_low:,.0f} to {at_high:,.0f} as {path} goes "
            f"from {low:,g} to {high:,g}; the target is {goal:,.0f}", rule, trials=2, bracket=(low, high),
        )  # fmt: skip
    found = bracketed_root(evaluate, goal, (low, at_low), (high, at_high), tolerance, whole)
    value = round(found.value) if whole else found.value
    return GoalSeekResult(
        path, metric, goal, True, value, found.achieved, probability_of_exceedance,
        f"{path} = {value:,.{0 if whole else 2}f} gives {label} = {found.achieved:,.0f} (target {goal:,.0f})", rule,
        trials=2 + found.trials, bracket=tuple(round(end) for end in found.bracket) if whole else found.bracket,
    )  # fmt: skip


@dataclasses.dataclass(frozen=True)
class Root:
    """Where a figure crosses a target: the chosen point, its figure, the final bracket
    and the number of points tried inside the first bracket."""

    value: float
    achieved: float
    bracket: tuple[float, float]
    trials: int


def bracketed_root(
    function, goal: float, low: tuple[float, float], high: tuple[float, float], tolerance: float, whole: bool = False
) -> Root:
    """Where ``function`` crosses ``goal`` between two points on either side of it: regula
    falsi with the Anderson-Bjorck rule, kept inside a bracket that always holds the crossing.

    The figure of a goal seek moves steadily with the input (on the Monte Carlo's common
    random numbers too), so a point drawn on the straight line through the bracket's ends
    lands close to the crossing, where bisection only halves the bracket: about 5 trials
    in place of 22 for a relative width of 1e-6. Each point tried replaces the end on its
    side of the goal (a point whose figure reaches the goal is on the goal's side, as in
    bisection), so the bracket always holds a change of side, whether or not the figure
    is monotone. The Anderson-Bjorck rule lowers the weight of an end kept twice in a row
    (by how much the other end's value fell), so neither end stays put; a point is kept
    at least a quarter of the final width inside the bracket, so that a point landing
    next to the crossing closes the bracket from the other side at the next trial; and a
    bisection step follows any two steps that did not halve the bracket, so the trials
    are never many more than bisection's (at most 200).

    Parameters
    ----------
    function : callable
        The figure at a point [unit of ``goal``].
    goal : float
        The target [unit of the figure].
    low, high : (float, float)
        The bracket's ends and their figures, ``low[0] < high[0]``, on either side of the
        goal (or on it).
    tolerance : float
        Relative width of the final bracket [-]: it ends no wider than half of
        ``tolerance * max(|low|, |high|, 1e-12)`` of its last ends (whole numbers: 1), so
        the point chosen lies within that half of the crossing, as the midpoint of
        bisection's bracket of the full width does.
    whole : bool
        The points are whole numbers.

    Returns
    -------
    Root
        ``value``: for whole numbers the end of the final bracket whose figure reaches
        the goal (the end on the goal's side), else the end whose figure is nearer the
        goal; ``achieved`` its figure (no extra trial); ``bracket`` the final ends;
        ``trials`` the points tried between the first ends.

    Examples
    --------
    >>> root = bracketed_root(lambda x: x**3, 8.0, (0.0, 0.0), (10.0, 1000.0), 1e-9)
    >>> round(root.value, 6), root.trials < 22
    (2.0, True)
    >>> bracketed_root(lambda n: 10 * n, 35.0, (1, 10.0), (100, 1000.0), 0, whole=True).value
    4
    """
    (a, at_a), (b, at_b) = low, high
    rising = at_b >= at_a
    if at_a == goal or at_b == goal:  # an end is on the goal: it is the answer
        value, achieved = (a, at_a) if at_a == goal else (b, at_b)
        return Root(value, achieved, (a, b), 0)

    def on_high_side(figure: float) -> bool:  # as bisection keeps the high end: reaching the goal when rising
        return (figure >= goal) == rising

    def width() -> float:  # half the stated width: the point chosen is within half of it of the crossing
        return 1.0 if whole else tolerance * max(abs(a), abs(b), 1e-12) / 2

    # g: the figure less the goal, signed to rise through the bracket: g(a) <= 0 <= g(b), not both 0
    sign = 1.0 if rising else -1.0
    g_a, g_b = sign * (at_a - goal), sign * (at_b - goal)
    weight_a = weight_b = 1.0  # the weights of the ends' values (Anderson and Bjorck)
    kept_last, trials, steps, width_before, closed_last = None, 0, 0, b - a, False
    while b - a > width() and trials < 200:  # as many as bisection's steps at most
        x = a - weight_a * g_a * (b - a) / (weight_b * g_b - weight_a * g_a)
        step = width() / 4
        # a point next to an end steps a quarter of the final width across it: it closes
        # the bracket when the crossing is that near (once, then bisection may follow)
        closing = min(x - a, b - x) <= step and not closed_last
        halving = steps >= 2 and b - a > width_before / 2 and not closing  # two steps that did not halve it
        if steps >= 2 and not halving:
            steps, width_before = 0, b - a
        if halving:
            x = (a + b) / 2
        x = min(max(x, a + step), b - step)  # at least a quarter of the final width inside
        closed_last = closing
        if whole:
            x = min(max(round(x), a + 1), b - 1)
        if not a < x < b:  # the bracket's ends are neighbouring numbers: it cannot shrink
            x = (a + b) / 2
            if not a < x < b:
                break
        at_x = function(x)
        g_x = sign * (at_x - goal)
        trials += 1
        if on_high_side(at_x):  # b moves; a kept again weighs less, by how much b's value fell
            shrink = 1.0 - g_x / g_b if g_b else 0.5
            weight_a = weight_a * (shrink if shrink > 0 else 0.5) if kept_last == "a" else 1.0
            b, at_b, g_b, weight_b, kept_last = x, at_x, g_x, 1.0, "a"
        else:
            shrink = 1.0 - g_x / g_a if g_a else 0.5
            weight_b = weight_b * (shrink if shrink > 0 else 0.5) if kept_last == "b" else 1.0
            a, at_a, g_a, weight_a, kept_last = x, at_x, g_x, 1.0, "b"
        if halving:
            steps, width_before = 0, b - a
        else:
            steps += 1
    if whole:
        value, achieved = (b, at_b) if rising else (a, at_a)
    else:
        value, achieved = (a, at_a) if abs(at_a - goal) < abs(at_b - goal) else (b, at_b)
    return Root(value, achieved, (a, b), trials)


def _computable_bound(scenario: Scenario, path: str, bound: float, current: float, whole: bool) -> float:
    """``bound``, or the nearest point halfway (and halfway again) towards ``current`` that
    the scenario accepts: a default search range stays within what can be computed."""
    for _ in range(40):
        try:
            _checked_point(scenario, {path: round(bound) if whole else bound})
            return round(bound) if whole else bound
        except InputError:
            bound = current + (bound - current) / 2
    return bound


def _kept_for(metric: str) -> tuple[str, ...]:
    column = re.sub(r"_(mean|min|max)_year\d+$", "", metric)
    return tuple(dict.fromkeys((column, "family_cash_flow_rial")))
