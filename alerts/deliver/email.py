"""Alert emails: French, HTML with inline CSS plus plain text, rendered by Jinja2 with autoescape on."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from vigie.alerts.deliver.render import context
from vigie.mail import SmtpSettings, send

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
_html = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html", "j2"]),
                    undefined=StrictUndefined)
# the text/plain part is never interpreted as HTML, so HTML escaping would only garble it
_text = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=False,  # noqa: S701
                    undefined=StrictUndefined, keep_trailing_newline=True)


def build_message(event: dict, watch_name: str, recipients: list[str], tz: str = "Europe/Paris",
                  sender: str | None = None) -> EmailMessage:
    ctx = context(event, watch_name, tz)
    msg = EmailMessage()
    msg["Subject"] = ctx["subject"]
    msg["To"] = ", ".join(recipients)
    if sender:
        msg["From"] = sender
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain="vigie.invalid")
    msg["X-Vigie-Alert"] = f"{event['alert_id']}:{event['level']}"
    msg.set_content(_text.get_template("alert.txt.j2").render(**ctx))
    msg.add_alternative(_html.get_template("alert.html.j2").render(**ctx), subtype="html")
    return msg


class EmailChannel:
    """One channel: every recipient of the watch in one message per alert event."""

    def __init__(self, recipients: list[str], watch_name: str, tz: str, settings: SmtpSettings | None = None,
                 env=None):
        self.name = "email"
        self.recipients = recipients
        self.watch_name = watch_name
        self.tz = tz
        self._settings = settings
        self._env = env

    def send(self, event: dict) -> None:
        settings = self._settings or SmtpSettings.from_env(self._env)
        send(build_message(event, self.watch_name, self.recipients, self.tz, settings.sender), settings)
