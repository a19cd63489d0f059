"""The four roles. Each is a Django group whose permissions are set by a data migration
(accounts/migrations/0002_roles.py); code asks for permissions, not for group names."""

PRACTITIONER = "Practitioner"
MANAGER = "Manager"
SAFEGUARDING_UNIT = "Safeguarding Unit"
ADMINISTRATOR = "Administrator"

ALL_ROLES = (PRACTITIONER, MANAGER, SAFEGUARDING_UNIT, ADMINISTRATOR)

# Permissions that decide what a user may see (see msp_cases/access.py).
VIEW_ALL_CASES = "enquiries.view_all_cases"  # unit staff: every team's records, read-only
VIEW_RESTRICTED = "enquiries.view_restricted_records"  # unit leads, granted to named users
VIEW_ACCESS_LOG = "audit.view_accessevent"  # "who has looked at this record"
