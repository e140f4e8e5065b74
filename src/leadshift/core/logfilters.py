"""Logging filters: keep secrets that travel in URLs out of log lines."""

from __future__ import annotations

import logging
import re

# Invitation tokens sit in rater links (/r/<token>/ and the API's /rate/<token>).
TOKEN = re.compile(r"fb_[A-Za-z0-9_\-]+")


def redact(text: str) -> str:
    return TOKEN.sub("fb_[redacted]", text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str) and "fb_" in record.msg:
            record.msg = TOKEN.sub("fb_[redacted]", record.msg)
        if record.args:
            args = record.args if isinstance(record.args, tuple) else (record.args,)
            record.args = tuple(
                TOKEN.sub("fb_[redacted]", a) if isinstance(a, str) else a for a in args
            )
        return True
