"""Bulletins and their deliveries to the groups (DESIGN.md, D6–D8)."""
