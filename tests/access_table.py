"""The access rule's truth table over the `world` scene (tests/conftest.py): which of its cases each role may
open. One table for every test that proves a page, list, export or record follows the rule
(msp_cases/access.py); tests/test_access.py proves the table itself against the detail pages, the caseload
and the scoped querysets.

Restricted North is named to North's manager only; unit leads see it. Administrators manage accounts and see
no case. North's practitioner covers one South case, allocated to them; North's manager does not see it, as
it is not their team's."""

# Role (a key of world.users) -> the cases (keys of world.cases) that role may open.
VISIBLE: dict[str, set[str]] = {
    "practitioner_north": {"north", "south_allocated_to_north"},
    "practitioner_south": {"south", "south_allocated_to_north"},
    "manager_north": {"north", "restricted_north"},
    "manager_south": {"south", "south_allocated_to_north"},
    "unit": {"north", "south", "south_allocated_to_north"},
    "unit_lead": {"north", "south", "south_allocated_to_north", "restricted_north"},
    "admin": set(),
}
CASES = ["north", "south", "south_allocated_to_north", "restricted_north"]
