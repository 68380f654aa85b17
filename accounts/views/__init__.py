"""Account pages, one module per topic: ``passwords`` (login, change, reset), ``registration``, ``officials``
(directory, accounts, colleagues), ``identity`` (profile, changes of a registered identity) and ``inbox`` (the
inbox and the audit log). Views parse input, fetch through a scoped selector (404 outside scope), call one service,
and render."""
