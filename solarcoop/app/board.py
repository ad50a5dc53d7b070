"""What the app asks of the library, and nothing more: open, change, run, write.

Every number the app shows comes from the public API (:func:`solarcoop.qom_baseline`,
``Scenario.with_changes``, :func:`solarcoop.monte_carlo`, :func:`solarcoop.simulate`,
:func:`solarcoop.save_scenario`, :func:`solarcoop.present.report.write_report`). This module picks
figures out of what those return and formats them; it computes no money of its own.
Every value a person types goes through ``with_changes``, so a refused value is refused
by the library, with the library's message.
"""

from __future__ import annotations

import dataclasses
import math
import tempfile
from pathlib import Path

from solarcoop.app import text
from solarcoop.books.statements import Line, taken
from solarcoop.fields import declaration
from solarcoop.promise import COUNTS

UPLOAD_LIMIT_BYTES = 64 * 1024
"""Largest scenario file accepted [bytes]: the full Qom scenario file is about 4 KB."""

DEFAULT_PATHS = 2_000
"""Futures drawn for the headline [-]: about a second on two cores."""


@dataclasses.dataclass(frozen=True)
class Field:
    """One input a board argues about.

    A field takes its unit, second reading and choices from its spec's declaration
    (:func:`solarcoop.fields.field`, read by :func:`with_declaration`); a ``unit`` is given here
    only for a count whose declaration has none (the report writes no unit for it).

    Attributes
    ----------
    path : str
        Dotted path for ``Scenario.with_changes``.
    group : str
        Catalog key of the box it sits in.
    unit : str
        Catalog key of its unit ("" for a choice of words).
    hint : {"", "percent", "toman"}
        A second reading shown beside the value (a share as a percent, rial as toman).
    choices : tuple of str
        For a field that takes one of a few words: the words, the default first, labelled
        in the catalog's ``choice`` table under the path. Empty for a number.
    """

    path: str
    group: str
    unit: str = ""
    hint: str = ""
    choices: tuple[str, ...] = ()


UNIT_KEYS = {
    "kWp": "kwp",
    "rial/kWh": "rial_per_kwh",
    "%": "fraction",
    "%/year": "fraction_per_year",
    "% of capital cost": "fraction",
    "months": "months",
    "years": "years",
    "rial": "rial",
    "": "",
}
"""The catalog key of the app's words for a declared unit (the app writes a share as
"share, 0 to 1" where the report writes "%")."""


def with_declaration(scenario, field: Field) -> Field:
    """``field`` with the unit, second reading and choices its spec declares: the choices
    with the default first, then in the order declared; a unit the declaration leaves
    empty (a count) is the one ``field`` gives."""
    kind = type(_spec_of(scenario, field.path))
    name = field.path.rsplit(".", 1)[-1]
    found = declaration(kind, name)
    hint = "percent" if found.unit.startswith("%") else "toman" if found.unit == "rial" else ""
    default = next(item.default for item in dataclasses.fields(kind) if item.name == name)
    choices = sorted(found.choices or (), key=lambda choice: choice != default)
    return dataclasses.replace(
        field, unit=UNIT_KEYS[found.unit] or field.unit, hint=hint, choices=tuple(choices)
    )


@dataclasses.dataclass(frozen=True)
class ReadingSwitch:
    """Whether the Monte Carlo draws one disputed fact among its readings.

    On: each future takes one of the fact's readings with the library's probabilities,
    around the scenario's own value; off: every future keeps the scenario's value. Set
    through ``uncertainty.readings`` (:mod:`solarcoop.disputed`).

    Attributes
    ----------
    reading : str
        The fact's name in :data:`solarcoop.disputed.READING_NAMES`.
    group : str
        Catalog key of the box it sits in.
    """

    reading: str
    group: str

    @property
    def path(self) -> str:
        """The key the screen knows it by."""
        return f"readings.{self.reading}"


FIELDS = (
    Field("cooperative.families", "members", "families"),
    Field("cooperative.tax_exempt_years", "members"),
    Field("plant.capacity_kwp", "plant"),
    Field("tariff.base_price_rial_per_kwh", "tariff"),
    ReadingSwitch("tariff_level", "tariff"),
    Field("tariff.cpi_weight", "tariff"),
    Field("payment.delay_months", "buyer"),
    Field("payment.cash_share", "buyer"),
    Field("loan.principal_rial", "loan"),
    Field("loan.annual_rate", "loan"),
    Field("loan.term_months", "loan"),
    Field("loan.shortfall", "loan"),
    Field("funding.gap_filled_by", "gap"),
    Field("funding.grant_rial", "gap"),
    Field("debt.share_of_capital_cost", "gap"),
    Field("debt.annual_rate", "gap"),
)
"""The inputs on the scenario screen, in the order shown."""

GROUPS = ("members", "plant", "tariff", "buyer", "loan", "gap")

DOWNLOADS = ("scenario_file", "report", "statement")


def baseline():
    """The Qom baseline, as the library defines it."""
    from solarcoop.scenario import qom_baseline

    return qom_baseline()


def presets() -> tuple[str, ...]:
    """The named cases the library offers on top of the baseline (its stress cases)."""
    from solarcoop import disputed

    return tuple(disputed.STRESS_CASES)


def open_scenario(source: str, lang: str):
    """The baseline (``"baseline"``) or one of the library's :func:`presets` applied to it,
    named in ``lang``."""
    from solarcoop._validation import InputError

    if source == "baseline":
        return baseline()
    if source not in presets():
        raise InputError(f"scenario {source!r} is not offered: choose 'baseline' or one of {list(presets())}")
    from solarcoop import disputed

    scenario = disputed.stress(baseline(), source)
    return scenario.with_changes({"name": text.catalog(lang)["preset"].get(source, source)})


def _value(scenario, path: str):
    value = scenario
    for part in path.split("."):
        value = getattr(value, part)
    return value


def _spec_of(scenario, path: str):
    *parts, _ = path.split(".")
    return _value(scenario, ".".join(parts)) if parts else scenario


def source(scenario, path: str, lang: str = "en") -> str:
    """The field's description and the source of its default in ``lang``, as the report's
    appendix gives them (:func:`solarcoop.present.assumptions.field_words`)."""
    from solarcoop.present.assumptions import field_words

    return field_words(type(_spec_of(scenario, path)), path.rsplit(".", 1)[-1], lang)[2]


def _hint(field: Field, value, lang: str) -> str:
    labels = text.catalog(lang)["scenario"]
    if field.hint == "percent":
        return labels["percent_hint"].format(percent=text.percent(value, lang))
    if field.hint == "toman":
        toman_million = value / 10 / 1e6
        decimals = 0 if float(toman_million).is_integer() else 1
        return labels["toman_hint"].format(toman=text.number(toman_million, lang, decimals))
    return ""


def _field_view(scenario, field: Field, lang: str) -> dict:
    labels = text.catalog(lang)
    value = _value(scenario, field.path)
    if field.choices:
        names = labels["choice"][field.path]
        options = [{"value": choice, "label": names[choice]} for choice in field.choices]
        shown = names.get(str(value), str(value))
    else:
        options = []
        decimals = 0 if float(value).is_integer() else len(repr(float(value)).split(".")[1])
        shown = text.number(value, lang, decimals)
    return {
        "value": value,
        "shown": shown,
        "choices": options,
        "unit": labels["unit"][field.unit] if field.unit else "",
        "hint": _hint(field, value, lang),
        "source": source(scenario, field.path, lang),
    }


def _switch_view(scenario, switch: ReadingSwitch, lang: str) -> dict:
    from solarcoop.disputed import readings

    names = text.catalog(lang)["choice"]["reading"]
    value = "drawn" if switch.reading in scenario.uncertainty.readings else "fixed"
    table = readings(scenario.uncertainty)
    alternatives = table[table["reading"] == switch.reading]
    source_text = " | ".join(
        f"{row.says} ({text.percent(row.probability, 'en')}; {row.source})" for row in alternatives.itertuples()
    )
    return {
        "value": value,
        "shown": names[value],
        "choices": [{"value": choice, "label": names[choice]} for choice in ("drawn", "fixed")],
        "unit": "",
        "hint": "",
        "source": source_text,
    }


def gap_controls_shown(scenario) -> bool:
    """Whether the controls of the ``"gap"`` box change anything: the plant costs more than
    the families' shares pay (a gap for ``funding.gap_filled_by`` to fill), or a grant or a
    cooperative's debt is stated. When the shares pay the whole plant (the central reading
    of ``funding_gap``) they change nothing, and the screen leaves them out."""
    from solarcoop._validation import InputError
    from solarcoop.engine import funding

    try:
        sources = funding(scenario)
    except InputError:  # funding that does not add up: these controls may mend it
        return True
    paid = max(sources["capital_cost_rial"], 1.0)
    return any(sources[key] > 1e-9 * paid for key in ("gap_rial", "grant_rial", "debt_rial"))


def fields(scenario, lang: str) -> list[dict]:
    """The inputs with their current values, units, second readings and sources (the
    ``"gap"`` box only when it changes anything, :func:`gap_controls_shown`)."""
    labels = text.catalog(lang)["field"]
    shown = []
    with_gap = gap_controls_shown(scenario)
    for field in FIELDS:
        if field.group == "gap" and not with_gap:
            continue
        if isinstance(field, ReadingSwitch):
            view = _switch_view(scenario, field, lang)
        else:
            view = _field_view(scenario, with_declaration(scenario, field), lang)
        shown.append({"path": field.path, "group": field.group, "label": labels[field.path], **view})
    return shown


def change(scenario, path: str, typed: str):
    """``scenario`` with one input changed to what was typed; the library checks it.

    Raises
    ------
    solarcoop.InputError
        With the library's own message, for an unknown path or a refused value.
    """
    from solarcoop._validation import InputError

    if path == "name":
        return scenario.with_changes({"name": typed})
    field = next((field for field in FIELDS if field.path == path), None)
    if field is None:
        raise InputError(f"{path!r} is not an input of this screen")
    if isinstance(field, ReadingSwitch):
        drawn = tuple(name for name in scenario.uncertainty.readings if name != field.reading)
        if typed == "drawn":
            drawn += (field.reading,)
        elif typed != "fixed":
            raise InputError(f"{path} = {typed!r}: choose 'drawn' or 'fixed'")
        return scenario.with_changes({"uncertainty.readings": drawn})
    value = typed if with_declaration(scenario, field).choices else text.parse_number(typed)
    from solarcoop.studies.sweeps import consistent_changes

    return scenario.with_changes(consistent_changes(scenario, {path: value}))  # the shares follow the size


def notes(scenario, lang: str) -> list[dict]:
    """What the library says about the scenario's inputs (its findings) and who takes a
    change of the families or the plant's size (its funding rule), in ``lang``: each a
    dict of ``text`` and ``finding`` (True for a finding, shown as a warning; False for
    the funding rule, which only says how the books work)."""
    from solarcoop._validation import InputError
    from solarcoop.engine import (
        input_findings,  # the site's, the plausibility's and the own choices'
    )
    from solarcoop.findings import finding_text, funding_rule_text
    from solarcoop.studies.sweeps import funding_rule

    try:
        rule = [{"text": funding_rule_text(funding_rule(scenario), lang), "finding": False}]
    except InputError:  # a scenario whose funding does not add up: the run will say why
        rule = []
    return [{"text": finding_text(finding, lang), "finding": True} for finding in input_findings(scenario)] + rule


def copied(scenario, lang: str):
    """A copy for another slot, its name marked as a copy so that the compare columns
    tell the two apart."""
    return scenario.with_changes({"name": text.catalog(lang)["scenario"]["copy_name"].format(name=name(scenario, lang))})


def read_upload(data: bytes, filename: str):
    """A scenario from an uploaded TOML file, read as data only.

    The file goes through :func:`solarcoop.load_scenario` (``tomllib``: nothing in it is
    executed). A scenario that names a weather file is refused: through the app, no
    path on this machine is read.
    """
    from solarcoop._validation import InputError
    from solarcoop.files import load_scenario

    if len(data) > UPLOAD_LIMIT_BYTES:
        raise InputError(
            f"scenario file {filename!r} is {len(data):,} bytes: at most {UPLOAD_LIMIT_BYTES:,} are accepted"
        )
    if not filename.lower().endswith(".toml"):
        raise InputError(f"scenario file {filename!r}: only TOML files (.toml) are accepted")
    with tempfile.TemporaryDirectory(prefix="solarcoop-app-") as folder:
        path = Path(folder) / "uploaded.toml"
        path.write_bytes(data)
        try:
            scenario = load_scenario(path)
        except InputError as error:
            raise InputError(str(error).replace(repr(str(path)), repr(filename)).replace(str(path), repr(filename))) from None
    if scenario.weather is not None:
        raise InputError(
            f"weather = {scenario.weather!r} in {filename!r}: the app uses the embedded typical "
            "years only and reads no file named in a scenario; remove the weather line"
        )
    return scenario


PROMISE_COUNTS = COUNTS
"""What the promise may count (:data:`solarcoop.promise.COUNTS`): the headline gives the
chance of each."""


def name(scenario, lang: str) -> str:
    """The scenario's name in ``lang`` (a name the library derived is said in Persian)."""
    from solarcoop.present.plots import scenario_name

    return scenario_name(scenario, lang)


HEADLINE_LINES = (
    Line("p50_rial", "net_payout_per_family_p50_rial"),
    Line("p90_rial", "net_payout_per_family_p90_rial"),
    Line("p50_real_rial", "net_payout_per_family_p50_real_rial"),
    Line("p90_real_rial", "net_payout_per_family_p90_real_rial"),
    Line("single_rial", "single_run_net_payout_per_family_rial"),
    Line("single_percentile", "single_run_percentile"),
)
"""The figures a year of the screen's headline takes from the library's headline table
(:func:`solarcoop.headline`), by the screen's key."""


def headline(scenario, n_paths: int = DEFAULT_PATHS, seed: int = 0) -> dict:
    """The library's headline (:func:`solarcoop.headline`) for a scenario, as plain numbers.

    Returns
    -------
    dict
        ``years``: one dict per year shown with ``year``, ``label`` (its first month),
        ``after_loan``, ``p50_rial``, ``p90_rial``, ``p50_real_rial``, ``p90_real_rial``
        [rial a month], ``single_rial`` and ``single_percentile`` [%], and
        ``chance_sales_fraction``, ``chance_distribution_fraction``,
        ``chance_net_fraction`` [-; None without a promise], each month counted in the
        promise's own money; ``chance_counts`` (which of them the promise counts, the one
        shown first: :func:`solarcoop.studies.headline.promise_counted`); ``base_month``
        (the month whose money the real figures are in), ``promise_month`` (the month
        whose money the promise is in, None without one), ``promise_rial``, ``n_paths``,
        ``seed``; ``months_in_arrears`` and ``family_arrears_max_rial`` [rial]: the single
        run's months owing withheld instalments and the most a family owes (its summary);
        ``debt``: what the family owes in withheld instalments over the futures and in the
        single run, the headline's :class:`~solarcoop.studies.headline.FamilyDebt` as a dict
        (a figure it could not measure is None).
    """
    from solarcoop.studies.headline import headline, promise_counted

    figures = headline(scenario, n_paths=n_paths, seed=seed)
    after_loan = figures.year_after_loan
    years = []
    for year, row in figures.table.iterrows():
        chances = {
            f"chance_{counts}_fraction": (
                float(row[f"chance_month_reaches_promise_{counts}"]) if figures.promise_rial is not None else None
            )
            for counts in PROMISE_COUNTS
        }
        years.append({
            "year": int(year),
            "label": str(row["label"]),
            "after_loan": year == after_loan,
            **taken(HEADLINE_LINES, lambda column, row=row: float(row[column])),
            **chances,
        })  # fmt: skip
    return {
        "years": years,
        "base_month": figures.base_month,
        "chance_counts": promise_counted(scenario),
        "promise_month": None if scenario.promise is None else scenario.promise.money_of,
        "promise_rial": figures.promise_rial,
        "n_paths": figures.n_paths,
        "seed": figures.seed,
        "months_in_arrears": int(figures.single_run.summary["months_in_arrears"]),
        "family_arrears_max_rial": float(figures.single_run.summary["family_arrears_max_rial"]),
        "debt": {
            name: None if isinstance(value, float) and not math.isfinite(value) else value
            for name, value in dataclasses.asdict(figures.debt).items()
        },
    }


def month_name(label: str, lang: str) -> str:
    """``"1405-01"`` as ``"Farvardin 1405"`` / ``"فروردین ۱۴۰۵"``."""
    from solarcoop.present.text import month_names

    year, month = label.split("-")[:2]
    return f"{month_names('jalali', lang)[int(month) - 1]} {text.digits(year, lang)}"


def debt_note(figures: dict, lang: str) -> str:
    """What the family owes in withheld instalments, in words: over the futures the chance,
    P50 and P90 (the headline's :class:`~solarcoop.studies.headline.FamilyDebt`), then the
    single run's months and most owed and where it sits among the futures (the distribution
    leads); that nothing is owed in any future when nothing is; empty when neither was
    measured."""
    from solarcoop.present.headline import debt_words
    from solarcoop.present.locales import catalog as library_catalog
    from solarcoop.studies.headline import FamilyDebt

    labels = text.catalog(lang)["headline"]
    single = "" if not figures["months_in_arrears"] else labels["arrears"].format(
        months=text.number(figures["months_in_arrears"], lang), most=text.million(figures["family_arrears_max_rial"], lang)
    )
    measured = figures.get("debt") or {}
    if not measured.get("n_paths"):
        return single
    debt = FamilyDebt(**{name: math.nan if value is None else value for name, value in measured.items()})
    words = debt_words(debt, "jalali", lang)
    if debt.none_owed:
        return labels["debt_none"].format(paths=words["n_paths"])
    spread = "" if debt.chance_owes == 0 else labels["debt"].format(paths=words["n_paths"], **words)
    placed = "" if not single else library_catalog(lang)["report"]["loan_debt_single"].format(**words)  # page 1's words
    return " ".join(part for part in (spread, single, placed) if part)


def headline_view(figures: dict, lang: str) -> dict:
    """The headline's figures formatted for the screen, beside the raw numbers."""
    labels = text.catalog(lang)["headline"]
    rows = []
    for row in figures["years"]:
        name = "after_loan" if row["after_loan"] else "year_label"
        year = text.digits(row["label"][:4], lang)
        shown = {
            "label": labels[name].format(n=text.digits(row["year"], lang), year=year),
            "p50": text.million(row["p50_rial"], lang),
            "p90": text.million(row["p90_rial"], lang),
            "p50_real": text.million(row["p50_real_rial"], lang),
            "p90_real": text.million(row["p90_real_rial"], lang),
            "single": text.million(row["single_rial"], lang),
            "single_above": labels["single_above"].format(
                percent=text.percent(row["single_percentile"] / 100, lang)
            ),
        }
        for counts in PROMISE_COUNTS:
            chance = row[f"chance_{counts}_fraction"]
            shown[f"chance_{counts}"] = "" if chance is None else text.percent(chance, lang)
        rows.append({**row, **shown})
    promise = figures["promise_rial"]
    return {
        "rows": rows,
        "real_note": labels["real_note"].format(month=month_name(figures["base_month"], lang)),
        "chance_label": "" if promise is None else labels["chance"].format(
            promise=text.number(promise / 1e6, lang), month=month_name(figures["promise_month"] or figures["base_month"], lang)
        ),
        "promise_label": "" if promise is None else labels["promise_short"].format(
            promise=text.number(promise / 1e6, lang), month=month_name(figures["promise_month"] or figures["base_month"], lang)
        ),
        "chance_counts": figures["chance_counts"],
        "arrears_note": debt_note(figures, lang),
        "n_paths": text.number(figures["n_paths"], lang),
        "seed": text.number(figures["seed"], lang),
    }


def downloads(scenario, what: str, lang: str, n_paths: int = DEFAULT_PATHS, seed: int = 0) -> list[tuple[str, str, bytes]]:
    """Files the library writes for the scenario, each as (file name, media type, bytes).

    ``what`` is ``"scenario_file"`` (the TOML file), ``"report"`` (the PDF report and its
    workbook, written together by :func:`solarcoop.present.report.write_report`) or
    ``"statement"``. They are written into a private temporary folder that is removed at
    once: nothing is left on the machine and no path comes from the person using the app.
    """
    from solarcoop._validation import InputError

    if what not in DOWNLOADS:
        raise InputError(f"download {what!r} is not offered: choose one of {DOWNLOADS}")
    with tempfile.TemporaryDirectory(prefix="solarcoop-app-") as folder:
        out = Path(folder)
        stem = file_stem(scenario)
        if what == "scenario_file":
            from solarcoop.files import save_scenario

            path = Path(save_scenario(scenario, out / f"{stem}.toml"))
            if not path.read_bytes().strip():  # the baseline itself: every field, so the file stands alone
                path = Path(save_scenario(scenario, path, full=True))
            return [(path.name, "application/toml", path.read_bytes())]
        from solarcoop.present import report, statement
        from solarcoop.studies.headline import headline

        if what == "statement":
            lead = headline(scenario, n_paths=n_paths, seed=seed)  # the same figures as the screen
            path = statement.write_statement(
                lead.single_run, out / "statement", lang=lang, monte_carlo=lead.monte_carlo, headline=lead
            )
            return [(f"{stem}_{path.name}", MEDIA_TYPES[path.suffix], path.read_bytes())]
        lead = headline(scenario, n_paths=n_paths, seed=seed)  # the same figures as the screen
        drivers, effects = report.what_moves_it(scenario, n_paths, seed, monte_carlo=lead.monte_carlo)
        written = report.write_report(
            lead.single_run, out / "report", lang=lang, monte_carlo=lead.monte_carlo, sensitivity=drivers, headline=lead,
            reading_effects=effects,
        )  # fmt: skip
        return [(f"{stem}_{path.name}", MEDIA_TYPES[path.suffix], path.read_bytes()) for path in written[:2]]


def file_stem(scenario) -> str:
    """A file name for the scenario's downloads: its English name in lower-case letters,
    digits and underscores (``"kerman_cooperative_300_families_1_5_mw"``), or
    ``"scenario"`` when none of it is such a character.

    >>> from solarcoop.scenario import qom_baseline
    >>> file_stem(qom_baseline())
    'qom_cooperative_400_families_3_mw'
    """
    import re

    from solarcoop.scenario import derived_name

    for name in (scenario.name, derived_name(scenario)):  # a name in Persian: the derived English one
        stem = re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")
        if stem:
            return stem[:80]
    return "scenario"


MEDIA_TYPES = {
    ".pdf": "application/pdf",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".toml": "application/toml",
}
