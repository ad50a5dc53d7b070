"""Money and rate fields far outside what any real case has: findings every run reports.

The declared limits (:mod:`solarcoop.fields`) refuse what cannot be (a negative price, a
fraction above 1). Between those limits some values can be, but no real cooperative has
them, and almost always mean a value typed in the wrong unit: a tariff in toman, a
yearly degradation written as a percentage. They are findings, not refusals, because
sweeps, goal seeking (which searches from 0 to ten times a value) and stress tests pass
through them on purpose; a run on them says so in ``Result.findings`` (coded findings,
with their words in each language's catalog), and so does every output that shows the findings.

Each bound below carries its source.
"""

from __future__ import annotations

from solarcoop.findings import Finding

TARIFF_PLAUSIBLE_MIN_RIAL_PER_KWH = 15_000.0
"""Lowest price per kWh a solar plant in Iran has been paid: the green board's 17,525
rial/kWh in Azar 1402, the lowest of the energy-exchange results reported (guaranteed
purchase prices of 1404 are 30,000 to 45,800 rial/kWh, IRIB, October 2025). A price below,
whose tenfold is above, was almost surely typed in toman."""

CAPITAL_COST_PLAUSIBLE_MIN_RIAL_PER_KWP = 2.5e8
"""Lowest reported building cost: 25 million toman per kW (Hamedan, IRIB 5585575, October
2025)."""

DEGRADATION_PLAUSIBLE_MAX_PER_YEAR = 0.05
"""Most yearly loss of output a working plant shows [fraction/year]: 5 %/year, beyond the
worst systems in the field survey of Jordan et al. (2022, Prog. Photovolt. 30:1166; median
0.75 %/year, hot climates 0.88 %/year). Above it the value is a percentage written as a
fraction (0.5 for 0.5 %/year)."""

INSURANCE_PLAUSIBLE_MAX_PER_YEAR = 0.05
"""Most yearly insurance as a share of the capital cost [fraction/year]: 5 %, over twice the
1-2 % guessed for O&M and insurance together in Iran. Above it the value is a percentage
written as a fraction."""


def _tariffs(tariff, path: str = "tariff"):
    """``(dotted path, tariff)`` for the tariff and those inside it (a switch, after a term)."""
    yield path, tariff
    for name in ("first", "then", "after_term"):
        inner = getattr(tariff, name, None)
        if inner is not None:
            yield from _tariffs(inner, f"{path}.{name}")


def _looks_like_toman(field: str, value: float, unit: str, plausible_min: float, why: str) -> list[Finding]:
    if plausible_min / 10 <= value < plausible_min:
        return [Finding("looks_like_toman", field=field, value=float(value), unit=unit, bound=plausible_min, why=why)]
    return []


def _looks_like_percent(field: str, value: float, plausible_max: float, why: str) -> list[Finding]:
    if plausible_max < value < 1:
        return [Finding("looks_like_percent", field=field, value=float(value), bound=plausible_max, why=why)]
    return []


def findings(scenario) -> list[Finding]:
    """What is implausible in ``scenario``'s money and rate fields, one coded finding each
    (:class:`solarcoop.findings.Finding`, words in each catalog's ``[findings]``).

    Examples
    --------
    >>> import solarcoop as sc
    >>> findings(sc.qom_baseline())
    []
    >>> odd = sc.qom_baseline().with_changes({"plant.degradation_per_year": 0.5})
    >>> print(findings(odd)[0])
    plausibility: plant.degradation_per_year = 0.5 is 50 % a year, above 5 % (over six times the field median of 0.75 %); a percentage written as a fraction? 0.5 % a year is 0.005
    >>> findings(odd)[0].code
    'looks_like_percent'
    """
    found = []
    for path, tariff in _tariffs(scenario.tariff):
        price = getattr(tariff, "base_price_rial_per_kwh", None)
        if price is not None:
            found += _looks_like_toman(
                f"{path}.base_price_rial_per_kwh", price, "rial_per_kwh", TARIFF_PLAUSIBLE_MIN_RIAL_PER_KWH,
                "tariff_min",
            )  # fmt: skip
    if scenario.costs.capital_cost_rial_per_kwp is not None:  # None: what the shares and stated sources paid
        found += _looks_like_toman(
            "costs.capital_cost_rial_per_kwp", scenario.costs.capital_cost_rial_per_kwp, "rial_per_kwp",
            CAPITAL_COST_PLAUSIBLE_MIN_RIAL_PER_KWP, "capital_cost_min",
        )  # fmt: skip
    found += _looks_like_percent(
        "plant.degradation_per_year", scenario.plant.degradation_per_year, DEGRADATION_PLAUSIBLE_MAX_PER_YEAR,
        "degradation_max",
    )  # fmt: skip
    found += _looks_like_percent(
        "costs.insurance_share_of_capital_per_year", scenario.costs.insurance_share_of_capital_per_year,
        INSURANCE_PLAUSIBLE_MAX_PER_YEAR, "insurance_max",
    )  # fmt: skip
    return found
