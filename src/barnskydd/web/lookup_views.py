"""The national lookup from the case page: ask whether other municipalities hold a report."""

from __future__ import annotations

import threading
import weakref
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from starlette.responses import Response

from barnskydd.core.db import transaction
from barnskydd.core.errors import InvalidInput
from barnskydd.lookup import service
from barnskydd.lookup.client import (
    NationalClient,
    NationalRefused,
    NationalUnavailable,
    client_from_settings,
)
from barnskydd.staff import deployment
from barnskydd.web import forms
from barnskydd.web.deps import CaseHandler
from barnskydd.web.security import verify_csrf
from barnskydd.web.templating import environment, render
from barnskydd.web.views import FormDep

router = APIRouter(dependencies=[Depends(verify_csrf)])
environment.globals["lookup_purposes"] = list(service.PURPOSES.items())

UNAVAILABLE = (
    "Den nationella uppslagstjänsten går inte att nå just nu. Försök igen om en stund. "
    "Uppslaget är loggat här, men inga uppgifter har hämtats."
)


def get_client(request: Request) -> NationalClient | None:
    """Return the desk's client for the configured national services, or None when off."""
    with request.app.state.session_factory() as session:
        code = deployment.recorded(session)
    try:
        if code is None:
            raise NationalUnavailable("Databasen är inte uppsatt för någon kommun.")
        return _shared_client(request.app, code)
    except NationalUnavailable:
        return None


_clients_lock = threading.Lock()


def _shared_client(app: Any, code: str) -> NationalClient:
    """Return the one client this desk process keeps per municipality and configuration.

    Kept, not made per request: its connections stay open (no new TCP and TLS handshake per
    lookup), its token and the key versions it knows are reused, and concurrent lookups share
    their requests. It is closed when the app is collected or the process ends.
    """
    settings = app.state.settings
    key = (
        code,
        settings.lookup_pseudonymiser_url,
        settings.lookup_index_url,
        str(settings.lookup_key_file),
    )
    with _clients_lock:
        clients: dict[tuple[str, ...], NationalClient] | None = getattr(
            app.state, "lookup_clients", None
        )
        if clients is None:
            clients = app.state.lookup_clients = {}
        client = clients.get(key)
        if client is None:
            client = clients[key] = client_from_settings(settings, municipality=code)
            weakref.finalize(app, client.close)
        return client


LookupClient = Annotated[NationalClient | None, Depends(get_client)]


@router.post("/arenden/{case_number}/riksuppslag")
def national_lookup(
    request: Request, case_number: str, user: CaseHandler, form: FormDep, client: LookupClient
) -> Response:
    """Check and audit the lookup in its own transaction, then ask the national services."""
    settings = request.app.state.settings
    purpose = forms.text(form, "purpose")
    context: dict[str, Any] = {"case": {"case_number": case_number}, "lookup_purpose": purpose}
    status = 200
    try:
        # Committed before the network call: the audit entry stays even if the service is down.
        with transaction(request.app.state.session_factory) as session:
            subject = service.authorise(
                session,
                actor=user,
                case_number=case_number,
                purpose=purpose,
                asked_by=request.state.display_name,
                contact=settings.lookup_contact,
            )
        if client is None:
            raise NationalUnavailable("Riksuppslaget är inte konfigurerat i den här kommunen.")
        context["lookup_answers"] = service.ask(client, subject)
    except InvalidInput as error:
        context["lookup_error"], status = error.message, 422
    except NationalUnavailable:
        context["lookup_error"], status = UNAVAILABLE, 503
    except NationalRefused as error:
        context["lookup_error"] = f"Den nationella tjänsten nekade uppslaget: {error.message}"
        status = 502
    template = "_lookup.html" if request.headers.get("HX-Request") else "lookup.html"
    return render(request, template, context, status_code=status)
