from django.conf import settings
from django.contrib.auth import views as auth_views

from .demo import DEMO_USERS
from .forms import SignInForm


class SignInView(auth_views.LoginView):
    authentication_form = SignInForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if settings.DEMO_MODE:
            # A demonstration install shows its fictional accounts; a real one never does.
            context["demo_accounts"] = [(u.email, u.role) for u in DEMO_USERS]
            context["demo_password"] = settings.DEMO_PASSWORD
        return context
