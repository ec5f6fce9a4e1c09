"""The read-only open data JSON API (/api/v1/): public data for anyone, personal tokens for partners."""
