"""Install what the browser tests need when it is missing: Debian's chromium and chromium-driver.

Run by the README's test command before pytest. Does nothing when both are on PATH; otherwise,
as root on Debian/Ubuntu, runs ``apt-get update && apt-get install -y chromium chromium-driver``;
anywhere else it says what to install and exits 1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)
PACKAGES = ("chromium", "chromium-driver")
HOW = "install Chromium and its WebDriver: as root, 'apt-get update && apt-get install -y chromium chromium-driver'"


def found() -> tuple[str | None, str | None]:
    """Return the paths of the browser and its driver, None where missing."""
    browser = next((p for p in map(shutil.which, BROWSERS) if p), None)
    driver = next((p for p in map(shutil.which, DRIVERS) if p), None)
    return browser, driver


def main() -> int:
    browser, driver = found()
    if browser and driver:
        return 0
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"install_browser: Chromium or chromedriver is missing; {HOW}", file=sys.stderr)
        return 1
    print("install_browser: installing " + " ".join(PACKAGES) + " (apt-get)", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *PACKAGES], check=True, env=env)
    browser, driver = found()
    if not (browser and driver):
        print(f"install_browser: still missing after apt-get; {HOW}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
