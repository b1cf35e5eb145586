"""Settings per environment: base, local, production, test."""
