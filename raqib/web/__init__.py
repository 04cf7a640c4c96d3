"""The workbench: a web app over the archive (`raqib serve`).

    db.py           the workbench's own tables (accounts, sessions, corrections, audit log, verdicts)
    auth.py         password hashing, sessions, CSRF tokens, roles
    corrections.py  what an accepted correction changes in a stored record
    views.py        the data behind each page (highlighted article text, clusters, events)
    app.py          routes: HTML pages and the JSON API under /api/
"""
