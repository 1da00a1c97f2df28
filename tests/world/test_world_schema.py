"""Reading world files (pure): every problem of an invalid one is reported with its exact line
and path, all at once (valid files, read_world, policy documents and paths:
test_world_reading)."""

from __future__ import annotations

from textwrap import dedent

import pytest
from hypothesis import given
from hypothesis import strategies as st

from imageshare.world import WorldInvalid, parse_world
from imageshare.world.problems import render_path

# (case, file text, [(line, path, words the message must contain)]): every problem expected.
INVALID: list[tuple[str, str, list[tuple[int, str, str]]]] = [
    ("yaml syntax", "version: 1\naccounts:\n  - name: [a\n", [(4, "", "YAML syntax error")]),
    ("unclosed bracket", "version: 1\naccounts: [x\n", [(3, "", "on line 2")]),
    ("empty file", "", [(1, "", "the file is empty")]),
    ("not a mapping", "- version: 1\n", [(1, "", "a world file is a mapping")]),
    ("two documents", "version: 1\n---\nversion: 1\n", [(2, "", "YAML syntax error")]),
    ("missing version", "accounts: []\n", [(1, "", '"version" is required')]),
    ("unsupported version", "version: 2\n", [(1, "version", "version 2 is not supported")]),
    ("repeated key", "version: 1\nversion: 1\n", [(2, "version", "first on line 1")]),
    ("merge key", "version: 1\nbase: &b {x: 1}\nother:\n  <<: *b\n", [(4, "other", "merge")]),
    ("number as key", "version: 1\n7: x\n", [(2, "", "field names must be text")]),
    ("unknown tag", "version: !nope 1\n", [(1, "version", "could not determine a constructor")]),
    ("bad binary key", "version: 1\n? !!binary xyz\n: 1\n", [(2, "", "base64")]),
    (
        "misspelt field, with a hint",
        """\
        version: 1
        accounts:
          - name: alice
            acces_keys: []
        """,
        [(4, "accounts[0].acces_keys", 'did you mean "access_keys"?')],
    ),
    (
        "unknown field, with the fields allowed there",
        """\
        version: 1
        accounts:
          - name: alice
            swas:
              zzz: 1
        """,
        [(5, "accounts[0].swas.zzz", "fields here: instances, images")],
    ),
    (
        "missing name, reported at its entry",
        """\
        version: 1
        accounts:
          - name: alice
          - site: china
        """,
        [(4, "accounts[1]", '"name" is required')],
    ),
    (
        "wrong types and choices",
        """\
        version: 1
        accounts:
          - name: alice
            site: mars
            id: twelve
            ram: []
        """,
        [
            (4, "accounts[0].site", "'china' or 'international'"),
            (5, "accounts[0].id", "valid integer"),
            (6, "accounts[0].ram", "expected a mapping"),
        ],
    ),
    (
        "share needs exactly one image",
        """\
        version: 1
        shares:
          - accounts: [bob]
          - swas_image: a/b
            ecd_image: a/c
            accounts: [bob]
          - swas_image: a/b
            accounts: []
        """,
        [
            (3, "shares[0]", 'exactly one of "swas_image", "ecd_image" and "ecs_image"'),
            (4, "shares[1]", 'exactly one of "swas_image", "ecd_image" and "ecs_image"'),
            (8, "shares[2].accounts", "at least 1 item"),
        ],
    ),
    (
        "accounts: labels, ids and keys",
        """\
        version: 1
        accounts:
          - name: alice
            id: 123
            access_keys:
              - id: short
                secret: has spaces in it, sixteen+
              - id: LTAIsame00000000000000001
                secret: a-good-secret-000000000001
          - name: alice
            id: 1000000000000001
            access_keys:
              - id: LTAIsame00000000000000001
                secret: a-good-secret-000000000002
          - name: -dash
            id: 1000000000000001
        """,
        [
            (4, "accounts[0].id", "16 digits starting with 1"),
            (6, "accounts[0].access_keys[0].id", "16-64 letters and digits"),
            (7, "accounts[0].access_keys[0].secret", "no spaces"),
            (10, "accounts[1].name", 'account "alice" is already given (accounts[0].name, line 3)'),
            (13, "accounts[1].access_keys[0].id", 'access key id "LTAIsame00000000000000001"'),
            (15, "accounts[2].name", '"-dash" is not a valid name'),
            (16, "accounts[2].id", "already given (accounts[1].id, line 11)"),
        ],
    ),
    (
        "RAM: names, documents and policies meant",
        """\
        version: 1
        accounts:
          - name: alice
            ram:
              policies:
                - name: ReadOnlyAccess
                  document: '{"Version": "1", "Statement": []}'
                - name: bad_name
                  document: 5
              users:
                - name: bot
                  policies: [AdministratorAcess, Nothing, ReadOnlyAccess, ReadOnlyAccess]
                  access_keys:
                    - {id: LTAIbotkey00000000000001, secret: bot-secret-00000000000001}
                    - {id: LTAIbotkey00000000000002, secret: bot-secret-00000000000002}
                    - {id: LTAIbotkey00000000000003, secret: bot-secret-00000000000003}
                - name: "two words"
              groups:
                - name: g
                  users: [nobody]
              roles:
                - name: Builder
                  trust_policy: {Version: "1", Statement: [{Effect: Maybe}]}
                  max_session_duration: 60
                - name: builder
                  trust_policy: 7
        """,
        [
            (6, "accounts[0].ram.policies[0].name", "is a system policy's name"),
            (7, "accounts[0].ram.policies[0].document", "non-empty list of statements"),
            (8, "accounts[0].ram.policies[1].name", "letters, digits or '-'"),
            (9, "accounts[0].ram.policies[1].document", "a mapping (YAML) or its JSON text"),
            (12, "accounts[0].ram.users[0].policies[0]", 'did you mean "AdministratorAccess"?'),
            (12, "accounts[0].ram.users[0].policies[1]", 'unknown policy "Nothing"'),
            (12, "accounts[0].ram.users[0].policies[3]", "already given"),
            (13, "accounts[0].ram.users[0].access_keys", "at most 2 access keys"),
            (17, "accounts[0].ram.users[1].name", '"two words" is not a valid name'),
            (20, "accounts[0].ram.groups[0].users[0]", 'no user "nobody"'),
            (23, "accounts[0].ram.roles[0].trust_policy", "not a valid policy document"),
            (24, "accounts[0].ram.roles[0].max_session_duration", "3600 to 43200"),
            (25, "accounts[0].ram.roles[1].name", "(ignoring case)"),
            (26, "accounts[0].ram.roles[1].trust_policy", "a mapping (YAML) or its JSON text"),
        ],
    ),
    (
        "SWAS and ECD: regions, catalogue, names, ids, sources",
        """\
        version: 1
        accounts:
          - name: alice
            swas:
              instances:
                - {name: web, region: eu-nowhere, plan: big, image: ubuntu}
                - {name: web, region: cn-hangzhou}
              images:
                - {name: _bad, instance: web, id: m-short}
                - {name: good, instance: gone}
                - {name: good, instance: web}
            ecd:
              desktops:
                - {name: d, region: cn-qingdao, os_type: BeOS, id: ecd-x}
              images:
                - {name: 9lives, desktop: d, description: x}
                - {name: ok-name, desktop: nowhere, id: m-abcdefghijklmnopqrst}
        """,
        [
            (
                6,
                "accounts[0].swas.instances[0].region",
                'SWAS is not offered in region "eu-nowhere"',
            ),
            (6, "accounts[0].swas.instances[0].plan", 'no SWAS plan "big"'),
            (6, "accounts[0].swas.instances[0].image", 'no public image "ubuntu"'),
            (7, "accounts[0].swas.instances[1].name", 'instance "web" is already given'),
            (9, "accounts[0].swas.images[0].name", "not a valid SWAS image name"),
            (9, "accounts[0].swas.images[0].id", '"m-" and 20 lower-case'),
            (10, "accounts[0].swas.images[1].instance", 'no instance "gone"'),
            (11, "accounts[0].swas.images[2].name", 'SWAS image "good" is already given'),
            (14, "accounts[0].ecd.desktops[0].region", 'ECD is not offered in region "cn-qingdao"'),
            (14, "accounts[0].ecd.desktops[0].os_type", "Windows, Linux"),
            (14, "accounts[0].ecd.desktops[0].id", '"ecd-" and 17 lower-case'),
            (16, "accounts[0].ecd.images[0].name", "not a valid ECD image name"),
            (16, "accounts[0].ecd.images[0].description", "2-256 characters"),
            (17, "accounts[0].ecd.images[1].desktop", 'no desktop "nowhere"'),
            (17, "accounts[0].ecd.images[1].id", '"m-" and 17 lower-case'),
        ],
    ),
    (
        "shares: references and recipients",
        """\
        version: 1
        accounts:
          - name: alice
            swas:
              instances: [{name: web, region: cn-hangzhou}]
              images:
                - {name: golden, instance: web, id: m-aaaaaaaaaaaaaaaaaaaa}
                - {name: golden-2, instance: web, id: m-aaaaaaaaaaaaaaaaaaaa}
        shares:
          - swas_image: golden
            accounts: [zed]
          - swas_image: alice/missing
            accounts: [1000000000000001, 1000000000000001]
          - ecd_image: alice/golden
            accounts: ["99"]
        """,
        [
            (8, "accounts[0].swas.images[1].id", 'image id "m-aaaaaaaaaaaaaaaaaaaa"'),
            (10, "shares[0].swas_image", 'write "<account name>/<image name>"'),
            (11, "shares[0].accounts[0]", '"zed" is neither an account name'),
            (12, "shares[1].swas_image", 'declares no SWAS image "missing"'),
            (13, "shares[1].accounts[1]", "already given"),
            (14, "shares[2].ecd_image", 'declares no ECD image "golden"'),
            (15, "shares[2].accounts[0]", '"99" is neither'),
        ],
    ),
]


@pytest.mark.parametrize(
    ("text", "expected"), [(dedent(t), e) for _, t, e in INVALID], ids=[c for c, _, _ in INVALID]
)
def test_every_problem_is_reported_with_its_line(
    text: str, expected: list[tuple[int, str, str]]
) -> None:
    with pytest.raises(WorldInvalid) as info:
        parse_world(text, "world.yaml")
    found = [(p.line, render_path(p.path), p.message) for p in info.value.problems]
    assert [(line, path) for line, path, _ in found] == [(line, path) for line, path, _ in expected]
    for (_, _, message), (_, _, words) in zip(found, expected, strict=True):
        assert words in message
    first = info.value.problems[0]
    where = f"{render_path(first.path)}: " if first.path else ""
    assert str(info.value).splitlines()[0] == f"world.yaml:{first.line}: {where}{first.message}"


_ACCOUNT = "  - name: account{n}\n    site: china\n"


@given(
    count=st.integers(min_value=1, max_value=8),
    data=st.data(),
    padding=st.lists(st.sampled_from(["", "# a comment", "   "]), max_size=5),
)
def test_a_misspelt_field_is_reported_wherever_it_is(
    count: int, data: st.DataObject, padding: list[str]
) -> None:
    """Whatever the accounts, comments and blank lines before it, the line is the field's."""
    bad = data.draw(st.integers(min_value=0, max_value=count - 1), label="bad account")
    lines = ["version: 1", *padding, "accounts:"]
    for n in range(count):
        lines += _ACCOUNT.format(n=n).splitlines()
        if n == bad:
            lines.append("    stie: international")
    with pytest.raises(WorldInvalid) as info:
        parse_world("\n".join(lines) + "\n")
    (problem,) = info.value.problems
    assert problem.line == lines.index("    stie: international") + 1
    assert problem.path == ("accounts", bad, "stie")
    assert 'did you mean "site"?' in problem.message
