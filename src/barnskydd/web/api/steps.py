"""One POST per step of the chain, made from its spec (barnskydd.cases.chain.spec).

Every route takes the step's input model as its body (so the OpenAPI document has one schema
per step) and answers with the case as it stands after the step; a step the transition table
does not allow now is 409, input the step refuses is 422, and nothing is written either way.
"""

# No `from __future__ import annotations`: FastAPI reads each endpoint's body type from its
# signature at run time, and that type is the spec's input model, set per route below.

import inspect
from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Body, Response

from barnskydd.cases import chain
from barnskydd.cases.chain.inputs import StepInput
from barnskydd.cases.chain.spec import StepSpec
from barnskydd.cases.read import case_read
from barnskydd.cases.schemas import CaseRead
from barnskydd.core.clock import today
from barnskydd.web.api.deps import CaseToChange, CaseWriter
from barnskydd.web.api.errors import responses
from barnskydd.web.deps import SessionDep

# A reserved step taken in the "warn" mode of the qualification check (docs/competence.md).
WARNING = "Barnskydd-Warning"

router = APIRouter(
    prefix="/cases/{case_number}/steps",
    tags=["steps"],
    responses=responses(401, 403, 404, 409, 422),
)


def endpoint_for(spec: StepSpec) -> Callable[..., CaseRead]:
    """Return the route function of one step, its body typed as the step's input model."""

    def take_step(
        session: SessionDep,
        user: CaseWriter,
        case: CaseToChange,
        response: Response,
        body: StepInput,
    ) -> CaseRead:
        taken = chain.take(session, actor=user, case=case, data=body)
        if taken.warning is not None:
            response.headers[WARNING] = f"qualification={taken.warning.shortfall.value}"
        return case_read(case, today=today())

    signature = inspect.signature(take_step)
    take_step.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[
            *list(signature.parameters.values())[:4],
            inspect.Parameter(
                "body", inspect.Parameter.KEYWORD_ONLY, annotation=Annotated[spec.input, Body()]
            ),
        ]
    )
    take_step.__name__ = spec.step.value
    take_step.__doc__ = spec.input.__doc__
    return take_step


for spec in chain.STEPS.values():
    router.add_api_route(
        f"/{spec.step.value}",
        endpoint_for(spec),
        methods=["POST"],
        summary=spec.title,
        response_model=CaseRead,
        name=spec.step.value,
    )
