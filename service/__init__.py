"""HTTP service that mail gateways and chat proxies call: a thin shell over ``dlp.Scanner``.

``service.app.create_app(settings)`` builds the FastAPI app; ``service.server`` runs it under
uvicorn (``dlp serve``). See docs/service.md.
"""
