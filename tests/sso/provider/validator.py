from oauth2_provider.oauth2_validators import OAuth2Validator

from .clients import MISISSUED_CLIENT_ID, OTHER_AUDIENCE


class Validator(OAuth2Validator):
    """The claims a council's provider sends: the work email (as Entra ID's `email`, and its sign-in name as
    `preferred_username`) and the person's name."""

    oidc_claim_scope = {
        **OAuth2Validator.oidc_claim_scope,
        "email": "email",
        "email_verified": "email",
        "name": "profile",
        "preferred_username": "profile",
    }

    def get_additional_claims(self, request):
        user = request.user
        return {
            "email": user.email,
            "email_verified": True,
            "name": user.first_name,
            "preferred_username": user.username,
        }

    def get_id_token_dictionary(self, token, token_handler, request):
        claims, expiration_time = super().get_id_token_dictionary(token, token_handler, request)
        if request.client_id == MISISSUED_CLIENT_ID:
            # Replaces the audience oauthlib set: finalize_id_token updates the token with these claims.
            claims["aud"] = OTHER_AUDIENCE
        return claims, expiration_time
