"""Retention of closed cases: the review date after the last closure, legal holds, and disposal by two unit
leads that keeps the statutory figures."""
