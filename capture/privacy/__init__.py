"""Privacy while recording: secret mode, excluded applications, redaction of frames."""
