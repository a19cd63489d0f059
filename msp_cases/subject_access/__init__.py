"""Subject access requests: everything the service holds about a person, gathered into one pack (a ZIP with
a PDF index) by the export worker, with other people's information marked for redaction review."""
