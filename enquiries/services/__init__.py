"""Writes. Each service: keyword-only arguments, one transaction, full_clean, an audit record, tasks queued
on commit. Views call exactly one service."""
