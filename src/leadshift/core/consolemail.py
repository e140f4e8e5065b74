"""The console mail backend, without secrets: what `make run` prints for each message.

Django's console backend prints whole messages into the server's output, where anyone who
reads the log would find every rater's personal link, name and address. This one prints
only that a message went, its subject (tokens redacted) and how many recipients it had.
"""

from __future__ import annotations

from typing import Any

from django.core.mail.backends.console import EmailBackend as DjangoConsoleBackend

from leadshift.core.logfilters import redact


class EmailBackend(DjangoConsoleBackend):
    def write_message(self, message: Any) -> None:
        n = len(message.recipients())
        self.stream.write(
            f"E-mail not delivered (no mail server is set): “{redact(str(message.subject))}” "
            f"to {n} recipient{'s' if n != 1 else ''}; addresses and body are not printed, "
            "as they may hold personal links.\n"
        )
