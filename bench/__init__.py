"""`make bench`: the dashboard against a hand-written SQL floor on generated data."""
