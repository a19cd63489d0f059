from .choices import *  # noqa: F403
from .concerns import RiskTypeOption, SafeguardingConcern
from .conversations import ConversationLog
from .drift import DriftPolicy, DriftRule, Reminder
from .enquiries import AgreedDateChange, Enquiry, EnquiryEvent, ManagerReview, Meeting, PlanAction
from .people import NetworkMember, Person
from .providers import CareProvider
from .transfers import ConcernJoin, TeamTransfer
from .warnings import PersonWarning

__all__ = [
    "AgreedDateChange",
    "CareProvider",
    "ConcernJoin",
    "ConversationLog",
    "DriftPolicy",
    "DriftRule",
    "Enquiry",
    "EnquiryEvent",
    "ManagerReview",
    "Meeting",
    "NetworkMember",
    "Person",
    "PersonWarning",
    "PlanAction",
    "Reminder",
    "RiskTypeOption",
    "SafeguardingConcern",
    "TeamTransfer",
]
