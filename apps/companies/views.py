"""Companies views beyond the toolkit's: a company's contacts, and the company picker.

The list, its count, the company pages, the inline row editor, delete and undo are the
toolkit's views, declared in lists.py (``CompanyList``) and routed by ``CompanyList.urls()``.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe

from apps.companies import selectors
from apps.companies.lists import CompanyList
from apps.companies.models import Company
from common.exceptions import ApplicationError
from common.http import AuthenticatedHttpRequest
from common.pagination import InvalidCursor
from common.permissions import get_owned_or_404
from common.rendering import is_htmx_partial_request, render_page, vary_on_htmx
from common.text import strip_control_chars


@require_safe
@vary_on_htmx
def company_contacts(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Show the company page from a later page of its contacts (load-more appends rows)."""
    company = get_owned_or_404(Company, user=request.user, pk=pk)
    try:
        context = selectors.company_contacts_context(
            company=company, cursor=request.GET.get("cursor") or None
        )
    except InvalidCursor:
        if is_htmx_partial_request(request):
            raise ApplicationError(CompanyList.invalid_cursor_message) from None
        return redirect(company)
    context |= {"company": company, "object": company, "config": CompanyList}
    return render_page(request, "companies/detail.html", context, partial="contact_rows")


@require_safe
@vary_on_htmx
def company_options(request: AuthenticatedHttpRequest) -> HttpResponse:
    """List the companies matching what is typed in a company picker (``q``).

    htmx gets the options of the listbox; without JavaScript this is a page of matches. The
    picker sends its field under the field's own name, so a lone parameter is the query.
    """
    name = "q" if "q" in request.GET else next(iter(request.GET), "q")
    raw = request.GET.get(name) or ""
    query = " ".join(strip_control_chars(raw).split())[:150]
    options = selectors.company_options(owner=request.user, query=query)
    exact = any(option.name.lower() == query.lower() for option in options)
    context = {"options": options, "query": query, "offer_new": bool(query) and not exact}
    return render_page(request, "companies/options.html", context, partial="options")
