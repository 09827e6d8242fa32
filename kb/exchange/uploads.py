"""Uploaded spreadsheets waiting for the user to confirm their import: kept in the instance folder under a
random token, readable only by the user who uploaded them, deleted after the import or an hour.

The client only ever sends the token back (never a path); the token is checked against a strict pattern.
"""
from __future__ import annotations

import json
import re
import secrets
import time
from pathlib import Path
from typing import IO

#: Uploads older than this are deleted (and can no longer be confirmed).
KEEP_SECONDS = 3600
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
CHUNK = 1024 * 1024


def folder(instance_path: str) -> Path:
    """The folder of waiting uploads (created on first use)."""
    path = Path(instance_path) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


def sweep(instance_path: str, now: float | None = None) -> int:
    """Delete uploads older than KEEP_SECONDS; returns how many files were removed."""
    limit = (now or time.time()) - KEEP_SECONDS
    removed = 0
    for path in folder(instance_path).iterdir():
        try:
            if path.stat().st_mtime < limit:
                path.unlink()
                removed += 1
        except FileNotFoundError:
            continue
    return removed


def save(instance_path: str, stream: IO[bytes], *, file_name: str, user_id: int, kind: str,
         encoding: str | None) -> str:
    """Store an upload (copied in chunks) with who sent it; returns its token."""
    sweep(instance_path)
    token = secrets.token_hex(16)
    base = folder(instance_path)
    with (base / f"{token}.data").open("wb") as out:
        while chunk := stream.read(CHUNK):
            out.write(chunk)
    meta = {"file_name": file_name, "user_id": user_id, "kind": kind, "encoding": encoding}
    (base / f"{token}.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def valid_token(token: object) -> bool:
    """Whether `token` has the form of an upload token (and so names nothing outside the folder)."""
    return isinstance(token, str) and bool(_TOKEN.match(token))


def load(instance_path: str, token: str, *, user_id: int) -> tuple[Path, dict[str, object]] | None:
    """(path, metadata) of the upload `token` of `user_id`, or None (unknown, expired, someone else's)."""
    if not valid_token(token):
        return None
    base = folder(instance_path)
    data, meta_path = base / f"{token}.data", base / f"{token}.json"
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        fresh = data.stat().st_mtime >= time.time() - KEEP_SECONDS
    except (FileNotFoundError, ValueError):
        return None
    if meta.get("user_id") != user_id or not fresh:
        return None
    return data, meta


def discard(instance_path: str, token: str, *, keep_status: bool = False) -> None:
    """Delete an upload (after its import); its job status too unless `keep_status`."""
    if valid_token(token):
        for suffix in (".data", ".json") if keep_status else (".data", ".json", ".status"):
            (folder(instance_path) / f"{token}{suffix}").unlink(missing_ok=True)
