"""Where uploaded and generated files are kept (issue 11 §2).

Every file the service stores (Information in Advance uploads, the files report jobs produce) is
written, read and deleted through Django's storage API, never through a path on disk, so the web
and worker processes can share one store. ``STORAGE_BACKEND`` picks it:

- ``local`` (the default): Django's file system storage, under ``MEDIA_ROOT``;
- ``s3``: a bucket on S3 or an S3-compatible server (django-storages), named by
  ``AWS_STORAGE_BUCKET_NAME``, with ``AWS_S3_ENDPOINT_URL`` for a server other than AWS and
  ``AWS_S3_REGION_NAME``. The credentials are not settings: boto3 reads ``AWS_ACCESS_KEY_ID`` and
  ``AWS_SECRET_ACCESS_KEY`` (or a profile, or the machine's role) itself.

Files are only ever served by the app's download views, after their access checks: no page links
to the bucket, objects get no ACL of their own (the bucket stays private), and a URL, should one
ever be made, is signed and expires.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from config.env import env_choice, env_str

BACKENDS = ("local", "s3")
S3_BACKEND = "storages.backends.s3.S3Storage"


def storage_backend(*, environ: Mapping[str, str] | None = None) -> str:
    return env_choice("STORAGE_BACKEND", "local", BACKENDS, environ=environ)


def default_storage_config(*, environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The ``STORAGES["default"]`` entry the environment asks for; ImproperlyConfigured for s3
    without a bucket, so a misconfigured process refuses to start instead of failing at the first
    upload."""
    if storage_backend(environ=environ) == "local":
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    bucket = env_str("AWS_STORAGE_BUCKET_NAME", environ=environ)
    if not bucket:
        raise ImproperlyConfigured("STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME")
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            # None: AWS itself.
            "endpoint_url": env_str("AWS_S3_ENDPOINT_URL", environ=environ),
            # None: boto3's own default (AWS_DEFAULT_REGION, the profile).
            "region_name": env_str("AWS_S3_REGION_NAME", environ=environ),
            # AWS_DEFAULT_ACL: none of the object's own, the bucket's policy decides.
            "default_acl": None,
            # AWS_QUERYSTRING_AUTH: any URL is signed and expires (none is shown; see above).
            "querystring_auth": True,
            # AWS_S3_FILE_OVERWRITE: a second file of the same name gets a new name.
            "file_overwrite": False,
        },
    }
