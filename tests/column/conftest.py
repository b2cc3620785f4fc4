import pytest
from column_fixtures import make_docs, make_region, publish  # noqa: F401


@pytest.fixture
def region(db):
    return make_region()


@pytest.fixture
def docs(region, django_capture_on_commit_callbacks):
    """Published records in the index (the record_changed receiver runs on commit)."""
    with django_capture_on_commit_callbacks(execute=True):
        return make_docs(region)
