"""A whole case: site, weather, plant, tariff, payment, economy, costs, members and loans.

A :class:`Scenario` is an immutable bundle of the stages' specs. What-ifs are copies with
fields changed through dotted paths (``"tariff.base_price_rial_per_kwh"``), each change
validated by the spec it lands in.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Mapping
from os import PathLike
from typing import Any

import numpy as np
import pandas as pd

from solarcoop import weather as weather_stage
from solarcoop._validation import InputError, check_choice, check_not_toman
from solarcoop.books.specs import Cooperative, CooperativeDebt, Costs, Funding, MemberClass
from solarcoop.calendar import CALENDARS, first_month_label, from_jalali, month_number
from solarcoop.economy import Economy
from solarcoop.fields import check_fields, declared, field
from solarcoop.finance import Loan
from solarcoop.payment import Payment, central_payment
from solarcoop.plant import Plant
from solarcoop.promise import QOM_PROMISE, Promise
from solarcoop.site import QOM, Site
from solarcoop.tariff import (
    FlatTariff,
    GuaranteedPurchaseTariff,
    MarketTariff,
    SwitchingTariff,
    central_contract,
)
from solarcoop.uncertainty import Uncertainty

TARIFF_KINDS = (FlatTariff, GuaranteedPurchaseTariff, MarketTariff, SwitchingTariff)

SHARE_PLAUSIBLE_MIN_RIAL = 2.5e8
"""No family's solar share costs less than 250 million rial: 1 kW at the lowest reported
building cost, 25 million toman per kW (Hamedan, IRIB 5585575, Oct 2025); reported shares
are 150 million toman per 5 kW (Taybad, Kerman, Qom). A share loan or price below this
whose tenfold is above it was almost surely typed in toman."""
_SHARE_SOURCE = "1 kW at 25 million toman, the lowest reported building cost; shares are 150 million toman per 5 kW"

QOM_START_DATE = from_jalali(1405, 1, 1)
"""1 Farvardin 1405 (21 March 2026): the plant was expected in operation by the end of
1404 (Qom news report, September 2025)."""


START_YEARS = (1950, 2100)
"""First and last Gregorian year in which operation may start."""


def _start_timestamp(value) -> pd.Timestamp:
    """``start_date`` as a Timestamp; a number, a Jalali date read as Gregorian or a year
    out of :data:`START_YEARS` is refused, naming the Gregorian date meant where it can."""
    if isinstance(value, bool | int | float) or not isinstance(value, str | datetime.date | np.datetime64):
        raise InputError(
            f"start_date = {value!r} is not a date: give a date such as datetime.date(2026, 3, 21) "
            "or the text '2026-03-21' (Gregorian; for a Jalali date use sc.calendar.from_jalali)"
        )
    text = str(value).strip()
    year = value.year if isinstance(value, datetime.date) else (int(text[:4]) if text[:4].isdigit() else None)
    if year is not None and not START_YEARS[0] <= year <= START_YEARS[1]:
        meant = ""
        if 1300 <= year <= 1500:  # a Jalali year (1405 = 2026) typed where Gregorian is read
            try:
                y, m, d = (int(part) for part in text[:10].split("-"))
                meant = (f": it looks like a Jalali date, read here as the year {year} AD; Jalali "
                         f"{y}-{m:02d}-{d:02d} is {from_jalali(y, m, d)}, write that (Gregorian)")
            except (ValueError, InputError):
                meant = ": it looks like a Jalali year; start dates are Gregorian (Jalali 1405 began on 2026-03-21)"
        raise InputError(
            f"start_date = {text!r} is out of range: allowed years {START_YEARS[0]} to "
            f"{START_YEARS[1]} (Gregorian){meant}"
        )
    try:
        start = pd.Timestamp(value)
    except (TypeError, ValueError, OverflowError):
        raise InputError(f"start_date = {value!r} is not a date: write it as 2026-03-21 (Gregorian)") from None
    if start is pd.NaT:
        raise InputError(f"start_date = {value!r} is not a date: write it as 2026-03-21 (Gregorian)")
    return start


@declared
@dataclasses.dataclass(frozen=True, eq=False)
class Scenario:
    """Everything that decides what a family is paid.

    """

    name: str | None = field(
        None,
        unit="",
        source=(
            "The scenario's title in charts and reports. ``None`` (default) derives it from the site,"
            ' the families and the plant\'s size (``"Qom cooperative, 400 families, 3 MW"``), and '
            "derives it again whenever those change (by ``with_changes`` or in a file); a name the "
            "user gives stays as given."
        ),
    )
    site: Site = field(
        QOM,
        unit="",
        source="Where the plant is.",
    )
    weather: Any = field(
        None,
        unit="",
        source=(
            "Hourly weather: ``None`` for the embedded typical year built for ``site``, a file path "
            "(EPW, PVGIS, TMY3, NSRDB, CSV), or a DataFrame with pvlib column names."
        ),
    )
    plant: Plant = field(
        default_factory=Plant,
        unit="",
        source="The plant and its losses.",
    )
    tariff: Any = field(
        default_factory=central_contract,
        unit="",
        source="How each kWh is priced. Default :func:`solarcoop.tariff.central_contract`.",
    )
    payment: Payment = field(
        default_factory=central_payment,
        unit="",
        source=(
            "When and how the buyer pays. Default :func:`solarcoop.payment.central_payment` (70 % in "
            "cash, the rest in a yearly lump: the central reading)."
        ),
    )
    economy: Economy = field(
        default_factory=Economy,
        unit="",
        source="Consumer prices and the euro rate over time.",
    )
    costs: Costs = field(
        default_factory=Costs,
        unit="",
        source="Running costs and the capital cost.",
    )
    cooperative: Cooperative = field(
        default_factory=Cooperative,
        unit="",
        source="Members, tax, reserves, distribution.",
    )
    loan: Loan = field(
        default_factory=Loan,
        unit="",
        source="Each family's share loan, its instalment deducted from the distribution.",
    )
    lifetime_years: int = field(
        25,
        unit="years",
        minimum=1,
        maximum=50,
        integer=True,
        source=(
            "Operating years simulated [years], 1 to 50. Default 25 (a 20-year guaranteed purchase "
            "contract, then sales at market price; PV modules are warranted 25 years)."
        ),
    )
    start_date: datetime.date = field(
        QOM_START_DATE,
        unit="",
        source="First day of operation; the first day of an accounting month.",
    )
    calendar: str = field(
        "jalali",
        unit="",
        choices=CALENDARS,
        source="Whose months the books are kept in.",
    )
    uncertainty: Uncertainty = field(
        default_factory=Uncertainty,
        unit="",
        source="What :func:`solarcoop.monte_carlo` varies, and by how much.",
    )
    member_classes: tuple[MemberClass, ...] = field(
        (),
        unit="",
        source=(
            "Families grouped by shares held and loan. Empty (default): one class of "
            "``cooperative.families`` families with one share each and ``loan``. When given, "
            "``cooperative.families`` must equal their total (checked when the scenario is simulated, "
            "so that ``with_changes`` may set the two in either order), and a class without its own "
            "loan repays ``loan``."
        ),
    )
    debt: CooperativeDebt = field(
        default_factory=CooperativeDebt,
        unit="",
        source="The cooperative's own loan, serviced before distributions; none by default.",
    )
    promise: Promise | None = field(
        None,
        unit="",
        source=(
            "What the plan promised each family a month, with its source: charts shade its band and "
            "the report quotes it. ``None`` (default): no band, no promise sentence. A promise "
            "belongs to its site: a ``with_changes`` (or a scenario file) that moves the site without "
            "setting ``promise`` drops it."
        ),
    )
    real_money_of: str | None = field(
        None,
        unit="",
        source=(
            'The month whose money every real figure is in, as a label ``"YYYY-MM"`` in the scenario\'s '
            "calendar. ``None`` (default): the promise's month (``promise.money_of``) when there is a "
            "promise and the calendar is Jalali, else the first operating month "
            "(:attr:`Scenario.real_money_month`)."
        ),
    )
    funding: Funding = field(
        default_factory=Funding,
        unit="",
        source=(
            "Who paid the part of the capital cost the families' shares and the debt do not: a grant, "
            "sponsor equity (and the sponsor's name), and which source fills the gap. Default: no gap, "
            "the families' shares pay Qom's whole plant (the central reading of ``funding_gap``, see "
            ":class:`~solarcoop.books.specs.Funding` and :mod:`solarcoop.disputed`)."
        ),
    )
    lender: str | None = field(
        None,
        unit="",
        source=(
            "Who lends the families their share loans, for the texts (``\"Imam Khomeini Relief "
            "Committee\"`` in :func:`qom_baseline`). ``None`` (default): the texts say \"the lender\"."
        ),
    )
    buyer: str | None = field(
        None,
        unit="",
        source=(
            "Who buys the plant's electricity, for the texts (``\"SATBA\"`` in :func:`qom_baseline`). "
            "``None`` (default): the texts say \"the buyer\"."
        ),
    )
    weather_fill_gaps_hours: int = field(
        0,
        unit="h",
        minimum=0,
        maximum=weather_stage.MAX_FILL_GAPS_HOURS,
        integer=True,
        source=(
            "Fill gaps in a weather file or frame of at most this many hours by linear interpolation "
            "[h], 0 to 24 (``solarcoop.weather.MAX_FILL_GAPS_HOURS``). Default 0: any gap stops the "
            "run, naming it."
        ),
    )
    weather_accept: tuple[str, ...] = field(
        (),
        unit="",
        source=(
            "Weather findings to accept instead of stopping on, from "
            '``solarcoop.weather.ACCEPTABLE``: ``"closure"`` (DNI, DHI and GHI do not add up) and '
            '``"dark"`` (almost no sunshine all year). Default: none.'
        ),
    )

    def __post_init__(self):
        if self.name is not None and (not isinstance(self.name, str) or not self.name.strip()):
            raise InputError(f"name = {self.name!r} must be a non-empty string or None (derived)")
        for institution in ("lender", "buyer"):
            value = getattr(self, institution)
            if value is not None and (not isinstance(value, str) or not value.strip()):
                raise InputError(f"{institution} = {value!r} must be a non-empty string or None (not named)")
        _check_spec("site", self.site, Site)
        _check_spec("plant", self.plant, Plant)
        _check_spec("payment", self.payment, Payment)
        _check_spec("economy", self.economy, Economy)
        _check_spec("costs", self.costs, Costs)
        _check_spec("cooperative", self.cooperative, Cooperative)
        _check_spec("loan", self.loan, Loan)
        _check_spec("uncertainty", self.uncertainty, Uncertainty)
        _check_spec("debt", self.debt, CooperativeDebt)
        _check_spec("funding", self.funding, Funding)
        if not isinstance(self.member_classes, tuple | list) or not all(
            isinstance(c, MemberClass) for c in self.member_classes
        ):
            raise InputError(f"member_classes = {self.member_classes!r} must be a tuple of MemberClass")
        object.__setattr__(self, "member_classes", tuple(self.member_classes))
        if not isinstance(self.tariff, TARIFF_KINDS):
            raise InputError(
                f"tariff = {self.tariff!r} is not a tariff: use one of "
                + ", ".join(kind.__name__ for kind in TARIFF_KINDS)
            )
        if not (self.weather is None or isinstance(self.weather, str | PathLike | pd.DataFrame)):
            raise InputError(
                f"weather = {type(self.weather).__name__} is not allowed: give None (embedded "
                "typical year), a file path or a DataFrame"
            )
        check_fields(self, "")
        if isinstance(self.weather_accept, str) or not isinstance(self.weather_accept, tuple | list):
            raise InputError(
                f"weather_accept = {self.weather_accept!r} must be a list of names from "
                f"{weather_stage.ACCEPTABLE}"
            )
        for item in self.weather_accept:
            check_choice("weather_accept", item, weather_stage.ACCEPTABLE)
        object.__setattr__(self, "weather_accept", tuple(self.weather_accept))
        start = _start_timestamp(self.start_date)
        if start != start.normalize():
            raise InputError(
                f"start_date = {self.start_date!r} has a time of day: give a date (operation "
                "starts on the first day of an accounting month)"
            )
        object.__setattr__(self, "start_date", start.date())
        if self.promise is not None:
            _check_spec("promise", self.promise, Promise)
        self._check_share_money()
        if self.real_money_of is not None:
            month_number(self.real_money_of, "real_money_of")
        if self.name is None or isinstance(self.name, DerivedName):
            object.__setattr__(self, "name", derived_name(self))

    def _check_share_money(self) -> None:
        """Share loans and the share price in toman by mistake are refused, naming the field."""
        check_not_toman("loan.principal_rial", self.loan.principal_rial, SHARE_PLAUSIBLE_MIN_RIAL, _SHARE_SOURCE)
        for index, member_class in enumerate(self.member_classes):
            if member_class.loan is not None:
                check_not_toman(
                    f"member_classes.{index}.loan.principal_rial", member_class.loan.principal_rial,
                    SHARE_PLAUSIBLE_MIN_RIAL, _SHARE_SOURCE,
                )  # fmt: skip
        if self.cooperative.share_price_rial is not None:
            check_not_toman(
                "cooperative.share_price_rial", self.cooperative.share_price_rial,
                SHARE_PLAUSIBLE_MIN_RIAL, _SHARE_SOURCE,
            )  # fmt: skip

    @property
    def real_money_month(self) -> str:
        """The month whose money every real figure of this scenario is in (``"1404-06"``):
        ``real_money_of`` when set, else the promise's month (Jalali calendar), else the
        first operating month.

        >>> qom_baseline().real_money_month  # the promise's: Shahrivar 1404
        '1404-06'
        >>> qom_baseline().with_changes({"promise": None}).real_money_month
        '1405-01'
        """
        if self.real_money_of is not None:
            return self.real_money_of
        if self.promise is not None and self.calendar == "jalali":
            return self.promise.money_of
        return first_month_label(self.start_date, self.calendar)

    @property
    def share_price_rial(self) -> float:
        """What one share cost [rial]: ``cooperative.share_price_rial``, or when that is
        ``None`` the family's loan principal (the share was paid with the loan)."""
        price = self.cooperative.share_price_rial
        return float(self.loan.principal_rial if price is None else price)

    @property
    def name_is_derived(self) -> bool:
        """Whether :attr:`name` was derived from the site, families and size."""
        return isinstance(self.name, DerivedName)

    def with_changes(self, changes: Mapping[str, Any]) -> Scenario:
        """A copy with fields changed through dotted paths; each new value is validated.

        Parameters
        ----------
        changes : mapping
            ``{"tariff.base_price_rial_per_kwh": 60_000, "cooperative.families": 300}``.

        Raises
        ------
        InputError
            For an unknown path (the message lists what exists there) or a bad value.

        Examples
        --------
        >>> base = Scenario()
        >>> base.with_changes({"cooperative.families": 300}).cooperative.families
        300
        >>> base.with_changes({"plant.tilt": 20})
        Traceback (most recent call last):
        ...
        solarcoop._validation.InputError: unknown path 'plant.tilt': Plant has no field 'tilt'; ...
        """
        if not isinstance(changes, Mapping):
            raise InputError(f"changes = {changes!r} must be a mapping of dotted paths to values")
        scenario = self
        for path, value in changes.items():
            scenario = _replace_path(scenario, str(path).split("."), value, str(path))
        return follow_site_move(self, scenario, [str(path) for path in changes])


class DerivedName(str):
    """A scenario name made by :func:`derived_name`; derived again when the scenario changes."""

    __slots__ = ()


def _size_label(capacity_kwp: float) -> str:
    if capacity_kwp >= 1000:
        return f"{capacity_kwp / 1000:.4g} MW"
    return f"{capacity_kwp:.4g} kW"


def derived_name(scenario: Scenario) -> DerivedName:
    """The scenario's name from its site, families and plant size.

    Examples
    --------
    >>> derived_name(qom_baseline())
    'Qom cooperative, 400 families, 3 MW'
    """
    size = _size_label(scenario.plant.capacity_kwp)
    place = scenario.site.label
    families = scenario.cooperative.families
    if families == 1:
        return DerivedName(f"{place} plant of one family, {size}")
    return DerivedName(f"{place} cooperative, {families:,} families, {size}")


def drop_promise_if_moved(before: Scenario, after: Scenario, changed_paths) -> Scenario:
    """``after`` without ``before``'s promise when the site moved and no promise was set.

    A promise was made to a cooperative at one place; carrying it to another would shade
    the wrong band in every chart.
    """
    moved = after.site != before.site
    promise_set = any(path == "promise" or path.startswith("promise.") for path in changed_paths)
    if moved and not promise_set and after.promise is not None and after.promise == before.promise:
        return dataclasses.replace(after, promise=None)
    return after


PLACE_BOUND = ("promise", "lender", "buyer", "funding.sponsor_name")
"""What belongs to the cooperative at one place: a ``with_changes`` or a file that moves
the site (its coordinates) without setting these leaves them empty (``None``)."""


def _is_set(path: str, changed_paths) -> bool:
    """Whether ``path`` (or a table above or below it) is among ``changed_paths``."""
    return any(p == path or p.startswith(path + ".") or path.startswith(p + ".") for p in changed_paths)


def follow_site_move(before: Scenario, after: Scenario, changed_paths) -> Scenario:
    """``after`` made to follow a move of its site that ``changed_paths`` did not finish.

    When the coordinates changed (through ``site.latitude`` or ``site.longitude``, not a
    whole new ``site``): the site's name and altitude not set alongside are dropped, so
    that the name follows the coordinates (:attr:`Site.label`) and the altitude is looked
    up; and the promise, the lender, the buyer and the sponsor's name
    (:data:`PLACE_BOUND`) not set alongside are dropped. A site given whole keeps its own
    name and altitude. An altitude set by path is given, not looked up.

    Examples
    --------
    >>> isfahan = qom_baseline().with_changes({"site.latitude": 32.65, "site.longitude": 51.67})
    >>> isfahan.site.label, isfahan.site.altitude_looked_up, isfahan.promise, isfahan.lender
    ('Isfahan', True, None, None)
    """
    changed_paths = [str(p) for p in changed_paths]
    site = after.site
    flag_set = "site.altitude_looked_up" in changed_paths
    if "site.altitude_m" in changed_paths and site.altitude_looked_up and not flag_set:
        site = dataclasses.replace(site, altitude_m=site.altitude_m, altitude_looked_up=False)
    coordinates = (before.site.latitude, before.site.longitude)
    moved = (after.site.latitude, after.site.longitude) != coordinates
    if moved and "site" not in changed_paths:
        keep_name = _is_set("site.name", changed_paths)
        keep_altitude = _is_set("site.altitude_m", changed_paths)
        site = dataclasses.replace(
            site,
            name=site.name if keep_name else None,
            altitude_m=site.altitude_m if keep_altitude else None,
            altitude_looked_up=site.altitude_looked_up if keep_altitude else False,
        )
    if site is not after.site:
        after = dataclasses.replace(after, site=site)
    after = drop_promise_if_moved(before, after, changed_paths)
    if not moved:
        return after
    if after.lender is not None and not _is_set("lender", changed_paths):
        after = dataclasses.replace(after, lender=None)
    if after.buyer is not None and not _is_set("buyer", changed_paths):
        after = dataclasses.replace(after, buyer=None)
    if after.funding.sponsor_name is not None and not _is_set("funding.sponsor_name", changed_paths):
        after = dataclasses.replace(after, funding=dataclasses.replace(after.funding, sponsor_name=None))
    return after


def _check_spec(field: str, value, kind: type) -> None:
    if not isinstance(value, kind):
        raise InputError(f"{field} = {value!r} must be a {kind.__name__}")


_ITEM_NOUNS = {"member_classes": "classes"}
"""What the items of a tuple field are called in messages (default ``items``)."""


def _replace_path(spec, parts: list[str], value, path: str, where: str = ""):
    """``spec`` with the field (or tuple item) at ``parts`` set to ``value``, validated."""
    head, rest = parts[0], parts[1:]
    head = getattr(type(spec), "FORMER_NAMES", {}).get(head, head)  # a field's former name still works
    if isinstance(spec, tuple):
        index = _tuple_index(spec, head, path, where)
        item = _replace_path(spec[index], rest, value, path, f"{where}.{head}") if rest else _plain(value)
        return spec[:index] + (item,) + spec[index + 1 :]
    names = [f.name for f in dataclasses.fields(spec)]
    if head not in names:
        raise InputError(
            f"unknown path {path!r}: {type(spec).__name__} has no field {head!r}; "
            f"fields are {', '.join(names)}",
            "unknown_path", path=path, fields=", ".join(names),
        )
    given = value
    if rest:
        child = getattr(spec, head)
        if not (dataclasses.is_dataclass(child) or isinstance(child, tuple)):
            raise InputError(f"unknown path {path!r}: {head!r} has no fields below it")
        value = _replace_path(child, rest, value, path, f"{where}.{head}".lstrip("."))
    else:
        value = _plain(value)
    try:
        return dataclasses.replace(spec, **{head: value})
    except TypeError as error:  # the value the caller gave, not the spec rebuilt around it
        raise InputError(f"{path} = {given!r} is not allowed: {error}") from None
    except InputError as error:
        if path in str(error):
            raise
        # a spec nested in another names its fields from its own top: say where it sits
        raise error.with_message(f"{error} (set through {path!r})") from None


def _plain(value):
    """Lists from files and callers become tuples, as the specs store them."""
    if isinstance(value, list):
        return tuple(tuple(item) if isinstance(item, list) else item for item in value)
    return value


def _tuple_index(items: tuple, step: str, path: str, where: str) -> int:
    noun = _ITEM_NOUNS.get(where, "items")
    if not (step.isascii() and step.isdigit()):
        raise InputError(
            f"unknown path {path!r}: {where} holds {len(items)} {noun}, reached by index "
            f"(0 to {len(items) - 1}), not {step!r}"
            if items
            else f"unknown path {path!r}: {where} is empty"
        )
    index = int(step)
    if index >= len(items):
        raise InputError(
            f"unknown path {path!r}: {where} has {len(items)} {noun}: index {index} is out of range"
        )
    return index


def qom_baseline(start: str | None = None) -> Scenario:
    """The Mohebban Karimeh cooperative in Qom, with every default cited in its spec.

    400 families supported by the Imam Khomeini Relief Committee, each with a
    1.5-billion-rial (150-million-toman) share loan at 4 % over 84 months; a 3,000 kWp
    fixed plant at 30 degrees near Qom from 1 Farvardin 1405; the guaranteed-purchase
    contract for Relief Committee client plants, indexed yearly.
    The families' shares pay the whole plant, 600 bn rial (2.0e8 rial/kWp), as the share
    loans paid every comparable plant whose cost is public (the central reading of
    ``funding_gap``). The other readings are one change away: a plant of 900 bn rial
    (``{"costs.capital_cost_rial_per_kwp": 3e8}``) whose gap a sponsor's equity fills, or
    with ``{"funding.gap_filled_by": "grant"}`` or ``"debt"`` (a 14 % SATBA loan over 60
    months with 12 months' grace).

    ``start`` (a Jalali month, ``"1399-01"``) starts the same cooperative in the past, with
    that contract year's terms and the published months (:func:`solarcoop.vintage.started`).

    Every disputed fact takes its central reading (:mod:`solarcoop.disputed`), as the
    specs' defaults do: a tariff of 38,000 rial/kWh (between the 30,000 and 45,800 of two
    IRIB reports of October 2025), step-downs to 0.6 in three even steps at years 8, 12 and
    16, 70 % of each bill in cash and the rest in a yearly lump, tax at 18.75 %, the euro
    window ending at the payment month, the euro gaining 3.7 % a year on consumer
    prices, no gap in the plant's funding and no grace on the family's loan. The Monte
    Carlo draws the other readings with their stated chances.

    Examples
    --------
    >>> scenario = qom_baseline()
    >>> scenario.plant.capacity_kwp, scenario.cooperative.families, scenario.loan.principal_rial
    (3000.0, 400, 1500000000.0)
    >>> scenario.name
    'Qom cooperative, 400 families, 3 MW'
    >>> scenario.promise.band_rial
    (50000000.0, 80000000.0)
    """
    if start is not None:
        from solarcoop.vintage import started  # vintage builds on this module

        return started(qom_baseline(), start)
    return Scenario(
        promise=QOM_PROMISE,
        lender=QOM_LENDER,
        buyer=QOM_BUYER,
        funding=Funding(sponsor_name=QOM_LENDER),
    )


QOM_LENDER = "Imam Khomeini Relief Committee"
"""Who lent the Qom families their shares and organised the plant (Qom news report,
September 2025); in :func:`qom_baseline` also the sponsor whose equity fills the gap."""

QOM_BUYER = "SATBA"
"""Who buys the Qom plant's electricity: SATBA, under the guaranteed-purchase contract."""
