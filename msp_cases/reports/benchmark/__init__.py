"""What `manage.py benchmark_reports` times each report against: hand-written PostgreSQL computing the same
figures over the same rows (report_sql.py), and the manager dashboard's panels as its view calls them and as
SQL (dashboard.py)."""
