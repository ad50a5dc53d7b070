"""Each input field declared once (solarcoop.fields): every declaration is complete, in both
catalogs, in the docstring, and its check names the field, the value and what is allowed."""

import dataclasses
import inspect
import re
import typing

import pytest

import solarcoop as sc
from solarcoop import fields
from solarcoop._validation import InputError
from solarcoop.present.assumptions import field_words
from solarcoop.present.locales import catalog
from solarcoop.present.text import plain_text
from solarcoop.tariff import Tariff

DECLARED = (
    sc.Scenario, sc.Site, sc.Plant, sc.Losses, sc.Soiling, sc.GuaranteedPurchaseTariff,
    sc.MarketTariff, sc.FlatTariff, sc.SwitchingTariff, sc.TimeOfUse, sc.Payment, sc.Economy,
    sc.Loan, sc.Uncertainty, sc.Promise, sc.Costs, sc.Cooperative, sc.MemberClass,
    sc.CooperativeDebt, sc.Funding,
)  # fmt: skip

REQUIRED = {
    sc.Site: {"latitude": 34.64, "longitude": 50.88},
    sc.Promise: {"low_rial": 50e6, "high_rial": 80e6, "money_of": "1404-06", "source": "news"},
    sc.SwitchingTariff: {
        "first": sc.MarketTariff(),
        "then": sc.FlatTariff(),
        "switch_operating_year": 5,
    },
    sc.MemberClass: {"name": "all", "families": 400},
}
"""Values for the fields a spec requires, so that one field at a time can be set wrong."""


def _spec_classes(kind, found=None):
    """``kind`` and every spec class its fields can hold (nested specs, tariffs, classes)."""
    found = set() if found is None else found
    found.add(kind)
    for item in dataclasses.fields(kind):
        for name in re.findall(r"\w+", str(item.type)):
            held = getattr(sc, name, None)
            if isinstance(held, type) and dataclasses.is_dataclass(held) and held not in found:
                _spec_classes(held, found)
    return found


def _documented(kind) -> dict[str, str]:
    """``{field: description}`` from the Parameters section of the spec's docstring."""
    doc = inspect.getdoc(kind)
    section = re.search(r"^Parameters\n-+\n(.*?)(?=^\S[^\n]*\n-{3,}\n|\Z)", doc, re.S | re.M)
    described: dict[str, list[str]] = {}
    for line in section.group(1).splitlines():
        if line and not line[0].isspace():
            name = line.split(" : ")[0]
            described[name] = []
        elif line.strip():
            described[name].append(line.strip())
    return {name: plain_text(" ".join(lines)) for name, lines in described.items()}


def test_every_spec_a_scenario_can_hold_is_declared():
    found = _spec_classes(sc.Scenario)
    for tariff in typing.get_args(Tariff):  # Scenario.tariff holds any of them
        _spec_classes(tariff, found)
    assert found == set(DECLARED), found ^ set(DECLARED)
    assert all(fields.is_declared(kind) for kind in found)


def test_a_field_not_declared_has_no_declaration():
    @dataclasses.dataclass(frozen=True)
    class Bare:
        width_m: float = 1.0

    with pytest.raises(TypeError, match=r"Bare.width_m is not declared with solarcoop.fields.field"):
        fields.declaration(Bare, "width_m")
    with pytest.raises(TypeError, match=r"Bare.height_m is not declared"):
        fields.declaration(Bare, "height_m")


UNITS = {
    "", "%", "%/year", "% of capital cost", "% of capital cost/year", "% of profit after tax",
    "% of members' capital", "%/day", "%/°C", "months", "months of costs", "years", "days", "h",
    "rial", "rial/year", "rial/kWh", "rial/kWp", "rial/kWp/year", "rial/EUR", "kWp", "m",
    "degrees", "degrees north", "degrees east", "shares",
}  # fmt: skip
"""Every unit a declaration may have, as the report writes it (a new one needs its words
in both catalogs, and in the app's ``UNIT_KEYS`` if the app shows the field)."""

WITHOUT_UNIT = {("Economy", "cpi_start"), ("Costs", "inverter_replacement_year")}
"""Fields whose source brackets a unit the report does not write: an index's points and
a year counted from the start of operation."""


def _declared_fields():
    for kind in DECLARED:
        for item in dataclasses.fields(kind):
            yield kind, item.name, fields.declaration(kind, item.name)


def _id(case):
    return f"{case[0].__name__}.{case[1]}" if isinstance(case, tuple) else None


@pytest.mark.parametrize("kind", DECLARED, ids=lambda kind: kind.__name__)
def test_every_field_of_a_declared_spec_has_a_unit_a_source_and_both_catalog_entries(kind):
    assert fields.is_declared(kind)
    english, persian = catalog("en")["fields"][kind.__name__], catalog("fa")["fields"][kind.__name__]
    for item in dataclasses.fields(kind):
        declared = fields.declaration(kind, item.name)
        assert declared.unit in UNITS, (kind.__name__, item.name, declared.unit)
        # a source that gives a unit in brackets declares it (but "[-]": no unit)
        bracketed = [unit for unit in re.findall(r"\[([^\]]+)\]", declared.source) if unit != "-"]
        if bracketed and (kind.__name__, item.name) not in WITHOUT_UNIT:
            assert declared.unit, (kind.__name__, item.name, bracketed)
        assert declared.source.strip(), (kind.__name__, item.name)
        # English: the name only (unit and description are declared); Persian: all three
        assert isinstance(english[item.name], str) and english[item.name], (kind.__name__, item.name)
        name, unit, description = persian[item.name]
        assert re.search(r"[\u0600-\u06FF]", name) and description, (kind.__name__, item.name)
        assert bool(unit) == bool(declared.unit), (kind.__name__, item.name, unit, declared.unit)


@pytest.mark.parametrize("kind", DECLARED, ids=lambda kind: kind.__name__)
def test_the_docstring_has_one_parameters_section_naming_every_field_before_the_examples(kind):
    doc = inspect.getdoc(kind)
    assert doc.count("\nParameters\n----------\n") == 1
    assert list(_documented(kind)) == [item.name for item in dataclasses.fields(kind)]
    # the section comes before the examples, as numpydoc has it
    if "\nExamples\n--------" in doc:
        assert doc.index("\nParameters\n") < doc.index("\nExamples\n")


PROMISE_PARAMETERS = """\
Parameters
----------
low_rial : float
    The band's bottom and top [rial per family per month], ``0 < low <= high``.
high_rial : float
    The band's bottom and top [rial per family per month], ``0 < low <= high``.
money_of : str
    The month whose money the figures are in, as a Jalali label ``"YYYY-MM"``
    (``"1404-06"`` for Shahrivar 1404): usually the date of the source.
source : str
    Where the promise was made (title, date).
counts : {"sales", "distribution", "net"} or None
    Which money the promise counts, when the source says; ``None`` when it does not.
"""

LOAN_PARAMETERS = """\
Parameters
----------
principal_rial : float
    Amount borrowed [rial]. Default 1.5e9: each family's 150-million-toman share
    loan from the Imam Khomeini Relief Committee (Qom news report, September 2025).
    At most 1e15 (``MAX_STOCK_RIAL``: the same class holds a cooperative's debt).
annual_rate : float
    Yearly rate (interest or, for a qarz-al-hasaneh loan, the fee) [fraction/year],
    compounded monthly (``annual_rate / 12`` a month). Default 0.04: 4 % a year
    (Relief Committee loans in Hamedan and Rudan; IRIB 5585575, 5565464).
term_months : int
    Months from the first instalment month to the last, grace included [months].
    Default 84: seven years (same sources).
grace_months : int
    First months of the term in which only interest (or the fee) is paid; the
    balance then repays in equal instalments over the rest of the term [months].
    Default 0, the central reading of ``loan_grace`` (:mod:`solarcoop.disputed`):
    running plants of Relief Committee families deduct the instalments from their
    first payouts (Abarkuh, yazd.emdad.ir; IRIB 5593090; Mehr 6623024); 6 or 12
    months are the other readings.
first_month_index : int
    Accounting month (0 = first month of operation) of the first payment [-].
    Default 0: repayment starts with the plant (an assumption: the loan's
    disbursement date was not reported).
shortfall : {"debited", "arrears"}
    What happens in a month whose distribution does not cover the instalment.
    ``"arrears"`` (default, with the quarterly payouts the central reading of
    ``payout``, :mod:`solarcoop.disputed`): the instalments are withheld from the
    payouts, and a shortfall is recovered from later ones, without penalty: the
    family's cash flow is never negative, but it carries a debt (the Abarkuh
    aggregated plant of the Relief Committee paid its families net of their
    instalments, yazd.emdad.ir; instalments are repaid from the electricity income,
    IRIB 5593090, Isfahan, and Mehr 6623024, Rudan, loans without guarantors; the
    Money and Credit Council's rescheduling rules of 1398-06-26 allow it).
    ``"debited"``: the instalment is due whatever the plant paid, and the lender
    takes the rest from the family's own account (banks collect overdue instalments
    from the borrower and guarantors under the Central Bank's rules on non-current
    claims, 184847/94 of 1394-07-07), so the family pays from its own pocket; no
    running plant was reported doing so. Late-payment penalties are not modelled.
"""


@pytest.mark.parametrize(
    ("kind", "expected"),
    [(sc.Promise, PROMISE_PARAMETERS), (sc.Loan, LOAN_PARAMETERS)],
    ids=["Promise", "Loan"],
)
def test_the_docstring_parameters_are_written_from_the_declarations(kind, expected):
    # the type (the choices, " or None" where None is allowed) and the wrapped source
    assert fields.parameters_section(kind) + "\n" == expected
    assert f"\n\n{expected}\n" in inspect.getdoc(kind) + "\n"


def test_the_appendix_reads_the_declaration():
    declared = fields.declaration(sc.Loan, "annual_rate")
    assert field_words(sc.Loan, "annual_rate", "en") == (
        "yearly rate",
        declared.unit,
        plain_text(declared.source),
    )
    name, unit, description = field_words(sc.Loan, "annual_rate", "fa")
    assert (name, unit, description) == tuple(catalog("fa")["fields"]["Loan"]["annual_rate"])


def _wrong_value(declared):
    if declared.choices is not None:
        return "nonsense", "is not allowed: choose one of"
    if declared.maximum is not None:
        return declared.maximum * 2 + 1, "is out of range: allowed"
    return declared.minimum - 1, "is out of range: allowed"


CHECKED = [case[:2] for case in _declared_fields() if case[2].checked]


@pytest.mark.parametrize("case", CHECKED, ids=_id)
def test_a_value_out_of_its_declared_limits_is_refused_naming_field_value_and_what_is_allowed(case):
    kind, name = case
    declared = fields.declaration(kind, name)
    value, says = _wrong_value(declared)
    if declared.length is not None:
        value = (value,) * declared.length
    with pytest.raises(InputError) as error:
        kind(**{**REQUIRED.get(kind, {}), name: value})
    message = str(error.value)
    assert re.search(rf"(^|\.){name}(\[0\])? = ", message), message
    assert says in message or "is not allowed: values must be finite and" in message, message
    shown = repr(value[0] if declared.length else value)
    assert shown in message or f"{float(shown):,.0f}" in message or f"{float(shown):.6g}" in message, message
    if declared.choices is None:  # the bounds as declared, each with its inclusion
        if declared.minimum is not None:
            low = f"{_bound(declared.minimum)} {'<=' if declared.min_inclusive else '<'} value"
            assert low in message, (low, message)
        if declared.maximum is not None:
            high = f"value {'<=' if declared.max_inclusive else '<'} {_bound(declared.maximum)}"
            assert high in message, (high, message)


def _bound(bound) -> str:
    """A bound as the messages write it (90, 0.5, 1,000,000,000,000)."""
    return f"{bound:,.0f}" if float(bound).is_integer() and abs(bound) >= 10_000 else f"{bound}"


UNREACHABLE = {
    (sc.Loan, "grace_months", 600),  # grace must be shorter than the term, at most 600
    (sc.CooperativeDebt, "grace_months", 600),
}
"""Inclusive bounds that a relation with another field keeps every value from reaching."""

AT_BOUNDS = [
    (kind, name, bound)
    for kind, name, declared in _declared_fields()
    if declared.checked and declared.choices is None
    for bound, inclusive in ((declared.minimum, declared.min_inclusive), (declared.maximum, declared.max_inclusive))
    if bound is not None and inclusive and (kind, name, bound) not in UNREACHABLE
]
"""Every inclusive bound a declaration gives, with its field."""

BESIDE = {
    (sc.Promise, "low_rial"): {"high_rial": 1e12},
    (sc.Loan, "grace_months"): {"term_months": 600},
    (sc.CooperativeDebt, "grace_months"): {"term_months": 600},
    (sc.CooperativeDebt, "term_months"): {"grace_months": 0},
}
"""Other fields set with a field at its bound, where a relation between them asks it."""


@pytest.mark.parametrize("case", AT_BOUNDS, ids=lambda case: f"{case[0].__name__}.{case[1]}={case[2]}")
def test_a_value_at_an_inclusive_declared_bound_is_accepted(case):
    kind, name, bound = case
    declared = fields.declaration(kind, name)
    value = (bound,) * declared.length if declared.length else bound
    spec = kind(**{**REQUIRED.get(kind, {}), **BESIDE.get((kind, name), {}), name: value})
    assert getattr(spec, name) == value


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: sc.Plant(tilt_deg=120), "plant.tilt_deg = 120 is out of range: allowed 0 <= value <= 90"),
        (
            lambda: sc.Loan(annual_rate=4),
            "loan.annual_rate = 4 is out of range: allowed 0 <= value < 1 (fractions, not percent: 4 % is 0.04)",
        ),
        (
            lambda: sc.FlatTariff(escalation_per_year=35),
            "tariff.escalation_per_year = 35 is out of range: allowed -0.99 <= value <= 5.0 "
            "(rates are fractions per year: 35 % is 0.35)",
        ),
        (
            lambda: sc.Plant(mounting="roof"),
            "plant.mounting = 'roof' is not allowed: choose one of ('fixed', 'single_axis')",
        ),
        (lambda: sc.Scenario(lifetime_years=2.5), "lifetime_years = 2.5 must be a whole number"),
        (
            lambda: sc.Soiling(rate_per_day=(0.001,) * 11),
            "plant.losses.soiling.rate_per_day has shape (11,): expected 12 values",
        ),
        (
            lambda: sc.CooperativeDebt(annual_rate=1.5),
            "debt.annual_rate = 1.5 is out of range: allowed 0 <= value < 1 (fractions, not percent: 1.5 % is 0.015)",
        ),
    ],
)
def test_the_generic_check_gives_the_messages_of_the_named_checks(make, message):
    with pytest.raises(InputError) as error:
        make()
    assert str(error.value) == message


def test_a_whole_number_is_stored_as_int_and_a_list_as_a_tuple():
    payment = sc.Payment(billing_months=1.0, delay_months=3.0)
    assert type(payment.billing_months) is int and type(payment.delay_months) is int
    soiling = sc.Soiling(rate_per_day=[0.001] * 12, cleaning_interval_days=[10.0] * 12)
    assert soiling.rate_per_day == (0.001,) * 12 and soiling.cleaning_interval_days == (10,) * 12
    assert all(type(rate) is float for rate in soiling.rate_per_day)
    assert all(type(days) is int for days in soiling.cleaning_interval_days)


def test_a_field_of_unknown_kind_is_refused():
    with pytest.raises(ValueError, match="kind = 'percent' is not allowed"):
        fields.field(0.0, unit="%", source="x", kind="percent")


def test_a_spec_is_declared_as_a_whole():
    @dataclasses.dataclass(frozen=True)
    class Half:
        """Half declared."""

        declared: float = fields.field(1.0, unit="m", source="Declared [m].")
        bare: float = 2.0

    with pytest.raises(TypeError, match=r"Half declares its fields .* but not \['bare'\]"):
        fields.declared(Half)


def test_none_is_allowed_where_declared_optional_or_the_default_is_none():
    @dataclasses.dataclass(frozen=True)
    class Pick:
        either: str | None = fields.field("a", unit="", source="x", choices=("a", "b"), optional=True)
        strict: str = fields.field("a", unit="", source="x", choices=("a", "b"))
        unset: str | None = fields.field(None, unit="", source="x", choices=("a", "b"))

        def __post_init__(self):
            fields.check_fields(self, "pick")

    assert Pick(either=None, unset=None).either is None
    with pytest.raises(InputError, match=r"^pick.strict = None is not allowed: choose one of \('a', 'b'\)$"):
        Pick(strict=None)
    assert sc.Funding(gap_filled_by=None).gap_filled_by is None
    assert fields.declaration(sc.Funding, "gap_filled_by").optional
    assert fields.declaration(sc.Promise, "counts").optional  # its default is None
    assert not fields.declaration(sc.Loan, "shortfall").optional


@pytest.mark.parametrize(
    ("limits", "refused"),
    [
        ({"kind": "fraction", "maximum": 0.5}, "maximum=0.5"),
        ({"kind": "fraction", "minimum": 0.1, "min_inclusive": False}, "minimum=0.1, min_inclusive=False"),
        ({"kind": "rate", "max_inclusive": False}, "max_inclusive=False"),
        ({"kind": "rate", "integer": True}, "integer=True"),
        ({"choices": ("a", "b"), "minimum": 0}, "minimum=0"),
        ({"choices": ("a", "b"), "kind": "fraction"}, "kind='fraction'"),
        ({"length": 12, "minimum": 0, "min_inclusive": False}, "min_inclusive=False"),
    ],
)
def test_a_limit_check_fields_would_not_check_cannot_be_declared(limits, refused):
    with pytest.raises(TypeError, match=rf"cannot be declared with {re.escape(refused)}: check_fields would not check it"):
        fields.field(0.5, unit="", source="x", **limits)


def test_a_fraction_may_repeat_the_bounds_its_kind_fixes():
    # as a spec does that copies another's limits (CooperativeDebt's loan terms)
    @dataclasses.dataclass(frozen=True)
    class Shares:
        repeated: float = fields.field(0.1, unit="%", source="x", kind="fraction", minimum=0, maximum=1, max_inclusive=False)
        implied: float = fields.field(0.1, unit="%", source="x", kind="fraction", max_inclusive=False)

    assert fields.declaration(Shares, "repeated") == fields.declaration(Shares, "implied")


def test_a_spec_checks_its_declared_fields_in_their_order_before_relations_between_them():
    # one check of every declared field, in the order declared, then grace against term
    with pytest.raises(InputError, match=r"^loan.shortfall = 'x' is not allowed"):
        sc.Loan(shortfall="x", term_months=12, grace_months=12)
    with pytest.raises(InputError, match=r"^loan.grace_months = 12 must be shorter than loan.term_months = 12$"):
        sc.Loan(term_months=12, grace_months=12)
    with pytest.raises(InputError, match=r"^funding.gap_filled_by = 'x' is not allowed"):
        sc.Funding(gap_filled_by="x", sponsor_name="")
    with pytest.raises(InputError, match=r"^funding.sponsor_name = '' must be a non-empty string$"):
        sc.Funding(sponsor_name="")
