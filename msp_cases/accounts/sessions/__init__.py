"""Signed-in sessions: "Your sessions" lists where and when each of a person's sessions signed in and lets
them end any of them; deactivating an account ends all of its sessions at once.

A `SignedInSession` row is written at sign-in (Django's `user_logged_in` signal, which every way of signing
in sends: the password form, single sign-on) and belongs to Django's own session row, so it goes with it."""
