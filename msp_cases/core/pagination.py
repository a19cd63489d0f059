"""Pagination for lists whose full length is costly to count.

Django's Paginator counts every matching row (`SELECT COUNT(*)` over the whole query) before it shows the
first page. For a search that is a second pass over every match; for a list across a whole unit it is a
scan of every open case. `BoundedPaginator` counts no further than `limit` rows (`COUNT(*)` over
`LIMIT limit + 1`), so its count costs at most `limit` rows, and says when there are more."""

from functools import cached_property

from django.core.paginator import Paginator


class BoundedPaginator(Paginator):
    """Pages of the first `limit` rows of `object_list` (a queryset). `count` is at most `limit`;
    `has_more` says the list goes on beyond it, so the page can ask the user to narrow it down."""

    def __init__(self, object_list, per_page, *, limit: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.limit = limit

    @cached_property
    def _bounded_count(self) -> int:
        return self.object_list.order_by().values("pk")[: self.limit + 1].count()

    @cached_property
    def count(self) -> int:
        return min(self._bounded_count, self.limit)

    @cached_property
    def has_more(self) -> bool:
        return self._bounded_count > self.limit
