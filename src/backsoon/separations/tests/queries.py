"""Counting queries for the "no growth with the data" tests."""

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries_for(call) -> list[str]:
    with CaptureQueriesContext(connection) as context:
        response = call()
    assert response.status_code in (200, 204), response.status_code
    return [q["sql"] for q in context.captured_queries]
