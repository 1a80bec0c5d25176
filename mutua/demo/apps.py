from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo (``make run``): records of every kind, made through the channels' own services, and the
    commands that load them and serve the site. An interface: it sits above every app and nothing imports it."""

    name = "mutua.demo"
    verbose_name = "Demo"
