"""Exporters: one trajectory store, every format trainers use. See ``registry``."""
