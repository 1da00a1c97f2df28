"""FileIdentity.problem() reads "no longer writable" from the mode bits as access(W_OK) would:
the owner's, the group's or everyone's write bit, whichever applies to the server's user;
root (holding CAP_DAC_OVERRIDE) writes whatever the mode says. The server test
(tests/integration/test_database_permissions.py) covers the real thing; this covers the table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from imageshare.store.health import FileIdentity

ROOT, OWNER, MEMBER, STRANGER = 0, 4242, 4343, 4444
GROUP = 5151

# (the server's uid, its groups, the file's mode, writable?)
CASES = [
    (OWNER, [], 0o644, True),
    (OWNER, [], 0o444, False),
    (OWNER, [], 0o464, False),  # the group's bit is not the owner's
    (MEMBER, [GROUP], 0o664, True),
    (MEMBER, [GROUP], 0o644, False),
    (MEMBER, [GROUP], 0o646, False),  # nor everyone's
    (STRANGER, [], 0o646, True),
    (STRANGER, [], 0o664, False),
    (ROOT, [], 0o444, True),
]


@pytest.mark.parametrize(("uid", "groups", "mode", "writable"), CASES)
def test_writability_follows_the_mode_bits(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    uid: int,
    groups: list[int],
    mode: int,
    writable: bool,
) -> None:
    if os.geteuid() != 0:
        pytest.skip("changing a file's owner needs root")
    database = tmp_path / "imageshare.db"
    database.write_bytes(b"")
    os.chown(database, OWNER, GROUP)
    database.chmod(mode)
    found = database.stat()
    identity = FileIdentity(database, found.st_dev, found.st_ino)
    monkeypatch.setattr(os, "geteuid", lambda: uid)
    monkeypatch.setattr(os, "getegid", lambda: groups[0] if groups else uid)
    monkeypatch.setattr(os, "getgroups", lambda: groups)
    tmp_path.chmod(0o777)  # the directory is everyone's to write: only the file is in question
    problem = identity.problem()
    if writable:
        assert problem is None
    else:
        assert problem is not None and "no longer writable" in problem


def test_a_deleted_file_is_named_before_its_mode(tmp_path: Path) -> None:
    database = tmp_path / "imageshare.db"
    database.write_bytes(b"")
    found = database.stat()
    identity = FileIdentity(database, found.st_dev, found.st_ino)
    database.unlink()
    assert "was deleted" in (identity.problem() or "")
