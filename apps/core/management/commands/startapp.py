"""Django's startapp, with the model's English names in the template context.

``manage.py startapp --template scripts/app_template things apps/things`` renders the
project's app template with ``model`` (``Thing``), ``plural_model`` (``Things``),
``singular``, ``plural``, ``verbose_name`` and friends (common.naming.names); ``--model``
overrides the derived class name (``people --model Person``). ``make app NAME=things``
runs this and also registers the app (scripts/make_app.py).
"""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.commands.startapp import Command as DjangoStartApp

from common.naming import names


class Command(DjangoStartApp):
    help = DjangoStartApp.help + " Adds the model's names to the template context (--model)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        super().add_arguments(parser)
        parser.add_argument("--model", help="the model's class name (default: from the name)")

    def handle(self, *args: Any, **options: Any) -> None:
        context = names(options["name"], options.pop("model", None))
        super().handle(*args, **options, **context)
