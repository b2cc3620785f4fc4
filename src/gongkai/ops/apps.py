from django.apps import AppConfig
from django.db.models.signals import post_migrate


class OpsConfig(AppConfig):
    """Operations (运维): database roles and grants, backup and restore."""

    name = "gongkai.ops"
    verbose_name = "运维"

    def ready(self):
        from .dbroles import grant_after_migrate

        post_migrate.connect(grant_after_migrate, sender=self, dispatch_uid="gongkai_ops_grants")
