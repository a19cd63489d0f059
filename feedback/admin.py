"""Nothing registered on purpose: administrators see no case records (msp_cases/access.py), and the Django
admin would bypass the access rule. My Safeguarding Experience is read and changed through the case pages."""
