"""Agents and Groups: their inverse functional identifiers (xAPI 1.0.3, part two, 2.4.2).

An IFI is flattened into one string so that it fits an indexed column and compares by
equality: ``mbox:mailto:a@example.com``, ``mbox_sha1sum:<hex>``, ``openid:<uri>`` or
``account:<homePage>|<name>``. The domain of an e-mail address is case-insensitive
(2.4.2.3), so it is lower-cased.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

#: The four IFI properties, in the order they are looked for.
IFI_PROPERTIES = ("mbox", "mbox_sha1sum", "openid", "account")


def normalise_mbox(mbox: str) -> str:
    """Return ``mailto:local@domain`` with the domain lower-cased."""
    local, _, domain = mbox.partition("@")
    return f"{local}@{domain.lower()}" if domain else mbox


def agent_ifi(agent: dict[str, Any]) -> str | None:
    """Return the flattened IFI of an Agent or Identified Group, or None (Anonymous Group)."""
    if "mbox" in agent:
        return "mbox:" + normalise_mbox(str(agent["mbox"]))
    if "mbox_sha1sum" in agent:
        return "mbox_sha1sum:" + str(agent["mbox_sha1sum"]).lower()
    if "openid" in agent:
        return "openid:" + str(agent["openid"])
    account = agent.get("account")
    if isinstance(account, dict):
        return f"account:{account.get('homePage')}|{account.get('name')}"
    return None


def actor_key(actor: dict[str, Any]) -> str:
    """Return the IFI of an actor, or a stable key for an Anonymous Group.

    Anonymous Groups have no IFI; they are keyed by a hash of their members' IFIs so that
    the ``actor_ifi`` column is never empty (they are still distinct Groups to consumers).
    """
    ifi = agent_ifi(actor)
    if ifi is not None:
        return ifi
    members = sorted(agent_ifi(member) or "" for member in actor.get("member") or [])
    digest = hashlib.sha1(json.dumps(members).encode()).hexdigest()
    return f"group:{digest}"


def mbox_sha1sum(mbox: str) -> str:
    """Return the hex SHA-1 of a ``mailto:`` IRI, as ``mbox_sha1sum`` carries it."""
    return hashlib.sha1(normalise_mbox(mbox).encode()).hexdigest()


def person_ifis(agent: dict[str, Any]) -> list[str]:
    """Return every IFI an Agent is known by (its own, and its mbox's SHA-1 form)."""
    ifi = agent_ifi(agent)
    if ifi is None:
        return []
    if ifi.startswith("mbox:"):
        return [ifi, "mbox_sha1sum:" + mbox_sha1sum(agent["mbox"])]
    return [ifi]


def ids_only(agent: dict[str, Any]) -> dict[str, Any]:
    """Return an Agent or Group reduced to objectType and IFI (the ``ids`` format)."""
    reduced: dict[str, Any] = {}
    if "objectType" in agent:
        reduced["objectType"] = agent["objectType"]
    for prop in IFI_PROPERTIES:
        if prop in agent:
            reduced[prop] = agent[prop]
            break
    else:
        if "member" in agent:
            reduced["member"] = [ids_only(member) for member in agent["member"]]
    return reduced
