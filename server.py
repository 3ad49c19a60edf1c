"""The WSGI application, for any WSGI server: `waitress-serve server:app` or `ecograph serve`."""

from ecograph.http import create_app

app = create_app()
