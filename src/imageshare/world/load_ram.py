"""One account's RAM entries, through the RAM services: custom policies first (users, groups
and roles attach them), then users with their keys, groups with their members, roles."""

from __future__ import annotations

from imageshare.domain.accounts import AccessKey
from imageshare.domain.ram import Holder
from imageshare.services import ram_identities, ram_policies, ram_roles
from imageshare.world.checks_ram import document_text, policy_type
from imageshare.world.loading import LoadedKey, Loading
from imageshare.world.model import RamSpec, UserSpec
from imageshare.world.problems import Path


def load_ram(loading: Loading, spec: RamSpec, account_id: int, path: Path) -> list[LoadedKey]:
    """Create the account's RAM entries; returns the RAM users' access keys.

    :raises WorldRefused: a RAM rule refused an entry.
    """
    uow, counts = loading.uow, loading.result.counts
    for i, policy in enumerate(spec.policies):
        with loading.at((*path, "policies", i)):
            text = str(document_text(policy.document))
            ram_policies.create_policy(
                uow, account_id, policy.name, text, policy.description, loading.clock.now()
            )
        counts["custom policies"] += 1
    keys: list[LoadedKey] = []
    for i, user in enumerate(spec.users):
        keys += _load_user(loading, spec, account_id, user, (*path, "users", i))
    _load_groups(loading, spec, account_id, path)
    _load_roles(loading, spec, account_id, path)
    return keys


def _load_user(
    loading: Loading, spec: RamSpec, account_id: int, user: UserSpec, path: Path
) -> list[LoadedKey]:
    uow = loading.uow
    with loading.at(path):
        profile = ram_identities.UserProfile(user.display_name, user.comments)
        made = ram_identities.create_user(uow, account_id, user.name, profile, loading.clock.now())
    keys = []
    for k, fixed in enumerate(user.access_keys):
        with loading.at((*path, "access_keys", k)):
            now = loading.clock.now()
            # The service applies the per-user limit and makes a key; the file's fixed id and
            # secret then take the made key's place.
            made_key = ram_identities.create_access_key(uow, account_id, user.name, now)
            uow.access_keys.delete(made_key.id)
            key = AccessKey(fixed.id, account_id, user.name, fixed.secret, "Active", now)
            uow.access_keys.add(key)
        keys.append(LoadedKey(fixed.id, fixed.secret, user.name))
    _attach(loading, spec, account_id, Holder("User", made.id), user.policies, path)
    loading.result.counts["RAM users"] += 1
    return keys


def _load_groups(loading: Loading, spec: RamSpec, account_id: int, path: Path) -> None:
    uow = loading.uow
    for i, group in enumerate(spec.groups):
        at: Path = (*path, "groups", i)
        with loading.at(at):
            made = ram_identities.create_group(
                uow, account_id, group.name, group.comments, loading.clock.now()
            )
        for n, member in enumerate(group.users):
            with loading.at((*at, "users", n)):
                ram_identities.add_user_to_group(
                    uow, account_id, group.name, member, loading.clock.now()
                )
        _attach(loading, spec, account_id, Holder("Group", made.id), group.policies, at)
        loading.result.counts["RAM groups"] += 1


def _load_roles(loading: Loading, spec: RamSpec, account_id: int, path: Path) -> None:
    for i, role in enumerate(spec.roles):
        at: Path = (*path, "roles", i)
        with loading.at(at):
            wanted = ram_roles.RoleSpec(
                role.name,
                str(document_text(role.trust_policy)),
                role.description,
                role.max_session_duration,
            )
            made = ram_roles.create_role(loading.uow, account_id, wanted, loading.clock.now())
        _attach(loading, spec, account_id, Holder("Role", made.id), role.policies, at)
        loading.result.counts["RAM roles"] += 1


def _attach(
    loading: Loading, spec: RamSpec, account_id: int, holder: Holder, names: list[str],
    path: Path,
) -> None:  # fmt: skip
    for n, name in enumerate(names):
        with loading.at((*path, "policies", n)):
            policy = (policy_type(spec, name), name)
            ram_policies.attach(loading.uow, account_id, holder, policy, loading.clock.now())
