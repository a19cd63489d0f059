"""The subject access pack as an export kind (registered in SubjectAccessConfig.ready): about one person, not
one case, so `needs_enquiry=False`; params are the person's id and the request's."""

from enquiries.models import Person
from msp_cases import access
from msp_cases.exports.registry import ExportKind

from .models import SubjectAccessRequest
from .pack import render_pack
from .rules import may_produce_pack


def _allowed(user, enquiry, params) -> bool:
    """A unit lead, for a person they may see (msp_cases.access), checked when asked for, when rendered and
    when downloaded."""
    try:
        person_id = int(params.get("person"))
    except (TypeError, ValueError):
        return False
    return may_produce_pack(user) and access.is_in_scope(user, Person(pk=person_id))


def _recorded_against(params) -> tuple:
    """The request, and the person: "who has looked at this record" shows the pack asked for and
    downloaded."""
    request = SubjectAccessRequest.objects.select_related("person").get(pk=params["request"])
    return request, request.person


SUBJECT_ACCESS_PACK = ExportKind(
    key="subject_access_pack",
    title="Subject access pack",
    # The request's id only: a file name ends up in download folders and email attachments.
    filename="subject-access-request-{request}.zip",
    render=render_pack,
    allowed=_allowed,
    needs_enquiry=False,
    content_type="application/zip",
    recorded_against=_recorded_against,
)
