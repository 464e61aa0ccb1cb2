"""Log filters."""

import logging


class OneLineRefusals(logging.Filter):
    """403 and 404 answers are logged as one line: the traceback of PermissionDenied or Http404
    says nothing an operator needs, and buries real errors."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in (403, 404):
            record.exc_info = None
            record.exc_text = None
        return True
