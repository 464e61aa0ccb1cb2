"""STORAGE_BACKEND (issue 11 §2): local disk unless s3 is chosen; s3 without a bucket stops start-up."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import SettingError
from config.storage import default_storage_config
from config.test_settings import _manage


def test_local_disk_is_the_default():
    assert default_storage_config(environ={}) == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert default_storage_config(environ={"STORAGE_BACKEND": "local", "AWS_STORAGE_BUCKET_NAME": "x"}) == {
        "BACKEND": "django.core.files.storage.FileSystemStorage"
    }


def test_s3_takes_the_bucket_endpoint_and_region_and_never_public_or_overwriting():
    config = default_storage_config(
        environ={
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "hmip-inspections",
            "AWS_S3_ENDPOINT_URL": "https://objects.example.gov.uk",
            "AWS_S3_REGION_NAME": "eu-west-2",
        }
    )
    assert config == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": "hmip-inspections",
            "endpoint_url": "https://objects.example.gov.uk",
            "region_name": "eu-west-2",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }


def test_s3_on_aws_itself_needs_only_the_bucket():
    options = default_storage_config(environ={"STORAGE_BACKEND": "s3", "AWS_STORAGE_BUCKET_NAME": "b"})["OPTIONS"]
    assert (options["endpoint_url"], options["region_name"]) == (None, None)


def test_s3_without_a_bucket_is_refused():
    with pytest.raises(ImproperlyConfigured, match="STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME"):
        default_storage_config(environ={"STORAGE_BACKEND": "s3"})


def test_an_unknown_backend_is_refused():
    with pytest.raises(SettingError, match="STORAGE_BACKEND='disk' must be one of local, s3"):
        default_storage_config(environ={"STORAGE_BACKEND": "disk"})


def test_the_process_refuses_to_start_with_s3_and_no_bucket():
    result = _manage("check", STORAGE_BACKEND="s3", AWS_STORAGE_BUCKET_NAME="")
    assert result.returncode != 0
    assert "STORAGE_BACKEND=s3 needs AWS_STORAGE_BUCKET_NAME" in result.stderr


def test_the_process_starts_with_s3_and_a_bucket():
    result = _manage(
        "shell",
        "-c",
        "from django.core.files.storage import default_storage as s; s._setup()"
        "; print(type(s._wrapped).__name__, s.bucket_name, s.default_acl, s.file_overwrite)",
        STORAGE_BACKEND="s3",
        AWS_STORAGE_BUCKET_NAME="hmip-inspections",
        AWS_S3_REGION_NAME="eu-west-2",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "S3Storage hmip-inspections None False"
