"""`manage.py benchmark_pages`: the pages people use all day, served by gunicorn as production serves them and
measured under concurrent load beside the framework's floor (a signed-in request that does nothing).

- `floor`: the floor view, mounted only when settings.BENCHMARK_FLOOR (msp_cases.settings.benchmark) or DEBUG.
- `pages`: which users sign in and which pages they open, chosen from the data in the database.
- `server`: gunicorn on a free loopback port with the benchmark settings, always stopped afterwards.

The load itself comes from `loadtest/measure.py`, run in its own process: locust (and gevent, which it
patches the standard library with on import) never enters the Django process."""
