"""Fictional demo data: two locality teams, the six demo accounts and a dozen people with cases at every
stage of the lifecycle. Idempotent: people are keyed by their local identifier (DEMO-nnn).

Every record is made by the services (enquiries, outcomes, feedback), acting as the demo staff, so the demo
obeys the same rules and derived fields as work done on the pages; only the moments the services stamp "now"
are then moved back to when they happened in each case's story.

- cases.py: the dozen people and where each case stands (the data);
- seed.py: `demo_seed`, the accounts and the order records are made in;
- people.py, enquiry.py, outcomes.py: each case's records, by sub-domain, through the services;
- backdate.py: moving what the services stamped "now" into the past, one helper per service's timestamps."""
