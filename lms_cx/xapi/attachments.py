"""Attachments in multipart/mixed, and signed statements (xAPI 1.0.3, part two 2.4.11 and
2.6, part three 1.5.2).

A request carrying attachment data is ``multipart/mixed``: the statements as the first,
``application/json`` part, then one part per attachment with ``X-Experience-API-Hash`` (its
SHA-2) and ``Content-Transfer-Encoding: binary``. Attachment objects are matched to parts by
hash only. A signature is an attachment with the signature usageType whose data is a JWS
(compact serialization, RS256/384/512) whose payload is the statement itself.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Session

from lms_cx.models.xapi_documents import Attachment
from lms_cx.xapi.errors import StatementError, XapiRequestError
from lms_cx.xapi.prepare import comparable

SIGNATURE_USAGE = "http://adlnet.gov/expapi/attachments/signature"
SIGNATURE_ALGORITHMS = ("RS256", "RS384", "RS512")
_HASHES = {64: hashlib.sha256, 96: hashlib.sha384, 128: hashlib.sha512}


@dataclass(frozen=True)
class AttachmentPart:
    """The raw data of one attachment received in a multipart request."""

    sha2: str
    content_type: str
    data: bytes


def parse_multipart(content_type: str, body: bytes) -> tuple[Any, dict[str, AttachmentPart]]:
    """Return the statements JSON and the attachment parts (by hash) of a multipart body."""
    message = BytesParser(policy=HTTP).parsebytes(
        b"Content-Type: " + content_type.encode("latin-1") + b"\r\n\r\n" + body
    )
    if not message.is_multipart():
        raise XapiRequestError("the multipart/mixed body has no parts", "Content-Type")
    parts = list(message.iter_parts())
    if not parts or parts[0].get_content_type() != "application/json":
        raise XapiRequestError("the first part must be the statements as application/json", "body")
    try:
        statements = json.loads(_payload(parts[0]).decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as error:
        raise XapiRequestError(f"the statements part is not valid JSON ({error})", "body") from None
    received: dict[str, AttachmentPart] = {}
    for number, part in enumerate(parts[1:], start=2):
        sha2 = (part.get("X-Experience-API-Hash") or "").strip().lower()
        if not sha2:
            raise XapiRequestError(f"part {number} has no X-Experience-API-Hash", "body")
        encoding = (part.get("Content-Transfer-Encoding") or "").strip().lower()
        if encoding != "binary":
            raise XapiRequestError(f"part {number} needs Content-Transfer-Encoding: binary", "body")
        data = _payload(part)
        algorithm = _HASHES.get(len(sha2))
        if algorithm is None or algorithm(data).hexdigest() != sha2:
            raise XapiRequestError(f"part {number}'s data does not match its hash", "body")
        received[sha2] = AttachmentPart(sha2, part.get_content_type(), data)
    return statements, received


def _payload(part: Any) -> bytes:
    payload = part.get_payload(decode=True)
    return payload if isinstance(payload, bytes) else str(payload).encode("utf-8")


def check_attachments(
    statements: list[dict[str, Any]], received: dict[str, AttachmentPart]
) -> None:
    """Match every attachment object to a part or a fileUrl; check signatures (400 if not).

    Runs before the statements are validated: attachments that are not well-formed are
    left to the validator, which names what is wrong with them.
    """
    used: set[str] = set()
    for index, statement in enumerate(statements):
        field = f"statements[{index}]" if len(statements) > 1 else "statement"
        attachments = statement.get("attachments")
        if not isinstance(attachments, list):
            continue
        for number, attachment in enumerate(attachments):
            if not _well_formed(attachment):
                continue
            sha2 = attachment["sha2"].lower()
            where = f"{field}.attachments[{number}]"
            if sha2 in received:
                used.add(sha2)
            elif "fileUrl" not in attachment:
                raise StatementError("has neither data in the request nor a fileUrl", where)
            if attachment["usageType"] == SIGNATURE_USAGE:
                if sha2 not in received:
                    raise StatementError("a signature's data must be sent with it", where)
                check_signature(statement, attachment, received[sha2].data, where)
    unused = set(received) - used
    if unused:
        raise XapiRequestError(
            f"part with hash {sorted(unused)[0]} matches no attachment of the statements", "body"
        )


def _well_formed(attachment: Any) -> bool:
    return (
        isinstance(attachment, dict)
        and isinstance(attachment.get("sha2"), str)
        and isinstance(attachment.get("usageType"), str)
    )


def check_signature(
    statement: dict[str, Any], attachment: dict[str, Any], data: bytes, where: str
) -> None:
    """Check a signature: a well-formed JWS whose payload is this statement (part two, 2.6)."""
    if attachment.get("contentType") != "application/octet-stream":
        raise StatementError("a signature's contentType must be application/octet-stream", where)
    try:
        header_b64, payload_b64, signature_b64 = data.decode("ascii").strip().split(".")
        header = json.loads(_b64url(header_b64))
        payload = json.loads(_b64url(payload_b64))
        _b64url(signature_b64)
    except (ValueError, UnicodeDecodeError):
        raise StatementError("the signature is not a JWS in compact serialization", where) from None
    if not isinstance(header, dict) or header.get("alg") not in SIGNATURE_ALGORITHMS:
        raise StatementError("the JWS must use RS256, RS384 or RS512", where)
    unsigned = dict(statement)
    rest = [a for a in statement.get("attachments", []) if a.get("usageType") != SIGNATURE_USAGE]
    unsigned.pop("attachments", None)
    if rest:
        unsigned["attachments"] = rest
    if not isinstance(payload, dict) or _signed_part(payload) != _signed_part(unsigned):
        raise StatementError("the JWS payload does not match the statement", where)


def _signed_part(statement: dict[str, Any]) -> Any:
    # The LRS may add id/stored/authority/version after signing; compare the rest.
    return comparable(statement), statement.get("id"), statement.get("attachments")


def _b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def save_attachments(session: Session, received: dict[str, AttachmentPart]) -> None:
    """Keep the data of received attachments (once per hash) in the caller's transaction."""
    if not received:
        return
    known = set(
        session.scalars(sa.select(Attachment.sha2).where(Attachment.sha2.in_(list(received))))
    )
    for part in received.values():
        if part.sha2 not in known:
            session.add(
                Attachment(
                    sha2=part.sha2,
                    content_type=part.content_type,
                    length=len(part.data),
                    content=part.data,
                )
            )


def multipart_response(
    session: Session, document: Any, raws: list[dict[str, Any]]
) -> tuple[bytes, str]:
    """Return a multipart/mixed body (statements, then their attachments) and its type."""
    hashes = {str(a["sha2"]).lower() for raw in raws for a in raw.get("attachments") or []}
    stored = (
        session.scalars(sa.select(Attachment).where(Attachment.sha2.in_(list(hashes)))).all()
        if hashes
        else []
    )
    boundary = "lms-cx-" + secrets.token_hex(12)
    chunks = [
        f"--{boundary}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(document).encode("utf-8"),
    ]
    for attachment in stored:
        chunks.append(
            (
                f"\r\n--{boundary}\r\nContent-Type: {attachment.content_type}\r\n"
                "Content-Transfer-Encoding: binary\r\n"
                f"X-Experience-API-Hash: {attachment.sha2}\r\n\r\n"
            ).encode()
        )
        chunks.append(attachment.content)
    chunks.append(f"\r\n--{boundary}--\r\n".encode())
    return b"".join(chunks), f'multipart/mixed; boundary="{boundary}"'
