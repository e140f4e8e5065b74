"""Typed readers for settings that come from the environment."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"environment variable {name}={raw!r}: expected one of yes/no/true/false/1/0")


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ValueError(f"environment variable {name}={raw!r}: expected a whole number") from None


def env_list(name: str, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def data_dir() -> Path:
    """Where LeadShift keeps its SQLite database and generated files."""
    return Path(env_str("LEADSHIFT_DATA_DIR", str(Path.cwd() / "data"))).resolve()


def private_dir(path: Path) -> Path:
    """A folder only its owner may read (it holds the database and the secret key)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def local_secret_key(folder: Path, *, persist: bool) -> str:
    """For a local run, a stable key kept beside the database (owner-only), so sessions survive
    restarts without anyone inventing a secret; otherwise a key for this process only."""
    import secrets

    if not persist:
        return secrets.token_urlsafe(50)
    key_file = private_dir(folder) / "secret-key"
    if key_file.exists():
        return key_file.read_text().strip()
    fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    key = secrets.token_urlsafe(50)
    with os.fdopen(fd, "w") as f:
        f.write(key)
    return key


def private_file(path: Path) -> Path:
    """Create `path` empty and owner-only if it does not exist (an empty file is a valid
    SQLite database), so the database is never readable by other users of the machine."""
    if str(path) in {"", ":memory:"} or path.exists():
        return path
    private_dir(path.parent)
    with contextlib.suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    return path
