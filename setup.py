"""Package layout only (the metadata is in pyproject.toml): the top-level folders install under meakg.

pyproject.toml cannot map a folder to another package name *and* find its sub-packages, so this
does both: every package below ontology/, loaders/, queries/ and graph/ is found, and a new
loader kind needs no line here.
"""

from setuptools import find_packages, setup

FOLDERS = {"meakg": "meakg", "meakg.ontology": "ontology", "meakg.loaders": "loaders",
           "meakg.queries": "queries", "meakg.graph": "graph"}

setup(
    package_dir=FOLDERS,
    packages=[*FOLDERS, *(f"{name}.{sub}" for name, folder in FOLDERS.items() if name != "meakg"
                          for sub in find_packages(folder))],
)
