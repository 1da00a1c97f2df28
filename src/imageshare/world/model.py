"""The shape of a world file (version 1), as pydantic models; docs/world-files.md shows one.

Only the structure is checked here (which fields, of which types, which are required); names,
formats and references between entries are ``imageshare.world.checks``'s. Field names are the
file's (snake_case); unknown fields are refused, so a misspelt one cannot be silently ignored.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, model_validator

from imageshare.domain import ram
from imageshare.domain.catalogue import LINUX_PLATFORM, SWAS_PUBLIC_IMAGES, SYSTEM_IMAGES
from imageshare.domain.swas_plans import PLANS

# What an instance runs when the file does not say: the first plan and Linux system image of
# the catalogue, the ones the official examples use.
DEFAULT_PLAN = PLANS[0].id
DEFAULT_SWAS_IMAGE = next(
    i.id for i in SWAS_PUBLIC_IMAGES if i.platform == LINUX_PLATFORM and i.type == "system"
)
DEFAULT_ECS_IMAGE = SYSTEM_IMAGES[0].id


def _number_as_text(value: Any) -> Any:
    # A share recipient is a label or an account id; YAML reads a bare id as a number.
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


Recipient = Annotated[str, BeforeValidator(_number_as_text)]


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class KeySpec(Entry):
    id: str
    secret: str


class PolicySpec(Entry):
    name: str
    # A mapping (written as YAML) or the JSON text of the document.
    document: Any
    description: str = ""


class UserSpec(Entry):
    name: str
    display_name: str = ""
    comments: str = ""
    policies: list[str] = []
    access_keys: list[KeySpec] = []


class GroupSpec(Entry):
    name: str
    comments: str = ""
    users: list[str] = []
    policies: list[str] = []


class RoleSpec(Entry):
    name: str
    trust_policy: Any
    description: str = ""
    max_session_duration: int = ram.SESSION_DURATION_DEFAULT
    policies: list[str] = []


class RamSpec(Entry):
    policies: list[PolicySpec] = []
    users: list[UserSpec] = []
    groups: list[GroupSpec] = []
    roles: list[RoleSpec] = []


class InstanceSpec(Entry):
    name: str  # a label for this file's references; the server names it swas-xxxxxxxx
    region: str
    plan: str = DEFAULT_PLAN
    image: str = DEFAULT_SWAS_IMAGE
    data_disk_size: int | None = None


class SwasImageSpec(Entry):
    name: str
    instance: str
    id: str | None = None
    description: str = ""
    share_to_ecs: bool = False


class SwasSpec(Entry):
    instances: list[InstanceSpec] = []
    images: list[SwasImageSpec] = []


class DesktopSpec(Entry):
    name: str  # a label for this file's references
    region: str
    id: str | None = None
    os_type: str = "Windows"
    encrypted: bool = False


class EcdImageSpec(Entry):
    name: str
    desktop: str
    id: str | None = None
    description: str = ""
    system_disk_only: bool = False


class EcdSpec(Entry):
    desktops: list[DesktopSpec] = []
    images: list[EcdImageSpec] = []


class EcsInstanceSpec(Entry):
    name: str  # a label for this file's references; the server names it i-xxxxxxxx
    region: str
    image: str = DEFAULT_ECS_IMAGE
    instance_type: str = "ecs.g7.large"


class EcsImageSpec(Entry):
    name: str
    instance: str
    id: str | None = None
    description: str = ""
    family: str | None = None


class EcsSpec(Entry):
    instances: list[EcsInstanceSpec] = []
    images: list[EcsImageSpec] = []


class AccountSpec(Entry):
    name: str  # a label for this file's references; accounts have no name on the wire
    id: int | None = None
    site: Literal["china", "international"] = "china"
    # None: one generated root key; [] : no root key at all.
    access_keys: list[KeySpec] | None = None
    ram: RamSpec = RamSpec()
    swas: SwasSpec = SwasSpec()
    ecd: EcdSpec = EcdSpec()
    ecs: EcsSpec = EcsSpec()

    def fixed_image_ids(self) -> list[tuple[str, int, str]]:
        """(product field, index in its images, id) of every image given a fixed id."""
        swas = [("swas", n, image.id) for n, image in enumerate(self.swas.images) if image.id]
        ecd = [("ecd", n, image.id) for n, image in enumerate(self.ecd.images) if image.id]
        ecs = [("ecs", n, image.id) for n, image in enumerate(self.ecs.images) if image.id]
        return swas + ecd + ecs


class ShareSpec(Entry):
    swas_image: str | None = None
    ecd_image: str | None = None
    ecs_image: str | None = None
    accounts: list[Recipient] = Field(min_length=1)

    @model_validator(mode="after")
    def _one_image(self) -> ShareSpec:
        given = [i for i in (self.swas_image, self.ecd_image, self.ecs_image) if i is not None]
        if len(given) != 1:
            raise ValueError('give exactly one of "swas_image", "ecd_image" and "ecs_image"')
        return self

    def image(self) -> tuple[str, str]:
        """(field, reference): the one image this share names."""
        named = (
            ("swas_image", self.swas_image),
            ("ecd_image", self.ecd_image),
            ("ecs_image", self.ecs_image),
        )
        for field, value in named:
            if value is not None:
                return field, str(value)
        raise AssertionError("a ShareSpec names one image")


class FaultRuleSpec(Entry):
    """A fault rule (docs/testing.md, "Faults"): the fields of ``world.faults.add``."""

    action: str
    error: str | None = None
    status: int | None = None
    message: str | None = None
    delay_ms: int | None = None
    timeout_ms: int | None = None
    fail_operation: bool = False
    account: Recipient | None = None  # an account name of this file, or an account id
    region: str | None = None
    count: int | None = None
    probability: float = 1.0
    seed: int = 0


class WorldSpec(Entry):
    version: Literal[1]
    accounts: list[AccountSpec] = []
    shares: list[ShareSpec] = []
    faults: list[FaultRuleSpec] = []


def fields_at(path: tuple[str | int, ...]) -> list[str]:
    """The field names the entry at ``path`` may have (none when ``path`` is no entry)."""
    model: type[BaseModel] | None = WorldSpec
    for part in path:
        if model is None:
            return []
        if isinstance(part, str):
            field = model.model_fields.get(part)
            model = _model_in(field.annotation) if field else None
    return list(model.model_fields) if model else []


def _model_in(annotation: Any) -> type[BaseModel] | None:
    """The entry model inside ``list[X]``, ``X | None`` or ``X`` itself."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for argument in get_args(annotation):
        found = _model_in(argument)
        if found is not None:
            return found
    return None
