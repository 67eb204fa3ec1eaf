"""The benchmark's bare "hello" view exists only under the harness's own settings.

bench/benchsite adds /bench/hello/ through a URLconf that only DJANGO_SETTINGS_MODULE=
benchsite.settings (with bench/ on the path) uses; a normal deployment cannot reach it.
"""

import importlib.util
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

BENCH = Path(__file__).resolve().parents[3] / "bench"


def test_a_normal_deployment_has_no_hello(client):
    assert client.get("/bench/hello/").status_code == 404
    with pytest.raises(Resolver404):
        resolve("/bench/hello/")
    assert importlib.util.find_spec("benchsite") is None


@pytest.fixture
def bench_on_path():
    sys.path.insert(0, str(BENCH))
    yield
    sys.path.remove(str(BENCH))
    for name in [m for m in sys.modules if m == "benchsite" or m.startswith("benchsite.")]:
        del sys.modules[name]


@pytest.mark.django_db
def test_under_the_bench_urlconf_hello_passes_the_same_middleware(client, bench_on_path):
    with override_settings(ROOT_URLCONF="benchsite.urls"):
        response = client.get("/bench/hello/")
        assert response.status_code == 200 and response.content == b"hello"
        # The app's own middleware answered too: clickjacking, CSP, nosniff.
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
        assert response["X-Content-Type-Options"] == "nosniff"
        assert client.get("/healthz").status_code == 200  # and the app's URLs are all there
