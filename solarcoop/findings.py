"""What a run says about its inputs: findings, each a code and its values.

A finding is something about the inputs a reader of any number made from them should
know: the weather was built for a place far away, the altitude was looked up rather than
given. Each is a :class:`Finding`: a code, its values, and its words in the catalog of
each language (``[findings]`` in ``solarcoop/present/locales/<lang>.toml``). It is also a
``str`` (its English words), so that code printing or searching findings as text keeps
working; ``finding.text("fa")`` gives the Persian.

Every output that shows a number from the inputs carries the findings: the report's
first page, the family's statement (a footnote), the workbook's summary, the app and the
command line.

Examples
--------
>>> import solarcoop as sc
>>> isfahan = sc.qom_baseline().with_changes({"site.latitude": 32.65, "site.longitude": 51.67})
>>> [finding.code for finding in input_findings(isfahan)]
['weather_far', 'altitude_looked_up']
>>> print(input_findings(isfahan)[1])
altitude: 1,594 m above sea level, looked up at 32.65 N, 51.67 E (pvlib's elevation grid); give site.altitude_m if you know it
"""

from __future__ import annotations

from solarcoop.site import QOM, Site, distance_km
from solarcoop.weather.typical import EMBEDDED_YEAR_RANGE_KM

CODES = ("weather_far", "altitude_looked_up", "own_choice", "looks_like_toman", "looks_like_percent")
"""The findings a run can make about its inputs, by code: the site's
(``weather_far``, ``altitude_looked_up``, here), a scenario's own choice of a disputed fact
(``own_choice``, :func:`solarcoop.disputed.own_value_findings`) and a money or rate field
far outside what any real case has (``looks_like_toman``, ``looks_like_percent``,
:func:`solarcoop.plausibility.findings`)."""

SITE_CODES = ("weather_far", "altitude_looked_up")
"""The findings about the site: their values hold the ``site``."""



def place_name(site: Site, lang: str) -> str:
    """The site's name as ``lang`` writes it: its own name (translated when the catalog's
    ``[places]`` knows it), the province centre within 50 km, or its coordinates.

    >>> place_name(Site(latitude=30.28, longitude=57.08, altitude_m=1750), "fa")
    'کرمان'
    """
    from solarcoop.present.locales import catalog
    from solarcoop.present.text import format_number

    if site.name is not None:
        return catalog(lang)["places"].get(site.name, site.name)
    if site.centre is not None:
        return site.centre.name_fa if lang == "fa" else site.centre.name_en
    if lang == "en":
        return site.label
    return catalog(lang)["names"]["coordinates"].format(
        latitude=format_number(abs(site.latitude), lang, 2),
        longitude=format_number(abs(site.longitude), lang, 2),
    )


def institution_name(name: str | None, role: str, lang: str) -> str:
    """How the texts name the scenario's ``role`` (``"lender"``, ``"buyer"``, ``"sponsor"``):
    its name as the catalog's ``[institutions]`` writes it, or the unnamed word.

    >>> institution_name(None, "lender", "en"), institution_name("SATBA", "buyer", "fa")
    ('a lender', 'ساتبا')
    """
    from solarcoop.present.locales import catalog

    words = catalog(lang)["institutions"]
    return words[f"unnamed_{role}"] if name is None else words.get(name, name)


def funding_rule_text(rule: str, lang: str) -> str:
    """One sentence saying who takes a change of the families or the plant's size under a
    funding rule (:func:`solarcoop.studies.sweeps.funding_rule`).

    >>> print(funding_rule_text("sponsor_equity", "en"))
    The sponsor's equity fills whatever the shares leave of the plant's cost: more families change the sponsor's stake, not each family's money.
    """
    from solarcoop.present.locales import catalog

    return catalog(lang)["funding_rule"][rule]


def finding_text(finding, lang: str) -> str:
    """A finding in ``lang`` (a plain string, from older code, as it is)."""
    return finding.text(lang) if isinstance(finding, Finding) else str(finding)


class Finding(str):
    """A finding about the inputs: its English words, with ``code`` and ``values``.

    Parameters
    ----------
    code : str
        One of :data:`CODES`.
    **values
        What the words need: ``site`` (a :class:`~solarcoop.site.Site`), distances [km],
        heights [m] for the site's findings; ``reading`` and ``central`` (names) for
        ``own_choice``; ``field`` (its dotted path), ``value``, ``unit`` (``"rial_per_kwh"``
        or ``"rial_per_kwp"``), ``bound`` and ``why`` (a key of the catalog's
        ``[findings.why]``) for the plausibility findings.
    """

    code: str
    values: dict

    def __new__(cls, code: str, **values):
        if code not in CODES:
            raise ValueError(f"finding code = {code!r} is not known: allowed {', '.join(CODES)}")
        finding = super().__new__(cls, _words(code, values, "en"))
        finding.code = code
        finding.values = values
        return finding

    def text(self, lang: str = "en") -> str:
        """The finding in ``lang``, from its catalog."""
        return _words(self.code, self.values, lang)

    def __reduce__(self):  # pickled (for workers) as its code and values
        return (_rebuild, (self.code, self.values))


def _rebuild(code: str, values: dict) -> Finding:
    return Finding(code, **values)


def _words(code: str, values: dict, lang: str) -> str:
    from solarcoop.present.locales import catalog
    from solarcoop.present.text import digits, format_number

    words = catalog(lang)["findings"]
    if code == "own_choice":
        title = catalog(lang)["readings"][values["reading"]]
        return words[code].format(reading=values["reading"], title=title, central=values["central"])
    if code == "looks_like_toman":
        value = values["value"]
        return words[code].format(
            field=values["field"],
            value=format_number(value, lang, 0),
            unit=words["units"][values["unit"]],
            bound=format_number(values["bound"], lang, 0),
            why=words["why"][values["why"]],
            rial=format_number(10 * value, lang, 0),
        )
    if code == "looks_like_percent":
        value = values["value"]
        return words[code].format(
            field=values["field"],
            value=digits(f"{value:g}", lang),
            percent=digits(f"{100 * value:g}", lang),
            bound=digits(f"{100 * values['bound']:g}", lang),
            why=words["why"][values["why"]],
            fraction=digits(f"{value / 100:g}", lang),
        )
    site = values["site"]
    shown = {
        "place": place_name(site, lang),
        "latitude": digits(f"{site.latitude:.2f}", lang),
        "longitude": digits(f"{site.longitude:.2f}", lang),
        "north": catalog(lang)["findings"]["north"],
        "east": catalog(lang)["findings"]["east"],
    }
    if "distance_km" in values:
        shown["distance_km"] = format_number(values["distance_km"], lang, 0)
    if "altitude_m" in values:
        shown["altitude_m"] = format_number(values["altitude_m"], lang, 0)
    return catalog(lang)["findings"][code].format(**shown)


def input_findings(scenario, energy=None) -> list[Finding]:
    """What a run of ``scenario`` should say about its inputs.

    - ``weather_far``: the embedded typical year (built for Qom) stands in for the weather
      of a site more than :data:`EMBEDDED_YEAR_RANGE_KM` away;
    - ``altitude_looked_up``: the site's altitude was looked up at its coordinates, not
      given (:attr:`solarcoop.site.Site.altitude_looked_up`).

    With ``energy=`` given, the weather and the altitude make no number, and nothing is said
    of them.
    """
    site = scenario.site
    findings = []
    if energy is not None:
        return findings
    if scenario.weather is None:
        km = float(distance_km(site.latitude, site.longitude, QOM.latitude, QOM.longitude))
        if km > EMBEDDED_YEAR_RANGE_KM:
            findings.append(Finding("weather_far", site=site, distance_km=km))
    if site.altitude_looked_up:
        findings.append(Finding("altitude_looked_up", site=site, altitude_m=float(site.altitude_m)))
    return findings
