"""The board's app, driven in a real browser: headless Chromium from the distribution's
packages (``.ci/run`` installs it), through Selenium and the matching chromedriver. Without
them the browser tests skip, naming what to install (``conftest.require_browser``).

The app is started on a free port of 127.0.0.1 in this process; every number the page
shows is checked against the library's public functions for the same inputs.
"""

from __future__ import annotations

import dataclasses
import io
import json
import re
import signal
import subprocess
import sys
import threading
import typing
import urllib.error
import urllib.request
import zipfile
from pathlib import Path

import pytest

import solarcoop as sc
from solarcoop.app import board, server, text
from solarcoop.fields import declaration
from solarcoop.tariff import Tariff

PATHS = 250
"""Monte Carlo paths per run in these tests: one seed block, well under a second."""

SHORT_SCENARIO = b"""name = "Short test case"
lifetime_years = 3

[uncertainty]
weather_years = 2
"""
"""Uploaded for the download test: three years and two weather years keep the report quick."""


def chromium_options(chromium: str, user_data_dir: Path, download_dir: Path):
    from selenium.webdriver.chrome.options import Options

    options = Options()
    options.binary_location = chromium
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1280,1000", f"--user-data-dir={user_data_dir}",
    ):  # fmt: skip
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    options.add_experimental_option(
        "prefs", {"download.default_directory": str(download_dir), "download.prompt_for_download": False}
    )
    return options


@pytest.fixture(scope="module")
def app_url():
    httpd = server.make_server("127.0.0.1", 0, lang="fa", n_paths=PATHS)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="module")
def downloads_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def browser(tmp_path_factory, downloads_dir, browser_programs):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    driver = webdriver.Chrome(
        service=Service(browser_programs["chromedriver"]),
        options=chromium_options(
            browser_programs["chromium"], tmp_path_factory.mktemp("chromium-profile"), downloads_dir
        ),
    )
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def wait_for(browser, condition, timeout: float = 30.0):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, timeout, poll_frequency=0.1).until(condition)


def open_page(browser, url: str):
    browser.get(url)
    wait_for(browser, lambda b: b.execute_script("return document.body.dataset.ready === 'true'"))


def latin(shown: str) -> str:
    return text.parse_number(shown) if shown.strip() else shown


def type_into(browser, path: str, value: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    before = browser.execute_script("return window.renders || 0")
    field = browser.find_element(By.CSS_SELECTOR, f'input[data-path="{path}"]')
    field.send_keys(Keys.CONTROL, "a")
    field.send_keys(value, Keys.TAB)  # the page sends the value when the field loses focus
    wait_for(browser, lambda b: b.execute_script("return window.renders || 0") > before)


def screen(browser, name: str):
    from selenium.webdriver.common.by import By

    browser.find_element(By.CSS_SELECTOR, f'nav button[data-screen="{name}"]').click()


# ------------------------------------------------------------------------ without a browser


def test_both_catalogs_hold_the_same_labels():
    assert text.keys(text.catalog("fa")) == text.keys(text.catalog("en"))
    scenario = sc.qom_baseline()
    for field in board.FIELDS:
        assert field.path in text.catalog("fa")["field"]
        if isinstance(field, board.Field):
            field = board.with_declaration(scenario, field)
        assert getattr(field, "unit", "") in {"", *text.catalog("fa")["unit"]}
    assert set(board.UNIT_KEYS.values()) <= {"", *text.catalog("en")["unit"]}


def test_every_unit_declared_for_a_field_the_board_shows_has_a_catalog_key():
    # a unit missing from UNIT_KEYS would raise KeyError when the screen is built
    scenario = sc.qom_baseline()
    for field in board.FIELDS:
        if not isinstance(field, board.Field):
            continue
        *parts, name = field.path.split(".")
        spec = scenario
        for part in parts:
            spec = getattr(spec, part)
        kinds = {type(spec)}
        if parts == ["tariff"]:  # any tariff a scenario can hold that has the field
            kinds |= {kind for kind in typing.get_args(Tariff) if name in {item.name for item in dataclasses.fields(kind)}}
        for kind in kinds:
            assert declaration(kind, name).unit in board.UNIT_KEYS, (kind.__name__, name)


def test_a_declared_field_takes_its_unit_hint_and_choices_from_its_declaration():
    scenario = sc.qom_baseline()
    shown = {field.path: board.with_declaration(scenario, field) for field in board.FIELDS if isinstance(field, board.Field)}
    assert (shown["loan.annual_rate"].unit, shown["loan.annual_rate"].hint) == ("fraction_per_year", "percent")
    assert (shown["loan.principal_rial"].unit, shown["loan.principal_rial"].hint) == ("rial", "toman")
    assert (shown["plant.capacity_kwp"].unit, shown["plant.capacity_kwp"].hint) == ("kwp", "")
    assert shown["loan.shortfall"].choices == ("arrears", "debited")  # the default first
    assert shown["loan.shortfall"].unit == ""
    assert shown["funding.grant_rial"] == board.Field("funding.grant_rial", "gap", "rial", "toman")
    assert (shown["debt.share_of_capital_cost"].unit, shown["debt.share_of_capital_cost"].hint) == ("fraction", "percent")
    # the default first, then in the order declared
    assert shown["funding.gap_filled_by"].choices == ("sponsor_equity", "grant", "debt")
    # a count, which the report writes without a unit, keeps the unit its Field gives
    assert (shown["cooperative.families"].unit, shown["cooperative.families"].hint) == ("families", "")
    assert (shown["cooperative.tax_exempt_years"].unit, shown["cooperative.tax_exempt_years"].hint) == ("years", "")


def test_every_input_goes_through_the_library_and_has_a_source():
    scenario = sc.qom_baseline()
    for field in board.fields(scenario, "en"):
        typed = field["value"] if field["choices"] else field["shown"]
        again = board.change(scenario, field["path"], typed)
        assert next(f for f in board.fields(again, "en") if f["path"] == field["path"])["value"] == field["value"]
        assert field["source"], field["path"]


def test_the_tariff_reading_switch_sets_which_facts_are_drawn():
    scenario = sc.qom_baseline()
    assert "tariff_level" in scenario.uncertainty.readings
    fixed = board.change(scenario, "readings.tariff_level", "fixed")
    assert fixed.uncertainty.readings == tuple(r for r in scenario.uncertainty.readings if r != "tariff_level")
    assert board.change(fixed, "readings.tariff_level", "drawn").uncertainty.readings[-1] == "tariff_level"
    with pytest.raises(sc.InputError, match="'drawn' or 'fixed'"):
        board.change(scenario, "readings.tariff_level", "sometimes")


def test_the_presets_are_the_library_stress_cases():
    from solarcoop import disputed

    assert board.presets() == tuple(disputed.STRESS_CASES)
    for case in board.presets():
        opened = board.open_scenario(case, "fa")
        assert opened.name == text.catalog("fa")["preset"][case]
        stressed = sc.stress(sc.qom_baseline(), case)
        assert (opened.tariff, opened.payment, opened.cooperative, opened.economy) == (
            stressed.tariff, stressed.payment, stressed.cooperative, stressed.economy,
        )


def test_the_notes_tell_a_finding_from_the_funding_rule():
    far = sc.qom_baseline().with_changes({"site.latitude": 30.28, "site.longitude": 57.08})
    notes = board.notes(far, "fa")
    from solarcoop.findings import funding_rule_text
    from solarcoop.studies.sweeps import funding_rule

    assert notes[-1] == {"text": funding_rule_text(funding_rule(far), "fa"), "finding": False}
    assert notes[0]["finding"] and "کرمان" in notes[0]["text"]  # the weather is Qom's, the site is not
    assert [note["finding"] for note in board.notes(sc.qom_baseline(), "en")] == [False]


def test_uploads_are_data_only_and_size_limited():
    with pytest.raises(sc.InputError, match="at most 65,536"):
        board.read_upload(b"#" * (board.UPLOAD_LIMIT_BYTES + 1), "big.toml")
    with pytest.raises(sc.InputError, match="only TOML"):
        board.read_upload(b"print(1)", "run.py")
    with pytest.raises(sc.InputError, match="reads no file named in a scenario"):
        board.read_upload(b'weather = "/etc/hostname"\n', "peek.toml")
    with pytest.raises(sc.InputError, match="'bad.toml' is not valid TOML"):
        board.read_upload(b"tariff = [", "bad.toml")
    assert board.read_upload(SHORT_SCENARIO, "short.toml").lifetime_years == 3


def request(url: str, method: str = "GET", body: bytes | None = None, headers: dict | None = None):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, body, headers or {}, method=method), timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_the_server_answers_only_its_own_host_and_files(app_url):
    assert request(app_url + "/", headers={"Host": "attacker.example:80"})[0] == 421
    assert request(app_url + "/static/../board.py")[0] == 404
    assert request(app_url + "/static/%2e%2e/board.py")[0] == 404
    assert request(app_url + "/download/x/y")[0] == 404
    assert request(app_url + "/api/state", "POST", b"{}")[0] == 403  # no session, no scenario


def test_two_tabs_do_not_see_each_others_scenarios(app_url):
    def session():
        token = re.search(rb'name="solarcoop-page" content="([^"]+)"', request(app_url + "/")[1]).group(1).decode()
        return json.loads(request(app_url + "/api/session", "POST", b"", {"X-Solarcoop-Page": token})[1])["session"]

    first, second = session(), session()
    for tab in (first, second):
        request(app_url + "/api/open", "POST", b'{"slot": 0}', {"X-Solarcoop-Session": tab})
    change = json.dumps({"slot": 0, "path": "cooperative.families", "value": "300"}).encode()
    assert request(app_url + "/api/change", "POST", change, {"X-Solarcoop-Session": first})[0] == 200
    state = json.loads(request(app_url + "/api/state?lang=en", "POST", b"{}", {"X-Solarcoop-Session": second})[1])
    families = next(f for f in state["slots"][0]["fields"] if f["path"] == "cooperative.families")
    assert families["value"] == 400


def test_ctrl_c_stops_the_app_cleanly():
    process = subprocess.Popen(
        [sys.executable, "-m", "solarcoop.cli", "app", "--no-browser", "--port", "0"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # a shell running this suite in the background hands its children SIGINT ignored;
        # a person's terminal does not: give the app the terminal's Ctrl-C
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip
    try:
        first_line = process.stdout.readline()
        assert first_line.startswith("solarcoop app: http://127.0.0.1:")
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        process.kill()
    assert process.returncode == 0, err
    assert "stopped" in out
    assert "Traceback" not in err


# ------------------------------------------------------------------------ in the browser


def test_persian_page_is_right_to_left_with_persian_labels_and_its_own_font(browser, app_url):
    open_page(browser, app_url + "/")
    assert browser.execute_script("return document.documentElement.dir") == "rtl"
    assert browser.execute_script("return document.documentElement.lang") == "fa"
    assert browser.title == text.catalog("fa")["page"]["title"]
    labels = browser.execute_script("return [...document.querySelectorAll('.field label')].map(l => l.textContent)")
    assert text.catalog("fa")["field"]["tariff.base_price_rial_per_kwh"] in labels
    shown = browser.execute_script("return document.querySelector('[data-path=\"cooperative.families\"]').value")
    assert shown == "۴۰۰"
    assert browser.execute_script("return document.fonts.check('16px Vazirmatn')")
    assert browser.execute_script(
        "return [...document.fonts].some(f => f.family.includes('Vazirmatn') && f.status === 'loaded')"
    )


def test_two_browser_tabs_keep_their_own_scenarios(browser, app_url):
    open_page(browser, app_url + "/?lang=en")
    first = browser.current_window_handle
    browser.switch_to.new_window("tab")
    try:
        open_page(browser, app_url + "/?lang=en")
        type_into(browser, "cooperative.families", "250")
        assert browser.execute_script("return document.querySelector('[data-path=\"cooperative.families\"]').value") == "250"
    finally:
        browser.close()
        browser.switch_to.window(first)
    browser.find_element("id", "language").click()  # the page asks the server for its state again
    wait_for(browser, lambda b: b.execute_script("return document.documentElement.dir") == "rtl")
    # the page turns right-to-left first, then fills its fields from the server's state: this
    # tab's 400 in Persian digits (the other tab's 250 never shows; a timeout fails the test)
    families = "return document.querySelector('[data-path=\"cooperative.families\"]').value"
    wait_for(browser, lambda b: b.execute_script(families) == "۴۰۰")


def test_a_refused_value_shows_the_library_message(browser, app_url):
    open_page(browser, app_url + "/")
    type_into(browser, "payment.cash_share", "۱٫۵")
    with pytest.raises(sc.InputError) as refused:
        sc.qom_baseline().with_changes({"payment.cash_share": 1.5})
    message = wait_for(
        browser,
        lambda b: b.execute_script(
            "const m = document.querySelector('[data-message-for=\"payment.cash_share\"]:not([hidden])');"
            "return m && m.textContent"
        ),
    )
    from solarcoop._validation import error_text

    assert error_text(refused.value, "fa") in message  # the library's refusal, said from the Persian catalog
    assert "value" not in message and "۱٫۵" in message
    assert browser.execute_script(
        "return document.querySelector('[data-path=\"payment.cash_share\"]').getAttribute('aria-invalid')"
    ) == "true"


def headline_cells(browser) -> dict:
    """{year: {figure: (value behind the cell, text on screen)}} from both headline tables."""
    return browser.execute_script(
        "const rows = {}; for (const td of document.querySelectorAll('#headline td[data-figure]')) {"
        " const year = td.closest('tr').dataset.year; rows[year] = rows[year] || {};"
        " rows[year][td.dataset.figure] = [Number(td.dataset.value), td.textContent]; } return rows;"
    )


def test_headline_on_screen_equals_the_library(browser, app_url):
    open_page(browser, app_url + "/")
    type_into(browser, "tariff.base_price_rial_per_kwh", "۳۰٬۰۰۰")
    type_into(browser, "loan.term_months", "60")
    screen(browser, "headline")
    browser.find_element("id", "run").click()
    wait_for(browser, lambda b: b.execute_script("return document.querySelector('table.headline')"))
    cells = headline_cells(browser)

    scenario = sc.qom_baseline().with_changes({"tariff.base_price_rial_per_kwh": 30_000, "loan.term_months": 60})
    table = sc.headline(scenario, n_paths=PATHS, seed=0).table
    assert sorted(cells, key=int) == [str(year) for year in table.index]
    # a 60-month loan ends with year 5; the instalments withheld are cleared from later payouts
    after = sc.studies.headline.first_year_after_loan(sc.simulate(scenario))
    assert after >= 6 and str(after) in cells
    money = {
        "p50": "net_payout_per_family_p50_rial",
        "p90": "net_payout_per_family_p90_rial",
        "p50_real": "net_payout_per_family_p50_real_rial",
        "p90_real": "net_payout_per_family_p90_real_rial",
        "single": "single_run_net_payout_per_family_rial",
    }
    for year, row in cells.items():
        expected = table.loc[int(year)]
        for figure, column in money.items():
            value, shown = row[figure]
            assert value == pytest.approx(expected[column], rel=1e-12, abs=1e-6)
            if figure != "single":
                assert latin(shown) == pytest.approx(round(expected[column] / 1e6, 1), abs=1e-9)
        for reading in ("sales", "distribution", "net"):
            value, shown = row[f"chance_{reading}"]
            assert value == pytest.approx(expected[f"chance_month_reaches_promise_{reading}"], abs=1e-12)
            assert latin(shown.rstrip("٪")) == round(100 * value)
    single_text = cells["1"]["single"][1]
    assert text.million(table.loc[1, "single_run_net_payout_per_family_rial"], "fa") in single_text


def test_two_scenarios_side_by_side(browser, app_url):
    from selenium.webdriver.common.by import By

    open_page(browser, app_url + "/?lang=en")
    assert browser.execute_script("return document.documentElement.dir") == "ltr"
    browser.find_element(By.CSS_SELECTOR, '[data-copy="1"]').click()
    wait_for(browser, lambda b: b.execute_script("return document.querySelector('[aria-pressed=\"true\"][data-slot=\"1\"]')"))
    type_into(browser, "tariff.base_price_rial_per_kwh", "30000")
    screen(browser, "compare")
    browser.find_element("id", "run-all").click()
    wait_for(browser, lambda b: b.execute_script("return document.querySelector('table.compare')"))
    central = browser.execute_script(
        "return [...document.querySelectorAll('table.compare tr[data-year=\"2\"][data-figure=\"p50\"] td')]"
        ".map(td => Number(td.dataset.value))"
    )
    baseline = sc.qom_baseline()
    for value, scenario in zip(central, (baseline, baseline.with_changes({"tariff.base_price_rial_per_kwh": 30_000})), strict=True):
        expected = sc.headline(scenario, n_paths=PATHS, seed=0).table.loc[2, "net_payout_per_family_p50_rial"]
        assert value == pytest.approx(expected, rel=1e-12)
    assert central[1] < central[0]


def test_downloads_are_valid_files(browser, app_url, downloads_dir, tmp_path):
    from selenium.webdriver.common.by import By

    open_page(browser, app_url + "/")
    upload = tmp_path / "short.toml"
    upload.write_bytes(SHORT_SCENARIO)
    browser.find_element("id", "upload-file").send_keys(str(upload))
    browser.find_element("id", "upload-button").click()
    wait_for(browser, lambda b: "Short test case" in b.find_element("id", "slot-tabs").text)
    screen(browser, "downloads")
    made = {"scenario_file": 1, "report": 3, "statement": 4}  # links on the page after each
    for what, links in made.items():
        wait_for(browser, lambda b, what=what: b.find_elements(By.CSS_SELECTOR, f'[data-make="{what}"]'))
        browser.find_element(By.CSS_SELECTOR, f'[data-make="{what}"]').click()
        wait_for(browser, lambda b, links=links: len(b.find_elements(By.CSS_SELECTOR, "#files a")) >= links, 120)
    for link in browser.find_elements(By.CSS_SELECTOR, "#files a"):
        link.click()
    stem = "short_test_case"  # each file named after its scenario
    names = tuple(f"{stem}{end}" for end in (".toml", "_report_fa.pdf", "_report_fa.xlsx", "_statement_fa.pdf"))
    wait_for(browser, lambda b: all((downloads_dir / name).is_file() for name in names), 30)

    assert sc.load_scenario(downloads_dir / f"{stem}.toml").lifetime_years == 3
    import openpyxl
    import pypdf

    assert len(pypdf.PdfReader(downloads_dir / f"{stem}_report_fa.pdf").pages) > 3
    assert len(pypdf.PdfReader(downloads_dir / f"{stem}_statement_fa.pdf").pages) == 1
    workbook = openpyxl.load_workbook(io.BytesIO((downloads_dir / f"{stem}_report_fa.xlsx").read_bytes()))
    assert len(workbook.sheetnames) >= 3
    with zipfile.ZipFile(downloads_dir / f"{stem}_report_fa.xlsx") as archive:
        assert archive.testzip() is None


OTHER_PROMISE = b"""[cooperative]
families = 300

[promise]
low_rial = 40000000
high_rial = 40000000
money_of = "1405-01"
source = "another cooperative's board"
counts = "net"
"""
"""A second scenario whose promise differs from the baseline's (50 to 80 M rial of Shahrivar 1404)."""


def test_a_choice_of_words_is_a_set_of_radio_buttons_whose_labels_are_whole(browser, app_url):
    from selenium.webdriver.common.by import By

    open_page(browser, app_url + "/?lang=en")
    names = text.catalog("en")["choice"]["loan.shortfall"]
    shown = browser.execute_script(
        "return [...document.querySelectorAll('[data-path=\"loan.shortfall\"] label.choice')].map(l => l.textContent)"
    )
    assert sorted(shown) == sorted([names["debited"], names["arrears"]])  # every word of each, none cut off by a select
    checked = '[data-path="loan.shortfall"] input:checked'
    assert browser.find_element(By.CSS_SELECTOR, checked).get_attribute("value") == "arrears"  # the default
    before = browser.execute_script("return window.renders || 0")
    browser.find_element(By.CSS_SELECTOR, '[data-path="loan.shortfall"] input[value="debited"]').click()
    wait_for(browser, lambda b: b.execute_script("return window.renders || 0") > before)
    assert browser.find_element(By.CSS_SELECTOR, checked).get_attribute("value") == "debited"  # the server's state


def test_every_money_figure_names_its_money_and_each_promise_stands_under_its_scenario(browser, app_url, tmp_path):
    from selenium.webdriver.common.by import By

    open_page(browser, app_url + "/")
    words = text.catalog("fa")
    # Persian: a middle dot reads as the digit zero, so the parts of a label are joined by a dash
    tab = browser.find_element(By.CSS_SELECTOR, '#slot-tabs button[data-slot="0"]').text
    assert words["page"]["joiner"].strip() in tab and "·" not in tab
    screen(browser, "headline")
    browser.find_element("id", "run").click()
    wait_for(browser, lambda b: b.execute_script("return document.querySelector('table.headline')"))
    heads = browser.execute_script("return [...document.querySelectorAll('table.headline th')].map(t => t.textContent)")
    single = [head for head in heads if head.startswith(words["headline"]["single"])]
    assert single == [words["headline"]["single"] + words["page"]["joiner"] + words["headline"]["nominal"]]
    screen(browser, "scenario")
    browser.find_element(By.CSS_SELECTOR, '#slot-tabs button[data-slot="1"]').click()
    upload = tmp_path / "other.toml"
    upload.write_bytes(OTHER_PROMISE)
    browser.find_element("id", "upload-file").send_keys(str(upload))
    browser.find_element("id", "upload-button").click()
    wait_for(browser, lambda b: b.execute_script("return document.querySelector('[data-copy=\"0\"]')"))
    screen(browser, "compare")
    browser.find_element("id", "run-all").click()
    wait_for(browser, lambda b: b.execute_script("return document.querySelector('table.compare')"))
    promises = browser.execute_script("return [...document.querySelectorAll('table.compare thead .promise')].map(p => p.textContent)")
    assert promises == [
        words["headline"]["promise_short"].format(promise="۵۰", month="شهریور ۱۴۰۴"),
        words["headline"]["promise_short"].format(promise="۴۰", month="فروردین ۱۴۰۵"),
    ]
    labels = browser.execute_script(
        "return Object.fromEntries([...document.querySelectorAll('table.compare tr[data-year=\"1\"]')]"
        ".map(r => [r.dataset.figure, r.querySelector('th').textContent]))"
    )
    assert labels["p50"].endswith(words["headline"]["nominal"]) and labels["p90"].endswith(words["headline"]["nominal"])
    assert words["compare"]["chance_own"] in labels["chance_net"]


def test_nothing_was_fetched_from_outside_this_machine(browser, app_url):
    """Every request the browser made in this module went to the app's own address."""
    open_page(browser, app_url + "/")
    requested = set()
    for entry in browser.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            requested.add(message["params"]["request"]["url"])
    assert any(url.startswith(app_url + "/static/fonts/") for url in requested)
    network = {url for url in requested if url.split(":", 1)[0] in ("http", "https", "ws", "wss", "ftp")}
    assert len(network) >= 5  # the page, its script, style, font and API calls were seen
    outside = {url for url in network if not url.startswith(app_url + "/")}
    assert outside == set()


@pytest.mark.parametrize("lang", text.LANGUAGES)
def test_the_headline_explanation_names_every_disputed_fact_the_monte_carlo_draws(lang):
    from solarcoop.disputed import READING_NAMES
    from solarcoop.present.locales import catalog as library_catalog

    words = text.catalog(lang)
    assert "{facts}" in words["headline"]["explain"]
    names = library_catalog(lang)["readings"]
    assert all(names[name] in words["disputed_facts"] for name in READING_NAMES)
    assert words["disputed_facts"].count(words["signs"]["list_separator"]) >= len(READING_NAMES) - 1


def test_the_headline_screen_says_what_the_family_owes_when_its_instalments_are_withheld():
    scenario = sc.qom_baseline().with_changes({"lifetime_years": 3})
    figures = board.headline(scenario, n_paths=40, seed=1)
    single = sc.simulate(scenario).summary
    assert figures["months_in_arrears"] == single["months_in_arrears"] > 0
    assert figures["family_arrears_max_rial"] == single["family_arrears_max_rial"]
    view = board.headline_view(figures, "en")
    assert text.million(single["family_arrears_max_rial"], "en") in view["arrears_note"]
    # over the futures: the headline's figure set, the chance written as the page writes it
    debt = sc.headline(scenario, n_paths=40, seed=1).debt
    assert figures["debt"]["chance_owes"] == debt.chance_owes > 0
    assert text.million(debt.most_owed_p90_rial, "en") in view["arrears_note"]
    # the distribution leads, the single run says where it sits
    note = view["arrears_note"]
    assert note.index(text.million(debt.most_owed_p90_rial, "en")) < note.index("In the single run")
    assert f"sits at percentile {text.number(round(debt.single_percentile), 'en')}" in note
    # the lender debits the single run's family: it owes nothing, but the futures that withhold do
    debited = board.headline(scenario.with_changes({"loan.shortfall": "debited"}), n_paths=40, seed=1)
    assert debited["months_in_arrears"] == 0 and debited["debt"]["chance_owes"] > 0
    note = board.headline_view(debited, "en")["arrears_note"]
    assert text.catalog("en")["headline"]["arrears"].split("{")[0] not in note  # nothing of the single run's
    assert text.million(debited["debt"]["most_owed_p50_rial"], "en") in note
    # no future withholds: said plainly, no zeros
    readings = tuple(name for name in scenario.uncertainty.readings if name != "payout")
    never = board.headline(
        scenario.with_changes({"loan.shortfall": "debited", "uncertainty.readings": readings}), n_paths=40, seed=1
    )
    for lang in ("en", "fa"):
        note = board.headline_view(never, lang)["arrears_note"]
        assert note == text.catalog(lang)["headline"]["debt_none"].format(paths=text.number(40, lang))
