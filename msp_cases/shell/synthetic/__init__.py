"""Synthetic data at scale: `generate_synthetic`, run by `manage.py generate_synthetic`.

- generator.py: `generate_synthetic` and the run, a batch of concerns at a time;
- draws.py: the one stream of random draws and the days counted back from `today`, which every part shares;
- people.py, enquiry.py, casework.py, closure.py: each case's rows, by sub-domain;
- staff.py: the teams and their staff; batch.py: the bulk insert, parents first;
- national.py: national proportions and fictional names."""

from .generator import generate_synthetic
from .people import identifier_prefix

__all__ = ["generate_synthetic", "identifier_prefix"]
