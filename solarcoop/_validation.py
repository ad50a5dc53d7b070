"""Checks shared by every input spec.

Every bad input raises :class:`InputError` (a ``ValueError``) whose message names
the field, the value given and what is allowed. Nothing is silently clipped.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from numbers import Integral, Real

import numpy as np


class InputError(ValueError):
    """A value that solarcoop cannot accept; the message names field, value and range.

    Parameters
    ----------
    message : str
        The English message (what ``str(error)`` gives).
    code : str, optional
        What went wrong, a key of the catalogs' ``[errors]`` table (``"out_of_range"``),
        so that the message can be said in another language (:func:`error_text`).
    **values
        What the catalog's words need (``field``, ``value``, ``allowed``, ...).

    Examples
    --------
    >>> error = InputError("x = 2 is out of range", "out_of_range", field="x", value=2, allowed="0 <= value <= 1")
    >>> error.code, error.values["value"]
    ('out_of_range', 2)
    """

    def __init__(self, message: str = "", code: str | None = None, **values):
        super().__init__(message)
        self.code = code
        self.values = values

    def __reduce__(self):  # pickled (for workers) with its code and values
        return (_rebuild_error, (type(self), str(self), self.code, self.values))

    def with_message(self, message: str) -> InputError:
        """The same error (code and values) with a longer English message."""
        return type(self)(message, self.code, **self.values)


def _rebuild_error(kind, message, code, values):
    return kind(message, code, **values)


def error_text(error: BaseException, lang: str = "en") -> str:
    """An error as ``lang`` says it: from the catalog's ``[errors]`` table when the error
    carries a code, else (English, or no code) its message.

    Examples
    --------
    >>> error = None
    >>> try:
    ...     check_fraction("loan.annual_rate", 4)
    ... except InputError as caught:
    ...     error = caught
    >>> print(error_text(error, "fa"))
    نرخ سالانه (loan.annual_rate) = ۴ پذیرفته نیست: باید کسری بین ۰ و ۱ باشد، نه درصد: ۴٪ یعنی ۰٫۰۴
    """
    code = getattr(error, "code", None)
    if lang == "en" or code is None:
        return str(error)
    from solarcoop.present.locales import catalog

    template = catalog(lang).get("errors", {}).get(code)
    if template is None:
        return str(error)
    values = {key: _shown_in(key, value, lang) for key, value in error.values.items()}
    return template.format(**values)


def _shown_in(key: str, value, lang: str) -> str:
    """One value of an error as ``lang`` writes it: a field by its name in the catalog and
    its path, a number in the language's digits."""
    from solarcoop.present.text import digits, format_number

    if key == "field":
        return f"{field_label(str(value), lang)} ({value})" if field_label(str(value), lang) else str(value)
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Real | np.number):
        number = float(value)
        return format_number(number, lang, None if not number.is_integer() else 0)
    if key == "allowed":  # "0 <= value <= 1": its numbers in the language's digits
        from solarcoop.present.locales import catalog

        return digits(str(value), lang).replace("value", catalog(lang)["errors"]["value_word"])
    return str(value)


def field_label(path: str, lang: str) -> str:
    """A dotted path's name in ``lang`` from the catalog's ``[fields]`` tables
    (``"loan.annual_rate"`` in Persian), or ``""`` when it cannot be found."""
    import dataclasses

    from solarcoop.present.locales import catalog
    from solarcoop.scenario import qom_baseline

    spec, parts = qom_baseline(), path.split(".")
    for part in parts[:-1]:
        spec = getattr(spec, part, None)
        if isinstance(spec, tuple) and spec:
            spec = spec[0]
        if spec is None or not dataclasses.is_dataclass(spec):
            return ""
    entry = catalog(lang).get("fields", {}).get(type(spec).__name__, {}).get(parts[-1])
    if entry is None:
        return ""
    return entry[0] if isinstance(entry, list) else str(entry)


_TYPED_NUMBER = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫−", "01234567890123456789.-", "٬,_ \u200c")
"""What a person may type for a number: Persian or Arabic-Indic digits, the Persian decimal
separator and a typographic minus read as Latin; thousands separators, spaces and the
zero-width non-joiner dropped."""


_PERCENT_SIGNS = "%٪"
"""Percent signs a person may type after a number (Latin and Persian)."""


def typed_number(text: str):
    """What a person typed, as a number when it reads as one, else the text unchanged (so
    that the field's own check names it).

    Persian or Arabic-Indic digits, the Persian decimal separator (``٫``) and thousands
    separators are read; a trailing percent sign (``%`` or ``٪``) divides by 100, so
    ``"۴٪"`` is 0.04.

    Examples
    --------
    >>> typed_number("۴٪"), typed_number("۴۵٬۸۰۰"), typed_number("۰٫۱۵"), typed_number("4 %")
    (0.04, 45800, 0.15, 0.04)
    >>> typed_number("many")
    'many'
    """
    plain = str(text).strip()
    percent = plain.endswith(tuple(_PERCENT_SIGNS))
    plain = plain.rstrip(_PERCENT_SIGNS).translate(_TYPED_NUMBER)
    for kind in (int, float):
        try:
            value = kind(plain)
        except ValueError:
            continue
        return round(value / 100, 12) if percent else value
    return text


def _bound(value) -> str:
    """A bound as a person reads it: 90, 0.5, 1,000,000,000,000,000."""
    if float(value).is_integer() and abs(value) >= 10_000:
        return f"{value:,.0f}"
    return f"{value}"


def _shown(value) -> str:
    """A value given, shown as typed unless it is an integer too long to read."""
    if isinstance(value, Integral) and abs(int(value)).bit_length() > 80:  # over 24 digits
        try:
            return f"{float(value):.6g}"
        except OverflowError:  # beyond a float (and perhaps Python's digit limit for text)
            return f"an integer of about {int(abs(int(value)).bit_length() * math.log10(2)) + 1:,} digits"
    return repr(value)


def _describe_range(minimum, maximum, min_inclusive, max_inclusive) -> str:
    low = "" if minimum is None else f"{_bound(minimum)} {'<=' if min_inclusive else '<'} "
    high = "" if maximum is None else f" {'<=' if max_inclusive else '<'} {_bound(maximum)}"
    return f"{low}value{high}"


WHOLE_FLOAT_LIMIT = 2**53
"""Largest float every whole number up to which is exact; a whole-number field given a float
beyond it (``seed=1e300``) is refused."""


def check_number(
    field: str,
    value,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
    integer: bool = False,
) -> float | int:
    """Return ``value`` if it is a finite number in range, else raise :class:`InputError`.

    Parameters
    ----------
    field : str
        Dotted name of the field, used in the message (``"plant.tilt_deg"``).
    value : float or int
        The value to check.
    minimum, maximum : float, optional
        Allowed bounds.
    min_inclusive, max_inclusive : bool
        Whether the bounds themselves are allowed.
    integer : bool
        Require a whole number.

    Examples
    --------
    >>> check_number("plant.tilt_deg", 30, minimum=0, maximum=90)
    30
    >>> check_number("plant.tilt_deg", 120, minimum=0, maximum=90)
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: plant.tilt_deg = 120 is out of range: allowed 0 <= value <= 90
    """
    if isinstance(value, bool) or not isinstance(value, Real | np.number):
        raise InputError(f"{field} = {value!r} is not a number", "not_a_number", field=field, value=value)
    if not isinstance(value, int | float | np.number):  # a Fraction, another library's number
        raise InputError(
            f"{field} = {value!r} is not a plain number: give an int or a float", "not_a_number", field=field, value=value
        )
    if integer:
        if not (isinstance(value, Integral | np.integer) or float(value).is_integer()):
            raise InputError(f"{field} = {value!r} must be a whole number", "not_whole", field=field, value=value)
        inexact = not isinstance(value, Integral | np.integer) and abs(value) > WHOLE_FLOAT_LIMIT
        given, value = value, int(value)
    if not isinstance(value, Integral | np.integer) and not math.isfinite(float(value)):
        raise InputError(f"{field} = {value!r} must be finite", "not_finite", field=field, value=value)
    too_low = minimum is not None and (value < minimum if min_inclusive else value <= minimum)
    too_high = maximum is not None and (value > maximum if max_inclusive else value >= maximum)
    if too_low or too_high:
        allowed = _describe_range(minimum, maximum, min_inclusive, max_inclusive)
        raise InputError(
            f"{field} = {_shown(value)} is out of range: allowed {allowed}", "out_of_range",
            field=field, value=value, allowed=allowed,
        )  # fmt: skip
    if integer and inexact:  # in range, but not the whole number meant (seed=1e300)
        raise InputError(
            f"{field} = {given!r} is too large to be an exact whole number: give an integer "
            f"(a float is exact only up to {WHOLE_FLOAT_LIMIT:,})"
        )
    return value


def check_fraction(field: str, value, *, allow_one: bool = False) -> float:
    """Check a loss or share given as a fraction in [0, 1) (or [0, 1] with ``allow_one``).

    A value above 1 is almost always a percentage typed by mistake; the message says so.

    Examples
    --------
    >>> check_fraction("plant.system_losses", 0.14)
    0.14
    >>> check_fraction("loan.annual_rate", 4)
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: loan.annual_rate = 4 is out of range: allowed 0 <= value < 1 (fractions, not percent: 4 % is 0.04)
    """
    try:
        return check_number(field, value, minimum=0, maximum=1, max_inclusive=allow_one)
    except InputError as error:
        if isinstance(value, Real) and not isinstance(value, bool) and value >= 1:
            raise InputError(
                f"{error} (fractions, not percent: {value:g} % is {value / 100:g})", "fraction_not_percent",
                field=field, value=value, fraction=value / 100,
            ) from None  # fmt: skip
        raise


def check_rate(field: str, value, *, minimum: float = -0.99, maximum: float = 5.0) -> float:
    """Check a yearly rate of change (inflation, escalation) given as a fraction.

    Rates may be negative (a falling price) down to ``minimum``; above ``maximum``
    (500 % a year by default) the value is taken for a percentage typed by mistake.
    """
    try:
        return check_number(field, value, minimum=minimum, maximum=maximum)
    except InputError as error:
        raise InputError(
            f"{error} (rates are fractions per year: 35 % is 0.35)",
            "rate_out_of_range" if error.code == "out_of_range" else error.code, **error.values,
        ) from None


def check_not_toman(field: str, value, plausible_min_rial: float, what: str) -> None:
    """Refuse an amount that reads as toman typed where rial belongs (10 times too small).

    Only a value below the plausible range whose tenfold lies inside it is refused;
    anything else passes (zero, small test values, large amounts).

    Parameters
    ----------
    field : str
        Dotted name, for the message.
    value : float
        The amount given [rial].
    plausible_min_rial : float
        The smallest amount a real case would have [rial].
    what : str
        Why that is the smallest, with its source, for the message.

    Examples
    --------
    >>> check_not_toman("loan.principal_rial", 150e6, 2.5e8, "a 1 kW share")
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: loan.principal_rial = 150,000,000 rial looks like toman ...
    """
    if plausible_min_rial / 10 <= value < plausible_min_rial:
        raise InputError(
            f"{field} = {value:,.0f} rial looks like toman typed as rial: it is below "
            f"{plausible_min_rial:,.0f} rial ({what}), and {value:,.0f} toman is "
            f"{10 * value:,.0f} rial. Amounts are in rial: write sc.toman({value:.4g}) for toman",
            "looks_like_toman", field=field, value=value, minimum=plausible_min_rial, rial=10 * value,
        )


def check_choice(field: str, value, choices: Iterable[str]) -> str:
    """Check that ``value`` is one of a small set of names."""
    choices = tuple(choices)
    if value not in choices:
        raise InputError(
            f"{field} = {value!r} is not allowed: choose one of {choices}", "not_a_choice",
            field=field, value=value, choices=", ".join(map(str, choices)),
        )
    return value


def _is_not_number(value) -> bool:
    return isinstance(value, bool | np.bool_) or not isinstance(value, Real | np.number)


_not_numbers = np.frompyfunc(_is_not_number, 1, 1)


def _numeric_array(field: str, values) -> np.ndarray:
    """``values`` as a float array; strings, bools and other non-numbers are refused."""
    if isinstance(values, str | bytes):
        raise InputError(f"{field} = {values!r} is not a list of numbers")
    raw = values.to_numpy() if hasattr(values, "to_numpy") else values
    if isinstance(raw, np.ndarray) and raw.dtype.kind in "iuf":
        return raw.astype(float)
    try:
        objects = np.asarray(raw, dtype=object)
    except ValueError as error:  # ragged nesting
        raise InputError(f"{field} = {values!r} is not an array of numbers: {error}") from None
    bad = np.asarray(_not_numbers(objects), dtype=bool)
    if bad.any():
        position = int(np.flatnonzero(bad.ravel())[0])
        where = f"{field}[{position}]" if objects.ndim else field
        raise InputError(f"{where} = {objects.ravel()[position]!r} is not a number")
    return objects.astype(float)


def check_array(
    field: str,
    values,
    *,
    length: int | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
    max_inclusive: bool = True,
) -> np.ndarray:
    """Return ``values`` as a float array after checking length, finiteness and range.

    Elements must be numbers: a string (``"2"``) or a bool is refused, not converted.
    The message names the first offending position.

    Examples
    --------
    >>> check_array("tariff.step_downs", [0.9, 0.8], minimum=0, maximum=1)
    array([0.9, 0.8])
    >>> check_array("economy.cpi", [1.0, "2"])
    Traceback (most recent call last):
    ...
    solarcoop._validation.InputError: economy.cpi[1] = '2' is not a number
    """
    array = _numeric_array(field, values)
    if length is not None and array.shape != (length,):
        raise InputError(f"{field} has shape {array.shape}: expected {length} values")
    bad = ~np.isfinite(array)
    if minimum is not None:
        bad |= array < minimum
    if maximum is not None:
        bad |= array > maximum if max_inclusive else array >= maximum
    if bad.any():
        position = int(np.flatnonzero(bad.ravel())[0])
        allowed = _describe_range(minimum, maximum, True, max_inclusive)
        raise InputError(
            f"{field}[{position}] = {float(array.ravel()[position])!r} is not allowed: "
            f"values must be finite and {allowed}"
        )
    return array


# Plausible ranges. Every money, size and count field is bounded so that a typo of many
# digits (1e308 families, a price in the wrong unit many times over) is refused before any
# computing, and so that float64 keeps the ledger to the rial (see README, "To the rial").
# The bounds are generous: each is at least 40 times the largest plausible value.

MAX_FAMILIES = 1_000_000
"""Most member families of one cooperative. The Qom plant has 400; Iran's largest
cooperatives count members in the hundreds of thousands."""

MAX_CAPACITY_KWP = 1_000_000.0
"""Largest plant [kWp]: 1 GW, over 300 times Qom's 3 MW."""

MAX_STOCK_RIAL = 1e15
"""Largest sum of money held or owed at once [rial] (capital, starting cash, a debt):
1,000 trillion rial, 40 times the cost of a 100 MW plant at 25 million toman/kW."""

MAX_FAMILY_LOAN_RIAL = 1e13
"""Largest loan of one family [rial]: 6,000 times the 1.5e9-rial Qom share loan."""

MAX_YEARLY_COST_RIAL = 1e14
"""Largest yearly fixed cost [rial/year] (management, land lease)."""

MAX_PRICE_RIAL_PER_KWH = 1e7
"""Highest energy price or fee [rial/kWh]: about 200 times the 2025 guaranteed-purchase
price of roughly 50,000 rial/kWh."""

MAX_COST_RIAL_PER_KWP = 1e11
"""Highest capital cost [rial/kWp]: 400 times 25 million toman (2.5e8 rial) per kW (room
for a plant costed in another year's rial)."""

MAX_YEARLY_COST_RIAL_PER_KWP = 1e9
"""Highest yearly running cost per kWp [rial/kWp/year]."""

MAX_MONTHLY_PAYOUT_RIAL = 1e12
"""Highest promised monthly payout of one family [rial/month]: 12,500 times 80 million."""
