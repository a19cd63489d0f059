"""Who is acting, and from where: what every service that changes or reads a case record is given.

A view builds it once from its request (`Actor.from_request`); a management command, a Celery task or the
demo seeder builds it for a user with no address (`Actor.of`). Services never see an HttpRequest, so the
same service records a concern typed on a page, arriving through an import or seeded for the demo, and the
record of access says who did it and from which address either way."""

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from .request import client_ip


@dataclass(frozen=True)
class Actor:
    user: Any  # accounts.User; this bottom layer may not import the accounts app
    ip_address: str | None = None

    @classmethod
    def from_request(cls, request: HttpRequest) -> "Actor":
        return cls(user=request.user, ip_address=client_ip(request))

    @classmethod
    def of(cls, user) -> "Actor":
        """A user acting without a request: a command, a task, the demo seeder."""
        return cls(user=user)
