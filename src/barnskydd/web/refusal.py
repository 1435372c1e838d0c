"""One way to refuse a form: the change in a savepoint, the page again with the errors by field.

    attempt = Attempt(session)
    with attempt:
        cases.reassign(session, actor=user, case_id=case.id, staff_id=...)
    if attempt.refused:
        return refused_page(request, "case.html", page_context(...), attempt.errors, form)

A refusal (refused input, a step the transition table does not allow, a Pydantic error)
undoes only what the change wrote, and the request's transaction goes on and commits. So the
audited reads the page needed (the case read by CurrentCase, the case shown again next to the
errors) are kept: every page that shows a child's data leaves its audit entry, refused or not.
Other errors (not found, not permitted, a database error) leave the savepoint and end the
request as before. Used by reassignment, protected-identity access, search and report
registration, and the chain's step forms (web/step_views.py).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

from fastapi import Request
from pydantic import ValidationError
from sqlalchemy.orm import Session, SessionTransaction
from starlette.datastructures import FormData
from starlette.responses import Response

from barnskydd.core.errors import ForbiddenTransition, InvalidInput
from barnskydd.core.messages import FORM
from barnskydd.web import forms
from barnskydd.web.templating import render

REFUSALS = (InvalidInput, ForbiddenTransition, ValidationError)  # what a form shows by field


class Attempt:
    """A context that runs a change in a savepoint and keeps a refusal's errors by form field.

    `renames` maps a service's field names to the form's; `whole_form` is the key of a
    model-level Pydantic error (messages.FORM unless the form puts it by a field). A change
    that writes nothing (a search) passes `writes=False` and runs without a savepoint, which on
    SQLite would begin a writing transaction and wait for the turn to write.
    """

    def __init__(
        self,
        session: Session,
        *,
        renames: Mapping[str, str] | None = None,
        whole_form: str = FORM,
        writes: bool = True,
    ) -> None:
        self.session = session
        self.renames = renames
        self.whole_form = whole_form
        self.writes = writes
        self.errors: dict[str, str] = {}
        self._savepoint: SessionTransaction | None = None

    @property
    def refused(self) -> bool:
        """Return whether the change was refused (its errors are in `errors`)."""
        return bool(self.errors)

    def __enter__(self) -> Attempt:
        self._savepoint = self.session.begin_nested() if self.writes else None
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        _traceback: TracebackType | None,
    ) -> bool:
        savepoint, self._savepoint = self._savepoint, None
        if error is None:
            if savepoint is not None:
                savepoint.commit()
            return False
        if savepoint is not None and savepoint.is_active:
            savepoint.rollback()
        if isinstance(error, ValidationError):
            self.errors = forms.validation_errors(error, whole_form=self.whole_form)
        elif isinstance(error, InvalidInput | ForbiddenTransition):
            self.errors = forms.domain_errors(error, renames=self.renames)
        else:
            return False  # not a form's refusal: on to the app's error pages
        # What the page shows next is read again, not taken from what the change left behind.
        self.session.expire_all()
        return True


def refused_page(
    request: Request,
    template: str,
    context: Mapping[str, Any],
    errors: Mapping[str, str],
    form: FormData,
    *,
    lists: tuple[str, ...] = (),
) -> Response:
    """Render the form's page again (422) with the errors next to the fields and the input kept."""
    full = {**context, "errors": dict(errors), "values": forms.values(form, lists=lists)}
    return render(request, template, full, status_code=422)
