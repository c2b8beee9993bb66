"""Attachments in multipart/mixed and signed statements."""

from __future__ import annotations

import base64
import hashlib
import json
from typing import Any

from flask.testing import FlaskClient

from tests.xapi.conftest import make_statement

STATEMENTS = "/xapi/statements"
BOUNDARY = "abcABC0123'()+_,-./:=?"
SIGNATURE = "http://adlnet.gov/expapi/attachments/signature"


def attachment_header(
    data: bytes, usage: str = "http://example.com/usage/essay", content_type: str = "text/plain"
) -> dict[str, Any]:
    return {
        "usageType": usage,
        "display": {"en": "essay"},
        "contentType": content_type,
        "length": len(data),
        "sha2": hashlib.sha256(data).hexdigest(),
    }


def multipart(statements: Any, parts: list[tuple[bytes, str]], *, encoding: bool = True) -> bytes:
    chunks = [
        f"--{BOUNDARY}\r\nContent-Type: application/json\r\n\r\n".encode(),
        json.dumps(statements).encode(),
    ]
    for data, content_type in parts:
        head = f"\r\n--{BOUNDARY}\r\nContent-Type: {content_type}\r\n"
        if encoding:
            head += "Content-Transfer-Encoding: binary\r\n"
        head += f"X-Experience-API-Hash: {hashlib.sha256(data).hexdigest()}\r\n\r\n"
        chunks += [head.encode(), data]
    chunks.append(f"\r\n--{BOUNDARY}--".encode())
    return b"".join(chunks)


def send(client: FlaskClient, headers: dict, body: bytes) -> Any:
    return client.post(
        STATEMENTS,
        data=body,
        headers=headers,
        content_type=f'multipart/mixed; boundary="{BOUNDARY}"',
    )


def test_attachment_round_trip(client: FlaskClient, headers: dict) -> None:
    """Test that attachment data is stored by hash and returned with attachments=true."""
    data = b"here is a simple attachment\r\nwith \x00 binary \xff bytes"
    statement = make_statement(attachments=[attachment_header(data)])
    response = send(client, headers, multipart([statement], [(data, "text/plain")]))
    assert response.status_code == 200, response.json
    [statement_id] = response.json
    plain = client.get(STATEMENTS, query_string={"statementId": statement_id}, headers=headers)
    assert plain.mimetype == "application/json"
    full = client.get(
        STATEMENTS,
        query_string={"statementId": statement_id, "attachments": "true"},
        headers=headers,
    )
    assert full.mimetype == "multipart/mixed"
    assert data in full.data
    assert hashlib.sha256(data).hexdigest().encode() in full.data


def test_attachment_without_data_or_file_url_is_refused(client: FlaskClient, headers: dict) -> None:
    """Test that an attachment with neither data nor fileUrl answers 400."""
    header = attachment_header(b"missing")
    response = client.post(
        STATEMENTS,
        data=json.dumps(make_statement(attachments=[header])),
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "fileUrl" in response.json["error"]
    with_url = dict(header, fileUrl="https://files.example.com/essay.txt")
    response = client.post(
        STATEMENTS,
        data=json.dumps(make_statement(attachments=[with_url])),
        headers=headers,
        content_type="application/json",
    )
    assert response.status_code == 200


def test_bad_parts_are_refused(client: FlaskClient, headers: dict) -> None:
    """Test that a wrong hash, a missing transfer encoding and a stray part answer 400."""
    data = b"essay"
    statement = make_statement(attachments=[attachment_header(data)])
    body = multipart([statement], [(data, "text/plain")]).replace(b"essay", b"other")
    assert send(client, headers, body).status_code == 400
    no_encoding = multipart([statement], [(data, "text/plain")], encoding=False)
    assert send(client, headers, no_encoding).status_code == 400
    stray = multipart([statement], [(data, "text/plain"), (b"stray", "text/plain")])
    assert send(client, headers, stray).status_code == 400


def jws(payload: dict[str, Any], alg: str = "RS256") -> bytes:
    def b64(raw: bytes) -> str:
        return base64.urlsafe_b64encode(raw).decode().rstrip("=")

    header = b64(json.dumps({"alg": alg}).encode())
    return f"{header}.{b64(json.dumps(payload).encode())}.{b64(b'signature-bytes')}".encode()


def signed(statement: dict[str, Any], signature: bytes) -> bytes:
    """Return a multipart body of ``statement`` carrying ``signature`` as its signature."""
    header = attachment_header(signature, usage=SIGNATURE, content_type="application/octet-stream")
    body = dict(statement, attachments=[header])
    return multipart([body], [(signature, "application/octet-stream")])


def test_signed_statement(client: FlaskClient, headers: dict) -> None:
    """Test that a signature whose payload is the statement is accepted, others refused."""
    statement = make_statement(statement_id="33cff416-e331-4c9d-969e-5373a1756120")
    signature = jws(statement)
    response = send(client, headers, signed(statement, signature))
    assert response.status_code == 200, response.json
    other = jws(make_statement("completed"))
    tampered = dict(statement, id="43cff416-e331-4c9d-969e-5373a1756120")
    response = send(client, headers, signed(tampered, other))
    assert response.status_code == 400 and "payload" in response.json["error"]
    weak = dict(statement, id="53cff416-e331-4c9d-969e-5373a1756120")
    response = send(client, headers, signed(weak, jws(weak, alg="HS256")))
    assert response.status_code == 400 and "RS256" in response.json["error"]
