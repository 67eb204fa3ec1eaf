from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ClaimableMixin(models.Model):
    """A row the worker claims by conditional UPDATE (see claims.py)."""

    # NULL, not "", means unclaimed: the conditional UPDATE matches on `IS NULL`.
    claim_token = models.CharField(max_length=32, null=True, blank=True)  # noqa: DJ001
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class OutboxEmail(ClaimableMixin):
    """An email written inside the request's transaction and sent later by the worker."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")

    created_at = models.DateTimeField(default=timezone.now)
    message_id = models.CharField(max_length=255, unique=True)
    sender = models.CharField(max_length=320)
    recipients = models.JSONField()
    subject = models.CharField(max_length=255, blank=True)
    raw = models.BinaryField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True, default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_due_idx",
                condition=models.Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)} ({self.status})"


# A notification channel, its quiet hours and its messages belong to a *subject*
# (households/access.py): an account's membership or a caregiver link, exactly one of them.
ONE_SUBJECT = models.Q(membership__isnull=False, link__isnull=True) | models.Q(
    membership__isnull=True, link__isnull=False
)


class SubjectOwned(models.Model):
    membership = models.ForeignKey(
        "households.Membership", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    link = models.ForeignKey(
        "households.CaregiverLink",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=ONE_SUBJECT, name="%(app_label)s_%(class)s_one_subject"
            )
        ]

    @property
    def subject_name(self) -> str:
        return self.membership.display_name if self.membership_id else self.link.name

    @property
    def household(self):
        return self.membership.household if self.membership_id else self.link.household

    @property
    def household_pk(self) -> int:
        return self.membership.household_id if self.membership_id else self.link.household_id


class Channel(SubjectOwned):
    """Somewhere a subject wants to be told things: this phone, an email address, an Apprise URL."""

    class Kind(models.TextChoices):
        WEBPUSH = "webpush", _("notifications on a phone or browser")
        EMAIL = "email", _("email")
        APPRISE = "apprise", _("another app, through Apprise")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    # webpush: {"endpoint", "keys": {"p256dh", "auth"}}; email: {"address"}; apprise: {"url"}.
    # An Apprise URL can hold passwords: it is never shown back, only `label`.
    config = models.JSONField()
    label = models.CharField(max_length=200)
    events = models.JSONField(default=list)  # the kinds it carries besides urgent ones
    enabled = models.BooleanField(default=True)
    disabled_reason = models.CharField(max_length=500, blank=True)
    disabled_at = models.DateTimeField(null=True, blank=True)
    last_test_at = models.DateTimeField(null=True, blank=True)
    last_test_ok = models.BooleanField(null=True)
    last_test_error = models.CharField(max_length=500, blank=True)
    last_failure_at = models.DateTimeField(null=True, blank=True)
    last_failure = models.CharField(max_length=500, blank=True)
    added_by = models.ForeignKey(
        "households.Membership", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta(SubjectOwned.Meta):
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.label}"

    @property
    def test_pending(self) -> bool:
        return self.last_test_at is not None and self.last_test_ok is None

    @property
    def test_stuck(self) -> bool:
        """A test nobody picked up for a minute: the worker is probably not running."""
        return self.test_pending and (timezone.now() - self.last_test_at).total_seconds() > 60

    @property
    def page_url(self) -> str:
        """Where its owner manages it (and where a test notification opens)."""
        return reverse("notify:settings", args=[self.household_pk])


class QuietHours(SubjectOwned):
    """Local times (the household's time zone) when only urgent calls go out."""

    start = models.TimeField(_("quiet from"), null=True, blank=True)
    end = models.TimeField(_("until"), null=True, blank=True)

    class Meta(SubjectOwned.Meta):
        verbose_name_plural = _("quiet hours")
        constraints = [
            *SubjectOwned.Meta.constraints,
            models.UniqueConstraint(fields=["membership"], name="quiet_hours_one_per_membership"),
            models.UniqueConstraint(fields=["link"], name="quiet_hours_one_per_link"),
        ]

    def __str__(self) -> str:
        return f"{self.start}–{self.end}"

    @property
    def is_set(self) -> bool:
        return self.start is not None and self.end is not None and self.start != self.end


class Notification(SubjectOwned):
    """One thing to tell one subject, fanned out to its channels as Delivery rows.

    Title and body show on a lock screen, so they stay neutral: no names, no worrying words.
    """

    class Outcome(models.TextChoices):
        DELIVERED = "delivered", _("delivered")
        TRYING = "trying", _("still trying")
        UNREACHABLE = "unreachable", _("couldn't be delivered")

    kind = models.CharField(max_length=20)
    title = models.CharField(max_length=120)
    body = models.CharField(max_length=240, blank=True)
    url = models.CharField(max_length=500)
    urgent = models.BooleanField(default=False)
    topic = models.CharField(max_length=32)  # web push Topic and the notification's tag
    created_at = models.DateTimeField(default=timezone.now)
    not_before = models.DateTimeField(null=True, blank=True)  # the end of quiet hours

    class Meta(SubjectOwned.Meta):
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    @property
    def outcome(self) -> str:
        """Delivered to at least one channel, still trying, or couldn't reach anyone.

        Prefetch `deliveries__email` when asking about many notifications.
        """
        deliveries = list(self.deliveries.all())
        if any(d.reached for d in deliveries):
            return self.Outcome.DELIVERED
        if any(d.in_progress for d in deliveries):
            return self.Outcome.TRYING
        return self.Outcome.UNREACHABLE


class Delivery(ClaimableMixin):
    """One notification on one channel: the worker's unit of work, with its retries."""

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting to be sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("could not be sent")
        SKIPPED = "skipped", _("not sent: the channel was turned off")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.ForeignKey(Channel, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The email channel hands its message to the outbox; its fate is that email's.
    email = models.ForeignKey(
        OutboxEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name_plural = _("deliveries")
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="delivery_due_idx",
                condition=models.Q(status="pending"),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="one_delivery_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.notification_id} → {self.channel_id} ({self.status})"

    @property
    def reached(self) -> bool:
        if self.status != self.Status.SENT:
            return False
        return self.email_id is None or self.email.status == OutboxEmail.Status.SENT

    @property
    def in_progress(self) -> bool:
        if self.status == self.Status.PENDING:
            return True
        return (
            self.status == self.Status.SENT
            and self.email_id is not None
            and self.email.status == OutboxEmail.Status.PENDING
        )
