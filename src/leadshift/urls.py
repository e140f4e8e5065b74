from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from leadshift.api.urls import api
from leadshift.assessments import views as assessments
from leadshift.coaching import views as coaching
from leadshift.core import views as core
from leadshift.decisions import views as decisions
from leadshift.feedback import views as feedback
from leadshift.growth import views as growth
from leadshift.mentoring import views as mentoring
from leadshift.nudges import views as nudges
from leadshift.outbox import views as outbox
from leadshift.people import admin_views as people_admin
from leadshift.people import views as people
from leadshift.people.account_urls import urlpatterns as account_urls
from leadshift.people.forms import SignInForm
from leadshift.planning import views as planning
from leadshift.portfolio import results_views as results
from leadshift.portfolio import views as portfolio
from leadshift.pulse import views as pulse
from leadshift.radar import views as radar
from leadshift.reports import views as reports
from leadshift.risk import views as risk
from leadshift.stakeholders import views as stakeholders
from leadshift.timeuse import views as timeuse
from leadshift.undo import views as undo
from leadshift.uploads import views as uploads

urlpatterns = [
    path("", core.home, name="home"),
    path("health", core.health, name="health"),
    path("undo/<int:deletion_id>/", undo.undo, name="undo"),
    path("search/", core.search_page, name="search"),
    path("framework/", core.framework, name="framework"),
    path("signup/", people.signup, name="signup"),
    path("signup/confirm/<uidb64>/<token>/", people.signup_confirm, name="signup_confirm"),
    *account_urls,
    path(
        "login/",
        auth_views.LoginView.as_view(
            template_name="people/login.html", authentication_form=SignInForm
        ),
        name="login",
    ),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("team/", people.team, name="team"),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
    path("people/<int:person_id>/erase/", people.erase, name="person_erase"),
    path("tokens/", people.tokens, name="tokens"),
    path("tokens/<int:token_id>/revoke/", people.revoke_token, name="revoke_token"),
    path("assessments/new/", assessments.start, name="assessment_start"),
    path("assessments/<int:assessment_id>/", assessments.profile, name="assessment_profile"),
    path(
        "assessments/<int:assessment_id>/step/<int:step>/", assessments.step, name="assessment_step"
    ),
    path("assessments/<int:assessment_id>/review/", assessments.review, name="assessment_review"),
    path(
        "assessments/<int:assessment_id>/discard/", assessments.discard, name="assessment_discard"
    ),
    path(
        "assessments/<int:assessment_id>/compare/<int:other_id>/",
        assessments.compare,
        name="assessment_compare",
    ),
    path("assessments/<int:assessment_id>/plan/", growth.generate, name="plan_generate"),
    path("plans/<int:plan_id>/", growth.plan_detail, name="plan_detail"),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/done/", growth.action_done, name="action_done"
    ),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/move/", growth.action_move, name="action_move"
    ),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/drop/", growth.action_drop, name="action_drop"
    ),
    path(
        "plans/<int:plan_id>/actions/<int:action_id>/edit/", growth.action_edit, name="action_edit"
    ),
    path("plans/<int:plan_id>/goals/<int:goal_id>/actions/", growth.action_add, name="action_add"),
    path("plans/<int:plan_id>/checkins/", growth.checkin, name="plan_checkin"),
    path("timeuse/", timeuse.mine, name="timeuse_mine"),
    path("people/<int:person_id>/timeuse/", timeuse.person_timeuse, name="timeuse_person"),
    path("people/<int:person_id>/timeuse/import/", timeuse.upload, name="timeuse_upload"),
    path("people/<int:person_id>/timeuse/rules/", timeuse.rules, name="timeuse_rules"),
    path("people/<int:person_id>/timeuse/delete/", timeuse.delete_all, name="timeuse_delete_all"),
    path(
        "people/<int:person_id>/timeuse/imports/<int:import_id>/delete/",
        timeuse.delete_import,
        name="timeuse_delete_import",
    ),
    path("stakeholders/", stakeholders.mine, name="stakeholders_mine"),
    path("people/<int:person_id>/stakeholders/", stakeholders.map_page, name="stakeholder_map"),
    path("stakeholders/<int:stakeholder_id>/", stakeholders.detail, name="stakeholder_detail"),
    path(
        "stakeholders/<int:stakeholder_id>/interactions/",
        stakeholders.log_interaction,
        name="stakeholder_log",
    ),
    path(
        "stakeholders/<int:stakeholder_id>/delete/",
        stakeholders.delete,
        name="stakeholder_delete",
    ),
    path("people/<int:person_id>/brief/", stakeholders.brief, name="brief"),
    path("briefs/<int:brief_id>/", stakeholders.saved_brief, name="saved_brief"),
    path("reports/", reports.index, name="reports"),
    # Before the reports' own addresses, whose kind would take "pdf".
    path("reports/pdf/<int:rendering_id>/", reports.rendering_status, name="rendering_status"),
    path(
        "reports/pdf/<int:rendering_id>/download",
        reports.rendering_download,
        name="rendering_download",
    ),
    path("reports/<slug:kind>/<int:subject_id>/", reports.report, name="report"),
    path("reports/<slug:kind>/<int:subject_id>.pdf", reports.report_pdf, name="report_pdf"),
    path("decisions/", decisions.decision_list, name="decision_list"),
    path("decisions/new/", decisions.decision_new, name="decision_new"),
    path("decisions/calibration/", decisions.calibration, name="decision_calibration"),
    path("decisions/<int:decision_id>/", decisions.decision_detail, name="decision_detail"),
    path("decisions/<int:decision_id>/edit/", decisions.decision_edit, name="decision_edit"),
    path(
        "decisions/<int:decision_id>/outcome/", decisions.decision_outcome, name="decision_outcome"
    ),
    path("decisions/<int:decision_id>/delete/", decisions.decision_delete, name="decision_delete"),
    path(
        "decisions/<int:decision_id>/export.md",
        decisions.decision_markdown,
        name="decision_markdown",
    ),
    path("risks/", risk.register, name="risk_register"),
    path("risks/new/", risk.risk_new, name="risk_new"),
    path("risks/<int:risk_id>/", risk.risk_edit, name="risk_edit"),
    path("risks/<int:risk_id>/trigger/", risk.risk_trigger, name="risk_trigger"),
    path("risks/<int:risk_id>/delete/", risk.risk_delete, name="risk_delete"),
    path("risks/drivers/", risk.driver_add, name="driver_add"),
    path("risks/targets/<int:objective_id>/", risk.target_set, name="objective_target"),
    path("simulations/", risk.simulations, name="simulations"),
    path("simulations/<int:sim_id>/", risk.simulation_detail, name="simulation_detail"),
    path("simulations/<int:sim_id>/status/", risk.simulation_status, name="simulation_status"),
    # Portfolio and planning (issue 4)
    path("portfolio/", portfolio.home, name="portfolio_home"),
    path("portfolio/objectives/", portfolio.objective_save, name="portfolio_objective_save"),
    path(
        "portfolio/objectives/<int:objective_id>/delete/",
        portfolio.objective_delete,
        name="portfolio_objective_delete",
    ),
    path("portfolio/periods/", portfolio.period_add, name="portfolio_period_add"),
    path("portfolio/capacity/", portfolio.capacity_save, name="portfolio_capacity"),
    path("portfolio/horizon-mix/", portfolio.mix_save, name="portfolio_mix"),
    path("portfolio/products/", portfolio.products, name="portfolio_products"),
    path("portfolio/products/add/", portfolio.product_add, name="portfolio_product_add"),
    path("portfolio/thresholds/", portfolio.thresholds_save, name="portfolio_thresholds"),
    path(
        "portfolio/products/<int:product_id>/", portfolio.product_detail, name="portfolio_product"
    ),
    path(
        "portfolio/products/<int:product_id>/snapshots/",
        portfolio.snapshot_add,
        name="portfolio_snapshot_add",
    ),
    path(
        "portfolio/products/<int:product_id>/override/",
        portfolio.product_override,
        name="portfolio_product_override",
    ),
    path("portfolio/initiatives/", portfolio.initiatives, name="portfolio_initiatives"),
    path("portfolio/initiatives/new/", portfolio.initiative_form, name="portfolio_initiative_new"),
    path(
        "portfolio/initiatives/<int:initiative_id>/",
        portfolio.initiative_form,
        name="portfolio_initiative",
    ),
    path(
        "portfolio/initiatives/<int:initiative_id>/delete/",
        portfolio.initiative_delete,
        name="portfolio_initiative_delete",
    ),
    path("portfolio/import/", portfolio.import_page, name="portfolio_import"),
    path("portfolio/export/", portfolio.export, name="portfolio_export"),
    path(
        "portfolio/objectives/<int:objective_id>/",
        results.objective_detail,
        name="portfolio_objective",
    ),
    path(
        "portfolio/objectives/<int:objective_id>/key-results/",
        results.key_result_save,
        name="portfolio_key_result_save",
    ),
    path(
        "portfolio/key-results/<int:kr_id>/delete/",
        results.key_result_delete,
        name="portfolio_key_result_delete",
    ),
    path(
        "portfolio/key-results/<int:kr_id>/actuals/",
        results.actual_add,
        name="portfolio_actual_add",
    ),
    path(
        "portfolio/actuals/<int:actual_id>/delete/",
        results.actual_delete,
        name="portfolio_actual_delete",
    ),
    path("portfolio/actuals/import/", results.actuals_import, name="portfolio_actuals_import"),
    path("portfolio/health/", results.health, name="portfolio_health"),
    path("portfolio/sync/", results.sync_page, name="portfolio_sync"),
    path(
        "portfolio/initiatives/<int:initiative_id>/status/",
        results.initiative_status,
        name="portfolio_initiative_status",
    ),
    path(
        "portfolio/capacity/changes/",
        results.capacity_changes_save,
        name="portfolio_capacity_changes",
    ),
    path("planning/", planning.home, name="planning_home"),
    path("planning/scenarios/", planning.scenario_create, name="planning_scenario_create"),
    path(
        "planning/scenarios/<int:scenario_id>/", planning.scenario_detail, name="planning_scenario"
    ),
    path(
        "planning/scenarios/<int:scenario_id>/capacity/",
        planning.scenario_capacity,
        name="planning_scenario_capacity",
    ),
    path(
        "planning/scenarios/<int:scenario_id>/rules/",
        planning.scenario_rule,
        name="planning_scenario_rule",
    ),
    path(
        "planning/scenarios/<int:scenario_id>/mix/",
        planning.scenario_mix,
        name="planning_scenario_mix",
    ),
    path(
        "planning/scenarios/<int:scenario_id>/run/",
        planning.scenario_run,
        name="planning_scenario_run",
    ),
    path(
        "planning/scenarios/<int:scenario_id>/adopt/",
        planning.scenario_adopt,
        name="planning_scenario_adopt",
    ),
    path(
        "planning/scenarios/<int:scenario_id>/delete/",
        planning.scenario_delete,
        name="planning_scenario_delete",
    ),
    path("planning/runs/<int:run_id>/", planning.run_detail, name="planning_run"),
    path("planning/runs/<int:run_id>/status/", planning.run_status, name="planning_run_status"),
    path("planning/compare/", planning.compare, name="planning_compare"),
    path(
        "planning/scenarios/<int:scenario_id>/sweep/",
        planning.scenario_sweep,
        name="planning_scenario_sweep",
    ),
    path("planning/sweeps/<int:sweep_id>/", planning.sweep_detail, name="planning_sweep"),
    path(
        "planning/sweeps/<int:sweep_id>/status/",
        planning.sweep_status,
        name="planning_sweep_status",
    ),
    path(
        "planning/sweeps/<int:sweep_id>/variants/<int:index>/scenario/",
        planning.sweep_to_scenario,
        name="planning_sweep_scenario",
    ),
    path("planning/plan-of-record/", planning.plan_of_record, name="plan_of_record"),
    path("feedback/", feedback.index, name="feedback_index"),
    path("feedback/new/", feedback.new, name="feedback_new"),
    path("feedback/team/", feedback.team, name="feedback_team"),
    path("feedback/<int:cycle_id>/", feedback.detail, name="feedback_cycle"),
    path("feedback/<int:cycle_id>/remind/", feedback.remind, name="feedback_remind"),
    path("feedback/<int:cycle_id>/extend/", feedback.extend, name="feedback_extend"),
    path("feedback/<int:cycle_id>/close/", feedback.close, name="feedback_close"),
    path("feedback/<int:cycle_id>/results/", feedback.results, name="feedback_results"),
    path("r/<str:token>/", feedback.rate, name="feedback_rate"),
    path("outbox/", outbox.outbox, name="outbox"),
    path("outbox/<int:message_id>/", outbox.message, name="outbox_message"),
    # People, teams and invitations (issue 10)
    path("people/", people_admin.people_list, name="people_admin"),
    path("people/add/", people_admin.person_add, name="person_add"),
    path("people/import/", people_admin.people_import, name="people_import"),
    path("imports/<int:upload_id>/", uploads.upload_page, name="upload"),
    path("imports/<int:upload_id>/status", uploads.upload_status, name="upload_status"),
    path("people/<int:person_id>/edit/", people_admin.person_edit, name="person_edit"),
    path(
        "people/<int:person_id>/deactivate/",
        people_admin.person_deactivate,
        name="person_deactivate",
    ),
    path(
        "people/<int:person_id>/reactivate/",
        people_admin.person_reactivate,
        name="person_reactivate",
    ),
    path("people/teams/", people_admin.teams, name="teams_admin"),
    path("people/teams/<int:team_id>/", people_admin.team_edit, name="team_edit"),
    path("people/teams/<int:team_id>/archive/", people_admin.team_archive, name="team_archive"),
    path("people/invitations/", people_admin.invitation_list, name="invitations_admin"),
    path(
        "people/invitations/<int:invitation_id>/resend/",
        people_admin.invitation_resend,
        name="invitation_resend",
    ),
    path(
        "people/invitations/<int:invitation_id>/revoke/",
        people_admin.invitation_revoke,
        name="invitation_revoke",
    ),
    path("invite/<str:token>/", people_admin.invitation_accept, name="invitation_accept"),
    path("feedback/asked/", feedback.asked, name="feedback_asked"),
    path("feedback/asked/<int:rater_id>/", feedback.open_form, name="feedback_open_form"),
    path("feedback/<int:cycle_id>/raters/", feedback.add_raters, name="feedback_add_raters"),
    path("feedback/<int:cycle_id>/resend/", feedback.resend, name="feedback_resend"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("coaching/", coaching.index, name="coaching_index"),
    path("coaching/start/", coaching.start, name="coaching_start"),
    path("coaching/<int:series_id>/", coaching.series_page, name="coaching_series"),
    path(
        "coaching/<int:series_id>/<int:meeting_id>/items/", coaching.add_item, name="coaching_item"
    ),
    path(
        "coaching/<int:series_id>/<int:meeting_id>/notes/", coaching.add_note, name="coaching_note"
    ),
    path(
        "coaching/<int:series_id>/<int:meeting_id>/actions/",
        coaching.agree_action,
        name="coaching_action",
    ),
    path(
        "coaching/<int:series_id>/<int:meeting_id>/held/", coaching.finish, name="coaching_finish"
    ),
    path(
        "people/<int:person_id>/manager-assessment/",
        coaching.manager_assessment,
        name="coaching_manager_assessment",
    ),
    path(
        "people/<int:person_id>/growth-conversation/",
        coaching.growth_conversation,
        name="coaching_growth_conversation",
    ),
    path("radar/", radar.radar, name="radar"),
    path("radar/dismiss/", radar.dismiss, name="radar_dismiss"),
    path("radar/threshold/", radar.threshold, name="radar_threshold"),
    path("radar/scenario/", radar.scenario, name="radar_scenario"),
    path("mentoring/", mentoring.index, name="mentoring_index"),
    path("mentoring/ask/", mentoring.ask, name="mentoring_ask"),
    path("mentoring/overview/", mentoring.overview, name="mentoring_overview"),
    path(
        "mentoring/proposals/<int:proposal_id>/ask/",
        mentoring.ask_mentor,
        name="mentoring_ask_mentor",
    ),
    path(
        "mentoring/proposals/<int:proposal_id>/answer/", mentoring.answer, name="mentoring_answer"
    ),
    path("settings/", nudges.settings_page, name="settings"),
    path("pulse/", pulse.index, name="pulse_index"),
    path("pulse/<int:pulse_id>/", pulse.detail, name="pulse_detail"),
    path("pulse/<int:pulse_id>/close/", pulse.close, name="pulse_close"),
    path("pulse/a/<str:token>/", pulse.answer, name="pulse_answer"),
]
