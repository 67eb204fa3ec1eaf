"""The API under /api/v1/, and the "Your data" pages."""

from functools import wraps

from django.http import HttpResponseNotAllowed
from django.urls import include, path, re_path
from django.views.decorators.csrf import csrf_exempt

from backsoon.api import views, views_account
from backsoon.api.api import api
from backsoon.api.errors import outside_an_operation
from backsoon.households.access import Access


def _in_the_error_shape(view):
    """ninja answers a method a path doesn't take in plain text: answer it as every error."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if isinstance(response, HttpResponseNotAllowed):
            allowed = response["Allow"]
            response = outside_an_operation(request, 405)
            response["Allow"] = allowed
        return response

    # The URL itself is open: each operation authenticates (token or session) and applies
    # its own access class (permissions.py, `api_access`); test_permissions checks them.
    wrapped.access = Access.PUBLIC
    return wrapped


@csrf_exempt  # nothing is done here: a token-bearing POST should hear 404, not CSRF
def _no_such_path(request, rest=""):
    return outside_an_operation(request, 404)


_no_such_path.access = Access.PUBLIC

api_patterns, api_app_name, api_namespace = api.urls
for _pattern in api_patterns:
    _pattern.callback = _in_the_error_shape(_pattern.callback)
api_patterns.append(re_path(r"^(?P<rest>.*)$", _no_such_path))

H = "h/<int:household_id>/your-data"

page_patterns = [
    path(f"{H}/", views.data, name="data"),
    path(f"{H}/export.zip", views.export, name="export"),
    path(f"{H}/api-tokens/", views.api_tokens, name="tokens"),
    path(f"{H}/api-tokens/new/", views.token_new, name="token_new"),
    path(f"{H}/api-tokens/<int:token_id>/revoke/", views.token_revoke, name="token_revoke"),
    path("your-data/", views_account.overview, name="account"),
    path("your-data/mine.json", views_account.personal_data, name="personal"),
    path("your-data/import/", views_account.import_upload, name="import"),
    path("your-data/import-mine/", views_account.personal_import, name="personal_import"),
    path("your-data/delete-account/", views_account.account_delete, name="account_delete"),
]

urlpatterns = [
    path("api/v1/", include((api_patterns, api_app_name), namespace=api_namespace)),
    path("", include((page_patterns, "api_pages"))),
]
