"""Views used only by the common/ tests (public, except ``private``: LoginRequiredMiddleware)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from common.exceptions import ApplicationError, ConflictError
from common.http import HtmxHttpRequest
from common.rendering import render_page


@login_not_required
def with_message(request: HtmxHttpRequest) -> HttpResponse:
    messages.success(request, "Saved <b>it</b>")
    return render_page(request, "tests/partial_page.html", {"items": ["x"]}, partial="results")


@login_not_required
def redirect_after_message(request: HttpRequest) -> HttpResponse:
    messages.info(request, "Moved")
    return redirect("/elsewhere/")


def private(request: HttpRequest) -> HttpResponse:
    return HttpResponse("secret")


@login_not_required
def refuses(request: HttpRequest) -> HttpResponse:
    raise ApplicationError("That name is already taken.")


@login_not_required
def conflicts(request: HttpRequest) -> HttpResponse:
    raise ConflictError("Someone else changed it.")


@login_not_required
def crashes(request: HttpRequest) -> HttpResponse:
    raise RuntimeError("boom")


urlpatterns = [
    path("message/", with_message),
    path("redirect/", redirect_after_message),
    path("private/", private),
    path("refuses/", refuses),
    path("conflicts/", conflicts),
    path("crashes/", crashes),
    path("accounts/", include("allauth.urls")),
    path("", include("apps.core.urls")),
]
handler404 = "apps.core.views.page_not_found"
handler500 = "apps.core.views.server_error"
