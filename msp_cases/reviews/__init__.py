"""Safeguarding Adults Reviews (section 44 of the Care Act 2014): the register the safeguarding unit keeps of
the reviews the Safeguarding Adults Board was asked to arrange, which the SAC's SG5a and SG5b count."""
