from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "leadshift.people"
    label = "people"
