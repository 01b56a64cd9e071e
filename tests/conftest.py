"""Fixtures the site's tests share (tests/test_site*.py): the site rendered once, Chromium started once, and the
site of a build with one more plan (headed by the Kunming-Montreal GBF) beside the bundled documents.

The browser is Debian's ``chromium`` driven through ``chromedriver`` (Selenium); ``python
tests/install_tools.py`` installs both. Without them the tests that need one fail and say so.
"""

from __future__ import annotations

import os
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


# The next plan: Migratory Species Targets aligned with GBF Targets (MS 3 is left without activity by the bundled
# plan, so a matrix per plan shows it empty there and served here). Its sources.yaml entry gives an official url.
NEXT_PLAN = ("Joint Work Plan for the CBD and CMS Secretariats for the period 2025-2027\n"
             "Migratory Species Targets\tKunming-Montreal GBF Targets\tActivity\n"
             "Target 3\tTarget 3\t Map the protected areas that migratory species use.\n"
             "\t\t Report on connectivity jointly.\n"
             "Target 7\tTarget 3 and Target 22\t Report on connectivity jointly (same as above).\n")
NEXT_PLAN_KEY = "cbd-cms-joint-work-plan-2025-2027"
NEXT_PLAN_URL = "https://www.example.org/documents/cbd-cms-joint-work-plan-2025-2027.pdf"


@pytest.fixture(scope="session")
def next_plan_site(tmp_path_factory) -> Path:
    """The site of a build from the bundled documents plus ``NEXT_PLAN`` (its own build directory)."""
    from meakg.graph.build.sources import BUNDLED_SOURCES

    root = tmp_path_factory.mktemp("next-plan")
    sources = root / "sources"
    shutil.copytree(BUNDLED_SOURCES, sources)
    (sources / f"{NEXT_PLAN_KEY}.txt").write_text(NEXT_PLAN, encoding="utf-8")
    with (sources / "sources.yaml").open("a", encoding="utf-8") as listing:
        listing.write(f"- file: {NEXT_PLAN_KEY}.txt\n  loader: joint-work-plan\n"
                      "  title: Joint Work Plan for the CBD and CMS Secretariats for the period 2025-2027\n"
                      f"  date: \"2025\"\n  publisher: CBD and CMS Secretariats\n  url: {NEXT_PLAN_URL}\n")
    env = {**os.environ, "MEAKG_BUILD_DIR": str(root / "build")}
    for command in (["build", "--quiet", "--sources", str(sources)], ["site", "--out", str(root / "site")]):
        done = subprocess.run([sys.executable, "-m", "meakg", *command], capture_output=True, text=True, env=env)
        assert done.returncode == 0, done.stderr
    return root / "site"


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
