"""Fictional demo data: two locality teams, the six demo accounts and a dozen people with cases at every
stage of the lifecycle. Idempotent: people are keyed by their local identifier (DEMO-nnn).

- cases.py: the dozen people and where each case stands (the data);
- seed.py: `demo_seed`, the accounts and the order records are made in;
- people.py, enquiry.py, outcomes.py: each case's records, by sub-domain."""
