"""The Qt desktop app and the ``demotrace`` command."""
