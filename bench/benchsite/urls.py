"""The app's URLs plus /bench/hello/: the ceiling, through the same middleware and server."""

from django.http import HttpResponse
from django.urls import include, path

from backsoon.households.access import Access, access

HELLO_PATH = "bench/hello/"


@access(Access.PUBLIC)
def hello(request):
    return HttpResponse("hello", content_type="text/plain")


urlpatterns = [
    path(HELLO_PATH, hello, name="bench_hello"),
    path("", include("backsoon.urls")),
]
