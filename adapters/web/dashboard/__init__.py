"""The wellbeing dashboard: sign-in, the organisation, team and calendar pages, their charts and exports."""
