"""Middlewares of Vigie, one per module.

Downloader middlewares:

- ``ssrf.SSRFGuardMiddleware``: refuses private, loopback, link-local and reserved addresses, and
  hosts it cannot resolve (fails closed);
- ``credentials.CredentialOriginMiddleware``: credential headers never follow a redirect to another
  origin;
- ``conditional.ConditionalGetMiddleware``: ETag/Last-Modified from the state, 304 = nothing new;
- ``retryafter.RetryAfterMiddleware``: Scrapy's retries, honouring ``Retry-After`` on 429/503;
- ``contenttype.ContentTypeMiddleware``: drops responses of types no spider can read;
- ``redirectloop.RedirectLoopMiddleware``: cuts and counts redirect loops;
- ``budget.AttemptBudgetMiddleware``: failed attempts and retries count against ``max_pages``.

Spider middleware:

- ``callbackerrors.CallbackErrorMiddleware``: an exception in a callback (``RecursionError`` on deeply
  nested JSON…) is counted by reason, never a silent ``ok``.
"""
