"""Scenario files in TOML: read, write, and check every key.

A scenario file lists only what differs from the Qom baseline, in tables named after the
scenario's parts (``[plant]``, ``[tariff]``, ``[loan]`` ...). A part of another kind than
the baseline's says so with ``kind`` (``kind = "flat_tariff"``). ``"none"`` stands for
an empty optional value, in a field that may be empty (a ``name = "none"`` stays a name). Nothing in a file is executed: it is parsed as data by
``tomllib`` and every key must name a field.

A weather file's path is stored relative to the scenario file's folder, and a relative
path in a file is read relative to that folder (not to the working directory), so a
folder holding a scenario and its weather can be moved or shared as a whole.

Examples
--------
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "cheaper.toml"
>>> _ = path.write_text('[tariff]\\nbase_price_rial_per_kwh = 40000\\n')
>>> load_scenario(path).tariff.base_price_rial_per_kwh
40000
"""

from __future__ import annotations

import dataclasses
import functools
import os
import tomllib
import types
import typing
from pathlib import Path
from typing import Any

import pandas as pd
import tomli_w

from solarcoop import (
    economy,
    finance,
    payment,
    plant,
    promise,
    site,
    tariff,
    uncertainty,
)
from solarcoop._atomic import write_file
from solarcoop._reading import read_text
from solarcoop._validation import InputError
from solarcoop.books import specs as cooperative_specs
from solarcoop.scenario import Scenario, follow_site_move, qom_baseline

MAX_SCENARIO_BYTES = 1_000_000
"""Largest scenario file read [bytes]; the full Qom scenario is about 5 kB."""

NONE = "none"
"""How an empty optional value (Python ``None``) is written in a file."""


def _kind_name(cls: type) -> str:
    name = cls.__name__
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_")


SPEC_KINDS: dict[str, type] = {
    _kind_name(cls): cls
    for module in (site, plant, tariff, payment, economy, cooperative_specs, finance, uncertainty, promise)
    for cls in vars(module).values()
    if isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module.__name__
    and not cls.__name__.startswith("_")
}
SPEC_KINDS["scenario"] = Scenario
"""Spec classes a file may name with ``kind``, by snake-case name (``flat_tariff``)."""


def _to_toml_value(value, path: str):
    if value is None:
        return NONE
    if isinstance(value, pd.DataFrame):
        raise InputError(
            f"{path} is a DataFrame and cannot be written to a scenario file: save it as a "
            "CSV file and give its path"
        )
    if isinstance(value, os.PathLike):
        return os.fspath(value)
    if isinstance(value, tuple | list):
        return [_to_toml_value(item, f"{path}[{i}]") for i, item in enumerate(value)]
    if dataclasses.is_dataclass(value):
        return _spec_to_table(value, None, path)
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        return value.item()
    return value


def _spec_to_table(spec, template, path: str) -> dict[str, Any]:
    table: dict[str, Any] = {}
    if template is None or type(template) is not type(spec):
        table["kind"] = _kind_name(type(spec))
        template = None
    for field in dataclasses.fields(spec):
        value = getattr(spec, field.name)
        default = getattr(template, field.name) if template is not None else dataclasses.MISSING
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            sub_template = default if default is not dataclasses.MISSING else None
            sub = _spec_to_table(value, sub_template, f"{path}.{field.name}".lstrip("."))
            if sub:
                table[field.name] = sub
        elif default is dataclasses.MISSING or not _same(value, default):
            table[field.name] = _to_toml_value(value, f"{path}.{field.name}".lstrip("."))
    return table


def _same(a, b) -> bool:
    if isinstance(a, pd.DataFrame) or isinstance(b, pd.DataFrame):
        return a is b
    return type(a) is type(b) and a == b


def scenario_to_dict(scenario: Scenario, full: bool = False) -> dict[str, Any]:
    """The scenario as plain data: what differs from :func:`qom_baseline`, or every field.

    A derived name is left out, so that the file's scenario derives its own again.
    """
    table = _spec_to_table(scenario, None if full else qom_baseline(), "")
    if scenario.name_is_derived:
        table.pop("name", None)
    return table


def save_scenario(scenario: Scenario, path, full: bool = False) -> Path:
    """Write ``scenario`` to a TOML file.

    Parameters
    ----------
    scenario : Scenario
    path : str or path
        Where to write; an existing file is replaced only once the new one is complete
        (:func:`solarcoop._atomic.write_file`), so a failed write leaves no half-written
        file and no temporary file.
    full : bool
        Write every field (with ``kind`` for each part) instead of only what differs
        from the Qom baseline.

    Returns
    -------
    pathlib.Path
    """
    path = Path(path)
    table = scenario_to_dict(scenario, full=full)
    if "weather" in table and table["weather"] != NONE:
        table["weather"] = _relative_to(Path(table["weather"]), path.parent)
    text = tomli_w.dumps(table)
    return write_file(path, lambda temporary: temporary.write_text(text, encoding="utf-8"))


def _relative_to(file: Path, folder: Path) -> str:
    """``file`` written relative to ``folder`` (POSIX slashes), or absolute when it cannot
    be (another drive)."""
    try:
        return Path(os.path.relpath(file.resolve(), folder.resolve())).as_posix()
    except ValueError:
        return str(file.resolve())


@functools.cache
def _optional_fields(cls: type) -> frozenset[str] | None:
    """Fields of ``cls`` whose type admits ``None`` (or ``Any``); None if hints cannot be read."""
    try:
        hints = typing.get_type_hints(cls)
    except (NameError, TypeError):
        return None
    optional = set()
    for name, hint in hints.items():
        union = typing.get_origin(hint) in (typing.Union, types.UnionType)
        if hint is typing.Any or hint is type(None) or (union and type(None) in typing.get_args(hint)):
            optional.add(name)
    return frozenset(optional)


def _means_none(cls: type, key: str, value, current) -> bool:
    """Whether ``value`` is the ``"none"`` marker for an empty ``cls.key``, not a string."""
    if value != NONE:
        return False
    if cls is Scenario and key == "name":  # a derived name is never written: this one is text
        return False
    optional = _optional_fields(cls)
    if optional is None:
        return not isinstance(current, str)
    return key in optional


def _from_toml_value(value, path: str):
    if value == NONE:
        return None
    if isinstance(value, dict):  # a spec inside a list, e.g. one of the member classes
        return _spec_from_table(None, value, path)
    if isinstance(value, list):
        return tuple(_from_toml_value(item, f"{path}[{i}]") for i, item in enumerate(value))
    return value


def _current_names(cls: type, table: dict, path: str) -> dict:
    """``table`` with each key a spec still accepts under a former name
    (``cls.FORMER_NAMES``, such as a promise's ``reading``) under its current one."""
    former_names = getattr(cls, "FORMER_NAMES", {})
    for former, name in former_names.items():
        if former in table and name in table:
            where = f"{path}.".lstrip(".")
            raise InputError(f"{where}{name} and {where}{former} are both given: {former!r} is the former name of {name!r}; keep one")
    return {former_names.get(key, key): value for key, value in table.items()}


def _spec_from_table(template, table: dict, path: str):
    if "kind" in table:
        kind = table["kind"]
        if kind not in SPEC_KINDS:
            raise InputError(f"{path}.kind = {kind!r} is not known: choose one of {sorted(SPEC_KINDS)}")
        cls = SPEC_KINDS[kind]
        template = template if type(template) is cls else None
    elif template is None:
        raise InputError(f"{path} is a table but has no 'kind' saying what it describes")
    else:
        cls = type(template)
    names = {field.name for field in dataclasses.fields(cls)}
    table = _current_names(cls, table, path)
    updates = {}
    for key, value in table.items():
        if key == "kind":
            continue
        where = f"{path}.{key}".lstrip(".")
        if key not in names:
            raise InputError(
                f"unknown key {where!r} in the scenario file: {cls.__name__} has {', '.join(sorted(names))}"
            )
        current = getattr(template, key) if template is not None else None
        if isinstance(value, dict):
            current = current if dataclasses.is_dataclass(current) else None
            if cls is Scenario and key in WHOLE_TABLES:
                current = None  # given whole or refused: nothing merges from the baseline
                value = {"kind": _kind_name(WHOLE_TABLES[key]), **value}
                _check_whole(WHOLE_TABLES[key], value, where)
            updates[key] = _spec_from_table(current, value, where)
        elif _means_none(cls, key, value, current):
            updates[key] = None
        elif isinstance(value, str):
            updates[key] = value
        else:
            updates[key] = _from_toml_value(value, where)
    try:
        return dataclasses.replace(template, **updates) if template is not None else cls(**updates)
    except TypeError as error:
        raise InputError(f"{path or 'scenario'}: {error}") from None


WHOLE_TABLES: dict[str, type] = {"promise": promise.Promise}
"""Tables of a scenario file that give every key they need or are refused: a promise
made to one cooperative takes nothing from the baseline's."""


def _check_whole(cls: type, table: dict, where: str) -> None:
    """Refuse a table that leaves out a field ``cls`` requires, naming every one missing."""
    required = [
        f.name for f in dataclasses.fields(cls)
        if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
    ]  # fmt: skip
    given = set(_current_names(cls, dict(table), where))
    missing = [name for name in required if name not in given]
    if missing:
        raise InputError(
            f"[{where}] leaves out {', '.join(missing)}: a {where} is given whole, with "
            f"{', '.join(required)}, or not at all (nothing is taken from the Qom baseline)"
        )


def _dotted_paths(table: dict, prefix: str = "") -> list[str]:
    """Every value of a nested table by its dotted path (``site.latitude``)."""
    paths = []
    for key, value in table.items():
        path = f"{prefix}{key}"
        paths += _dotted_paths(value, f"{path}.") if isinstance(value, dict) else [path]
    return paths


def load_scenario(path) -> Scenario:
    """Read a scenario file written by :func:`save_scenario` or by hand.

    The file must be a regular file (not a folder, device or pipe) of at most
    :data:`MAX_SCENARIO_BYTES`, in UTF-8 (a byte-order mark is allowed).

    Raises
    ------
    InputError
        When the file is missing, too large, not UTF-8 (the message names the encoding it
        looks like), is not TOML, nests too deeply, holds a number too long to read, or
        has a key or value that is not
        allowed; the message names the key.
    """
    path = Path(path)
    text = read_text(path, "scenario file", MAX_SCENARIO_BYTES)
    try:
        table = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise InputError(f"scenario file {path} is not valid TOML: {error}") from None
    except RecursionError:
        raise InputError(f"scenario file {path} nests arrays or tables too deeply to be a scenario") from None
    except ValueError as error:  # an integer longer than Python converts (over 4,300 digits)
        raise InputError(f"scenario file {path} holds a number too long to read: {error}".split(";")[0]) from None
    kind = table.get("kind", "scenario")
    if kind != "scenario":
        raise InputError(
            f"kind = {kind!r} at the top of scenario file {path} is not allowed: the top level "
            "describes a scenario (kind = 'scenario' or no kind); a part goes in its own table, "
            "e.g. [tariff] with kind = 'flat_tariff'"
        )
    weather = table.get("weather")
    if isinstance(weather, str) and weather != NONE and not Path(weather).is_absolute():
        table["weather"] = str(path.parent / weather)  # relative to the scenario file's folder
    base = qom_baseline()
    try:
        scenario = _spec_from_table(base, table, "")
    except RecursionError:
        raise InputError(f"scenario file {path} nests arrays or tables too deeply to be a scenario") from None
    return follow_site_move(base, scenario, _dotted_paths(table))
