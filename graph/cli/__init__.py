"""The ``meakg`` command: the group, errors and the query, build, info and validate commands
(``main``), the commands that hand the build to others (``partners``: export, site, serve,
publish), and the options they share (``options``). Thin: each command calls a function of the
rooms beside this one."""
