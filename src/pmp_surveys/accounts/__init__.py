"""People who sign in: operators, municipal evaluators, school coordinators."""
