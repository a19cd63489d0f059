"""The roles. Each is a Django group whose permissions are set by a data migration
(accounts/migrations/0002_roles.py, 0004_unit_lead_role.py); code asks for permissions, not for group names.

Roles are given and taken away in the user admin by an administrator, never by the user themselves, and
every change is recorded (`services.user_access_set`). Superuser and staff status are set from the command
line only."""

PRACTITIONER = "Practitioner"
MANAGER = "Manager"
SAFEGUARDING_UNIT = "Safeguarding Unit"
ADMINISTRATOR = "Administrator"
# Added to a Safeguarding Unit member's role: restricted records too, and keeping the letter templates
# (msp_cases/letters/migrations/0002_who_keeps_templates.py).
UNIT_LEAD = "Unit lead"
# The front-door (MASH) team's members: screen referrals from the online form, match the adult to people of
# every team, and route a concern to a team or close it at the door (migrations/0006_front_door_role.py).
FRONT_DOOR = "Front door"
# Held only by a partner system's service account (msp_cases/api), given by `manage.py api_client create`:
# read permissions over people, concerns and enquiries (msp_cases/api/migrations/0002_api_client_role.py).
# Never given to a person, nor a person's role to a service account (services.user_access_set).
API_CLIENT = "API client"
# Held besides API_CLIENT by the service account of a client given the cases:write scope, and by no other:
# the one change permission the API's selected updates need (msp_cases/api/migrations/0003_api_referral.py).
API_CLIENT_UPDATES = "API client: updates"
API_CLIENT_ROLES = (API_CLIENT, API_CLIENT_UPDATES)

ALL_ROLES = (PRACTITIONER, MANAGER, SAFEGUARDING_UNIT, ADMINISTRATOR, FRONT_DOOR)

# Every permission the code asks for, named once here and imported wherever `has_perm` is called (data
# migrations keep their own literals: they must not change when this module does).

# Permissions that decide what a user may see (see msp_cases/access.py).
VIEW_ALL_CASES = "enquiries.view_all_cases"  # unit staff: every team's records, read-only
VIEW_RESTRICTED = "enquiries.view_restricted_records"  # unit leads: the Unit lead role
VIEW_ACCESS_LOG = "audit.view_accessevent"  # "who has looked at this record"
VIEW_PERSON = "enquiries.view_person"
VIEW_CONCERN = "enquiries.view_safeguardingconcern"
VIEW_ENQUIRY = "enquiries.view_enquiry"
# Front door: the referral queue, and enough of every team's people to match a referral's adult (name, date
# of birth, address, NHS number), nothing of their cases (msp_cases.access.person_match_scope).
SCREEN_REFERRAL = "frontdoor.screen_referral"

# Permissions that decide what a user may do.
ADD_PERSON = "enquiries.add_person"
ADD_CONCERN = "enquiries.add_safeguardingconcern"
CHANGE_ENQUIRY = "enquiries.change_enquiry"  # practitioners and managers: the case screens' writes
ALLOCATE = "enquiries.allocate_enquiry"  # managers: allocate and re-allocate
SIGN_OFF = "enquiries.sign_off_closure"  # managers: sign off closures, and so oversee their teams
# Administrators: accounts in the user admin; with unit leads, a colleague's lost authenticator is reset.
CHANGE_USER = "accounts.change_user"
MANAGE_LETTER_TEMPLATES = "letters.manage_letter_templates"  # unit leads and administrators
# Safeguarding unit staff: the register of Safeguarding Adults Reviews (reviews/migrations/0002).
KEEP_REVIEWS = "reviews.keep_reviews"
# Unit leads: partners' API clients and their webhooks, in the app (partners/migrations/0002).
MANAGE_API_CLIENTS = "partners.manage_api_clients"
# Unit leads: closed cases due for retention review, legal holds, and disposal (retention/migrations/0002).
MANAGE_RETENTION = "retention.manage_retention"

# Object permissions of enquiries/rules.py (django-rules), asked with the record: `has_perm(EDIT_CASE, obj)`.
EDIT_CASE = "enquiries.edit_case"  # CHANGE_ENQUIRY, not read-only, and the record in the user's scope
VIEW_RECORD_ACCESS_LOG = "enquiries.view_access_log"  # VIEW_ACCESS_LOG, for a record in the user's scope
