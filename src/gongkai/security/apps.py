from django.apps import AppConfig


class SecurityConfig(AppConfig):
    """Security (安全): client address behind proxies, request guards, Chinese error pages, login
    protection (lockout, second factor) and rate limits."""

    name = "gongkai.security"
    verbose_name = "安全"
