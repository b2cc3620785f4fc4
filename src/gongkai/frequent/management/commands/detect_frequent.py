from django.core.management.base import BaseCommand

from gongkai.agencies.models import Agency
from gongkai.frequent import services


class Command(BaseCommand):
    help = "Detect applications asking for the same information (Art. 44) and propose proactive publication"

    def add_arguments(self, parser):
        parser.add_argument("--region", type=int, help="also across the region below this agency id")

    def handle(self, *args, **opts):
        n = 0
        for agency in Agency.objects.filter(active=True):
            n += len(services.detect(agency))
        if opts.get("region"):
            n += len(services.detect(Agency.objects.get(pk=opts["region"]), region=True))
        self.stdout.write(f"{n} proposal(s) created or extended")
