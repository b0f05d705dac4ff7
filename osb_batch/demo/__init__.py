"""The demo: realistic workbooks written the way staff write them, and a simulated week.

``osb-batch demo`` fills ``inbox/`` with one day's forms; ``--days N`` runs the batch over N
calendar days, feeding each day what staff would send back.

- :mod:`.workbooks`: the inbox (which files, arrival order) and the summary of what to expect;
- :mod:`.demo_data`: everything drawn from the seed (:func:`~.demo_data.build`);
- :mod:`.master_data`: customers, products, quotas and the other master-data rows;
- :mod:`.orders`: the day's orders and the decision path each is built for;
- :mod:`.master_workbooks`, :mod:`.day_workbooks`, :mod:`.faulty_workbooks`: the files themselves;
- :mod:`.staff_workbook`: the one builder of staff-style workbooks (the tests use it too);
- :mod:`.week`: the simulated week;
- :mod:`.management`, :mod:`.management_rows`: the management cycle's files in the simulated days (roster,
  plans, work plans, visits, logs, status reports, contracts, budget, requests and claims);
- :mod:`.returns`: the batch's workbooks people fill and send back (dealer stock, signed credit limits).
"""
