"""The pictures of the easy-read documents, chosen by meaning in this one place.

Easy read (as Mencap's guidance describes it) puts a picture beside each piece of text: each question, each
answer, each paragraph of a letter. The pictures are OpenMoji (https://openmoji.org, CC BY-SA 4.0),
installed from npm (package.json) and kept in static/pictures/openmoji with the licence beside them, only the
few used here: `manage.py vendor_pictures` copies them again from node_modules after OpenMoji is updated.
Every PDF that shows them says so in its last line (CREDIT).

Three layers of names, so that a change of picture is one line:
- MEANINGS: a meaning ("home", "talking", "safe") to OpenMoji's code for its picture.
- CHOICES: each answer of the easy-read forms (a choice's stored value, by the field it belongs to) to a
  meaning. Plain strings, so this module needs no app above it (tests/feedback/test_easy_read.py checks that
  every choice the forms show has one).
- FACES: the three-face scale for "how do you feel" questions. A face carries meaning, so it has words
  ("Happy face") that a screen reader reads and a PDF keeps as the picture's alternative text. Every other
  picture repeats the words beside it and is decoration: drawn as a background, which a tagged PDF marks as an
  artifact that a screen reader skips.
"""

import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

CREDIT = "Pictures: OpenMoji, CC BY-SA 4.0"
FOLDER = Path("static") / "pictures" / "openmoji"

MEANINGS = {
    # People
    "person": "1F9D1",
    "people": "1F465",
    "family": "1F46A",
    "friend": "1FAC2",
    "worker": "1F9D1-200D-1F4BC",
    "advocate": "1F5E3",
    "helper": "E083",
    "meeting": "E081",
    "meet": "1F91D",
    # Talking and being told
    "talking": "E246",
    "speech": "1F4AC",
    "listen": "1F442",
    "information": "2139",
    "phone": "1F4DE",
    "letter": "2709",
    "email": "1F4BB",
    "easy_read": "1F4D6",
    "writing": "270D",
    "form": "1F4DD",
    "secret": "1F910",
    "question": "2753",
    # What happens
    "involved": "1F64B",
    "thinking": "1F4AD",
    "matters": "2764",
    "plan": "1F4CB",
    "agreed": "1F91D",
    "calendar": "1F4C5",
    "safe": "E247",
    "worried": "1F61F",
    "emergency": "1F6A8",
    "home": "1F3E0",
    "thank_you": "1F64F",
    # Answers
    "yes": "2705",
    "no": "274C",
    "not_involved": "274C",
    "dont_know": "1F914",
    "happy": "1F600",
    "in_between": "1F610",
    "sad": "2639",
}


@dataclass(frozen=True)
class Face:
    meaning: str
    words: str  # read by a screen reader, and the picture's alternative text


# The three-face scale, best first, for the Part 2 questions that ask how the person feels.
FACES = {
    "yes_completely": Face("happy", "Happy face"),
    "yes_partly": Face("in_between", "In-between face"),
    "no": Face("sad", "Sad face"),
}

# Each answer the easy-read forms show, by field, to a meaning.
CHOICES = {
    "involvement": {
        "attend_meetings": "meeting",
        "part_of_meeting": "people",
        "meet_chair_first": "meet",
        "statement": "writing",
        "advocate": "advocate",
        "not_involved": "not_involved",
    },
    "informed": {
        "face_to_face": "talking",
        "phone": "phone",
        "letter": "letter",
        "easy_read": "easy_read",
        "email": "email",
        "through_someone": "helper",
    },
    "completed_by": {"person": "person", "with_support": "helper", "representative": "advocate"},
    "answered_by": {
        "person": "person",
        "relative": "family",
        "friend": "friend",
        "carer": "helper",
        "advocate": "advocate",
        "imca": "advocate",
    },
    "answers": {
        "yes_completely": "happy",
        "yes_partly": "in_between",
        "no": "sad",
        "dont_know": "dont_know",
        "prefer_not": "secret",
    },
    "yes_no": {"yes": "yes", "no": "no"},
    # The four Part 2 questions (feedback.models.PART2_QUESTIONS), by field name.
    "part2_questions": {
        "listened": "listen",
        "informed": "information",
        "safer": "safe",
        "concerns_dealt_with": "agreed",
    },
}

# A paragraph of an easy-read letter gets the picture of the first of these its words match; the order
# matters (a paragraph about danger is about danger, whatever else it says).
WORDS = [
    (r"\b999\b|\bdanger|\bunsafe\b", "emergency"),
    (r"\bdear\b", "person"),
    (r"\bthank", "thank_you"),
    (r"\bprivate\b|\bsecret", "secret"),
    (r"\bmatters?\b", "matters"),
    (r"\bwant\b.*\bhappen|\bhappen", "thinking"),
    (r"\bwrong\b|\bchange\b|\?", "question"),
    (r"\bsomeone you trust\b|\bhelp\b|\badvocate", "helper"),
    (r"\bmeeting", "meeting"),
    (r"\bphone\b|\bcall\b|\bring\b", "phone"),
    (r"\bletter\b", "letter"),
    (r"\btalk|\btold\b|\bsaid\b", "talking"),
    (r"\bplan\b|\bagreed?\b", "plan"),
    (r"\bsafe", "safe"),
    (r"\bworried\b|\bworry", "worried"),
    (r"\bhome\b", "home"),
    (r"\bfrom\b", "worker"),
]


def picture_path(meaning: str) -> Path:
    """The file of a meaning's picture, inside the project (KeyError for a meaning not listed)."""
    return FOLDER / f"{MEANINGS[meaning]}.svg"


def picture_url(meaning: str) -> str:
    """A file:// address WeasyPrint reads the picture from, wherever the PDF is made."""
    return (Path(settings.BASE_DIR) / picture_path(meaning)).as_uri()


def choice_meaning(field: str, value: str) -> str:
    return CHOICES[field][value]


def meaning_for_words(text: str) -> str | None:
    """The picture for a paragraph of a letter, from its words; None when no meaning fits."""
    lowered = text.lower()
    for pattern, meaning in WORDS:
        if re.search(pattern, lowered):
            return meaning
    return None


def used_codes() -> set[str]:
    return set(MEANINGS.values())
