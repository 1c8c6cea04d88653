"""Notices to applicants: in-app, by email, SMS and WhatsApp, from editable templates."""
