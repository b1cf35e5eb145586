"""The world the hostile layer attacks: a user with data, another user, a staff user."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import time
from dataclasses import dataclass
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from apps.accounts.allauth_internals import AUTHENTICATION_METHODS_USER_SESSION_KEY, user_id_to_str
from apps.accounts.models import DataExport, SecurityEvent
from apps.companies import services as company_services
from apps.companies.models import Company, CompanyExport, CompanyImport, DeletedCompanies
from apps.companies.tests.factories import CompanyFactory
from apps.contacts import services as contact_services
from apps.contacts.models import ContactExport, ContactImport, DeletedContacts
from apps.contacts.tests.factories import ContactFactory
from apps.users.models import User
from apps.users.tests.factories import UserFactory
from common.jobs import JobStatus
from tests.hostile.routes import OwnedTable


@dataclass
class World:
    user: User
    other: User
    staff: User
    owned: OwnedTable


def _give_data(user: User, *, contacts: int) -> None:
    ContactFactory.create_batch(contacts, owner=user)
    ContactFactory.create_batch(3, owner=user, company="Acme Ltd")  # a company with contacts
    CompanyFactory.create_batch(2, owner=user)
    doomed_company = CompanyFactory.create(owner=user)
    company_services.companies_delete(owner=user, ids=[doomed_company.pk])
    CompanyExport.objects.create(
        owner=user,
        status=JobStatus.DONE,
        finished_at=timezone.now(),
        file=ContentFile(b"name\nAcme\n", name="companies.csv"),
    )
    CompanyImport.objects.create(
        owner=user,
        status=JobStatus.FAILED,
        error="boom",
        file=ContentFile(b"name\nAcme\n", name="import.csv"),
    )
    ContactFactory.create(owner=user, is_favourite=True, notes="<b>bold</b>\nline two")
    doomed = ContactFactory.create_batch(2, owner=user)
    contact_services.contacts_delete(owner=user, ids=[c.pk for c in doomed])  # an Undo snapshot
    done = timezone.now()
    ContactExport.objects.create(
        owner=user,
        status=JobStatus.DONE,
        finished_at=done,
        file=ContentFile(b"first_name\nAda\n", name="export.csv"),
    )
    ContactExport.objects.create(owner=user, status=JobStatus.FAILED, error="boom")
    ContactImport.objects.create(
        owner=user,
        status=JobStatus.DONE,
        finished_at=done,
        file=ContentFile(b"first_name,email\nAda,ada@example.com\n", name="import.csv"),
        original_name="import.csv",
        rejected=[{"line": 3, "errors": ["Enter a valid email address."]}],
        rejected_count=1,
    )
    DataExport.objects.create(
        owner=user, status=JobStatus.DONE, finished_at=done, file=ContentFile(b"PK", name="d.zip")
    )
    DataExport.objects.create(owner=user, status=JobStatus.FAILED, error="boom")
    Authenticator.objects.create(
        user=user,
        type=Authenticator.Type.WEBAUTHN,
        data={"name": "Laptop", "credential": passkey_credential(), "passwordless": True},
    )
    EmailAddress.objects.create(user=user, email=f"second.{user.email}", verified=False)
    SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.LOGIN, ip="127.0.0.1")
    SecurityEvent.objects.create(user=user, kind=SecurityEvent.Kind.LOGIN_FAILED, ip="::1")


def passkey_credential() -> dict[str, object]:
    """A registration response as a browser sends it (a "none" attestation, ES256 key).

    allauth parses the stored credential on every passkey page; an empty dict would make
    those pages fail in a way no real passkey can.
    """
    from cryptography.hazmat.primitives.asymmetric import ec
    from fido2.cose import ES256
    from fido2.webauthn import Aaguid, AttestationObject, AttestedCredentialData, AuthenticatorData

    def b64(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    key = ES256.from_cryptography_key(ec.generate_private_key(ec.SECP256R1()).public_key())
    credential_id = os.urandom(16)
    flags = AuthenticatorData.FLAG
    auth_data = AuthenticatorData.create(
        hashlib.sha256(b"testserver").digest(),
        flags.UP | flags.UV | flags.AT,
        0,
        AttestedCredentialData.create(Aaguid.NONE, credential_id, key),
    )
    client_data = {"type": "webauthn.create", "challenge": "AA", "origin": "http://testserver"}
    return {
        "type": "public-key",
        "id": b64(credential_id),
        "rawId": b64(credential_id),
        "response": {
            "clientDataJSON": b64(json.dumps(client_data).encode()),
            "attestationObject": b64(bytes(AttestationObject.create("none", auth_data, {}))),
        },
        "clientExtensionResults": {"credProps": {"rk": True}},
    }


def owned_table(user: User, other: User) -> OwnedTable:
    """Route name -> the signed-in user's rows (and another user's) that its <pk> names."""

    def pair(model: type, field: str = "owner", **filters: object) -> tuple[object, object]:
        manager = model._default_manager
        return (
            lambda: manager.filter(**{field: user}, **filters).order_by("pk"),
            lambda: manager.filter(**{field: other}, **filters).order_by("pk"),
        )

    from apps.contacts.models import Contact

    webauthn = pair(Authenticator, "user", type=Authenticator.Type.WEBAUTHN)
    table = {
        "account_session_end": pair(UserSession, "user"),
        "account_passkey_rename": webauthn,
        "mfa_remove_webauthn": webauthn,
        "mfa_edit_webauthn": webauthn,
        "account_export_job": pair(DataExport),
        "account_export_download": pair(DataExport),
        "account_export_retry": pair(DataExport),
        "contacts:undo": pair(DeletedContacts),
        "contacts:export": pair(ContactExport),
        "contacts:export_download": pair(ContactExport),
        "contacts:export_retry": pair(ContactExport),
        "contacts:import": pair(ContactImport),
        "contacts:import_retry": pair(ContactImport),
    }
    for name in ("detail", "edit", "row", "row_edit", "favourite", "delete"):
        table[f"contacts:{name}"] = pair(Contact)
    for name in ("detail", "edit", "row", "row_edit", "delete", "contacts"):
        table[f"companies:{name}"] = pair(Company)
    table["companies:undo"] = pair(DeletedCompanies)
    for name in ("export", "export_download", "export_retry"):
        table[f"companies:{name}"] = pair(CompanyExport)
    for name in ("import", "import_retry"):
        table[f"companies:{name}"] = pair(CompanyImport)
    return OwnedTable(
        mine={k: v[0] for k, v in table.items()},  # type: ignore[misc]
        others={k: v[1] for k, v in table.items()},  # type: ignore[misc]
    )


@pytest.fixture
def world(db: None, settings: Any, tmp_path: Path) -> World:
    settings.MEDIA_ROOT = tmp_path / "media"
    user = UserFactory.create(email="hostile.owner@example.com", name="Hostile Owner")
    other = UserFactory.create(email="hostile.other@example.com")
    staff = UserFactory.create(email="hostile.staff@example.com", is_staff=True, is_superuser=True)
    _give_data(user, contacts=25)
    _give_data(other, contacts=3)
    second = Client()  # a second session of USER's, on another device
    second.force_login(user)
    sign_in(Client(), other)
    return World(user=user, other=other, staff=staff, owned=owned_table(user, other))


def sign_in(client: Client, user: User) -> str:
    """Sign CLIENT in as USER with a fresh (re)authentication; return the session key."""
    client.force_login(user)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    refresh_authentication(session_key, user)
    if not UserSession.objects.filter(session_key=session_key).exists():
        UserSession.objects.create(
            user=user, session_key=session_key, ip="127.0.0.1", user_agent="pytest"
        )
    return session_key


def refresh_authentication(session_key: str, user: User) -> None:
    """Record a password sign-in just now, so fresh-login views do not ask again."""
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key)
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email}
    ]
    session[AUTHENTICATION_METHODS_USER_SESSION_KEY] = user_id_to_str(user)
    session.save()
