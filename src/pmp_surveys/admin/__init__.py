"""Admin side: server-rendered pages for evaluators, coordinators and operators, and the JSON admin API."""
