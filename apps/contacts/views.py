"""Contacts views: parse input, call a service or selector, render a page or a partial."""

from __future__ import annotations

from http import HTTPStatus
from typing import cast
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from apps.contacts import jobs, selectors, services
from apps.contacts.forms import ContactCreateForm, ContactForm, ImportForm, RowForm
from apps.contacts.models import Contact, ContactExport, ContactImport
from apps.core.idempotency import AlreadySubmitted
from apps.users.models import User
from common.downloads import private_file_response
from common.exceptions import ApplicationError, ConflictError
from common.jobs import job_reconcile, job_retry
from common.pagination import InvalidCursor
from common.permissions import get_owned_or_404
from common.redirects import redirect_to_next, safe_next_url
from common.rendering import is_htmx_partial_request, render_page, vary_on_htmx
from common.text import strip_control_chars

CHANGED_EVENT = "contacts-changed"


# ------------------------------------------------------------------------------ helpers
def _list_url(*, q: str = "", sort: str = selectors.DEFAULT_SORT, cursor: str | None = None) -> str:
    params = {k: v for k, v in (("q", q), ("sort", sort), ("cursor", cursor)) if v}
    if params.get("sort") == selectors.DEFAULT_SORT:
        del params["sort"]
    base = reverse("contacts:list")
    return f"{base}?{urlencode(params)}" if params else base


def _changed(response: HttpResponse) -> HttpResponse:
    return trigger_client_event(response, CHANGED_EVENT)


def _me(request: HttpRequest) -> User:
    """Return the signed-in user (every view here is behind login_required)."""
    return cast("User", request.user)


def _owned(request: HttpRequest, pk: int) -> Contact:
    return get_owned_or_404(Contact, user=request.user, pk=pk)


def _parse_id(value: str) -> int | None:
    """Return VALUE as a database id, or None when it is not one."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _conflict_status(request: HttpRequest) -> int:
    # htmx only swaps 2xx and 422 (see base.html), so JS users get 422; plain forms get 409.
    return (
        HTTPStatus.UNPROCESSABLE_ENTITY if getattr(request, "htmx", False) else HTTPStatus.CONFLICT
    )


def _undo_message(request: HttpRequest, trash_id: int, text: str, *, back: str) -> None:
    undo = reverse("contacts:undo", args=[trash_id]) + "?" + urlencode({"next": back})
    messages.success(request, text, extra_tags=f"undo:{undo}")


# ------------------------------------------------------------------------------ list
@login_required
@require_safe
@vary_on_htmx
def contact_list(request: HttpRequest) -> HttpResponse:
    """List, search, sort and page through the address book."""
    q = selectors.normalise_query(request.GET.get("q"))
    raw_q = strip_control_chars(request.GET.get("q", ""))[: selectors.SEARCH_MAX]
    sort = selectors.normalise_sort(request.GET.get("sort"))
    cursor = request.GET.get("cursor") or None
    try:
        page = selectors.contact_list(owner=_me(request), query=q, sort=sort, cursor=cursor)
    except InvalidCursor:
        if is_htmx_partial_request(request):
            raise ApplicationError(
                "That position in the list is no longer valid. Reload the page."
            ) from None
        return redirect(_list_url(q=raw_q, sort=sort))
    sorts = [
        {"key": key, "label": label, "url": _list_url(q=raw_q, sort=key), "active": key == sort}
        for key, (label, _) in selectors.SORTS.items()
    ]
    context = {
        "page": page,
        "q": raw_q,
        "sort": sort,
        "sorts": sorts,
        "cursor": cursor,
        "start_url": _list_url(q=raw_q, sort=sort),
        "next_url": _list_url(q=raw_q, sort=sort, cursor=page.next_cursor) if page.has_next else "",
        "count_url": reverse("contacts:count") + ("?" + urlencode({"q": raw_q}) if raw_q else ""),
        # A callable: the template calls it only when it renders the full page.
        "latest_export": lambda: selectors.contact_export_latest(owner=_me(request)),
    }
    return render_page(
        request, "contacts/list.html", context, partial="rows" if cursor else "results"
    )


@login_required
@require_safe
@vary_on_htmx
def contact_count(request: HttpRequest) -> HttpResponse:
    """Count the contacts matching `q` (loaded lazily after the list renders)."""
    q = strip_control_chars(request.GET.get("q", ""))
    count = selectors.contact_count(owner=_me(request), query=q)
    return render_page(request, "contacts/count.html", {"count": count, "q": q}, partial="count")


# ------------------------------------------------------------------------------ one contact
@login_required
@require_safe
@vary_on_htmx
def contact_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Show one contact."""
    return render_page(request, "contacts/detail.html", {"contact": _owned(request, pk)})


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_create(request: HttpRequest) -> HttpResponse:
    """Show the new-contact form and create the contact."""
    form = ContactCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                owner=_me(request),
                data=form.data_for_service(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except AlreadySubmitted as exc:
            messages.info(request, "This form was already sent; here is the contact it created.")
            return redirect(exc.result_url or reverse("contacts:list"))
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Created {contact.full_name}.")
            return redirect("contacts:detail", pk=contact.pk)
    status = HTTPStatus.UNPROCESSABLE_ENTITY if request.method == "POST" else HTTPStatus.OK
    return render_page(request, "contacts/form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Show the edit form and save it, refusing to overwrite a newer version."""
    contact = _owned(request, pk)
    form = ContactForm(request.POST if request.method == "POST" else None, contact=contact)
    conflict: Contact | None = None
    status: int = HTTPStatus.OK
    if request.method == "POST":
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        if form.is_valid():
            try:
                saved = services.contact_update(
                    contact=contact,
                    data=form.data_for_service(),
                    version=form.cleaned_data["version"],
                )
            except ConflictError as exc:
                conflict = exc.extra["current"]
                status = _conflict_status(request)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Saved {saved.full_name}.")
                return redirect("contacts:detail", pk=saved.pk)
        if conflict is not None:
            # Keep what the user typed; the next save (from this form) is a deliberate overwrite.
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = ContactForm(data, contact=conflict)
            form.is_valid()
    context = {"form": form, "contact": conflict or contact, "conflict": conflict}
    return render_page(request, "contacts/form.html", context, status=status)


# ------------------------------------------------------------------------------ inline row
@login_required
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_row(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the table row (GET) or save the inline editor (POST)."""
    contact = _owned(request, pk)
    if not is_htmx_partial_request(request):
        if request.method == "POST":
            # The inline editor only exists with JavaScript; a plain post goes to the full form.
            return redirect("contacts:edit", pk=pk)
        return redirect("contacts:detail", pk=pk)
    if request.method == "GET":
        return render_page(
            request, "contacts/list.html", {"contact": contact, "focus": True}, partial="row"
        )
    form = RowForm(request.POST, contact=contact)
    conflict = None
    if form.is_valid():
        try:
            saved = services.contact_update(
                contact=contact, data=form.data_for_service(), version=form.cleaned_data["version"]
            )
        except ConflictError as exc:
            conflict = exc.extra["current"]
            data = request.POST.copy()
            data["version"] = str(conflict.version)
            form = RowForm(data, contact=conflict)
            form.is_valid()
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, f"Saved {saved.full_name}.")
            response = render_page(
                request, "contacts/list.html", {"contact": saved, "focus": True}, partial="row"
            )
            return _changed(response)
    context = {"contact": conflict or contact, "form": form, "conflict": conflict}
    return render_page(
        request,
        "contacts/list.html",
        context,
        partial="row_edit",
        status=HTTPStatus.UNPROCESSABLE_ENTITY,
    )


@login_required
@require_safe
@vary_on_htmx
def contact_row_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Return the inline editor for a row (the full edit page without htmx)."""
    contact = _owned(request, pk)
    if not is_htmx_partial_request(request):
        return redirect("contacts:edit", pk=pk)
    context = {"contact": contact, "form": RowForm(contact=contact)}
    return render_page(request, "contacts/list.html", context, partial="row_edit")


@login_required
@require_POST
@vary_on_htmx
def contact_favourite(request: HttpRequest, pk: int) -> HttpResponse:
    """Mark or unmark a favourite; htmx gets the button back, others go back."""
    contact = _owned(request, pk)
    favourite = request.POST.get("favourite") == "1"
    contact = services.contact_favourite_set(contact=contact, favourite=favourite)
    if is_htmx_partial_request(request):
        return render_page(request, "contacts/list.html", {"contact": contact}, partial="favourite")
    return redirect_to_next(request, reverse("contacts:detail", args=[pk]))


# ------------------------------------------------------------------------------ delete and undo
@login_required
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and delete (POST) one contact, offering Undo."""
    contact = _owned(request, pk)
    if request.method == "GET":
        return render_page(request, "contacts/delete.html", {"contact": contact})
    name = contact.full_name
    trash = services.contacts_delete(owner=_me(request), ids=[contact.pk])
    # A row deleted in the list stays on that list; the confirmation page goes to the list.
    in_list = is_htmx_partial_request(request)
    back = safe_next_url(request, _list_url()) if in_list else _list_url()
    if trash is not None:
        _undo_message(request, trash.pk, f"Deleted {name}.", back=back)
    if in_list:
        return _changed(HttpResponse(""))  # the row swaps itself out
    return HttpResponseRedirect(back)


@login_required
@require_POST
def contact_bulk_delete(request: HttpRequest) -> HttpResponse:
    """Delete the selected contacts (ids), offering Undo."""
    back = safe_next_url(request, reverse("contacts:list"))
    ids = [i for i in map(_parse_id, request.POST.getlist("ids")) if i is not None]
    if not ids:
        messages.info(request, "Select some contacts first.")
        return HttpResponseRedirect(back)
    trash = services.contacts_delete(owner=_me(request), ids=ids[: services.BULK_DELETE_MAX + 1])
    if trash is None:
        messages.info(request, "Those contacts were already deleted.")
    else:
        n = len(trash.rows)
        _undo_message(request, trash.pk, f"Deleted {n} contact{'s' if n != 1 else ''}.", back=back)
    return HttpResponseRedirect(back)


@login_required
@require_POST
def contact_undo(request: HttpRequest, pk: int) -> HttpResponse:
    """Restore exactly what one delete removed."""
    n = services.contacts_restore(owner=_me(request), trash_id=pk)
    messages.success(request, f"Restored {n} contact{'s' if n != 1 else ''}.")
    return redirect_to_next(request, reverse("contacts:list"))


# ------------------------------------------------------------------------------ inline validation
@login_required
@require_safe
@vary_on_htmx
def contact_validate_email(request: HttpRequest) -> HttpResponse:
    """Say whether the typed email is valid and free (while typing)."""
    email = request.GET.get("email", "").strip()
    exclude = _parse_id(request.GET.get("contact", ""))
    error = ""
    if email:
        try:
            validate_email(email)
        except ValidationError:
            error = "Enter a valid email address."
        else:
            other = selectors.contact_email_user(
                owner=_me(request), email=email, exclude_id=exclude
            )
            if other is not None:
                error = f"Already used by {other.full_name}."
    if not is_htmx_partial_request(request):
        return HttpResponse(error or "OK", content_type="text/plain; charset=utf-8")
    return render_page(
        request,
        "contacts/form.html",
        {"email_error": error, "email_checked": bool(email)},
        partial="email_feedback",
    )


# ------------------------------------------------------------------------------ export
@login_required
@require_POST
def contact_export_start(request: HttpRequest) -> HttpResponse:
    """Start a CSV export in the background and show its progress."""
    job = jobs.contact_export_start(owner=_me(request))
    return redirect("contacts:export", pk=job.pk)


@login_required
@require_safe
@vary_on_htmx
def contact_export(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an export's progress (the partial is polled until it finishes)."""
    job = job_reconcile(get_owned_or_404(ContactExport, user=request.user, pk=pk))
    return render_page(request, "contacts/export.html", {"job": job}, partial="status")


@login_required
@require_POST
def contact_export_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed export again, from scratch, and show its progress."""
    job_retry(get_owned_or_404(ContactExport, user=request.user, pk=pk))
    return redirect("contacts:export", pk=pk)


@login_required
@require_safe
def contact_export_download(request: HttpRequest, pk: int) -> FileResponse:
    """Send a finished export file to its owner only."""
    job = get_owned_or_404(ContactExport, user=request.user, pk=pk)
    if not job.file:
        raise Http404("Not ready.")
    now = timezone.now()
    if (job.finished_at or job.created_at) < now - settings.RETENTION_FILES:
        kept = timesince(now - settings.RETENTION_FILES, now)
        raise ApplicationError(
            f"This export has expired: export files are kept for {kept}. Start a new export.",
            status=HTTPStatus.GONE,
        )
    return private_file_response(
        job.file,
        filename=f"contacts-{job.created_at:%Y-%m-%d}.csv",
        content_type="text/csv; charset=utf-8",
    )


# ------------------------------------------------------------------------------ import
@login_required
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_import_start(request: HttpRequest) -> HttpResponse:
    """Upload a CSV to import in the background."""
    form = ImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.contact_import_start(
                owner=_me(request),
                upload=form.cleaned_data["file"],
                duplicates=form.cleaned_data["duplicates"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("contacts:import", pk=job.pk)
    status = HTTPStatus.UNPROCESSABLE_ENTITY if request.method == "POST" else HTTPStatus.OK
    latest = selectors.contact_import_latest(owner=_me(request))
    return render_page(
        request, "contacts/import_form.html", {"form": form, "latest": latest}, status=status
    )


@login_required
@require_safe
@vary_on_htmx
def contact_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Show an import's progress and, when done, its report."""
    job = job_reconcile(get_owned_or_404(ContactImport, user=request.user, pk=pk))
    return render_page(request, "contacts/import.html", {"job": job}, partial="status")


@login_required
@require_POST
def contact_import_retry(request: HttpRequest, pk: int) -> HttpResponse:
    """Run a failed import again (it resumes after the rows already saved)."""
    job_retry(get_owned_or_404(ContactImport, user=request.user, pk=pk))
    return redirect("contacts:import", pk=pk)
