import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "leadshift.settings")
application = get_wsgi_application()

from leadshift.core.deployment import refuse_without_secret_key  # noqa: E402

refuse_without_secret_key()
