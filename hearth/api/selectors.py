"""Reads of a person's own API tokens, a program admin's integration clients, and a person's own
bulk exports."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from hearth.programs.models import Role
from hearth.programs.selectors import program_ids_where

from .models import ApiToken, BulkExport, BulkExportFile, IntegrationClient
from .services import hash_token


def api_tokens_for_viewer(*, viewer) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(person=viewer).order_by("-created_at")


def api_token_for_viewer(*, viewer, token_id) -> ApiToken:
    try:
        return ApiToken.objects.get(pk=token_id, person=viewer)
    except (ApiToken.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def api_token_for_raw(raw: str) -> ApiToken | None:
    """The token with this secret, whatever its state (the caller says why it cannot be used)."""
    if not raw or len(raw) > 200:
        return None
    return ApiToken.objects.select_related("person", "client").filter(token_hash=hash_token(raw)).first()


def integration_clients_for_admin(*, viewer) -> QuerySet[IntegrationClient]:
    """The clients of every program the viewer administers."""
    return (
        IntegrationClient.objects.filter(program_id__in=program_ids_where(viewer, Role.ADMIN))
        .select_related("program", "created_by")
        .order_by("-created_at")
    )


def integration_client_for_admin(*, viewer, client_pk) -> IntegrationClient:
    try:
        return integration_clients_for_admin(viewer=viewer).get(pk=client_pk)
    except (IntegrationClient.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None


def bulk_export_for_viewer(*, viewer, export_id) -> BulkExport:
    """An export the viewer asked for and that has not expired; anything else 404."""
    try:
        return BulkExport.objects.get(pk=export_id, requested_by=viewer, expires_at__gt=timezone.now())
    except (BulkExport.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None


def bulk_export_file_for_viewer(*, viewer, file_id) -> BulkExportFile:
    try:
        return BulkExportFile.objects.select_related("export").get(
            pk=file_id,
            export__requested_by=viewer,
            export__status=BulkExport.Status.DONE,
            export__expires_at__gt=timezone.now(),
        )
    except (BulkExportFile.DoesNotExist, ValueError, TypeError, ValidationError):
        raise Http404 from None
