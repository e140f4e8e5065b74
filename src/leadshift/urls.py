from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import path

from leadshift.api.urls import api
from leadshift.assessments import views as assessments
from leadshift.core import views as core
from leadshift.feedback import views as feedback
from leadshift.growth import views as growth
from leadshift.people import views as people

urlpatterns = [
    path("", core.home, name="home"),
    path("health", core.health, name="health"),
    path("framework/", core.framework, name="framework"),
    path("signup/", people.signup, name="signup"),
    path("login/", auth_views.LoginView.as_view(template_name="people/login.html"), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("team/", people.team, name="team"),
    path("people/<int:person_id>/", people.person_detail, name="person_detail"),
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
    path("feedback/", feedback.index, name="feedback_index"),
    path("feedback/new/", feedback.new, name="feedback_new"),
    path("feedback/team/", feedback.team, name="feedback_team"),
    path("feedback/<int:cycle_id>/", feedback.detail, name="feedback_cycle"),
    path("feedback/<int:cycle_id>/remind/", feedback.remind, name="feedback_remind"),
    path("feedback/<int:cycle_id>/extend/", feedback.extend, name="feedback_extend"),
    path("feedback/<int:cycle_id>/close/", feedback.close, name="feedback_close"),
    path("feedback/<int:cycle_id>/results/", feedback.results, name="feedback_results"),
    path("r/<str:token>/", feedback.rate, name="feedback_rate"),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
]
