"""The roles. Each is a Django group whose permissions are set by a data migration
(accounts/migrations/0002_roles.py, 0004_unit_lead_role.py); code asks for permissions, not for group names.

Roles are given and taken away in the user admin by an administrator, never by the user themselves, and
every change is recorded (`services.user_access_set`). Superuser and staff status are set from the command
line only."""

PRACTITIONER = "Practitioner"
MANAGER = "Manager"
SAFEGUARDING_UNIT = "Safeguarding Unit"
ADMINISTRATOR = "Administrator"
# Added to a Safeguarding Unit member's role: restricted records too (the permission below, and nothing else).
UNIT_LEAD = "Unit lead"

ALL_ROLES = (PRACTITIONER, MANAGER, SAFEGUARDING_UNIT, ADMINISTRATOR)

# Permissions that decide what a user may see (see msp_cases/access.py).
VIEW_ALL_CASES = "enquiries.view_all_cases"  # unit staff: every team's records, read-only
VIEW_RESTRICTED = "enquiries.view_restricted_records"  # unit leads: the Unit lead role
VIEW_ACCESS_LOG = "audit.view_accessevent"  # "who has looked at this record"
