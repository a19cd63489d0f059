"""Category lists. SAC labels are verbatim from docs/sac.md (NHS Digital's publication code);
reports depend on them, so change a label only when the collection changes."""

from django.db import models


class Gender(models.TextChoices):  # SG1b
    MALE = "male", "Male"
    FEMALE = "female", "Female"
    NOT_KNOWN = "not_known", "Not Known"


class Ethnicity(models.TextChoices):  # SG1c
    WHITE = "white", "White"
    MIXED = "mixed", "Mixed / Multiple"
    ASIAN = "asian", "Asian / Asian British"
    BLACK = "black", "Black / African / Caribbean / Black British"
    OTHER = "other", "Other Ethnic Group"
    REFUSED = "refused", "Refused"
    NOT_KNOWN = "not_known", "Undeclared / Not Known"


class PrimarySupportReason(models.TextChoices):  # SG1d
    PHYSICAL = "physical", "Physical Support"
    SENSORY = "sensory", "Sensory Support"
    MEMORY_COGNITION = "memory_cognition", "Support with Memory and Cognition"
    LEARNING_DISABILITY = "learning_disability", "Learning Disability Support"
    MENTAL_HEALTH = "mental_health", "Mental Health Support"
    SOCIAL = "social", "Social Support"
    NONE = "none", "No Support Reason"
    NOT_KNOWN = "not_known", "Not Known"


# SG1e: a person may be counted in both rows.
SG1E_AUTISM = "Learning, Developmental or Intellectual Disability (Autism excluding Asperger's Syndrome/ High Functioning Autism)"  # noqa: E501
SG1E_ASPERGERS = (
    "Learning, Developmental or Intellectual Disability (Asperger's Syndrome/ High Functioning Autism)"
)


class RiskType(models.TextChoices):  # SG2a
    PHYSICAL = "physical", "Physical Abuse"
    SEXUAL = "sexual", "Sexual Abuse"
    PSYCHOLOGICAL = "psychological", "Psychological Abuse"
    FINANCIAL = "financial", "Financial or Material Abuse"
    DISCRIMINATORY = "discriminatory", "Discriminatory Abuse"
    ORGANISATIONAL = "organisational", "Organisational Abuse"
    NEGLECT = "neglect", "Neglect and Acts of Omission"
    DOMESTIC = "domestic", "Domestic Abuse"
    SEXUAL_EXPLOITATION = "sexual_exploitation", "Sexual Exploitation"
    MODERN_SLAVERY = "modern_slavery", "Modern Slavery"
    SELF_NEGLECT = "self_neglect", "Self-Neglect"


class RiskLocation(models.TextChoices):  # SG2b
    OWN_HOME = "own_home", "Own Home"
    COMMUNITY = "community", "In the Community"
    COMMUNITY_SERVICE = "community_service", "Community Service"
    CARE_HOME_NURSING = "care_home_nursing", "Care Home - Nursing"
    CARE_HOME_RESIDENTIAL = "care_home_residential", "Care Home - Residential"
    HOSPITAL_ACUTE = "hospital_acute", "Hospital - Acute"
    HOSPITAL_MENTAL_HEALTH = "hospital_mental_health", "Hospital - Mental Health"
    HOSPITAL_COMMUNITY = "hospital_community", "Hospital - Community"
    OTHER = "other", "Other"


class RiskSource(models.TextChoices):  # columns of SG2a and SG2b
    SERVICE_PROVIDER = "service_provider", "Service Provider"
    KNOWN = "known", "Other - Known to individual"
    UNKNOWN = "unknown", "Other - Unknown to individual"


class AllegedHarmBy(models.TextChoices):
    """Who is alleged to have caused harm. A care provider is SAC's "Service Provider" source of risk
    (docs/sac.md); the service keeps the two consistent."""

    PERSON = "person", "A person"
    CARE_PROVIDER = "care_provider", "A care provider"
    NOT_KNOWN = "not_known", "Not known"


class ActionResult(models.TextChoices):  # SG2c
    RISK_ACTION = "risk_action", "Risk identified and action taken"
    RISK_NO_ACTION = "risk_no_action", "Risk identified and no action taken"
    INCONCLUSIVE_ACTION = "inconclusive_action", "Risk Assessment inconclusive and action taken"
    INCONCLUSIVE_NO_ACTION = "inconclusive_no_action", "Risk Assessment inconclusive and no action taken"
    NO_RISK_ACTION = "no_risk_action", "No risk identified and action taken"
    NO_RISK_NO_ACTION = "no_risk_no_action", "No risk identified and no action taken"
    CEASED = "ceased", "Enquiry ceased at individual's request and no action taken"


class RiskOutcome(models.TextChoices):  # SG2e, where risk identified and action taken
    REMAINED = "remained", "Risk remained"
    REDUCED = "reduced", "Risk reduced"
    REMOVED = "removed", "Risk removed"


class LacksCapacity(models.TextChoices):  # SG3a
    YES = "yes", "Yes, they lacked capacity"
    NO = "no", "No, they did not lack capacity"
    DONT_KNOW = "dont_know", "Don't know"
    NOT_RECORDED = "not_recorded", "Not recorded"


class CapacitySupport(models.TextChoices):  # SG3a: of the "Yes" rows, support provided
    ADVOCATE = "advocate", "Advocate"
    REPRESENTATIVE = "representative", "Representative"
    FAMILY = "family", "Family"
    FRIEND = "friend", "Friend"
    NONE = "none", "No support provided"


class OutcomesAsked(models.TextChoices):  # SG4a
    ASKED_EXPRESSED = "asked_expressed", "Yes they were asked and outcomes were expressed"
    ASKED_NONE = "asked_none", "Yes they were asked but no outcomes were expressed"
    NO = "no", "No"
    DONT_KNOW = "dont_know", "Don't Know"
    NOT_RECORDED = "not_recorded", "Not Recorded"


class YesNoUnknown(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_KNOWN = "not_known", "Not known"


class NetworkRelationship(models.TextChoices):
    REPRESENTATIVE = "representative", "Representative"
    FAMILY = "family", "Family member"
    FRIEND = "friend", "Friend"
    CARER = "carer", "Carer"
    ADVOCATE_CARE_ACT = "advocate_care_act", "Advocate (Care Act)"
    ADVOCATE_IMCA = "advocate_imca", "Advocate (IMCA)"
    ADVOCATE_IMHA = "advocate_imha", "Advocate (IMHA)"
    ADVOCATE_OTHER = "advocate_other", "Advocate (other)"
    PROFESSIONAL = "professional", "Professional"


class PersonsViewOfContact(models.TextChoices):
    """The person's own view of someone in their network."""

    INVOLVED = "involved", "Wants them involved"
    INFORMED = "informed", "Wants them informed"
    NOT_TOLD = "not_told", "Does not want them to know"
    NOT_ASKED = "not_asked", "Not yet asked"


class ContactMethod(models.TextChoices):
    """How the person prefers to be contacted."""

    PHONE = "phone", "Phone"
    TEXT = "text", "Text message"
    EMAIL = "email", "Email"
    LETTER = "letter", "Letter"
    IN_PERSON = "in_person", "In person"
    NAMED_PERSON = "named_person", "Through a named person"


class ConversationMethod(models.TextChoices):
    FACE_TO_FACE = "face_to_face", "Face to face"
    PHONE = "phone", "Phone"
    VIDEO = "video", "Video call"
    LETTER_EMAIL = "letter_email", "Letter or email"
    INTERPRETER = "interpreter", "With an interpreter"


class DecisionMadeBy(models.TextChoices):
    """Who made a decision: "no decision about me, without me"."""

    PERSON = "person", "The person"
    JOINTLY = "jointly", "The person and practitioner jointly"
    REPRESENTATIVE = "representative", "Their representative, in their best interests"
    AGAINST_WISHES = "against_wishes", "A professional, against the person's wishes"
    NO_DECISION = "no_decision", "No decision made"


class MeetingKind(models.TextChoices):
    PLANNING = "planning", "Planning meeting"
    STRATEGY = "strategy", "Strategy meeting"
    CASE_CONFERENCE = "case_conference", "Case conference"


class MeetingParticipation(models.TextChoices):
    ATTENDED = "attended", "Attended"
    PART = "part", "Attended part of the meeting"
    MET_CHAIR = "met_chair", "Met the chair beforehand"
    STATEMENT = "statement", "Statement written by or for them presented"
    DECLINED = "declined", "Did not wish to take part"


class PlanActionStatus(models.TextChoices):
    NOT_STARTED = "not_started", "Not started"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    CANCELLED = "cancelled", "No longer needed"


# Plain words for SAC's category names where staff choose or read them. The SAC name stays the label of the
# stored value (the return and its reports print it) and forms show it as the choice's hint, "SAC: …".
PLAIN_LABELS: dict[type[models.TextChoices], dict[str, str]] = {
    RiskSource: {
        RiskSource.SERVICE_PROVIDER: "A paid care or support provider",
        RiskSource.KNOWN: "Someone known to the person",
        RiskSource.UNKNOWN: "Someone the person does not know",
    },
    RiskLocation: {
        RiskLocation.OWN_HOME: "Their own home",
        RiskLocation.COMMUNITY: "Elsewhere in the community",
        RiskLocation.COMMUNITY_SERVICE: "A community service, such as a day centre",
        RiskLocation.CARE_HOME_NURSING: "A care home with nursing",
        RiskLocation.CARE_HOME_RESIDENTIAL: "A care home without nursing",
        RiskLocation.HOSPITAL_ACUTE: "An acute hospital",
        RiskLocation.HOSPITAL_MENTAL_HEALTH: "A mental health hospital",
        RiskLocation.HOSPITAL_COMMUNITY: "A community hospital",
        RiskLocation.OTHER: "Somewhere else",
    },
    ActionResult: {
        ActionResult.INCONCLUSIVE_ACTION: "Risk assessment inconclusive and action taken",
        ActionResult.INCONCLUSIVE_NO_ACTION: "Risk assessment inconclusive and no action taken",
        ActionResult.CEASED: "Enquiry stopped at the person's request and no action taken",
    },
}


def plain_label(choices: type[models.TextChoices], value: str) -> str:
    """The words staff read for a stored value: the plain words where SAC's name is jargon, else the label;
    "" for no value."""
    if not value:
        return ""
    return PLAIN_LABELS.get(choices, {}).get(value) or choices(value).label
