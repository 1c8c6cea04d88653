"""Local stand-ins for other agencies' web services, for development and tests (never production)."""
