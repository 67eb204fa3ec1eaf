"""Separations: the plan, its agreed check-ins, the caregiver's updates, goodbye and reunion.

Household data lives in Separation, AgreedCheckIn, CheckIn, Settling, ThankYou, PlanChange
and GoodbyeRitual. The leaving parent's inner data (worry, fear, reasons, the messages they
aim for and send) lives in SeparationPrivate and ParentMessage, read only through `owner`
views that filter by the person it is about (DOMAIN.md, "Inner data belongs to its person").
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from backsoon.households.models import CaregiverLink, Child, Household, Membership
from backsoon.notify.models import ClaimableMixin
from backsoon.separations.schedule import AgreedSpec, planned_end

# A person is a membership or a caregiver link, never both. Either may be gone later (the
# name is kept as text), so the rule is "at most one"; code always sets exactly one.
AT_MOST_ONE_CARER = ~(Q(carer_membership__isnull=False) & Q(carer_link__isnull=False))
AT_MOST_ONE_POSTER = ~(Q(posted_by_membership__isnull=False) & Q(posted_by_link__isnull=False))


class Separation(models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("a practice")
        EVERYDAY = "everyday", _("everyday (work, an appointment…)")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        AWAY = "away", _("away now")
        BACK = "back", _("back")
        CANCELLED = "cancelled", _("cancelled")

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="separations")
    leaver = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, related_name="separations_away"
    )
    leaver_name = models.CharField(max_length=60)
    carer_membership = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="separations_caring",
    )
    carer_link = models.ForeignKey(
        CaregiverLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="separations_caring",
    )
    carer_name = models.CharField(max_length=60)
    children = models.ManyToManyField(Child, related_name="separations")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PRACTICE)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    starts_at = models.DateTimeField(_("starts"))
    planned_minutes = models.PositiveIntegerField(_("length in minutes"))
    plan_note = models.CharField(_("what you'll do with the time"), max_length=200, blank=True)
    left_at = models.DateTimeField(null=True, blank=True)
    back_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # The step on the leaving parent's practice ladder this is for (backsoon.practice).
    practice_step = models.ForeignKey(
        "practice.LadderStep",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="separations",
    )
    # The worker's columns (due.py): when a forgotten "I'm back" ends it, and whether it did
    # (never counted as anything but a time apart that happened).
    auto_end_at = models.DateTimeField(null=True, blank=True)
    ended_by_itself = models.BooleanField(default=False)
    # The first agreed update that ran late while the caregiver could be reminded: the away
    # page says so calmly, once per separation.
    late_agreed = models.ForeignKey(
        "AgreedCheckIn", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=AT_MOST_ONE_CARER, name="separations_at_most_one_carer"
            ),
            models.UniqueConstraint(
                fields=["leaver"],
                condition=Q(status="away"),
                name="separations_away_once_at_a_time",
            ),
        ]
        indexes = [
            models.Index(fields=["household", "status", "starts_at"], name="separations_by_status"),
            models.Index(
                fields=["auto_end_at"],
                name="separations_auto_end_due",
                condition=Q(auto_end_at__isnull=False),
            ),
        ]
        ordering = ["-starts_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.leaver_name} away, {self.carer_name} caring ({self.status})"

    @property
    def is_planned(self) -> bool:
        return self.status == self.Status.PLANNED

    @property
    def is_away(self) -> bool:
        return self.status == self.Status.AWAY

    @property
    def is_back(self) -> bool:
        return self.status == self.Status.BACK

    @property
    def start(self):
        """When the clock started, or is planned to."""
        return self.left_at or self.starts_at

    @property
    def expected_back(self):
        return planned_end(self.start, self.planned_minutes)

    @property
    def minutes_away(self) -> int | None:
        if self.left_at and self.back_at:
            return max(0, round((self.back_at - self.left_at).total_seconds() / 60))
        return None

    def is_carer(self, subject) -> bool:
        if subject.link is not None:
            return self.carer_link_id == subject.link.pk
        return self.carer_membership_id == subject.membership.pk


class AgreedCheckIn(ClaimableMixin):
    """An update agreed in advance, due at a clock time or after an offset from the start.

    `due_at` is recomputed from the spec whenever the start moves (STYLE.md: scheduled state
    is a column), and so are the worker's `remind_at` and `late_at` beside it (due.py), on
    every write; the worker claims a due row by conditional UPDATE (notify/claims.py).
    """

    class Kind(models.TextChoices):
        ALL_GOOD = "all_good", _("an “all good”")
        PHOTO = "photo", _("a photo")

    separation = models.ForeignKey(Separation, on_delete=models.CASCADE, related_name="agreed")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.ALL_GOOD)
    label = models.CharField(_("label"), max_length=60, blank=True)
    clock_time = models.TimeField(null=True, blank=True)
    offset_minutes = models.PositiveIntegerField(null=True, blank=True)
    due_at = models.DateTimeField()
    done_by = models.OneToOneField(
        "CheckIn", on_delete=models.SET_NULL, null=True, blank=True, related_name="agreed"
    )
    remind_at = models.DateTimeField(null=True, blank=True)
    late_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    nudged_at = models.DateTimeField(null=True, blank=True)
    not_before = models.DateTimeField(null=True, blank=True)  # quiet hours, or a retry
    errors = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["remind_at"],
                name="separations_remind_due",
                condition=Q(remind_at__isnull=False),
            ),
            models.Index(
                fields=["late_at"], name="separations_late_due", condition=Q(late_at__isnull=False)
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(clock_time__isnull=False) & Q(offset_minutes__isnull=True))
                | (Q(clock_time__isnull=True) & Q(offset_minutes__isnull=False)),
                name="separations_agreed_clock_or_offset",
            )
        ]
        ordering = ["due_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_at:%Y-%m-%d %H:%M}Z"

    def spec(self) -> AgreedSpec:
        return AgreedSpec(self.kind, self.label, self.clock_time, self.offset_minutes)


class BabyState(models.TextChoices):
    CONTENT = "content", _("content")
    PLAYING = "playing", _("playing")
    SLEEPING = "sleeping", _("sleeping")
    FUSSY = "fussy", _("fussy")
    CRYING = "crying", _("crying")


class SettledAfter(models.TextChoices):
    UNDER_5 = "under_5", _("under 5 minutes")
    FROM_5_TO_15 = "5_15", _("5 to 15 minutes")
    FROM_15_TO_30 = "15_30", _("15 to 30 minutes")
    OVER_30 = "over_30", _("more than 30 minutes")
    NOT_YET = "not_yet", _("not settled yet")


class CheckIn(models.Model):
    """An update the caregiver posted: "all good", a few words, the baby's state, a photo."""

    separation = models.ForeignKey(Separation, on_delete=models.CASCADE, related_name="checkins")
    posted_by_membership = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    posted_by_link = models.ForeignKey(
        CaregiverLink, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    author_name = models.CharField(max_length=60)
    idempotency_key = models.CharField(max_length=64)
    all_good = models.BooleanField(default=False)
    settled_now = models.BooleanField(default=False)
    state = models.CharField(max_length=10, choices=BabyState.choices, blank=True)
    message = models.CharField(max_length=500, blank=True)
    ate_less = models.BooleanField(default=False)
    looked_around = models.BooleanField(default=False)
    # What the caregiver said about settling, as said then: [{"child": id, "name": …, "after": …}].
    # Settling keeps the latest answer per child, for the progress charts.
    settled = models.JSONField(default=list, blank=True)
    photo = models.FileField(max_length=200, blank=True)
    photo_width = models.PositiveIntegerField(null=True, blank=True)
    photo_height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=AT_MOST_ONE_POSTER, name="separations_checkin_one_poster"
            ),
            models.UniqueConstraint(
                fields=["separation", "idempotency_key"], name="separations_checkin_once_per_key"
            ),
        ]
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"update from {self.author_name} at {self.created_at:%H:%M}Z"

    @property
    def needs_calm(self) -> bool:
        """Crying or not settled: the caregiver sees the emergency agreement."""
        return self.state == BabyState.CRYING or any(
            s.get("after") == SettledAfter.NOT_YET for s in self.settled
        )

    def settled_labels(self) -> list[tuple[str, str]]:
        labels = dict(SettledAfter.choices)
        return [(s.get("name", ""), labels.get(s.get("after"), "")) for s in self.settled]


class Settling(models.Model):
    """How long each child took to settle, the latest answer (one per child per separation)."""

    separation = models.ForeignKey(Separation, on_delete=models.CASCADE, related_name="settlings")
    child = models.ForeignKey(Child, on_delete=models.CASCADE, related_name="+")
    after = models.CharField(max_length=10, choices=SettledAfter.choices)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["separation", "child"], name="separations_settling_per_child"
            )
        ]

    def __str__(self) -> str:
        return f"{self.child_id}: {self.after}"


class ThankYou(models.Model):
    separation = models.OneToOneField(
        Separation, on_delete=models.CASCADE, related_name="thank_you"
    )
    text = models.TextField(max_length=500)
    author_name = models.CharField(max_length=60)
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"thanks from {self.author_name}"


class PlanChange(models.Model):
    """A plan moved or called off: household data, read by the wellbeing issue."""

    class Kind(models.TextChoices):
        POSTPONED = "postponed", _("postponed")
        MOVED_EARLIER = "earlier", _("moved earlier")
        CANCELLED = "cancelled", _("cancelled")

    separation = models.ForeignKey(Separation, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(Membership, on_delete=models.SET_NULL, null=True, related_name="+")
    from_starts_at = models.DateTimeField()
    to_starts_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.kind} at {self.created_at:%Y-%m-%d %H:%M}Z"


class GoodbyeRitual(models.Model):
    """The household's own words for the goodbye, per child (parents edit it)."""

    child = models.OneToOneField(Child, on_delete=models.CASCADE, related_name="goodbye_ritual")
    text = models.TextField(_("your goodbye"), max_length=300)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"goodbye for {self.child_id}"


def rating(**kwargs):
    return models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(10)], **kwargs
    )


class SeparationPrivate(models.Model):
    """The leaving parent's inner data about one separation. Owner: `owner`, nobody else."""

    class Outcome(models.TextChoices):
        NO = "no", _("No")
        PARTLY = "partly", _("Partly")
        YES = "yes", _("Yes")

    class Feel(models.TextChoices):
        MANAGEABLE = "manageable", _("Manageable")
        HARD = "hard", _("Hard")

    separation = models.OneToOneField(
        Separation, on_delete=models.CASCADE, primary_key=True, related_name="private"
    )
    owner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    worry_before = rating()
    fear = models.CharField(max_length=300, blank=True)
    fear_likelihood = models.PositiveSmallIntegerField(
        null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    messages_aim = models.PositiveSmallIntegerField(default=1, validators=[MaxValueValidator(20)])
    worry_worst = rating()
    worry_after = rating()
    fear_outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    early_reason = models.CharField(max_length=300, blank=True)
    feel = models.CharField(max_length=12, choices=Feel.choices, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"private notes on separation {self.separation_id}"


class ParentMessage(models.Model):
    """The leaving parent chose to send a message. Owner data; an intention, never a score."""

    separation = models.ForeignKey(
        Separation, on_delete=models.CASCADE, related_name="parent_messages"
    )
    owner = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)
    # Sent while an agreed update was overdue: never counts against the aim (DOMAIN.md).
    after_missed_update = models.BooleanField(default=False)

    class Meta:
        ordering = ["sent_at", "pk"]

    def __str__(self) -> str:
        return f"message at {self.sent_at:%H:%M}Z"


# A person's private calendar feed (feeds.py), kept beside the separations it lists.
from backsoon.separations.feeds import CalendarFeed  # noqa: E402, F401
