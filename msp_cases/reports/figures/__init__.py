"""What every report counts with, defined once: the populations (which records a report counts), the SG4a
achievement rule, and the periods and ages figures are grouped by. The SAC return (..sac) and the measures
reports (..measures) both build on these, so the two can never count "concluded section 42 enquiries" or
"fully achieved" differently. The counting rules are docs/sac.md's."""
