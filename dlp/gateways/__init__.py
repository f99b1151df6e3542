"""Gateways: thin translators between a channel's protocol and one ``Scanner`` decision.

``dlp.gateways.mail`` is the milter for Postfix and Sendmail. A gateway reuses the library's
MIME reader, the audit writer and the metrics of the HTTP service; it holds no detection or
policy logic of its own. The library (``dlp`` core) never imports a gateway.
"""
