"""Site-wide views that belong to no domain app."""

from django.db import connection
from django.http import HttpResponse
from django.views.decorators.cache import never_cache

from backsoon.households.access import Access, access


@access(Access.PUBLIC)
@never_cache
def healthz(request):
    """For a proxy or monitor: 200 when the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
