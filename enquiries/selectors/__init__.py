"""Reads, always scoped to the user through msp_cases.access. A module per sub-domain; the core ones are
re-exported here."""

from .core import (
    caseload_counts,
    concern_get_for_user,
    concern_list,
    enquiry_get_for_user,
    enquiry_list,
    person_concerns,
    person_enquiries,
    person_get_for_user,
)

__all__ = [
    "caseload_counts",
    "concern_get_for_user",
    "concern_list",
    "enquiry_get_for_user",
    "enquiry_list",
    "person_concerns",
    "person_enquiries",
    "person_get_for_user",
]
