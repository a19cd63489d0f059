from django.core.management.base import BaseCommand, CommandError

from msp_cases.accounts.models import User


class Command(BaseCommand):
    help = (
        "Let an account into the admin (staff status) or take it away. Staff and superuser status are never "
        "editable in the app, so an administrator cannot give them to anyone, themselves included; roles "
        "(such as Administrator) are then given in the admin."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--remove", action="store_true", help="Take staff status away instead.")

    def handle(self, *args, email, remove, **options):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError("No account has that email address")
        user.is_staff = not remove
        user.save(update_fields=["is_staff"])
        self.stdout.write(f"{user.email}: staff status {'removed' if remove else 'given'}")
