"""Calendar imports for a person: read, classify with their rules, keep only weekly aggregates."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

from django.db import transaction
from django.urls import reverse

from leadshift.core.errors import Invalid, NotAllowed
from leadshift.files import InputError
from leadshift.people.models import Person
from leadshift.timeuse.aggregate import PeriodUse, TimeUse, Trend, time_use, trend_of
from leadshift.timeuse.ics import read_uploads
from leadshift.timeuse.models import CalendarImport, TimeUseRules, WeekUse
from leadshift.timeuse.rules import POLES, SHIFTS, Context, RuleSet, rules_from_text
from leadshift.undo.models import Deletion
from leadshift.undo.services import do_delete_with_undo

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
# Titles that mark executives and board members for the rules' `with_executives` condition.
EXECUTIVE_TITLE = re.compile(
    r"\b(chief|ceo|cto|cfo|coo|cpo|cmo|vp|svp|evp|vice president|president|board|founder)\b",
    re.IGNORECASE,
)


def default_rules_text() -> str:
    return resources.files("leadshift.timeuse").joinpath("default_rules.yaml").read_text("utf-8")


def rules_text_for(person: Person) -> str:
    stored = TimeUseRules.objects.filter(person=person).first()
    return stored.text if stored else default_rules_text()


def has_own_rules(person: Person) -> bool:
    return TimeUseRules.objects.filter(person=person).exists()


def check_rules(text: str) -> RuleSet:
    """The rules, or Invalid naming every problem with its line."""
    try:
        return rules_from_text(text, "rules.yaml")
    except InputError as exc:
        raise Invalid(exc.describe(), field="rules") from exc


def rules_for(person: Person) -> RuleSet:
    return check_rules(rules_text_for(person))


def context_for(person: Person) -> Context:
    """The person's e-mail, the PMs they lead, and the organisation's executives."""
    reports = Person.objects.filter(id__in=person.reach()).exclude(id=person.id)
    executives = [
        p.email
        for p in Person.objects.filter(organisation_id=person.organisation_id).exclude(id=person.id)
        if EXECUTIVE_TITLE.search(p.title or "")
    ]
    return Context.of(
        owner=person.email,
        reports=[p.email for p in reports],
        executives=executives,
    )


def _check_own(person: Person, actor: Person) -> None:
    """A calendar is personal: only its owner imports, deletes or changes the rules."""
    if actor.id != person.id:
        raise NotAllowed("only the person themself can change their calendar data")


def do_set_rules(person: Person, actor: Person, text: str) -> TimeUseRules:
    _check_own(person, actor)
    if not text.strip():
        raise Invalid("the rules are empty; reset to the default rules instead", field="rules")
    check_rules(text)  # before the write, which is one statement: no lock held while reading
    rules, _ = TimeUseRules.objects.update_or_create(person=person, defaults={"text": text})
    return rules


@transaction.atomic
def do_reset_rules(person: Person, actor: Person) -> None:
    _check_own(person, actor)
    TimeUseRules.objects.filter(person=person).delete()


def monday_of(week: str) -> dt.date:
    year, number = week.split("-W")
    return dt.date.fromisocalendar(int(year), int(number), 1)


@transaction.atomic
def do_store_time_use(person: Person, actor: Person, use: TimeUse, files: str) -> CalendarImport:
    """Keep the weekly aggregates; a later import replaces the weeks it covers."""
    _check_own(person, actor)
    weeks = {k: p for k, p in use.weeks.items() if p.meetings}
    if not weeks:
        raise Invalid(
            "the calendar holds no meetings in the time read, so there is nothing to keep"
        )
    record = CalendarImport.objects.create(
        person=person,
        files=files[:500],
        meetings=use.total.meetings,
        hours=round(use.total.total_hours, 2),
        first_week=min(weeks),
        last_week=max(weeks),
        timezone=use.timezone[:64],
    )
    WeekUse.objects.filter(person=person, week__in=list(weeks)).delete()
    WeekUse.objects.bulk_create(
        WeekUse(
            person=person,
            source=record,
            week=key,
            week_start=monday_of(key),
            meetings=p.meetings,
            total_hours=round(p.total_hours, 3),
            unclassified_hours=round(p.unclassified_hours, 3),
            hours={pole: round(h, 3) for pole, h in p.by_pole.items() if h},
        )
        for key, p in weeks.items()
    )
    # Imports whose every week a later import replaced have nothing left to delete.
    CalendarImport.objects.filter(person=person, weeks__isnull=True).exclude(id=record.id).delete()
    return record


def do_import_calendars(
    person: Person,
    actor: Person,
    files: list[tuple[str, bytes]],
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> CalendarImport:
    """Read every file first; a bad one stops the import with its line, and nothing is kept."""
    _check_own(person, actor)
    if not files:
        raise Invalid("choose at least one .ics file", field="calendar")
    if sum(len(data) for _, data in files) > MAX_UPLOAD_BYTES:
        raise Invalid(
            "the calendars are larger than 20 MB; export a shorter period", field="calendar"
        )
    rules = rules_for(person)
    try:
        read = read_uploads(files, owner=person.email, start=start, end=end)
    except InputError as exc:
        raise Invalid(exc.describe(), field="calendar") from exc
    use = time_use(read, rules, context_for(person))
    return do_store_time_use(person, actor, use, ", ".join(name for name, _ in files))


@transaction.atomic
def do_delete_import(record: CalendarImport, actor: Person) -> Deletion | None:
    _check_own(record.person, actor)
    return do_delete_with_undo(
        record,
        actor,
        f"the calendar import “{record}” and its weeks",
        reverse("timeuse_person", args=[record.person_id]),
    )


@transaction.atomic
def do_delete_all(person: Person, actor: Person) -> int:
    _check_own(person, actor)
    count, _ = CalendarImport.objects.filter(person=person).delete()
    WeekUse.objects.filter(person=person).delete()
    return count


# --- reading what is kept ---------------------------------------------------------------------


def period_of(rows: list[WeekUse]) -> PeriodUse:
    p = PeriodUse()
    for w in rows:
        p.meetings += w.meetings
        p.total_hours += w.total_hours
        p.unclassified_hours += w.unclassified_hours
        for pole in POLES:
            p.by_pole[pole] += float(w.hours.get(pole, 0.0))
    return p


def month_of_week(week_start: dt.date) -> str:
    """An ISO week belongs to the month of its Thursday."""
    thursday = week_start + dt.timedelta(days=3)
    return f"{thursday.year}-{thursday.month:02d}"


@dataclass
class Summary:
    weeks: list[WeekUse]
    months: dict[str, PeriodUse]
    trend: dict[str, Trend]
    recent: PeriodUse  # the last three months
    earlier: PeriodUse  # the three months before those

    @property
    def has_data(self) -> bool:
        return bool(self.weeks)


def summary_for(person: Person) -> Summary:
    weeks = list(WeekUse.objects.filter(person=person).order_by("week_start"))
    grouped: dict[str, list[WeekUse]] = {}
    for w in weeks:
        grouped.setdefault(month_of_week(w.week_start), []).append(w)
    months = {k: period_of(v) for k, v in sorted(grouped.items())}
    keys = list(months)
    recent = period_of([w for k in keys[-3:] for w in grouped[k]])
    earlier = period_of([w for k in keys[-6:-3] for w in grouped[k]])
    return Summary(
        weeks=weeks,
        months=months,
        trend={s: trend_of(months, s) for s in SHIFTS},
        recent=recent,
        earlier=earlier,
    )


def summary_data(person: Person) -> dict[str, Any]:
    """What is kept, as JSON: weeks, months with leader shares, and the trend per shift."""
    s = summary_for(person)
    return {
        "person": {"id": person.id, "name": person.name, "email": person.email},
        "weeks": [
            {
                "week": w.week,
                "starts_on": w.week_start.isoformat(),
                "meetings": w.meetings,
                "total_hours": w.total_hours,
                "unclassified_hours": w.unclassified_hours,
                "hours": {pole: float(w.hours.get(pole, 0.0)) for pole in POLES},
            }
            for w in s.weeks
        ],
        "months": {
            k: {
                "total_hours": round(p.total_hours, 2),
                "leader_share": {
                    sh: (None if (v := p.leader_share(sh)) is None else round(v, 4))
                    for sh in SHIFTS
                },
            }
            for k, p in s.months.items()
        },
        "trend": {
            sh: {
                "slope_per_month": None
                if t.slope_per_month is None
                else round(t.slope_per_month, 4),
                "months": t.months,
                "direction": t.direction,
            }
            for sh, t in s.trend.items()
        },
        "imports": [
            {
                "id": i.id,
                "files": i.files,
                "created_at": i.created_at.isoformat(),
                "meetings": i.meetings,
                "hours": i.hours,
                "first_week": i.first_week,
                "last_week": i.last_week,
            }
            for i in person.calendar_imports.all()
        ],
    }
