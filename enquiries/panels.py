"""What the apps built on enquiries add to its pages, registered from their `AppConfig.ready()` so that
enquiries never imports them: sections of a page (`Panel`) and items on the enquiry's timeline
(`TimelineSource`), and tags on the timeline's conversations (`ConversationTag`). Findable with grep:
`register_panel(`, `register_timeline_source(` and `register_conversation_tag(`.

A panel belongs to a page and a place on it (`slot`); the page includes its template there, in the order the
panels were registered (so in the order of INSTALLED_APPS), and merges what its `context(user=, enquiry=)`
(or `person=` on the person page) returns into the page's context. Keys are prefixed by the app
(`outcomes_active`, `feedback_part1`) so two panels never collide. A panel with no template only adds context
that the page's own template shows (the organisation's perspective on the sign-off page)."""

from collections.abc import Callable
from dataclasses import dataclass

# Pages, and the places on each where panels go.
ENQUIRY_PAGE = "enquiry"
AFTER_WHAT_MATTERS = "after_what_matters"  # below "What matters to me", above the summary
AFTER_ACTIONS = "after_actions"  # below the buttons and the exports
BEFORE_DETAILS = "before_details"  # above risk, capacity, advocacy and outcomes
SIGN_OFF_PAGE = "enquiry_sign_off"
PERSON_PAGE = "person"
AFTER_RECORDS = "after_records"  # below the person's enquiries and concerns
CASE_SUMMARY_PAGE = "case_summary"  # the case summary PDF (enquiries.exports)
AFTER_CLOSURE = "after_closure"  # the case summary's last sections: My Safeguarding Experience, perspective
CONCERN_PAGE = "concern"
AFTER_HEADING = "after_heading"  # below the concern page's heading: where the concern came from
CONTEXT_ONLY = ""

SLOTS = {
    ENQUIRY_PAGE: (AFTER_WHAT_MATTERS, AFTER_ACTIONS, BEFORE_DETAILS),
    SIGN_OFF_PAGE: (CONTEXT_ONLY,),
    PERSON_PAGE: (CONTEXT_ONLY, AFTER_RECORDS),
    CASE_SUMMARY_PAGE: (CONTEXT_ONLY, AFTER_CLOSURE),
    CONCERN_PAGE: (AFTER_HEADING,),
}


@dataclass(frozen=True)
class Panel:
    id: str  # "<app>.<what>", unique
    page: str
    slot: str = CONTEXT_ONLY
    template: str = ""
    # Keyword arguments: user and the page's record (enquiry=, person= or concern=); returns the template's
    # context.
    context: Callable[..., dict] | None = None


@dataclass(frozen=True)
class TimelineSource:
    """More items for the enquiry's timeline: `items(enquiry)` returns `TimelineItem`s
    (enquiries.selectors.enquiry) in a fixed number of queries; the enquiry is already in the user's
    scope. The same records on the person's chronology come from `person_items`."""

    id: str
    items: Callable[..., list] | None = None
    # Its items on the person's chronology (enquiries.selectors.chronology): `person_items(user=, person=,
    # enquiries=)` returns `TimelineItem`s across every record of the person the user may see (`enquiries`:
    # theirs, already in scope), in a fixed number of queries however many. Each item says in `extra` what
    # the chronology shows: "title", "line" (a short line) and, where `obj` has no `enquiry_id`,
    # "enquiry_id". A source with no `items` is on the chronology alone.
    person_items: Callable[..., list] | None = None


@dataclass(frozen=True)
class ConversationTag:
    """A short tag shown beside conversations on the enquiry's timeline and the person's chronology, such as
    "Imported from Mosaic": `tags(conversation_ids)` returns {id: text} for those it tags, in one query."""

    id: str
    tags: Callable[[list[int]], dict[int, str]]


_PANELS: list[Panel] = []
_TIMELINE_SOURCES: list[TimelineSource] = []
_CONVERSATION_TAGS: list[ConversationTag] = []


def register_panel(panel: Panel) -> None:
    """From an app's `AppConfig.ready()`. The same id again replaces the panel (a second `ready()` changes
    nothing)."""
    if panel.slot not in SLOTS.get(panel.page, ()):
        raise ValueError(f"No slot {panel.slot!r} on the {panel.page!r} page")
    if bool(panel.template) == (panel.slot == CONTEXT_ONLY):
        raise ValueError("A panel in a slot has a template; a context-only panel has none")
    _register(_PANELS, panel)


def register_timeline_source(source: TimelineSource) -> None:
    _register(_TIMELINE_SOURCES, source)


def _register(registry: list, item) -> None:
    for i, existing in enumerate(registry):
        if existing.id == item.id:
            registry[i] = item
            return
    registry.append(item)


def panels(page: str) -> tuple[Panel, ...]:
    return tuple(panel for panel in _PANELS if panel.page == page)


def timeline_sources() -> tuple[TimelineSource, ...]:
    return tuple(_TIMELINE_SOURCES)


def register_conversation_tag(tag: ConversationTag) -> None:
    _register(_CONVERSATION_TAGS, tag)


def conversation_tags(conversation_ids: list[int]) -> dict[int, list[str]]:
    """Every registered tag of these conversations: id → tags, in registration order (none asked for no
    conversations, so a page without any reads nothing more)."""
    found: dict[int, list[str]] = {}
    if not conversation_ids:
        return found
    for tag in _CONVERSATION_TAGS:
        for pk, text in tag.tags(conversation_ids).items():
            found.setdefault(pk, []).append(text)
    return found


def page_context(page: str, **record) -> dict:
    """The page's context from its panels: each panel's own context and, on a page with slots, `panels`:
    slot → templates in order, for the page to include
    (`{% for template in panels.after_actions %}{% include template %}{% endfor %}`). `record` is what the
    panels' context functions take: `user=` and `enquiry=` (or `person=`)."""
    context: dict = {}
    slots: dict[str, list[str]] = {slot: [] for slot in SLOTS[page] if slot != CONTEXT_ONLY}
    for panel in panels(page):
        if panel.context is not None:
            context.update(panel.context(**record))
        if panel.template:
            slots[panel.slot].append(panel.template)
    return {**context, "panels": slots} if slots else context
