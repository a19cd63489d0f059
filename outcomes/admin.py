"""Case records are not administered here: administrators manage accounts, not cases (see the access rule)."""
