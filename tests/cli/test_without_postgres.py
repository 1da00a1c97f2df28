"""imageshare installed without the `postgres` extra (the default `pip install imageshare`):
every module imports and the CLI makes a SQLite database, with no PostgreSQL driver at all.
A module-level `import psycopg` once broke the installed wheel while the suite, which has the
driver, stayed green."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

# Runs in a fresh interpreter whose import system refuses psycopg, as a machine without it would.
_SCRIPT = """
import importlib, pkgutil, sys
from importlib.abc import MetaPathFinder

class NoPsycopg(MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "psycopg" or name.startswith(("psycopg.", "psycopg_")):
            raise ImportError(f"{name} is not installed (blocked by the test)")
        return None

sys.meta_path.insert(0, NoPsycopg())
import imageshare
for module in pkgutil.walk_packages(imageshare.__path__, "imageshare."):
    if ".migrations" not in module.name and module.name != "imageshare.__main__":
        importlib.import_module(module.name)
from imageshare.cli import cli
cli(["db", "upgrade", "--database", sys.argv[1]], standalone_mode=False)
cli(["accounts", "create", "--json", "--database", sys.argv[1]])
"""


def test_every_module_imports_and_the_cli_works_without_psycopg(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/imageshare.db"
    done = subprocess.run(
        [sys.executable, "-c", _SCRIPT, url], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    account = json.loads(done.stdout[done.stdout.index("{") :])
    assert str(account["AccountId"]).startswith("1")
    assert (tmp_path / "imageshare.db").exists()
