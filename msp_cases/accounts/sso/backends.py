"""Who may sign in, and how: a password (Django's ModelBackend, switched off for all but break-glass accounts
when MSP_LOCAL_PASSWORDS is false) or single sign-on (mozilla-django-oidc's backend, which finds the account
by the email the provider vouches for and never makes one)."""

import logging
from enum import StrEnum

import jwt
import requests
from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation
from django.urls import reverse
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import absolutify

from ..lockout import sign_in_email
from ..models import User
from .provider import ProviderUnavailable, oidc_setting, provider

logger = logging.getLogger(__name__)

# Seconds of difference allowed between the provider's clock and ours when reading a token's times.
CLOCK_SKEW_SECONDS = 60


def local_passwords_on() -> bool:
    """Passwords are switched off only while single sign-on is on: never lock everyone out."""
    return settings.MSP_LOCAL_PASSWORDS or not settings.OIDC_ENABLED


def password_allowed(email: str) -> bool:
    return local_passwords_on() or sign_in_email(email) in settings.MSP_BREAK_GLASS_ACCOUNTS


class LocalPasswordBackend(ModelBackend):
    """Django's ModelBackend (passwords, and every permission check), refusing a password for an account
    that may not use one. The refusal is the same as a wrong password's, so the sign-in page never tells
    which emails are break-glass accounts; and a password session already open ends once passwords are
    switched off for its account (get_user asks the same question)."""

    def user_can_authenticate(self, user) -> bool:
        return super().user_can_authenticate(user) and password_allowed(user.email)


class Refusal(StrEnum):
    """Why a single sign-on was refused; each has its own explanation on the page the person sees."""

    STATE = "state"  # the callback's state is not one this browser started: replayed, or too old
    PROVIDER_ERROR = "provider-error"  # the provider sent an error back (cancelled, not assigned the app)
    UNAVAILABLE = "unavailable"  # the provider could not be reached
    CODE = "code"  # the provider would not exchange the code for tokens
    AUDIENCE = "audience"  # the ID token was made for another application
    EXPIRED = "expired"  # the ID token's time has passed
    INVALID = "invalid"  # signature, issuer or nonce wrong, or no email claim
    UNKNOWN_ACCOUNT = "unknown-account"  # no account has the email
    INACTIVE = "inactive"  # the account is deactivated


class SignInRefused(Exception):
    def __init__(self, reason: Refusal, *, email: str = ""):
        super().__init__(reason.value)
        self.reason = reason
        self.email = email


class SingleSignOnBackend(OIDCAuthenticationBackend):
    """Signs someone in from the single sign-on callback only (`sign_in`). Its `authenticate` answers no
    password, and it grants no permission of its own: ModelBackend answers those for every session."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # mozilla-django-oidc reads every endpoint here, on each load of the backend list; ours are read
        # from the provider when someone signs in, so sign-in by password never waits for discovery.
        self.UserModel = User

    def authenticate(self, request, **credentials):
        return None

    def get_user(self, user_id):
        # As ModelBackend's: a deactivated account's session ends at its next request.
        user = User.objects.filter(pk=user_id).first()
        return user if user is not None and user.is_active else None

    def get_user_permissions(self, user_obj, obj=None):
        return set()

    def get_group_permissions(self, user_obj, obj=None):
        return set()

    def get_all_permissions(self, user_obj, obj=None):
        return set()

    def has_perm(self, user_obj, perm, obj=None):
        return False

    def has_module_perms(self, user_obj, app_label):
        return False

    def sign_in(self, request, *, nonce: str, code_verifier: str | None) -> User:
        """The account the provider's answer names, or SignInRefused saying why not."""
        self.request = request
        try:
            endpoints = provider()
        except ProviderUnavailable:
            raise SignInRefused(Refusal.UNAVAILABLE) from None
        self.OIDC_OP_TOKEN_ENDPOINT = endpoints.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = endpoints.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = endpoints.jwks_uri
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        payload = {
            "client_id": settings.OIDC_RP_CLIENT_ID,
            "client_secret": settings.OIDC_RP_CLIENT_SECRET,
            "grant_type": "authorization_code",
            "code": request.GET["code"],
            "redirect_uri": absolutify(request, reverse(settings.OIDC_AUTHENTICATION_CALLBACK_URL)),
        }
        if code_verifier is not None:
            payload["code_verifier"] = code_verifier
        try:
            tokens = self.get_token(payload)
        except requests.RequestException as error:
            # The provider's answer can name the client, never the person: log the status only.
            status = getattr(error.response, "status_code", None)
            logger.warning("Single sign-on: the provider refused the code (status %s)", status)
            raise SignInRefused(Refusal.CODE) from None
        claims = self.id_token_claims(tokens.get("id_token") or "", issuer=endpoints.issuer, nonce=nonce)
        email = self.email_from(claims, access_token=tokens.get("access_token"))
        user = User.objects.filter(email__iexact=sign_in_email(email)).first()
        if user is None or user.is_service_account:  # an API client's account is no one's to sign in as
            raise SignInRefused(Refusal.UNKNOWN_ACCOUNT, email=email)
        if not user.is_active:
            raise SignInRefused(Refusal.INACTIVE)
        return user

    def id_token_claims(self, id_token: str, *, issuer: str, nonce: str) -> dict:
        """The ID token's claims once its signature (the provider's published key), issuer, audience (this
        application's client id), expiry and nonce are checked. mozilla-django-oidc checks the signature,
        expiry and nonce but not the audience or issuer, so the whole check is done here with PyJWT."""
        try:
            key = self.retrieve_matching_jwk(id_token)
            claims = jwt.decode(
                id_token,
                key,
                algorithms=[settings.OIDC_RP_SIGN_ALGO],
                audience=settings.OIDC_RP_CLIENT_ID,
                issuer=issuer,
                leeway=CLOCK_SKEW_SECONDS,
                options={"require": ["iss", "aud", "exp", "iat", "sub"]},
            )
        except jwt.InvalidAudienceError:
            raise SignInRefused(Refusal.AUDIENCE) from None
        except jwt.ExpiredSignatureError:
            raise SignInRefused(Refusal.EXPIRED) from None
        except (jwt.PyJWTError, SuspiciousOperation, requests.RequestException) as error:
            logger.warning("Single sign-on: the ID token was not accepted (%s)", type(error).__name__)
            raise SignInRefused(Refusal.INVALID) from None
        if claims.get("nonce") != nonce:
            logger.warning("Single sign-on: the ID token's nonce is not the one this browser was given")
            raise SignInRefused(Refusal.INVALID)
        return claims

    def email_from(self, claims: dict, *, access_token: str | None) -> str:
        """The first of OIDC_EMAIL_CLAIMS the ID token carries; failing that, the provider's userinfo
        (asked only when the ID token has none, and only believed for the same subject)."""
        if not any(claims.get(name) for name in settings.OIDC_EMAIL_CLAIMS) and self.OIDC_OP_USER_ENDPOINT:
            try:
                userinfo = self.get_userinfo(access_token, None, claims)
            except (requests.RequestException, ValueError, SuspiciousOperation):
                userinfo = {}
            if userinfo.get("sub") == claims["sub"]:
                claims = {**userinfo, **claims}
        if claims.get("email_verified") is False:
            raise SignInRefused(Refusal.INVALID)
        for name in settings.OIDC_EMAIL_CLAIMS:
            value = claims.get(name)
            if isinstance(value, str) and "@" in value:
                return value.strip()
        logger.warning("Single sign-on: none of the claims %s carries an email", settings.OIDC_EMAIL_CLAIMS)
        raise SignInRefused(Refusal.INVALID)
