"""Writes for case-file audits: draw a sample, record or revise an audit. Only the safeguarding unit
(`enquiries.view_all_cases`) does either; callers check with `may_audit` first (views answer 403)."""

import datetime
import random

from django.db import IntegrityError, transaction
from django.utils import timezone

from enquiries.models import Enquiry
from enquiries.services.case_notifications import case_file_audit_notify
from msp_cases import access
from msp_cases.accounts.models import Team
from msp_cases.accounts.roles import VIEW_ALL_CASES
from msp_cases.audit.models import AccessEvent
from msp_cases.audit.services import access_record
from msp_cases.core.actor import Actor
from msp_cases.core.exceptions import NotPermitted

from ..models import AUDIT_CHECKLIST, AuditSample, AuditSampleItem, CaseFileAudit

SEED_MAX = 2**31 - 1  # small enough to read out and type back in
SAMPLE_MAX = 200


class AuditConflict(Exception):
    """Someone saved an audit of this enquiry after the page was loaded: the form shows theirs."""

    def __init__(self, current: CaseFileAudit | None):
        super().__init__("audit changed since the page was loaded")
        self.current = current


def may_audit(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(VIEW_ALL_CASES))


def new_seed() -> int:
    return random.SystemRandom().randint(1, SEED_MAX)


def period_bounds(start: datetime.date, end: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The first moment of `start` and the first moment after `end`, in the service's time zone."""
    start_at = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    end_before = timezone.make_aware(
        datetime.datetime.combine(end + datetime.timedelta(days=1), datetime.time.min)
    )
    return start_at, end_before


def eligible_enquiry_ids(*, user, start: datetime.date, end: datetime.date, team: Team | None) -> list[int]:
    """Closed enquiries the user may see, closed within the period (both days included), of the team if one
    is given: ids in ascending order, the stable list the seed draws from."""
    start_at, end_before = period_bounds(start, end)
    qs = access.scoped(Enquiry.objects.all(), user).filter(
        status=Enquiry.Status.CLOSED, closed_at__gte=start_at, closed_at__lt=end_before
    )
    if team is not None:
        qs = qs.filter(team=team)
    return list(qs.order_by("pk").values_list("pk", flat=True))


def draw(ids: list[int], *, size: int, seed: int) -> list[int]:
    """`size` ids (or all of them, if fewer) chosen by `random.Random(seed)`, in the order drawn. Pure: the
    same list, size and seed give the same answer on any machine (random.Random is platform-independent)."""
    return random.Random(seed).sample(ids, min(size, len(ids)))  # noqa: S311 (reproducible on purpose)


def audit_sample_draw(
    *, user, start: datetime.date, end: datetime.date, team: Team | None, size: int, seed: int
) -> AuditSample:
    if not may_audit(user):
        raise NotPermitted("Only the safeguarding unit draws audit samples")
    ids = eligible_enquiry_ids(user=user, start=start, end=end, team=team)
    chosen = draw(ids, size=size, seed=seed)
    with transaction.atomic():
        sample = AuditSample(
            drawn_by=user,
            drawn_at=timezone.now(),
            period_start=start,
            period_end=end,
            team=team,
            size=size,
            seed=seed,
            eligible_count=len(ids),
        )
        sample.full_clean()
        sample.save()
        AuditSampleItem.objects.bulk_create(
            AuditSampleItem(sample=sample, enquiry_id=pk, position=i) for i, pk in enumerate(chosen, 1)
        )
    return sample


ANSWER_FIELDS = [f for name, _ in AUDIT_CHECKLIST for f in (name, f"{name}_note")] + ["grade", "comments"]


def case_file_audit_record(
    *,
    actor: Actor,
    sample: AuditSample,
    enquiry: Enquiry,
    replaces_id: int | None,
    answers: dict,
) -> CaseFileAudit:
    """Record the audit of a sampled enquiry, or revise it: a new row replacing the audit the auditor loaded
    (`replaces_id`, None for a first audit), so every earlier version is kept. If another audit was saved
    meanwhile, AuditConflict carries it and nothing is written. Each save is in the person's Record of
    access."""
    user = actor.user
    if not may_audit(user):
        raise NotPermitted("Only the safeguarding unit audits case files")
    with transaction.atomic():
        # The sample's row for this enquiry is the lock: audits of one case file are saved one at a time.
        AuditSampleItem.objects.select_for_update().get(sample=sample, enquiry=enquiry)
        current = CaseFileAudit.objects.filter(
            sample=sample, enquiry=enquiry, replaced_by__isnull=True
        ).first()
        if (current.pk if current else None) != replaces_id:
            raise AuditConflict(current)
        audit = CaseFileAudit(
            sample=sample,
            enquiry=enquiry,
            auditor=user,
            audited_at=timezone.now(),
            replaces=current,
            **{name: answers.get(name, "") for name in ANSWER_FIELDS},
        )
        audit.full_clean(validate_constraints=False)
        try:
            with transaction.atomic():
                audit.save()
        except IntegrityError as exc:
            # Two saves from the same page at once: the database kept the first (case_file_audit_first_once,
            # or the one-to-one `replaces`).
            raise AuditConflict(
                CaseFileAudit.objects.filter(sample=sample, enquiry=enquiry, replaced_by__isnull=True).first()
            ) from exc
        access_record(
            actor=actor,
            obj=audit,
            action=AccessEvent.Action.CREATE,
            person=enquiry.person,
            detail="Case-file audit revised" if current else "Case-file audit saved",
        )
        # The lead practitioner is told there are comments on their case; they read them on its page.
        case_file_audit_notify(actor_id=user.pk, enquiry=enquiry)
    return audit
