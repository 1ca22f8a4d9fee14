"""Fieldwork monitoring: responses per day and campaign, responses without a school, and the
interval half-width reached at the current n against the planned precision."""
