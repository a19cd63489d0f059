"""The SAC return's row and column labels, verbatim from the publication where it has them (NHS Digital's
publication code): the cells are defined over them (.cells), and individuals.py, concluded.py and reviews.py
name the tables and add their notes."""

from enquiries.models.choices import CapacitySupport

from ..figures.achievement import ACHIEVEMENT_RULES

# SG1a: (label, youngest age, oldest age or None). 85+ is derived from the last two.
AGE_BANDS = [("18-64", 18, 64), ("65-74", 65, 74), ("75-84", 75, 84), ("85-94", 85, 94), ("95+", 95, None)]
AGE_85_PLUS = "85+"
AGE_NOT_RECORDED = "Age not recorded"

SG1_COLUMNS = (
    "Individuals involved in Safeguarding Concerns",
    "Individuals involved in Section 42 Safeguarding Enquiries",
    "Individuals involved in Other Safeguarding Enquiries",
)
SG1F_ROWS = (
    "Total Number of Safeguarding Concerns",
    "Total Number of Section 42 Safeguarding Enquiries",
    "Total Number of Other Safeguarding Enquiries",
)

# The publication's name for the population (its ENQUIRY_TYPE "Concluded Section 42 Enquiries").
CONCLUDED = "Concluded Section 42 Enquiries"
SUPPORTED = (
    CapacitySupport.ADVOCATE,
    CapacitySupport.REPRESENTATIVE,
    CapacitySupport.FAMILY,
    CapacitySupport.FRIEND,
)
# SG3a's second block, as the publication lays it out (its own range beside the capacity answers): its one
# row verbatim, then the product's own two rows, so the block adds up to the "Yes" row.
SG3A_SUPPORTED = (
    "Of the enquiries recorded as Yes, in how many of these cases was support provided by an advocate, "
    "family or friend"
)
SG3A_UNSUPPORTED = "No support provided"
SG3A_SUPPORT_NOT_RECORDED = "Support not recorded"
# SG4a's second block (the publication's own range beside the "asked" answers): the achievement answers,
# verbatim, then the product's own row for an enquiry with no answer.
SG4A_ACHIEVEMENT_NOT_RECORDED = "Achievement not recorded"


# SG4a's achievement rows, in the rule's order (.figures.achievement): the answer's label ("Fully Achieved"),
# or the product's own "Achievement not recorded".
ACHIEVEMENT_LABELS = tuple(
    achieved.label if achieved else SG4A_ACHIEVEMENT_NOT_RECORDED for achieved, _ in ACHIEVEMENT_RULES
)
