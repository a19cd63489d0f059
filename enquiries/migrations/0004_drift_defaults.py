"""The documented default drift policies, and the drift fields filled in for enquiries that already exist."""

from django.db import migrations
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce

# rule: (days, escalate_after_days) — docs/background-work.md's "Anti-drift reminders" table says what each means.
DEFAULTS = {
    "next_contact": (2, 5),
    "plan_action": (0, 5),
    "concern_decision": (0, 1),
    "manager_review": (28, 7),
    "closure_sign_off": (5, 5),
    "part2_outstanding": (10, 5),
}


def forwards(apps, schema_editor):
    DriftPolicy = apps.get_model("enquiries", "DriftPolicy")
    for rule, (days, escalate) in DEFAULTS.items():
        DriftPolicy.objects.get_or_create(rule=rule, defaults={"days": days, "escalate_after_days": escalate})
    Enquiry = apps.get_model("enquiries", "Enquiry")
    ConversationLog = apps.get_model("enquiries", "ConversationLog")
    latest = ConversationLog.objects.filter(enquiry=OuterRef("pk"), with_person=True).order_by(
        "-occurred_at", "-pk"
    )
    Enquiry.objects.filter(last_reviewed_at__isnull=True).update(
        next_contact_on=Subquery(latest.values("next_contact_on")[:1]),
        next_contact_how=Coalesce(Subquery(latest.values("next_contact_how")[:1]), Value("")),
    )
    Enquiry.objects.filter(last_reviewed_at__isnull=True).update(last_reviewed_at=F("opened_at"))


class Migration(migrations.Migration):
    dependencies = [("enquiries", "0003_drift_reviews_agreed_dates")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
