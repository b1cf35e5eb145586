"""Contacts views: parse input, call a service or selector, render a page or a partial."""

from __future__ import annotations

from http import HTTPStatus
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import FileResponse, Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from apps.contacts import jobs, selectors, services
from apps.contacts.forms import ContactCreateForm, ContactForm, ImportForm, RowForm
from apps.contacts.lists import ContactList
from apps.contacts.models import Contact, ContactExport, ContactImport
from apps.core.idempotency import AlreadySubmitted
from common.downloads import private_file_response
from common.exceptions import ApplicationError, ConflictError
from common.http import AuthenticatedHttpRequest
from common.jobs import job_reconcile, job_retry
from common.permissions import get_owned_or_404
from common.redirects import redirect_to_next, safe_next_url
from common.rendering import is_htmx_partial_request, render_page, vary_on_htmx

CHANGED_EVENT = "contacts-changed"


# ------------------------------------------------------------------------------ helpers
def _changed(response: HttpResponse) -> HttpResponse:
    return trigger_client_event(response, CHANGED_EVENT)


def _owned(request: AuthenticatedHttpRequest, pk: int) -> Contact:
    return get_owned_or_404(Contact, user=request.user, pk=pk)


def _parse_id(value: str) -> int | None:
    """Return VALUE as a database id, or None when it is not one."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _conflict_status(request: AuthenticatedHttpRequest) -> int:
    # htmx only swaps 2xx and 422 (see base.html), so JS users get 422; plain forms get 409.
    return HTTPStatus.UNPROCESSABLE_ENTITY if request.htmx else HTTPStatus.CONFLICT


def _undo_message(
    request: AuthenticatedHttpRequest, trash_id: int, text: str, *, back: str
) -> None:
    undo = reverse("contacts:undo", args=[trash_id]) + "?" + urlencode({"next": back})
    messages.success(request, text, extra_tags=f"undo:{undo}")


# ------------------------------------------------------------------------------ one contact
@require_safe
@vary_on_htmx
def contact_detail(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show one contact."""
    return render_page(request, "contacts/detail.html", {"contact": _owned(request, pk)})


@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_create(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Show the new-contact form and create the contact."""
    form = ContactCreateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                owner=request.user,
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


@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_row(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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


@require_safe
@vary_on_htmx
def contact_row_edit(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Return the inline editor for a row (the full edit page without htmx)."""
    contact = _owned(request, pk)
    if not is_htmx_partial_request(request):
        return redirect("contacts:edit", pk=pk)
    context = {"contact": contact, "form": RowForm(contact=contact)}
    return render_page(request, "contacts/list.html", context, partial="row_edit")


@require_POST
@vary_on_htmx
def contact_favourite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark or unmark a favourite; htmx gets the button back, others go back."""
    contact = _owned(request, pk)
    favourite = request.POST.get("favourite") == "1"
    contact = services.contact_favourite_set(contact=contact, favourite=favourite)
    if is_htmx_partial_request(request):
        return render_page(request, "contacts/list.html", {"contact": contact}, partial="favourite")
    return redirect_to_next(request, reverse("contacts:detail", args=[pk]))


# ------------------------------------------------------------------------------ delete and undo
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_delete(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Confirm (GET) and delete (POST) one contact, offering Undo."""
    contact = _owned(request, pk)
    if request.method == "GET":
        return render_page(request, "contacts/delete.html", {"contact": contact})
    name = contact.full_name
    trash = services.contacts_delete(owner=request.user, ids=[contact.pk])
    # A row deleted in the list stays on that list; the confirmation page goes to the list.
    in_list = is_htmx_partial_request(request)
    back = safe_next_url(request, ContactList.list_url()) if in_list else ContactList.list_url()
    if trash is not None:
        _undo_message(request, trash.pk, f"Deleted {name}.", back=back)
    if in_list:
        return _changed(HttpResponse(""))  # the row swaps itself out
    return HttpResponseRedirect(back)


@require_POST
def contact_bulk_delete(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Delete the selected contacts (ids), offering Undo."""
    back = safe_next_url(request, reverse("contacts:list"))
    ids = [i for i in map(_parse_id, request.POST.getlist("ids")) if i is not None]
    if not ids:
        messages.info(request, "Select some contacts first.")
        return HttpResponseRedirect(back)
    trash = services.contacts_delete(owner=request.user, ids=ids[: services.BULK_DELETE_MAX + 1])
    if trash is None:
        messages.info(request, "Those contacts were already deleted.")
    else:
        n = len(trash.rows)
        _undo_message(request, trash.pk, f"Deleted {n} contact{'s' if n != 1 else ''}.", back=back)
    return HttpResponseRedirect(back)


@require_POST
def contact_undo(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Restore exactly what one delete removed."""
    n = services.contacts_restore(owner=request.user, trash_id=pk)
    messages.success(request, f"Restored {n} contact{'s' if n != 1 else ''}.")
    return redirect_to_next(request, reverse("contacts:list"))


# ------------------------------------------------------------------------------ inline validation
@require_safe
@vary_on_htmx
def contact_validate_email(request: AuthenticatedHttpRequest) -> HttpResponse:
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
                owner=request.user, email=email, exclude_id=exclude
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
@require_POST
def contact_export_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Start a CSV export in the background and show its progress."""
    job = jobs.contact_export_start(owner=request.user)
    return redirect("contacts:export", pk=job.pk)


@require_safe
@vary_on_htmx
def contact_export(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show an export's progress (the partial is polled until it finishes)."""
    job = job_reconcile(get_owned_or_404(ContactExport, user=request.user, pk=pk))
    return render_page(request, "contacts/export.html", {"job": job}, partial="status")


@require_POST
def contact_export_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Run a failed export again, from scratch, and show its progress."""
    job_retry(get_owned_or_404(ContactExport, user=request.user, pk=pk))
    return redirect("contacts:export", pk=pk)


@require_safe
def contact_export_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
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
@require_http_methods(["GET", "POST"])
@vary_on_htmx
def contact_import_start(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Upload a CSV to import in the background."""
    form = ImportForm(*((request.POST, request.FILES) if request.method == "POST" else ()))
    if request.method == "POST" and form.is_valid():
        try:
            job = jobs.contact_import_start(
                owner=request.user,
                upload=form.cleaned_data["file"],
                duplicates=form.cleaned_data["duplicates"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            return redirect("contacts:import", pk=job.pk)
    status = HTTPStatus.UNPROCESSABLE_ENTITY if request.method == "POST" else HTTPStatus.OK
    latest = selectors.contact_import_latest(owner=request.user)
    return render_page(
        request, "contacts/import_form.html", {"form": form, "latest": latest}, status=status
    )


@require_safe
@vary_on_htmx
def contact_import(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show an import's progress and, when done, its report."""
    job = job_reconcile(get_owned_or_404(ContactImport, user=request.user, pk=pk))
    return render_page(request, "contacts/import.html", {"job": job}, partial="status")


@require_POST
def contact_import_retry(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Run a failed import again (it resumes after the rows already saved)."""
    job_retry(get_owned_or_404(ContactImport, user=request.user, pk=pk))
    return redirect("contacts:import", pk=pk)
