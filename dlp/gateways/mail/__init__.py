"""The mail gateway: a milter that Postfix (or Sendmail) asks before any mail leaves.

Rooms, in the order a message passes them:

* ``listen``      — ``inet:HOST:PORT`` / ``unix:/path`` socket specs and listeners
* ``protocol``    — the milter session on the wire (``kilter.protocol``): envelope, headers
  and body in, one answer per message out
* ``transaction`` — what the MTA told us about one message, and its raw RFC 822 bytes
* ``scanning``    — the decision: the library in-process (``LocalDecider``) …
* ``service_client`` — … or the HTTP service through the SDK (``ServiceDecider``, ``dlp.client``)
* ``attribution`` — which envelope recipients made the decision what it is
* ``gateway``     — budget, fail-closed, audit, metrics, notices around one decision
* ``answers``     — a decision as milter edits and an SMTP reply
* ``redaction``   — the redacted body for ``redact``
* ``notices``     — the sender's notice in Traditional Chinese; ``outbox`` sends it
* ``quarantine``  — held mail: incidents ↔ Postfix queue ids; the one release and drop (CLI and console)
* ``shared``      — the one place that imports the service's MIME reader, audit writer, metrics
* ``server``, ``cli`` — ``dlp milter`` and ``dlp quarantine``
* ``lab``         — a private Postfix on loopback and an SMTP sink (tests, benchmark, trying it)
"""
