"""The anti-drift scan: "being flexible about timescales to fit in with the person, but not allowing cases to
drift" (seed 000).

`drift_scan` (scan.py) runs every rule in DriftPolicy (edited in the admin) and, for each:

1. reads the rows that are **due** now, in one query driven by a partial index (so the cost grows with the
   rows due, not with all records);
2. raises one Reminder per (rule, object, due date) with `bulk_create(ignore_conflicts=True)`: the unique
   constraint, not a check-then-insert, decides "already raised", so two beat runs, two workers or a retried
   task raise it once (the keys read beforehand only count what was new);
3. resolves the open reminders of the rule that are no longer in its due set with that due date (a
   conversation happened, the date moved, the action was done, the review recorded...). The services whose
   action clears a rule already resolve its reminders in their own transaction (`drift_resolve_cleared`),
   so this step is the safety net: time moving on, a policy changed, data repaired in the admin.

Then, for all rules at once: escalation (an open reminder older than the rule's `escalate_after_days` is
marked with a guarded UPDATE `escalated_at IS NULL`, so only one scan wins it), and notifications: every open
reminder's recipients get a REMINDER notification, and an escalated one's team managers an ESCALATION, each
at most once (the Notification unique constraint). Working out notifications from the reminders' state, not
from what this run did, means a scan that died half-way is caught up by the next one.

Decisions where the guidance is silent:
- A **disabled** rule raises nothing and resolves its open reminders (the organisation stopped tracking that
  drift; leaving them open would escalate them for ever). Enabling it again raises them afresh.
- Rules whose first recipients are already the team's managers (no manager review, closure not signed off,
  and any reminder for a case with no lead practitioner) **do not escalate**: there is nobody above them in
  the service.
- When the lead practitioner changes, an open reminder follows the new lead (they are notified too).
- Messages carry no names or case text; the url is the exact page to act on.
- Nobody is told about a case they may not open (msp_cases.access): for a **restricted** person only those
  named on the record and the unit leads are candidates. A reminder goes to the first who may open the case
  of: the lead practitioner (or whoever holds the concern), the team's managers, the unit leads; an
  escalation to the team's managers who may open it, else the unit leads. Falling back to the unit leads,
  rather than to nobody, keeps a restricted case that no one in its team is named on from drifting unseen:
  a unit lead can name someone on it.
"""

from .notify import escalation_message, reminder_message, reminder_url, team_managers
from .resolve import drift_resolve_cleared
from .rules import EVERYTHING, RULES, DriftRuleSpec, Due, Only, register_drift_rule
from .scan import drift_scan

__all__ = [
    "EVERYTHING",
    "RULES",
    "DriftRuleSpec",
    "Due",
    "Only",
    "drift_resolve_cleared",
    "drift_scan",
    "escalation_message",
    "register_drift_rule",
    "reminder_message",
    "reminder_url",
    "team_managers",
]
