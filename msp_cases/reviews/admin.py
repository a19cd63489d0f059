"""Nothing registered, on purpose: Safeguarding Adults Reviews name the people they are about, and the Django
admin would bypass the access rule (msp_cases/access.py). The safeguarding unit keeps them on the register's
own pages, where every change is kept in the history and every read in the record of access."""
