"""Account settings page, profile, sessions, passkeys, data export and account deletion."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from apps.accounts import selectors, services
from apps.accounts.decorators import fresh_login_required
from apps.accounts.forms import AccountDeleteForm, PasskeyRenameForm, ProfileForm
from apps.accounts.middleware import activate_user_timezone
from apps.accounts.models import DataExport
from common.downloads import FileGone, private_file_response
from common.exceptions import ApplicationError
from common.http import AuthenticatedHttpRequest, HtmxHttpRequest
from common.jobs import JobStatus, job_reconcile, job_retry
from common.pagination import InvalidCursor
from common.permissions import get_owned_or_404
from common.rendering import (
    is_htmx_partial_request,
    patch_vary_htmx,
    render_page,
    vary_on_htmx,
)

SETTINGS_TEMPLATE = "accounts/settings.html"
SECURITY_LOG_RECENT = 20  # events on the account page; the rest are on the full log
SECURITY_LOG_PAGE_SIZE = 50


def _settings_context(request: AuthenticatedHttpRequest, **overrides: Any) -> dict[str, Any]:
    user = request.user
    context: dict[str, Any] = {
        "profile_form": ProfileForm(initial={"name": user.name, "timezone": user.timezone}),
        "email_addresses": EmailAddress.objects.filter(user=user).order_by("-primary", "email"),
        "mfa": selectors.mfa_summary(user=user),
        "passkey_form": PasskeyRenameForm(),  # the name field's limits, for each passkey
        "sessions": selectors.user_sessions(user=user),
        "current_session_key": request.session.session_key,
        # A callable: the template calls it only where it renders the log.
        "security_events": lambda: selectors.security_events_recent(
            user=user,
            limit=SECURITY_LOG_RECENT,
        ),
        "security_log_days": settings.RETENTION_SECURITY_LOG.days,
    }
    context.update(overrides)
    return context


@require_safe
@vary_on_htmx
def account_settings(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show every account setting on one page."""
    return render_page(request, SETTINGS_TEMPLATE, _settings_context(request))


@require_POST
@vary_on_htmx
def profile_update(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Save the display name and time zone; re-render the profile section in place."""
    form = ProfileForm(request.POST)
    if form.is_valid():
        try:
            services.profile_update(
                user=request.user,
                name=form.cleaned_data["name"],
                timezone_name=form.cleaned_data["timezone"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
    if not form.is_valid():
        context = _settings_context(request, profile_form=form)
        return render_page(
            request,
            SETTINGS_TEMPLATE,
            context,
            partial="profile",
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )
    messages.success(request, "Profile saved.")
    activate_user_timezone(request.user)  # the new zone applies to this response already
    return _section_updated(request, "profile", profile_saved=True)  # also updates the header


KEYBOARD_SECTION_TEMPLATE = "accounts/includes/keyboard_section.html"
KEYBOARD_FIELD = "single_key_shortcuts"
KEYBOARD_INVALID = "Tick the box to turn single-key shortcuts on, or clear it to turn them off."


def _checkbox_value(data: QueryDict, name: str) -> bool | None:
    """Return a checkbox's state: absent is off, one "on" is on, anything else is invalid."""
    values = data.getlist(name)
    if not values:
        return False
    if values == ["on"]:
        return True
    return None


@require_POST
@vary_on_htmx
def keyboard_settings_update(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Turn single-key shortcuts on or off (WCAG 2.1.4); re-render the section in place."""
    single_key = _checkbox_value(request.POST, KEYBOARD_FIELD)
    if single_key is None:
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        if is_htmx_partial_request(request):
            context = {"keyboard_errors": [KEYBOARD_INVALID]}
            response = render(request, KEYBOARD_SECTION_TEMPLATE, context, status=status)
            patch_vary_htmx(response)
            return response
        context = _settings_context(request, keyboard_errors=[KEYBOARD_INVALID])
        return render_page(request, SETTINGS_TEMPLATE, context, status=status)
    services.keyboard_settings_update(user=request.user, single_key_shortcuts=single_key)
    messages.success(request, "Keyboard settings saved.")
    if not is_htmx_partial_request(request):
        return redirect(reverse("account_settings") + "#keyboard-section")
    response = render(request, KEYBOARD_SECTION_TEMPLATE)
    patch_vary_htmx(response)
    # keys.js applies the new setting to this page at once (static/js/keys.js).
    trigger_client_event(response, "kis:keyboard-settings", {"singleKey": single_key})
    return response


def _section_updated(request: AuthenticatedHttpRequest, partial: str, **extra: Any) -> HttpResponse:
    """Re-render the changed settings section for htmx; otherwise redirect back (PRG)."""
    if is_htmx_partial_request(request):
        context = _settings_context(request, **extra)
        return render_page(request, SETTINGS_TEMPLATE, context, partial=partial)
    return redirect("account_settings")


def _after_session_change(request: AuthenticatedHttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:  # ended its own session: logout() made it anonymous
        login_url = settings.LOGIN_URL
        if is_htmx_partial_request(request):
            return HttpResponseClientRedirect(redirect(login_url).url)
        return redirect(login_url)
    return _section_updated(request, "sessions", sessions_changed=True)


@require_safe
def sessions_list(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Send allauth's sessions page to the sessions section: one place to manage them."""
    return redirect(reverse("account_settings") + "#sessions-section")


@require_POST
@vary_on_htmx
def session_end(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """End one of the user's sessions (404 for anyone else's)."""
    session = get_owned_or_404(UserSession, user=request.user, owner_field="user", pk=pk)
    current = session.is_current()
    services.session_end(request=request, session=session)
    if current:
        messages.info(request, "You have been signed out.")
    else:
        messages.success(request, "Session ended. That device is signed out.")
    return _after_session_change(request)


@require_POST
@vary_on_htmx
def sessions_end_others(request: AuthenticatedHttpRequest) -> HttpResponse:
    """End every session except this one."""
    services.sessions_end_others(request=request, user=request.user)
    messages.success(request, "All other sessions ended.")
    return _after_session_change(request)


@require_safe
@vary_on_htmx
def security_log(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the whole security log (within retention), a keyset page at a time."""
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.security_event_page(
            user=request.user,
            cursor=cursor,
            page_size=SECURITY_LOG_PAGE_SIZE,
        )
    except InvalidCursor:
        if is_htmx_partial_request(request):
            raise ApplicationError(
                "That position in the log is no longer valid. Reload the page."
            ) from None
        return redirect("account_security_log")
    next_cursor = page.next_cursor
    next_url = ""
    if next_cursor:
        next_url = reverse("account_security_log") + "?" + urlencode({"cursor": next_cursor})
    context = {
        "page": page,
        "cursor": cursor,
        "next_url": next_url,
        "security_log_days": settings.RETENTION_SECURITY_LOG.days,
    }
    return render_page(
        request, "accounts/security_log.html", context, partial="rows" if cursor else None
    )


@fresh_login_required
@require_POST
@vary_on_htmx
def passkey_rename(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Rename one of the user's passkeys in place."""
    authenticator = get_owned_or_404(
        Authenticator,
        user=request.user,
        owner_field="user",
        pk=pk,
        type=Authenticator.Type.WEBAUTHN,
    )
    form = PasskeyRenameForm(request.POST)
    if form.is_valid():
        try:
            services.passkey_rename(authenticator=authenticator, name=form.cleaned_data["name"])
        except ValidationError as exc:
            form.add_error("name", exc.message_dict.get("name", exc.messages))
    if not form.is_valid():
        context = _settings_context(
            request, rename_errors={authenticator.pk: form.errors.get("name")}
        )
        return render_page(
            request,
            SETTINGS_TEMPLATE,
            context,
            partial="passkeys",
            status=HTTPStatus.UNPROCESSABLE_ENTITY,
        )
    messages.success(request, "Passkey renamed.")
    return _section_updated(request, "passkeys")


EXPORT_TEMPLATE = "accounts/export.html"


def _export_context(
    request: AuthenticatedHttpRequest, job: DataExport | None, **extra: Any
) -> dict[str, Any]:
    return {
        "sources": selectors.user_data_sources(),
        "job": job,
        "expires_at": selectors.data_export_expires_at(job=job) if job else None,
        "expired": selectors.data_export_is_expired(job=job) if job else False,
        "retention_days": settings.RETENTION_FILES.days,
        **extra,
    }


@never_cache
@fresh_login_required
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def data_export(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Explain the export and show the latest one (GET); start one and go to it (POST)."""
    owner = request.user
    if request.method == "POST":
        try:
            job, created = services.data_export_start(owner=owner, request=request)
        except services.DataExportLimitReached as exc:
            latest = selectors.data_export_latest(owner=owner)
            context = _export_context(request, latest, limit_message=exc.message)
            return render_page(request, EXPORT_TEMPLATE, context, status=exc.status)
        if not created:
            messages.info(request, "Your export is already being prepared.")
        return redirect("account_export_job", pk=job.pk)
    latest = selectors.data_export_latest(owner=owner)
    return render_page(request, EXPORT_TEMPLATE, _export_context(request, latest), partial="status")


@never_cache
@require_safe
@vary_on_htmx
def data_export_job(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show one export's progress (the status partial is polled until it finishes)."""
    job = job_reconcile(get_owned_or_404(DataExport, user=request.user, pk=pk))
    return render_page(request, EXPORT_TEMPLATE, _export_context(request, job), partial="status")


@fresh_login_required
@require_POST
def data_export_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Run a failed export again, from scratch (it does not count as a new export)."""
    job_retry(get_owned_or_404(DataExport, user=request.user, pk=pk))
    return redirect("account_export_job", pk=pk)


@fresh_login_required
@require_safe
def data_export_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse | FileResponse:
    """Send a finished export's ZIP to its owner only: 404 before it is ready, 410 after."""
    job = get_owned_or_404(DataExport, user=request.user, pk=pk)
    if job.status != JobStatus.DONE:
        raise Http404("This export is not ready.")
    if selectors.data_export_is_expired(job=job) or not job.file:
        context = _export_context(request, job)
        return render_page(request, "accounts/export_gone.html", context, status=HTTPStatus.GONE)
    finished = job.finished_at or job.created_at
    try:
        return private_file_response(
            job.file,
            filename=f"kis-export-{finished:%Y%m%d-%H%M%S}.zip",
            content_type="application/zip",
        )
    except FileGone:  # purged meanwhile
        context = _export_context(request, job, expired=True)
        return render_page(request, "accounts/export_gone.html", context, status=HTTPStatus.GONE)


@never_cache
@fresh_login_required
@require_http_methods(["GET", "POST"])
def account_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Delete the account after a typed confirmation."""
    form = AccountDeleteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = request.user
        services.user_delete(user=user)
        logout(request)
        messages.success(request, "Your account and all its data have been deleted.")
        return redirect("account_deleted")
    status = HTTPStatus.UNPROCESSABLE_ENTITY if form.is_bound else HTTPStatus.OK
    return render_page(request, "accounts/delete.html", {"form": form}, status=status)


@login_not_required  # shown after the account is gone, signed out
@require_safe
def account_deleted(request: HtmxHttpRequest) -> HttpResponse:
    """Confirm that the account is gone."""
    return render_page(request, "accounts/deleted.html")
