"""Who is calling: an account's root identity, a RAM user, or an assumed-role session."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class PrincipalType(StrEnum):
    ROOT = "Account"
    USER = "SubUser"
    ROLE = "AssumedRoleUser"


@dataclass(frozen=True)
class Principal:
    account_id: int
    type: PrincipalType
    access_key_id: str
    name: str = ""

    @property
    def is_root(self) -> bool:
        return self.type is PrincipalType.ROOT
