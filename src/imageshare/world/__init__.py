"""World files: a declared state (accounts with fixed keys, RAM, SWAS and ECD images, shares)
read from YAML with every problem located by line, and loaded all-or-nothing.

    world = read_world(Path("world.yaml"))            # WorldInvalid: the file is wrong
    loaded = load_world(store, world, now=..., swas_share_limit=10)  # WorldRefused: a rule

The format: docs/world-files.md.
"""

from imageshare.world.load import load_world
from imageshare.world.loading import LoadedAccount, LoadedImage, LoadedKey, LoadedWorld
from imageshare.world.problems import Problem, WorldError, WorldInvalid, WorldRefused
from imageshare.world.schema import WorldFile, parse_world, read_world

__all__ = [
    "LoadedAccount",
    "LoadedImage",
    "LoadedKey",
    "LoadedWorld",
    "Problem",
    "WorldFile",
    "WorldError",
    "WorldInvalid",
    "WorldRefused",
    "load_world",
    "parse_world",
    "read_world",
]
