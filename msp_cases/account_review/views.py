"""The account review's pages, thin: the selectors decide who sees what, the accounts service changes it."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from msp_cases.accounts.services import AccessChangeRefused, user_active_set
from msp_cases.core.request import client_ip

from .forms import AccountStatusForm
from .selectors import (
    account_get_for_user,
    account_history,
    last_status_change,
    may_review_accounts,
    two_factor_in_use,
)
from .selectors import account_list as accounts_for

STATUSES = (("", "All accounts"), ("active", "Active"), ("deactivated", "Deactivated"))


@require_GET
def account_list(request: HttpRequest) -> HttpResponse:
    if not may_review_accounts(request.user):
        raise Http404
    status = request.GET.get("status", "")
    status = status if status in dict(STATUSES) else ""
    unused = request.GET.get("unused") == "1"
    accounts = accounts_for(user=request.user, status=status, unused=unused)
    page = Paginator(accounts, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "account_review/account_list.html",
        {
            "page": page,
            "statuses": STATUSES,
            "status": status,
            "unused": unused,
            "inactive_days": settings.MSP_ACCOUNT_INACTIVE_DAYS,
            "two_factor_in_use": two_factor_in_use(),
        },
    )


def may_change_status(user, account) -> bool:
    """Reviewers change others' accounts; nobody their own, and only a superuser a superuser's."""
    return (
        may_review_accounts(user)
        and account.pk != user.pk
        and (user.is_superuser or not account.is_superuser)
    )


@require_http_methods(["GET", "POST"])
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    account = account_get_for_user(user=request.user, pk=pk)
    may_change = may_change_status(request.user, account)
    form = AccountStatusForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if not may_change:
            raise Http404
        if form.is_valid():
            try:
                user_active_set(
                    actor=request.user,
                    user=account,
                    active=not account.is_active,
                    reason=form.cleaned_data["reason"],
                    ip_address=client_ip(request),
                )
            except AccessChangeRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                done = "reactivated" if not account.is_active else "deactivated"
                messages.success(request, f"{account.full_name}’s account has been {done}")
                return redirect("account_review:account_detail", pk=account.pk)
    history = Paginator(account_history(user=request.user, account=account), 50).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "account_review/account_detail.html",
        {
            "account": account,
            "form": form if may_change else None,
            "reviewer": may_review_accounts(request.user),
            "page": history,
            "status_change": last_status_change(account=account),
            "two_factor_in_use": two_factor_in_use(),
            "submit_label": "Reactivate account" if not account.is_active else "Deactivate account",
        },
    )
