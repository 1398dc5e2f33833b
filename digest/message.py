"""The digest email: multipart/alternative (text/plain, then HTML with the chart as a CID inline image).

    multipart/alternative
    ├── text/plain                 (the plain-text digest)
    └── multipart/related
        ├── text/html              (<img src="cid:…">)
        └── image/png              (Content-ID, inline)
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from vigie.digest.render import Rendered, render

CHART_NAME = "tonalite-7-jours.png"


def new_cid() -> str:
    """A Content-ID with its angle brackets (``<…@vigie.invalid>``)."""
    return make_msgid(idstring="chart", domain="vigie.invalid")


def build_message(figures: dict, recipients: list[str], chart: bytes | None, *, sender: str | None = None,
                  prefix: str = "Veille", cid: str | None = None) -> tuple[EmailMessage, Rendered]:
    """The message and what was rendered in it (the HTML references the chart by ``cid:``)."""
    cid = cid or new_cid()
    rendered = render(figures, f"cid:{cid[1:-1]}" if chart else None, prefix)
    msg = EmailMessage()
    msg["Subject"] = rendered.subject
    msg["To"] = ", ".join(recipients)
    if sender:
        msg["From"] = sender
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(idstring=f"digest.{figures['watch_id']}.{figures['date']}", domain="vigie.invalid")
    msg["X-Vigie-Digest"] = f"{figures['watch_id']}:{figures['date']}"
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(rendered.text)
    msg.add_alternative(rendered.html, subtype="html")
    if chart and not rendered.empty:
        html_part = msg.get_payload()[1]
        html_part.add_related(chart, maintype="image", subtype="png", cid=cid, filename=CHART_NAME,
                              disposition="inline")
    return msg, rendered
