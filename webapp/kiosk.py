"""The counters' public side: queue tickets (online with a time slot, or at the kiosk), the board the
waiting room watches, and the kiosk (anjungan informasi): a touch screen with large targets, no login,
back to its start page after a minute untouched. No login anywhere here."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from engine.core.clock import utcnow
from engine.core.errors import Conflict, NotFound, ValidationFailed
from engine.core.localtime import Phrase, local
from engine.feedback import ikm, survey
from engine.public_data import queue
from engine.public_data.models import QueueTicket
from engine.workflow import definitions

from .extensions import db, limiter
from .formdata import local_input
from .services import services

bp = Blueprint("kiosk", __name__)


def _zone() -> str:
    return services().calendar.zone


def _slots() -> list[str]:
    """Half-hour arrival slots in office hours, today (from now) and the next working day or two."""
    settings = services().calendar
    now = local(utcnow(), settings.zone)
    out = []
    for offset in range(0, 4):
        day = (now + timedelta(days=offset)).date()
        if day.weekday() >= 5:
            continue
        moment = now.replace(
            year=day.year,
            month=day.month,
            day=day.day,
            hour=settings.start.hour,
            minute=settings.start.minute,
            second=0,
            microsecond=0,
        )
        while moment.time() < settings.end:
            if moment > now:
                out.append(moment.strftime("%Y-%m-%dT%H:%M"))
            moment += timedelta(minutes=30)
    return out[:40]


@bp.route("/antrean", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"])
def take_online():
    """A ticket for a time slot, taken online before coming."""
    errors, ticket = {}, None
    if request.method == "POST":
        try:
            slot = local_input(request.form.get("waktu", ""))
            if slot is None:
                raise ValueError("no slot")
            ticket = queue.take(db.session, request.form.get("layanan", ""), _zone(), source="online", slot_at=slot)
            db.session.commit()
        except ValueError:
            errors = {"waktu": _("Pilih waktu kedatangan.")}
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "kiosk/online.html", counters=queue.COUNTERS, slots=_slots(), errors=errors, ticket=ticket, label=queue.label
    ), (422 if errors else 200)


@bp.get("/antrean/papan")
def board():
    return render_template("kiosk/board.html", lines=queue.board(db.session, _zone()), label=queue.label)


@bp.get("/kiosk")
def kiosk_home():
    # This browser is the kiosk from now on: every page it opens returns here when left alone.
    session["kiosk"] = True
    return render_template(
        "kiosk/home.html", counters=queue.COUNTERS, permit_types=definitions.active_permit_types(db.session)
    )


@bp.post("/kiosk/antrean")
@limiter.limit("120 per hour")
def kiosk_ticket():
    try:
        ticket = queue.take(db.session, request.form.get("layanan", ""), _zone(), source="kiosk")
        db.session.commit()
    except ValidationFailed:
        db.session.rollback()
        return redirect(url_for("kiosk.kiosk_home"))
    return redirect(url_for("kiosk.kiosk_ticket_page", ticket_id=ticket.id))


@bp.get("/kiosk/antrean/<int:ticket_id>")
def kiosk_ticket_page(ticket_id):
    ticket = db.session.get(QueueTicket, ticket_id)
    if ticket is None:
        raise NotFound(Phrase("Nomor antrean tidak ditemukan."))
    return render_template(
        "kiosk/ticket.html",
        ticket=ticket,
        label=queue.label(ticket),
        name=queue.COUNTERS[ticket.counter][1],
        ahead=queue.ahead_of(db.session, ticket),
    )


@bp.route("/kiosk/survei", methods=["GET", "POST"])
@limiter.limit("30 per hour", methods=["POST"])
def kiosk_survey():
    """The satisfaction survey at the kiosk: the registration number and the NIK's last four digits."""
    values, errors, done = dict(request.form), {}, False
    if request.method == "POST":
        try:
            survey.answer_at_kiosk(db.session, values.get("nomor", ""), values.get("nik", ""), request.form, _zone())
            db.session.commit()
            done = True
        except (NotFound, Conflict) as exc:
            db.session.rollback()
            errors = {"nomor": exc.message}
        except ValidationFailed as exc:
            db.session.rollback()
            errors = exc.errors
    return render_template(
        "kiosk/survey.html", values=values, errors=errors, done=done, unsur=ikm.UNSUR, scale=ikm.SCALE
    ), (422 if errors else 200)
