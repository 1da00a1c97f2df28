"""Names, formats and references of a world whose structure is valid: every problem at once.

Pure rules only (formats from ``imageshare.domain``, policy grammar from ``imageshare.auth``).
What depends on the database or on a product's counting rules (quotas, sites, sharing with
oneself, an id already taken) is left to the loader, which applies the services' own checks.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from imageshare.domain.ids import is_account_id
from imageshare.world.checks_ram import check_ram
from imageshare.world.checks_resources import check_ecd, check_ecs, check_swas
from imageshare.world.faults import check_fault
from imageshare.world.model import AccountSpec, KeySpec, ShareSpec, WorldSpec
from imageshare.world.problems import Lines, Path, Problem, render_path

# Labels name accounts, instances and desktops inside the file only.
LABEL = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$")
LABEL_RULE = "1-64 letters, digits, '_', '.' or '-', starting with a letter or digit"
# Fixed keys are hard-coded in other languages' tests, so any readable form is allowed; real
# ones are "LTAI" + 20 letters and digits, with a 30-character secret.
ACCESS_KEY_ID = re.compile(r"^[A-Za-z0-9]{16,64}$")
ACCESS_KEY_SECRET = re.compile(r"^[\x21-\x7e]{16,64}$")


class Report:
    """Collects problems for one file."""

    def __init__(self, lines: Lines) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def __call__(self, path: Path, message: str) -> None:
        self.problems.append(self.lines.problem(path, message))

    def unique(self, entries: Iterable[tuple[Path, str]], what: str) -> None:
        """Report every entry whose value an earlier entry already has."""
        seen: dict[str, Path] = {}
        for path, value in entries:
            first = seen.setdefault(value, path)
            if first != path:
                where = f"{render_path(first)}, line {self.lines.line(first)}"
                self(path, f'{what} "{value}" is already given ({where})')

    def label(self, path: Path, value: str) -> None:
        if not LABEL.match(value):
            self(path, f'"{value}" is not a valid name: use {LABEL_RULE}')


def check_world(spec: WorldSpec, lines: Lines) -> list[Problem]:
    """Every problem of a structurally valid world."""
    report = Report(lines)
    accounts = list(enumerate(spec.accounts))
    for i, account in accounts:
        path: Path = ("accounts", i)
        report.label((*path, "name"), account.name)
        if account.id is not None and not is_account_id(str(account.id)):
            report((*path, "id"), f"{account.id} is not an account id: 16 digits starting with 1")
        check_ram(account.ram, (*path, "ram"), report)
        check_swas(account.swas, (*path, "swas"), report)
        check_ecd(account.ecd, (*path, "ecd"), report)
        check_ecs(account.ecs, (*path, "ecs"), report)
    report.unique(((("accounts", i, "name"), a.name) for i, a in accounts), "account")
    ids = [(("accounts", i, "id"), str(a.id)) for i, a in accounts if a.id is not None]
    report.unique(ids, "account id")
    _check_keys(spec.accounts, report)
    _check_image_ids(spec.accounts, report)
    for i, share in enumerate(spec.shares):
        _check_share(spec.accounts, share, ("shares", i), report)
    labels = {account.name for account in spec.accounts}
    for i, rule in enumerate(spec.faults):
        check_fault(rule, labels, ("faults", i), report)
    return report.problems


def _all_keys(accounts: Sequence[AccountSpec]) -> list[tuple[Path, KeySpec]]:
    keys: list[tuple[Path, KeySpec]] = []
    for i, account in enumerate(accounts):
        root: Path = ("accounts", i, "access_keys")
        keys += [((*root, k), key) for k, key in enumerate(account.access_keys or [])]
        for u, user in enumerate(account.ram.users):
            held: Path = ("accounts", i, "ram", "users", u, "access_keys")
            keys += [((*held, k), key) for k, key in enumerate(user.access_keys)]
    return keys


def _check_keys(accounts: Sequence[AccountSpec], report: Report) -> None:
    """Key ids are unique in the whole file (they are in the whole database)."""
    keys = _all_keys(accounts)
    for path, key in keys:
        if not ACCESS_KEY_ID.match(key.id):
            report((*path, "id"), "an access key id is 16-64 letters and digits")
        if not ACCESS_KEY_SECRET.match(key.secret):
            report((*path, "secret"), "a secret is 16-64 printable ASCII characters, no spaces")
    report.unique((((*path, "id"), key.id) for path, key in keys), "access key id")


def _check_image_ids(accounts: Sequence[AccountSpec], report: Report) -> None:
    """Fixed image ids are unique across products: every image is in one table."""
    fixed: list[tuple[Path, str]] = [
        (("accounts", i, product, "images", n, "id"), image_id)
        for i, account in enumerate(accounts)
        for product, n, image_id in account.fixed_image_ids()
    ]
    report.unique(fixed, "image id")


def _check_share(
    accounts: Sequence[AccountSpec], share: ShareSpec, path: Path, report: Report
) -> None:
    by_label = {account.name: account for account in accounts}
    field, reference = share.image()
    owner_label, _, image_name = str(reference).partition("/")
    owner = by_label.get(owner_label)
    if not image_name or owner is None:
        why = "no such account" if image_name else 'write "<account name>/<image name>"'
        report((*path, field), f'"{reference}" names no image in this file: {why}')
    elif image_name not in _image_names(owner, field):
        product = {"swas_image": "SWAS", "ecd_image": "ECD", "ecs_image": "ECS"}[field]
        report(
            (*path, field), f'account "{owner_label}" declares no {product} image "{image_name}"'
        )
    for n, recipient in enumerate(share.accounts):
        if recipient not in by_label and not is_account_id(recipient):
            message = "neither an account name of this file nor a 16-digit account id"
            report((*path, "accounts", n), f'"{recipient}" is {message}')
    report.unique((((*path, "accounts", n), r) for n, r in enumerate(share.accounts)), "account")


def _image_names(account: AccountSpec, field: str) -> set[str]:
    by_field = {
        "swas_image": [image.name for image in account.swas.images],
        "ecd_image": [image.name for image in account.ecd.images],
        "ecs_image": [image.name for image in account.ecs.images],
    }
    return set(by_field[field])
