"""The text layer and the catalogs: one way to write a number, one catalog per language,
no word of any language in the code."""

import ast
import re
import string
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import solarcoop as sc
from solarcoop.present import text
from solarcoop.present.locales import LANGUAGES, catalog

PACKAGE = Path(sc.__file__).resolve().parent
MODULES = sorted(PACKAGE.rglob("*.py"))
PERSIAN = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFC]")  # not U+FEFF, the byte-order mark

WORDS_IN_CODE_ALLOWED = {
    ("_validation.py", "_TYPED_NUMBER"): "reads what a person typed: Persian and Arabic-Indic digits "
    "and separators become Latin; input, not text for a reader",
    ("_validation.py", "_PERCENT_SIGNS"): "reads a percent sign a person typed (Latin or Persian); input",
    ("actuals.py", "_PERSIAN_TO_ASCII"): "reads Persian digits in a books file; input, not text "
    "for a reader (and the books' reader must not depend on the presentation layer)",
}
"""String constants with Persian letters that may stay in code, by (module, name), with why."""

PLACEHOLDERS_LEFT_OUT = {("dates", "day")}
"""Texts where Persian leaves out a value the English shows (the Gregorian date)."""

LAYOUT = {"left", "right", "center", "rtl", "ltr", b"rtl", b"ltr"}
"""Strings a language may choose in code: which side text is set on, not words."""


# ------------------------------------------------------------------ the catalogs


def _paths(table, prefix=()):
    """Every key path of a catalog, with the kind of value it holds."""
    found = {}
    for key, value in table.items():
        if isinstance(value, dict):
            found.update(_paths(value, (*prefix, key)))
        else:
            found[(*prefix, key)] = value
    return found


def _fields(value) -> set:
    if isinstance(value, list):
        return set().union(*(_fields(item) for item in value)) if value else set()
    if not isinstance(value, str):
        return set()
    return {name for _, name, _, _ in string.Formatter().parse(value) if name is not None}


def test_both_catalogs_hold_the_same_keys_with_the_same_placeholders():
    english, persian = _paths(catalog("en")), _paths(catalog("fa"))
    assert set(english) - set(persian) == set(), "keys only in en.toml"
    assert set(persian) - set(english) == set(), "keys only in fa.toml"
    for path, value in english.items():
        other = persian[path]
        if path[0] == "fields":  # en: the name (a declared field's unit and source are in its
            # declaration) or [name, unit, ...]; fa: [name, unit, description]
            assert isinstance(value, str | list) and isinstance(other, list), path
            continue
        assert type(value) is type(other), path
        if isinstance(value, list):
            assert len(value) == len(other), path
        if path in PLACEHOLDERS_LEFT_OUT:
            assert _fields(other) < _fields(value), path
        else:
            assert _fields(value) == _fields(other), path  # {name} filled by the code in both


def test_the_sign_tables_are_complete():
    for lang in LANGUAGES:
        signs = text.signs(lang)
        assert len(signs["digits"]) == 10 and len(set(signs["digits"])) == 10, lang
        assert len(catalog(lang)["months"]["jalali"]) == len(catalog(lang)["months"]["gregorian"]) == 12
    assert text.signs("en")["digits"] == "0123456789"
    assert text.signs("en")["minus"] == text.signs("fa")["minus"] == "-"  # one minus everywhere


def _chains(tree: ast.AST, prefix: tuple) -> list:
    """The catalog keys a module asks for by constant: ``catalog(lang)["a"]["b"]``, through
    helpers that return a catalog table (``def _labels(lang): return catalog(lang)["charts"]``)
    and through names bound to one (``words = catalog(lang)["report"]``; ``words["x"]``)."""
    helpers = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef):
            body = [s for s in node.body if not (isinstance(s, ast.Expr) and isinstance(s.value, ast.Constant))]
            if body and isinstance(body[-1], ast.Return) and body[-1].value is not None:
                path = _path(body[-1].value, prefix, helpers, {})
                if path is not None and node.name != "catalog":
                    helpers[node.name] = path

    found = []
    for function in (n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)):
        bound = {}
        for node in ast.walk(function):
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                path = _path(node.value, prefix, helpers, bound)
                if path is not None:
                    bound[node.targets[0].id] = path
        for node in ast.walk(function):
            if isinstance(node, ast.Subscript):
                path = _path(node, prefix, helpers, bound)
                if path:
                    found.append((path, node.lineno))
    return found


def _path(node, prefix, helpers, bound):
    """The constant key path ``node`` reads from a catalog, or None."""
    if isinstance(node, ast.Subscript):
        base = _path(node.value, prefix, helpers, bound)
        key = node.slice
        if base is None or not (isinstance(key, ast.Constant) and isinstance(key.value, str)):
            return None
        return (*base, key.value)
    if isinstance(node, ast.Call):
        name = node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", None)
        if name == "catalog" or (name == "library_catalog"):
            return () if name == "library_catalog" else prefix
        return helpers.get(name)
    if isinstance(node, ast.Name):
        return bound.get(node.id)
    return None


def _catalog_prefix(module: Path) -> tuple:
    return ("app",) if module.parent.name == "app" else ()


def test_every_word_the_code_asks_for_is_in_both_catalogs():
    missing, asked = [], 0
    for module in MODULES:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for path, line in _chains(tree, _catalog_prefix(module)):
            asked += 1
            for lang in LANGUAGES:
                table = catalog(lang)
                for key in path:
                    if not isinstance(table, dict) or key not in table:
                        missing.append(f"{module.relative_to(PACKAGE)}:{line} {lang} {'.'.join(path)}")
                        break
                    table = table[key]
    assert asked > 100  # the scan sees the code's requests
    assert missing == []


def test_the_scan_finds_a_missing_word():
    code = 'def f(lang):\n    words = catalog(lang)["report"]\n    return words["no_such_word"]\n'
    assert (("report", "no_such_word"), 3) in _chains(ast.parse(code), ())


# ------------------------------------------------------------------ no words in code


def _docstrings(tree: ast.AST) -> set:
    found = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            for position, statement in enumerate(body):
                is_text = isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant)
                # a module's, class's or function's first string, or the string under an assignment
                if is_text and (position == 0 or isinstance(body[position - 1], ast.Assign | ast.AnnAssign)):
                    found.add(id(statement.value))
    return found


def _owner(tree: ast.AST) -> dict:
    """Which module-level name each node is assigned under (for the allowed list)."""
    owners = {}
    for statement in getattr(tree, "body", []):
        if isinstance(statement, ast.Assign | ast.AnnAssign):
            targets = statement.targets if isinstance(statement, ast.Assign) else [statement.target]
            names = [t.id for t in targets if isinstance(t, ast.Name)]
            for node in ast.walk(statement):
                owners[id(node)] = names[0] if names else None
    return owners


def persian_in_code(source: str, module: str) -> list[str]:
    """String constants in code (not docstrings) that hold Persian letters or digits."""
    tree = ast.parse(source)
    docstrings, owners = _docstrings(tree), _owner(tree)
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            if PERSIAN.search(node.value) and (module, owners.get(id(node))) not in WORDS_IN_CODE_ALLOWED:
                found.append(f"{module}:{node.lineno} {node.value[:40]!r}")
    return found


def _asks_lang(test: ast.AST) -> bool:
    for node in ast.walk(test):
        if isinstance(node, ast.Compare):
            sides = [node.left, *node.comparators]
            names = [s for s in sides if isinstance(s, ast.Name) and s.id == "lang"]
            names += [s for s in sides if isinstance(s, ast.Attribute) and s.attr == "lang"]
            languages = [s for s in sides if isinstance(s, ast.Constant) and s.value in LANGUAGES]
            if names and languages:
                return True
    return False


def _words_in(nodes) -> list:
    words = []
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.JoinedStr):
                words.append("f-string")
            elif isinstance(node, ast.Constant) and isinstance(node.value, str | bytes) and node.value not in LAYOUT:
                words.append(node.value)
    return words


def language_branches(source: str, module: str) -> list[str]:
    """``x if lang == "fa" else y`` and ``if lang == "en": ...`` that choose words."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.IfExp) and _asks_lang(node.test):
            chosen = _words_in([node.body, node.orelse])
        elif isinstance(node, ast.If) and _asks_lang(node.test):
            chosen = _words_in([*node.body, *node.orelse])
        else:
            continue
        if chosen:
            found.append(f"{module}:{node.lineno} chooses {chosen[:3]!r} by language")
    return found


def test_no_word_table_or_translated_word_in_code():
    found = []
    for module in MODULES:
        name = str(module.relative_to(PACKAGE))
        source = module.read_text(encoding="utf-8")
        found += persian_in_code(source, name) + language_branches(source, name)
    assert found == [], "words belong in solarcoop/present/locales/<lang>.toml"


def test_the_allowed_words_in_code_are_still_there():
    """An exception that no longer exists is taken off the list."""
    for (module, name), reason in WORDS_IN_CODE_ALLOWED.items():
        assert reason
        tree = ast.parse((PACKAGE / module).read_text(encoding="utf-8"))
        assert name in {t.id for s in tree.body if isinstance(s, ast.Assign) for t in s.targets if isinstance(t, ast.Name)}


@pytest.mark.parametrize(
    "code",
    [
        'TEXT = {"fa": {"title": "عنوان"}}\n',
        'def f(lang):\n    return "rial" if lang == "en" else "riyal"\n',
        'def f(lang):\n    if lang == "fa":\n        return f"{1} x"\n',
    ],
)
def test_the_scan_finds_words_in_code(code):
    assert persian_in_code(code, "m.py") + language_branches(code, "m.py")


def test_the_scan_lets_layout_and_docstrings_be():
    code = '"""Persian: «فروردین»."""\ndef f(lang):\n    """«۱۴۰۵»"""\n    return "right" if lang == "fa" else "left"\n'
    assert persian_in_code(code, "m.py") + language_branches(code, "m.py") == []


# ------------------------------------------------------------------ numbers


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 2))
def test_persian_numbers_are_the_english_ones_in_persian_digits(value, decimals):
    english = text.format_number(value, "en", decimals)
    persian = text.format_number(value, "fa", decimals)
    back = persian.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹٫٬", "0123456789.,"))
    assert back == english
    assert not any(character in "0123456789" for character in persian)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_minus_in_every_output(lang):
    minus = text.signs(lang)["minus"]
    for shown in (
        text.format_number(-1234.5, lang, 1),
        text.format_signed(-2.5, lang),
        text.format_percent(-0.05, lang),
        text.money_million(-2_500_000, lang),
        text.format_money(-2.5e9, lang),
    ):
        assert shown.startswith(minus), shown
    from solarcoop.app import text as app_text

    assert app_text.number(-1234.5, lang, 1) == text.format_number(-1234.5, lang, 1)
    assert "\u2212" not in app_text.number(-3, lang) + app_text.percent(-0.2, lang)


def test_a_zero_has_no_sign():
    assert text.format_number(-0.04, "en", 1) == "0.0"
    assert text.format_signed(-0.04, "fa") == "۰٫۰" and text.format_signed(0.04, "en") == "0.0"
    assert text.format_signed(0.06, "en") == "+0.1"


def test_percent_signs_by_language():
    assert text.format_percent(0.35, "en") == "35 %" and text.format_percent(0.35, "fa") == "۳۵٪"
    assert text.format_percent_points(45.0, "en", 0, compact=True) == "45%"
    assert text.chance_text(0.004, "en") == "0 %"


def test_the_two_percent_questions_have_two_names():
    # a unit in percent ("%/year"), and a label "name [unit]" whose unit is in percent
    assert text.is_percent_unit("%/year") and text.is_percent_unit("٪ در سال")
    assert not text.is_percent_unit("rial [%]")
    assert text.is_percent_label("inflation [%/year]") and text.is_percent_label("تورم [٪ در سال]")
    assert not text.is_percent_label("%/year")


def test_months_and_dates():
    assert text.month_names("jalali", "fa")[0] == "فروردین"
    assert text.month_label("1405-12", "jalali", "en") == "Esfand 1405"
    assert text.month_label("1405-01", "jalali", "fa") == "فروردین ۱۴۰۵"
    assert text.digits(1405, "fa") == "۱۴۰۵"
    assert text.month_text("not within the life", "jalali", "en") == catalog("en")["values"]["not within the life"]
    assert text.month_text("not within the life", "jalali", "fa") == catalog("fa")["values"]["not within the life"]
    assert catalog("fa")["values"]["not within the life"] != "not within the life"  # a Persian phrase
    with pytest.raises(sc.InputError, match="calendar"):
        text.month_names("hijri", "en")
    with pytest.raises(sc.InputError, match="lang"):
        text.digits("1", "de")


def test_money_reads_in_millions_and_billions():
    assert text.format_money(45_800.4, "en", "/kWh") == "45,800 rial/kWh"
    assert text.format_money(2.45e6, "fa") == "۲٫۴۵ میلیون ریال"
    assert text.format_magnitude(-1.5e9, "en") == "-1.5 billion"
    assert text.is_money_unit("ریال/سال") and not text.is_money_unit("kWh")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_one_code_word_reads_by_its_field(lang):
    """"cash" is a way to pay bills, a basis of the books and a distribution rule: the
    appendix names each in its own words, not one catalog word for all three."""
    from solarcoop.present.assumptions import assumptions_table

    scenario = sc.qom_baseline().with_changes(
        {"payment.settled_in": "cash", "cooperative.books_basis": "cash", "cooperative.distribution_rule": "cash"}
    )
    table = assumptions_table(scenario, lang).set_index("parameter")["value"]
    shown = [table[name] for name in ("payment.settled_in", "cooperative.books_basis", "cooperative.distribution_rule")]
    assert len(set(shown)) == 3, shown
    words = catalog(lang)
    assert shown == [
        words["values_of"]["settled_in"]["cash"],
        words["values_of"]["books_basis"]["cash"],
        words["values"]["cash"],
    ]
