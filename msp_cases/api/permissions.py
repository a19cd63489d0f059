"""A view names the scope its operation needs (`required_scope`); a token without it is refused (403)."""

from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission


class ClientHasScope(BasePermission):
    message = "This client's token does not carry the scope this operation needs."

    def has_permission(self, request, view) -> bool:
        token = request.auth
        if token is None or not hasattr(token, "allow_scopes"):
            raise NotAuthenticated()
        scope = getattr(view, "required_scope", None)
        if scope is None:  # a view that forgot to say is closed, not open
            return False
        self.message = f"This client's token does not carry the scope {scope}."
        return token.is_valid([scope])
