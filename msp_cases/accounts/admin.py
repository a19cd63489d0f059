"""Admin for accounts and teams: what an administrator may change, and what nobody may change here.

- Superuser and staff status are never editable in the app, not even by a superuser: `manage.py
  createsuperuser` and `manage.py staff_status` set them, from the command line.
- Nobody changes their own roles or teams; their own page shows them read-only, and the service refuses
  a forged post (`services.user_access_set`).
- Permissions are not given to one person directly: roles (groups) carry them, restricted-record access
  included (the "Unit lead" role). Direct permissions are shown read-only.
- Every role and team given or taken away, and every account deactivated or reactivated, is recorded
  (`RoleChange`) and shown to unit leads; deactivating an account ends its sessions at once.
- Nobody sets another person's password, and an account's email (where the link to set one goes) is not
  changed here: the administrator sends a link and the person sets their own password.
- An administrator who is not a superuser sees a superuser's account read-only.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import format_html
from django.utils.http import urlencode
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from msp_cases.core.request import client_ip

from . import roles
from .models import Team, User
from .services import (
    AccessChangeRefused,
    password_reset_link_send,
    user_access_set,
    user_account_open,
    user_active_set,
)
from .two_factor.selectors import two_factor_state

# Never set through the app's forms, whatever a request posts.
FIXED_FIELDS = ("is_superuser", "is_staff", "password")


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "is_active"]
    search_fields = ["name"]


class UserAddForm(forms.ModelForm):
    """Who the person is; no password (they set their own) and no roles yet (given on the next page)."""

    class Meta:
        model = User
        fields = ["email", "full_name", "job_title"]

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("An account with this email address already exists")
        return email


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    ordering = ["full_name"]
    list_display = ["email", "full_name", "job_title", "is_active"]
    list_filter = ["is_active", "groups", "teams"]
    search_fields = ["email", "full_name"]
    filter_horizontal = ["groups", "teams"]
    actions = ["send_password_reset_link"]
    fieldsets = [
        (None, {"fields": ["email", "password_status", "two_factor_status"]}),
        ("Person", {"fields": ["full_name", "job_title"]}),
        ("Teams and roles", {"fields": ["teams", "groups", "direct_permissions"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "fields": ["email", "full_name", "job_title"],
                "description": "No password is set here: the new user is emailed a link to choose their own. "
                "Give them teams and roles on the next page.",
            },
        ),
    ]
    add_form = UserAddForm

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else self.fieldsets

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if db_field.name in ("groups", "teams"):
            if db_field.name == "groups":
                field.label = "Roles"
                # Partners' systems get theirs from `manage.py api_client create`, never from here.
                field.queryset = field.queryset.exclude(name__in=roles.API_CLIENT_ROLES)
            field.help_text = (
                "Roles and teams decide whose records this user sees. Each one given or removed is recorded "
                "and shown to unit leads. Restricted records need the Unit lead role."
            )
        return field

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        fields = [
            "password_status",
            "two_factor_status",
            "direct_permissions",
            "is_staff",
            "is_superuser",
            "last_login",
            "date_joined",
        ]
        if obj.pk == request.user.pk:
            fields += ["teams", "groups", "is_active"]
        else:
            fields.append("email")  # the reset link goes there: changing it would hand over the account
        return fields

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # shown read-only: an administrator cannot take over a superuser's account
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        # Accounts are deactivated, not deleted: the record of who did what must keep its author.
        return False

    def get_urls(self):
        # Django's user admin has a page here for setting someone's password; this one answers 404.
        return [
            path("<path:object_id>/password/", self.admin_site.admin_view(self.no_password_page)),
            *super().get_urls(),
        ]

    def no_password_page(self, request, object_id):
        raise Http404

    def lookup_allowed(self, lookup, value, request=None):
        return not lookup.startswith("password") and super().lookup_allowed(lookup, value, request)

    def save_model(self, request, obj, form, change):
        if not change:
            user_account_open(user=obj)
            messages.info(request, f"{obj.email} has been sent a link to set their password.")
            return
        stored = User.objects.get(pk=obj.pk)
        if any(getattr(obj, f) != getattr(stored, f) for f in FIXED_FIELDS):
            raise PermissionDenied
        if obj.pk != request.user.pk and obj.email != stored.email:
            raise PermissionDenied
        if obj.is_active != stored.is_active:
            # Deactivating or reactivating is recorded (and deactivating ends the account's sessions) by the
            # service the account review uses; the rest of the form is saved as it was.
            active, obj.is_active = obj.is_active, stored.is_active
            try:
                user_active_set(
                    actor=request.user,
                    user=obj,
                    active=active,
                    reason="Changed in site administration",
                    ip_address=client_ip(request),
                )
            except AccessChangeRefused as refusal:
                raise PermissionDenied(str(refusal)) from refusal
            obj.is_active = active
        obj.save()

    def save_related(self, request, form, formsets, change):
        # Roles and teams go through the service, which refuses changes to one's own and records the rest.
        groups = form.cleaned_data.pop("groups", None)
        teams = form.cleaned_data.pop("teams", None)
        super().save_related(request, form, formsets, change)
        try:
            user_access_set(
                actor=request.user,
                user=form.instance,
                groups=groups,
                teams=teams,
                ip_address=client_ip(request),
            )
        except AccessChangeRefused as refusal:
            raise PermissionDenied(str(refusal)) from refusal

    def response_add(self, request, obj, post_url_continue=None):
        # Straight on to the account's page, where teams and roles are given.
        if "_addanother" not in request.POST and "_popup" not in request.POST:
            request.POST = request.POST.copy()
            request.POST["_continue"] = 1
        return super().response_add(request, obj, post_url_continue)

    @admin.display(description="Password")
    def password_status(self, obj):
        state = "Set by the user" if obj.has_usable_password() else "Not set yet"
        return (
            f"{state}. Administrators never set passwords: to let someone choose a new one, select them in "
            "the list of users and use “Send a password reset link”."
        )

    @admin.display(description="Two-factor authentication")
    def two_factor_status(self, obj):
        state = two_factor_state(user=obj)
        if not state.set_up:
            return "No authenticator app set up: it is set up at the next sign-in with a password."
        return format_html(
            'Authenticator app set up on {}; {} of 10 recovery codes left. <a href="{}?{}">Reset it</a> if '
            "they have lost their phone and their recovery codes.",
            date_format(timezone.localtime(state.set_up_at), "j F Y"),
            state.recovery_codes_left,
            reverse("two_factor:reset"),
            urlencode({"user": obj.pk}),
        )

    @admin.display(description="Permissions given directly")
    def direct_permissions(self, obj):
        names = [p.name for p in obj.user_permissions.all()]
        return ", ".join(names) or "None (roles give permissions)"

    @admin.action(description="Send a password reset link", permissions=["change"])
    def send_password_reset_link(self, request, queryset):
        sent = 0
        for user in queryset.filter(is_active=True):
            password_reset_link_send(user=user)
            sent += 1
        messages.success(request, f"A link to set a password was emailed to {sent} user(s).")


# django-otp's own admin pages show an authenticator's secret and the recovery codes, and let a device be
# added for anyone: with either, someone could give another person's second step, unrecorded. A lost device
# is reset on the two-factor reset page instead, which is recorded with the role changes.
admin.site.unregister(TOTPDevice)
admin.site.unregister(StaticDevice)
