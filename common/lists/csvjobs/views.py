"""The CSV job pages of a declaration: start, progress (polled partial), download, retry.

Like every view they need a signed-in user (LoginRequiredMiddleware), and every job is
fetched with ``get_owned_or_404``: another user's job is a 404, like a missing one.
Each page is one URL answering with the full page or its ``status`` partial for htmx.
"""

from __future__ import annotations

from collections.abc import Callable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.timesince import timesince
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.downloads import private_file_response
from common.exceptions import ApplicationError
from common.http import AuthenticatedHttpRequest
from common.jobs import job_latest, job_reconcile, job_retry
from common.lists.csvjobs.config import CsvExport, CsvImport, CsvJobs
from common.lists.csvjobs.exporting import csv_export_start
from common.lists.csvjobs.forms import CsvImportForm
from common.lists.csvjobs.importing import csv_import_start
from common.lists.csvjobs.models import ExportJob
from common.permissions import get_owned_or_404
from common.rendering import render_page, vary_on_htmx

type JobView = Callable[[AuthenticatedHttpRequest, int], HttpResponseBase]
type StartView = Callable[[AuthenticatedHttpRequest], HttpResponse]


def _named[V: Callable[..., HttpResponseBase]](view: V, config: type[CsvJobs], name: str) -> V:
    view.__module__ = config.__module__  # resolve() and error reports name the declaration
    view.__qualname__ = view.__name__ = f"{config.__qualname__}.{name}"
    return view


def _export(config: type[CsvJobs]) -> CsvExport:
    if config.export is None:
        raise LookupError(f"{config.__qualname__} declares no export.")
    return config.export


def _import(config: type[CsvJobs]) -> CsvImport:
    if config.import_ is None:
        raise LookupError(f"{config.__qualname__} declares no import.")
    return config.import_


def _context(config: type[CsvJobs], **extra: Any) -> dict[str, Any]:
    return {"csv": config.template_context(), **extra}


# ------------------------------------------------------------------------------ export
def _latest_export_key(model: type[ExportJob]) -> str:
    return f"kis:latest-export:{model._meta.label_lower}"


def latest_export_remember(*, request: HttpRequest, job: ExportJob) -> None:
    """Remember JOB in this session as its owner's latest export of its kind."""
    request.session[_latest_export_key(type(job))] = job.pk


def latest_export[J: ExportJob](*, request: HttpRequest, model: type[J]) -> J | None:
    """Return the latest export of MODEL started in this session, if it is still there.

    A list page links to it. Only a session that started one asks the database, so the
    list, read far more often than anyone exports, costs no query for it
    (docs/decisions/0018-latest-export-per-session.md).
    """
    key = _latest_export_key(model)
    pk = request.session.get(key)
    if type(pk) is not int:
        return None
    job = model._default_manager.filter(owner=request.user, pk=pk).first()
    if job is None:
        del request.session[key]  # purged after its retention time
    return job


def export_start_view(*, config: type[CsvJobs]) -> StartView:
    """Return the view that starts an export in the background and shows its progress."""

    @require_POST
    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        job = csv_export_start(config=config, owner=request.user)
        latest_export_remember(request=request, job=job)
        return redirect(config.url_name("export"), pk=job.pk)

    return _named(view, config, "export_start_view")


def export_view(*, config: type[CsvJobs]) -> JobView:
    """Return the view of an export's progress (the partial is polled until it ends)."""
    model = _export(config).job_model

    @require_safe
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        job = job_reconcile(get_owned_or_404(model, user=request.user, pk=pk))
        return render_page(
            request, config.export_template_name, _context(config, job=job), partial="status"
        )

    return _named(view, config, "export_view")


def export_retry_view(*, config: type[CsvJobs]) -> JobView:
    """Return the view that runs a failed export again, from scratch."""
    model = _export(config).job_model

    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        job_retry(get_owned_or_404(model, user=request.user, pk=pk))
        return redirect(config.url_name("export"), pk=pk)

    return _named(view, config, "export_retry_view")


def export_download_view(*, config: type[CsvJobs]) -> JobView:
    """Return the view that sends a finished export file to its owner only (410 expired)."""
    spec = _export(config)

    @require_safe
    def view(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
        job = get_owned_or_404(spec.job_model, user=request.user, pk=pk)
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
            filename=f"{spec.filename}-{job.created_at:%Y-%m-%d}.csv",
            content_type="text/csv; charset=utf-8",
        )

    return _named(view, config, "export_download_view")


# ------------------------------------------------------------------------------ import
def import_start_view(*, config: type[CsvJobs]) -> StartView:
    """Return the upload form's view: 422 with the reasons for a file that cannot be read."""
    model = _import(config).job_model

    @require_http_methods(["GET", "POST"])
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest) -> HttpResponse:
        post = request.method == "POST"
        form = CsvImportForm(*((request.POST, request.FILES) if post else ()), config=config)
        if post and form.is_valid():
            try:
                job = csv_import_start(
                    config=config,
                    owner=request.user,
                    upload=form.cleaned_data["file"],
                    duplicates=form.cleaned_data["duplicates"],
                )
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                return redirect(config.url_name("import"), pk=job.pk)
        latest = job_latest(model, owner=request.user)
        return render_page(
            request,
            config.import_form_template_name,
            _context(config, form=form, latest=latest),
            status=HTTPStatus.UNPROCESSABLE_ENTITY if post else HTTPStatus.OK,
        )

    return _named(view, config, "import_start_view")


def import_view(*, config: type[CsvJobs]) -> JobView:
    """Return the view of an import's progress and, once it ends, its report."""
    model = _import(config).job_model

    @require_safe
    @vary_on_htmx
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        job = job_reconcile(get_owned_or_404(model, user=request.user, pk=pk))
        return render_page(
            request, config.import_template_name, _context(config, job=job), partial="status"
        )

    return _named(view, config, "import_view")


def import_retry_view(*, config: type[CsvJobs]) -> JobView:
    """Return the view that runs a failed import again (after the rows already saved)."""
    model = _import(config).job_model

    @require_POST
    def view(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
        job_retry(get_owned_or_404(model, user=request.user, pk=pk))
        return redirect(config.url_name("import"), pk=pk)

    return _named(view, config, "import_retry_view")
