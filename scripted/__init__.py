"""Scripted demonstrations on a real X server, shared by the tests and the benchmarks:
a private Xvfb (``xserver``), the ``demotrace`` command run as a person runs it
(``cli``), the test apps (``apps``), the scenarios that drive them and write down
what a person did (``scenarios``), and the score of steps against that (``stepmatch``).
"""
