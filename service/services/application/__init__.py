"""The use cases as the edges call them: one typed service per concept (acts, sittings,
access, health), each taking its ports in its constructor and reading no configuration.

The composition root (``service/bootstrap.py``) builds them; the HTTP routes, the clerk's pages,
the CLI and the queue workers call them.
"""
