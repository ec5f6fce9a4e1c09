"""Young people's profiles: minimal data and consent."""
