"""``imageshare env`` and ``imageshare profile``: an account's credentials where the default
credentials chain of the official SDKs looks for them (docs/credentials.md).

``env`` prints shell exports (the environment-variable provider); ``profile`` writes a profile
of the ``aliyun`` CLI's ``~/.aliyun/config.json`` (the CLI-profile provider) in mode AK,
StsToken or RamRoleArn. A role's session is issued as a trusted service issues one (the
platform, not the account's root, which may not assume roles): see
``imageshare.services.sts.issue_session``.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

import click

from imageshare.cli.common import admin_uow, database_option
from imageshare.domain import ram
from imageshare.domain.accounts import AccessKey
from imageshare.services import sts
from imageshare.store.uow import UnitOfWork

DEFAULT_REGION = "cn-hangzhou"
SESSION_NAME = "imageshare-cli"
MODES = ("AK", "StsToken", "RamRoleArn")


def active_key(uow: UnitOfWork, account_id: int, user: str | None = None) -> AccessKey:
    """The first active key of the account's root (or of its RAM user ``user``).

    :raises click.ClickException: no such account, or no such active key.
    """
    if uow.accounts.get(account_id) is None:
        raise click.ClickException(f"no account {account_id}: `imageshare accounts list`")
    for key in uow.access_keys.for_account(account_id):
        if key.active and key.user_name == user:
            return key
    if user is not None:
        raise click.ClickException(f"RAM user {user!r} of {account_id} has no active key")
    raise click.ClickException(
        f"account {account_id} has no active root key: "
        f"`imageshare keys create --account {account_id}`"
    )


def role_session(uow: UnitOfWork, account_id: int, role: str, duration: int) -> sts.Session:
    """:raises click.ClickException: no such role, or a duration it does not allow."""
    request = sts.SessionRequest(ram.role_arn(account_id, role), SESSION_NAME, duration)
    try:
        return sts.issue_session(uow, request, uow.clock.now())
    except Exception as error:  # a ServiceError: its message says what was wrong
        raise click.ClickException(str(error)) from None


account_option = click.option("--account", "account_id", type=int, required=True)
region_option = click.option("--region", default=DEFAULT_REGION, show_default=True)


@click.command("env")
@account_option
@click.option("--role", help="Print a session of this role of the account instead.")
@click.option(
    "--duration", type=int, default=ram.SESSION_DURATION_DEFAULT, show_default=True,
    help="Seconds the role session lasts.",
)  # fmt: skip
@region_option
@click.option(
    "--endpoint", default="127.0.0.1:8080", show_default=True, help="Where imageshare serves."
)
@database_option
def env(
    account_id: int,
    role: str | None,
    duration: int,
    region: str,
    endpoint: str,
    database_url: str,
) -> None:
    """Print shell exports of the account's root key (or a session of one of its roles):

    eval "$(imageshare env --account ID)"
    """
    with admin_uow(database_url) as uow:
        if role is None:
            key = active_key(uow, account_id)
            found = {"ID": key.id, "SECRET": key.secret, "TOKEN": None}
        else:
            token = role_session(uow, account_id, role, duration).token
            found = {"ID": token.access_key_id, "SECRET": token.secret, "TOKEN": token.token}
    exports = {
        "ALIBABA_CLOUD_ACCESS_KEY_ID": found["ID"],
        "ALIBABA_CLOUD_ACCESS_KEY_SECRET": found["SECRET"],
        "ALIBABA_CLOUD_SECURITY_TOKEN": found["TOKEN"],
        "ALIBABA_CLOUD_REGION_ID": region,
        # Read by no SDK: pass it as Config(endpoint=...), protocol "http" unless --tls.
        "IMAGESHARE_ENDPOINT": endpoint,
    }
    for name, value in exports.items():
        if value is None:
            click.echo(f"unset {name}")
        else:
            click.echo(f"export {name}={shlex.quote(value)}")


@click.command("profile")
@account_option
@click.option("--name", default="imageshare", show_default=True, help="The profile's name.")
@click.option(
    "--file",
    "path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path.home() / ".aliyun" / "config.json",
    show_default="~/.aliyun/config.json",
)
@click.option("--mode", type=click.Choice(MODES), default="AK", show_default=True)
@click.option("--role", help="The role (StsToken: its session; RamRoleArn: the one to assume).")
@click.option(
    "--user",
    help="Use this RAM user's key instead of the root's (RamRoleArn needs one: the root of an "
    "account may not assume roles).",
)
@region_option
@click.option("--current/--not-current", default=True, help="Make it the current profile.")
@database_option
def profile(
    account_id: int,
    name: str,
    path: Path,
    mode: str,
    role: str | None,
    user: str | None,
    region: str,
    current: bool,
    database_url: str,
) -> None:
    """Write (or replace) a profile for the account in the aliyun CLI's config file, which the
    credentials library's CLI-profile provider reads."""
    if mode != "AK" and role is None:
        raise click.BadParameter(f"mode {mode} needs --role", param_hint="--role")
    if mode == "RamRoleArn" and user is None:
        raise click.BadParameter("mode RamRoleArn needs --user", param_hint="--user")
    with admin_uow(database_url) as uow:
        entry = _profile_entry(uow, account_id, name, mode, (role, user), region)
    config = _read_config(path)
    config["profiles"] = [p for p in config["profiles"] if p.get("name") != name] + [entry]
    if current or not config.get("current"):
        config["current"] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)  # it holds secrets
    path.write_text(json.dumps(config, indent=2) + "\n")
    click.echo(f"wrote profile {name!r} ({mode}) for account {account_id} to {path}")


def _profile_entry(
    uow: UnitOfWork,
    account_id: int,
    name: str,
    mode: str,
    role_and_user: tuple[str | None, str | None],
    region: str,
) -> dict[str, Any]:
    role, user = role_and_user
    entry: dict[str, Any] = {"name": name, "mode": mode, "region_id": region}
    entry |= {"output_format": "json", "language": "en"}
    if mode == "StsToken" and role is not None:
        token = role_session(uow, account_id, role, ram.SESSION_DURATION_DEFAULT).token
        entry |= {"access_key_id": token.access_key_id, "access_key_secret": token.secret}
        entry["sts_token"] = token.token
        return entry
    key = active_key(uow, account_id, user)
    entry |= {"access_key_id": key.id, "access_key_secret": key.secret}
    if mode == "RamRoleArn" and role is not None:
        # The CLI-profile provider assumes it at sts.aliyuncs.com over HTTPS (docs/credentials.md).
        entry |= {"ram_role_arn": ram.role_arn(account_id, role), "ram_session_name": name}
        entry["expired_seconds"] = ram.SESSION_DURATION_DEFAULT
    return entry


def _read_config(path: Path) -> dict[str, Any]:
    """The file's document, or an empty one.

    :raises click.ClickException: it exists but is not an aliyun CLI config.
    """
    if not path.exists():
        return {"current": "", "profiles": [], "meta_path": ""}
    try:
        config = json.loads(path.read_text())
    except ValueError as error:
        raise click.ClickException(f"{path} is not JSON: {error}") from None
    if not isinstance(config, dict) or not isinstance(config.get("profiles", []), list):
        raise click.ClickException(f"{path} is not an aliyun CLI config (no profiles list)")
    config.setdefault("profiles", [])
    return config
