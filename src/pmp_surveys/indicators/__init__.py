"""Indicator evaluation: survey answers and administrative figures against the plans' targets."""
