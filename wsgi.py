"""Entry point for gunicorn (`gunicorn wsgi:app`) and `flask --app wsgi`."""

import gc

from portal import create_app

app = create_app()

# The ~200,000 objects made at start-up (mappers, templates, reference data) live as long as the worker:
# moved out of the collector's reach, a full collection takes ~6 ms instead of ~80 ms (measured on the
# task list, where one came every eight requests and made its 95th percentile; bench/RESULTS.md).
gc.freeze()
