"""Server-side drafts of long forms, so the inactivity timeout never loses what someone was typing.

A draft is one user's unsent form fields for one form (its key names the form and the record, such as
"conversation-add:enquiry:123"). It is private to its author, expires after DRAFT_KEEP_DAYS and is not part of
the record. See docs/drafts.md."""
