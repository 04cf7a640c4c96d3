"""The app object uvicorn imports for `raqib serve` (configured by RAQIB_DB / RAQIB_ORG)."""
import os

from .app import create_app

app = create_app(os.environ.get("RAQIB_DB") or None, org=os.environ.get("RAQIB_ORG") or "raqib")
