"""The outreach plan (whom to call or visit next), "my calls and visits", and claims."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app.analysis import current_analysis
from app.extensions import db
from app.forms import vocabulary_choices
from app.outreach.forms import ClaimForm
from app.paging import page_number
from app.transaction import command
from crm import actors as actor_service
from crm.claims import actors_claimed_by_colleagues, claim_actor, claims_of_user, release_claim
from crm.clock import today_in_city
from crm.contacts import open_follow_ups
from crm.paging import page_of
from crm.permissions import may_release_any_claim
from crm.vocabulary import KIND_LABELS, NEXT_ACTION_LABELS
from crm.worklist import contact_cards
from mapping.filters import AnalysisFilter
from mapping.plan import (
    build_plan,
    claimed_work,
    find_group,
    group_actions,
    groups_in_words,
    introducer_name,
    poverty_actions,
    share_percent,
)

bp = Blueprint("outreach", __name__)


@bp.app_context_processor
def outreach_helpers() -> dict:
    """Template helpers of the outreach lists (also used on the actor page)."""
    return {
        "introducer_name": introducer_name,
        "share_percent": share_percent,
        "groups_in_words": groups_in_words,
    }


@bp.route("/outreach")
def plan():
    filters = AnalysisFilter.from_args(request.args)
    analysis = current_analysis()
    outreach_plan = build_plan(
        analysis,
        filters,
        group_page=page_number(request.args.get("page")),
        busy=actors_claimed_by_colleagues(db.session, current_user.id),
    )
    return render_template(
        "outreach/plan.html",
        analysis=analysis,
        plan=outreach_plan,
        cards=contact_cards(db.session, outreach_plan.actor_ids()),
        filters=filters,
        choices=_filter_choices(),
        claim_form=ClaimForm(),
    )


@bp.route("/outreach/groups/<dimension>/<path:key>")
def group(dimension, key):
    filters = AnalysisFilter.from_args(request.args)
    analysis = current_analysis()
    found = find_group(analysis, dimension, key) or abort(404)
    page = _page(group_actions(analysis, found, filters))
    return _list_page(analysis, page, filters, group=found)


@bp.route("/outreach/poverty-organisations")
def poverty():
    filters = AnalysisFilter.from_args(request.args)
    analysis = current_analysis()
    page = _page(poverty_actions(analysis, filters.recommendations(analysis)))
    return _list_page(analysis, page, filters, group=None)


@bp.route("/outreach/mine")
def mine():
    analysis = current_analysis()
    work = claimed_work(analysis, claims_of_user(db.session, current_user.id))
    return render_template(
        "outreach/mine.html",
        analysis=analysis,
        work=work,
        cards=contact_cards(db.session, [w.claim.actor_id for w in work]),
        follow_ups=open_follow_ups(db.session, user_id=current_user.id),
        today=today_in_city(),
        claim_form=ClaimForm(),
    )


@bp.route("/outreach/claims/<actor_id>", methods=["POST"])
def claim(actor_id):
    actor = actor_service.get_actor(db.session, actor_id)
    form = ClaimForm()
    if form.validate_on_submit():
        with command() as saved:
            claim_actor(db.session, actor.id, user_id=current_user.id)
        if saved:
            message = _(
                "You claimed %(name)s: it is on your list of calls and visits.", name=actor.name
            )
            flash(message, "success")
    return redirect(form.return_to(url_for("actors.detail", actor_id=actor.id)))


@bp.route("/outreach/claims/<actor_id>/release", methods=["POST"])
def release(actor_id):
    actor = actor_service.get_actor(db.session, actor_id)
    form = ClaimForm()
    if form.validate_on_submit():
        on_behalf = may_release_any_claim(current_user)
        with command() as saved:
            release_claim(db.session, actor.id, user_id=current_user.id, on_behalf=on_behalf)
        if saved:
            message = _("%(name)s was given back: a colleague can claim it now.", name=actor.name)
            flash(message, "success")
    return redirect(form.return_to(url_for("outreach.mine")))


def _page(items):
    return page_of(items, page_number(request.args.get("page")), current_app.config["PER_PAGE"])


def _list_page(analysis, page, filters: AnalysisFilter, *, group):
    """Every action of one group (or of the poverty organisations), one page at a time."""
    return render_template(
        "outreach/group.html",
        analysis=analysis,
        group=group,
        page=page,
        cards=contact_cards(db.session, [r.actor_id for r in page.items]),
        filters=filters,
        choices=_filter_choices(),
        claim_form=ClaimForm(),
    )


def _filter_choices() -> dict:
    return {
        "districts": actor_service.choices_of_districts(db.session),
        "kinds": vocabulary_choices(KIND_LABELS, blank=_("All kinds")),
        "themes": actor_service.choices_of_themes(db.session),
        "actions": vocabulary_choices(NEXT_ACTION_LABELS, blank=_("Any action")),
    }
