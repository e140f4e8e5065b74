from __future__ import annotations

from django.db import models


class Request(models.Model):
    """A person asks for a mentor in one capability; LeadShift proposes colleagues."""

    mentee = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mentor_requests"
    )
    capability = models.SlugField(max_length=60)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.mentee} asks for a mentor in {self.capability}"

    @property
    def state(self) -> str:
        """matched (a mentor accepted), asked (waiting for the mentor), open (choose someone)."""
        states = {p.status for p in self.proposals.all()}
        if Proposal.Status.ACCEPTED in states:
            return "matched"
        if Proposal.Status.ASKED in states:
            return "asked"
        return "open"


class Proposal(models.Model):
    """A colleague proposed as mentor, with why; the mentee asks them, they accept or decline."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", "Proposed"
        ASKED = "asked", "Asked, waiting for an answer"
        ACCEPTED = "accepted", "Accepted"
        DECLINED = "declined", "Declined"

    request = models.ForeignKey(Request, on_delete=models.CASCADE, related_name="proposals")
    mentor = models.ForeignKey(
        "people.Person", on_delete=models.CASCADE, related_name="mentor_proposals"
    )
    rank = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=300, help_text="As the mentee reads it.")
    mentor_reason = models.CharField(
        max_length=300, help_text="As the mentor reads it: nothing of the mentee's levels."
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PROPOSED)
    decided_at = models.DateTimeField(null=True, blank=True)
    series = models.ForeignKey(
        "coaching.Series", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["rank", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "mentor"], name="one_proposal_per_mentor")
        ]

    def __str__(self) -> str:
        return f"{self.mentor} for {self.request.mentee}"
