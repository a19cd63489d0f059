"""Synthetic data at scale: `generate_synthetic`, run by
`manage.py generate_synthetic`. National proportions and fictional names are in `national.py`."""

from .generator import generate_synthetic, identifier_prefix

__all__ = ["generate_synthetic", "identifier_prefix"]
