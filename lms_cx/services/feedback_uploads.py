"""Uploaded feedback files kept between the dry-run preview and the confirmed import.

The upload page previews a file first; the file waits in a folder (``LMS_CX_FEEDBACK_UPLOAD_DIR``)
under a random token until the person who uploaded it confirms, and is removed after the import
or after ``max_age``. Several web servers need that folder on shared storage.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")

#: How long an upload waits for its confirmation.
MAX_AGE = timedelta(hours=2)


@dataclass(frozen=True)
class StashedUpload:
    """A previewed file waiting to be imported, with the options it was previewed with."""

    token: str
    data: bytes
    filename: str | None
    options: dict[str, Any]


def stash_upload(
    directory: Path, data: bytes, *, owner_id: int, filename: str | None, options: dict[str, Any]
) -> str:
    """Keep ``data`` for ``owner_id`` and return the token that finds it again."""
    directory.mkdir(parents=True, exist_ok=True)
    prune_uploads(directory)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.csv").write_bytes(data)
    meta = {"owner_id": owner_id, "filename": filename, "options": options}
    (directory / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def load_upload(directory: Path, token: str, *, owner_id: int) -> StashedUpload | None:
    """Return the upload behind ``token`` if ``owner_id`` stashed it and it has not expired."""
    if not _TOKEN.match(token or ""):
        return None
    data_path, meta_path = directory / f"{token}.csv", directory / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if time.time() - meta_path.stat().st_mtime > MAX_AGE.total_seconds():
            discard_upload(directory, token)
            return None
        data = data_path.read_bytes()
    except (OSError, ValueError):
        return None
    if meta.get("owner_id") != owner_id:
        return None
    return StashedUpload(token, data, meta.get("filename"), meta.get("options") or {})


def discard_upload(directory: Path, token: str) -> None:
    """Remove the upload behind ``token`` (no error when it is already gone)."""
    if _TOKEN.match(token or ""):
        for suffix in (".csv", ".json"):
            (directory / f"{token}{suffix}").unlink(missing_ok=True)


def prune_uploads(directory: Path, max_age: timedelta = MAX_AGE) -> int:
    """Remove uploads older than ``max_age``; return how many files went."""
    if not directory.is_dir():
        return 0
    limit = time.time() - max_age.total_seconds()
    removed = 0
    for path in directory.iterdir():
        if path.suffix in (".csv", ".json") and path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
