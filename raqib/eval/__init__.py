"""Scorers for the gold formats (`raqib eval`)."""
