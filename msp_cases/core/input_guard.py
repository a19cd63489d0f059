"""A query string with a NUL character is refused with 400 Bad Request before any view reads it.

No address the product makes carries one, and PostgreSQL refuses NUL in text: a filter that passes it to the
database (the admin's list filters, for one) would otherwise be a server error. Form fields have their own
guard (msp_cases.core.forms drops control characters; Django's CharField refuses NUL). Under /api/ the refusal
is an RFC 9457 problem, as every error of the partners' API is."""

from django.http import HttpResponseBadRequest, JsonResponse

API_PREFIX = "/api/"
NUL_DETAIL = "The query string holds a NUL character."


class RefuseNulInQueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                if request.path.startswith(API_PREFIX):
                    return JsonResponse(
                        {"type": "about:blank", "title": "Bad Request", "status": 400, "detail": NUL_DETAIL},
                        status=400,
                        content_type="application/problem+json",
                    )
                return HttpResponseBadRequest("Bad request", content_type="text/plain")
        return self.get_response(request)
