"""Cursor pagination for search results, which come best match first.

DRF's CursorPagination needs an ordering by a column; a search is ordered by how well each person matches.
So the cursor here is the position in the best-first list, signed (a client cannot make one up), and the
list stops where the person search page stops (SEARCH_LIMIT): a search with more matches should be narrowed.
Each page is one query for its rows plus one more row, which says whether there is a next page."""

from collections import OrderedDict

from django.core import signing
from rest_framework.exceptions import NotFound
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from enquiries.views.people import SEARCH_LIMIT

CURSOR_SALT = "msp_cases.api.cursor"


class BestFirstCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size = 20
    limit = SEARCH_LIMIT

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.offset = self._offset(request.query_params.get(self.cursor_query_param))
        end = min(self.offset + self.page_size, self.limit)
        rows = list(queryset[self.offset : end + 1])
        self.has_next = len(rows) > end - self.offset and end < self.limit
        self.narrow = len(rows) > end - self.offset and end >= self.limit
        self.has_previous = self.offset > 0
        return rows[: end - self.offset]

    def _offset(self, cursor: str | None) -> int:
        if not cursor:
            return 0
        try:
            offset = signing.loads(cursor, salt=CURSOR_SALT)
        except signing.BadSignature:
            raise NotFound("Invalid cursor.") from None
        if not isinstance(offset, int) or not 0 <= offset < self.limit:
            raise NotFound("Invalid cursor.")
        return offset

    def _link(self, offset: int) -> str:
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, signing.dumps(offset, salt=CURSOR_SALT))

    def get_next_link(self) -> str | None:
        return self._link(self.offset + self.page_size) if self.has_next else None

    def get_previous_link(self) -> str | None:
        return self._link(max(self.offset - self.page_size, 0)) if self.has_previous else None

    def get_paginated_response(self, data):
        return Response(
            OrderedDict(
                [
                    ("next", self.get_next_link()),
                    ("previous", self.get_previous_link()),
                    ("more_matches", self.narrow),
                    ("results", data),
                ]
            )
        )

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["results", "more_matches"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri"},
                "previous": {"type": "string", "nullable": True, "format": "uri"},
                "more_matches": {
                    "type": "boolean",
                    "description": f"More than {self.limit} people match: narrow the search.",
                },
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "The page to read: the `next` or `previous` link's cursor.",
                "schema": {"type": "string"},
            }
        ]
