"""Navigation by role: what each user sees in the service navigation bar. Items appear by permission, so a
user with two roles sees both sets.

The bar is a registry: each app that owns pages registers its items from its AppConfig.ready()
(`register_nav_items`), so this bottom layer imports none of them. `order` places an item in the bar
whichever app loads first."""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavItem:
    order: int
    text: str
    url_name: str
    # The item is current on any URL whose name starts with one of these.
    prefixes: tuple[str, ...]
    # Whether the signed-in user sees the item.
    shown_to: Callable[..., bool]
    # A count shown as a badge (one query per page, only when a template shows it), also offered to every
    # page's template under `count_name`.
    count: Callable[..., int] | None = None
    count_name: str = ""

    @property
    def href(self) -> str:
        return reverse(self.url_name)


_registry: dict[str, NavItem] = {}


def register_nav_items(*items: NavItem) -> None:
    """Called from an AppConfig.ready(). An item's text is its key: registering it again replaces it."""
    for item in items:
        _registry[item.text] = item


def registered_nav_items() -> list[NavItem]:
    return sorted(_registry.values(), key=lambda item: item.order)


def nav_items_for(user) -> list[NavItem]:
    if not user.is_authenticated:
        return []
    return [item for item in registered_nav_items() if item.shown_to(user)]
