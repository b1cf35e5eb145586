"""Views used only by the common/ tests."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import include, path

from common.exceptions import ApplicationError, ConflictError
from common.rendering import render_page


def with_message(request: HttpRequest) -> HttpResponse:
    messages.success(request, "Saved <b>it</b>")
    return render_page(request, "tests/partial_page.html", {"items": ["x"]}, partial="results")


def redirect_after_message(request: HttpRequest) -> HttpResponse:
    messages.info(request, "Moved")
    return redirect("/elsewhere/")


@login_required
def private(request: HttpRequest) -> HttpResponse:
    return HttpResponse("secret")


def refuses(request: HttpRequest) -> HttpResponse:
    raise ApplicationError("That name is already taken.")


def conflicts(request: HttpRequest) -> HttpResponse:
    raise ConflictError("Someone else changed it.")


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
