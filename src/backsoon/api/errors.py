"""One error shape for every API error: `{"error": {"code", "message", "fields"}}`."""

from __future__ import annotations

import math

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError
from pydantic import Field


class FieldError(Schema):
    field: str = Field(description="Where the problem is, e.g. `body.starts_at`, `query.limit`.")
    message: str


class ErrorBody(Schema):
    code: str = Field(
        description="Stable and machine-readable, e.g. `not_found`, `read_only_token`.",
        examples=["not_found"],
    )
    message: str = Field(description="For people; may be translated.")
    fields: list[FieldError] = Field(default_factory=list)


class Error(Schema):
    error: ErrorBody


class ApiError(Exception):
    """Raised anywhere in an operation; answered in the one error shape."""

    def __init__(self, status: int, code: str, message: str, fields: list[dict] | None = None):
        self.status, self.code, self.message = status, code, message
        self.fields = fields or []
        super().__init__(message)


def not_found() -> ApiError:
    return ApiError(404, "not_found", _("There is nothing here, or it isn't yours to see."))


def forbidden(code: str, message: str) -> ApiError:
    return ApiError(403, code, message)


def conflict(code: str, message: str) -> ApiError:
    return ApiError(409, code, message)


def invalid(field: str, message: str, code: str = "invalid") -> ApiError:
    return ApiError(
        422, code, _("Some values need another look."), [{"field": field, "message": message}]
    )


# What each documented status means, for the OpenAPI description of every operation.
READ = (401, 404, 422, 429)
WRITE = (400, 401, 403, 404, 409, 422, 429)


def errors(*codes: int) -> dict[int, type[Error]]:
    """The response documentation for these error statuses."""
    return dict.fromkeys(codes, Error)


def _where(loc) -> str:
    """`body.starts_at`, `query.limit`: ninja names a JSON body twice ("body", "body", …)."""
    parts = [str(part) for part in loc if part != ""]
    if len(parts) > 1 and parts[0] == parts[1]:
        parts = parts[1:]
    return ".".join(parts)


def _body(code: str, message: str, fields: list[dict] | None = None) -> dict:
    return {"error": {"code": code, "message": message, "fields": fields or []}}


def outside_an_operation(request: HttpRequest, status: int) -> HttpResponse:
    """The error shape where no operation answers: a path the API doesn't have (404), or a
    method a path doesn't take (405, with `Allow`)."""
    if status == 405:
        body = _body("method_not_allowed", _("This address doesn't take that method."))
    else:
        err = not_found()
        body = _body(err.code, err.message)
    return JsonResponse(body, status=status)


def install(api: NinjaAPI) -> None:
    def respond(request, status: int, code: str, message: str, fields=None) -> HttpResponse:
        return api.create_response(request, _body(code, message, fields), status=status)

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, exc: ApiError) -> HttpResponse:
        return respond(request, exc.status, exc.code, exc.message, exc.fields)

    @api.exception_handler(ValidationError)
    def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        fields = [
            {"field": _where(error.get("loc", ())), "message": str(error.get("msg", ""))}
            for error in exc.errors
        ]
        return respond(request, 422, "invalid", _("Some values need another look."), fields)

    @api.exception_handler(Http404)
    def missing(request: HttpRequest, exc: Http404) -> HttpResponse:
        err = not_found()
        return respond(request, 404, err.code, err.message)

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if isinstance(exc, AuthenticationError):
            response = respond(
                request,
                401,
                "unauthorized",
                _("Send a working token (Authorization: Bearer …) or sign in."),
            )
            response["WWW-Authenticate"] = 'Bearer realm="api"'
            return response
        if isinstance(exc, Throttled):
            response = respond(
                request, 429, "rate_limited", _("Too many requests. Wait a moment and try again.")
            )
            wait = getattr(request, "api_retry_after", None) or 1
            response["Retry-After"] = str(max(1, math.ceil(wait)))
            return response
        if exc.status_code == 403:
            return respond(request, 403, "csrf_failed", _("Missing or wrong CSRF token."))
        if exc.status_code == 400:
            return respond(request, 400, "bad_request", _("The request body could not be read."))
        return respond(request, exc.status_code, "error", str(exc))
