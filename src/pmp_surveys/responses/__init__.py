"""Submitted answers, stored typed for analysis and exactly once per idempotency key."""
