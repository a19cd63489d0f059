"""The demo logins as `seed_demo` and `make run`'s server (`serve_demo`) print them."""

from django.conf import settings

from msp_cases.accounts.demo import DEMO_USERS


def demo_login_lines() -> list[str]:
    """The password once, then each demo account's email and role, one a line."""
    return [
        f"Demo logins, all with the password {settings.DEMO_PASSWORD!r}:",
        *(f"  {user.email:34} {user.role}" for user in DEMO_USERS),
    ]
