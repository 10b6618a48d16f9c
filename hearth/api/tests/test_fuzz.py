"""Whatever a client sends, the API answers with a JSON error or success, never a 5xx
(a small stand-in for the schemathesis run #20 asks for)."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)
fields = st.fixed_dictionaries(
    {},
    optional={
        "local_date": st.dates().map(str) | st.text(max_size=12),
        "mood": st.integers(-5, 20) | json_values,
        "craving": st.integers(-5, 20),
        "sleep_hours": st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=5),
        "sleep_quality": st.sampled_from(["poor", "fair", "good", "bad"]),
        "used": st.booleans() | json_values,
        "triggers": st.lists(st.text(max_size=10), max_size=4),
        "note": st.text(max_size=50),
    },
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(body=fields | json_values, key=st.text(min_size=0, max_size=120))
def test_checkin_create_never_5xx(client, world, token_for, body, key):
    _token, headers = token_for(world.participant, "write:checkins")
    headers = {**headers, "HTTP_IDEMPOTENCY_KEY": key.encode("ascii", "ignore").decode() or "x"}
    response = client.post("/api/v1/checkins", body, content_type="application/json", **headers)
    assert response.status_code in {200, 201, 403, 409, 422}, (response.status_code, response.content)
    assert "error" in response.json() or "id" in response.json()


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(
        ["/api/v1/checkins", "/api/v1/schedule", "/api/v1/caseload", "/api/v1/fhir/Patient/1/$everything"]
    ),
    params=st.dictionaries(st.sampled_from(["limit", "offset", "start", "days"]), st.text(max_size=12), max_size=4),
)
def test_reads_never_5xx(client, world, token_for, path, params):
    _token, headers = token_for(world.clinician, "read:checkins", "read:schedule", "read:caseload", "read:fhir")
    response = client.get(path, params, **headers)
    assert response.status_code < 500, (path, params, response.content)
