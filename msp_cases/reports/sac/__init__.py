"""The Safeguarding Adults Collection (SAC): the statutory return, computed from the records.

cells.py defines every cell once, as a population of records and a condition, from which both its count and
the records behind it come (the drill-down page, a submitted version); individuals.py names SG1a–SG1f,
concluded.py SG2–SG4, reviews.py SG5, returns.py puts them together (`sac_return`);
tables.py holds a table and the whole return as the page, CSV, JSON and PDF read them, suppression.py the
publication disclosure control, data_quality.py the records to fix before the return is sent.

Labels are verbatim from `enquiries.models.choices` (NHS Digital's publication code); the counting rules are
those of docs/sac.md, which also says what the product decided where the guidance is silent:

- SG1a–SG1e count *individuals* (each person once per column): people with a concern received in the period,
  with a section 42 enquiry started (opened) in the period, with another enquiry started in the period. Age is
  taken on the last day of the period, or at death if the person died on or before it. A person with no
  date of birth, or under 18 then (a recording error in an adult service), is in "Not recorded".
- SG1f counts cases: concerns received, section 42 and other enquiries started in the period.
- SG2–SG4 count section 42 enquiries concluded in the period: closed (signed off) with `closed_at` in the
  period. An enquiry counts once in every category that applies (two types of risk: both rows), so columns
  need not add up to the number of enquiries. Missing answers count in "Not recorded" rows and columns.
- SG4a achievement, of those who expressed outcomes, is one answer per enquiry from the person's view on each
  of their active (not withdrawn) desired outcomes (..figures.achievement, which the MSP measures use too).
- The populations (concerns received, enquiries started, section 42 enquiries concluded) and ages are
  ..figures' own, shared with the other reports.

Everything is a handful of aggregate queries (conditional counts, one query per population), never a loop over
enquiries: the cost does not grow with the number of rows Python sees. Figures count every record of the
teams in scope, restricted ones included (a count says nothing about a person); the data-quality list, which
names records, goes through msp_cases.access. Its enquiry checks are the closure gate's SAC rules
(enquiries.services.completeness), so an enquiry signed off through the gate is never on it."""
