"""A plain Django "hello" app for the benchmark: Django's own floor, beside KIS's ceiling.

One view, no middleware, no database, no templates: what gunicorn and Django's request
handling cost by themselves. scripts/bench.py serves it with gunicorn as
``scripts.bench_hello:application`` and measures it beside /robots.txt through the full
stack, so the stack's own cost is visible.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    """Answer with a short text."""
    return HttpResponse(b"Hello, world.\n", content_type="text/plain")


urlpatterns = [path("hello/", hello)]

settings.configure(
    DEBUG=False,
    SECRET_KEY=secrets.token_urlsafe(50),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    INSTALLED_APPS=[],
    DATABASES={},
    USE_TZ=True,
)
application = get_wsgi_application()
