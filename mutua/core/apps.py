from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class CoreConfig(AppConfig):
    name = "mutua.core"
    label = "core"
    default = True

    def ready(self) -> None:
        from mutua.core.languages import untranslated_strings_stay_english

        untranslated_strings_stay_english()


class MutuaAdminConfig(admin_apps.AdminConfig):
    default = False
    default_site = "mutua.core.admin_site.MutuaAdminSite"
