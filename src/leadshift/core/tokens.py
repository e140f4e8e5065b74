"""Secret links: a token goes to its holder alone, and only its SHA-256 hash is kept.

Shared by every link that needs no account (a 360 rater's, a pulse respondent's).
"""

from __future__ import annotations

import hashlib
import secrets


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_token(prefix: str) -> tuple[str, str]:
    """(the raw token for the holder's link, the hash to keep)."""
    raw = prefix + secrets.token_urlsafe(32)
    return raw, hash_secret(raw)
