"""Describe an input file a cell read: size, mtime, sha256.

Hashing a 32 MB+ file would hold up whoever records the cell, so big files are hashed in a
background pool: the InputFile comes back at once with sha256=None and
`pending_sha256(path)` (or the `on_hashed` callback) delivers the digest later.
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import Callable, Optional

from .. import protocol

log = logging.getLogger(__name__)

BACKGROUND_HASH_BYTES = 32 * 1024 * 1024
_CHUNK = 1024 * 1024

_pool: Optional[ThreadPoolExecutor] = None
_pool_lock = threading.Lock()
_pending: dict[tuple[str, int, float], Future] = {}


def _executor() -> ThreadPoolExecutor:
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="trackit-hash")
        return _pool


def sha256_file(path: str | Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def resolve_input_path(path: str | Path, base_dir: str | Path | None) -> Path:
    """Relative paths are relative to the notebook's folder (the kernel's cwd)."""
    candidate = Path(os.path.expanduser(str(path)))
    if not candidate.is_absolute() and base_dir is not None:
        candidate = Path(base_dir) / candidate
    return candidate.resolve()


def describe_input_file(
    path: str | Path,
    base_dir: str | Path | None = None,
    on_hashed: Optional[Callable[[protocol.InputFile], None]] = None,
    background_threshold: int = BACKGROUND_HASH_BYTES,
) -> protocol.InputFile:
    """InputFile for `path` (as written in the cell). Never raises for file problems.

    Files of at least `background_threshold` bytes: sha256=None now; the hash is computed in
    the pool and handed to `on_hashed(InputFile with sha256)` and to pending_sha256().
    """
    resolved = resolve_input_path(path, base_dir)
    shown = str(resolved)
    try:
        stat = resolved.stat()
    except FileNotFoundError:
        return protocol.InputFile(path=shown, error="file not found")
    except OSError as error:
        return protocol.InputFile(path=shown, error=f"cannot stat: {error.strerror or error}")
    if not resolved.is_file():
        return protocol.InputFile(path=shown, size=None, mtime=stat.st_mtime, error="not a regular file")
    described = protocol.InputFile(path=shown, size=stat.st_size, mtime=stat.st_mtime)
    if stat.st_size < background_threshold:
        try:
            described.sha256 = sha256_file(resolved)
        except OSError as error:
            described.error = f"cannot read: {error.strerror or error}"
        return described
    key = (shown, stat.st_size, stat.st_mtime)
    with _pool_lock:
        future = _pending.get(key)
    if future is None:
        future = _executor().submit(sha256_file, resolved)
        with _pool_lock:
            _pending[key] = future
    if on_hashed is not None:

        def deliver(done: Future) -> None:
            try:
                on_hashed(described.model_copy(update={"sha256": done.result()}))
            except OSError as error:
                on_hashed(described.model_copy(update={"error": f"cannot read: {error.strerror or error}"}))
            except Exception:  # the callback's own failure must not vanish silently
                log.exception("on_hashed callback failed for %s", shown)

        future.add_done_callback(deliver)
    return described


def pending_sha256(path: str | Path, base_dir: str | Path | None = None) -> Optional[Future]:
    """The Future hashing a big file described earlier (result() -> sha256), or None."""
    shown = str(resolve_input_path(path, base_dir))
    with _pool_lock:
        for (pending_path, _size, _mtime), future in reversed(list(_pending.items())):
            if pending_path == shown:
                return future
    return None
