"""The figures of three reports, a module each: Making Safeguarding Personal measures (msp.py), My
Safeguarding Experience Part 2 (experience.py) and timeliness (timeliness.py); the tables they fill
(tables.py) and how the page and the PDF lay them out (layout.py). Set-based: each report is a handful of
aggregate queries grouped in the database (by financial quarter and team), whatever the number of records;
Python only adds up the groups and divides.

Counting rules (where the guidance is silent, decided here and shown on each page):
- "Concluded in the period": section 42 enquiries whose closure was signed off (`closed_at`) in the period,
  as SAC SG2–SG4 count them (..figures.populations). Every enquiry of the teams in scope counts, restricted
  ones included.
- Outcomes achieved, per enquiry: the SAC's SG4a rule (..figures.achievement), the one the return uses.
  Percentages are of the enquiries whose outcomes were expressed, so the four rows add up to 100%.
- "% who expressed outcomes" is of those asked (SAC's "Yes they were asked and outcomes were expressed" over
  both "Yes" rows); "% asked" is of the enquiries concluded.
- Decisions: the counting unit is a conversation in the period (`occurred_at`) that recorded who made the
  decisions (anything but "No decision made"), on an enquiry or concern of the teams in scope. "Made by or
  with the person" is "The person" or "The person and practitioner jointly".
- Part 2: the response rate is the concluded enquiries whose person was approached and answered (Part 2
  completed) over the enquiries concluded. "% who felt listened to" (and informed, safer, happy with how
  concerns were dealt with) is "Yes, completely" or "Yes, partly" over every answer given to that question
  (by the person, someone on their behalf or in their best interests); blank answers are left out.
- Concern to decision: concerns decided (not "Awaiting decision") in the period, time from received to
  decided; "within timescale" compares with the due time of enquiries.timescales (working days, Monday to
  Friday, same time of day).
- Enquiry durations: enquiries (section 42 and other) closed in the period, opened to closed, in bands.
- Drift: reminders raised (`created_at`) in the period, by rule, with how many escalated to managers.
"""
