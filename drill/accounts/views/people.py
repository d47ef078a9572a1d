"""Users and branches (admins; trainers read within their scope) and each user's own settings."""

from flask import abort, flash, redirect, render_template, request, send_file, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import aliased, contains_eager, joinedload, selectinload

from drill import export
from drill.accounts import profile, security_log, services
from drill.accounts import session as login_sessions
from drill.accounts.access import (
    branch_choices,
    limit_branches_to_scope,
    role_required,
    scope_path,
    visible_branches,
)
from drill.accounts.forms import (
    ActiveForm,
    BranchForm,
    ButtonForm,
    ImportUsersForm,
    LanguageForm,
    PasswordForm,
    SettingsForm,
    UserForm,
)
from drill.accounts.models import Branch, User, UserRole
from drill.accounts.roles import ROLES
from drill.accounts.rules import names
from drill.accounts.rules.scope import can_edit_user, can_view_user
from drill.accounts.rules.sheet import SheetError, parse_users, read_table
from drill.auth import throttle_store
from drill.auth.views.sign_in import safe_next
from drill.database import utcnow
from drill.extensions import db
from drill.forms import options
from drill.i18n import VISITOR_LOCALE_KEY
from drill.labels import label


def user_or_404(user_id: int, *, edit: bool = False) -> User:
    # One user: the branch (for the scope check), the roles and the scope the pages show load with it.
    user = db.session.get(
        User,
        user_id,
        options=[joinedload(User.branch), joinedload(User.scope_branch), selectinload(User.role_rows)],
    )
    if user is None:
        abort(404)
    path = scope_path(current_user)
    allowed = (
        can_edit_user(current_user.roles, path, user.branch.path)
        if edit
        else can_view_user(current_user.roles, current_user.id, path, user.id, user.branch.path)
    )
    if not allowed:
        abort(403)
    return user


ACTIVE_CHOICES = ("1", "0")  # the users list's filter: active accounts, disabled ones ("" for both)


def user_filters() -> dict:
    """The users list's filters from the query string: text, branch (a subtree), role, active."""
    branch_id = request.args.get("branch", type=int)
    role = request.args.get("role", "")
    active = request.args.get("active", "")
    return {
        "text": request.args.get("q", "").strip()[:80],
        "branch_id": branch_id,
        "role": role if role in ROLES else "",
        "active": active if active in ACTIVE_CHOICES else "",
    }


def filtered_users(query: Select, text: str, branch_id: int | None, role: str, active: str) -> Select:
    """Narrow a query over users joined to their Branch (and within the viewer's scope) by the filters."""
    if text:
        like = f"%{text}%"
        query = query.where(or_(User.name.ilike(like), User.employee_no.ilike(like)))
    if branch_id:  # the chosen branch's subtree; a branch outside the scope finds nobody (scope applies)
        picked = aliased(Branch)
        chosen = select(picked.path).where(picked.id == branch_id).scalar_subquery()
        query = query.where(Branch.path.startswith(chosen))
    if role:
        held = aliased(UserRole)  # the export joins UserRole itself: this one must not correlate to it
        holds = select(held.id).where(held.user_id == User.id, held.role == role).exists()
        query = query.where(holds)
    if active:
        query = query.where(User.active == (active == "1"))
    return query


def _scoped_users(*columns) -> Select:
    query = select(*columns).select_from(User).join(Branch, Branch.id == User.branch_id)
    return limit_branches_to_scope(query, current_user)


@role_required("admin", "trainer")
def users():
    filters = user_filters()
    query = filtered_users(
        _scoped_users(User).options(contains_eager(User.branch), selectinload(User.role_rows)), **filters
    )
    page = db.paginate(query.order_by(User.employee_no), per_page=50, error_out=False)
    return render_template(
        "accounts/users.html",
        page=page,
        term=filters["text"],
        filters=filters,
        branch_options=branch_choices(visible_branches()),
        roles=ROLES,
        mixed_script=names.mixed_script,
    )


@role_required("admin", "trainer")
def users_export():
    """The users matching the list's filters as XLSX (never a password hash), read in chunks into a
    constant-memory workbook and streamed from a temporary file; text a spreadsheet would run is quoted."""
    roles = func.aggregate_strings(UserRole.role, ",")
    query = filtered_users(
        _scoped_users(
            User.employee_no,
            User.name,
            Branch.name,
            Branch.code,
            roles,
            User.category,
            User.level,
            User.active,
        )
        .outerjoin(UserRole, UserRole.user_id == User.id)
        .group_by(User.id, User.employee_no, User.name, Branch.name, Branch.code, User.category, User.level)
        .order_by(User.employee_no),
        **user_filters(),
    )
    headers = [
        _("Employee number"),
        _("Name"),
        _("Branch"),
        _("Code"),
        _("Roles"),
        _("Category"),
        _("Level"),
        _("Account state"),
    ]
    rows = (
        [
            number,
            name,
            branch,
            code,
            "、".join(label(role, "role") for role in sorted((held or "").split(",")) if role),
            label(category, "category"),
            label(level, "level"),
            _("Account in use") if active else _("Account disabled"),
        ]
        for number, name, branch, code, held, category, level, active in db.session.execute(
            query.execution_options(yield_per=500)
        )
    )
    book = export.write_xlsx(_("Users"), headers, rows)
    return send_file(book, mimetype=export.XLSX, as_attachment=True, download_name="users.xlsx", max_age=0)


def _flagged_scripts(name: str) -> list[str]:
    """The scripts of a name that mixes them (a possible look-alike), in the reader's language."""
    return sorted(_(script) for script in names.scripts(name)) if names.mixed_script(name) else []


@login_required
def user(user_id: int):

    user = user_or_404(user_id)
    admin = current_user.has_role("admin")
    return render_template(
        "accounts/user.html",
        user=user,
        active_form=ActiveForm(),
        button_form=ButtonForm(),
        sections=profile.sections_of(user.id),
        locked_until=throttle_store.account_locked_until(user, utcnow()) if admin else None,
        open_sessions=login_sessions.open_count(user) if admin else 0,
        security_events=security_log.of_user(user) if admin else [],
        security_labels=security_log.LABELS,
        name_scripts=_flagged_scripts(user.name) if admin else (),
    )


def _fill_user_form(form: UserForm) -> None:
    branches = visible_branches()
    form.branch_id.choices = branch_choices(branches)
    form.scope_branch_id.choices = [*options([(0, _("Whole organisation"))]), *branch_choices(branches)]
    if scope_path(current_user) is not None:  # a scoped admin cannot grant more than they have
        form.scope_branch_id.choices = form.scope_branch_id.choices[1:]


def _scope_from(form: UserForm) -> Branch | None:
    return db.session.get(Branch, form.scope_branch_id.data) if form.scope_branch_id.data else None


@role_required("admin")
def new_user():
    form = UserForm()
    _fill_user_form(form)
    if form.validate_on_submit():
        user = services.create_user(
            employee_no=form.employee_no.data.strip(),
            name=form.name.data.strip(),
            branch=db.session.get(Branch, form.branch_id.data),
            roles=set(form.roles.data),
            password=form.password.data,
            category=form.category.data or None,
            level=form.level.data or None,
            scope_branch=_scope_from(form),
            locale=form.locale.data,
        )
        db.session.commit()
        flash(_("User %(name)s (%(no)s) created.", name=user.name, no=user.employee_no), "success")
        return redirect(url_for("accounts.user", user_id=user.id))
    return render_template("accounts/user_form.html", form=form, editing=None)


@role_required("admin")
def edit_user(user_id: int):
    user = user_or_404(user_id, edit=True)
    form = UserForm(obj=user, editing=user)
    _fill_user_form(form)
    if request.method == "GET":
        form.roles.data = sorted(user.roles)
        form.category.data = user.category or ""
        form.level.data = user.level or ""
        form.scope_branch_id.data = user.scope_branch_id or 0
    if form.validate_on_submit():
        user.employee_no = form.employee_no.data.strip()
        user.name = form.name.data.strip()
        user.branch = db.session.get(Branch, form.branch_id.data)
        user.roles = set(form.roles.data)
        user.category = form.category.data or None
        user.level = form.level.data or None
        user.scope_branch = _scope_from(form)
        user.locale = form.locale.data
        if form.password.data:
            user.set_password(form.password.data)
            # A reset ends the user's sessions (all but this one, when admins reset their own).
            (login_sessions.end_others if user.id == current_user.id else login_sessions.end_all)(user)
            security_log.record("password_reset", actor=current_user, user=user)
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("accounts.user", user_id=user.id))
    return render_template("accounts/user_form.html", form=form, editing=user)


@role_required("admin")
def set_active(user_id: int):
    user = user_or_404(user_id, edit=True)
    form = ActiveForm()
    if form.validate_on_submit():
        if user.id == current_user.id:
            flash(_("You cannot deactivate your own account."), "danger")
        else:
            services.set_active(user, form.active.data)
            db.session.commit()
            flash(
                _("Account enabled.") if user.active else _("Account disabled; its sessions are ended."),
                "info",
            )
    return redirect(url_for("accounts.user", user_id=user.id))


@role_required("admin")
def unlock(user_id: int):
    """Lift the sign-in lock that failed passwords put on the account (audited)."""
    user = user_or_404(user_id, edit=True)
    if ButtonForm().validate_on_submit():
        throttle_store.unlock(user, current_user)
        db.session.commit()
        flash(_("Signing in is unlocked for %(name)s.", name=user.name), "success")
    return redirect(url_for("accounts.user", user_id=user.id))


@role_required("admin")
def end_sessions(user_id: int):
    """Sign the user out everywhere (audited). An admin ending their own keeps the one they are using."""
    user = user_or_404(user_id, edit=True)
    if ButtonForm().validate_on_submit():
        (login_sessions.end_others if user.id == current_user.id else login_sessions.end_all)(user)
        security_log.record("end_sessions", actor=current_user, user=user)
        db.session.commit()
        flash(_("Every session of %(name)s has ended.", name=user.name), "success")
    return redirect(url_for("accounts.user", user_id=user.id))


@role_required("admin")
def import_users():
    form = ImportUsersForm()
    problems, created = [], []
    if form.validate_on_submit():
        upload = form.sheet.data
        try:
            table = read_table(upload.filename, upload.read())
        except SheetError as error:
            form.sheet.errors.append(_(str(error)))
        else:
            allowed = {b.code for b in visible_branches()}
            result = parse_users(table, allowed, services.employee_numbers())
            problems = result.problems
            if not problems:
                created = services.import_users(result)
                db.session.commit()
                flash(_("%(count)d users imported.", count=len(created)), "success")
    return render_template("accounts/import.html", form=form, problems=problems, created=created)


@role_required("admin")
def branches():
    form = BranchForm()
    visible = visible_branches()
    form.parent_id.choices = branch_choices(visible)
    if scope_path(current_user) is None:
        form.parent_id.choices[:0] = options([(0, _("— top of the tree —"))])
    if form.validate_on_submit():
        parent = db.session.get(Branch, form.parent_id.data) if form.parent_id.data else None
        services.create_branch(form.code.data.strip(), form.name.data.strip(), form.kind.data, parent)
        db.session.commit()
        flash(_("Branch added."), "success")
        return redirect(url_for("accounts.branches"))
    return render_template("accounts/branches.html", form=form, branches=visible)


@login_required
def settings():
    settings_form = SettingsForm(prefix="settings", locale=current_user.locale)
    password_form = PasswordForm(prefix="password")
    if settings_form.submit.data and settings_form.validate_on_submit():
        current_user.locale = settings_form.locale.data
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for("accounts.settings"))
    if password_form.submit.data and password_form.validate_on_submit():
        if current_user.check_password(password_form.current.data):
            current_user.set_password(password_form.new.data)
            login_sessions.end_others(current_user)
            security_log.record("password_change", actor=current_user, user=current_user)
            db.session.commit()
            flash(_("Password changed. You are signed out everywhere else."), "success")
            return redirect(url_for("accounts.settings"))
        password_form.current.errors.append(_("The current password is wrong."))
    return render_template("accounts/settings.html", settings_form=settings_form, password_form=password_form)


def language():
    form = LanguageForm()
    if form.validate_on_submit():
        if current_user.is_authenticated:
            current_user.locale = form.locale.data
            db.session.commit()
        session[VISITOR_LOCALE_KEY] = form.locale.data
    return redirect(safe_next(request.form.get("next")))
