"""What a family was promised: a band of money per family per month, with its source.

A promise is part of a scenario (``Scenario.promise``): charts shade its band and the
report quotes it. A scenario without one (``None``) draws no band and prints no promise.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import ClassVar

from solarcoop._validation import MAX_MONTHLY_PAYOUT_RIAL, InputError
from solarcoop.fields import check_fields, declared, field

COUNTS = ("sales", "distribution", "net")
"""What a promised monthly sum may count, per family: ``"sales"`` (the family's part of
the revenue), ``"distribution"`` (what the cooperative pays out, before the loan
instalment) or ``"net"`` (what is left after the instalment)."""

READINGS = COUNTS
"""The former name of :data:`COUNTS`."""


_MONTH_LABEL = re.compile(r"^(\d{4})-(\d{2})$")


@declared
@dataclass(frozen=True)
class Promise:
    """A band of money per family per month that the plan promised.

    Notes
    -----
    ``counts`` was called ``reading``: that name is still accepted (:attr:`FORMER_NAMES`).

    Examples
    --------
    >>> promise = Promise(50e6, 80e6, money_of="1404-06", source="news report, Sep 2025")
    >>> promise.band_rial
    (50000000.0, 80000000.0)

    A promise of 40 million rial a month left after the loan instalment:

    >>> Promise(40e6, 40e6, money_of="1405-01", source="board minutes", counts="net").counts
    'net'
    """

    FORMER_NAMES: ClassVar[dict[str, str]] = {"reading": "counts"}
    """Fields under their former names, still accepted by ``Promise(...)``, by scenario
    files and by dotted paths (``promise.reading`` is ``promise.counts``)."""

    low_rial: float = field(
        unit="rial",
        minimum=0,
        maximum=MAX_MONTHLY_PAYOUT_RIAL,
        min_inclusive=False,
        source="The band's bottom and top [rial per family per month], ``0 < low <= high``.",
    )
    high_rial: float = field(
        unit="rial",
        minimum=0,
        maximum=MAX_MONTHLY_PAYOUT_RIAL,
        min_inclusive=False,
        source="The band's bottom and top [rial per family per month], ``0 < low <= high``.",
    )
    money_of: str = field(
        unit="",
        source=(
            'The month whose money the figures are in, as a Jalali label ``"YYYY-MM"`` (``"1404-06"``'
            " for Shahrivar 1404): usually the date of the source."
        ),
    )
    source: str = field(
        unit="",
        source="Where the promise was made (title, date).",
    )
    counts: str | None = field(
        None,
        unit="",
        choices=COUNTS,
        source="Which money the promise counts, when the source says; ``None`` when it does not.",
    )

    def __post_init__(self):
        check_fields(self, "promise")
        if self.high_rial < self.low_rial:
            raise InputError(
                f"promise.high_rial = {self.high_rial!r} is below promise.low_rial = "
                f"{self.low_rial!r}: give the band's bottom first"
            )
        match = _MONTH_LABEL.match(self.money_of) if isinstance(self.money_of, str) else None
        if match is None or not 1 <= int(match.group(2)) <= 12 or not 1300 <= int(match.group(1)) <= 1500:
            raise InputError(
                f"promise.money_of = {self.money_of!r} is not a Jalali month label: give "
                "'YYYY-MM' with a year 1300-1500 and a month 01-12 (for example '1404-06')"
            )
        if not isinstance(self.source, str) or not self.source.strip():
            raise InputError(f"promise.source = {self.source!r} must say where the promise was made")

    @property
    def band_rial(self) -> tuple[float, float]:
        """``(low, high)`` [rial per family per month]."""
        return (float(self.low_rial), float(self.high_rial))

    @property
    def reading(self) -> str | None:
        """The former name of :attr:`counts`."""
        return self.counts


def _accept_former_names(init):
    """``Promise.__init__`` that also takes each field under its former name."""

    @functools.wraps(init)
    def accepting(self, *args, **kwargs):
        for former, name in Promise.FORMER_NAMES.items():
            if former in kwargs:
                if name in kwargs:
                    raise InputError(f"promise: give {name!r} or its former name {former!r}, not both")
                kwargs[name] = kwargs.pop(former)
        init(self, *args, **kwargs)

    return accepting


Promise.__init__ = _accept_former_names(Promise.__init__)


QOM_PROMISE = Promise(
    low_rial=50e6,
    high_rial=80e6,
    money_of="1404-06",
    source="Qom news report, September 2025 (Shahrivar 1404)",
    counts=None,
)
"""50-80 million rial a month for each of the 400 families of the Mohebban Karimeh
cooperative (Qom news report, September 2025). The report does not say whether it counts
sales, the distribution or what is left after the loan instalment, so ``counts`` is
``None``."""
