"""The chat gateway: a LINE Messaging API proxy (:mod:`.proxy`) over :mod:`dlp.client`.

Self-hosted chat servers (Mattermost, Rocket.Chat) call ``POST /v1/chat/check`` from a plugin
instead; see docs/chat-gateway.md.
"""
