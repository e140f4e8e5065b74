"""The environment a user's shell gives the installed `leadshift`: none of the test run's
Django settings, import paths, database or LeadShift settings; a data folder of its own."""

from __future__ import annotations

import os
from pathlib import Path


def user_env(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "DATABASE_URL"}
        and not k.startswith(("LEADSHIFT_", "PYTEST_"))
    }
    return {**env, "LEADSHIFT_DATA_DIR": str(data_dir), **extra}
