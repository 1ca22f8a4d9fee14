"""pmp-surveys: survey collection and outcome evaluation for PMP prevention plans."""

__version__ = "0.1.0"
