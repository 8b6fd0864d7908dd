"""The district dashboard: its figures as of D, its pages, API and exports."""
