"""pmp-surveys: survey collection and outcome evaluation for PMP prevention plans."""
