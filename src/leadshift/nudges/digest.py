"""The weekly digest as data and as the text of the e-mail. Plain Python."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    text: str
    url: str = ""


@dataclass(frozen=True)
class Section:
    key: str  # oneonones, actions, decisions, stakeholders, feedback, mentoring, pulses
    title: str
    lines: list[Line] = field(default_factory=list)


@dataclass(frozen=True)
class Digest:
    name: str
    week_of: dt.date
    sections: list[Section]
    settings_url: str = ""

    @property
    def items(self) -> int:
        return sum(len(s.lines) for s in self.sections)

    @property
    def is_empty(self) -> bool:
        return self.items == 0

    def subject(self) -> str:
        return f"Your week in LeadShift ({self.week_of:%d %b}): {self.items} to look at"

    def text(self) -> str:
        out = [f"Hello {self.name},", "", f"Your week from {self.week_of:%A %d %B}:"]
        for s in self.sections:
            if not s.lines:
                continue
            out += ["", f"{s.title} ({len(s.lines)})"]
            for line in s.lines:
                out.append(f"- {line.text}")
                if line.url:
                    out.append(f"  {line.url}")
        if self.settings_url:
            out += ["", f"Turn this digest off on your settings page: {self.settings_url}"]
        return "\n".join(out) + "\n"
