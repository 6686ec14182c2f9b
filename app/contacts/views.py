"""Contact logging (the daily job of policy staff) and "my follow-ups"."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.actors.forms import ConfirmForm
from app.actors.views import actor_or_404, render_actor_page
from app.auth import role_required
from app.contacts.forms import ContactForm, moment_for_input
from app.extensions import db
from app.forms import put_errors_on_form
from crm import contacts as contact_service
from crm.messages import Invalid, NotFound
from crm.users import has_role
from crm.validation import parse_id

bp = Blueprint("contacts", __name__)


@bp.route("/actors/<actor_id>/contacts", methods=["POST"])
def log(actor_id):
    actor = actor_or_404(actor_id)
    form = ContactForm()
    if form.validate_on_submit():
        try:
            contact_service.log_contact(
                db.session, actor_id=actor.id, user_id=current_user.id, **form.values()
            )
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            put_errors_on_form(form, error)
        else:
            flash(_("The contact with %(name)s was logged.", name=actor.name), "success")
            return redirect(url_for("actors.detail", actor_id=actor.id))
    return render_actor_page(actor, contact_form=form), 422


@bp.route("/contacts/<contact_id>/edit", methods=["GET", "POST"])
def edit(contact_id):
    contact = _own_contact_or_403(contact_id)
    form = ContactForm(data=_form_data(contact)) if request.method == "GET" else ContactForm()
    if form.validate_on_submit():
        try:
            contact_service.edit_contact(
                db.session, contact.id, user_id=current_user.id, **form.values()
            )
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            put_errors_on_form(form, error)
        else:
            flash(_("The contact was changed."), "success")
            return redirect(url_for("actors.detail", actor_id=contact.actor_id))
    return render_template("contacts/edit.html", form=form, contact=contact)


@bp.route("/contacts/<contact_id>/delete", methods=["GET", "POST"])
@role_required("admin")
def delete(contact_id):
    contact = _contact_or_404(contact_id)
    form = ConfirmForm()
    if form.validate_on_submit():
        contact_service.delete_contact(db.session, contact.id)
        db.session.commit()
        flash(_("The contact was deleted."), "success")
        return redirect(url_for("actors.detail", actor_id=contact.actor_id))
    return render_template("contacts/delete.html", form=form, contact=contact)


@bp.route("/follow-ups")
def follow_ups():
    items = contact_service.open_follow_ups(db.session, user_id=current_user.id)
    today = contact_service.today_in_city()
    return render_template("contacts/follow_ups.html", items=items, today=today, form=ConfirmForm())


@bp.route("/follow-ups/<contact_id>/done", methods=["POST"])
def follow_up_done(contact_id):
    if ConfirmForm().validate_on_submit():
        try:
            contact_service.mark_follow_up_done(
                db.session, parse_id(contact_id), user_id=current_user.id
            )
            db.session.commit()
        except (Invalid, NotFound):
            abort(404)
        flash(_("Follow-up marked as done."), "success")
    return redirect(url_for("contacts.follow_ups"))


def _contact_or_404(contact_id):
    try:
        return contact_service.get_contact(db.session, parse_id(contact_id))
    except (Invalid, NotFound):
        abort(404)


def _own_contact_or_403(contact_id):
    """Staff edit their own contacts; coordinators and administrators any contact."""
    contact = _contact_or_404(contact_id)
    if contact.created_by_id != current_user.id and not has_role(current_user, "coordinator"):
        abort(403)
    return contact


def _form_data(contact) -> dict:
    return {
        "channel": contact.channel,
        "direction": contact.direction,
        "outcome": contact.outcome,
        "occurred_at": moment_for_input(contact.occurred_at),
        "note": contact.note,
        "follow_up_on": contact.follow_up_on.isoformat() if contact.follow_up_on else "",
    }
