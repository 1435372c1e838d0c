"""The national lookup from the case page: ask whether other municipalities hold a report."""

from __future__ import annotations

from collections.abc import Iterator
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


def get_client(request: Request) -> Iterator[NationalClient | None]:
    """Yield a client for the configured national services, or None when the lookup is off."""
    with request.app.state.session_factory() as session:
        code = deployment.recorded(session)
    try:
        if code is None:
            raise NationalUnavailable("Databasen är inte uppsatt för någon kommun.")
        client = client_from_settings(request.app.state.settings, municipality=code)
    except NationalUnavailable:
        yield None
        return
    try:
        yield client
    finally:
        client.close()


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
