"""What is uncertain about a scenario, and how much: the Monte Carlo's inputs.

Each source is switched off by setting its spread to zero (or ``weather_years`` to 0).
"""

from __future__ import annotations

from dataclasses import dataclass

from solarcoop._validation import InputError, check_array
from solarcoop.disputed import READING_NAMES
from solarcoop.fields import check_fields, declared, field


@declared
@dataclass(frozen=True)
class Uncertainty:
    """Spreads drawn by :func:`solarcoop.monte_carlo`, each with its basis.

    """

    weather_years: int = field(
        20,
        unit="",
        minimum=0,
        maximum=200,
        integer=True,
        source=(
            "Number of varied weather years drawn from (one per operating year and path); 0 keeps the "
            "scenario's single year. Default 20, built by :func:`solarcoop.weather.typical_years` "
            "around the typical year with a 2.5 % standard deviation of annual GHI (1.7-3.4 % in "
            "sunny climates, Vaisala 2019 and Clean Power resource-variability notes; none found for "
            "Iran). Used only when the scenario's weather is the embedded default."
        ),
    )
    weather_seed: int = field(
        0,
        unit="",
        minimum=0,
        integer=True,
        source=(
            "Seed of the varied weather years (kept apart from the money draws so that the physics of "
            "the same years is reused) [-]."
        ),
    )
    inflation_std_per_year: float = field(
        0.07,
        unit="%/year",
        minimum=0,
        maximum=1,
        source=(
            "Standard deviation of each year's consumer-price inflation around the scenario's path "
            "[fraction/year]. Default 0.07: Iran's yearly inflation was 45.8 % (1401), 32.5 % (1403) "
            "and about 40 % (late 1404), a spread of about 7 points (Statistical Centre of Iran)."
        ),
    )
    inflation_path_std_per_year: float = field(
        0.05,
        unit="%/year",
        minimum=0,
        maximum=1,
        source=(
            "Standard deviation of a path's lasting shift of inflation (a calmer or a more troubled "
            "decade) [fraction/year]. Default 0.05 (assumption)."
        ),
    )
    fx_change_std_per_year: float = field(
        0.15,
        unit="%/year",
        minimum=0,
        maximum=1,
        source=(
            "Standard deviation of each year's change of the euro rate [fraction/year]. Default 0.15: "
            "the open-market dollar rose 48 % a year over 2024-2025 against a parity trend near 32 % "
            "(press quotes; assumption for the spread)."
        ),
    )
    indexation_reading_probability: float = field(
        0.25,
        unit="%",
        kind="fraction",
        source=(
            "Chance that a path indexes the other way round from the scenario's tariff [-]: the SATBA "
            "guideline's formula is published as an image and which of the two terms the seller's "
            "weight multiplies is not certain (renews.pro reads it as ``w x CPI + (1 - w) x euro``, "
            "the tariff's default). With this probability the weight goes to the euro term instead "
            "(``cpi_weight`` becomes ``1 - cpi_weight``). Default 0.25 (assumption: the published "
            "reading is the more likely). 0 keeps the scenario's reading."
        ),
    )
    extra_delay_months: tuple = field(
        (-2, 0, 2),
        unit="months",
        source=(
            "Months the buyer may pay later (or, negative, earlier) than ``payment.delay_months`` "
            "[months] ..."
        ),
    )
    extra_delay_probabilities: tuple = field(
        (0.25, 0.5, 0.25),
        unit="%",
        source=(
            "... and their chances. Default: around the scenario's delay, 2 months earlier with "
            "probability 0.25, on it 0.5, 2 months later 0.25, so that the scenario's delay is the "
            "central one (an assumption: no typical delay is published; arrears are the payment "
            "reading's part, :mod:`solarcoop.disputed`). A path's delay never falls below 0. ``(0,)`` "
            "with ``(1.0,)`` keeps the scenario's delay."
        ),
    )
    availability_std: float = field(
        0.01,
        unit="%",
        kind="fraction",
        max_inclusive=False,
        source=(
            "Standard deviation of a year's unavailability around the plant's (beta-distributed, so "
            "it stays in [0, 1]) [fraction]. Default 0.01 (97 % PVWatts default against 99 % "
            "optimistic market assumption: kWh Analytics, Natural Power 2024)."
        ),
    )
    soiling_relative_std: float = field(
        0.3,
        unit="%",
        minimum=0,
        maximum=2,
        source=(
            "Relative standard deviation of a year's soiling loss [-]. Default 0.3: dust years differ "
            "(Qom dust season, J. Air Pollution and Health, 2011-12; assumption for the spread)."
        ),
    )
    degradation_std_per_year: float = field(
        0.002,
        unit="%/year",
        minimum=0,
        maximum=1,
        source=(
            "Standard deviation of a path's degradation rate (gamma-distributed, never negative) "
            "[fraction/year]. Default 0.002 (spread of fleet rates around the 0.75-0.88 %/yr medians, "
            "Jordan et al. 2022, Prog. Photovolt. 30:1166)."
        ),
    )
    readings: tuple = field(
        READING_NAMES,
        unit="",
        source=(
            "Disputed facts drawn per path, each with the probabilities of :mod:`solarcoop.disputed` "
            "(the indexation weight's from ``indexation_reading_probability``). Default all of "
            ":data:`solarcoop.disputed.READING_NAMES`; ``()`` draws none (each path keeps the "
            "scenario's own reading)."
        ),
    )

    def __post_init__(self):
        check_fields(self, "uncertainty")
        delays = check_array("uncertainty.extra_delay_months", self.extra_delay_months, minimum=-120, maximum=120)
        if delays.size == 0 or not (delays == delays.round()).all():
            raise InputError(
                f"uncertainty.extra_delay_months = {self.extra_delay_months!r} must be one or more whole months"
            )
        probabilities = check_array(
            "uncertainty.extra_delay_probabilities",
            self.extra_delay_probabilities,
            length=delays.size,
            minimum=0,
            maximum=1,
        )
        if abs(probabilities.sum() - 1) > 1e-9:
            raise InputError(
                f"uncertainty.extra_delay_probabilities = {self.extra_delay_probabilities!r} "
                f"add up to {probabilities.sum():g}: they must add up to 1"
            )
        object.__setattr__(self, "extra_delay_months", tuple(int(d) for d in delays))
        object.__setattr__(self, "extra_delay_probabilities", tuple(float(p) for p in probabilities))
        if isinstance(self.readings, str) or not all(isinstance(name, str) for name in self.readings):
            raise InputError(f"uncertainty.readings = {self.readings!r} must be a list of reading names")
        unknown = [name for name in self.readings if name not in READING_NAMES]
        if unknown or len(set(self.readings)) != len(tuple(self.readings)):
            raise InputError(
                f"uncertainty.readings = {self.readings!r}: give each of {list(READING_NAMES)} at most once"
            )
        object.__setattr__(self, "readings", tuple(self.readings))


NO_UNCERTAINTY = Uncertainty(
    weather_years=0,
    inflation_std_per_year=0.0,
    inflation_path_std_per_year=0.0,
    fx_change_std_per_year=0.0,
    indexation_reading_probability=0.0,
    extra_delay_months=(0,),
    extra_delay_probabilities=(1.0,),
    availability_std=0.0,
    soiling_relative_std=0.0,
    degradation_std_per_year=0.0,
    readings=(),
)
"""Every spread switched off: a Monte Carlo with it repeats the scenario on every path."""
