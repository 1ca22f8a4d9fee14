"""How teachers reach their questionnaire: a school link, or single-use access codes."""
