"""The API under /api/v1/, and the "Your data" pages."""

from django.urls import include, path

from backsoon.api import views, views_account
from backsoon.api.api import api
from backsoon.households.access import Access

api_patterns, api_app_name, api_namespace = api.urls
for _pattern in api_patterns:
    # The URL itself is open: each operation authenticates (token or session) and applies
    # its own access class (permissions.py, `api_access`); test_permissions checks them.
    _pattern.callback.access = Access.PUBLIC

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
    path("your-data/delete-account/", views_account.account_delete, name="account_delete"),
]

urlpatterns = [
    path("api/v1/", include((api_patterns, api_app_name), namespace=api_namespace)),
    path("", include((page_patterns, "api_pages"))),
]
