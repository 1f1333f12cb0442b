"""Notebook identity: one key per notebook, whether it was named by a file:// URI or a path.

VS Code sends `file:///home/u/My%20NB.ipynb`; the CLI gets `./My NB.ipynb`. Both must find the
same rows, so the key of a file notebook is its real path (symlinks resolved); a notebook with
no file (untitled:, remote schemes) is keyed by its URI verbatim.
"""

from __future__ import annotations

import os
import re
from typing import Optional
from urllib.parse import unquote, urlsplit

# "c:" alone is a drive letter, not a URI scheme; real schemes are at least two characters.
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.\-]+:")


def file_uri_to_path(uri: str) -> str:
    parts = urlsplit(uri)
    if os.name == "nt":
        from urllib.request import url2pathname  # imports http and ssl: only where it is needed

        path = url2pathname(parts.path)
        if parts.netloc:
            path = f"\\\\{parts.netloc}{path}"
        return path
    path = unquote(parts.path)
    if parts.netloc and parts.netloc != "localhost":
        path = f"//{parts.netloc}{path}"
    return path


def real_path(path: str) -> str:
    return os.path.realpath(os.path.expanduser(path))


def local_path(uri_or_path: str) -> Optional[str]:
    """The real filesystem path named by a file:// URI or a plain path; None for other URIs."""
    if uri_or_path.startswith("file:"):
        return real_path(file_uri_to_path(uri_or_path))
    if _SCHEME.match(uri_or_path):
        return None
    return real_path(uri_or_path)


def notebook_key(notebook_uri: str, notebook_path: Optional[str] = None) -> str:
    """The identity a notebook is stored under. An explicit path wins over the URI."""
    if notebook_path:
        return real_path(notebook_path)
    found = local_path(notebook_uri)
    return found if found is not None else notebook_uri
