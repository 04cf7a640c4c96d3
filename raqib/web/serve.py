"""The app object uvicorn imports for `raqib serve` (configured by RAQIB_DB, RAQIB_ORG and
RAQIB_CORRECTION_RATE=N/SECONDS)."""
import os

from .app import create_app

_n, _secs = (os.environ.get("RAQIB_CORRECTION_RATE") or "5/60").split("/")
app = create_app(os.environ.get("RAQIB_DB") or None, org=os.environ.get("RAQIB_ORG") or "raqib",
                 correction_rate=(int(_n), float(_secs)))
