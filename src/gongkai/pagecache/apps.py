from django.apps import AppConfig


class PageCacheConfig(AppConfig):
    """Public page cache (公开页面缓存): whole responses of public pages for anonymous visitors,
    invalidated by any database write that can change what they show."""

    name = "gongkai.pagecache"
    verbose_name = "公开页面缓存"

    def ready(self):
        from django.core.signals import setting_changed
        from django.db.backends.signals import connection_created

        from . import generation

        connection_created.connect(generation.watch_connection, dispatch_uid="gongkai_pagecache_watch")
        setting_changed.connect(generation.setting_changed, dispatch_uid="gongkai_pagecache_settings")
