"""Plan revisions: every municipality catalogue as immutable, dated, content-hashed versions."""
