"""``makemessages`` that also finds domain messages written as ``message(...)``.

Where a module already uses ``_`` for Django's gettext, the domain-message function
(``inspections.domain.messages._``) is imported as ``message``; xgettext is told that name too, so
those messages reach the catalogue like any other. ``N_`` marks a text in a module that must not
import Django (the long-list spec): it returns the text, and the caller translates it when shown.
"""

from django.core.management.commands.makemessages import Command as MakeMessagesCommand


class Command(MakeMessagesCommand):
    xgettext_options = [*MakeMessagesCommand.xgettext_options, "--keyword=message", "--keyword=N_"]
