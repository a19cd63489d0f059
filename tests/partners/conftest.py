"""A partner's system that sent a referral to the front door and listens for what became of it: its client,
a webhook to a receiver on 127.0.0.1 (a tiny http.server in a thread), and the referral it sent."""

import hashlib
import http.server
import threading
import time
from dataclasses import dataclass, field

import pytest

from msp_cases.accounts import roles
from msp_cases.api.models import ApiReferral
from msp_cases.api.services import api_client_create
from msp_cases.core.actor import Actor
from msp_cases.partners.models import EventType
from msp_cases.partners.services import webhook_subscription_create
from tests.factories import UserFactory
from tests.frontdoor.queue_scene import make_referral


@dataclass
class Received:
    headers: dict
    body: bytes


@dataclass
class Receiver:
    """Answers each POST with the next status in `statuses` (then the last one again), and keeps what came."""

    statuses: list[int] = field(default_factory=lambda: [204])
    # Seconds to wait before answering the first request (a slow partner, to kill a worker mid-request).
    first_delay: float = 0
    received: list[Received] = field(default_factory=list)
    answered: list[int] = field(default_factory=list)
    server: http.server.HTTPServer | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/hooks/msp"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.received.append(Received(dict(self.headers.items()), body))
                if len(receiver.received) == 1 and receiver.first_delay:
                    time.sleep(receiver.first_delay)
                status = receiver.statuses[min(len(receiver.answered), len(receiver.statuses) - 1)]
                receiver.answered.append(status)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def delivered(self) -> list[Received]:
        """What the receiver accepted (answered 2xx)."""
        return [got for got, status in zip(self.received, self.answered, strict=True) if 200 <= status < 300]


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def unit_lead(world):
    return world.users["unit_lead"]


@dataclass
class SendingPartner:
    client: object
    secret: str
    subscription: object
    referral: object


@pytest.fixture
def sending_partner(world, unit_lead, receiver):
    """partner(events=...) -> a client with a webhook to `receiver`, and a referral it sent, waiting."""
    counter = iter(range(100))

    def make(events=tuple(EventType.values)) -> SendingPartner:
        n = next(counter)
        client, _ = api_client_create(
            actor=None, name=f"Police referrals {n}", scopes=["referrals:write"], team_names=[]
        )
        subscription, secret = webhook_subscription_create(
            actor=Actor.of(unit_lead), client=client, url=receiver.url, events=list(events)
        )
        referral = make_referral(referrer_type="professional", referrer_organisation="Northshire Police")
        ApiReferral.objects.create(
            client=client,
            idempotency_key=f"key-{n}",
            request_hash=hashlib.sha256(b"{}").hexdigest(),
            referral=referral,
        )
        return SendingPartner(client, secret, subscription, referral)

    return make


@pytest.fixture
def screener(world):
    from tests.factories import TeamFactory

    team = TeamFactory(name="Front Door")
    return UserFactory(role=roles.FRONT_DOOR, teams=[team])
