"""Rate limits shared by every worker process: counters in PostgreSQL, updated atomically."""
