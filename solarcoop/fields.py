"""Each input field declared once: its default, unit, limits and source.

A spec (``Plant``, ``Loan``, ...) declares a field with :func:`field` instead of a bare
default. The declaration is the one place that holds

- the default (as :func:`dataclasses.field` holds it),
- the unit as the report writes it in English (``"kWp"``, ``"%"`` for a fraction shown
  as a percentage, ``"rial"``; ``""`` for a name or a choice of words),
- the limits that :func:`check_fields` enforces, with the messages of
  :mod:`solarcoop._validation`, and whether None is allowed (``optional``),
- and the English description with the source of the default, which the spec's
  docstring (:func:`declared`), the report's appendix and the app show.

The words of other languages (the field's name, its unit and description) are in the
catalog of each language (``solarcoop/present/locales/<lang>.toml``, table
``[fields.<Spec>]``), keyed by the field.

Examples
--------
>>> import dataclasses
>>> @declared
... @dataclasses.dataclass(frozen=True)
... class Panel:
...     '''A panel.'''
...
...     tilt_deg: float = field(30.0, unit="degrees", source="Tilt [degrees], 0-90.", minimum=0, maximum=90)
...
...     def __post_init__(self):
...         check_fields(self, "panel")
>>> declaration(Panel, "tilt_deg").unit
'degrees'
>>> Panel(tilt_deg=120)
Traceback (most recent call last):
...
solarcoop._validation.InputError: panel.tilt_deg = 120 is out of range: allowed 0 <= value <= 90
>>> print(Panel.__doc__)
A panel.
<BLANKLINE>
Parameters
----------
tilt_deg : float
    Tilt [degrees], 0-90.
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import textwrap

from solarcoop._validation import (
    check_array,
    check_choice,
    check_fraction,
    check_number,
    check_rate,
)

KINDS = ("number", "fraction", "rate")
"""How a number is checked: in its limits (``number``), as a fraction (``fraction``: the
message adds that 4 is 4 %, not 0.04) or as a yearly rate (``rate``: the message says
rates are fractions per year)."""


@dataclasses.dataclass(frozen=True)
class Declaration:
    """What a spec declares of one of its fields (see :func:`field`)."""

    unit: str
    source: str
    minimum: float | None = None
    maximum: float | None = None
    min_inclusive: bool = True
    max_inclusive: bool = True
    integer: bool = False
    choices: tuple[str, ...] | None = None
    kind: str = "number"
    length: int | None = None
    optional: bool = False

    @property
    def checked(self) -> bool:
        """Whether :func:`check_fields` checks the value (it has limits or choices)."""
        return (
            self.choices is not None
            or self.kind != "number"
            or self.integer
            or self.length is not None
            or self.minimum is not None
            or self.maximum is not None
        )


_KEY = "solarcoop"


def field(
    default=dataclasses.MISSING,
    *,
    unit: str,
    source: str,
    minimum: float | None = None,
    maximum: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
    integer: bool = False,
    choices=None,
    kind: str = "number",
    length: int | None = None,
    optional: bool = False,
    default_factory=dataclasses.MISSING,
):
    """A spec's field with its default, unit, limits and source (a :func:`dataclasses.field`).

    Parameters
    ----------
    default : object, optional
        The default value (leave out for a field that must be given).
    unit : str
        Unit as the report writes it in English; ``"%"`` (or ``"%/year"``...) for a
        fraction shown as a percentage; ``""`` for a word, a date or a nested spec.
    source : str
        English description of the field with the source of its default (numpydoc
        markup allowed: it is shown as plain text).
    minimum, maximum : float, optional
        Allowed bounds; a ``fraction`` always has 0 and 1 (no others may be given), a
        ``rate`` has -0.99 and 5 unless given.
    min_inclusive, max_inclusive : bool
        Whether the bounds themselves are allowed.
    integer : bool
        Require a whole number (stored as an ``int``).
    choices : iterable of str, optional
        The words allowed.
    kind : {"number", "fraction", "rate"}
        Which message a number out of its limits gets (see :data:`KINDS`).
    length : int, optional
        For a list of numbers: how many; each must then lie within the limits (the list is
        stored as a tuple of floats).
    optional : bool
        Allow None besides the declared values (a field whose default is None always
        allows it); the docstring then writes the type with " or None".
    default_factory : callable, optional
        Makes the default (for a nested spec).

    Raises
    ------
    TypeError
        If the declaration gives a limit that :func:`check_fields` would not check for
        it (a ``maximum`` on a fraction, an ``integer`` on a list, any limit beside
        ``choices``...), so that no declared limit goes unchecked.
    """
    if kind not in KINDS:
        raise ValueError(f"kind = {kind!r} is not allowed: choose one of {KINDS}")
    fixed = _FIXED_BOUNDS.get(kind, (None, None)) if choices is None and length is None else (None, None)
    said = {  # the limits this declaration states beyond what its kind fixes
        "minimum": minimum is not None and minimum != fixed[0],
        "maximum": maximum is not None and maximum != fixed[1],
        "min_inclusive": not min_inclusive,
        "max_inclusive": not max_inclusive,
        "integer": integer,
        "kind": kind != "number",
    }
    unused = [name for name in _unused_limits(kind, choices, length) if said[name]]
    if unused:
        given = {"minimum": minimum, "maximum": maximum, "min_inclusive": min_inclusive}
        given |= {"max_inclusive": max_inclusive, "integer": integer, "kind": kind}
        shown = ", ".join(f"{name}={given[name]!r}" for name in unused)
        raise TypeError(
            f"a field of kind {kind!r}{' with choices' if choices is not None else ''}"
            f"{' with a length' if length is not None else ''} cannot be declared with {shown}: "
            "check_fields would not check it"
        )
    if kind == "fraction":
        minimum = 0 if minimum is None else minimum
        maximum = 1 if maximum is None else maximum
    if kind == "rate":
        minimum = -0.99 if minimum is None else minimum
        maximum = 5.0 if maximum is None else maximum
    declared = Declaration(
        unit=unit,
        source=source,
        minimum=minimum,
        maximum=maximum,
        min_inclusive=min_inclusive,
        max_inclusive=max_inclusive,
        integer=integer,
        choices=None if choices is None else tuple(choices),
        kind=kind,
        length=length,
        optional=optional or default is None,
    )
    return dataclasses.field(
        default=default, default_factory=default_factory, metadata={_KEY: declared}
    )


_FIXED_BOUNDS = {"fraction": (0, 1)}
"""Bounds a kind fixes: a declaration may repeat them (a spec copying another's limits)."""


def _unused_limits(kind: str, choices, length) -> tuple[str, ...]:
    """The limits :func:`check_fields` does not read for a field of this kind."""
    if choices is not None:
        return ("minimum", "maximum", "min_inclusive", "max_inclusive", "integer", "kind")
    if length is not None:
        return ("min_inclusive", "integer", "kind")
    if kind == "fraction":
        return ("minimum", "maximum", "min_inclusive", "integer")
    if kind == "rate":
        return ("min_inclusive", "max_inclusive", "integer")
    return ()


def declaration(kind: type, name: str) -> Declaration:
    """The declaration of field ``name`` of spec class ``kind``.

    Raises
    ------
    TypeError
        If the field is not declared with :func:`field` (every spec declares all its
        fields, see :func:`declared`).
    """
    spec = {item.name: item for item in dataclasses.fields(kind)}.get(name)
    if spec is None or _KEY not in spec.metadata:
        raise TypeError(f"{kind.__name__}.{name} is not declared with solarcoop.fields.field")
    return spec.metadata[_KEY]


def is_declared(kind: type) -> bool:
    """Whether every field of spec class ``kind`` is declared with :func:`field`."""
    return all(_KEY in item.metadata for item in dataclasses.fields(kind))


def check_fields(spec, prefix: str, names=None) -> None:
    """Check every field of ``spec`` whose declaration has limits or choices.

    A field declared ``optional`` (or whose default is None) may be None. A whole number is stored as an ``int``.
    Checks that a declaration cannot say (arrays, lists of any length, the type of a
    nested spec, one field against another) are left to the spec's ``__post_init__``.

    Parameters
    ----------
    spec : dataclass instance
    prefix : str
        Dotted path of the spec in a scenario, for the messages (``"plant"``; ``""`` for
        the scenario itself).
    names : iterable of str, optional
        Check only these fields.

    Raises
    ------
    solarcoop.InputError
        Naming the field, the value given and what is allowed.
    """
    for item in dataclasses.fields(spec):
        declared = item.metadata[_KEY]
        if not declared.checked or (names is not None and item.name not in names):
            continue
        value = getattr(spec, item.name)
        if value is None and declared.optional:
            continue
        name = f"{prefix}.{item.name}" if prefix else item.name
        if declared.length is not None:
            array = check_array(
                name,
                value,
                length=declared.length,
                minimum=declared.minimum,
                maximum=declared.maximum,
                max_inclusive=declared.max_inclusive,
            )
            object.__setattr__(spec, item.name, tuple(array.tolist()))
        elif declared.choices is not None:
            check_choice(name, value, declared.choices)
        elif declared.kind == "fraction":
            check_fraction(name, value, allow_one=declared.max_inclusive)
        elif declared.kind == "rate":
            check_rate(name, value, minimum=declared.minimum, maximum=declared.maximum)
        else:
            checked = check_number(
                name,
                value,
                minimum=declared.minimum,
                maximum=declared.maximum,
                min_inclusive=declared.min_inclusive,
                max_inclusive=declared.max_inclusive,
                integer=declared.integer,
            )
            if declared.integer:
                object.__setattr__(spec, item.name, checked)


def parameters_section(kind: type) -> str:
    """The numpydoc ``Parameters`` section of a spec, written from its declarations.

    A field that may be None has its type written with " or None" (unless its annotation
    already names None).
    """
    lines = ["Parameters", "----------"]
    for item in dataclasses.fields(kind):
        declared = item.metadata[_KEY]
        shown = item.type if isinstance(item.type, str) else item.type.__name__
        if declared.choices is not None:
            shown = "{" + ", ".join(f'"{choice}"' for choice in declared.choices) + "}"
        if declared.optional and "None" not in re.split(r"\W+", shown):
            shown += " or None"
        lines.append(f"{item.name} : {shown}")
        lines += textwrap.wrap(
            declared.source,
            84,
            initial_indent="    ",
            subsequent_indent="    ",
            break_long_words=False,
            break_on_hyphens=False,
        )
    return "\n".join(lines)


_SECTION = re.compile(r"^(Returns|Raises|See Also|Notes|References|Examples)\n-{3,}$", re.M)


def declared(kind: type) -> type:
    """Class decorator: the spec's docstring gets its ``Parameters`` section from the
    declarations, before its first other section (``Notes``, ``Examples``, ...).

    Every field must be declared, so that a spec's description is never half in its
    docstring and half in its declarations.
    """
    missing = [item.name for item in dataclasses.fields(kind) if _KEY not in item.metadata]
    if missing:
        raise TypeError(
            f"{kind.__name__} declares its fields with solarcoop.fields.field, but not {missing}"
        )
    doc = inspect.cleandoc(kind.__doc__ or "")
    section = parameters_section(kind)
    found = _SECTION.search(doc)
    if found is None:
        kind.__doc__ = f"{doc}\n\n{section}"
    else:
        kind.__doc__ = f"{doc[: found.start()]}{section}\n\n{doc[found.start():]}"
    return kind
