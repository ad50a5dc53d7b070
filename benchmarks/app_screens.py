"""Screenshots of every screen of the board's app, in Persian and English, with timings.

Starts ``solarcoop app --no-browser --port 0`` as a person would, drives headless Chromium
(Debian's ``chromium`` and ``chromium-driver``) and reports:

- the time from launching the command to a usable page (the page's scenario inputs
  filled in by the server), and
- the time from pressing "run" to the headline on screen.

Usage::

    python benchmarks/app_screens.py OUT_DIR [--paths 2000]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--window-size=1280,1100",
)  # fmt: skip


def browser(profile: str) -> webdriver.Chrome:
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    for flag in (*FLAGS, f"--user-data-dir={profile}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)


def wait(driver, script: str, timeout: float = 120):
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(lambda d: d.execute_script(script))


def full_page(driver, path: Path) -> None:
    height = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(1280, max(700, height + 120))
    driver.save_screenshot(str(path))
    driver.set_window_size(1280, 1100)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--paths", type=int, default=2_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)

    with tempfile.TemporaryDirectory() as profile:
        driver = browser(profile)
        driver.get("about:blank")
        launched = time.monotonic()
        app = subprocess.Popen(
            [sys.executable, "-m", "solarcoop.cli", "app", "--no-browser", "--port", "0", "--paths", str(args.paths)],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            url = app.stdout.readline().split()[2]
            base = url.split("/?")[0]
            driver.get(url)
            wait(driver, "return document.body.dataset.ready === 'true' && document.querySelector('input[data-path]')")
            print(f"launch to usable page: {time.monotonic() - launched:.2f} s")
            for lang in ("fa", "en"):
                driver.get(f"{base}/?lang={lang}")
                wait(driver, "return document.body.dataset.ready === 'true'")
                field = driver.find_element(By.CSS_SELECTOR, 'input[data-path="payment.cash_share"]')
                field.send_keys(Keys.CONTROL, "a")
                field.send_keys("1.5", Keys.TAB)
                wait(driver, "return document.querySelector('[data-message-for=\"payment.cash_share\"]:not([hidden])')")
                full_page(driver, args.out / f"1_scenario_{lang}.png")
                driver.find_element(By.CSS_SELECTOR, 'input[data-path="payment.cash_share"]').send_keys(
                    Keys.CONTROL, "a"
                )
                driver.find_element(By.CSS_SELECTOR, 'input[data-path="payment.cash_share"]').send_keys("1", Keys.TAB)
                time.sleep(0.3)
                driver.find_element(By.CSS_SELECTOR, 'nav button[data-screen="headline"]').click()
                pressed = time.monotonic()
                driver.find_element(By.ID, "run").click()
                time.sleep(0.15)
                driver.save_screenshot(str(args.out / f"2_running_{lang}.png"))
                wait(driver, "return document.querySelector('table.headline')")
                print(f"[{lang}] run to headline ({args.paths} paths): {time.monotonic() - pressed:.2f} s")
                full_page(driver, args.out / f"2_headline_{lang}.png")
                driver.find_element(By.CSS_SELECTOR, 'nav button[data-screen="scenario"]').click()
                driver.find_element(By.CSS_SELECTOR, '[data-copy="1"]').click()
                time.sleep(0.3)
                field = driver.find_element(By.CSS_SELECTOR, 'input[data-path="tariff.base_price_rial_per_kwh"]')
                field.send_keys(Keys.CONTROL, "a")
                field.send_keys("30000", Keys.TAB)
                time.sleep(0.3)
                driver.find_element(By.CSS_SELECTOR, 'nav button[data-screen="compare"]').click()
                pressed = time.monotonic()
                driver.find_element(By.ID, "run-all").click()
                wait(driver, "return document.querySelector('table.compare')")
                print(f"[{lang}] two scenarios side by side: {time.monotonic() - pressed:.2f} s")
                full_page(driver, args.out / f"3_compare_{lang}.png")
                driver.find_element(By.CSS_SELECTOR, 'nav button[data-screen="downloads"]').click()
                driver.find_element(By.CSS_SELECTOR, '[data-make="scenario_file"]').click()
                wait(driver, "return document.querySelector('#files a')")
                pressed = time.monotonic()
                driver.find_element(By.CSS_SELECTOR, '[data-make="report"]').click()
                wait(driver, "return document.querySelectorAll('#files a').length >= 3", 300)
                print(f"[{lang}] report and workbook made in {time.monotonic() - pressed:.2f} s")
                full_page(driver, args.out / f"4_downloads_{lang}.png")
        finally:
            app.terminate()
            app.wait(timeout=10)
            driver.quit()
    return 0


if __name__ == "__main__":
    sys.exit(main())
