"""Pseudonymisation: the name key, replacing names in text, finding likely names."""
