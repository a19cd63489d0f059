from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower

# Service accounts of the partners' API's machine clients (msp_cases/api) have addresses in this domain, which
# is reserved (RFC 2606) so no identity provider can vouch for one: no person ever signs in as a client.
SERVICE_ACCOUNT_DOMAIN = "clients.invalid"


class Team(models.Model):
    """A locality or specialist team that holds safeguarding work (e.g. "North Locality")."""

    name = models.CharField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def people(self):
        """Accounts of people: never a partner system's service account (msp_cases.api), which is a member of
        its teams only so that the access rule scopes its reads. Every list of staff to choose, notify or
        count starts here."""
        return self.exclude(email__iendswith=f"@{SERVICE_ACCOUNT_DOMAIN}")

    def staff(self):
        """Active accounts of people."""
        return self.people().filter(is_active=True)

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("Enter an email address")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username):
        # Sign-in by email is not case-sensitive.
        return self.get(email__iexact=username)


class User(AbstractUser):
    """A member of staff. Signs in with their work email address."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField("email address", unique=True)
    full_name = models.CharField(max_length=150)
    job_title = models.CharField(max_length=150, blank=True)
    teams = models.ManyToManyField(Team, related_name="members", blank=True)

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    objects = UserManager()

    class Meta:
        ordering = ["full_name"]
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_ci_unique")]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_service_account(self) -> bool:
        return self.email.lower().endswith(f"@{SERVICE_ACCOUNT_DOMAIN}")

    @property
    def role_names(self) -> list[str]:
        return [g.name for g in self.groups.all()]


class RoleChange(models.Model):
    """One role or team given to or taken from a user: who did it, when, and from which address.

    Written by `accounts.services.user_access_set`, in the same transaction as the change; never edited or
    deleted through the application. Names are kept as text, so the record still reads true after a role
    or team is renamed. An account deactivated or reactivated is recorded here too (`user_active_set`):
    kind "account", granted meaning reactivated, with the reason given."""

    class Kind(models.TextChoices):
        ROLE = "role", "Role"
        TEAM = "team", "Team"
        ACCOUNT = "account", "Account"
        # A lost authenticator reset by a unit lead or administrator (accounts.two_factor.services).
        TWO_FACTOR = "2fa", "Two-factor authentication"

    occurred_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Empty when made from the command line rather than by someone signed in.
    changed_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.PROTECT, related_name="role_changes_made"
    )
    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="role_changes")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    name = models.CharField(max_length=150)
    granted = models.BooleanField()
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    # Why an account was deactivated or reactivated (empty for roles and teams).
    reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.summary}: {self.user}"

    @property
    def summary(self) -> str:
        """The change in words, as in "Given role: Manager" or "Account deactivated"."""
        if self.kind == self.Kind.ACCOUNT:
            return "Account reactivated" if self.granted else "Account deactivated"
        if self.kind in (self.Kind.ROLE, self.Kind.TEAM):
            verb = "Given" if self.granted else "Removed"
            return f"{verb} {self.get_kind_display().lower()}: {self.name}"
        return f"{self.get_kind_display()}: {self.name}"


class SignedInSession(models.Model):
    """One signed-in session of a user, for "Your sessions": where and when it signed in, so its owner can
    recognise it and end it.

    Tied to Django's own session row (the database session backend, `SESSION_ENGINE` db or cached_db): the
    session key stays where Django keeps it, and this row goes with the session — at sign-out, when ended
    from "Your sessions" or by deactivating the account, and when the expired session is cleared. The address
    is kept only that long, so its owner can tell a session that is not theirs (docs/accounts.md)."""

    # Its own id names it in pages and addresses: the session key is a credential and never leaves the server.
    session = models.OneToOneField("sessions.Session", on_delete=models.CASCADE, related_name="signed_in")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="signed_in_sessions")
    signed_in_at = models.DateTimeField()
    # "Firefox on Windows": a summary of the browser's user agent, not the string itself.
    device = models.CharField(max_length=100, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-signed_in_at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.device or 'unknown device'} since {self.signed_in_at:%Y-%m-%d %H:%M}"
