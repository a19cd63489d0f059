from .choices import *  # noqa: F403
from .concerns import RiskTypeOption, SafeguardingConcern
from .conversations import ConversationLog
from .enquiries import Enquiry, EnquiryEvent, Meeting, PlanAction
from .people import NetworkMember, Person

__all__ = [
    "ConversationLog",
    "Enquiry",
    "EnquiryEvent",
    "Meeting",
    "NetworkMember",
    "Person",
    "PlanAction",
    "RiskTypeOption",
    "SafeguardingConcern",
]
