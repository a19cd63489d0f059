"""Third-party information in a subject access pack, marked for redaction review.

A person is entitled to their own information, not to other people's (Data Protection Act 2018, schedule 2
part 3): before the pack is released someone reviews each mark and decides. The pack never redacts by
itself; it shows the reviewer where to look. What the record knows to be someone else is marked:

- the people in the person's network (their names wherever they appear: in conversations, plans, meetings);
- the referrer of each concern (name, role, organisation, relationship, contact);
- the person alleged to have caused harm;
- the free-text "others present" of a conversation and "who attended" of a meeting (names the record holds
  without knowing who they are).

Staff acting in their role (the practitioner who recorded a conversation) are not marked.

A name is marked whole ("Sam Jones") and by its parts ("Sam", "Jones") where a part is at least three letters,
starts with a capital, and is not one of the person's own names, so "Sam came round" is caught too. Marking
too much costs a reviewer a glance; marking too little discloses someone."""

import html
import re
from dataclasses import dataclass, field

NOTE = "[Third party: review before release]"
# Words in names that are not names: a part like this alone marks nothing.
_NOT_NAMES = {
    "mr",
    "mrs",
    "miss",
    "ms",
    "mx",
    "dr",
    "rev",
    "sir",
    "the",
    "and",
    "son",
    "daughter",
    "mum",
    "dad",
}
_PART = re.compile(r"[A-Z][\w'’-]{2,}")
# A tag, or text between tags. Comments and scripts do not occur in the pack's templates.
_TAG_OR_TEXT = re.compile(r"(<[^>]*>)")


@dataclass
class ThirdParty:
    """Someone whose information is marked: how the index names them and why they are third party."""

    name: str
    why: str  # "Network: friend", "Referrer of the concern received 3 March 2026"
    count: int = 0
    parts: list[str] = field(default_factory=list)


def mark_html(value: str) -> str:
    """A value known to be third-party information, escaped, inside the visible mark with its note."""
    return (
        f'<mark class="third-party">{html.escape(value)}</mark> <span class="third-party-note">{NOTE}</span>'
    )


class Marker:
    """Finds the known third parties' names in rendered HTML and marks each occurrence, counting them."""

    def __init__(self, third_parties: list[ThirdParty], own_names: list[str]):
        self.third_parties = third_parties
        own = {name.casefold() for name in own_names if name}
        terms: dict[str, ThirdParty] = {}
        wholes: set[str] = set()
        for party in third_parties:
            whole = " ".join(party.name.split())
            if len(whole) >= 2:
                terms.setdefault(whole.casefold(), party)
                wholes.add(whole.casefold())
            for part in _PART.findall(whole):
                if part.casefold() not in own and part.casefold() not in _NOT_NAMES:
                    terms.setdefault(part.casefold(), party)
                    party.parts.append(part)
        self._terms = terms
        self._wholes = wholes
        # Longest first, so "Sam Jones" is marked once, not as "Sam" then "Jones". Matched in the escaped
        # text of the HTML, so a name with an apostrophe is found as the template wrote it.
        alternatives = sorted({html.escape(term, quote=True) for term in terms}, key=len, reverse=True)
        self._pattern = (
            re.compile(
                r"(?<![\w&])(" + "|".join(re.escape(a) for a in alternatives) + r")(?!\w)", re.IGNORECASE
            )
            if alternatives
            else None
        )

    def _replace(self, match: re.Match) -> str:
        found = match.group(0)
        key = html.unescape(found).casefold()
        party = self._terms.get(key)
        # A whole name in any case; a part of one only as a name is written ("Rose", not "the river rose").
        if party is None or (key not in self._wholes and not found[:1].isupper()):
            return found
        party.count += 1
        return f'<mark class="third-party">{found}</mark> <span class="third-party-note">{NOTE}</span>'

    def mark(self, page: str) -> str:
        """`page` with every known name in the body's text marked; text already marked, the head (the PDF's
        title) and tags' attributes are left alone."""
        if self._pattern is None:
            return page
        head, sep, body = page.partition("<body")
        if not sep:
            head, body = "", page
        out = []
        inside_mark = 0
        for piece in _TAG_OR_TEXT.split(body):
            if piece.startswith("<"):
                lowered = piece.lower()
                if lowered.startswith("<mark"):
                    inside_mark += 1
                elif lowered.startswith("</mark"):
                    inside_mark = max(0, inside_mark - 1)
                out.append(piece)
            elif not piece.strip():
                out.append(piece)
            elif inside_mark:  # marked already (a referrer's details): counted, not marked again
                self._pattern.sub(self._replace, piece)
                out.append(piece)
            else:
                out.append(self._pattern.sub(self._replace, piece))
        return head + sep + "".join(out)
