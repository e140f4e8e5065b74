"""A large demo organisation for load tests: about 2,000 people in 100 teams with an
assessment and a plan each, released 360 feedback for most, 5,000 initiatives, 300 risks and a
finished simulation. Rows are written with bulk_create; the numbers come from the same engines
as everywhere (readiness, plan generation, 360 release with its model fit, the optimiser, the
Monte Carlo)."""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from leadshift.assessments.models import Assessment, CapabilityRating, ShiftAnswer
from leadshift.assessments.readiness import Answers, readiness_profile
from leadshift.assessments.standing import do_store_standings
from leadshift.demo import DEMO_PASSWORD, _answers
from leadshift.feedback import services as feedback
from leadshift.feedback.models import Cycle, Rater, RaterAnswer
from leadshift.frameworks.schema import Framework
from leadshift.frameworks.services import framework_for
from leadshift.growth.models import Action, Goal, Plan
from leadshift.growth.planning import generate_plan
from leadshift.people.models import Organisation, Person, Team
from leadshift.people.services import do_create_organisation
from leadshift.planning.services import do_adopt, do_create_scenario, do_start_run
from leadshift.portfolio.models import Initiative, InitiativeEffort, InitiativeObjective, Objective
from leadshift.portfolio.services import do_import
from leadshift.risk.services import RiskIn, do_save_risk, do_start_simulation

LARGE_DOMAIN = "contoso.example"
LARGE_LEADER_EMAIL = f"lead@{LARGE_DOMAIN}"
BATCH = 2000


def large_pm_email(i: int) -> str:
    return f"pm{i:04}@{LARGE_DOMAIN}"


@dataclass
class LargeResult:
    organisation: Organisation
    people: int
    assessments: int
    plans: int
    released_cycles: int
    initiatives: int
    risks: int
    seconds: dict[str, float] = field(default_factory=dict)


def large_demo_exists() -> bool:
    return Person.objects.filter(email=LARGE_LEADER_EMAIL).exists()


@transaction.atomic
def load_large_demo(
    *,
    seed: int = 7,
    people: int = 2000,
    teams: int = 100,
    initiatives: int = 5000,
    risks: int = 300,
    trials: int = 2000,
    progress: Callable[[str], None] | None = None,
) -> LargeResult:
    """All of it is written, or none of it."""
    rng = random.Random(seed)
    seconds: dict[str, float] = {}
    clock = [time.monotonic()]

    def step(name: str) -> None:
        now = time.monotonic()
        seconds[name] = round(now - clock[0], 1)
        clock[0] = now
        if progress:
            progress(f"{name}: {seconds[name]:.1f} s")

    today = timezone.localdate()
    password_hash = make_password(DEMO_PASSWORD)
    leader = do_create_organisation(
        name="Contoso at scale",
        admin_name="Lee Leader",
        admin_email=LARGE_LEADER_EMAIL,
        password=None,
        password_hash=password_hash,
        title="Chief Product Officer",
    )
    org = leader.organisation
    fw = framework_for(org).data
    team_rows = Team.objects.bulk_create(
        [Team(organisation=org, name=f"Squad {t:03}") for t in range(teams)]
    )
    everyone = _people(org, leader, team_rows, people, password_hash, rng)
    step("people")
    assessments, answers = _assessments(org, everyone, fw, rng, today)
    step("assessments")
    plans = _plans(assessments, answers, fw)
    step("plans")
    released = _feedback(org, leader, everyone, assessments, answers, fw, rng)
    step("360 feedback")
    # Rows written in bulk, around the services: keep their readiness as completing would.
    do_store_standings(org, [p.pk for p in everyone])
    step("standings")
    _portfolio(org, leader, team_rows, initiatives, rng)
    step("portfolio")
    _risks(org, leader, risks, rng)
    step("risks")
    scenario = do_create_scenario(org, leader, name="Next four quarters")
    run = do_start_run(scenario, leader, method="value-per-effort", time_limit=60, background=False)
    do_adopt(scenario, leader, run)
    do_start_simulation(org, leader, trials=trials, seed=seed, background=False)
    step("plan of record and simulation")
    return LargeResult(
        organisation=org,
        people=len(everyone) + 1,
        assessments=len(assessments),
        plans=plans,
        released_cycles=released,
        initiatives=initiatives,
        risks=risks,
        seconds=seconds,
    )


def _people(
    org: Organisation,
    leader: Person,
    teams: list[Team],
    n: int,
    password_hash: str,
    rng: random.Random,
) -> list[Person]:
    """Ten directors, a group PM per team, product managers for the rest; all can sign in."""
    User = get_user_model()
    n_directors = 10
    specs: list[tuple[str, str, str, str, Team | None]] = []
    for d in range(n_directors):
        specs.append(
            (
                f"Director {d}",
                f"director{d}@{LARGE_DOMAIN}",
                "Director of Product",
                "vp_product",
                None,
            )
        )
    for t, team in enumerate(teams):
        specs.append(
            (
                f"Group PM {t}",
                f"group{t}@{LARGE_DOMAIN}",
                "Group Product Manager",
                "director_product",
                team,
            )
        )
    for i in range(n - 1 - len(specs)):
        senior = rng.random() < 0.4
        specs.append(
            (
                f"PM {i:04}",
                large_pm_email(i),
                "Senior Product Manager" if senior else "Product Manager",
                "group_pm" if senior else "senior_pm",
                teams[i % len(teams)],
            )
        )
    users = User.objects.bulk_create(
        [User(username=e, email=e, password=password_hash) for _, e, _, _, _ in specs],
        batch_size=BATCH,
    )
    rows = Person.objects.bulk_create(
        [
            Person(
                organisation=org,
                user=u,
                name=name,
                email=email,
                title=title,
                team=team,
                target_role=role,
            )
            for u, (name, email, title, role, team) in zip(users, specs, strict=True)
        ],
        batch_size=BATCH,
    )
    directors, groups = rows[:n_directors], rows[n_directors : n_directors + len(teams)]
    for d in directors:
        d.manager = leader
    for t, g in enumerate(groups):
        g.manager = directors[t % n_directors]
    for i, p in enumerate(rows[n_directors + len(teams) :]):
        p.manager = groups[i % len(teams)]
    Person.objects.bulk_update(rows, ["manager"], batch_size=BATCH)
    return rows


def _assessments(
    org: Organisation, people: list[Person], fw: Framework, rng: random.Random, today: dt.date
) -> tuple[list[Assessment], dict[int, Answers]]:
    fv = org.framework
    made: list[Assessment] = []
    shift_rows: list[ShiftAnswer] = []
    cap_rows: list[CapabilityRating] = []
    by_pk: dict[int, Answers] = {}
    for p in people:
        at = timezone.make_aware(
            dt.datetime.combine(today - dt.timedelta(days=rng.randint(5, 60)), dt.time(10))
        )
        made.append(
            Assessment(
                person=p,
                framework=fv,
                target_role=p.target_role,
                status="complete",
                started_at=at,
                completed_at=at,
            )
        )
    made = Assessment.objects.bulk_create(made, batch_size=BATCH)
    for p, a in zip(people, made, strict=True):
        seniority = 0.6 if "Director" in p.title else 0.45 if "Group" in p.title else 0.25
        answers = _answers(fw, rng, seniority + rng.uniform(-0.1, 0.1), {}, 0)
        by_pk[a.pk] = answers
        shift_rows += [
            ShiftAnswer(assessment=a, shift=s, question=q, choice=c)
            for (s, q), c in answers.shift_choices.items()
        ]
        cap_rows += [
            CapabilityRating(assessment=a, capability=c, level=lv)
            for c, lv in answers.capability_levels.items()
        ]
    ShiftAnswer.objects.bulk_create(shift_rows, batch_size=BATCH)
    CapabilityRating.objects.bulk_create(cap_rows, batch_size=BATCH)
    return made, by_pk


def _plans(assessments: list[Assessment], answers: dict[int, Answers], fw: Framework) -> int:
    """Each person's 90-day plan from their gaps, by the plan engine."""
    drafts = []
    for a in assessments:
        profile = readiness_profile(fw, answers[a.pk], a.target_role)
        starts = a.completed_at.date() if a.completed_at else a.started_at.date()
        drafts.append((a, generate_plan(fw, profile, starts_on=starts, days=90)))
    plans = Plan.objects.bulk_create(
        [
            Plan(
                person_id=a.person_id,
                assessment=a,
                title=d.title,
                starts_on=d.starts_on,
                ends_on=d.ends_on,
            )
            for a, d in drafts
        ],
        batch_size=BATCH,
    )
    goal_rows, goal_actions = [], []
    for plan, (_, d) in zip(plans, drafts, strict=True):
        for gi, g in enumerate(d.goals):
            goal_rows.append(
                Goal(
                    plan=plan,
                    capability=g.capability,
                    title=g.title,
                    from_level=g.from_level,
                    to_level=g.to_level,
                    target_behaviour=g.target_behaviour,
                    position=gi,
                )
            )
            goal_actions.append(g.actions)
    goals = Goal.objects.bulk_create(goal_rows, batch_size=BATCH)
    actions, position = [], 0
    for goal, acts in zip(goals, goal_actions, strict=True):
        for act in acts:
            position += 1
            actions.append(
                Action(
                    goal=goal,
                    title=act.title,
                    description=act.description,
                    track=act.track,
                    source_action=act.source_action,
                    evidence=act.evidence,
                    due_on=act.due_on,
                    position=position,
                )
            )
    Action.objects.bulk_create(actions, batch_size=BATCH)
    return len(plans)


def _feedback(
    org: Organisation,
    leader: Person,
    people: list[Person],
    assessments: list[Assessment],
    answers_of: dict[int, Answers],
    fw: Framework,
    rng: random.Random,
) -> int:
    """360 cycles for nine in ten, answered by a manager and three peers, closed yesterday and
    released by the real release (aggregation within the anonymity rules and the model fit)."""
    opened = timezone.now() - dt.timedelta(days=20)
    closed = timezone.now() - dt.timedelta(days=1)
    chosen = [(p, a) for p, a in zip(people, assessments, strict=True) if rng.random() < 0.9]
    cycles = Cycle.objects.bulk_create(
        [
            Cycle(
                subject=p,
                opened_by=leader,
                framework=org.framework,
                assessment=a,
                opened_at=opened,
                closes_at=closed,
            )
            for p, a in chosen
        ],
        batch_size=BATCH,
    )
    raters = []
    for c, (p, _) in zip(cycles, chosen, strict=True):
        for k, rel in enumerate(("manager", "peer", "peer", "peer")):
            email = f"rater{k}-{p.pk}@{LARGE_DOMAIN}"
            raters.append(
                Rater(
                    cycle=c,
                    name=f"Rater {k}",
                    email=email,
                    relationship=rel,
                    token_hash=hashlib.sha256(f"{c.pk}:{email}".encode()).hexdigest(),
                    invited_at=opened,
                    submitted_at=opened + dt.timedelta(days=2 + k),
                )
            )
    raters = Rater.objects.bulk_create(raters, batch_size=BATCH)
    levels = {a.pk: dict(answers_of[a.pk].capability_levels) for _, a in chosen}
    by_cycle = {c.pk: a.pk for c, (_, a) in zip(cycles, chosen, strict=True)}
    answers = []
    for r in raters:
        own = levels[by_cycle[r.cycle_id]]
        for cap in fw.capabilities:
            level = min(
                cap.max_level,
                max(cap.min_level, round(own.get(cap.id, 2) - 0.3 + rng.gauss(0, 0.7))),
            )
            answers.append(RaterAnswer(rater=r, capability=cap.id, level=level))
    RaterAnswer.objects.bulk_create(answers, batch_size=BATCH)
    return len(feedback.release_due())


def _portfolio(
    org: Organisation, leader: Person, teams: list[Team], n: int, rng: random.Random
) -> None:
    """Periods, team capacity and objectives through the real import (a portfolio file), then
    n initiatives across the teams with bulk_create (the import writes one at a time)."""
    lines = ["periods: [Q1, Q2, Q3, Q4]", "teams:"]
    lines += [f"  - {{id: {t.name!r}, capacity: {rng.randint(40, 80)}}}" for t in teams]
    lines += ["objectives:"]
    lines += [f"  - {{id: {o}, weight: {w}}}" for o, w in OBJECTIVES]
    lines += [
        "initiatives:",
        f"  - {{id: initiative-00000, value: 40, effort: {{{teams[0].name!r}: 8}}, "
        "horizon: core, objectives: [revenue]}",
    ]
    do_import(org, leader, "\n".join(lines) + "\n", "large-portfolio.yaml")
    objectives = list(Objective.objects.filter(organisation=org))
    horizons = ["core"] * 7 + ["adjacent"] * 2 + ["transformational"]
    items = []
    for i in range(1, n):
        low = rng.randint(5, 60)
        items.append(
            Initiative(
                organisation=org,
                key=f"initiative-{i:05}",
                name=f"Initiative {i:05}",
                position=i + 1,  # the imported first one is 1
                value_low=low,
                value_likely=low + rng.randint(5, 40),
                value_high=low + rng.randint(50, 150),
                duration=rng.choice([1, 1, 1, 2]),
                horizon=rng.choice(horizons),
            )
        )
    items = Initiative.objects.bulk_create(items, batch_size=BATCH)
    InitiativeEffort.objects.bulk_create(
        [
            InitiativeEffort(initiative=x, team=teams[i % len(teams)], likely=rng.randint(2, 20))
            for i, x in enumerate(items)
        ],
        batch_size=BATCH,
    )
    InitiativeObjective.objects.bulk_create(
        [InitiativeObjective(initiative=x, objective=rng.choice(objectives)) for x in items],
        batch_size=BATCH,
    )


OBJECTIVES = [("revenue", 2), ("retention", 1), ("efficiency", 1)]


def _risks(org: Organisation, leader: Person, n: int, rng: random.Random) -> None:
    ids = list(Initiative.objects.filter(organisation=org).values_list("id", flat=True))
    for i in range(n):
        do_save_risk(
            org,
            leader,
            RiskIn(
                f"Risk {i:03}",
                round(rng.uniform(0.05, 0.6), 2),
                initiative=rng.choice(ids),
                delay_periods=rng.choice([0.5, 1, 1, 2]),
                value_loss_share=rng.choice([0, 0, 0.2, 0.5]),
                owner=leader.id,
                mitigation="Spike it early",
                mitigated_probability=0.05,
            ),
        )
