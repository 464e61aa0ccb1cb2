"""gunicorn settings for the web process (`gunicorn config.wsgi -c config/gunicorn.conf.py`).

Each can be changed from the environment without editing this file. Uploads are read in the request
(a long-list of a few MB in well under a second), and the slowest pages are the PDF and chart
downloads built by workers, so a request never needs long: 60 s is a generous hard limit.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", f"0.0.0.0:{os.environ.get('PORT', '8000')}")
# Sync workers: the app is CPU-light per request and PostgreSQL connections are per process.
workers = int(os.environ.get("WEB_CONCURRENCY", min(2 * multiprocessing.cpu_count() + 1, 9)))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Restart workers now and then so that a slow leak never grows without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200
# Behind a load balancer that terminates TLS: trust its X-Forwarded-* (set SECURE_PROXY_SSL_HEADER too).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
# The app writes its own JSON request logs with the request id (config/logs.py); gunicorn's access
# log would repeat each line without it.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# Load the app before forking: workers share its memory and a broken setting stops the master at once.
preload_app = True
