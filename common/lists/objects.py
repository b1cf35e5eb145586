"""The generic object views of an owner-scoped list: show, create, edit, edit in a row, delete.

Each is built from an ``OwnedList`` declaration (``OwnedList.urls()`` routes them). They
parse the request, call the declaration's service hooks (``create``, ``update``, ``delete``,
``restore``, which call the app's services) and render a page or a partial:

- the new and edit pages answer 422 to an invalid form, and 409 (422 for htmx, which only
  swaps 2xx and 422) to a save from a stale version: the form then holds the changes made
  elsewhere to fields this user left alone, keeps what the user typed, and shows both values
  of a field changed on both sides (the next save, from the new version, is deliberate);
- a save of an object deleted meanwhile (in another tab) answers the same way with the
  user's values in a new-object form ("save them as a new ..."), not a bare 404; the edit
  form's signed snapshot (``VersionedForm.opened``) proves the object was this user's;
- the inline row editor (``row_form_class``) swaps a table row for its form and back, with
  the same conflict merge and deleted-object offer in the row;
- delete keeps a snapshot (``trash_model``) and offers Undo in a toast; bulk delete takes
  the checked ``ids``.

Every object is looked up among the signed-in user's own (another user's id is a 404, like
a missing one; only a valid snapshot of this user's turns a missing object into "deleted").
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_htmx.http import trigger_client_event

from apps.core.idempotency import AlreadySubmitted
from common.exceptions import ConflictError
from common.http import AuthenticatedHttpRequest
from common.lists.forms import KEEP_PREFIX, Opened, opened_read
from common.permissions import get_owned_or_404
from common.redirects import redirect_to_next, safe_next_url
from common.rendering import is_htmx_partial_request, render_page, vary_on_htmx

if TYPE_CHECKING:
    from common.lists.config import OwnedList

type View = Callable[..., HttpResponse]


def parse_id(value: str) -> int | None:
    """Return VALUE as a database id, or None when it is not one."""
    return int(value) if value.isascii() and value.isdigit() and len(value) <= 18 else None


def _name(view: View, config: type[OwnedList], action: str, doc: str) -> View:
    view.__doc__ = doc
    view.__module__ = config.__module__  # resolve() and error reports name the declaration
    view.__qualname__ = view.__name__ = f"{config.__qualname__}.{action}_view"
    return view


def _owned(config: type[OwnedList], request: AuthenticatedHttpRequest, pk: int) -> Any:
    return get_owned_or_404(config.model, user=request.user, owner_field=config.owner_field, pk=pk)


def _opened(config: type[OwnedList], request: AuthenticatedHttpRequest, pk: int) -> Opened | None:
    """Return the valid snapshot of PK that this user's POST carries (None: none, or not theirs)."""
    return opened_read(request.POST.get("opened"), model=config.model, pk=pk, owner=request.user)


def _missing(config: type[OwnedList]) -> type[Exception]:
    """Return the model's DoesNotExist: a save found the object deleted after the look-up."""
    return config.model.DoesNotExist  # type: ignore[attr-defined, no-any-return]


def _merged(form_class: Any, form: Any, current: Model, **kwargs: Any) -> Any:
    """Return the form to show after FORM's save met CURRENT (``VersionedForm.conflict_merge``)."""
    data, clashes, taken = form.conflict_merge(current)
    merged = form_class(data, instance=current, owner=form.owner, **kwargs)
    merged.clashes, merged.taken = clashes, taken
    merged.is_valid()
    return merged


def _as_new_data(request: AuthenticatedHttpRequest) -> QueryDict:
    """Return the POSTed values as a new-object form takes them, with a new submission key."""
    data = request.POST.copy()
    for key in [k for k in data if k in ("version", "discard") or k.startswith(KEEP_PREFIX)]:
        del data[key]
    data["submission_key"] = str(uuid.uuid4())  # one new object, however often it is sent
    return data


def _context(config: type[OwnedList], obj: Model | None, **extra: Any) -> dict[str, Any]:
    context: dict[str, Any] = {"config": config, "object": obj, **extra}
    if obj is not None:
        context[config.object_name()] = obj
    return context


def _conflict_status(request: AuthenticatedHttpRequest) -> int:
    return HTTPStatus.UNPROCESSABLE_ENTITY if request.htmx else HTTPStatus.CONFLICT


def _changed(config: type[OwnedList], response: HttpResponse) -> HttpResponse:
    return trigger_client_event(response, config.get_changed_event())


def _plural(config: type[OwnedList], n: int) -> str:
    meta = config.model._meta
    return f"{n} {meta.verbose_name if n == 1 else meta.verbose_name_plural}"


def _undo_message(
    config: type[OwnedList], request: AuthenticatedHttpRequest, trash_id: int, text: str, back: str
) -> None:
    undo = reverse(config.url("undo"), args=[trash_id]) + "?" + urlencode({"next": back})
    messages.success(request, text, extra_tags=f"undo:{undo}")


# ------------------------------------------------------------------------------ one object
def detail_view(*, config: type[OwnedList]) -> View:
    """Return the view that shows one object."""
    template_name = config.require("detail_template_name")

    @require_safe
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        obj = _owned(config, request, pk)
        context = _context(config, obj, **config.get_object_context(request, obj))
        return render_page(request, template_name, context)

    return _name(view, config, "detail", f"Show one {config.model._meta.verbose_name}.")


def create_view(*, config: type[OwnedList]) -> View:
    """Return the view that shows the new-object form and creates the object."""
    template_name = config.require("form_template_name")
    form_class = config.create_form_class or config.require("form_class")

    @require_http_methods(["GET", "POST"])
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        form = form_class(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            try:
                obj = config.create(
                    owner=request.user,
                    data=form.data_for_service(),
                    submission_key=form.cleaned_data.get("submission_key"),
                )
            except AlreadySubmitted as exc:
                name = config.model._meta.verbose_name
                messages.info(
                    request, f"This form was already sent; here is the {name} it created."
                )
                return HttpResponseRedirect(exc.result_url or config.list_url())
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Created {obj}.")
                return HttpResponseRedirect(obj.get_absolute_url())
        # htmx swaps 422 responses (base.html), so an invalid form re-renders in place.
        status = HTTPStatus.UNPROCESSABLE_ENTITY if request.method == "POST" else HTTPStatus.OK
        return render_page(request, template_name, _context(config, None, form=form), status=status)

    return _name(view, config, "create", f"Create a {config.model._meta.verbose_name}.")


def edit_view(*, config: type[OwnedList]) -> View:
    """Return the view that shows the edit form and saves it unless the object moved on."""
    template_name = config.require("form_template_name")
    form_class = config.require("form_class")
    new_form_class = config.create_form_class or form_class

    def deleted(request: AuthenticatedHttpRequest) -> HttpResponse:
        # Saved after a delete elsewhere: the values, kept in a new-object form.
        form = new_form_class(_as_new_data(request))
        context = _context(config, None, form=form, deleted=True)
        return render_page(request, template_name, context, status=_conflict_status(request))

    @require_http_methods(["GET", "POST"])
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        try:
            obj = _owned(config, request, pk)
        except Http404:
            if request.method == "POST" and _opened(config, request, pk) is not None:
                return deleted(request)
            raise  # a GET, or no proof it was this user's: as missing as another user's
        data = request.POST if request.method == "POST" else None
        form = form_class(data, instance=obj, owner=request.user)
        conflict = None
        status: int = HTTPStatus.OK
        if request.method == "POST":
            status = HTTPStatus.UNPROCESSABLE_ENTITY
            if form.is_valid():
                try:
                    saved = config.update(
                        obj=obj, data=form.data_for_service(), version=form.cleaned_data["version"]
                    )
                except ConflictError as exc:
                    conflict = exc.extra["current"]
                    status = _conflict_status(request)
                except _missing(config):  # deleted between the look-up and the lock
                    return deleted(request)
                except ValidationError as exc:
                    form.add_error(None, exc)
                else:
                    messages.success(request, f"Saved {saved}.")
                    return HttpResponseRedirect(saved.get_absolute_url())
            if conflict is not None:
                # Their changes to fields the user left alone, the user's own, and both
                # values of a field changed on both sides; the next save (from the version
                # shown) is deliberate.
                form = _merged(form_class, form, conflict)
        context = _context(config, conflict or obj, form=form, conflict=conflict)
        return render_page(request, template_name, context, status=status)

    return _name(view, config, "edit", f"Edit a {config.model._meta.verbose_name}.")


# ------------------------------------------------------------------------------ inline row
def _row(config: type[OwnedList], request: AuthenticatedHttpRequest, obj: Model) -> HttpResponse:
    context = _context(config, obj, focus=True)
    return render_page(request, config.template_name, context, partial=config.row_partial)


def _row_editor(
    config: type[OwnedList],
    request: AuthenticatedHttpRequest,
    obj: Model,
    form: Any,
    *,
    conflict: Model | None = None,
    status: int = HTTPStatus.OK,
) -> HttpResponse:
    context = _context(
        config, obj, form=form, conflict=conflict, row_id=config.row_id(obj), pk=obj.pk
    )
    return render_page(request, config.row_edit_template_name, context, status=status)


def _row_deleted(
    config: type[OwnedList], request: AuthenticatedHttpRequest, pk: int, form_class: Any
) -> HttpResponse:
    """Answer a row save of an object deleted meanwhile: the values, to save as new or discard."""
    if "discard" in request.POST:
        return _changed(config, HttpResponse(""))  # the row swaps itself out
    row_id = config.row_id(config.model(pk=pk))
    form = form_class(_as_new_data(request), row_id=row_id)
    form.is_valid()
    can_create = bool(config.form_class and config.form_template_name)  # new/ is routed
    context = _context(
        config, None, form=form, deleted=True, row_id=row_id, pk=pk, can_create=can_create
    )
    status = HTTPStatus.UNPROCESSABLE_ENTITY
    return render_page(request, config.row_edit_template_name, context, status=status)


def row_view(*, config: type[OwnedList]) -> View:
    """Return the view that gives a table row (GET) or saves its inline editor (POST)."""
    form_class = config.require("row_form_class")

    @require_http_methods(["GET", "POST"])
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        try:
            obj = _owned(config, request, pk)
        except Http404:
            deleted = request.method == "POST" and is_htmx_partial_request(request)
            if deleted and _opened(config, request, pk) is not None:
                return _row_deleted(config, request, pk, form_class)
            raise
        if not is_htmx_partial_request(request):
            # The inline editor exists only with JavaScript; a plain request gets the pages.
            return redirect(config.url("edit" if request.method == "POST" else "detail"), pk=pk)
        if request.method == "GET" or "discard" in request.POST:
            return _row(config, request, obj)
        row_id = config.row_id(obj)
        form = form_class(request.POST, instance=obj, row_id=row_id, owner=request.user)
        conflict = None
        if form.is_valid():
            try:
                saved = config.update(
                    obj=obj, data=form.data_for_service(), version=form.cleaned_data["version"]
                )
            except ConflictError as exc:
                conflict = exc.extra["current"]
                form = _merged(form_class, form, conflict, row_id=row_id)
            except _missing(config):  # deleted between the look-up and the lock
                return _row_deleted(config, request, pk, form_class)
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, f"Saved {saved}.")
                return _changed(config, _row(config, request, saved))
        status = HTTPStatus.UNPROCESSABLE_ENTITY
        return _row_editor(config, request, conflict or obj, form, conflict=conflict, status=status)

    return _name(view, config, "row", f"Show or save a {config.model._meta.verbose_name} row.")


def row_edit_view(*, config: type[OwnedList]) -> View:
    """Return the view that gives a row's inline editor (the edit page without htmx)."""
    form_class = config.require("row_form_class")

    @require_safe
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        obj = _owned(config, request, pk)
        if not is_htmx_partial_request(request):
            return redirect(config.url("edit"), pk=pk)
        form = form_class(instance=obj, row_id=config.row_id(obj), owner=request.user)
        return _row_editor(config, request, obj, form)

    return _name(view, config, "row_edit", f"Edit a {config.model._meta.verbose_name} in place.")


# ------------------------------------------------------------------------------ delete and undo
def delete_view(*, config: type[OwnedList]) -> View:
    """Return the view that confirms (GET) and deletes (POST) one object, offering Undo."""
    template_name = config.delete_template_name

    @require_http_methods(["GET", "POST"])
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        obj = _owned(config, request, pk)
        if request.method == "GET":
            return render_page(request, template_name, _context(config, obj))
        name = str(obj)
        trash = config.delete(owner=request.user, ids=[obj.pk])
        # A row deleted in the list stays on that list; the confirmation page goes to the list.
        in_list = is_htmx_partial_request(request)
        back = safe_next_url(request, config.list_url()) if in_list else config.list_url()
        if trash is not None and config.trash_model is not None:
            _undo_message(config, request, trash.pk, f"Deleted {name}.", back)
        elif trash is not None:
            messages.success(request, f"Deleted {name}.")
        if in_list:
            return _changed(config, HttpResponse(""))  # the row swaps itself out
        return HttpResponseRedirect(back)

    return _name(view, config, "delete", f"Delete a {config.model._meta.verbose_name}.")


def bulk_delete_view(*, config: type[OwnedList]) -> View:
    """Return the view that deletes the checked objects (``ids``), offering Undo."""
    plural = config.model._meta.verbose_name_plural

    @require_POST
    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        back = safe_next_url(request, config.list_url())
        ids = [i for i in map(parse_id, request.POST.getlist("ids")) if i is not None]
        if not ids:
            messages.info(request, f"Select some {plural} first.")
            return HttpResponseRedirect(back)
        trash = config.delete(owner=request.user, ids=ids[: config.bulk_max + 1])
        if trash is None:
            messages.info(request, f"Those {plural} were already deleted.")
        else:
            text = f"Deleted {_plural(config, len(trash.rows))}."
            _undo_message(config, request, trash.pk, text, back)
        return HttpResponseRedirect(back)

    return _name(view, config, "bulk_delete", f"Delete the selected {plural}.")


def undo_view(*, config: type[OwnedList]) -> View:
    """Return the view that restores exactly what one delete removed."""

    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        n = config.restore(owner=request.user, trash_id=pk)
        messages.success(request, f"Restored {_plural(config, n)}.")
        return redirect_to_next(request, config.list_url())

    plural = config.model._meta.verbose_name_plural
    return _name(view, config, "undo", f"Restore deleted {plural}.")
