from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .demo import DEMO_USERS
from .forms import SignInForm
from .selectors import may_view_role_changes, role_change_list
from .sso.views import sign_in_context
from .two_factor.middleware import after_password_sign_in


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["two_factor_required"] = settings.MSP_REQUIRE_2FA
        context.update(sign_in_context())
        if settings.DEMO_MODE:
            # A demonstration install shows its fictional accounts; a real one never does.
            context["demo_accounts"] = [(u.email, u.role) for u in DEMO_USERS]
            context["demo_password"] = settings.DEMO_PASSWORD
        return context

    def form_valid(self, form):
        response = super().form_valid(form)
        # Straight on to the code from the authenticator app, when two-factor authentication is on.
        return after_password_sign_in(self.request, self.get_success_url()) or response


@require_GET
def role_changes(request: HttpRequest) -> HttpResponse:
    """Who gave whom which role or team, newest first. Unit leads only; anyone else is told it does not
    exist."""
    if not may_view_role_changes(request.user):
        raise Http404
    page = Paginator(role_change_list(user=request.user), 50).get_page(request.GET.get("page"))
    return render(request, "accounts/role_changes.html", {"page": page})
