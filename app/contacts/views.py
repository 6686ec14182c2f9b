"""Contact logging (the daily job of policy staff) and "my follow-ups"."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.actors.forms import ConfirmForm
from app.actors.views import render_actor_page
from app.auth import permission_required
from app.contacts.forms import ContactForm, NewContactForm, moment_for_input
from app.extensions import db
from app.transaction import command
from crm import contacts as contact_service
from crm.actors import get_actor
from crm.clock import today_in_city
from crm.permissions import Refused, may_delete_for_good, may_edit_contact

bp = Blueprint("contacts", __name__)


@bp.route("/actors/<actor_id>/contacts", methods=["POST"])
def log(actor_id):
    actor = get_actor(db.session, actor_id)
    form = NewContactForm(user_id=current_user.id, actor_id=actor.id)
    if form.validate_on_submit():
        with command(form) as saved:
            # The token stands for the rendered form: sent again, whatever it holds then, the
            # contact it logged is the answer (same_values_only=False).
            logged = contact_service.log_contact_once(
                db.session,
                key=form.submission_key,
                actor_id=actor.id,
                user_id=current_user.id,
                same_values_only=False,
                **form.values(),
            )
        if saved:
            flash(_logged_message(logged, actor), "success")
            return redirect(url_for("actors.detail", actor_id=actor.id))
    return render_actor_page(actor, contact_form=form), 422


@bp.route("/contacts/<contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id):
    contact = contact_service.get_contact(db.session, contact_id)
    if not may_edit_contact(current_user, contact):
        raise Refused(may_edit_contact)
    form = ContactForm(data=_form_data(contact)) if request.method == "GET" else ContactForm()
    if form.validate_on_submit():
        with command(form) as saved:
            contact_service.edit_contact(
                db.session, contact.id, user_id=current_user.id, **form.values()
            )
        if saved:
            flash(_("The contact was changed."), "success")
            return redirect(url_for("actors.detail", actor_id=contact.actor_id))
    return render_template("contacts/edit.html", form=form, contact=contact)


@bp.route("/contacts/<contact_id>/delete", methods=["GET", "POST"])
@permission_required(may_delete_for_good)
def delete(contact_id):
    contact = contact_service.get_contact(db.session, contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        with command() as saved:
            contact_service.delete_contact(db.session, contact.id)
        if saved:
            flash(_("The contact was deleted."), "success")
            return redirect(url_for("actors.detail", actor_id=contact.actor_id))
    return render_template("contacts/delete.html", form=form, contact=contact)


@bp.route("/follow-ups")
def follow_ups():
    items = contact_service.open_follow_ups(db.session, user_id=current_user.id)
    return render_template(
        "contacts/follow_ups.html", items=items, today=today_in_city(), form=ConfirmForm()
    )


@bp.route("/follow-ups/<contact_id>/done", methods=["POST"])
def follow_up_done(contact_id):
    if ConfirmForm().validate_on_submit():
        with command() as saved:
            contact_service.mark_follow_up_done(db.session, contact_id, user_id=current_user.id)
        if saved:
            flash(_("Follow-up marked as done."), "success")
    return redirect(url_for("contacts.follow_ups"))


def _logged_message(logged: contact_service.Logged, actor) -> str:
    if logged.repeated:  # a double tap or a resend: calm, it is there once
        return _("This contact was already saved.")
    return _("The contact with %(name)s was logged.", name=actor.name)


def _form_data(contact) -> dict:
    return {
        "channel": contact.channel,
        "direction": contact.direction,
        "outcome": contact.outcome,
        "occurred_at": moment_for_input(contact.occurred_at),
        "note": contact.note,
        "follow_up_on": contact.follow_up_on.isoformat() if contact.follow_up_on else "",
    }
