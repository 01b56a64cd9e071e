"""Install what the tests use when it is missing, so that no test is skipped on a fresh machine:

- Debian's ``chromium`` and ``chromium-driver`` (the site tests open pages in a real browser), and
  ``nodejs`` and ``npm`` when there is no ``node``;
- for every ``tests/npm/<name>/package.json``, its npm packages (``npm ci`` from the lock file into
  that folder's ``node_modules``): engines of other families than ours, tools run in the browser.

Run by the README's test command before pytest. Does nothing for what is already there; installs
Debian packages as root with apt-get; anywhere else it says what to install and exits 1.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

NPM_DIR = Path(__file__).resolve().parent / "npm"
# command on PATH -> the Debian package that provides it
DEBIAN = {"chromium": "chromium", "chromedriver": "chromium-driver", "node": "nodejs", "npm": "npm"}


def missing_commands() -> list[str]:
    return [command for command in DEBIAN if not shutil.which(command)]


def npm_folders() -> list[Path]:
    """Return the folders whose npm packages are not installed as their lock file says."""
    return [p.parent for p in sorted(NPM_DIR.glob("*/package.json"))
            if not (p.parent / "node_modules" / ".package-lock.json").is_file()
            or (p.parent / "package-lock.json").stat().st_mtime_ns
            > (p.parent / "node_modules" / ".package-lock.json").stat().st_mtime_ns]


def how(packages: list[str]) -> str:
    return f"as root: apt-get update && apt-get install -y {' '.join(packages)}"


def install_debian(packages: list[str]) -> bool:
    """Install *packages* with apt-get; False (saying how) where that cannot be done here."""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        print(f"install_tools: missing {', '.join(packages)}; {how(packages)}", file=sys.stderr)
        return False
    print("install_tools: installing " + " ".join(packages) + " (apt-get)", file=sys.stderr)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", *packages], check=True, env=env)
    return True


def main() -> int:
    commands = missing_commands()
    if commands:
        if not install_debian(sorted({DEBIAN[c] for c in commands})):
            return 1
        if missing_commands():
            print(f"install_tools: still missing after apt-get: {', '.join(missing_commands())}", file=sys.stderr)
            return 1
    for folder in npm_folders():
        print(f"install_tools: npm ci in {folder}", file=sys.stderr)
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=folder, check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
