"""Personal data: pseudonymised authors, retention, erasure and objection, and a report of what is kept."""
