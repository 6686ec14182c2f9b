"""Administration: staff accounts and their roles (administrators only)."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user

from app.accounts.forms import ExportPermissionForm, PasswordForm, RoleForm, UserForm
from app.auth import permission_required
from app.extensions import db
from app.forms import vocabulary_choices
from app.transaction import command
from crm import users as user_service
from crm.permissions import may_administer, may_export_by_role
from crm.vocabulary import ROLE_LABELS, Role

bp = Blueprint("accounts", __name__, url_prefix="/admin")


@bp.before_request
@permission_required(may_administer)
def only_admins():
    """Every page here is for administrators."""


@bp.route("/users", methods=["GET", "POST"])
def users():
    form = _with_roles(UserForm())
    if form.validate_on_submit():
        with command(form) as saved:
            user = user_service.create_user(
                db.session,
                email=form.email.data,
                name=form.name.data,
                role=form.role.data,
                password=form.password.data,
            )
        if saved:
            flash(_("The account for %(email)s was created.", email=user.email), "success")
            return redirect(url_for("accounts.users"))
    accounts = user_service.list_users(db.session)
    return render_template("accounts/users.html", form=form, accounts=accounts)


@bp.route("/users/<user_id>", methods=["GET", "POST"])
def user(user_id):
    account = user_service.get_user(db.session, user_id)
    form = _with_roles(RoleForm(obj=account))
    if form.validate_on_submit():
        demoting_self = form.role.data != Role.ADMIN or not form.active.data
        if account.id == current_user.id and demoting_self:
            form.role.errors = [_("You cannot take away your own administrator rights.")]
        else:
            with command(form) as saved:
                user_service.set_role(
                    db.session, account.id, form.role.data, active=form.active.data
                )
            if saved:
                flash(_("The account of %(name)s was changed.", name=account.name), "success")
                return redirect(url_for("accounts.users"))
    return render_template(
        "accounts/user.html", account=account, form=form, password_form=PasswordForm(formdata=None)
    )


@bp.route("/users/<user_id>/password", methods=["POST"])
def password(user_id):
    account = user_service.get_user(db.session, user_id)
    form = PasswordForm()
    if form.validate_on_submit():
        with command(form) as saved:
            user_service.set_password(db.session, account.id, form.password.data)
        if saved:
            if account.id == current_user.id:  # the reset ended every session: keep this one
                login_user(account)
            flash(_("The password of %(name)s was changed.", name=account.name), "success")
            return redirect(url_for("accounts.users"))
    role_form = _with_roles(RoleForm(obj=account, formdata=None))
    return render_template(
        "accounts/user.html", account=account, form=role_form, password_form=form
    ), 422


@bp.route("/users/<user_id>/exports", methods=["POST"])
def can_export(user_id):
    account = user_service.get_user(db.session, user_id)
    form = ExportPermissionForm()
    if may_export_by_role(account):
        flash(_("Coordinators and administrators may always export lists."), "warning")
    elif form.validate_on_submit():
        with command():
            user_service.set_can_export(db.session, account.id, form.allowed.data)
        if form.allowed.data:
            flash(_("%(name)s may now export lists.", name=account.name), "success")
        else:
            flash(_("%(name)s may no longer export lists.", name=account.name), "success")
    return redirect(url_for("accounts.users"))


def _with_roles(form):
    form.role.choices = vocabulary_choices(ROLE_LABELS)
    return form
