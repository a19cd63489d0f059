"""The demo people and where each case stands: one DemoCase per person, keyed DEMO-nnn."""

from dataclasses import dataclass

from enquiries.models import Enquiry, SafeguardingConcern
from msp_cases.accounts.demo import NORTH, SOUTH

D = SafeguardingConcern.Decision
S = Enquiry.Status


@dataclass(frozen=True)
class DemoCase:
    key: str
    given: str
    family: str
    born: str
    team: str
    decision: str
    # The stage the enquiry has reached, when the decision opened one (its type follows from the decision).
    status: str | None = None
    days_ago: int = 10
    preferred: str = ""
    restricted: bool = False
    summary: str = ""
    gender: str = "female"
    ethnicity: str = "white"
    support_reason: str = "physical"
    risks: tuple[str, ...] = ("neglect",)
    location: str = "own_home"
    source: str = "known"
    matters: str = ""  # what matters to the person, in their words
    wants: str = ""  # what they want to happen, in their words
    # Contact details, so a demo user can find someone by phone number or by another name. Ofcom's numbers
    # for drama (01632 960xxx, 07700 900xxx): never anyone's.
    phone: str = ""
    contact_method: str = ""
    other_names: str = ""


CASES = [
    DemoCase(
        "DEMO-001",
        "Margaret",
        "Hughes",
        "1941-03-12",
        NORTH,
        D.PENDING,
        days_ago=1,
        preferred="Peggy",
        phone="01632 960112",
        contact_method="phone",
        other_names="Margaret Evans",
        summary="Neighbour says Margaret's son takes her pension each week and she has no food in.",
        risks=("financial", "neglect"),
        matters='"My son is all I have. I don\'t want him in trouble."',
        wants='"I want my pension to be mine again, and to still see him on Sundays."',
    ),
    DemoCase(
        "DEMO-002",
        "Kwame",
        "Boateng",
        "1988-07-30",
        SOUTH,
        D.PENDING,
        days_ago=3,
        phone="07700 900461",
        contact_method="text",
        other_names="Kojo",
        summary="Day centre staff noticed bruising on Kwame's arms after a weekend at his supported flat.",
        gender="male",
        ethnicity="black",
        support_reason="learning_disability",
        risks=("physical",),
        location="community_service",
        source="service_provider",
    ),
    DemoCase(
        "DEMO-003",
        "Eileen",
        "Parry",
        "1936-11-02",
        NORTH,
        D.NO_FURTHER_ACTION,
        days_ago=20,
        summary="Fall at home; family already arranging support. Advice given on the falls service.",
        support_reason="memory_cognition",
        risks=("neglect",),
    ),
    DemoCase(
        "DEMO-004",
        "Joseph",
        "Wright",
        "1952-01-19",
        NORTH,
        D.SECTION_42,
        S.OPEN,
        days_ago=4,
        preferred="Joe",
        summary="Joe told his GP a new 'friend' has moved in and controls his money.",
        gender="male",
        risks=("financial", "psychological"),
        matters='"He was kind to me when nobody else was. But I can\'t buy food."',
        wants='"I want him to leave, but I don\'t want the police at my door."',
    ),
    DemoCase(
        "DEMO-005",
        "Aisha",
        "Rahman",
        "1979-05-08",
        NORTH,
        D.SECTION_42,
        S.IN_PROGRESS,
        days_ago=21,
        summary="Aisha disclosed to her support worker that her partner threatens her.",
        ethnicity="asian",
        support_reason="mental_health",
        risks=("domestic", "psychological"),
        matters='"My children come first. I need to know they are safe with me."',
        wants='"To feel safe in my own flat and to decide for myself when to go to the police."',
    ),
    DemoCase(
        "DEMO-006",
        "Brian",
        "Cole",
        "1947-09-23",
        NORTH,
        D.SECTION_42,
        S.PROPOSED_FOR_CLOSURE,
        days_ago=60,
        summary="Missed medication visits by a home care agency over three weeks.",
        gender="male",
        risks=("neglect",),
        location="own_home",
        source="service_provider",
        matters='"I just want the carers to turn up when they say."',
        wants='"Carers who come on time, and an apology from the agency."',
    ),
    DemoCase(
        "DEMO-007",
        "Sandra",
        "Mills",
        "1964-12-14",
        NORTH,
        D.SECTION_42,
        S.CLOSED,
        days_ago=120,
        summary="Sandra's house was in poor condition and she was not eating; she wanted to stay at home.",
        risks=("self_neglect",),
        source="unknown",
        support_reason="mental_health",
        matters='"This is my home. I\'ve lived here forty years."',
        wants='"To stay at home, with someone to help with the shopping."',
    ),
    DemoCase(
        "DEMO-008",
        "Daniel",
        "Price",
        "1995-02-27",
        SOUTH,
        D.OTHER_ENQUIRY,
        S.IN_PROGRESS,
        days_ago=14,
        summary="Daniel is being asked to hold parcels for people he met online.",
        gender="male",
        ethnicity="mixed",
        support_reason="learning_disability",
        risks=("modern_slavery", "financial"),
        location="community",
        source="unknown",
        matters='"They said they were my friends."',
        wants='"To know who I can trust online."',
    ),
    DemoCase(
        "DEMO-009",
        "Rose",
        "Evans",
        "1930-06-01",
        SOUTH,
        D.SECTION_42,
        S.OPEN,
        days_ago=2,
        summary="Care home resident with unexplained injuries noticed by a visiting relative.",
        support_reason="memory_cognition",
        risks=("physical",),
        location="care_home_residential",
        source="service_provider",
        matters="Rose could not tell us in words; her daughter says Rose loves the garden and her routine.",
        wants='Her daughter, as her representative: "For Mum to be safe and to stay in the home she knows."',
    ),
    DemoCase(
        "DEMO-010",
        "Harold",
        "Young",
        "1944-04-17",
        SOUTH,
        D.SECTION_42,
        S.PROPOSED_FOR_CLOSURE,
        days_ago=75,
        summary="Harold's carer used his bank card for her own shopping.",
        gender="male",
        risks=("financial",),
        source="service_provider",
        matters='"I liked her. I don\'t want her to lose her job over me."',
        wants='"My money back, and to choose my own carer."',
    ),
    DemoCase(
        "DEMO-011",
        "Fatima",
        "Begum",
        "1958-08-09",
        SOUTH,
        D.SECTION_42,
        S.CLOSED,
        days_ago=150,
        summary="Fatima was being shouted at and threatened by her adult grandson.",
        ethnicity="asian",
        risks=("psychological", "domestic"),
        matters='"He is my grandson. I love him."',
        wants='"For him to get help with his anger, and for me to sleep at night."',
    ),
    DemoCase(
        "DEMO-012",
        "Claire",
        "Bennett",
        "1983-10-05",
        NORTH,
        D.SECTION_42,
        S.IN_PROGRESS,
        days_ago=30,
        restricted=True,
        summary="Claire works for the council's care service; a concern about her partner's behaviour.",
        risks=("domestic",),
        support_reason="mental_health",
        matters='"Please don\'t let my colleagues find out."',
        wants='"To keep my job and to be safe at home."',
    ),
]

# In progress for a month with no manager review: the "no manager review" drift rule shows.
NO_REVIEW_YET = {"DEMO-012"}

# How far each closing case's outcomes were achieved, as the person saw it: a spread across SG4a.
ACHIEVED = {"DEMO-006": "fully", "DEMO-007": "partially", "DEMO-010": "not", "DEMO-011": "partially"}
