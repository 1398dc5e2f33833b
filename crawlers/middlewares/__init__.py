"""Downloader middlewares of Vigie, one per module:

- ``ssrf.SSRFGuardMiddleware``: refuses private, loopback, link-local and reserved addresses;
- ``conditional.ConditionalGetMiddleware``: ETag/Last-Modified from the state, 304 = nothing new;
- ``retryafter.RetryAfterMiddleware``: Scrapy's retries, honouring ``Retry-After`` on 429/503;
- ``contenttype.ContentTypeMiddleware``: drops responses of types no spider can read;
- ``redirectloop.RedirectLoopMiddleware``: cuts and counts redirect loops.
"""
