from django.contrib.auth import views as auth_views
from django_otp import login as otp_login

from ..forms import LoginForm


class LoginView(auth_views.LoginView):
    template_name = "workbench/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)
        if form.otp_device is not None:
            otp_login(self.request, form.otp_device)  # this session passed the second factor
        return response


class LogoutView(auth_views.LogoutView):
    next_page = "workbench:login"
