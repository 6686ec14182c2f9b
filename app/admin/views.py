"""Administration: staff accounts and their roles (administrators only)."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.admin.forms import ExportPermissionForm, PasswordForm, RoleForm, UserForm
from app.auth import role_required
from app.extensions import db
from app.forms import put_errors_on_form, vocabulary_choices
from crm import users as user_service
from crm.messages import Invalid, NotFound
from crm.validation import parse_id
from crm.vocabulary import ROLE_LABELS, Role

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@role_required("admin")
def only_admins():
    """Every page here is for administrators."""


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = _with_roles(UserForm())
    if form.validate_on_submit():
        try:
            user = user_service.create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=form.password.data,
            )
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            put_errors_on_form(form, error)
        else:
            flash(_("The account for %(email)s was created.", email=user.email), "success")
            return redirect(url_for("admin.users"))
    accounts = user_service.list_users(db.session)
    return render_template("admin/users.html", form=form, accounts=accounts)


@bp.route("/users/<user_id>", methods=["GET", "POST"])
def user(user_id):
    account = _user_or_404(user_id)
    form = _with_roles(RoleForm(obj=account))
    if form.validate_on_submit():
        if account.id == current_user.id and (form.role.data != "admin" or not form.active.data):
            form.role.errors = [_("You cannot take away your own administrator rights.")]
        else:
            user_service.set_role(db.session, account.id, form.role.data, active=form.active.data)
            db.session.commit()
            flash(_("The account of %(name)s was changed.", name=account.name), "success")
            return redirect(url_for("admin.users"))
    return render_template(
        "admin/user.html", account=account, form=form, password_form=PasswordForm(formdata=None)
    )


@bp.route("/users/<user_id>/password", methods=["POST"])
def password(user_id):
    account = _user_or_404(user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            user_service.set_password(db.session, account.id, form.password.data)
            db.session.commit()
        except Invalid as error:
            db.session.rollback()
            put_errors_on_form(form, error)
        else:
            flash(_("The password of %(name)s was changed.", name=account.name), "success")
            return redirect(url_for("admin.users"))
    role_form = _with_roles(RoleForm(obj=account, formdata=None))
    return render_template(
        "admin/user.html", account=account, form=role_form, password_form=form
    ), 422


@bp.route("/users/<user_id>/exports", methods=["POST"])
def can_export(user_id):
    account = _user_or_404(user_id)
    form = ExportPermissionForm()
    if account.role != Role.STAFF:
        flash(_("Coordinators and administrators may always export lists."), "warning")
    elif form.validate_on_submit():
        user_service.set_can_export(db.session, account.id, form.allowed.data)
        db.session.commit()
        if form.allowed.data:
            flash(_("%(name)s may now export lists.", name=account.name), "success")
        else:
            flash(_("%(name)s may no longer export lists.", name=account.name), "success")
    return redirect(url_for("admin.users"))


def _with_roles(form):
    form.role.choices = vocabulary_choices(ROLE_LABELS)
    return form


def _user_or_404(user_id):
    try:
        return user_service.get_user(db.session, parse_id(user_id))
    except (Invalid, NotFound):
        abort(404)
