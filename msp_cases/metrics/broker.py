"""What the metrics read from and write to the Celery broker's Redis: each queue's length, and the count of
task outcomes.

Workers are processes (and, in Kubernetes, pods) of their own, which Prometheus does not scrape: a worker
adds each outcome to a Redis hash per outcome (HINCRBY, one round trip, in the worker) and the web's
/metrics reads the hashes at scrape time. The counts outlive a worker's restart and are the same whichever
web process answers. Keys under `msp_cases:metrics:` never collide with Celery's own (queue lists,
`unacked`, `_kombu.*`)."""

import functools
import logging

import redis
from django.conf import settings

logger = logging.getLogger(__name__)

OUTCOMES = ("succeeded", "failed", "retried")
_KEY = "msp_cases:metrics:tasks:{outcome}"
# kombu's Redis transport keeps a queue's messages of priority 0 in a list named as the queue, and those of
# higher priority steps (3, 6, 9) in lists suffixed with "\x06\x16" and the step.
_PRIORITY_STEPS = (0, 3, 6, 9)
_PRIORITY_SEPARATOR = "\x06\x16"


@functools.cache
def _client_for(url: str) -> redis.Redis:
    # Short timeouts: a Redis that does not answer costs a worker's task or a scrape half a second, no more.
    return redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=0.5)


def client() -> redis.Redis | None:
    """The broker's Redis, or None when there is none (`make run`: tasks run eagerly, nothing is queued)."""
    url = settings.CELERY_BROKER_URL
    if not url.startswith(("redis://", "rediss://", "unix://")):
        return None
    return _client_for(url)


def queue_names() -> list[str]:
    return [queue.name for queue in settings.CELERY_TASK_QUEUES]


def queue_lengths(redis_client: redis.Redis) -> dict[str, int]:
    """Messages waiting in each queue (not those a worker has taken and not yet acknowledged)."""
    names = queue_names()
    pipe = redis_client.pipeline(transaction=False)
    for name in names:
        for step in _PRIORITY_STEPS:
            pipe.llen(name if not step else f"{name}{_PRIORITY_SEPARATOR}{step}")
    lengths = pipe.execute()
    per_queue = len(_PRIORITY_STEPS)
    return {name: sum(lengths[i * per_queue : (i + 1) * per_queue]) for i, name in enumerate(names)}


def task_outcomes(redis_client: redis.Redis) -> dict[str, dict[str, int]]:
    """{outcome: {task name: count}}."""
    pipe = redis_client.pipeline(transaction=False)
    for outcome in OUTCOMES:
        pipe.hgetall(_KEY.format(outcome=outcome))
    counts = pipe.execute()
    return {
        outcome: {task.decode(): int(n) for task, n in by_task.items()}
        for outcome, by_task in zip(OUTCOMES, counts, strict=True)
    }


def count_task_outcome(task_name: str, outcome: str) -> None:
    """One more `outcome` for the task: called from Celery's signals in whichever process ran it. A broker
    that cannot be reached loses the count (logged), never the task."""
    redis_client = client()
    if redis_client is None or not task_name:
        return
    try:
        redis_client.hincrby(_KEY.format(outcome=outcome), task_name, 1)
    except redis.RedisError:
        logger.warning("Could not count a task outcome in the broker", extra={"outcome": outcome})
