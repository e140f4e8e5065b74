"""The `leadshift` command. It parses input, calls the library, and prints the result."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from leadshift.core.dates import day
from leadshift.files import InputError


def _django() -> None:
    """Configure Django once; every command outside NO_DATABASE gets this before it runs."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


# Commands that only read files and compute. They must not configure Django: its settings
# create a data folder and a secret key, which a `leadshift score` in any folder should not.
# Every other command, including those added later, has Django set up before it runs, so a
# command cannot forget and fail with "settings are not configured" in a plain shell.
NO_DATABASE = frozenset(
    {
        "score",
        "allocate",
        "simulate",
        "timeuse read",
        "framework validate",
        "framework show",
        "sweep",
    }
)


def leaf_commands(group: click.Group, prefix: str = "") -> dict[str, click.Command]:
    """Every runnable command under `group`, by its path (`"feedback results"`)."""
    found: dict[str, click.Command] = {}
    for name, cmd in group.commands.items():
        path = f"{prefix}{name}"
        if isinstance(cmd, click.Group):
            found |= leaf_commands(cmd, path + " ")
        else:
            found[path] = cmd
    return found


def _set_up_django_first(cmd: click.Command) -> None:
    inner = cmd.callback
    if inner is None or getattr(inner, "sets_up_django", False):
        return

    @wraps(inner)
    def callback(*args: Any, **kwargs: Any) -> Any:
        _django()
        return inner(*args, **kwargs)

    callback.sets_up_django = True  # type: ignore[attr-defined]
    cmd.callback = callback


class _LeadShift(click.Group):
    """The top group: before dispatching, every database command (wherever it was registered)
    is wrapped to set Django up first."""

    def invoke(self, ctx: click.Context) -> Any:
        for path, cmd in leaf_commands(self).items():
            if path not in NO_DATABASE:
                _set_up_django_first(cmd)
        return super().invoke(ctx)


def _migrate(verbose: bool = False) -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=1 if verbose else 0)


def fails_cleanly(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Bad input ends the command with a message naming the place, and exit status 2."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        from leadshift.core.errors import LeadShiftError

        try:
            return fn(*args, **kwargs)
        except InputError as exc:
            click.secho(exc.describe(), fg="red", err=True)
            sys.exit(2)
        except LeadShiftError as exc:
            click.secho(f"error: {exc.message}", fg="red", err=True)
            sys.exit(2)

    return wrapper


def _print_json(data: Any) -> None:
    click.echo(json.dumps(data, indent=2, ensure_ascii=False, default=str))


@click.group(cls=_LeadShift)
@click.version_option(package_name="leadshift")
def main() -> None:
    """LeadShift: from product manager to product leader."""


@main.command()
@click.option("--verbose", is_flag=True)
def migrate(verbose: bool) -> None:
    """Create or update the database tables."""
    _django()
    _migrate(verbose)
    click.echo("Database is up to date.")


def _load_demo_with_progress(seed: int) -> Any:
    from leadshift.demo import load_demo

    with click.progressbar(
        length=60, label="Building the demo organisation", file=sys.stderr
    ) as bar:
        last = [0]

        def step(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - last[0])
            last[0] = done

        return load_demo(seed=seed, progress=step)


def _print_demo_accounts() -> None:
    from leadshift.demo import DEMO_PASSWORD, LEADER_EMAIL, PM_EMAIL

    click.echo("Demo accounts (password for both: " + click.style(DEMO_PASSWORD, bold=True) + "):")
    click.echo(f"  product manager:  {PM_EMAIL}")
    click.echo(f"  head of product:  {LEADER_EMAIL}")


@main.command()
@click.option("--seed", default=7, show_default=True, help="Same seed, same organisation.")
@click.option(
    "--size",
    type=click.Choice(["standard", "large"]),
    default="standard",
    show_default=True,
    help="large: about 2,000 people, 5,000 initiatives, 300 risks (for load tests).",
)
@fails_cleanly
def demo(seed: int, size: str) -> None:
    """Load the demo organisation (about 60 people) into the database."""
    _django()
    _migrate()
    if size == "large":
        from leadshift.scale.cli import load_large

        load_large(seed)
        return
    from leadshift.demo import demo_exists

    if demo_exists():
        click.echo("The demo organisation is already loaded.")
    else:
        result = _load_demo_with_progress(seed)
        click.echo(
            f"Loaded {result.organisation.name}: {result.people} people, "
            f"{result.assessments} assessments, {result.plans} plans."
        )
    _print_demo_accounts()


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option(
    "--demo/--no-demo",
    "with_demo",
    default=True,
    show_default=True,
    help="Load the demo organisation when the database is empty.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="Web processes (gunicorn); default: one per core.",
)
@click.option("--threads", default=4, show_default=True, type=click.IntRange(min=1))
@click.option(
    "--worker/--no-worker",
    "with_worker",
    default=True,
    show_default=True,
    help="Start a task worker beside the web server (stopped with it).",
)
def serve(
    host: str, port: int, with_demo: bool, workers: int | None, threads: int, with_worker: bool
) -> None:
    """Migrate, load the demo into an empty database, and serve the web app with a worker."""
    _django()
    from django.conf import settings as _settings

    from leadshift.core.deployment import NO_SECRET_KEY

    if getattr(_settings, "SECRET_KEY_MISSING", False):
        click.echo(NO_SECRET_KEY, err=True)
        sys.exit(2)
    _migrate()
    from leadshift.people.models import Organisation

    if with_demo and not Organisation.objects.exists():
        # In a child process: the demo runs the optimiser and a simulation, whose native
        # thread and process pools the web processes gunicorn forks from this one must not
        # inherit (they abort or print a traceback on the way out).
        subprocess.run(
            [sys.executable, "-m", "leadshift", "demo", "--seed", "7"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
        click.echo(f"Loaded the demo organisation {Organisation.objects.get().name}.")
    from leadshift.demo import demo_exists

    if demo_exists():
        _print_demo_accounts()
    import contextlib

    from django.conf import settings
    from django.db import connections

    from leadshift.scale.server import default_workers, serve_forever, task_worker_beside

    workers = workers or default_workers()
    from leadshift.scale.server import connection_shortfall

    if shortfall := connection_shortfall(workers, threads, with_worker):
        click.secho(shortfall, fg="yellow", err=True)
    connections.close_all()  # gunicorn forks: each web process opens its own
    shown = "localhost" if host in {"127.0.0.1", "0.0.0.0"} else host
    engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    click.echo(
        f"LeadShift is running at http://{shown}:{port}/  (database: {engine}; {workers} web "
        f"process{'es' if workers > 1 else ''}{', a task worker' if with_worker else ''}; "
        "Ctrl+C to stop)"
    )
    with task_worker_beside() if with_worker else contextlib.nullcontext():
        serve_forever(host, port, workers, threads)


@main.group()
def framework() -> None:
    """Show, check and install frameworks."""


@framework.command("validate")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@fails_cleanly
def framework_validate(file: Path) -> None:
    """Check a framework file against the schema."""
    from leadshift.frameworks.schema import load_framework_file

    fw = load_framework_file(file)
    actions = sum(len(t.actions) for t in fw.tracks)
    click.echo(
        f"{file}: valid — {fw.label}: {len(fw.shifts)} shifts, {len(fw.capabilities)} "
        f"capabilities, {len(fw.tracks)} tracks with {actions} actions, {len(fw.roles)} roles."
    )


@framework.command("show")
@click.option("--json", "as_json", is_flag=True, help="Print the whole framework as JSON.")
@click.option(
    "--file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="A framework file instead of the built-in one.",
)
@fails_cleanly
def framework_show(as_json: bool, file: Path | None) -> None:
    """Print the framework: shifts, capabilities and levels, tracks, roles."""
    from leadshift.frameworks.schema import default_framework, load_framework_file

    fw = load_framework_file(file) if file else default_framework()
    if as_json:
        _print_json(fw.model_dump(mode="json", by_alias=True))
        return
    click.secho(f"{fw.label}", bold=True)
    click.echo(fw.description)
    click.secho("\nShifts", bold=True)
    for s in fw.shifts:
        click.echo(f"  {s.id:14} {s.name}: {s.pm_pole} → {s.leader_pole}")
    click.secho("\nCapabilities", bold=True)
    for c in fw.capabilities:
        click.echo(f"  {c.id:28} {c.name}")
        for lv in c.levels:
            click.echo(f"      {lv.level}. {lv.name}: {lv.summary}")
            for n, b in enumerate(lv.behaviours, start=1):
                shows = f" [evidence: {b.evidence}]" if b.evidence else ""
                click.echo(f"         {lv.level}.{n} {b.text}{shows}")
    click.secho("\nPreparation tracks", bold=True)
    for t in fw.tracks:
        click.echo(f"  {t.id:36} {t.name} ({len(t.actions)} actions)")
    click.secho("\nTarget roles", bold=True)
    for r in fw.roles:
        levels = " ".join(str(r.expected[c.id]) for c in fw.capabilities)
        click.echo(f"  {r.id:18} {r.name:30} expects {levels}")


@framework.command("install")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@fails_cleanly
def framework_install(file: Path, org_slug: str) -> None:
    """Make a framework file the organisation's framework for new assessments."""
    _django()
    from leadshift.core.errors import NotFound
    from leadshift.frameworks.services import do_install_framework
    from leadshift.people.models import Organisation

    org = Organisation.objects.filter(slug=org_slug).first()
    if org is None:
        raise NotFound(f"no organisation {org_slug!r}")
    from leadshift.files import read_text

    fv = do_install_framework(org, read_text(file), str(file))
    click.echo(f"{org.name} now assesses with {fv}.")


def _person(ref: str) -> Any:
    _django()
    from leadshift.people.services import find_person

    return find_person(ref)


@main.command()
@click.option(
    "--answers",
    "answers_file",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="YAML or JSON answers file.",
)
@click.option("--person", "person_ref", help="E-mail or id; overrides the file's `person`.")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def assess(answers_file: Path, person_ref: str | None, as_json: bool) -> None:
    """Record a whole self-assessment from a file, and print the readiness profile."""
    _django()
    from django.utils import timezone

    from leadshift.assessments.answers_file import answers_from_document
    from leadshift.assessments.readiness import profile_json
    from leadshift.assessments.services import do_submit_assessment
    from leadshift.core.errors import Invalid, NotAllowed
    from leadshift.files import read_document
    from leadshift.frameworks.services import framework_for
    from leadshift.people.services import find_person

    doc = read_document(answers_file)
    ref = person_ref
    if ref is None:
        if not isinstance(doc.data, dict) or not doc.data.get("person"):
            raise Invalid(
                f"{answers_file}: say whose answers these are: `person:` in the file or --person"
            )
        ref = str(doc.data["person"])
    person = find_person(ref)
    parsed = answers_from_document(doc, framework_for(person.organisation).data)
    if parsed.person and person_ref and find_person(parsed.person).id != person.id:
        raise NotAllowed(
            f"{answers_file}: these answers are {parsed.person}'s; they cannot be recorded for {person_ref}"
        )
    taken_at = None
    if parsed.date:
        import datetime as dt

        taken_at = timezone.make_aware(dt.datetime.combine(parsed.date, dt.time(12)))
    a = do_submit_assessment(person, person, parsed.target_role, parsed.answers, taken_at=taken_at)
    profile = a.profile()
    if as_json:
        _print_json({"assessment": a.id, "person": person.email, "profile": profile_json(profile)})
    else:
        click.echo(f"Recorded assessment {a.id} for {person.name}.")
        _print_profile(profile)


def _bar(position: float | None, width: int = 30) -> str:
    if position is None:
        return "·" * width
    k = min(width - 1, int(position / 100 * width))
    return "─" * k + "●" + "─" * (width - k - 1)


def _print_profile(profile: Any) -> None:
    click.secho(f"\n{profile.verdict_text}", bold=True)
    click.echo(f"Readiness: {profile.readiness:.0f}% of what a {profile.role_name} needs\n")
    click.secho("Shifts (PM end → leader end)", bold=True)
    for s in profile.shifts:
        pos = "—" if s.position is None else f"{s.position:3.0f}"
        exp = "" if s.expected is None else f"  role: {s.expected}"
        click.echo(f"  {s.name:34} {_bar(s.position)} {pos}{exp}")
    click.secho("\nCapabilities (you / role)", bold=True)
    for c in profile.capabilities:
        mark = "  ▼" if (c.gap or 0) > 0 else ("  ▲" if (c.gap or 0) < 0 else "")
        click.echo(f"  {c.name:40} {c.level or '—'} / {c.expected}{mark}")
    if profile.gaps:
        click.secho("\nBiggest gaps", bold=True)
        for g in profile.gaps:
            click.echo(f"  - {g.name}: {g.text}")
    if profile.strengths:
        click.secho("\nStrengths", bold=True)
        for g in profile.strengths:
            click.echo(f"  + {g.name}: {g.text}")


@main.command()
@click.argument("person_ref", metavar="PERSON")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def profile(person_ref: str, as_json: bool) -> None:
    """The latest readiness profile of PERSON (e-mail or id), and what moved since the last."""
    _django()  # before the imports below, which reach Django models
    from leadshift.assessments.readiness import compare_profiles, comparison_json, profile_json
    from leadshift.assessments.services import latest_two_complete
    from leadshift.core.errors import NotFound

    person = _person(person_ref)
    latest, previous = latest_two_complete(person)
    if latest is None:
        raise NotFound(f"{person.name} has no complete assessment yet")
    p = latest.profile()
    changes = compare_profiles(previous.profile(), p) if previous else None
    if as_json:
        _print_json(
            {
                "person": {"id": person.id, "name": person.name, "email": person.email},
                "assessment": latest.id,
                "completed_at": latest.completed_at,
                "profile": profile_json(p),
                "changes": comparison_json(changes) if changes else None,
            }
        )
        return
    click.secho(f"{person.name} — assessment of {day(latest.completed_at)}", bold=True)
    _print_profile(p)
    if changes and previous:
        click.secho(f"\nSince {day(previous.completed_at)}", bold=True)
        for m in changes.capabilities:
            if m.change:
                click.echo(f"  {m.name:40} {m.before} → {m.after} ({m.change:+})")
        for m in changes.shifts:
            if m.change:
                click.echo(f"  {m.name:40} {m.before:.0f} → {m.after:.0f} ({m.change:+.0f})")


@main.command()
@click.argument("person_ref", metavar="PERSON")
@click.option("--generate", is_flag=True, help="Make a new 90-day plan from the latest assessment.")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def plan(person_ref: str, generate: bool, as_json: bool) -> None:
    """The current development plan of PERSON, with progress."""
    _django()  # before the imports below, which reach Django models
    from django.utils import timezone

    from leadshift.assessments.services import latest_two_complete
    from leadshift.core.errors import NotFound
    from leadshift.growth.models import plan_json
    from leadshift.growth.services import do_generate_plan, do_tick_evidenced_actions

    person = _person(person_ref)
    if generate:
        latest, _ = latest_two_complete(person)
        if latest is None:
            raise NotFound(f"{person.name} has no complete assessment to plan from")
        current = do_generate_plan(latest, person)
    else:
        current = person.plans.first()
        if current is None:
            raise NotFound(f"{person.name} has no plan yet; run with --generate to make one")
    do_tick_evidenced_actions(current, today=timezone.localdate())
    data = plan_json(current, timezone.localdate())
    if as_json:
        _print_json(data)
        return
    pr = data["progress"]
    click.secho(f"{data['title']} — {person.name}", bold=True)
    click.echo(
        f"{data['starts_on']} → {data['ends_on']} · {pr['done']} of {pr['total']} done ({pr['status']})"
    )
    for g in data["goals"]:
        click.secho(f"\n{g['title']}", bold=True)
        for a in g["actions"]:
            box = "[x]" if a["done_on"] else "[ ]"
            click.echo(f"  {box} {a['due_on']}  {a['title']}")
            if a["evidence"]:
                click.echo(f"                  evidence: {a['evidence']}")
    if data["checkins"]:
        click.secho("\nCheck-ins", bold=True)
        for c in data["checkins"]:
            click.echo(f"  {c['date']}  confidence {c['confidence']}/5  {c['note']}")


@main.group()
def token() -> None:
    """API tokens."""


@token.command("create")
@click.argument("person_ref", metavar="PERSON")
@click.option("--name", default="cli", show_default=True)
@fails_cleanly
def token_create(person_ref: str, name: str) -> None:
    """Create an API token for PERSON and print it (shown once)."""
    from leadshift.people.services import do_create_api_token

    person = _person(person_ref)
    _, raw = do_create_api_token(person, name)
    click.echo(raw)


@main.command()
@click.argument("ratings", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--method",
    type=click.Choice(["model", "mean"]),
    default="model",
    show_default=True,
    help="model: corrects for rater leniency; mean: the plain average.",
)
@click.option(
    "--levels", default="1-5", show_default=True, help="The scale of the scores, LOW-HIGH."
)
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def score(ratings: Path, method: str, levels: str, as_json: bool) -> None:
    """Score 360 ratings (subject,rater,relationship,capability,score) per person and capability."""
    from leadshift.assessments.ratings_file import read_ratings_csv, result_to_json
    from leadshift.assessments.scoring import score as run_score
    from leadshift.core.errors import Invalid

    try:
        low, high = (int(x) for x in levels.split("-"))
    except ValueError:
        raise Invalid(f"--levels {levels!r}: expected LOW-HIGH, e.g. 1-5") from None
    rows = read_ratings_csv(ratings, levels=(low, high), filename=str(ratings))
    with click.progressbar(length=1, label=f"Fitting {len(rows)} ratings", file=sys.stderr) as bar:
        try:
            result = run_score(
                rows, method="model" if method == "model" else "mean", min_level=low, max_level=high
            )
        except ValueError as exc:  # too few or too uniform ratings for the model
            raise Invalid(
                f"{ratings}: the model cannot be fitted to these ratings ({exc}); "
                "--method mean gives the plain averages"
            ) from None
        bar.update(1)
    data = result_to_json(result)
    if as_json:
        _print_json(data)
        return
    click.secho(f"{data['method']} · {int(100 * data['interval'])}% intervals", bold=True)
    for note in data["diagnostics"].get("notes", []):
        click.secho(f"  note: {note}", fg="yellow")
    for s in data["subjects"]:
        self_part = "" if s["self"] is None else f"  self {s['self']}"
        click.echo(
            f"  {s['subject']:24} {s['capability']:30} {s['estimate']:5.2f} "
            f"[{s['low']:.2f}, {s['high']:.2f}]  raters {s['n_raters']}{self_part}"
        )
    if data["raters"]:
        click.secho("\nRater severity (positive = harsh)", bold=True)
        for r in data["raters"]:
            click.echo(f"  {r['rater']:24} {r['severity']:+.2f}  ({r['n_ratings']} ratings)")


@main.group()
def feedback() -> None:
    """360 feedback: cycles, released results, the team's heatmap data."""


@feedback.command("cycles")
@click.argument("person_ref", metavar="PERSON")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def feedback_cycles(person_ref: str, as_json: bool) -> None:
    """PERSON's feedback cycles with counts of who answered per group (never who)."""
    person = _person(person_ref)
    from leadshift.feedback import services

    services.release_due()
    cycles = [services.cycle_json(c) for c in person.feedback_cycles.order_by("-opened_at")]
    if as_json:
        _print_json(cycles)
        return
    for c in cycles:
        counts = ", ".join(
            f"{k['label']} {'–' if k['answered'] is None else k['answered']}/{k['invited']}"
            for k in c["counts"]
        )
        click.echo(f"  #{c['id']}  {c['status']:8}  closes {c['closes_at']:%Y-%m-%d}  {counts}")
    if not cycles:
        click.echo(f"{person.name} has no feedback cycles.")


@feedback.command("results")
@click.argument("person_ref", metavar="PERSON")
@click.option("--cycle", "cycle_id", type=int, help="A cycle id; default: the latest released.")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def feedback_results(person_ref: str, cycle_id: int | None, as_json: bool) -> None:
    """The released 360 results of PERSON: aggregates per group, blind spots, comments."""
    person = _person(person_ref)
    from leadshift.core.errors import NotFound
    from leadshift.feedback import services

    services.release_due()
    cycles = person.feedback_cycles.filter(status="released").order_by("-released_at")
    cycle = cycles.filter(pk=cycle_id).first() if cycle_id else cycles.first()
    if cycle is None:
        raise NotFound(
            f"{person.name} has no released feedback" + (f" #{cycle_id}" if cycle_id else "")
        )
    data = services.result_data(cycle)
    if as_json:
        _print_json(data)
        return
    groups = [g for g in data["groups"]]
    click.secho(
        f"360 feedback for {person.name}, released {day(cycle.released_at)} "
        f"(groups of at least {data['threshold']})",
        bold=True,
    )
    click.echo("  answered: " + ", ".join(f"{k} {n}" for k, n in data["answered"].items()))
    header = "".join(f"{g['label'][:11]:>12}" for g in groups)
    click.echo(f"  {'capability':38}{'self':>6}{header}{'estimate':>10}  80% interval")
    for c in data["capabilities"]:
        cells = "".join(
            f"{c['cells'][g['id']]['mean']:>12.1f}"
            if c["cells"].get(g["id"], {}).get("mean") is not None
            else f"{'—':>12}"
            for g in groups
        )
        est = (
            ""
            if c["estimate"] is None
            else f"{c['estimate']:>10.2f}  {c['low']:.2f}–{c['high']:.2f}"
        )
        flag = {"blind_spot": "  blind spot", "hidden_strength": "  hidden strength"}.get(
            c["flag"] or "", ""
        )
        click.echo(f"  {c['name'][:38]:38}{c['self'] or '—':>6}{cells}{est}{flag}")
    for c in data["capabilities"]:
        if c["comments"]:
            click.secho(f"\n{c['name']}", bold=True)
            for text in c["comments"]:
                click.echo(f"  - {text}")


@feedback.command("team")
@click.argument("person_ref", metavar="LEADER")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def feedback_team(person_ref: str, as_json: bool) -> None:
    """Everyone below LEADER: estimates per capability, readiness, common gaps."""
    leader = _person(person_ref)
    from leadshift.feedback.team import team_json, team_overview

    data = team_json(team_overview(leader))
    if as_json:
        _print_json(data)
        return
    for p in data["people"]:
        click.echo(
            f"  {p['name']:28} {p['verdict_label']:22} {p['target_role']} ({p['source'] or 'no data'})"
        )
    if data["common_gaps"]:
        click.secho("\nCommon gaps", bold=True)
        for g in data["common_gaps"]:
            click.echo(f"  {g['name']}: {g['below']} of {g['of']} below their role")


@feedback.command("release-due")
@fails_cleanly
def feedback_release_due() -> None:
    """Release every cycle whose closing date has passed (pages also do it when visited)."""
    _django()
    from leadshift.feedback import services

    released = services.release_due()
    click.echo(f"released {len(released)} cycle{'s' if len(released) != 1 else ''}")


@main.command()
@click.argument("portfolio", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--method",
    type=click.Choice(["optimal", "rice", "wsjf", "value-per-effort"]),
    default="optimal",
    show_default=True,
)
@click.option("--time-limit", default=60.0, show_default=True, type=float, help="Seconds.")
@click.option(
    "--gap",
    default=1e-4,
    show_default=True,
    type=float,
    help="Stop once proven within this fraction of the bound.",
)
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def allocate(portfolio: Path, method: str, time_limit: float, gap: float, as_json: bool) -> None:
    """Allocate team capacity to initiatives, and compare with score-and-sort plans."""
    from leadshift.allocation import allocate as run_allocate
    from leadshift.allocation.baselines import baselines
    from leadshift.allocation.plan import result_json
    from leadshift.allocation.problem import read_portfolio

    p = read_portfolio(portfolio)
    steps = max(1, int(time_limit * 10))
    with click.progressbar(length=steps, label="Solving", file=sys.stderr, show_eta=False) as bar:
        done = [0]

        def progress(elapsed: float, incumbent: float | None, bound: float | None) -> None:
            target = min(steps, int(elapsed * 10))
            if target > done[0]:
                bar.update(target - done[0])
                done[0] = target
            if incumbent is not None and bound:
                bar.label = f"Solving: value {incumbent:,.1f}, bound {bound:,.1f}"
            elif incumbent is not None:
                bar.label = f"Solving: value {incumbent:,.1f} (score-and-sort), bounding"

        plan = run_allocate(p, method=method, time_limit=time_limit, gap=gap, progress=progress)
        bar.update(steps - done[0])
    data = result_json(plan)
    others = {} if method != "optimal" else baselines(p)
    if as_json:
        data["baselines"] = {k: {"objective": v.objective} for k, v in others.items()}
        _print_json(data)
        return
    gap_text = "" if data.get("gap") is None else f", gap {100 * data['gap']:.2f}%"
    click.secho(
        f"{data['status']}: value {data['objective']:,.2f}, bound {data['bound']:,.2f}{gap_text}",
        bold=True,
    )
    if plan.message:
        click.echo(plan.message)
    for line in plan.conflicts:
        click.secho(f"  conflict: {line}", fg="red")
    for s in data["selected"]:
        click.echo(f"  {s['start']:>8}  {s['id']}")
    if data.get("left_out"):
        click.secho(f"\nLeft out ({len(data['left_out'])})", bold=True)
        for item in data["left_out"][:20]:
            click.echo(f"  {item['id']}: {item.get('reason', item.get('rule', ''))}")
    if others:
        click.secho("\nScore-and-sort under the same rules", bold=True)
        for name, other in others.items():
            gain = plan.objective - other.objective
            click.echo(f"  {name:18} {other.objective:12,.2f}   optimiser gains {gain:+,.2f}")


class _TimeUseGroup(click.Group):
    """`leadshift timeuse CALENDAR.ics …` reads files (no database); `leadshift timeuse import
    …`, `show` and `delete` work on what is stored for a person."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["read", *args]
        return super().parse_args(ctx, args)


@click.group("timeuse", cls=_TimeUseGroup)
def timeuse() -> None:
    """Calendar time per shift: read ICS files, or import them for a person.

    \b
    leadshift timeuse CALENDAR.ics [--owner EMAIL] [--from DATE] [--to DATE] [--json]
    leadshift timeuse import CALENDAR.ics... --person EMAIL
    leadshift timeuse show PERSON [--json]
    leadshift timeuse delete PERSON
    """


@timeuse.command("import")
@click.argument("calendars", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--person", "person_ref", required=True, help="Whose calendar (e-mail or id).")
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="First day (included).")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Last day (included).")
@fails_cleanly
def timeuse_import(calendars: tuple[Path, ...], person_ref: str, start: Any, end: Any) -> None:
    """Import calendars for PERSON: only weekly hours per shift are kept."""
    _django()
    from leadshift.core.errors import Invalid
    from leadshift.timeuse.ics import calendar_files
    from leadshift.timeuse.services import do_import_calendars

    person = _person(person_ref)
    files = []
    for path in calendar_files(calendars):
        try:
            files.append((str(path), path.read_bytes()))
        except OSError as exc:
            raise Invalid(f"{path}: cannot read the file: {exc.strerror}") from exc
    with click.progressbar(length=1, label="Reading and classifying", file=sys.stderr) as bar:
        record = do_import_calendars(
            person,
            person,
            files,
            start=start.date() if start else None,
            end=end.date() if end else None,
        )
        bar.update(1)
    click.echo(
        f"Imported {record.meetings} meetings ({record.hours:.1f} h) for {person.name}, "
        f"weeks {record.first_week} to {record.last_week}. Only weekly totals are kept."
    )


@timeuse.command("show")
@click.argument("person_ref", metavar="PERSON")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def timeuse_show(person_ref: str, as_json: bool) -> None:
    """What is stored for PERSON: months, leader share per shift, and the trend."""
    _django()
    from leadshift.timeuse.services import summary_data

    person = _person(person_ref)
    data = summary_data(person)
    if as_json:
        _print_json(data)
        return
    if not data["weeks"]:
        click.echo(f"No calendar imported for {person.name}.")
        return
    click.secho(f"{person.name}: {len(data['weeks'])} weeks", bold=True)
    shifts = list(data["trend"])
    click.echo("month  " + "".join(f"{s[:13]:>15}" for s in shifts))
    for month, m in data["months"].items():
        cells = "".join(
            f"{'—' if (v := m['leader_share'][s]) is None else f'{100 * v:.0f}%':>15}"
            for s in shifts
        )
        click.echo(f"{month}{cells}")
    click.echo("trend  " + "".join(f"{data['trend'][s]['direction']:>15}" for s in shifts))


@timeuse.command("delete")
@click.argument("person_ref", metavar="PERSON")
@fails_cleanly
def timeuse_delete(person_ref: str) -> None:
    """Delete every imported week of PERSON."""
    _django()
    from leadshift.timeuse.services import do_delete_all

    person = _person(person_ref)
    count = do_delete_all(person, person)
    click.echo(f"Deleted {count} imports of {person.name}.")


@main.command()
@click.argument(
    "kind",
    type=click.Choice(
        ["readiness", "team", "stakeholders", "brief", "decisions", "portfolio", "risk"]
    ),
)
@click.argument("subject", required=False, metavar="[SUBJECT]")
@click.option(
    "--format", "fmt", type=click.Choice(["html", "pdf", "json"]), default="html", show_default=True
)
@click.option(
    "--out", "out", type=click.Path(dir_okay=False, path_type=Path), help="File to write."
)
@click.option(
    "--as",
    "viewer_ref",
    help="Who is asking (e-mail or id); the report is refused if they may not see SUBJECT.",
)
@fails_cleanly
def report(
    kind: str, subject: str | None, fmt: str, out: Path | None, viewer_ref: str | None
) -> None:
    """A report as HTML, PDF or JSON: readiness, team, stakeholders, brief or decisions of
    SUBJECT (a person); portfolio or risk of the organisation (SUBJECT is the viewer).

    SUBJECT defaults to the viewer given with --as; the viewer defaults to SUBJECT.
    """
    _django()
    from django.utils import timezone

    from leadshift.core.errors import Invalid
    from leadshift.reports.assemble import build_report
    from leadshift.reports.render import json_text, pdf_bytes, printable_html

    if subject is None and viewer_ref is None:
        raise Invalid("name the report's subject (e-mail or id), or who is asking with --as")
    person = _person(subject or viewer_ref or "")
    viewer = _person(viewer_ref) if viewer_ref else person
    today = timezone.localdate()
    built = build_report(kind, person.id, viewer, today)
    if fmt == "pdf" and out is None:
        raise Invalid("a PDF needs a file: add --out report.pdf")
    if fmt == "pdf":
        payload: bytes = pdf_bytes(built, today)
    elif fmt == "json":
        payload = json_text(built).encode("utf-8")
    else:
        payload = printable_html(built, today).encode("utf-8")
    if out is None:
        click.echo(payload.decode("utf-8"))
        return
    out.write_bytes(payload)
    click.echo(f"Wrote {built.title} to {out} ({len(payload):,} bytes).")


@main.group()
def decisions() -> None:
    """Decision records: export, reviews due, calibration."""


@decisions.command("export")
@click.argument("decision_id", type=int, metavar="ID")
@click.option("--format", "fmt", type=click.Choice(["md", "json"]), default="md", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write here.")
@fails_cleanly
def decisions_export(decision_id: int, fmt: str, output: Path | None) -> None:
    """A decision record as Markdown (for sharing) or JSON."""
    _django()
    from leadshift.core.errors import NotFound
    from leadshift.decisions.models import Decision
    from leadshift.decisions.record import markdown
    from leadshift.decisions.services import decision_json

    d = Decision.objects.select_related("owner").filter(pk=decision_id).first()
    if d is None:
        raise NotFound(f"no decision with id {decision_id}")
    text = (
        markdown(d.record())
        if fmt == "md"
        else json.dumps(decision_json(d), indent=2, ensure_ascii=False)
    )
    if output:
        output.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")
        click.echo(f"Wrote {output}", err=True)
    else:
        click.echo(text, nl=not text.endswith("\n"))


@decisions.command("list")
@click.argument("person_ref", metavar="PERSON")
@click.option("--due", is_flag=True, help="Only those whose review has come.")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def decisions_list(person_ref: str, due: bool, as_json: bool) -> None:
    """A person's decision records, reviews due first."""
    person = _person(person_ref)
    from leadshift.decisions.services import decision_json

    rows = [decision_json(d) for d in person.decisions.select_related("owner")]
    if due:
        rows = [r for r in rows if r["review_due"]]
    rows.sort(key=lambda r: (not r["review_due"], r["review_on"] or "9999"))
    if as_json:
        _print_json(rows)
        return
    for r in rows:
        state = "REVIEW DUE" if r["review_due"] else (r["outcome"] or "open")
        fc = "" if r["forecast"] is None else f"{r['forecast']:.0%}"
        click.echo(f"{r['id']:>5}  {state:10}  {fc:>4}  {r['kind']:12}  {r['question']}")


@decisions.command("calibration")
@click.argument("person_ref", metavar="PERSON")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def decisions_calibration(person_ref: str, as_json: bool) -> None:
    """Brier score and reliability over a person's reviewed forecasts, by kind."""
    person = _person(person_ref)
    from leadshift.decisions.services import calibration

    data = calibration(person)
    if as_json:
        _print_json(data)
        return
    if not data["count"]:
        click.echo("No reviewed decisions with a forecast yet.")
        return
    for g in data["groups"]:
        click.secho(f"{g['name']}: Brier {g['brier']:.3f} over {g['count']}", bold=True)
        for b in g["bins"]:
            if b["count"]:
                click.echo(
                    f"  said {b['low']:.0%}-{b['high']:.0%}: came true {b['observed']:.0%} "
                    f"of {b['count']} (95% {b['interval'][0]:.0%}-{b['interval'][1]:.0%})"
                )


@main.group()
def portfolio() -> None:
    """The organisation's portfolio: import and export it."""


def _org(slug: str) -> Any:
    _django()
    from leadshift.core.errors import NotFound
    from leadshift.people.models import Organisation

    org = Organisation.objects.filter(slug=slug).first()
    if org is None:
        raise NotFound(f"no organisation {slug!r}")
    return org


@portfolio.command("import")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option(
    "--kind",
    type=click.Choice(["portfolio", "initiatives-csv", "snapshots-csv"]),
    help="What the file holds; by default told from its name and header.",
)
@fails_cleanly
def portfolio_import(file: Path, org_slug: str, kind: str | None) -> None:
    """Import a portfolio file (YAML/JSON) or initiatives or snapshots (CSV), all or nothing."""
    from leadshift.files import read_text

    text = read_text(file)  # a file that cannot be read stops the command before the database
    org = _org(org_slug)
    from leadshift.portfolio.services import do_import

    counts = do_import(org, None, text, str(file), kind)
    done = ", ".join(f"{n} {k}" for k, n in counts.items())
    click.echo(f"Imported into {org.name}: {done}.")


@portfolio.command("export")
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of YAML.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path))
@fails_cleanly
def portfolio_export(org_slug: str, as_json: bool, output: Path | None) -> None:
    """Print the portfolio in the file format `leadshift allocate` and the import read."""
    import yaml

    org = _org(org_slug)
    from leadshift.portfolio.services import export_document

    data = export_document(org, None)
    text = (
        json.dumps(data, indent=2, ensure_ascii=False)
        if as_json
        else yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    )
    if output:
        output.write_text(text + ("\n" if as_json else ""), encoding="utf-8")
        click.echo(f"Wrote {output}.", err=True)
    else:
        click.echo(text)


@portfolio.command("products")
@click.option("--org", "org_slug", required=True, help="The organisation's short name (slug).")
@click.option("--json", "as_json", is_flag=True)
@fails_cleanly
def portfolio_products(org_slug: str, as_json: bool) -> None:
    """Each product's develop / scale / sustain / sunset recommendation and its reasons."""
    org = _org(org_slug)
    from leadshift.portfolio.services import product_json, product_views

    views = product_views(org)
    if as_json:
        _print_json([product_json(v) for v in views])
        return
    for v in views:
        rec = v.advice.recommendation or "no recommendation"
        over = (
            f"  → overruled: {v.product.override} ({v.product.override_reason})"
            if v.overridden
            else ""
        )
        click.secho(f"{v.product.name}: {rec}{over}", bold=True)
        for r in v.advice.reasons:
            click.echo(f"  - {r}")


def _add_engine_commands() -> None:
    from leadshift.outbox.cli import outbox as outbox_command
    from leadshift.risk.command import simulate_command
    from leadshift.scale.cli import worker_command
    from leadshift.timeuse.cli import timeuse_command

    timeuse.add_command(timeuse_command, "read")
    main.add_command(timeuse, "timeuse")
    main.add_command(simulate_command, "simulate")
    main.add_command(outbox_command)
    from leadshift.people.cli import people, teams

    main.add_command(people)
    main.add_command(teams)
    main.add_command(worker_command, "worker")
    from leadshift.coaching.cli import oneonones

    main.add_command(oneonones)
    from leadshift.mentoring.cli import mentors

    main.add_command(mentors)
    from leadshift.nudges.cli import digest

    main.add_command(digest)
    from leadshift.pulse.cli import pulse

    main.add_command(pulse)


_add_engine_commands()


def _add_app_commands() -> None:
    from leadshift.orgdata.cli import org

    main.add_command(org)
    from leadshift.radar.cli import radar

    main.add_command(radar)
    from leadshift.portfolio.cli import actuals_command, health_command, sync_command

    for command in (actuals_command, sync_command, health_command):
        portfolio.add_command(command)
    from leadshift.planning.cli import sweep_command

    main.add_command(sweep_command)


_add_app_commands()

if __name__ == "__main__":
    main()
