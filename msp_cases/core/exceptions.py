"""One way for a service to say no.

A service that refuses raises a `ServiceRefused` (or one of the few kinds below) with a message in the
GOV.UK voice that a user can act on, and, when one field is at fault, that field's name. Pages catch the base
in one place (msp_cases.core.pages.versioned_form_page shows the message on the form), so a new refusal
needs no new except clause. Field-by-field validation of what was typed stays a Django ValidationError (a
rule function `<entity>_<action>_problems` returns field → messages, and the service raises them all at
once).

- `NotPermitted`: the user's role does not allow this at all. Also a PermissionDenied, so a refusal that
  reaches Django unhandled is the 403 page, as before.
- `NotFound`: out of the user's scope, or absent, which look the same. Also an Http404.
- `RecordClosed`: the record is settled (a closed enquiry) until a manager reopens it.
- `Conflict`: someone else saved the record since the form was loaded (msp_cases.core.concurrency).

Workflow refusals (enquiries.services.lifecycle.TransitionRefused and its kinds) are ServiceRefused too."""

from django.core.exceptions import PermissionDenied
from django.http import Http404


class ServiceRefused(Exception):
    def __init__(self, message: str = "", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class NotPermitted(ServiceRefused, PermissionDenied):
    """The user's role does not allow this."""


class NotFound(ServiceRefused, Http404):
    """Not in the user's scope, or not there: the same answer, so existence is not leaked."""


class RecordClosed(ServiceRefused):
    """The record is settled and cannot be changed until it is reopened."""


class Conflict(ServiceRefused):
    """Someone else changed the record since this user loaded it."""
