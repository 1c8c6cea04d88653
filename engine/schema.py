"""Every table of every domain, on one metadata.

Each domain keeps its tables in its own ``models`` module, and relationships across domains are
named by class, so the ORM can only configure its mappers once all are imported: the web app,
Alembic and the tests import this module first.
"""

from engine.accounts import models as accounts  # noqa: F401
from engine.casework import models as casework  # noqa: F401
from engine.connectors import models as connectors  # noqa: F401
from engine.core.models import Base
from engine.documents import models as documents  # noqa: F401
from engine.feedback import models as feedback  # noqa: F401
from engine.notifications import models as notifications  # noqa: F401
from engine.payments import models as payments  # noqa: F401
from engine.process_admin import models as process_admin  # noqa: F401
from engine.public_data import models as public_data  # noqa: F401
from engine.service_time import models as service_time  # noqa: F401
from engine.workflow import models as workflow  # noqa: F401

metadata = Base.metadata
