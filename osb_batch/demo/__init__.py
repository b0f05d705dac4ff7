"""The demo: realistic workbooks written the way staff write them, and a simulated week.

``osb-batch demo`` fills ``inbox/`` with one day's forms; ``--days N`` runs the batch over N
calendar days, feeding each day what staff would send back.
"""
