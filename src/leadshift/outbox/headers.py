"""The headers a sender adds to say where a message belongs and who must not read it.

The outbox backend reads, stores and strips them; LeadShift's SMTP backend strips them before
a message leaves (`backend.SmtpBackend`). The contract, for every part of LeadShift that
sends mail (pass ``headers=outbox_headers(...)`` to ``EmailMessage``):

* ``X-LeadShift-Org``: the organisation's id. Without it, the organisation is the one the
  recipients belong to (people of exactly one organisation); otherwise the message is kept
  unplaced, readable only from the command line.
* ``X-LeadShift-Hide-From``: person ids, comma-separated, who must never read the body: a
  360 rater's link names the subject of the cycle. Everyone above a listed person in the
  management line (at the time of reading) is kept out too, so listing the subject is enough.
* ``X-LeadShift-Kind``: a short slug for what the message is (``feedback-invitation``,
  ``feedback-reminder``, ``invitation``, ``password-reset``, ...).
"""

from __future__ import annotations

from collections.abc import Iterable

ORG_HEADER = "X-LeadShift-Org"
HIDE_HEADER = "X-LeadShift-Hide-From"
KIND_HEADER = "X-LeadShift-Kind"
OURS = (ORG_HEADER, HIDE_HEADER, KIND_HEADER)


def outbox_headers(
    *, organisation_id: int | None = None, hide_from: Iterable[int] = (), kind: str = ""
) -> dict[str, str]:
    headers = {}
    if organisation_id is not None:
        headers[ORG_HEADER] = str(organisation_id)
    hidden = sorted({int(i) for i in hide_from})
    if hidden:
        headers[HIDE_HEADER] = ", ".join(str(i) for i in hidden)
    if kind:
        headers[KIND_HEADER] = kind
    return headers


def split_headers(headers: dict[str, str]) -> tuple[dict[str, str], dict[str, str]]:
    """(ours, the rest), matching names without regard to case as mail does."""
    lowered = {h.lower(): h for h in OURS}
    ours: dict[str, str] = {}
    rest: dict[str, str] = {}
    for name, value in headers.items():
        if name.lower() in lowered:
            ours[lowered[name.lower()]] = str(value)
        else:
            rest[name] = value
    return ours, rest


def parse_ids(value: str) -> list[int]:
    """Person ids from a Hide-From header; a malformed one is refused, never half-read."""
    ids = []
    for part in value.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"{HIDE_HEADER}: {part!r} is not a person id")
        ids.append(int(part))
    return ids
