"""Personal data (RGPD): access log, subject access export, erasure, retention, the DPO's page."""
