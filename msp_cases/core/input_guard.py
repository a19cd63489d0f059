"""A query string with a NUL character is refused with 400 Bad Request before any view reads it.

No address the product makes carries one, and PostgreSQL refuses NUL in text: a filter that passes it to the
database (the admin's list filters, for one) would otherwise be a server error. Form fields have their own
guard (msp_cases.core.forms drops control characters; Django's CharField refuses NUL)."""

from django.http import HttpResponseBadRequest


class RefuseNulInQueryStringMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        for key, values in request.GET.lists():
            if "\x00" in key or any("\x00" in value for value in values):
                return HttpResponseBadRequest("Bad request", content_type="text/plain")
        return self.get_response(request)
