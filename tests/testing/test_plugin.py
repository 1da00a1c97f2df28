"""The pytest plugin as a user meets it: a separate pytest run (pytester, in a subprocess) of
test files that only use the ``imageshare`` and ``imageshare_server`` fixtures."""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def user_pytest(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    # Load the plugin by module, as the pytest11 entry point does, and nothing else from the
    # environment, so the run is the same before and after the entry point is installed.
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    for name in ("IMAGESHARE_DATABASE_URL", "IMAGESHARE_ADMIN_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    return pytester


def run(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    return pytester.runpytest_subprocess("-p", "imageshare.testing.plugin", "-q", *args)


CLEAN_STATE = """
from alibabacloud_swas_open20200601 import models
from Tea.exceptions import TeaException
import pytest

SEEN = {}


def test_first_builds_a_world(imageshare, imageshare_server):
    alice, bob = imageshare.account(), imageshare.account(site="international")
    image = imageshare.swas_image(alice, name="golden")
    listed = imageshare.swas(alice).list_custom_images(
        models.ListCustomImagesRequest(region_id="cn-hangzhou")
    ).body.custom_images
    assert [(i.image_id, i.name) for i in listed] == [(image.id, "golden")]
    assert bob.site == "international" and str(bob.id).startswith("1")
    SEEN.update(alice=alice, endpoint=imageshare_server.endpoint)


def test_second_starts_from_nothing_on_the_same_server(imageshare, imageshare_server):
    assert imageshare_server.endpoint == SEEN["endpoint"] == imageshare.endpoint
    with pytest.raises(TeaException) as info:
        imageshare.swas(SEEN["alice"]).list_regions(models.ListRegionsRequest())
    assert info.value.code == "InvalidAccessKeyId.NotFound"
    tables = imageshare_server.export()["tables"]
    assert all(rows == [] for rows in tables.values())
"""


def test_each_test_gets_a_clean_state_on_one_session_server(user_pytest: pytest.Pytester) -> None:
    user_pytest.makepyfile(test_user=CLEAN_STATE)
    run(user_pytest).assert_outcomes(passed=2)


CLIENTS = """
import json
from alibabacloud_ecd20200930 import models as ecd
from alibabacloud_ecs20140526 import models as ecs
from alibabacloud_swas_open20200601 import models as swas
from aliyunsdkswas_open.request.v20200601.ListRegionsRequest import ListRegionsRequest


def test_every_client_reaches_the_server(imageshare):
    who = imageshare.account()
    assert imageshare.swas(who).list_regions(swas.ListRegionsRequest()).body.regions
    request = ecd.DescribeRegionsRequest(region_id="cn-hangzhou")
    assert imageshare.ecd(who).describe_regions(request).body.regions
    request = ecs.DescribeRegionsRequest()
    assert imageshare.ecs(who).describe_regions(request).body.regions
    body = json.loads(imageshare.old(who).do_action_with_exception(ListRegionsRequest()))
    assert body["Regions"] and body["RequestId"]
    config = imageshare.config(who, region_id="cn-beijing")
    assert (config.endpoint, config.region_id, config.protocol) == (
        imageshare.endpoint, "cn-beijing", "http"
    )


def test_chosen_account_ids(imageshare):
    who = imageshare.account(id=1234567890123456)
    assert who.id == 1234567890123456 and who.key_id.startswith("LTAI")
"""


def test_the_world_hands_out_working_official_clients(user_pytest: pytest.Pytester) -> None:
    user_pytest.makepyfile(test_clients=CLIENTS)
    run(user_pytest).assert_outcomes(passed=2)


DATABASE = """
def test_uses_the_chosen_database(imageshare, imageshare_server):
    imageshare.account()
    assert imageshare_server.store.engine.url.database.endswith("{name}")
"""


def test_the_database_comes_from_the_option_or_the_ini_file(
    user_pytest: pytest.Pytester, tmp_path: Path
) -> None:
    chosen = tmp_path / "option.db"
    user_pytest.makepyfile(test_db=DATABASE.format(name="option.db"))
    run(user_pytest, f"--imageshare-database=sqlite:///{chosen}").assert_outcomes(passed=1)
    assert chosen.exists()
    from_ini = tmp_path / "ini.db"
    user_pytest.makeini(f"[pytest]\nimageshare_database = sqlite:///{from_ini}\n")
    user_pytest.makepyfile(test_db=DATABASE.format(name="ini.db"))
    run(user_pytest).assert_outcomes(passed=1)
    assert from_ini.exists()


def test_the_options_are_in_help(user_pytest: pytest.Pytester) -> None:
    result = run(user_pytest, "--help")
    result.stdout.fnmatch_lines(["*imageshare*", "*--imageshare-database=URL*"])


def test_importing_the_plugin_loads_nothing_heavy() -> None:
    # pytest loads the plugin in every run wherever imageshare is installed.
    probe = (
        "import sys, imageshare.testing.plugin\n"
        "heavy = ('sqlalchemy', 'uvicorn', 'alembic', 'pydantic', 'alibabacloud_tea_openapi',"
        " 'aliyunsdkcore', 'Tea')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_pyproject_registers_the_plugin_entry_point() -> None:
    # What makes `pip install imageshare` enough: pytest finds the plugin by this entry point.
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    entry_points = project.get("entry-points", {}).get("pytest11", {})
    assert entry_points.get("imageshare") == "imageshare.testing.plugin"


def test_installed_the_plugin_needs_no_flag(pytester: pytest.Pytester) -> None:
    # The user's path: `pip install imageshare`, then plain `pytest` finds the fixtures.
    pytester.makepyfile(
        test_plain="def test_fixture_is_there(imageshare):\n    assert imageshare.account().id\n"
    )
    pytester.runpytest_subprocess("-q").assert_outcomes(passed=1)


FAILING = """
from alibabacloud_swas_open20200601 import models


def test_passes(imageshare):
    imageshare.swas(imageshare.account()).list_regions(models.ListRegionsRequest())


def test_fails_after_a_call(imageshare):
    request = models.ListCustomImagesRequest(region_id="cn-hangzhou")
    imageshare.swas(imageshare.account()).list_custom_images(request)
    assert False, "the user's own assertion"
"""


def test_a_failed_test_reports_the_servers_request_lines(user_pytest: pytest.Pytester) -> None:
    user_pytest.makepyfile(test_user=FAILING)
    result = run(user_pytest)
    result.assert_outcomes(passed=1, failed=1)
    output = result.stdout.str()
    assert "imageshare requests" in output
    (section,) = re.findall(r"-+ imageshare requests -+\n(.*?)\n(?:=|_)", output, re.DOTALL)
    lines = section.splitlines()
    # Only this test's calls: the passing test's ListRegions is not there.
    assert all(" action=" in line for line in lines) and len(lines) >= 1
    assert any(" action=ListCustomImages " in line for line in lines)
    assert not any(" action=ListRegions " in line for line in lines)
