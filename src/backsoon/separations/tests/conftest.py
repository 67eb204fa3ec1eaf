"""The notify tests' real receivers (a local push service) for the worker tests here."""

from backsoon.notify.tests import conftest as notify_fixtures

_push_settings = notify_fixtures._push_settings
push_service = notify_fixtures.push_service
