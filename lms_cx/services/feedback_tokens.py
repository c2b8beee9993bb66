"""Bearer tokens for the REST API (help desks posting feedback), stored as hashes only.

A token reads ``lmscx_`` followed by 43 random URL-safe characters (256 bits). Only its SHA-256
is stored: a slow password hash is not needed for a random secret that long, and the hash
lets a request find its token in one indexed lookup. The token is shown once, at creation.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.db import utcnow
from lms_cx.errors import ValidationError
from lms_cx.i18n import gettext as _
from lms_cx.models import ApiToken

TOKEN_PREFIX = "lmscx_"

#: Scopes a token may carry, and what each allows.
SCOPES = {"feedback:write": "post customer feedback to /api/feedback"}


def hash_token(token: str) -> str:
    """Return the stored form of ``token``: its SHA-256 in hex."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class NewApiToken:
    """A token just created: ``secret`` is the only copy of the token there will ever be."""

    id: int
    name: str
    scopes: list[str]
    secret: str


@dataclass(frozen=True)
class ApiTokenView:
    """A token as listings show it (never its secret)."""

    id: int
    name: str
    scopes: list[str]
    created_at: datetime
    last_used_at: datetime | None
    revoked_at: datetime | None


def create_api_token(
    session: Session,
    name: str,
    scopes: Iterable[str] = ("feedback:write",),
    created_by_id: int | None = None,
) -> NewApiToken:
    """Create a token and commit; return it with its secret (shown once)."""
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError(_("name the token (who uses it), up to 200 characters"), field="name")
    scopes = sorted(set(scopes))
    unknown = [scope for scope in scopes if scope not in SCOPES]
    if unknown or not scopes:
        raise ValidationError(_("scopes are %(known)s", known=", ".join(SCOPES)), field="scope")
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name, token_hash=hash_token(secret), scopes=scopes, created_by_id=created_by_id
    )
    session.add(token)
    session.commit()
    return NewApiToken(token.id, token.name, list(token.scopes), secret)


def list_api_tokens(session: Session) -> list[ApiTokenView]:
    """Return every token, newest first."""
    return [
        ApiTokenView(t.id, t.name, list(t.scopes), t.created_at, t.last_used_at, t.revoked_at)
        for t in session.scalars(sa.select(ApiToken).order_by(ApiToken.id.desc()))
    ]


def revoke_api_token(session: Session, token_id: int) -> bool:
    """Revoke a token (kept for the record) and commit; return False when there is none."""
    token = session.get(ApiToken, token_id)
    if token is None:
        return False
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.commit()
    return True


def authenticate_api_token(session: Session, secret: str | None) -> ApiToken | None:
    """Return the live token whose secret is ``secret`` (noting its use), else None."""
    if not secret or not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
        return None
    digest = hash_token(secret)
    token = session.scalar(sa.select(ApiToken).where(ApiToken.token_hash == digest))
    # The lookup is by hash; compare again in constant time all the same.
    if token is None or not hmac.compare_digest(token.token_hash, digest):
        return None
    if token.revoked_at is not None:
        return None
    token.last_used_at = utcnow()
    session.commit()
    return token
