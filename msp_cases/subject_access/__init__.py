"""A subject access request pack: everything held about a person, with third-party information marked for
redaction review."""
