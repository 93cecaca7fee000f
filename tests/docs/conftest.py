# Fixtures for the documentation-site tests; the helpers live in docs_helpers.py
# (a unique module name, so another conftest.py elsewhere in tests/ cannot clash).
from docs_helpers import built_site  # noqa: F401
