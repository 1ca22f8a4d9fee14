"""Who changed what, when: every admin change is written here."""
