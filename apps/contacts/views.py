"""Contacts views beyond the toolkit's: parse input, call a service or selector, render.

The list, its count, the contact pages, the inline row editor, delete and undo are the
toolkit's views, declared in lists.py (``ContactList``) and routed by ``ContactList.urls()``.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from apps.contacts import selectors, services
from apps.contacts.models import Contact
from common.http import AuthenticatedHttpRequest
from common.lists.objects import parse_id
from common.permissions import get_owned_or_404
from common.redirects import redirect_to_next
from common.rendering import is_htmx_partial_request, render_page, vary_on_htmx


# ------------------------------------------------------------------------------ favourite
@require_POST
@vary_on_htmx
def contact_favourite(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Mark or unmark a favourite; htmx gets the button back, others go back."""
    contact = get_owned_or_404(Contact, user=request.user, pk=pk)
    favourite = request.POST.get("favourite") == "1"
    contact = services.contact_favourite_set(contact=contact, favourite=favourite)
    if is_htmx_partial_request(request):
        return render_page(request, "contacts/list.html", {"contact": contact}, partial="favourite")
    return redirect_to_next(request, reverse("contacts:detail", args=[pk]))


# ------------------------------------------------------------------------------ inline validation
@require_safe
@vary_on_htmx
def contact_validate_email(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Say whether the typed email is valid and free (while typing)."""
    email = request.GET.get("email", "").strip()
    exclude = parse_id(request.GET.get("contact", ""))
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
