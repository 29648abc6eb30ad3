"""Wrappers of the controller's replies: ``linstor.responses.<Class>``."""
from .base import *  # noqa: F401,F403
from .controller import *  # noqa: F401,F403
from .exos import *  # noqa: F401,F403
from .groups import *  # noqa: F401,F403
from .kvs import *  # noqa: F401,F403
from .nodes import *  # noqa: F401,F403
from .reports import *  # noqa: F401,F403
from .resources import *  # noqa: F401,F403
from .snapshots import *  # noqa: F401,F403
from .storage import *  # noqa: F401,F403
