"""LRS credentials: HTTP Basic key/secret pairs with xAPI scopes (xAPI 1.0.3, part three, 4).

Secrets are stored hashed (werkzeug's password hash). Checking such a hash is deliberately
slow, so a verified ``(key, secret)`` is remembered in this process against the stored hash.
The credential row itself is kept for ``LMS_CX_XAPI_CREDENTIAL_CACHE_SECONDS`` (one second by
default; 0 reads it on every request) in a ``CredentialCache`` per app: revoking a credential
in this process drops it at once, and another process (the ``revoke`` command) is heard from
within that time.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass, field
from typing import Any

import sqlalchemy as sa
from flask import current_app, has_app_context
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from lms_cx.db import utcnow
from lms_cx.errors import ValidationError
from lms_cx.models.xapi import LrsCredential

#: The scopes of part three, 4.2, plus ``all/read``.
SCOPES = (
    "statements/write",
    "statements/read",
    "statements/read/mine",
    "state",
    "define",
    "profile",
    "all/read",
    "all",
)

#: What each kind of request needs: any one of the listed scopes.
NEEDS = {
    "statements/write": {"statements/write", "all"},
    "statements/read": {"statements/read", "statements/read/mine", "all/read", "all"},
    "state": {"state", "all"},
    "state/read": {"state", "all/read", "all"},
    "profile": {"profile", "all"},
    "profile/read": {"profile", "all/read", "all"},
    "define/read": set(SCOPES),
}

_verified: dict[tuple[str, str], str] = {}
_CREDENTIALS = LrsCredential.__table__
_CREDENTIAL_BY_KEY = sa.select(_CREDENTIALS).where(_CREDENTIALS.c.key == sa.bindparam("key"))
#: Where each app keeps its ``CredentialCache`` (``app.extensions``).
CACHE_EXTENSION = "lms_cx_xapi_credentials"


@dataclass(frozen=True)
class Caller:
    """Who is calling the LRS: the credential's id, scopes and the authority it asserts."""

    credential_id: int | None
    name: str
    scopes: frozenset[str]
    authority: dict[str, Any]

    def may(self, need: str) -> bool:
        """Return True when one of the caller's scopes grants ``need`` (a key of NEEDS)."""
        return not self.scopes.isdisjoint(NEEDS[need])

    @property
    def reads_only_own(self) -> bool:
        """Return True when the caller may read only the statements it stored itself."""
        return not self.scopes.isdisjoint({"statements/read/mine"}) and self.scopes.isdisjoint(
            {"statements/read", "all/read", "all"}
        )

    @property
    def defines(self) -> bool:
        """Return True when the caller's statements may (re)define activities."""
        return not self.scopes.isdisjoint({"define", "all"})


@dataclass
class CredentialCache:
    """Live credentials read lately, by key: ``(read at, secret hash, caller)``.

    Only credentials found and not revoked are kept; ``max_age`` seconds after a row was
    read it is read again, so a revocation elsewhere takes effect within ``max_age``.
    """

    max_age: float = 1.0
    entries: dict[str, tuple[float, str, Caller]] = field(default_factory=dict)

    def get(self, key: str) -> tuple[str, Caller] | None:
        """Return the cached secret hash and caller of ``key``, while fresh."""
        entry = self.entries.get(key)
        if entry is None or time.monotonic() - entry[0] >= self.max_age:
            return None
        return entry[1], entry[2]

    def put(self, key: str, secret_hash: str, caller: Caller) -> None:
        """Remember a live credential (nothing when caching is off)."""
        if self.max_age > 0:
            self.entries[key] = (time.monotonic(), secret_hash, caller)

    def forget(self, key: str) -> None:
        """Drop ``key`` (revoked or replaced)."""
        self.entries.pop(key, None)


def credential_authority(name: str, key: str, homepage: str) -> dict[str, Any]:
    """Return the Agent a credential asserts: an account on lms_cx's home page named by key."""
    return {"objectType": "Agent", "name": name, "account": {"homePage": homepage, "name": key}}


def create_credential(
    session: Session,
    *,
    name: str,
    scopes: list[str] | tuple[str, ...],
    homepage: str,
    key: str | None = None,
    secret: str | None = None,
) -> tuple[LrsCredential, str]:
    """Create a credential; return it and its secret (generated when not given)."""
    unknown = sorted(set(scopes) - set(SCOPES))
    if unknown or not scopes:
        raise ValidationError(
            f"unknown scope {', '.join(unknown)}; choose from {', '.join(SCOPES)}"
            if unknown
            else "give at least one scope",
            "scope",
        )
    if not name.strip():
        raise ValidationError("the name must not be empty", "name")
    key = key or secrets.token_hex(12)
    secret = secret or secrets.token_urlsafe(24)
    if ":" in key:
        raise ValidationError("an HTTP Basic key cannot contain ':'", "key")
    if session.scalar(sa.select(LrsCredential.id).where(LrsCredential.key == key)) is not None:
        raise ValidationError(f"a credential with key {key!r} already exists", "key")
    credential = LrsCredential(
        name=name.strip(),
        key=key,
        secret_hash=generate_password_hash(secret),
        scopes=sorted(set(scopes)),
        authority=credential_authority(name.strip(), key, homepage),
    )
    session.add(credential)
    session.flush()
    return credential, secret


def list_credentials(session: Session) -> list[LrsCredential]:
    """Return every credential, newest first (revoked ones too)."""
    return list(session.scalars(sa.select(LrsCredential).order_by(LrsCredential.created_at.desc())))


def revoke_credential(session: Session, key: str) -> LrsCredential:
    """Revoke the credential with ``key``; it stops working at once."""
    credential = session.scalar(sa.select(LrsCredential).where(LrsCredential.key == key))
    if credential is None:
        raise ValidationError(f"no credential has the key {key!r}", "key")
    if credential.revoked_at is None:
        credential.revoked_at = utcnow()
    cache = current_app.extensions.get(CACHE_EXTENSION) if has_app_context() else None
    if cache is not None:
        cache.forget(key)
    return credential


def authenticate(
    session: Session, key: str, secret: str, cache: CredentialCache | None = None
) -> Caller | None:
    """Return the caller a key and secret identify, or None when they are refused.

    With ``cache``, a credential read less than ``cache.max_age`` seconds ago is not read
    again (the secret is still checked on every request).
    """
    cached = cache.get(key) if cache is not None else None
    if cached is None:
        credential = session.execute(_CREDENTIAL_BY_KEY, {"key": key}).first()
        if credential is None or credential.revoked_at is not None:
            if cache is not None:
                cache.forget(key)
            return None
        cached = (
            credential.secret_hash,
            Caller(
                credential_id=credential.id,
                name=credential.name,
                scopes=frozenset(credential.scopes),
                authority=credential.authority,
            ),
        )
        if cache is not None:
            cache.put(key, *cached)
    secret_hash, caller = cached
    digest = hashlib.sha256(f"{key}:{secret}".encode()).hexdigest()
    if _verified.get((key, digest)) != secret_hash:
        if not check_password_hash(secret_hash, secret):
            return None
        _verified[(key, digest)] = secret_hash
    return caller
