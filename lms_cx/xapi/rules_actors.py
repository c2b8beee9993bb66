"""The Agent and Group rules of xAPI 1.0.3 (part two, 2.4.2): IFIs, mbox, groups, authority.

Part of the hand-written rules (``lms_cx.xapi.rules``); failures raise ``RuleError`` with the
path of the offending property.
"""

from __future__ import annotations

from typing import Any

from lms_cx.xapi import formats
from lms_cx.xapi.agents import IFI_PROPERTIES
from lms_cx.xapi.rule_base import _fail, _iri, _object, _string

AGENT_KEYS = frozenset({"objectType", "name", *IFI_PROPERTIES})
GROUP_KEYS = AGENT_KEYS | {"member"}


def check_agent(value: Any, path: list[str | int], *, object_type_required: bool = False) -> None:
    """Check an Agent: optional objectType ``Agent``, exactly one IFI (2.4.2.1)."""
    agent = _object(value, path, AGENT_KEYS)
    if "objectType" in agent and agent["objectType"] != "Agent":
        _fail([*path, "objectType"], "must be 'Agent'")
    if object_type_required and "objectType" not in agent:
        _fail([*path, "objectType"], "is required when an Agent is the object")
    if "name" in agent:
        _string(agent["name"], [*path, "name"])
    ifis = [prop for prop in IFI_PROPERTIES if prop in agent]
    if len(ifis) != 1:
        _fail(path, f"an Agent needs exactly one inverse functional identifier, found {len(ifis)}")
    _check_ifi(agent, ifis[0], path)


def _check_ifi(agent: dict, prop: str, path: list[str | int]) -> None:
    value = agent[prop]
    where = [*path, prop]
    if prop == "mbox":
        if not isinstance(value, str) or not formats.MBOX_PATTERN.match(value):
            _fail(where, "must be a mailto IRI, e.g. mailto:learner@example.com")
    elif prop == "mbox_sha1sum":
        if not isinstance(value, str) or not formats.SHA1_PATTERN.match(value):
            _fail(where, "must be the 40 hex digits of a SHA-1 hash")
    elif prop == "openid":
        _iri(value, where)
    else:
        account = _object(value, where, frozenset({"homePage", "name"}))
        for key in ("homePage", "name"):
            if key not in account:
                _fail([*where, key], "is required")
        _iri(account["homePage"], [*where, "homePage"])
        _string(account["name"], [*where, "name"])


def check_group(value: Any, path: list[str | int]) -> None:
    """Check a Group: Anonymous (members, no IFI) or Identified (one IFI) (2.4.2.2)."""
    group = _object(value, path, GROUP_KEYS)
    if group.get("objectType") != "Group":
        _fail([*path, "objectType"], "must be 'Group'")
    if "name" in group:
        _string(group["name"], [*path, "name"])
    ifis = [prop for prop in IFI_PROPERTIES if prop in group]
    if len(ifis) > 1:
        _fail(path, f"a Group has at most one inverse functional identifier, found {len(ifis)}")
    if ifis:
        _check_ifi(group, ifis[0], path)
    elif "member" not in group:
        _fail([*path, "member"], "is required in an Anonymous Group")
    if "member" in group:
        if not isinstance(group["member"], list):
            _fail([*path, "member"], "must be an array of Agents")
        for index, member in enumerate(group["member"]):
            if isinstance(member, dict) and member.get("objectType") == "Group":
                _fail([*path, "member", index], "a Group must not contain Groups")
            check_agent(member, [*path, "member", index])


def check_actor(value: Any, path: list[str | int]) -> None:
    """Check an Agent or a Group."""
    if isinstance(value, dict) and value.get("objectType") == "Group":
        check_group(value, path)
    else:
        check_agent(value, path)


def check_authority(value: Any, path: list[str | int]) -> None:
    """Check an authority: an Agent, or an Anonymous Group of exactly two Agents (OAuth, 2.4.9)."""
    check_actor(value, path)
    if value.get("objectType") != "Group":
        return
    if any(prop in value for prop in IFI_PROPERTIES):
        _fail(path, "an authority Group must be anonymous (its two Agents identify it)")
    if len(value.get("member") or []) != 2:
        _fail([*path, "member"], "an authority Group must have exactly two Agents")
