"""The API against its own OpenAPI document (schemathesis): for every operation, generated requests
never get a 5xx, and every answer matches the status codes, content type and schema the document
declares. A bounded run here; ``make fuzz`` runs it longer (FUZZ_EXAMPLES per operation)."""

import contextlib
import os

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from hearth.api.models import Scope
from hearth.scheduling.tests.access import world_session

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HEARTH_FUZZ_EXAMPLES", "12"))


@contextlib.contextmanager
def _connection_kept():
    """Calls go through the real WSGI handler, which closes the database connection around each
    request; inside the test's transaction that would drop it (PostgreSQL). Django's test client
    keeps it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_keeps_its_promises(world, token_for):
    world_session(world)  # a real session id exists for the RSVP operation to find (or not)
    # A clinician's token with every scope: each operation is reached, and the ones for
    # participants answer their documented 403/404/422 rather than being skipped.
    _token, headers = token_for(world.clinician, *Scope.values)
    auth = {"Authorization": headers["HTTP_AUTHORIZATION"]}
    # schemathesis' own pytest plugin does not load under this pytest; its strategies do.
    with _connection_kept():
        _check_every_operation(auth)


def _check_every_operation(auth: dict) -> None:
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 9
    calls: dict[str, int] = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def keeps_its_promises(case):
            # Every check but "a schema-valid request is accepted": OpenAPI cannot say that a date
            # must lie between 2000 and 2100, so a schema-valid year 611 gets a documented 422.
            # The token's rate limit (tested on its own) would answer 429 after a few operations.
            cache.clear()
            case.call_and_validate(headers=auth, excluded_checks=[positive_data_acceptance])
            calls[case.operation.label] = calls.get(case.operation.label, 0) + 1

        keeps_its_promises()
    assert set(calls) == {operation.label for operation in operations}
    print(f"schemathesis: {sum(calls.values())} calls over {len(calls)} operations", sorted(calls.items()))
