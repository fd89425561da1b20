"""Store-backed views: read exactly the rows a computation needs and call the pure analytics.

The CLI, the brief and the API all call these, so a table means the same thing everywhere.
``geohedge.data`` holds only the sources, the bundle and the store; the analytic packages
(``exposure``, ``shocks``, ``alignment``, ``partners``, ``events``) never import either.
"""
