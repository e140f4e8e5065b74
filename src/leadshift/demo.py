"""A believable demo organisation, generated from a seed, so every page has something to show.

About 60 people: a head of product, directors, group PMs and PMs across product teams, each
with two self-assessments some months apart and plans with progress. Every write goes through
the same services the app uses.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from leadshift.assessments.readiness import Answers
from leadshift.assessments.services import do_submit_assessment
from leadshift.behaviours.demo import SAM_EXTRA_TICKS, load_behaviour_evidence, with_ticks
from leadshift.feedback import services as feedback
from leadshift.feedback.models import Rater
from leadshift.frameworks.schema import Framework
from leadshift.frameworks.services import framework_for
from leadshift.growth.services import do_generate_plan, do_record_checkin, do_set_action_done
from leadshift.people.models import Organisation, Person, Team
from leadshift.people.services import do_add_person, do_create_organisation
from leadshift.stakeholders.services import do_add_stakeholder, do_log_interaction
from leadshift.timeuse.aggregate import aggregate
from leadshift.timeuse.rules import classify_all
from leadshift.timeuse.services import context_for, do_store_time_use, rules_for
from leadshift.timeuse.synthetic import synthetic_year

DEMO_PASSWORD = "leadshift-demo"
DEMO_DOMAIN = "northwind.example"
LEADER_EMAIL = f"maya.okafor@{DEMO_DOMAIN}"
PM_EMAIL = f"sam.rivera@{DEMO_DOMAIN}"

TEAMS = [
    "Payments",
    "Onboarding",
    "Search",
    "Mobile",
    "Data platform",
    "Growth",
    "Marketplace",
    "Integrations",
]
FIRST = [
    "Alex",
    "Priya",
    "Jonas",
    "Amara",
    "Lucas",
    "Mei",
    "Omar",
    "Sofia",
    "Daniel",
    "Aisha",
    "Tomás",
    "Hannah",
    "Kenji",
    "Leila",
    "Marco",
    "Nadia",
    "Oliver",
    "Ingrid",
    "Ravi",
    "Chloe",
    "Felix",
    "Yara",
    "Ethan",
    "Zara",
    "Mateo",
    "Ana",
    "Noah",
    "Elif",
    "Victor",
    "Grace",
    "Samir",
    "Julia",
    "Kwame",
    "Lena",
    "Diego",
    "Freya",
    "Arjun",
    "Maya",
    "Hugo",
    "Isla",
]
LAST = [
    "Nguyen",
    "Schmidt",
    "Okoye",
    "Rossi",
    "Haddad",
    "Kowalski",
    "Tanaka",
    "Fernández",
    "Larsen",
    "Mensah",
    "Dubois",
    "Patel",
    "Novak",
    "Ibrahim",
    "Costa",
    "Berg",
    "Silva",
    "Yilmaz",
    "Murphy",
    "Chen",
    "Andersen",
    "Moreau",
    "Ahmed",
    "Lindqvist",
    "García",
    "Bianchi",
    "Osei",
    "Kaur",
    "Müller",
    "Santos",
]


@dataclass(frozen=True)
class DemoResult:
    organisation: Organisation
    people: int
    assessments: int
    plans: int
    leader: Person
    pm: Person
    feedback_cycles: int = 0


def demo_exists() -> bool:
    return Organisation.objects.filter(slug="northwind-labs").exists()


def _answers(
    fw: Framework, rng: random.Random, seniority: float, growth: dict[str, int], round_no: int
) -> Answers:
    choices = {}
    for s in fw.shifts:
        for q in s.questions:
            target = 100 * min(1.0, max(0.0, seniority + 0.08 * round_no + rng.gauss(0, 0.15)))
            best = min(range(len(q.options)), key=lambda i: abs(q.options[i].position - target))
            choices[(s.id, q.id)] = best
    levels = {}
    for c in fw.capabilities:
        base = 1 + seniority * (c.max_level - 1) + rng.gauss(0, 0.6)
        level = round(base) + (growth.get(c.id, 0) if round_no else 0)
        levels[c.id] = max(c.min_level, min(c.max_level, level))
    return Answers(shift_choices=choices, capability_levels=levels)


@transaction.atomic
def load_demo(
    *,
    seed: int = 7,
    today: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> DemoResult:
    """Create the demo organisation. All of it is written, or none of it."""
    rng = random.Random(seed)
    today = today or timezone.localdate()
    # One hash for every demo account: hashing sixty passwords would dominate the load time.
    password_hash = make_password(DEMO_PASSWORD)
    leader = do_create_organisation(
        name="Northwind Labs",
        admin_name="Maya Okafor",
        admin_email=LEADER_EMAIL,
        password=None,
        password_hash=password_hash,
        title="VP of Product",
    )
    org = leader.organisation
    leader.target_role = "cpo"
    leader.save(update_fields=["target_role"])
    fw = framework_for(org).data
    teams = [Team.objects.create(organisation=org, name=n) for n in TEAMS]

    used: set[str] = {"Maya Okafor"}

    def name() -> str:
        while True:
            n = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            if n not in used:
                used.add(n)
                return n

    def email(n: str) -> str:
        return (
            n.lower()
            .replace(" ", ".")
            .replace("á", "a")
            .replace("é", "e")
            .replace("ü", "u")
            .replace("í", "i")
            + "@"
            + DEMO_DOMAIN
        )

    people: list[tuple[Person, float]] = []
    directors = []
    for _ in range(3):
        n = name()
        d = do_add_person(
            org,
            name=n,
            email=email(n),
            title="Director of Product",
            manager=leader,
            target_role="vp_product",
            password_hash=password_hash,
        )
        directors.append(d)
        people.append((d, 0.62 + rng.uniform(-0.05, 0.08)))
    group_pms = []
    for i, team in enumerate(teams):
        n = name()
        g = do_add_person(
            org,
            name=n,
            email=email(n),
            title="Group Product Manager",
            team=team,
            manager=directors[i % 3],
            target_role="director_product",
            password_hash=password_hash,
        )
        group_pms.append(g)
        team.lead = g
        team.save(update_fields=["lead"])
        people.append((g, 0.45 + rng.uniform(-0.08, 0.08)))
    sam = do_add_person(
        org,
        name="Sam Rivera",
        email=PM_EMAIL,
        title="Senior Product Manager",
        team=teams[0],
        manager=group_pms[0],
        target_role="group_pm",
        password_hash=password_hash,
    )
    used.add("Sam Rivera")
    people.append((sam, 0.34))
    for k in range(47):
        team_i = k % len(teams)
        senior = rng.random() < 0.4
        n = name()
        p = do_add_person(
            org,
            name=n,
            email=email(n),
            title="Senior Product Manager" if senior else "Product Manager",
            team=teams[team_i],
            manager=group_pms[team_i],
            target_role="group_pm" if senior else "senior_pm",
            password_hash=password_hash,
        )
        people.append((p, (0.3 if senior else 0.16) + rng.uniform(-0.1, 0.1)))

    first_round = today - dt.timedelta(days=150)
    second_round = today - dt.timedelta(days=12)
    n_assessments = n_plans = 0
    for idx, (person, seniority) in enumerate(people, start=1):
        role = person.target_role
        first_at = timezone.make_aware(
            dt.datetime.combine(
                first_round + dt.timedelta(days=rng.randint(0, 10)), dt.time(10, rng.randint(0, 59))
            )
        )
        a1 = do_submit_assessment(
            person,
            person,
            role,
            with_ticks(fw, _answers(fw, rng, seniority, {}, 0), f"{person.email}/1"),
            taken_at=first_at,
        )
        n_assessments += 1
        plan = do_generate_plan(a1, person, starts_on=first_at.date())
        n_plans += 1
        diligence = rng.uniform(0.3, 1.0)
        grown: dict[str, int] = {}
        for goal in plan.goals.all():
            done = 0
            for action in goal.actions.all():
                if rng.random() < diligence:
                    on = min(action.due_on + dt.timedelta(days=rng.randint(-10, 12)), today)
                    do_set_action_done(action, person, True, on=on)
                    done += 1
            if done >= 2 and rng.random() < diligence:
                grown[goal.capability] = 1
        for week in range(2, 13, 3):
            d = plan.starts_on + dt.timedelta(weeks=week)
            if d < today and rng.random() < diligence + 0.1:
                do_record_checkin(
                    plan,
                    person,
                    date=d,
                    confidence=max(1, min(5, round(2 + 3 * diligence + rng.gauss(0, 0.7)))),
                    note=rng.choice(CHECKIN_NOTES),
                )
        second_at = timezone.make_aware(
            dt.datetime.combine(
                second_round + dt.timedelta(days=rng.randint(0, 8)), dt.time(15, rng.randint(0, 59))
            )
        )
        if second_at.date() <= today:
            a2 = do_submit_assessment(
                person,
                person,
                role,
                with_ticks(
                    fw,
                    _answers(fw, rng, seniority, grown, 1),
                    f"{person.email}/2",
                    SAM_EXTRA_TICKS if person.id == sam.id else (),
                ),
                taken_at=second_at,
            )
            n_assessments += 1
            if rng.random() < 0.7:
                plan2 = do_generate_plan(a2, person, starts_on=second_at.date())
                n_plans += 1
                for action in plan2.all_actions()[:2]:
                    if rng.random() < 0.5:
                        do_set_action_done(action, person, True, on=min(action.due_on, today))
        if progress:
            progress(idx, len(people))
    _demo_time_use(sam, leader, [p for p, _ in people], today)
    _demo_stakeholders(sam, leader, group_pms[0], rng, today)
    from leadshift.portfolio.demo import load_portfolio

    # The risk register and decision links hang on the portfolio, so it comes first.
    load_portfolio(org, leader, rng, today)
    _decisions_and_risks(leader, [p for p, _ in people], rng, today)
    _link_concerns(sam, leader)
    from leadshift.radar.demo import load_radar

    load_radar(leader, today)
    n_cycles = _demo_feedback(org, fw, rng, [p for p, _ in people], sam, today)
    from leadshift.coaching.demo import load_coaching, load_manager_view

    load_manager_view(sam)
    load_coaching(leader, directors[0], sam, today)
    from leadshift.mentoring.demo import load_mentoring

    load_mentoring([p for p, _ in people], sam)
    load_behaviour_evidence(sam, today)
    from leadshift.pulse.demo import load_pulses

    load_pulses(leader, directors[0], rng, today)
    return DemoResult(
        organisation=org,
        people=len(people) + 1,
        assessments=n_assessments,
        plans=n_plans,
        leader=leader,
        pm=sam,
        feedback_cycles=n_cycles,
    )


RELATIONSHIP_BIAS = {"manager": -0.2, "peer": 0.0, "report": 0.3, "stakeholder": -0.1}


def _raters_for(
    person: Person, everyone: list[Person], rng: random.Random
) -> list[feedback.RaterIn]:
    chosen: list[tuple[Person, str]] = []
    if person.manager is not None:
        chosen.append((person.manager, "manager"))
    peers = [p for p in everyone if p.manager_id == person.manager_id and p.id != person.id]
    chosen += [(p, "peer") for p in rng.sample(peers, min(len(peers), rng.choice([3, 4, 5])))]
    reports = [p for p in everyone if p.manager_id == person.id]
    chosen += [(p, "report") for p in rng.sample(reports, min(len(reports), 4))]
    taken = {p.id for p, _ in chosen} | {person.id}
    # The managers above answer only as the manager (their answers are known to that side).
    others = [p for p in everyone if p.id not in taken and not p.can_view(person)]
    chosen += [(p, "stakeholder") for p in rng.sample(others, rng.choice([2, 3, 3, 4]))]
    return [feedback.RaterIn(p.name, p.email, rel) for p, rel in chosen]


def _rate_cycle(
    cycle: Any,
    raters: list[Rater],
    fw: Framework,
    rng: random.Random,
    leniency: dict[str, float],
    *,
    answered: float,
    at: dt.datetime,
) -> None:
    self_levels = {r.capability: r.level for r in cycle.assessment.capability_ratings.all()}
    true = {c.id: self_levels.get(c.id, 2) - 0.25 + rng.gauss(0, 0.5) for c in fw.capabilities}
    bank = FEEDBACK_COMMENTS
    unused = {c.id: rng.sample(bank[c.id], len(bank[c.id])) for c in fw.capabilities}
    for k, rater in enumerate(raters):
        if rng.random() > answered:
            continue
        rel = rater.relationship
        lenient = leniency.setdefault(rater.email, rng.gauss(0, 0.45))
        answers = {}
        for c in fw.capabilities:
            if (rel == "stakeholder" and rng.random() < 0.2) or rng.random() < 0.05:
                level = None
            else:
                raw = true[c.id] + lenient + RELATIONSHIP_BIAS[rel] + rng.gauss(0, 0.55)
                level = max(c.min_level, min(c.max_level, round(raw)))
            comment = unused[c.id].pop() if unused[c.id] and rng.random() < 0.18 else ""
            answers[c.id] = feedback.AnswerIn(level, comment)
        feedback.do_save_answers(
            rater, answers, submit=True, now=at + dt.timedelta(days=1 + k % 6, hours=k)
        )


def _demo_feedback(
    org: Organisation,
    fw: Framework,
    rng: random.Random,
    people: list[Person],
    sam: Person,
    today: dt.date,
) -> int:
    """Released 360 cycles for about two thirds of the people, and one open for Sam."""
    everyone = list(Person.objects.filter(organisation=org))
    leniency: dict[str, float] = {}
    opened = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=34), dt.time(9)))
    n = 0
    for person in people:
        if person.id != sam.id and rng.random() > 0.68:
            continue
        cycle = feedback.do_open_cycle(
            person,
            person,
            closes_on=(opened + dt.timedelta(days=14)).date(),
            raters=_raters_for(person, everyone, rng),
            now=opened,
            notify=False,
        )
        _rate_cycle(cycle, list(cycle.raters.all()), fw, rng, leniency, answered=0.88, at=opened)
        n += 1
    feedback.release_due(now=opened + dt.timedelta(days=15))
    # Sam's second round is open now: some have answered, one saved a draft.
    now = timezone.now()
    cycle = feedback.do_open_cycle(
        sam,
        sam,
        closes_on=today + dt.timedelta(days=9),
        raters=_raters_for(sam, everyone, rng),
        now=now - dt.timedelta(days=5),
        notify=False,
    )
    raters = list(cycle.raters.all())
    order = rng.sample(raters, len(raters))
    _rate_cycle(cycle, order[:5], fw, rng, leniency, answered=1.0, at=now - dt.timedelta(days=5))
    draft = order[-1]
    first = fw.capabilities[0].id
    feedback.do_save_answers(
        draft, {first: feedback.AnswerIn(3, "")}, now=now - dt.timedelta(days=1)
    )
    return n + 1


FEEDBACK_COMMENTS = {
    "visionary_thinking": [
        "Paints a picture of where the product should be in two years that people repeat.",
        "The vision is there but lives in one head more than in a document.",
        "Connects the roadmap to where the market is going, not only to this quarter.",
    ],
    "strategic_planning": [
        "Plans are solid for the next release; less so for the year.",
        "Ties every roadmap item to an objective; trade-offs are explicit.",
        "Would like to see more options weighed before a plan is presented.",
    ],
    "leadership_team_development": [
        "Gives juniors real ownership and backs them when it gets hard.",
        "Coaching happens, but ad hoc; regular one-to-ones would help.",
        "Great at spotting talent in the team and giving it room.",
    ],
    "stakeholder_management": [
        "Executives trust the updates: short, honest, early about bad news.",
        "Sometimes surprises sales with changes they learn about late.",
        "Handles the finance conversations far better than a year ago.",
    ],
    "adaptability_learning": [
        "Changed course quickly when the pilot data came in.",
        "Reads widely and shares what is worth reading.",
        "Can hold on to a plan after the evidence has moved.",
    ],
    "decision_making_risk": [
        "Decisions come with a written rationale and a review date.",
        "Risk lists exist but are rarely revisited after kickoff.",
        "Makes the call when the team is stuck, and explains it.",
    ],
    "cultural_leadership": [
        "Sets the tone in reviews: curious, not defensive.",
        "The team's rituals are healthy; retros lead to real changes.",
        "Could do more to include the remote half of the team.",
    ],
}


CHECKIN_NOTES = [
    "Shared the market map with my manager; good questions on pricing I need to follow up.",
    "Slow fortnight: release crunch ate the time I had blocked for strategy work.",
    "Ran my first portfolio review with the other PMs; felt awkward but useful.",
    "Mentoring sessions with a junior PM are going well; she now runs her own discovery.",
    "Met the CFO to understand how product investment is judged; rewriting my one-pager.",
    "Wrote the pre-mortem for the migration; two risks nobody had named.",
    "Moved two weekly stand-ups to async updates and got four hours back.",
]


def _demo_time_use(sam: Person, leader: Person, people: list[Person], today: dt.date) -> None:
    """A year of Sam's calendar, generated in memory and run through the engine; only the
    weekly aggregates are stored, as with a real import."""
    meetings = synthetic_year(
        sam.email,
        today=today,
        colleagues=[p.email for p in people if p.id != sam.id][:20],
        executives=[leader.email],
    )
    found = classify_all(meetings, rules_for(sam), context_for(sam))
    use = aggregate(meetings, found, dt.UTC, timezone_name="UTC")
    do_store_time_use(sam, sam, use, "demo calendar (generated)")


# (name, role, inside?, company, influence, interest, stance, cares about, concerns, cadence,
#  [(days ago, kind, tone, note)])
SAM_STAKEHOLDERS = [
    (
        "Maya Okafor",
        "VP of Product",
        True,
        "",
        5,
        4,
        "champion",
        "A portfolio story the board can follow",
        "payments roadmap, pricing decision",
        30,
        [
            (200, "one_on_one", 1, "Asked me to own the pricing proposal."),
            (120, "one_on_one", 2, "Liked the portfolio one-pager."),
            (40, "presentation", 1, "Walked her through the Q3 bets."),
        ],
    ),
    (
        "Daniel Price",
        "CFO",
        True,
        "",
        5,
        3,
        "sceptic",
        "Payback periods and predictable spend",
        "pricing decision, payments migration",
        21,
        [
            (150, "meeting", -1, "Pushed back hard on the migration budget."),
            (90, "meeting", 0, "Reviewed the revised business case."),
            (50, "email", -1, "Still unconvinced on the payback period."),
        ],
    ),
    (
        "Rosa Lind",
        "Head of Sales",
        True,
        "",
        4,
        5,
        "supporter",
        "Deals blocked by missing payment methods",
        "payments roadmap",
        14,
        [
            (100, "call", 1, "Shared the three deals at risk."),
            (30, "meeting", 2, "Agreed the launch plan for SEPA."),
            (9, "one_on_one", 1, "Weekly pipeline review."),
        ],
    ),
    (
        "Priya Shah",
        "Head of e-commerce",
        False,
        "Acme Retail",
        3,
        4,
        "neutral",
        "Checkout conversion in peak season",
        "payments migration",
        45,
        [(70, "call", 0, "Quarterly account review.")],
    ),
    (
        "Tom Becker",
        "Engineering Director",
        True,
        "",
        4,
        4,
        "blocker",
        "Team stability during the re-platforming",
        "payments migration",
        14,
        [
            (60, "meeting", -2, "Refused to staff the migration this quarter."),
            (35, "one_on_one", -1, "Some movement on a smaller scope."),
        ],
    ),
]
MAYA_STAKEHOLDERS = [
    (
        "Jordan Blake",
        "CEO",
        True,
        "",
        5,
        5,
        "champion",
        "Growth from the new segments; a crisp portfolio story",
        "portfolio, annual plan",
        14,
        [
            (170, "one_on_one", 1, ""),
            (110, "one_on_one", 2, "Backed the sunset of Legacy Reports."),
            (50, "one_on_one", 1, ""),
            (12, "one_on_one", 1, "Prep for the board."),
        ],
    ),
    (
        "Helen Ward",
        "Board member (chair of audit)",
        False,
        "Northwind board",
        5,
        2,
        "neutral",
        "Risk exposure and how decisions are made",
        "risk register",
        60,
        [
            (140, "presentation", 0, "Board meeting: asked for the risk register."),
            (50, "presentation", 1, "Board meeting: liked the decision log."),
        ],
    ),
    (
        "Daniel Price",
        "CFO",
        True,
        "",
        5,
        4,
        "sceptic",
        "Capital efficiency; fewer, bigger bets",
        "annual plan, allocation",
        21,
        [
            (160, "meeting", 0, ""),
            (95, "meeting", 1, "Agreed the allocation method."),
            (45, "meeting", -2, "Clash over the marketplace budget."),
        ],
    ),
    (
        "Ravi Menon",
        "CTO",
        True,
        "",
        4,
        5,
        "supporter",
        "Platform health and team load",
        "allocation",
        14,
        [
            (80, "one_on_one", 1, ""),
            (40, "one_on_one", 0, ""),
            (6, "one_on_one", 2, "Joint capacity plan."),
        ],
    ),
    (
        "Lena Fischer",
        "Partner",
        False,
        "Northstar Ventures",
        4,
        2,
        "neutral",
        "The path to the next round",
        "portfolio",
        90,
        [],
    ),
]


def _demo_stakeholders(
    sam: Person, leader: Person, sams_manager: Person, rng: random.Random, today: dt.date
) -> None:
    links = {"Maya Okafor": leader}
    for owner, rows in ((sam, SAM_STAKEHOLDERS), (leader, MAYA_STAKEHOLDERS)):
        for name, role, inside, company, infl, inter, stance, cares, concerns, cadence, log in rows:
            linked = links.get(name) if owner is sam else None
            s = do_add_stakeholder(
                owner,
                owner,
                {
                    "name": name,
                    "role": role,
                    "internal": inside,
                    "person_id": linked.id if linked else None,
                    "company": company,
                    "influence": infl,
                    "interest": inter,
                    "stance": stance,
                    "cares_about": cares,
                    "concerns": concerns,
                    "cadence_days": cadence,
                },
            )
            # Added to the map a little before the first contact.
            first = max((d for d, *_ in log), default=20) + rng.randint(5, 20)
            s.created_at = timezone.now() - dt.timedelta(days=first)
            s.save(update_fields=["created_at"])
            for days_ago, kind, tone, note in log:
                do_log_interaction(
                    s,
                    owner,
                    date=today - dt.timedelta(days=days_ago),
                    kind=kind,
                    note=note,
                    tone=tone,
                )
    # Sam's own manager as a stakeholder too, inside and linked.
    do_add_stakeholder(
        sam,
        sam,
        {
            "person_id": sams_manager.id,
            "influence": 4,
            "interest": 5,
            "stance": "supporter",
            "cares_about": "Sam's growth toward group PM",
            "cadence_days": 14,
        },
    )


# What concerns each stakeholder among what LeadShift holds, once the portfolio and the
# decisions exist: (products, initiatives, decision questions) by owner and stakeholder.
CONCERN_LINKS: dict[str, dict[str, tuple[list[str], list[str], list[str]]]] = {
    "sam": {
        "Maya Okafor": (["checkout"], ["wallets"], []),
        "Daniel Price": ([], ["checkout-v2"], []),
        "Rosa Lind": ([], ["wallets", "invoice-pay"], []),
        "Priya Shah": (["checkout"], ["checkout-v2"], []),
        "Tom Becker": ([], ["checkout-v2"], []),
    },
    "leader": {
        "Jordan Blake": (
            ["marketplace", "classic-storefront"],
            [],
            ["Do we double down on the marketplace or keep it as an experiment?"],
        ),
        "Helen Ward": ([], [], ["Raise the Pro plan price by 12 %?"]),
        "Daniel Price": (
            [],
            ["cross-border"],
            ["Do we double down on the marketplace or keep it as an experiment?"],
        ),
        "Ravi Menon": (
            [],
            ["warehouse-migration", "checkout-v2"],
            ["Move the data platform to a managed warehouse?"],
        ),
        "Lena Fischer": (["partner-api"], [], []),
    },
}


def _link_concerns(sam: Person, leader: Person) -> None:
    from leadshift.decisions.models import Decision
    from leadshift.portfolio.models import Initiative, Product
    from leadshift.stakeholders.services import do_link_concerns

    org = leader.organisation_id
    products = dict(Product.objects.filter(organisation_id=org).values_list("key", "id"))
    initiatives = dict(Initiative.objects.filter(organisation_id=org).values_list("key", "id"))
    decisions = dict(Decision.objects.filter(owner=leader).values_list("question", "id"))
    for owner, links in ((sam, CONCERN_LINKS["sam"]), (leader, CONCERN_LINKS["leader"])):
        for s in owner.stakeholders.filter(name__in=links):
            ps, items, qs = links[s.name]
            do_link_concerns(
                s,
                owner,
                {
                    "product_ids": [products[k] for k in ps if k in products],
                    "initiative_ids": [initiatives[k] for k in items if k in initiatives],
                    "decision_ids": [decisions[q] for q in qs if q in decisions],
                },
            )


def _decisions_and_risks(
    leader: Person, people: list[Person], rng: random.Random, today: dt.date
) -> None:
    """Issue 5: the leader's decision records and the portfolio's risk register."""
    from leadshift.decisions.demo import load_decisions
    from leadshift.risk.demo import load_risks

    directs = [p for p in people if p.manager_id == leader.id]
    load_decisions(leader, directs or people[:6], rng, today)
    if load_risks(leader.organisation, leader, directs, today):
        from leadshift.risk.services import do_start_simulation

        # A finished run, so the register, the risk report and the brief have figures to show.
        do_start_simulation(leader.organisation, leader, trials=2_000, seed=7, background=False)
