"""HTTP plumbing shared by all domains: the app context, dependencies and error mapping."""
