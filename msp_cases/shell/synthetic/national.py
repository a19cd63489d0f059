"""The proportions synthetic data is drawn from, and the small lists of fictional names and words.

Shares are rounded from the published SAC figures for England (NHS Digital, Safeguarding Adults 2023-24; see
docs/sac.md for the ones quoted there: neglect ≈ 32% of risks, own home ≈ 46% of locations,
about 9 in 10 "risk identified and action taken" ending with the risk reduced or removed, ≈ 30% of concerns
becoming section 42 enquiries). The others are approximate, for realistic-looking volumes, not for analysis:
weights need not sum to 100 (random.choices normalises them).
"""

from enquiries.models.choices import (
    ActionResult,
    CapacitySupport,
    ConversationMethod,
    Ethnicity,
    Gender,
    LacksCapacity,
    NetworkRelationship,
    OutcomesAsked,
    PersonsViewOfContact,
    PrimarySupportReason,
    RiskLocation,
    RiskOutcome,
    RiskSource,
    RiskType,
)

Weights = tuple[tuple[str, ...], tuple[float, ...]]


def weights(pairs: dict[str, float]) -> Weights:
    return tuple(pairs), tuple(pairs.values())


# SG1a age bands (lowest, highest age) and the share of individuals in concerns; None: age not recorded.
AGE_BANDS: list[tuple[tuple[int, int] | None, float]] = [
    ((18, 64), 42),
    ((65, 74), 12),
    ((75, 84), 20),
    ((85, 94), 21),
    ((95, 103), 4),
    (None, 1),
]
GENDER = weights({Gender.FEMALE: 58, Gender.MALE: 41, Gender.NOT_KNOWN: 1})
ETHNICITY = weights(
    {
        Ethnicity.WHITE: 79,
        Ethnicity.ASIAN: 5,
        Ethnicity.BLACK: 3,
        Ethnicity.MIXED: 1.5,
        Ethnicity.OTHER: 1,
        Ethnicity.REFUSED: 0.5,
        Ethnicity.NOT_KNOWN: 10,
    }
)
SUPPORT_REASON = weights(
    {
        PrimarySupportReason.PHYSICAL: 36,
        PrimarySupportReason.SENSORY: 1.5,
        PrimarySupportReason.MEMORY_COGNITION: 12,
        PrimarySupportReason.LEARNING_DISABILITY: 11,
        PrimarySupportReason.MENTAL_HEALTH: 17,
        PrimarySupportReason.SOCIAL: 4,
        PrimarySupportReason.NONE: 8,
        PrimarySupportReason.NOT_KNOWN: 10.5,
    }
)
# SG2a type of risk (first type of a concern; a quarter have a second)
RISK_TYPE = weights(
    {
        RiskType.NEGLECT: 32,
        RiskType.PHYSICAL: 18,
        RiskType.FINANCIAL: 15,
        RiskType.PSYCHOLOGICAL: 13,
        RiskType.SELF_NEGLECT: 8,
        RiskType.DOMESTIC: 7,
        RiskType.SEXUAL: 3.5,
        RiskType.ORGANISATIONAL: 3,
        RiskType.SEXUAL_EXPLOITATION: 0.4,
        RiskType.DISCRIMINATORY: 0.3,
        RiskType.MODERN_SLAVERY: 0.3,
    }
)
SECOND_RISK_TYPE_SHARE = 0.25
RISK_LOCATION = weights(
    {
        RiskLocation.OWN_HOME: 46,
        RiskLocation.CARE_HOME_RESIDENTIAL: 16,
        RiskLocation.CARE_HOME_NURSING: 9,
        RiskLocation.COMMUNITY: 7,
        RiskLocation.COMMUNITY_SERVICE: 4,
        RiskLocation.HOSPITAL_ACUTE: 4,
        RiskLocation.HOSPITAL_MENTAL_HEALTH: 2,
        RiskLocation.HOSPITAL_COMMUNITY: 1,
        RiskLocation.OTHER: 6,
    }
)
# Source of risk depends on where: a paid provider in care homes, hospitals, services; someone known at home.
PROVIDER_LOCATIONS = {
    RiskLocation.CARE_HOME_RESIDENTIAL,
    RiskLocation.CARE_HOME_NURSING,
    RiskLocation.COMMUNITY_SERVICE,
    RiskLocation.HOSPITAL_ACUTE,
    RiskLocation.HOSPITAL_MENTAL_HEALTH,
    RiskLocation.HOSPITAL_COMMUNITY,
}
SOURCE_AT_PROVIDER = weights({RiskSource.SERVICE_PROVIDER: 75, RiskSource.KNOWN: 18, RiskSource.UNKNOWN: 7})
SOURCE_ELSEWHERE = weights({RiskSource.KNOWN: 70, RiskSource.SERVICE_PROVIDER: 17, RiskSource.UNKNOWN: 13})

# The decision on a concern (SG1f: conversion ≈ 30% to section 42, a few "other" enquiries)
SECTION_42_SHARE = 0.30
OTHER_ENQUIRY_SHARE = 0.03

# SG2c, SG2e, SG3a, SG4a
ACTION_RESULT = weights(
    {
        ActionResult.RISK_ACTION: 62,
        ActionResult.RISK_NO_ACTION: 4,
        ActionResult.INCONCLUSIVE_ACTION: 10,
        ActionResult.INCONCLUSIVE_NO_ACTION: 3,
        ActionResult.NO_RISK_ACTION: 8,
        ActionResult.NO_RISK_NO_ACTION: 8,
        ActionResult.CEASED: 5,
    }
)
RISK_OUTCOME = weights({RiskOutcome.REDUCED: 69, RiskOutcome.REMOVED: 22, RiskOutcome.REMAINED: 9})
LACKS_CAPACITY = weights(
    {LacksCapacity.YES: 27, LacksCapacity.NO: 62, LacksCapacity.DONT_KNOW: 5, LacksCapacity.NOT_RECORDED: 6}
)
CAPACITY_SUPPORT = weights(
    {
        CapacitySupport.ADVOCATE: 30,
        CapacitySupport.FAMILY: 40,
        CapacitySupport.FRIEND: 5,
        CapacitySupport.REPRESENTATIVE: 12,
        CapacitySupport.NONE: 13,
    }
)
OUTCOMES_ASKED = weights(
    {
        OutcomesAsked.ASKED_EXPRESSED: 64,
        OutcomesAsked.ASKED_NONE: 14,
        OutcomesAsked.NO: 10,
        OutcomesAsked.DONT_KNOW: 4,
        OutcomesAsked.NOT_RECORDED: 8,
    }
)
ACHIEVEMENT = weights({"fully": 67, "partially": 28, "not": 5})
METHOD = weights(
    {
        ConversationMethod.FACE_TO_FACE: 50,
        ConversationMethod.PHONE: 35,
        ConversationMethod.VIDEO: 7,
        ConversationMethod.LETTER_EMAIL: 4,
        ConversationMethod.INTERPRETER: 4,
    }
)
NETWORK_RELATIONSHIP = weights(
    {
        NetworkRelationship.FAMILY: 45,
        NetworkRelationship.FRIEND: 10,
        NetworkRelationship.CARER: 12,
        NetworkRelationship.ADVOCATE_CARE_ACT: 10,
        NetworkRelationship.ADVOCATE_IMCA: 3,
        NetworkRelationship.REPRESENTATIVE: 5,
        NetworkRelationship.PROFESSIONAL: 15,
    }
)
PERSONS_VIEW = weights(
    {
        PersonsViewOfContact.INVOLVED: 55,
        PersonsViewOfContact.INFORMED: 25,
        PersonsViewOfContact.NOT_TOLD: 8,
        PersonsViewOfContact.NOT_ASKED: 12,
    }
)

# Fictional names: small lists combined at random (no real person is meant).
GIVEN_FEMALE = [
    "Ada", "Agnes", "Amira", "Ann", "Bernice", "Bethan", "Carol", "Chloe", "Dorothy", "Edna", "Elsie",
    "Fiona", "Gwen", "Hannah", "Ivy", "Jean", "Joan", "Kiran", "Layla", "Lorna", "Mabel", "Marion",
    "Nadia", "Nora", "Olive", "Pauline", "Rita", "Ruby", "Shirley", "Sunita", "Thelma", "Val",
    "Wendy", "Zainab",
]  # fmt: skip
GIVEN_MALE = [
    "Albert", "Alan", "Arthur", "Bilal", "Clive", "Colin", "Dennis", "Derek", "Emeka", "Ernest", "Frank",
    "Gareth", "Gordon", "Harry", "Imran", "Ivan", "Jack", "Keith", "Leon", "Malcolm", "Neville", "Norman",
    "Owen", "Percy", "Ravi", "Ron", "Stanley", "Trevor", "Vernon", "Wilf", "Yusuf",
]  # fmt: skip
FAMILY_NAMES = [
    "Abbott", "Ahmed", "Ashworth", "Barker", "Bibi", "Brennan", "Chadwick", "Chowdhury", "Dawson", "Doyle",
    "Ellison", "Fenwick", "Gallagher", "Greaves", "Hale", "Holloway", "Iqbal", "Jarvis", "Kaur", "Kowalski",
    "Lindqvist", "Lowe", "Marsh", "Mensah", "Nolan", "Nwosu", "Ormerod", "Pickering", "Quinn", "Rowntree",
    "Sandhu", "Shaw", "Thorne", "Tran", "Underwood", "Varga", "Walsh", "Whitfield", "Yates", "Zielinski",
]  # fmt: skip
TEAM_AREAS = [
    "Northfield", "Southmead", "Eastbrook", "Westwood", "Riverside", "Hillcrest", "Oakley", "Marston",
    "Ashby", "Brookside", "Castleton", "Deepdale",
]  # fmt: skip
LANGUAGES = ["Polish", "Urdu", "Bengali", "Punjabi", "Romanian", "Arabic", "Somali", "Portuguese"]

REFERRERS = [
    ("Police officer", "Police"),
    ("GP", "GP practice"),
    ("Care home manager", "Care home"),
    ("Home care coordinator", "Home care agency"),
    ("Ward nurse", "Acute hospital"),
    ("Paramedic", "Ambulance service"),
    ("Support worker", "Supported living provider"),
    ("Daughter", ""),
    ("Neighbour", ""),
    ("Housing officer", "Housing association"),
    ("Bank fraud team", "Bank"),
    ("Community mental health nurse", "Mental health trust"),
]
SUMMARY = {
    RiskType.NEGLECT: "Visits by paid carers missed or cut short; medication not given as prescribed.",
    RiskType.PHYSICAL: "Unexplained bruising noticed during personal care.",
    RiskType.FINANCIAL: "Someone close is taking money from their account without their agreement.",
    RiskType.PSYCHOLOGICAL: "Being shouted at and threatened at home; says they feel frightened.",
    RiskType.SELF_NEGLECT: "Home in very poor condition; not eating; declining help so far.",
    RiskType.DOMESTIC: "Disclosed that their partner controls where they go and who they see.",
    RiskType.SEXUAL: "Disclosed an unwanted sexual approach by someone they know.",
    RiskType.ORGANISATIONAL: "Several residents left in bed until late morning; staff shortages reported.",
    RiskType.SEXUAL_EXPLOITATION: "Being asked for sexual favours in exchange for cigarettes and lifts.",
    RiskType.DISCRIMINATORY: "Repeated abuse about their disability from people in the street.",
    RiskType.MODERN_SLAVERY: "Working long hours for no pay for people they met online; no access to ID.",
}
WHAT_MATTERS = [
    '"Staying in my own home. That is what matters."',
    '"I don\'t want anyone to get into trouble. I just want it to stop."',
    '"Seeing my grandchildren on Sundays."',
    '"Being able to choose who helps me."',
    '"Feeling safe at night."',
    '"My dog. Whatever happens, he comes with me."',
    '"Keeping my job and my routine."',
    '"Having my money back to spend on what I want."',
]
WANTS = [
    '"For the carers to come on time."',
    '"To be left alone by him."',
    '"To manage my own money again, with a bit of help."',
    '"To talk to someone about what happened."',
    '"To stay where I am, but with more support."',
    '"To move somewhere I feel safe."',
    '"An apology, and to know it won\'t happen to anyone else."',
]
DESIRED_OUTCOMES = [
    '"I want to feel safe in my own home."',
    '"I want to decide for myself whether to involve the police."',
    '"I want my money to be mine again."',
    '"I want carers who treat me with respect."',
    '"I want to stay in touch with my son, but not give him money."',
    '"I want to go back to the day centre."',
    '"I want to be told what is happening, in plain words."',
]
NEXT_CONTACT_HOW = [
    "Home visit",
    "Phone call",
    "Visit with their advocate",
    "Video call",
    "Meet at the day centre",
]
PLAN_ACTIONS = [
    ("Arrange a review of the care package with the person", "Lead practitioner"),
    ("Talk to the bank about protecting the account, as the person asked", "Lead practitioner"),
    ("Refer to the advocacy service", "Lead practitioner"),
    ("Share the safety plan with the GP, with the person's agreement", "Lead practitioner"),
    ("Check the provider's action plan is in place", "Contracts officer"),
    ("Offer a referral to the domestic abuse service", "Lead practitioner"),
    ("Visit the home together with the occupational therapist", "Occupational therapist"),
]
NFA_RESPONSES = [
    "Advice given on the falls service; family arranging support.",
    "Signposted to the carers' support service and the GP.",
    "Care needs assessment requested instead; no safeguarding enquiry needed.",
    "The provider has already dealt with it; the person is happy with what was done.",
]
