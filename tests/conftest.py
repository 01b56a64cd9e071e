"""Fixtures the site's tests share (tests/test_site*.py): the site rendered once, Chromium started once.

The browser is Debian's ``chromium`` driven through ``chromedriver`` (Selenium); ``python
tests/install_tools.py`` installs both. Without them the tests that need one fail and say so.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from install_tools import DEBIAN, how  # noqa: E402


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The site of the current build, written once by the command a person runs."""
    out = tmp_path_factory.mktemp("site")
    done = subprocess.run([sys.executable, "-m", "meakg", "site", "--out", str(out)],
                          capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert re.fullmatch(rf"Wrote \d+ pages \(\d+ files\) to {re.escape(str(out))}; open .*index.html\n", done.stdout)
    return out


@pytest.fixture(scope="session")
def browser():
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    if not (chromium and driver):
        pytest.fail("the site tests need a headless browser and none was found: "
                    f"{how([DEBIAN['chromium'], DEBIAN['chromedriver']])} (or run: python tests/install_tools.py)",
                    pytrace=False)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1366,900"):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    session = webdriver.Chrome(service=Service(driver), options=options)
    session.set_window_size(1366, 900)
    yield session
    session.quit()
