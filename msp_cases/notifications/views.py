"""The notifications pages. Thin: read through the selectors, write through the services."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from msp_cases.audit.services import access_record_list
from msp_cases.core.actor import Actor

from . import selectors, services
from .forms import EmailPreferenceForm

PAGE_SIZE = 25


@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    """The signed-in user's notifications, newest first; `?show=unread` for the unread ones only."""
    unread_only = request.GET.get("show") == "unread"
    notifications = selectors.notification_list(user=request.user, unread_only=unread_only)
    page = Paginator(notifications, PAGE_SIZE).get_page(request.GET.get("page"))
    about = selectors.people_shown_with(user=request.user, notifications=page.object_list)
    comments = selectors.comments_shown_with(user=request.user, notifications=page.object_list)
    for notification in page.object_list:
        notification.about = about.get(notification.pk)
        notification.comments = comments.get(notification.pk, "")
    access_record_list(
        actor=Actor.from_request(request),
        person_ids=[p.pk for p in about.values()],
        detail="Name shown in notifications",
    )
    return render(
        request,
        "notifications/list.html",
        {
            "page": page,
            "unread_only": unread_only,
            "list_views": [
                ("All", reverse("notifications:list"), not unread_only),
                (
                    f"Unread ({selectors.unread_count(user=request.user)})",
                    f"{reverse('notifications:list')}?show=unread",
                    unread_only,
                ),
            ],
            "query_prefix": "show=unread&" if unread_only else "",
        },
    )


@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    """Follow a notification (from the list or an email): it is read, and the user lands where to act. Only
    a path inside this service is followed; anything else goes back to the list."""
    notification = selectors.notification_get_for_user(user=request.user, pk=pk)
    services.notification_mark_read(notification=notification)
    target = notification.url
    if target.startswith("/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    messages.error(request, "This notification’s link does not lead to a page in this service.")
    return redirect("notifications:list")


@require_POST
def mark_all_read(request: HttpRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(user=request.user)
    if count:
        messages.success(request, "All notifications marked as read")
    return redirect("notifications:list")


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        form = EmailPreferenceForm(request.POST)
        if form.is_valid():
            services.preference_set(user=request.user, email_frequency=form.cleaned_data["email_frequency"])
            messages.success(request, "Your email preference has been saved")
            return redirect("notifications:list")
    else:
        form = EmailPreferenceForm(
            initial={"email_frequency": selectors.email_frequency_for(user=request.user)}
        )
    return render(
        request,
        "notifications/preferences.html",
        {
            "form": form,
            "title": "How do you want to be emailed about notifications?",
            "submit_label": "Save",
            "cancel_url": reverse("notifications:list"),
        },
    )
