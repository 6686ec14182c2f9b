"""Ideas raised at events, their owners and status updates, and the keep-warm list."""
